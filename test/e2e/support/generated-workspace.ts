/**
 * A generated workspace of moderate size that cooks in a few seconds with the real built-in rules
 * (texture, data, bundle): `levels` packages each with `textures` small gradient+noise PNGs (RGBA8,
 * a few through bc7enc), a data file and
 * a bundle, all sharing `//common:settings` and `//common:logo`. Used where a test must run many
 * builds (crash safety, concurrency, GC) and the sample project would be too slow.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

export interface GeneratedWorkspace {
  root: string;
  /** `//level_00:bundle`, … one per level. */
  bundles: string[];
  cleanup(): void;
}

const ROOT_YAML = `workspace:
  name: generated
  packages: pkgs
  cache: .kiln
  out: kiln-out
default_platform: desktop
rules:
  texture: { effort: fast, pot: warn }
platforms:
  desktop: { texture: { format: rgba8, max_size: 256 } }
  mobile: { texture: { format: rgba8, max_size: 64 } }
`;

/** Deterministic pseudo-random bytes (xorshift32), so every run generates the same files. */
function noise(seed: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** A size×size RGBA PNG of smooth gradients plus noise (compresses like a real texture, not like pure noise). */
export async function noisePng(seed: number, size: number): Promise<Buffer> {
  const grain = noise(seed, size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      grain[i] = ((x * 255) / size + (grain[i]! & 31)) & 0xff;
      grain[i + 1] = ((y * 255) / size + (grain[i + 1]! & 31)) & 0xff;
      grain[i + 2] = ((seed * 37 + (grain[i + 2]! & 63)) & 0xff);
      grain[i + 3] = 255;
    }
  }
  return sharp(grain, { raw: { width: size, height: size, channels: 4 } }).png().toBuffer();
}

export interface GenerateOptions {
  /** Level packages (default 4). */
  levels?: number;
  /** Textures per level (default 6). */
  textures?: number;
  /** How many of each level's textures go through the external bc7enc encoder; the rest are RGBA8 (default 1). */
  bc7?: number;
  /** Width and height of every PNG (default 128). */
  size?: number;
  prefix?: string;
}

export async function generateWorkspace(options: GenerateOptions = {}): Promise<GeneratedWorkspace> {
  const levels = options.levels ?? 4;
  const textures = options.textures ?? 6;
  const bc7 = options.bc7 ?? 1;
  const size = options.size ?? 128;
  const root = mkdtempSync(join(tmpdir(), options.prefix ?? 'kiln-gen-'));
  const write = (path: string, content: string | Buffer) => {
    const abs = join(root, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  };
  write('assets.yaml', ROOT_YAML);
  write('pkgs/common/assets.yaml', 'targets:\n  settings: { rule: data, srcs: [settings.yaml], priority: critical }\n  logo: { rule: texture, srcs: [logo.png] }\n');
  write('pkgs/common/settings.yaml', 'graphics: { vsync: true, shadows: medium }\naudio: { master: 0.8 }\n');
  write('pkgs/common/logo.png', await noisePng(999, size));
  const bundles: string[] = [];
  for (let level = 0; level < levels; level++) {
    const pkg = `level_${String(level).padStart(2, '0')}`;
    const lines = ['targets:'];
    const names: string[] = [];
    for (let t = 0; t < textures; t++) {
      const name = `tex_${String(t).padStart(2, '0')}`;
      write(`pkgs/${pkg}/textures/${name}.png`, await noisePng(level * 100 + t + 1, size));
      lines.push(`  ${name}: { rule: texture, srcs: [textures/${name}.png]${t < bc7 ? ', format: bc7' : ''} }`);
      names.push(`":${name}"`);
    }
    write(`pkgs/${pkg}/layout.yaml`, `name: ${pkg}\nspawn: [${level}, 0, ${level * 2}]\nwaves: ${level + 3}\n`);
    lines.push('  layout: { rule: data, srcs: [layout.yaml] }');
    lines.push(`  bundle: { rule: bundle, deps: [${[...names, '":layout"', '"//common:settings"', '"//common:logo"'].join(', ')}] }`);
    write(`pkgs/${pkg}/assets.yaml`, `${lines.join('\n')}\n`);
    bundles.push(`//${pkg}:bundle`);
  }
  return { root, bundles, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
