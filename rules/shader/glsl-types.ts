/** OpenGL type enums, as glslang's reflection dump prints them (hex), to GLSL type names. */
const GL_TYPES: Record<number, string> = {
  0x1404: 'int',
  0x1405: 'uint',
  0x1406: 'float',
  0x140a: 'double',
  0x8b50: 'vec2',
  0x8b51: 'vec3',
  0x8b52: 'vec4',
  0x8b53: 'ivec2',
  0x8b54: 'ivec3',
  0x8b55: 'ivec4',
  0x8b56: 'bool',
  0x8b57: 'bvec2',
  0x8b58: 'bvec3',
  0x8b59: 'bvec4',
  0x8b5a: 'mat2',
  0x8b5b: 'mat3',
  0x8b5c: 'mat4',
  0x8b65: 'mat2x3',
  0x8b66: 'mat2x4',
  0x8b67: 'mat3x2',
  0x8b68: 'mat3x4',
  0x8b69: 'mat4x2',
  0x8b6a: 'mat4x3',
  0x8dc6: 'uvec2',
  0x8dc7: 'uvec3',
  0x8dc8: 'uvec4',
  0x8ffc: 'dvec2',
  0x8ffd: 'dvec3',
  0x8ffe: 'dvec4',
  0x8b5d: 'sampler1D',
  0x8b5e: 'sampler2D',
  0x8b5f: 'sampler3D',
  0x8b60: 'samplerCube',
  0x8b62: 'sampler2DShadow',
  0x8dc1: 'sampler2DArray',
  0x8dc4: 'sampler2DArrayShadow',
  0x8dc5: 'samplerCubeShadow',
  0x8dca: 'isampler2D',
  0x8dd2: 'usampler2D',
  0x9108: 'sampler2DMS',
  0x904d: 'image2D',
  0x904e: 'image3D',
  0x9050: 'imageCube',
  0x9053: 'image2DArray',
};

export function glTypeName(hex: string): string {
  const code = Number.parseInt(hex, 16);
  if (code === 0) return 'sampler';
  return GL_TYPES[code] ?? `gl_0x${hex}`;
}

/** Opaque types are resources bound by binding number, not data in a block. */
export function isOpaque(type: string): boolean {
  return /sampler|image|texture/.test(type);
}
