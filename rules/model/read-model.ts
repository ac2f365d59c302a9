/**
 * Turns the target's one source (.gltf or .glb) into a glTF-Transform Document. Every external
 * file (buffers, images) is read through `ctx.readFile`, so it becomes a discovered input:
 * editing a model's .bin re-cooks the model. Anything malformed becomes a RuleError naming the
 * file and what is wrong with it; nothing reaches the parsers that would crash on it.
 */
import type { Document, ILogger, JSONDocument } from '@gltf-transform/core';
import type { RuleContext } from '../../src/rule/context.js';
import { RuleError } from '../../src/rule/rule-error.js';
import type { ModelCodecs } from './codecs.js';
import { isGlb, splitGlb } from './glb-container.js';
import type { ValidatorReport } from './gltf-validator-types.js';
import { FATAL_FOR_COOK, listIssues, REPAIRED_BY_COOK, validateGltf } from './gltf-validation.js';
import { resourcePath } from './resource-path.js';

/** What to do with validator errors in the input. */
export type InputValidation = 'error' | 'warn' | 'off';

export interface LoadedModel {
  document: Document;
  path: string;
  format: 'gltf' | 'glb';
  /** glTF URI → workspace file, for every externally stored buffer and image. */
  imageUris: Map<string, string>;
  /** Source bytes plus every external resource. */
  inputBytes: number;
  inputReport: ValidatorReport | undefined;
}

interface GltfJson {
  asset?: { version?: unknown };
  buffers?: { uri?: unknown }[];
  images?: { uri?: unknown }[];
  extensionsRequired?: unknown;
}

export async function readModel(
  ctx: RuleContext<object, object>,
  codecs: ModelCodecs,
  logger: ILogger,
  inputValidation: InputValidation,
): Promise<LoadedModel> {
  const src = ctx.srcs[0];
  if (!src) throw new RuleError('a model target needs one source: a .gltf or .glb file');
  if (ctx.srcs.length > 1) throw new RuleError(`a model target takes exactly one source, got ${ctx.srcs.length}`);
  const path = src.path;
  const file = path;
  if (!/\.(gltf|glb)$/i.test(path)) throw new RuleError('expected a .gltf or .glb source', { file });
  const bytes = await ctx.readSource(src);
  const format = isGlb(bytes) || /\.glb$/i.test(path) ? 'glb' : 'gltf';

  let text: string;
  let bin: Uint8Array | undefined;
  if (format === 'glb') ({ json: text, bin } = splitGlb(bytes, file));
  else text = new TextDecoder().decode(bytes);
  const json = parseJson(text, file);

  const resources = new Map<string, Uint8Array>();
  const uriPaths = new Map<string, string>();
  let inputBytes = bytes.byteLength;
  for (const [kind, list] of [['buffer', json.buffers], ['image', json.images]] as const) {
    for (const [index, entry] of (Array.isArray(list) ? list : []).entries()) {
      const uri = entry?.uri;
      if (typeof uri !== 'string' || resources.has(uri)) continue;
      const resolved = resourcePath(path, uri);
      if (resolved === undefined) continue;
      const data = await ctx.readFile(resolved);
      if (!data) throw new RuleError(`${kind} ${index} references "${uri}", but ${resolved} does not exist`, { file });
      resources.set(uri, data);
      uriPaths.set(uri, resolved);
      inputBytes += data.byteLength;
    }
  }

  let inputReport: ValidatorReport | undefined;
  if (inputValidation !== 'off') {
    inputReport = await validateGltf(codecs.validator, { bytes, uri: path.split('/').pop()!, resources, demote: REPAIRED_BY_COOK, promote: FATAL_FOR_COOK });
    if (inputReport.issues.numErrors > 0) {
      const lines = listIssues(inputReport, 0);
      const message = `glTF validator found ${inputReport.issues.numErrors} error(s) in the input:\n  ${lines.join('\n  ')}`;
      if (inputValidation === 'error') throw new RuleError(message, { file });
      ctx.warn(message, { file });
    }
  }

  const required = Array.isArray(json.extensionsRequired) ? (json.extensionsRequired as unknown[]) : [];
  const known = new Set(codecs.extensions.ALL_EXTENSIONS.map((e) => e.EXTENSION_NAME));
  for (const name of required) {
    if (typeof name !== 'string' || !known.has(name)) {
      throw new RuleError(`unsupported required extension ${String(name)}`, { file });
    }
  }

  const io = new codecs.core.NodeIO().setLogger(logger).registerExtensions(codecs.extensions.ALL_EXTENSIONS);
  io.registerDependencies({ 'meshopt.decoder': codecs.decoder });
  if (required.includes('KHR_draco_mesh_compression') || hasExtension(json, 'KHR_draco_mesh_compression')) {
    io.registerDependencies({ 'draco3d.decoder': await codecs.dracoDecoder() });
  }
  const jsonDoc: JSONDocument = { json: json as JSONDocument['json'], resources: Object.fromEntries(resources) as JSONDocument['resources'] };
  if (bin) {
    const glbBuffer = (json.buffers ?? []).findIndex((b) => b?.uri === undefined);
    if (glbBuffer >= 0) jsonDoc.resources['@glb.bin'] = bin as Uint8Array<ArrayBuffer>;
  }
  let document: Document;
  try {
    document = await io.readJSON(jsonDoc);
  } catch (error) {
    throw new RuleError(`cannot read glTF: ${(error as Error).message}`, { file });
  }

  return { document, path, format, imageUris: uriPaths, inputBytes, inputReport };
}

function hasExtension(json: GltfJson & { extensionsUsed?: unknown }, name: string): boolean {
  return Array.isArray(json.extensionsUsed) && json.extensionsUsed.includes(name);
}

function parseJson(text: string, file: string): GltfJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RuleError(`not valid glTF JSON: ${(error as Error).message}`, { file });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new RuleError('not a glTF file: the JSON root is not an object', { file });
  }
  const json = parsed as GltfJson;
  const version = json.asset?.version;
  if (typeof version !== 'string') throw new RuleError('not a glTF file: "asset.version" is missing', { file });
  if (!version.startsWith('2.')) throw new RuleError(`glTF ${version} is not supported; only glTF 2.x`, { file });
  return json;
}
