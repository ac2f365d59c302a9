/**
 * Loads kiln's REAPI `.proto` subset (proto/, written from the published spec) once and hands
 * out typed method definitions. The .proto files are read from the source tree, which ships in
 * the package next to dist/.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { PackageDefinition, ServiceDefinition } from '@grpc/proto-loader';
import type * as ProtoLoader from '@grpc/proto-loader';
import { createRequire } from 'node:module';
import type * as M from './reapi-messages.js';

function protoDir(): string {
  // Next to this file when run from src/ (tests); from dist/src/store/reapi/, back in src/.
  const beside = fileURLToPath(new URL('./proto/', import.meta.url));
  if (existsSync(beside)) return beside;
  return fileURLToPath(new URL('../../../../src/store/reapi/proto/', import.meta.url));
}

let loaded: PackageDefinition | undefined;

function definitions(): PackageDefinition {
  if (loaded) return loaded;
  // Required on first use, not at import: proto-loader brings protobufjs (~40 CommonJS modules),
  // which a `kiln build` without a REAPI server never needs.
  const { loadSync } = createRequire(import.meta.url)('@grpc/proto-loader') as typeof ProtoLoader;
  loaded = loadSync(['reapi.proto', 'bytestream.proto'], {
    includeDirs: [protoDir()],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  return loaded;
}

/** The loaded definitions (services by full name), e.g. to serve them in a test peer. */
export function reapiDefinitions(): PackageDefinition {
  return definitions();
}

function method<Req, Res>(service: string, name: string): MethodDefinition<Req, Res> {
  const definition = definitions()[service] as ServiceDefinition | undefined;
  const found = definition?.[name];
  if (!found) throw new Error(`REAPI proto subset has no ${service}.${name}`);
  return found as unknown as MethodDefinition<Req, Res>;
}

const V2 = 'build.bazel.remote.execution.v2';

export const reapiMethods = {
  getCapabilities: () => method<M.GetCapabilitiesRequest, M.ServerCapabilities>(`${V2}.Capabilities`, 'GetCapabilities'),
  findMissingBlobs: () => method<M.FindMissingBlobsRequest, M.FindMissingBlobsResponse>(`${V2}.ContentAddressableStorage`, 'FindMissingBlobs'),
  batchUpdateBlobs: () => method<M.BatchUpdateBlobsRequest, M.BatchUpdateBlobsResponse>(`${V2}.ContentAddressableStorage`, 'BatchUpdateBlobs'),
  batchReadBlobs: () => method<M.BatchReadBlobsRequest, M.BatchReadBlobsResponse>(`${V2}.ContentAddressableStorage`, 'BatchReadBlobs'),
  getActionResult: () => method<M.GetActionResultRequest, M.WireActionResult>(`${V2}.ActionCache`, 'GetActionResult'),
  updateActionResult: () => method<M.UpdateActionResultRequest, M.WireActionResult>(`${V2}.ActionCache`, 'UpdateActionResult'),
  execute: () => method<M.ExecuteRequest, M.Operation>(`${V2}.Execution`, 'Execute'),
  waitExecution: () => method<M.WaitExecutionRequest, M.Operation>(`${V2}.Execution`, 'WaitExecution'),
  read: () => method<M.ByteStreamReadRequest, M.ByteStreamReadResponse>('google.bytestream.ByteStream', 'Read'),
  write: () => method<M.ByteStreamWriteRequest, M.ByteStreamWriteResponse>('google.bytestream.ByteStream', 'Write'),
};
