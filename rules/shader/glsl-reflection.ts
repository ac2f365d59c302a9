/**
 * Parses glslang's reflection dump (`glslangValidator -q`) into a ShaderReflection. The dump lists
 * sections ("Uniform reflection:", "Uniform block reflection:", ...) of `name: key value, ...`
 * lines. Push-constant blocks look like bindingless uniform blocks there, so the source text
 * decides which blocks are push constants.
 */
import { glTypeName, isOpaque } from './glsl-types.js';
import type { ShaderReflection } from './reflection.js';

interface Entry {
  name: string;
  fields: Record<string, string>;
}

export function parseGlslReflection(dump: string, source: string, stage: string): ShaderReflection {
  const sections = new Map<string, Entry[]>();
  let current: Entry[] | undefined;
  for (const raw of dump.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^(.*) reflection:$/.exec(line);
    if (header) {
      current = [];
      sections.set(header[1]!, current);
      continue;
    }
    const entry = /^(.+?): (\w+ .*)$/.exec(line);
    if (!entry || !current) continue;
    const fields: Record<string, string> = {};
    for (const pair of entry[2]!.split(', ')) {
      const [key, value = ''] = pair.split(' ');
      fields[key!] = value;
    }
    current.push({ name: entry[1]!, fields });
  }
  const pushConstants = new Set([...source.matchAll(/layout\s*\([^)]*\bpush_constant\b[^)]*\)\s*uniform\s+(\w+)/g)].map((m) => m[1]!));
  const blockNames = new Set<string>();
  const reflection: ShaderReflection = {
    language: 'glsl',
    entryPoints: [{ name: 'main', stage }],
    uniforms: [],
    textures: [],
    samplers: [],
    blocks: [],
    inputs: [],
  };
  for (const { name, fields } of sections.get('Uniform block') ?? []) {
    blockNames.add(name);
    reflection.blocks.push({ name, kind: pushConstants.has(name) ? 'push_constant' : 'uniform', binding: Number(fields.binding), size: Number(fields.size) });
  }
  for (const { name, fields } of sections.get('Buffer block') ?? []) {
    reflection.blocks.push({ name, kind: 'storage', binding: Number(fields.binding), size: Number(fields.size) });
  }
  for (const { name, fields } of sections.get('Uniform') ?? []) {
    const type = glTypeName(fields.type ?? '0');
    const dot = name.indexOf('.');
    const block = dot > 0 ? name.slice(0, dot) : undefined;
    if (block && blockNames.has(block)) {
      reflection.uniforms.push({ name: name.slice(dot + 1), type, block, offset: Number(fields.offset) });
    } else if (type === 'sampler') {
      reflection.samplers.push({ name, binding: Number(fields.binding) });
    } else if (isOpaque(type)) {
      reflection.textures.push({ name, binding: Number(fields.binding), type });
    } else {
      reflection.uniforms.push({ name, type });
    }
  }
  for (const { name, fields } of sections.get('Pipeline input') ?? []) {
    if (name.startsWith('gl_')) continue;
    reflection.inputs.push({ name, type: glTypeName(fields.type ?? '0') });
  }
  // glslang lists resources in its own traversal order; sort so meta reads like the source layout.
  reflection.textures.sort((a, b) => a.binding - b.binding || a.name.localeCompare(b.name));
  reflection.samplers.sort((a, b) => a.binding - b.binding || a.name.localeCompare(b.name));
  reflection.blocks.sort((a, b) => a.binding - b.binding || a.name.localeCompare(b.name));
  return reflection;
}
