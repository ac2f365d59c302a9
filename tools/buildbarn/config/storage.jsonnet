// bb_storage: the CAS and action cache, and the front door kiln talks to (Execute is forwarded
// to the scheduler, as bb-deployments' frontend does).
local common = import 'common.libsonnet';

{
  grpcServers: [{
    listenAddresses: [common.storageAddress],
    authenticationPolicy: { allow: {} },
  }],
  maximumMessageSizeBytes: common.maximumMessageSizeBytes,
  contentAddressableStorage: {
    backend: common.localStore('storage-cas', 2 * 1024 * 1024 * 1024, 64 * 1024 * 1024, 3),
    getAuthorizer: { allow: {} },
    putAuthorizer: { allow: {} },
    findMissingAuthorizer: { allow: {} },
  },
  actionCache: {
    backend: common.localStore('storage-ac', 64 * 1024 * 1024, 4 * 1024 * 1024, 1),
    getAuthorizer: { allow: {} },
    putAuthorizer: { allow: {} },
  },
  schedulers: {
    '': { endpoint: { address: common.schedulerClientAddress } },
  },
  executeAuthorizer: { allow: {} },
}
