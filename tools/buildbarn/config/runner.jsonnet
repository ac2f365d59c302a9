local workerDir = std.extVar('KILN_BB_WORKER_DIR');

{
  buildDirectoryPath: workerDir + '/build',
  grpcServers: [{
    listenPaths: [workerDir + '/runner'],
    authenticationPolicy: { allow: {} },
  }],
}
