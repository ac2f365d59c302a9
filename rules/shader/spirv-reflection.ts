/**
 * Reflection read straight from a SPIR-V module: the wasm glslang has no `-q` dump, and the
 * module already says everything a material needs — OpName/OpMemberName for names, OpDecorate
 * for bindings, locations and block kinds, OpMemberDecorate for offsets, the OpType* tree for
 * types. Produces the same ShaderReflection the glslangValidator dump gave.
 */
import type { ShaderReflection } from './reflection.js';

const OP = {
  Name: 5, MemberName: 6, EntryPoint: 15, TypeBool: 20, TypeInt: 21, TypeFloat: 22, TypeVector: 23, TypeMatrix: 24,
  TypeImage: 25, TypeSampler: 26, TypeSampledImage: 27, TypeArray: 28, TypeRuntimeArray: 29, TypeStruct: 30,
  TypePointer: 32, Constant: 43, Variable: 59, Decorate: 71, MemberDecorate: 72,
} as const;
const DECORATION = { Block: 2, BufferBlock: 3, ArrayStride: 6, MatrixStride: 7, BuiltIn: 11, Location: 30, Binding: 33, DescriptorSet: 34, Offset: 35 } as const;
const STORAGE = { UniformConstant: 0, Input: 1, Uniform: 2, PushConstant: 9, StorageBuffer: 12 } as const;
const STAGES: Record<number, string> = { 0: 'vertex', 4: 'fragment', 5: 'compute' };
const DIMS: Record<number, string> = { 0: '1D', 1: '2D', 2: '3D', 3: 'Cube', 5: 'Buffer' };

type SpirvType =
  | { op: 'bool' }
  | { op: 'int'; width: number; signed: boolean }
  | { op: 'float'; width: number }
  | { op: 'vector'; component: number; count: number }
  | { op: 'matrix'; column: number; columns: number }
  | { op: 'image'; sampled: number; dim: number; depth: number; arrayed: number; ms: number; usage: number }
  | { op: 'sampler' }
  | { op: 'sampledImage'; image: number }
  | { op: 'array'; element: number; length: number | undefined }
  | { op: 'runtimeArray'; element: number }
  | { op: 'struct'; members: number[] }
  | { op: 'pointer'; storage: number; type: number };

export class SpirvError extends Error {}

function readString(words: Uint32Array, at: number, end: number): string {
  const bytes: number[] = [];
  for (let i = at; i < end; i++) {
    const w = words[i]!;
    for (let b = 0; b < 4; b++) {
      const c = (w >>> (8 * b)) & 0xff;
      if (c === 0) return new TextDecoder().decode(new Uint8Array(bytes));
      bytes.push(c);
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

export function reflectSpirv(words: Uint32Array): ShaderReflection {
  if (words.length < 5 || words[0] !== 0x07230203) throw new SpirvError('not a SPIR-V module');
  const names = new Map<number, string>();
  const memberNames = new Map<string, string>();
  const decorations = new Map<number, Map<number, number>>();
  const memberOffsets = new Map<string, number>();
  const matrixStrides = new Map<string, number>();
  const types = new Map<number, SpirvType>();
  const constants = new Map<number, number>();
  const variables: { id: number; type: number; storage: number }[] = [];
  const entryPoints: { name: string; stage: string; interface: number[] }[] = [];
  const decorate = (id: number, decoration: number, value: number) => {
    let map = decorations.get(id);
    if (!map) decorations.set(id, (map = new Map()));
    map.set(decoration, value);
  };

  for (let at = 5; at < words.length; ) {
    const count = words[at]! >>> 16;
    const op = words[at]! & 0xffff;
    if (count === 0 || at + count > words.length) throw new SpirvError(`truncated instruction at word ${at}`);
    const w = (i: number) => words[at + i]!;
    switch (op) {
      case OP.Name: names.set(w(1), readString(words, at + 2, at + count)); break;
      case OP.MemberName: memberNames.set(`${w(1)}.${w(2)}`, readString(words, at + 3, at + count)); break;
      case OP.EntryPoint: {
        const name = readString(words, at + 3, at + count);
        const nameWords = Math.floor(new TextEncoder().encode(name).length / 4) + 1;
        entryPoints.push({ name, stage: STAGES[w(1)] ?? `model${w(1)}`, interface: [...words.subarray(at + 3 + nameWords, at + count)] });
        break;
      }
      case OP.Decorate: decorate(w(1), w(2), count > 3 ? w(3) : 1); break;
      case OP.MemberDecorate:
        if (w(3) === DECORATION.Offset) memberOffsets.set(`${w(1)}.${w(2)}`, w(4));
        if (w(3) === DECORATION.MatrixStride) matrixStrides.set(`${w(1)}.${w(2)}`, w(4));
        break;
      case OP.TypeBool: types.set(w(1), { op: 'bool' }); break;
      case OP.TypeInt: types.set(w(1), { op: 'int', width: w(2), signed: w(3) === 1 }); break;
      case OP.TypeFloat: types.set(w(1), { op: 'float', width: w(2) }); break;
      case OP.TypeVector: types.set(w(1), { op: 'vector', component: w(2), count: w(3) }); break;
      case OP.TypeMatrix: types.set(w(1), { op: 'matrix', column: w(2), columns: w(3) }); break;
      case OP.TypeImage: types.set(w(1), { op: 'image', sampled: w(2), dim: w(3), depth: w(4), arrayed: w(5), ms: w(6), usage: w(7) }); break;
      case OP.TypeSampler: types.set(w(1), { op: 'sampler' }); break;
      case OP.TypeSampledImage: types.set(w(1), { op: 'sampledImage', image: w(2) }); break;
      case OP.TypeArray: types.set(w(1), { op: 'array', element: w(2), length: w(3) }); break;
      case OP.TypeRuntimeArray: types.set(w(1), { op: 'runtimeArray', element: w(2) }); break;
      case OP.TypeStruct: types.set(w(1), { op: 'struct', members: [...words.subarray(at + 2, at + count)] }); break;
      case OP.TypePointer: types.set(w(1), { op: 'pointer', storage: w(2), type: w(3) }); break;
      case OP.Constant: if (count >= 4) constants.set(w(2), w(3)); break;
      case OP.Variable: variables.push({ type: w(1), id: w(2), storage: w(3) }); break;
      default: break;
    }
    at += count;
  }

  const type = (id: number): SpirvType => {
    const t = types.get(id);
    if (!t) throw new SpirvError(`type %${id} is not declared`);
    return t;
  };
  const scalarName = (t: SpirvType): { prefix: string; name: string } => {
    if (t.op === 'bool') return { prefix: 'b', name: 'bool' };
    if (t.op === 'int') return t.signed ? { prefix: 'i', name: 'int' } : { prefix: 'u', name: 'uint' };
    if (t.op === 'float') return t.width === 64 ? { prefix: 'd', name: 'double' } : { prefix: '', name: 'float' };
    return { prefix: '?', name: 'unknown' };
  };
  const glslType = (id: number): string => {
    const t = type(id);
    switch (t.op) {
      case 'vector': {
        const s = scalarName(type(t.component));
        return `${s.prefix}vec${t.count}`;
      }
      case 'matrix': {
        const col = type(t.column);
        const rows = col.op === 'vector' ? col.count : 1;
        const prefix = col.op === 'vector' ? scalarName(type(col.component)).prefix : '';
        return rows === t.columns ? `${prefix}mat${t.columns}` : `${prefix}mat${t.columns}x${rows}`;
      }
      case 'sampledImage': return imageName(type(t.image), 'sampler');
      case 'image': return imageName(t, t.usage === 2 ? 'image' : 'texture');
      case 'sampler': return 'sampler';
      case 'array': case 'runtimeArray': return glslType(t.element);
      case 'struct': return names.get(id) ?? 'struct';
      default: return scalarName(t).name;
    }
  };
  const imageName = (t: SpirvType, base: string): string => {
    if (t.op !== 'image') return base;
    const prefix = scalarName(type(t.sampled)).prefix;
    const dim = DIMS[t.dim] ?? `${t.dim}`;
    return `${prefix}${base}${dim}${t.ms ? 'MS' : ''}${t.arrayed ? 'Array' : ''}${t.depth === 1 && base === 'sampler' ? 'Shadow' : ''}`;
  };

  const reflection: ShaderReflection = { language: 'glsl', entryPoints: entryPoints.map((e) => ({ name: e.name, stage: e.stage })), uniforms: [], textures: [], samplers: [], blocks: [], inputs: [] };
  const used = new Set(entryPoints.flatMap((e) => e.interface));
  const blockMembers: { binding: number; name: string; members: ShaderReflection['uniforms'] }[] = [];

  /** Block members flattened like glslang's reflection: `light.color`, `lights[0].color`. */
  const flatten = (structId: number, prefix: string, base: number, block: string, out: ShaderReflection['uniforms']) => {
    const struct = type(structId);
    if (struct.op !== 'struct') return;
    struct.members.forEach((memberType, index) => {
      const name = `${prefix}${memberNames.get(`${structId}.${index}`) ?? `_m${index}`}`;
      const offset = base + (memberOffsets.get(`${structId}.${index}`) ?? 0);
      let t = type(memberType);
      let id = memberType;
      let label = name;
      if (t.op === 'array' || t.op === 'runtimeArray') {
        // glslang names an array of plain values by its own name and an array of structs by its first element.
        id = t.element;
        t = type(id);
        if (t.op === 'struct') label = `${name}[0]`;
      }
      if (t.op === 'struct') flatten(id, `${label}.`, offset, block, out);
      else out.push({ name: label, type: glslType(id), block, offset });
    });
  };

  for (const v of variables) {
    const pointer = type(v.type);
    if (pointer.op !== 'pointer') continue;
    const deco = decorations.get(v.id);
    if (deco?.has(DECORATION.BuiltIn)) continue;
    let inner = type(pointer.type);
    let innerId = pointer.type;
    if (inner.op === 'array' || inner.op === 'runtimeArray') {
      innerId = inner.element;
      inner = type(innerId);
    }
    const binding = deco?.get(DECORATION.Binding) ?? -1;
    const set = deco?.get(DECORATION.DescriptorSet);
    const name = names.get(v.id) ?? '';
    if (pointer.storage === STORAGE.Input) {
      if (!used.has(v.id) || name.startsWith('gl_')) continue;
      if (inner.op === 'struct' && decorations.get(innerId)?.has(DECORATION.Block)) continue;
      const location = deco?.get(DECORATION.Location);
      reflection.inputs.push({ name, type: glslType(pointer.type), ...(location !== undefined ? { location } : {}) });
      continue;
    }
    if (pointer.storage === STORAGE.UniformConstant) {
      if (inner.op === 'sampler') reflection.samplers.push({ name, binding, ...(set ? { group: set } : {}) });
      else if (inner.op === 'image' || inner.op === 'sampledImage') reflection.textures.push({ name, binding, type: glslType(innerId), ...(set ? { group: set } : {}) });
      continue;
    }
    if (inner.op !== 'struct') continue;
    const structDeco = decorations.get(innerId);
    const storage = pointer.storage === STORAGE.StorageBuffer || structDeco?.has(DECORATION.BufferBlock);
    const kind = pointer.storage === STORAGE.PushConstant ? 'push_constant' : storage ? 'storage' : pointer.storage === STORAGE.Uniform ? 'uniform' : undefined;
    if (!kind) continue;
    const blockName = names.get(innerId) ?? name;
    reflection.blocks.push({ name: blockName, kind, binding: kind === 'push_constant' ? -1 : binding, size: structSize(innerId), ...(set ? { group: set } : {}) });
    if (kind !== 'storage') {
      const members: ShaderReflection['uniforms'] = [];
      flatten(innerId, '', 0, blockName, members);
      blockMembers.push({ binding: kind === 'push_constant' ? -1 : binding, name: blockName, members });
    }
  }

  /** glslang's block size: the end of the last member (a trailing runtime array counts as 0). */
  function structSize(id: number): number {
    const t = type(id);
    if (t.op !== 'struct' || t.members.length === 0) return 0;
    const last = t.members.length - 1;
    return (memberOffsets.get(`${id}.${last}`) ?? 0) + sizeOf(t.members[last]!, id, last);
  }
  function sizeOf(id: number, parent: number, member: number): number {
    const t = type(id);
    switch (t.op) {
      case 'bool': return 4;
      case 'int': case 'float': return t.width / 8;
      case 'vector': return sizeOf(t.component, parent, member) * t.count;
      case 'matrix': {
        // The member's MatrixStride is the byte step between columns (std140 pads each to a vec4).
        return (matrixStrides.get(`${parent}.${member}`) ?? 16) * t.columns;
      }
      case 'array': {
        const stride = decorations.get(id)?.get(DECORATION.ArrayStride) ?? sizeOf(t.element, parent, member);
        return stride * (t.length !== undefined ? (constants.get(t.length) ?? 0) : 0);
      }
      case 'runtimeArray': return 0;
      case 'struct': return structSize(id);
      default: return 0;
    }
  }

  const byBinding = <T extends { binding: number; name: string }>(a: T, b: T) => a.binding - b.binding || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const block of blockMembers.sort(byBinding)) reflection.uniforms.push(...block.members);
  reflection.textures.sort(byBinding);
  reflection.samplers.sort(byBinding);
  reflection.blocks.sort(byBinding);
  return reflection;
}
