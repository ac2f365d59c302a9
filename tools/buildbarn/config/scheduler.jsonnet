local common = import 'common.libsonnet';

{
  adminHttpServers: [{
    listenAddresses: ['127.0.0.1:' + std.extVar('KILN_BB_SCHEDULER_ADMIN_PORT')],
    authenticationPolicy: { allow: {} },
  }],
  clientGrpcServers: [{
    listenAddresses: [common.schedulerClientAddress],
    authenticationPolicy: { allow: {} },
  }],
  workerGrpcServers: [{
    listenAddresses: [common.schedulerWorkerAddress],
    authenticationPolicy: { allow: {} },
  }],
  browserUrl: 'http://127.0.0.1/',
  contentAddressableStorage: common.blobstore.contentAddressableStorage,
  maximumMessageSizeBytes: common.maximumMessageSizeBytes,
  executeAuthorizer: { allow: {} },
  modifyDrainsAuthorizer: { allow: {} },
  killOperationsAuthorizer: { allow: {} },
  synchronizeAuthorizer: { allow: {} },
  actionRouter: {
    simple: {
      platformKeyExtractor: { action: {} },
      invocationKeyExtractors: [],
      initialSizeClassAnalyzer: {
        defaultExecutionTimeout: '600s',
        maximumExecutionTimeout: '1800s',
      },
    },
  },
  platformQueueWithNoWorkersTimeout: '900s',
}
