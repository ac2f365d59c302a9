// Shared settings for kiln's local Buildbarn (test peer for remote cooking). Adapted from
// bb-deployments' "bare" setup: everything on 127.0.0.1, ports and folders from the environment
// (Buildbarn passes environment variables to Jsonnet as std.extVar), native build directories.
{
  dir: std.extVar('KILN_BB_DIR'),
  storageAddress: '127.0.0.1:' + std.extVar('KILN_BB_STORAGE_PORT'),
  schedulerClientAddress: '127.0.0.1:' + std.extVar('KILN_BB_SCHEDULER_CLIENT_PORT'),
  schedulerWorkerAddress: '127.0.0.1:' + std.extVar('KILN_BB_SCHEDULER_WORKER_PORT'),
  maximumMessageSizeBytes: 16 * 1024 * 1024,
  blobstore: {
    contentAddressableStorage: { grpc: { client: { address: $.storageAddress } } },
    actionCache: { grpc: { client: { address: $.storageAddress } } },
  },
  localStore(name, blocksBytes, mapBytes, newBlocks): {
    'local': {
      keyLocationMapOnBlockDevice: { file: { path: $.dir + '/' + name + '/key_location_map', sizeBytes: mapBytes } },
      keyLocationMapMaximumGetAttempts: 16,
      keyLocationMapMaximumPutAttempts: 64,
      oldBlocks: 8,
      currentBlocks: 24,
      newBlocks: newBlocks,
      blocksOnBlockDevice: {
        source: { file: { path: $.dir + '/' + name + '/blocks', sizeBytes: blocksBytes } },
        spareBlocks: 3,
      },
    },
  },
}
