/**
 * TypeScript shapes of the REAPI messages kiln sends and receives, as @grpc/proto-loader
 * produces them (camelCase fields, int64 as decimal strings, enums as their names).
 */
export interface WireDigest {
  hash: string;
  sizeBytes: string | number;
}

export interface WireStatus {
  code: number;
  message: string;
}

export interface WireOutputFile {
  path: string;
  digest: WireDigest | null;
  isExecutable?: boolean;
  contents?: Uint8Array;
}

export interface WireActionResult {
  outputFiles: WireOutputFile[];
  exitCode: number;
  stdoutRaw?: Uint8Array;
  stderrRaw?: Uint8Array;
  stdoutDigest?: WireDigest | null;
  stderrDigest?: WireDigest | null;
}

export type DigestFunctionName = 'UNKNOWN' | 'SHA256' | 'SHA1' | 'MD5' | 'VSO' | 'SHA384' | 'SHA512' | 'MURMUR3' | 'SHA256TREE' | 'BLAKE3' | 'GITSHA1';

export interface GetActionResultRequest {
  instanceName: string;
  actionDigest: WireDigest;
  digestFunction: DigestFunctionName;
}

export interface UpdateActionResultRequest {
  instanceName: string;
  actionDigest: WireDigest;
  actionResult: WireActionResult;
  digestFunction: DigestFunctionName;
}

export interface FindMissingBlobsRequest {
  instanceName: string;
  blobDigests: WireDigest[];
  digestFunction: DigestFunctionName;
}

export interface FindMissingBlobsResponse {
  missingBlobDigests: WireDigest[];
}

export interface BatchUpdateBlobsRequest {
  instanceName: string;
  requests: { digest: WireDigest; data: Uint8Array }[];
  digestFunction: DigestFunctionName;
}

export interface BatchUpdateBlobsResponse {
  responses: { digest: WireDigest | null; status: WireStatus | null }[];
}

export interface BatchReadBlobsRequest {
  instanceName: string;
  digests: WireDigest[];
  digestFunction: DigestFunctionName;
}

export interface BatchReadBlobsResponse {
  responses: { digest: WireDigest | null; data: Uint8Array; status: WireStatus | null; compressor: string }[];
}

export interface GetCapabilitiesRequest {
  instanceName: string;
}

export interface ServerCapabilities {
  cacheCapabilities: {
    digestFunctions: DigestFunctionName[];
    actionCacheUpdateCapabilities: { updateEnabled: boolean } | null;
    maxBatchTotalSizeBytes: string;
    maxCasBlobSizeBytes: string;
  } | null;
  executionCapabilities: {
    digestFunction: DigestFunctionName;
    execEnabled: boolean;
    digestFunctions: DigestFunctionName[];
  } | null;
}

export interface ByteStreamReadRequest {
  resourceName: string;
  readOffset: number;
  readLimit: number;
}

export interface ByteStreamReadResponse {
  data: Uint8Array;
}

export interface ByteStreamWriteRequest {
  resourceName: string;
  writeOffset: number;
  finishWrite: boolean;
  data: Uint8Array;
}

export interface ByteStreamWriteResponse {
  committedSize: string;
}

export interface ExecuteRequest {
  instanceName: string;
  skipCacheLookup: boolean;
  actionDigest: WireDigest;
  digestFunction: DigestFunctionName;
}

export interface ExecuteResponse {
  result: WireActionResult | null;
  cachedResult: boolean;
  status: WireStatus | null;
  message: string;
}

export interface Operation {
  name: string;
  done: boolean;
  error?: WireStatus | null;
  response?: { typeUrl: string; value: ExecuteResponse | null } | null;
  result?: 'error' | 'response';
}

export interface WaitExecutionRequest {
  name: string;
}
