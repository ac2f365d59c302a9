import { describe, expect, it } from 'vitest';
import { resolveRemoteCacheOptions } from '../../src/store/remote-cache-config.js';
import { parseRemoteUrl, redactUrl } from '../../src/store/remote-url.js';

describe('resolveRemoteCacheOptions', () => {
  const yaml = { url: 'http://yaml:8080/', mode: 'read-write', timeout_ms: 3000 };

  it('has no remote when nothing configures one', () => {
    expect(resolveRemoteCacheOptions({ env: {} })).toBeUndefined();
  });

  it('takes assets.yaml when nothing overrides it', () => {
    expect(resolveRemoteCacheOptions({ env: {}, yaml })).toEqual({ url: 'http://yaml:8080/', mode: 'read-write', timeoutMs: 3000 });
  });

  it('prefers the environment to yaml, and the flag to both', () => {
    const env = { KILN_REMOTE_CACHE: 'http://env/', KILN_REMOTE_CACHE_MODE: 'read', KILN_REMOTE_CACHE_TIMEOUT_MS: '700' };
    expect(resolveRemoteCacheOptions({ env, yaml })).toEqual({ url: 'http://env/', mode: 'read', timeoutMs: 700 });
    expect(resolveRemoteCacheOptions({ env, yaml, flagUrl: 'http://flag/', flagMode: 'read-write' })).toEqual({
      url: 'http://flag/',
      mode: 'read-write',
      timeoutMs: 700,
    });
  });

  it('defaults to read mode so developer machines never upload by accident', () => {
    expect(resolveRemoteCacheOptions({ env: { KILN_REMOTE_CACHE: 'http://env/' } })?.mode).toBe('read');
  });

  it('an empty flag turns a yaml cache off; an empty env variable counts as unset', () => {
    expect(resolveRemoteCacheOptions({ env: {}, yaml, flagUrl: '' })).toBeUndefined();
    expect(resolveRemoteCacheOptions({ env: { KILN_REMOTE_CACHE: '' }, yaml })?.url).toBe('http://yaml:8080/');
  });

  it('rejects a bad mode or timeout with a plain message', () => {
    expect(() => resolveRemoteCacheOptions({ env: {}, flagUrl: 'http://x/', flagMode: 'write' })).toThrow(
      'remote cache mode must be "read" or "read-write", got "write"',
    );
    expect(() => resolveRemoteCacheOptions({ env: { KILN_REMOTE_CACHE_TIMEOUT_MS: 'soon' }, yaml })).toThrow(/timeout/);
  });
});

describe('remote URLs', () => {
  it('lift credentials out of the URL and never show them', () => {
    const url = parseRemoteUrl('https://ci%40studio:p%3Ass@cache.example/kiln?token=abc');
    expect(url).toEqual({
      base: 'https://cache.example/kiln/',
      query: '?token=abc',
      display: 'https://cache.example/kiln?…',
      protocol: 'http',
      user: 'ci@studio',
      password: 'p:ss',
    });
    expect(redactUrl('http://u:secret@host:1/x')).toBe('http://host:1/x');
    expect(redactUrl('not a url //u:secret@host?x=1')).toBe('not a url //host?…');
  });

  it('take grpc:// and grpcs:// REAPI servers, with the path as the instance name', () => {
    expect(parseRemoteUrl('grpc://cache:9092').grpc).toEqual({ target: 'cache:9092', tls: false, instanceName: '' });
    expect(parseRemoteUrl('grpcs://cache.example/team/main/')).toMatchObject({
      protocol: 'grpc',
      display: 'grpcs://cache.example:443/team/main',
      grpc: { target: 'cache.example:443', tls: true, instanceName: 'team/main' },
    });
    expect(() => parseRemoteUrl('grpc://cache')).toThrow(/needs a host and a port/);
    expect(() => parseRemoteUrl('grpc://u:secret@cache:1')).toThrow(/KILN_REMOTE_TOKEN/);
  });

  it('refuse what is neither http(s) nor grpc(s)', () => {
    expect(() => parseRemoteUrl('ftp://cache:21')).toThrow(/http:\/\/, https:\/\/, grpc:\/\/ or grpcs:\/\//);
    expect(() => parseRemoteUrl('::nonsense')).toThrow(/not a valid URL/);
  });
});
