/**
 * Runs the Khronos glTF validator and turns its report into messages a game developer can act
 * on. Used twice per cook: on the input (a corrupt or non-conforming file fails with the
 * validator's own diagnosis) and on every output before meshopt compression (which the
 * validator cannot read), so a cooked model is known to be valid glTF.
 */
import { RuleError } from '../../src/rule/rule-error.js';
import type { GltfValidator, ValidatorMessage, ValidatorReport } from './gltf-validator-types.js';

const SEVERITY = ['error', 'warning', 'info', 'hint'] as const;

/**
 * Input issues the cook itself repairs, so they are reported as warnings rather than failing
 * the target: glTF-Transform lays buffer views out anew (no byteStride on animation/IBM data)
 * and quantization renormalizes skin weights. The output is validated again, so a repair that
 * did not happen still fails the target.
 */
export const REPAIRED_BY_COOK = [
  'ANIMATION_SAMPLER_ACCESSOR_WITH_BYTESTRIDE',
  'SKIN_IBM_ACCESSOR_WITH_BYTESTRIDE',
  'ACCESSOR_WEIGHTS_NON_NORMALIZED',
];

/** Input issues the validator only warns about but that leave the cook nothing usable to ship. */
export const FATAL_FOR_COOK = ['IMAGE_UNRECOGNIZED_FORMAT'];

export interface ValidationInput {
  /** Codes to report as errors. */
  promote?: readonly string[];
  /** Codes to report as warnings instead of errors. */
  demote?: readonly string[];
  bytes: Uint8Array;
  /** File name the report refers to; its extension tells glTF from GLB. */
  uri: string;
  /** External resources by the URI the glTF JSON uses. */
  resources?: ReadonlyMap<string, Uint8Array>;
}

/**
 * Deepest node hierarchy handed to the validator. The Dart-compiled validator walks nodes
 * recursively and, past a few thousand levels, throws its stack overflow from a detached async
 * callback: nothing can catch it and the whole process dies (20,000 levels did). Real scenes are
 * a few dozen levels deep.
 */
export const MAX_NODE_DEPTH = 1000;

export async function validateGltf(validator: GltfValidator, input: ValidationInput): Promise<ValidatorReport> {
  const depth = nodeDepth(input.bytes);
  if (depth > MAX_NODE_DEPTH) {
    throw new RuleError(`${input.uri}: node hierarchy is ${depth} levels deep, over the limit of ${MAX_NODE_DEPTH} (the glTF validator cannot check deeper scenes)`);
  }
  return validator.validateBytes(input.bytes, {
    uri: input.uri,
    maxIssues: 50,
    writeTimestamp: false,
    severityOverrides: Object.fromEntries([
      ...(input.demote ?? []).map((code) => [code, 1] as const),
      ...(input.promote ?? []).map((code) => [code, 0] as const),
    ]),
    // A cooked file may reference textures through KILN_texture_ref, which the validator cannot
    // know; it only ever reports that as UNSUPPORTED_EXTENSION (a warning).
    externalResourceFunction: async (uri: string) => {
      const bytes = input.resources?.get(uri) ?? input.resources?.get(safeDecode(uri));
      if (!bytes) throw new Error(`${uri} not found`);
      return bytes;
    },
  });
}

/**
 * Depth of the deepest `nodes[].children` chain of a glTF or GLB, counted without recursion; 0
 * when the JSON cannot be read (the validator then reports why). A cycle stops at the repeat
 * (the validator reports cycles itself).
 */
export function nodeDepth(bytes: Uint8Array): number {
  const json = gltfJson(bytes);
  const nodes = json && typeof json === 'object' && Array.isArray((json as { nodes?: unknown }).nodes) ? ((json as { nodes: unknown[] }).nodes) : [];
  const childrenOf = (i: number): number[] => {
    const children = (nodes[i] as { children?: unknown } | undefined)?.children;
    return Array.isArray(children) ? children.filter((c): c is number => Number.isInteger(c) && c >= 0 && c < nodes.length) : [];
  };
  const depthOf = new Map<number, number>();
  let deepest = 0;
  for (let root = 0; root < nodes.length; root++) {
    if (depthOf.has(root)) continue;
    const stack: { node: number; depth: number }[] = [{ node: root, depth: 1 }];
    while (stack.length > 0) {
      const { node, depth } = stack.pop()!;
      if ((depthOf.get(node) ?? 0) >= depth || depth > nodes.length) continue;
      depthOf.set(node, depth);
      deepest = Math.max(deepest, depth);
      for (const child of childrenOf(node)) stack.push({ node: child, depth: depth + 1 });
    }
  }
  return deepest;
}

function gltfJson(bytes: Uint8Array): unknown {
  try {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // GLB: 12-byte header, then the JSON chunk (length, type 'JSON').
    if (bytes.byteLength >= 20 && view.getUint32(0, true) === 0x46546c67 && view.getUint32(16, true) === 0x4e4f534a) {
      const length = view.getUint32(12, true);
      return JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + Math.min(length, bytes.byteLength - 20))));
    }
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

function safeDecode(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

export function formatIssue(m: ValidatorMessage): string {
  const where = m.pointer ? ` at ${m.pointer}` : m.offset !== undefined ? ` at byte ${m.offset}` : '';
  return `${m.code}${where}: ${m.message}`;
}

/** The first `max` issues of one severity (0 = error, 1 = warning), one per line. */
export function listIssues(report: ValidatorReport, severity: number, max = 5): string[] {
  const matching = report.issues.messages.filter((m) => m.severity === severity);
  const lines = matching.slice(0, max).map(formatIssue);
  const total = severity === 0 ? report.issues.numErrors : severity === 1 ? report.issues.numWarnings : matching.length;
  if (total > lines.length) lines.push(`… and ${total - lines.length} more ${SEVERITY[severity]}(s)`);
  return lines;
}
