/**
 * grpcs:// and https:// with a private CA and client certificates (mTLS) against a real bazel-remote: the
 * certificates come from KILN_REMOTE_TLS_* files, a client without a certificate is refused
 * (one warning, local build), and nothing secret is ever printed. Certificates are made with
 * openssl in a temp folder.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BazelRemoteServer, bazelRemoteSkipReason, startBazelRemote } from '../support/bazel-remote.js';
import { fakeBuild } from './fake-build.js';
import { stackFixture } from './stack-fixture.js';

const skip = bazelRemoteSkipReason() ?? (existsSync('/usr/bin/openssl') ? undefined : 'openssl missing');
const fixture = stackFixture();

function makeCertificates(dir: string): Record<'ca' | 'serverCert' | 'serverKey' | 'clientCert' | 'clientKey', string> {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=kiln test CA', '-keyout', 'ca.key', '-out', 'ca.pem');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const who of ['server', 'client']) {
    run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${who}`, '-keyout', `${who}.key`, '-out', `${who}.csr`);
    run('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', `${who}.pem`, ...(who === 'server' ? ['-extfile', 'server.ext'] : []));
  }
  const at = (name: string) => join(dir, name);
  return { ca: at('ca.pem'), serverCert: at('server.pem'), serverKey: at('server.key'), clientCert: at('client.pem'), clientKey: at('client.key') };
}

describe.skipIf(skip !== undefined)('team cache over grpcs:// and https:// with mTLS (bazel-remote)', () => {
  let dir: string;
  let certs: ReturnType<typeof makeCertificates>;
  let server: BazelRemoteServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-mtls-'));
    certs = makeCertificates(dir);
    server = await startBazelRemote({
      certFile: certs.serverCert,
      keyFile: certs.serverKey,
      caFile: certs.ca,
      probe: { ca: readFileSync(certs.ca), cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) },
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => fixture.cleanup());

  for (const protocol of ['grpcs', 'https'] as const) {
    const urlOf = () => (protocol === 'grpcs' ? server.grpcUrl : server.httpUrl);

    it(`${protocol}: with the CA and a client certificate, CI fills it and a clean machine executes nothing`, async () => {
      const env = { KILN_REMOTE_TLS_CA: certs.ca, KILN_REMOTE_TLS_CERT: certs.clientCert, KILN_REMOTE_TLS_KEY: certs.clientKey, KILN_CACHE_HMAC_KEY: 'k' };
      expect(urlOf()).toMatch(new RegExp(`^${protocol}:`));
      const ci = await fixture.make({ url: urlOf(), mode: 'read-write' }, env);
      const first = await fakeBuild(ci.stack, 3, `mtls-${protocol}`);
      expect(await ci.stack.flush?.()).toEqual([]);
      expect(ci.printed).toEqual([]);
      const laptop = await fixture.make({ url: urlOf(), mode: 'read' }, env);
      expect(await fakeBuild(laptop.stack, 3, `mtls-${protocol}`)).toEqual({ executed: 0, outputs: first.outputs });
    });

    it(`${protocol}: without a client certificate, refused with one warning; the build is local and right`, async () => {
      const laptop = await fixture.make({ url: urlOf(), mode: 'read', timeoutMs: 2000 }, { KILN_REMOTE_TLS_CA: certs.ca });
      const build = await fakeBuild(laptop.stack, 3, `no-cert-${protocol}`);
      expect(build.executed).toBe(3);
      expect(laptop.printed).toHaveLength(1);
      expect(laptop.printed[0]).toMatch(new RegExp(`^remote cache ${protocol}://127\\.0\\.0\\.1:\\d+ `));
      expect(laptop.printed[0]).not.toContain(dir);
    });
  }

  it('an unreadable TLS file is a plain configuration error naming the variable', async () => {
    await expect(fixture.make({ url: server.grpcUrl, mode: 'read' }, { KILN_REMOTE_TLS_CA: join(dir, 'nope.pem') })).rejects.toThrow(/KILN_REMOTE_TLS_CA: cannot read/);
  });
});
