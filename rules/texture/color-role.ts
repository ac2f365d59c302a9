/**
 * Decides how a texture's numbers are to be read: as sRGB colour, as linear data, or as a
 * tangent-space normal map. Explicit attributes win; otherwise the file name is matched
 * against the workspace's `normal_patterns` and `linear_patterns` (the seed's srgb_textures).
 */
export type ColorSpace = 'srgb' | 'linear';

export interface ColorRole {
  colorSpace: ColorSpace;
  normalMap: boolean;
  /** Why, for stats: `attribute`, `pattern "*_n.*"`, `container`, `default`. */
  reason: string;
}

export interface ColorRoleInput {
  path: string;
  colorSpaceAttr: 'auto' | ColorSpace;
  normalMapAttr: boolean | undefined;
  linearPatterns: readonly string[];
  normalPatterns: readonly string[];
  /** sRGB flag of a KTX2/DDS input's format, when it has one. */
  containerSrgb?: boolean;
}

async function firstMatch(path: string, patterns: readonly string[]): Promise<string | undefined> {
  if (patterns.length === 0) return undefined;
  const { default: picomatch } = await import('picomatch');
  const name = path.split('/').pop() ?? path;
  return patterns.find((pattern) => picomatch(pattern, { dot: true, nocase: true })(pattern.includes('/') ? path : name));
}

export async function decideColorRole(input: ColorRoleInput): Promise<ColorRole> {
  let normalMap = input.normalMapAttr;
  let reason = 'default';
  if (normalMap === undefined) {
    const hit = await firstMatch(input.path, input.normalPatterns);
    normalMap = hit !== undefined;
    if (hit) reason = `normal pattern "${hit}"`;
  } else {
    reason = 'normal_map attribute';
  }
  if (input.colorSpaceAttr !== 'auto') return { colorSpace: input.colorSpaceAttr, normalMap, reason: 'color_space attribute' };
  if (normalMap) return { colorSpace: 'linear', normalMap, reason };
  if (input.containerSrgb !== undefined) return { colorSpace: input.containerSrgb ? 'srgb' : 'linear', normalMap, reason: 'container format' };
  const hit = await firstMatch(input.path, input.linearPatterns);
  if (hit) return { colorSpace: 'linear', normalMap, reason: `linear pattern "${hit}"` };
  return { colorSpace: 'srgb', normalMap, reason };
}
