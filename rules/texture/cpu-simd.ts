/**
 * Which SIMD build of a native encoder this CPU runs: read from /proc/cpuinfo on Linux and
 * `sysctl` on macOS (no `cpu-features` package: it compiles itself at every install). An x64 CPU
 * without AVX2 must not get the AVX2 build: it would die with SIGILL on the first vector op.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export type SimdLevel = 'avx2' | 'sse4.1' | 'sse2' | 'neon';

/** The best level that a set of CPU feature flags (lower-case, `/proc/cpuinfo` spelling) supports. */
export function simdFromFlags(arch: string, flags: ReadonlySet<string>): SimdLevel {
  if (arch === 'arm64') return 'neon';
  if (flags.has('avx2')) return 'avx2';
  if (flags.has('sse4_1') || flags.has('sse4.1')) return 'sse4.1';
  return 'sse2';
}

function cpuFlags(): Set<string> {
  try {
    if (process.platform === 'linux') {
      const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('flags') || l.startsWith('Features'));
      return new Set((line?.split(':')[1] ?? '').trim().toLowerCase().split(/\s+/));
    }
    if (process.platform === 'darwin') {
      const out = execFileSync('sysctl', ['-n', 'machdep.cpu.features', 'machdep.cpu.leaf7_features'], { encoding: 'utf8' });
      return new Set(out.toLowerCase().replace('sse4.1', 'sse4_1').split(/\s+/));
    }
  } catch {
    // unreadable: assume the baseline every x64 CPU has
  }
  // Windows has no cheap flag source without a native module; SSE2 is what every x64 CPU runs.
  return new Set();
}

let cached: SimdLevel | undefined;

export function hostSimdLevel(): SimdLevel {
  return (cached ??= simdFromFlags(process.arch, cpuFlags()));
}
