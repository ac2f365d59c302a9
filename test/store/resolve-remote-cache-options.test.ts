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
      user: 'ci@studio',
      password: 'p:ss',
    });
    expect(redactUrl('http://u:secret@host:1/x')).toBe('http://host:1/x');
    expect(redactUrl('not a url //u:secret@host?x=1')).toBe('not a url //host?…');
  });

  it('refuse what is not http(s)', () => {
    expect(() => parseRemoteUrl('grpc://cache:9092')).toThrow(/http:\/\/ or https:\/\//);
    expect(() => parseRemoteUrl('::nonsense')).toThrow(/not a valid URL/);
  });
});
