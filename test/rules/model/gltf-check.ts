/** Independent checks on cooked GLBs: validator report, and meshopt-compressed files decoded first. */
import { Logger, NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import validator from 'gltf-validator';
import { MeshoptDecoder } from 'meshoptimizer';

export interface Report {
  issues: { numErrors: number; numWarnings: number; messages: { code: string; message: string; severity: number }[] };
}

export async function validate(bytes: Uint8Array): Promise<Report> {
  return validator.validateBytes(bytes, { uri: 'out.glb', writeTimestamp: false, maxIssues: 20 });
}

/** Reads a GLB (decoding EXT_meshopt_compression), returns the document and its plain re-encoding. */
export async function decode(bytes: Uint8Array) {
  await MeshoptDecoder.ready;
  const io = new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies({ 'meshopt.decoder': MeshoptDecoder });
  const doc = await io.readBinary(bytes);
  doc.setLogger(new Logger(Logger.Verbosity.ERROR));
  const usesMeshopt = doc.getRoot().listExtensionsUsed().some((e) => e.extensionName === 'EXT_meshopt_compression');
  for (const ext of doc.getRoot().listExtensionsUsed()) if (ext.extensionName === 'EXT_meshopt_compression') ext.dispose();
  const plain = await io.writeBinary(doc);
  return { doc, plain, usesMeshopt, json: glbJson(bytes) };
}

export function errorsOf(report: Report): string[] {
  return report.issues.messages.filter((m) => m.severity === 0).map((m) => `${m.code}: ${m.message}`);
}

/** The JSON chunk of a GLB, parsed (works for files glTF-Transform cannot read back). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function glbJson(bytes: Uint8Array): any {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + length)));
}

/** The BIN chunk of a GLB (the bytes buffer 0 refers to). */
export function glbBin(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(12, true);
  const at = 20 + jsonLength;
  return bytes.subarray(at + 8, at + 8 + view.getUint32(at, true));
}
