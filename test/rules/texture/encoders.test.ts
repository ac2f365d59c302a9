/**
 * The wasm encoders are the default, name themselves in the action key, and make blocks as good
 * as the native reference encoders; native tools are chosen only by `encoder: native`, and one
 * that cannot run is a tool-missing diagnostic naming the library and the fix.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { simdFromFlags } from '../../../rules/texture/cpu-simd.js';
import { nativeTool } from '../../../rules/texture/native-tools.js';
import { toolExecutable } from '../../../rules/texture/run-tool.js';
import { toolLoadFailure } from '../../../rules/texture/tool-failure.js';
import { DiagnosticError } from '../../../src/diagnostic/diagnostic.js';
import { cook, fixture, rule } from './helpers.js';

const PHOTO = 'sample-project/tex/testorig.jpg';
const photo = fixture('testorig.jpg');

function nativeRuns(name: string): boolean {
  try {
    execFileSync(toolExecutable(nativeTool(name)), [], { stdio: 'pipe', timeout: 10_000 });
    return true;
  } catch (error) {
    // Exit codes other than "could not start" mean the tool runs (it just wants arguments).
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
    return !toolLoadFailure((error as { status?: number }).status ?? null, stderr) && (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
const nativeBc = process.platform === 'linux' && process.arch === 'x64' && nativeRuns('bc7enc');
const nativeAstc = process.platform === 'linux' && process.arch === 'x64' && nativeRuns('astcenc');
// CI installs libomp5, so there the comparisons must run.
const skipNative = !(nativeBc && nativeAstc) && process.env.CI !== 'true';
if (skipNative) console.log('skipping wasm-vs-native encoder comparisons: bc7enc/astcenc cannot run here (apt-get install libomp5)');

async function expectToolMissing(promise: Promise<unknown>, pattern: RegExp): Promise<DiagnosticError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DiagnosticError);
  const diagnostic = (error as DiagnosticError).diagnostics[0]!;
  expect(diagnostic.code).toBe('tool-missing');
  expect(diagnostic.message).toMatch(pattern);
  return error as DiagnosticError;
}

describe('texture encoders', () => {
  it('cooks with the wasm encoders unless a platform says encoder: native', async () => {
    const bc = await cook(PHOTO, photo, { format: 'bc7', max_size: 64, effort: 'fast' });
    expect(bc.stats['encoder']).toBe('basis-wasm bc7e');
    expect(bc.stats['format']).toBe('bc7_srgb');
    expect(bc.stats['psnr_db']).toBeGreaterThan(35);
    const astc = await cook(PHOTO, photo, { format: 'astc', astc_block: '6x6', max_size: 64, effort: 'fast' });
    expect(astc.stats['encoder']).toBe('basis-wasm astc');
    expect(astc.stats['format']).toBe('astc_6x6_srgb');
    const basis = await cook(PHOTO, photo, { format: 'basis', max_size: 64, effort: 'fast' });
    expect(basis.stats['encoder']).toBe('basis-wasm');
  });

  it('names its tools for the action key: sharp always, the block encoder of the platform format', async () => {
    const wasm = await rule.tools!({ color_space: 'auto', mips: true, resize: true, mip_filter: 'lanczos3' }, { format: 'bc7' }, []);
    expect(wasm).toEqual({ sharp: expect.stringMatching(/^sharp@/), 'texture-bc': expect.stringMatching(/^ktx2-encoder@0\.6\./) });
    const png = await rule.tools!({ color_space: 'auto', mips: true, resize: true, mip_filter: 'lanczos3', format: 'png' }, { format: 'bc7' }, []);
    expect(Object.keys(png)).toEqual(['sharp']);
    const etc = await rule.tools!({ color_space: 'auto', mips: true, resize: true, mip_filter: 'lanczos3' }, { format: 'etc2', encoder: 'native' }, []);
    expect(etc['texture-etc2']).toMatch(/^@gpu-tex-enc\/etc@1\.0\.3 EtcTool(\.exe)? sha256:[0-9a-f]{64}$/);
  });

  it('refuses ETC2 with the wasm encoder, saying to set encoder: native', async () => {
    const error = await expectToolMissing(rule.tools!({ color_space: 'auto', mips: true, resize: true, mip_filter: 'lanczos3' }, { format: 'etc2' }, []), /no wasm encoder/);
    expect(error.diagnostics[0]!.hints![0]).toMatch(/encoder: native/);
    await expectToolMissing(cook(PHOTO, photo, { format: 'etc2', max_size: 64 }), /ETC2\/EAC has no wasm encoder/);
  });

  it('reads the dynamic loader: the missing library, an old glibc, a macOS dylib, a Windows DLL', () => {
    expect(toolLoadFailure(127, 'bc7enc: error while loading shared libraries: libomp.so.5: cannot open shared object file: No such file or directory')).toEqual({ missing: 'libomp.so.5' });
    expect(toolLoadFailure(1, "astcenc-avx2: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by astcenc-avx2)")).toEqual({ missing: 'GLIBC_2.34' });
    expect(toolLoadFailure(null, 'dyld[123]: Library not loaded: /usr/local/opt/gcc/lib/gcc/current/libgomp.1.dylib')).toEqual({ missing: '/usr/local/opt/gcc/lib/gcc/current/libgomp.1.dylib' });
    expect(toolLoadFailure(3221225781, '')).toEqual({ missing: 'a DLL (the Visual C++ runtime)' });
    expect(toolLoadFailure(1, 'usage: bc7enc [options] input.png')).toBeUndefined();
  });

  it('picks astcenc by CPU features and never runs an x86-64 executable on arm64', () => {
    expect(simdFromFlags('x64', new Set(['sse2', 'sse4_1', 'avx2']))).toBe('avx2');
    expect(simdFromFlags('x64', new Set(['sse2', 'sse4_1']))).toBe('sse4.1');
    expect(simdFromFlags('x64', new Set(['sse2']))).toBe('sse2');
    expect(simdFromFlags('arm64', new Set())).toBe('neon');
    expect(() => toolExecutable(nativeTool('bc7enc'), 'linux', 'arm64')).toThrow(/ships no bc7enc executable for linux-arm64/);
    expect(() => toolExecutable(nativeTool('EtcTool'), 'linux', 'arm64')).toThrow(DiagnosticError);
    expect(toolExecutable(nativeTool('basisu'), 'linux', 'arm64')).toMatch(/linux-arm64[\\/]basisu$/);
  });
});

describe.skipIf(skipNative)('wasm encoders against the native reference encoders', () => {
  const settings = (format: string, encoder: string) => ({ format, encoder, max_size: 256, effort: 'normal', astc_block: '4x4' });
  for (const format of ['bc7', 'astc'] as const) {
    it(`${format}: the wasm blocks are within 0.5 dB of the native encoder's on a photo`, async () => {
      const wasm = await cook(PHOTO, photo, settings(format, 'wasm'), { mips: false });
      const native = await cook(PHOTO, photo, settings(format, 'native'), { mips: false });
      expect(wasm.stats['encoder']).toMatch(/^basis-wasm/);
      expect(native.stats['encoder']).toBe(format === 'bc7' ? 'bc7enc' : 'astcenc');
      expect(wasm.stats['format']).toBe(native.stats['format']);
      const a = wasm.stats['psnr_db'] as number;
      const b = native.stats['psnr_db'] as number;
      expect(a).toBeGreaterThan(b - 0.5);
      // Different encoders, different (equally valid) blocks: why the choice is a setting.
      expect(wasm.outputs[0]!.digest).not.toEqual(native.outputs[0]!.digest);
    });
  }
});
