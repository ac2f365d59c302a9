// One bb_worker with one bb_runner (concurrency 1), native build directory (no FUSE). Its
// platform says what it can run: Linux with Node and kiln, which is what kiln's actions ask for.
local common = import 'common.libsonnet';
local workerDir = std.extVar('KILN_BB_WORKER_DIR');

{
  blobstore: common.blobstore,
  browserUrl: 'http://127.0.0.1/',
  maximumMessageSizeBytes: common.maximumMessageSizeBytes,
  scheduler: { address: common.schedulerWorkerAddress },
  buildDirectories: [{
    native: {
      buildDirectoryPath: workerDir + '/build',
      cacheDirectoryPath: workerDir + '/cache',
      maximumCacheFileCount: 10000,
      maximumCacheSizeBytes: 1024 * 1024 * 1024,
      cacheReplacementPolicy: 'LEAST_RECENTLY_USED',
    },
    runners: [{
      endpoint: { address: 'unix:' + workerDir + '/runner' },
      concurrency: 1,
      maximumFilePoolFileCount: 10000,
      maximumFilePoolSizeBytes: 1024 * 1024 * 1024,
      platform: {
        properties: [
          { name: 'OSFamily', value: 'linux' },
          { name: 'kiln-runtime', value: 'node' },
        ],
      },
      workerId: { name: std.extVar('KILN_BB_WORKER_NAME') },
    }],
  }],
  filePool: { blockDevice: { file: { path: workerDir + '/filepool', sizeBytes: 1024 * 1024 * 1024 } } },
  inputDownloadConcurrency: 4,
  outputUploadConcurrency: 4,
}
