/**
 * WGSL checking and reflection with wgsl_reflect, the only maintained WGSL front end on npm that
 * runs in Node without a GPU. It is a parser, not a validator: syntax errors are caught and mapped
 * back to file:line, and the rule adds the structural checks a parser allows (entry points present,
 * no two resources on one @group/@binding). Type errors (e.g. an undeclared identifier) are NOT
 * caught here; they surface when the runtime creates the shader module.
 */
import { RuleError } from '../../src/rule/rule-error.js';
import type { SourceLine } from './flatten-source.js';
import type { ShaderReflection } from './reflection.js';

interface TypeLike {
  name: string;
  getTypeName(): string;
}
interface VariableLike {
  name: string;
  type: TypeLike & { members?: { name: string; type: TypeLike; offset: number }[] | null };
  group: number;
  binding: number;
  size: number;
  resourceType: number;
}
interface FunctionLike {
  name: string;
  stage: string | null;
  inputs: { name: string; type: TypeLike | null; locationType: string; location: number | string }[];
}
interface ReflectLike {
  uniforms: VariableLike[];
  storage: VariableLike[];
  immediates?: VariableLike[];
  textures: VariableLike[];
  samplers: VariableLike[];
  entry: { vertex: FunctionLike[]; fragment: FunctionLike[]; compute: FunctionLike[] };
}
export type WgslReflector = (code: string) => ReflectLike;

export async function loadWgslReflect(): Promise<WgslReflector> {
  // The package's `main` is CommonJS in a `type: module` package, which Node refuses to load;
  // its ES build works, and a variable specifier keeps TypeScript from wanting types for it.
  const specifier = 'wgsl_reflect/wgsl_reflect.module.js';
  const { WgslReflect } = (await import(specifier)) as { WgslReflect: new (code: string) => ReflectLike };
  return (code) => new WgslReflect(code);
}

const STORAGE_TEXTURE = 5;

export function checkWgsl(reflect: WgslReflector, lines: readonly SourceLine[]): ShaderReflection {
  const code = lines.map((l) => l.text).join('\n');
  let module: ReflectLike;
  try {
    module = reflect(code);
  } catch (error) {
    const message = String((error as Error).message ?? error);
    const at = /Line:\s*(\d+)/.exec(message);
    const origin = at ? lines[Number(at[1]) - 1] : undefined;
    throw new RuleError(`WGSL syntax error: ${message.replace(/\.*\s*Line:\s*\d+\s*$/, '')}`, origin ? { file: origin.file, line: origin.line } : { file: lines[0]?.file });
  }
  const entryPoints = (['vertex', 'fragment', 'compute'] as const).flatMap((stage) => module.entry[stage].map((f) => ({ name: f.name, stage })));
  if (entryPoints.length === 0) {
    throw new RuleError('no entry point: a WGSL shader needs at least one @vertex, @fragment or @compute function', { file: lines[0]?.file });
  }
  const resources = [...module.uniforms, ...module.storage, ...module.textures, ...module.samplers];
  const seen = new Map<string, string>();
  for (const resource of resources) {
    const key = `@group(${resource.group}) @binding(${resource.binding})`;
    const other = seen.get(key);
    if (other) {
      const origin = declarationLine(lines, resource.name);
      throw new RuleError(`${resource.name} and ${other} are both bound to ${key}`, origin);
    }
    seen.set(key, resource.name);
  }
  const typeName = (t: TypeLike | null) => (t ? t.getTypeName() : 'unknown');
  return {
    language: 'wgsl',
    entryPoints,
    uniforms: module.uniforms.flatMap((u) =>
      u.type.members ? u.type.members.map((m) => ({ name: m.name, type: typeName(m.type), block: u.name, offset: m.offset })) : [{ name: u.name, type: typeName(u.type), block: u.name, offset: 0 }],
    ),
    textures: [...module.textures, ...module.storage.filter((s) => s.resourceType === STORAGE_TEXTURE)].map((t) => ({
      name: t.name,
      binding: t.binding,
      group: t.group,
      type: typeName(t.type),
    })),
    samplers: module.samplers.map((s) => ({ name: s.name, binding: s.binding, group: s.group })),
    blocks: [
      ...module.uniforms.map((u) => ({ name: u.name, kind: 'uniform' as const, binding: u.binding, group: u.group, size: u.size })),
      ...module.storage.filter((s) => s.resourceType !== STORAGE_TEXTURE).map((s) => ({ name: s.name, kind: 'storage' as const, binding: s.binding, group: s.group, size: s.size })),
    ],
    inputs: Object.values(module.entry)
      .flat()
      .flatMap((f) => f.inputs)
      .filter((i) => i.locationType === 'location')
      .map((i) => ({ name: i.name, type: typeName(i.type), location: Number(i.location) })),
  };
}

function declarationLine(lines: readonly SourceLine[], name: string): { file?: string; line?: number } {
  const pattern = new RegExp(`\\bvar(?:<[^>]*>)?\\s+${name}\\b`);
  const found = lines.find((l) => pattern.test(l.text));
  return found ? { file: found.file, line: found.line } : { file: lines[0]?.file };
}
