import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../../../src/hash/digest.js';
import { buildInputRoot } from '../../../src/store/reapi/merkle-tree.js';
import { encodeAction, encodeCommand } from '../../../src/store/reapi/reapi-action.js';

// The spec's messages, to decode what kiln's hand-written encoder produced.
const spec = protobuf.parse(`
  syntax = "proto3";
  message Digest { string hash = 1; int64 size_bytes = 2; }
  message FileNode { string name = 1; Digest digest = 2; bool is_executable = 4; }
  message DirectoryNode { string name = 1; Digest digest = 2; }
  message Directory { repeated FileNode files = 1; repeated DirectoryNode directories = 2; }
  message Property { string name = 1; string value = 2; }
  message Platform { repeated Property properties = 1; }
  message EnvironmentVariable { string name = 1; string value = 2; }
  message Command { repeated string arguments = 1; repeated EnvironmentVariable environment_variables = 2; Platform platform = 5; repeated string output_paths = 7; }
  message Duration { int64 seconds = 1; }
  message Action { Digest command_digest = 1; Digest input_root_digest = 2; Duration timeout = 6; bytes salt = 9; Platform platform = 10; }
`).root;
const decode = (type: string, bytes: Uint8Array) => spec.lookupType(type).toObject(spec.lookupType(type).decode(bytes), { longs: Number }) as Record<string, unknown>;

const a = digestOf(Buffer.from('a'));
const b = digestOf(Buffer.from('bb'));

describe('REAPI input roots', () => {
  it('the empty root is the empty blob, as in every REAPI implementation', () => {
    expect(buildInputRoot([]).root.hash).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('gives the same digest whatever order the files come in, with names sorted in each Directory', () => {
    const one = buildInputRoot([{ path: 'ws/z.txt', digest: a }, { path: 'unit.json', digest: b }, { path: 'ws/lib/x.glsl', digest: a }, { path: 'ws/b.txt', digest: b }]);
    const two = buildInputRoot([{ path: 'ws/lib/x.glsl', digest: a }, { path: 'ws/b.txt', digest: b }, { path: 'unit.json', digest: b }, { path: 'ws/z.txt', digest: a }]);
    expect(one.root).toEqual(two.root);
    const root = one.directories.find((d) => d.digest.hash === one.root.hash)!;
    expect(decode('Directory', root.bytes)).toEqual({
      files: [{ name: 'unit.json', digest: { hash: b.hash, sizeBytes: 2 } }],
      directories: [{ name: 'ws', digest: expect.objectContaining({ hash: expect.stringMatching(/^[0-9a-f]{64}$/) }) }],
    });
    const ws = one.directories.find((d) => d.digest.hash === (decode('Directory', root.bytes).directories as { digest: { hash: string } }[])[0]!.digest.hash)!;
    expect((decode('Directory', ws.bytes).files as { name: string }[]).map((f) => f.name)).toEqual(['b.txt', 'z.txt']);
    for (const directory of one.directories) expect(digestOf(directory.bytes)).toEqual(directory.digest);
  });

  it('refuses paths that are not clean and relative', () => {
    for (const path of ['../x', '/abs', 'a//b', 'a/./b', '']) expect(() => buildInputRoot([{ path, digest: a }])).toThrow(/clean relative path/);
    expect(() => buildInputRoot([{ path: 'a', digest: a }, { path: 'a/b', digest: b }])).toThrow(/runs through a file/);
  });

  it('encodes Command and Action as the spec reads them (sorted environment and outputs)', () => {
    const command = encodeCommand({ arguments: ['/usr/bin/node', 'entry.js'], environment: { Z: '1', A: '2' }, outputPaths: ['z', 'a'], platform: { OSFamily: 'linux' } });
    expect(decode('Command', command.bytes)).toEqual({
      arguments: ['/usr/bin/node', 'entry.js'],
      environmentVariables: [{ name: 'A', value: '2' }, { name: 'Z', value: '1' }],
      platform: { properties: [{ name: 'OSFamily', value: 'linux' }] },
      outputPaths: ['a', 'z'],
    });
    const action = encodeAction({ command: command.digest, inputRoot: a, timeoutSeconds: 600, platform: { OSFamily: 'linux' }, salt: Buffer.from('retry-1') });
    const decoded = decode('Action', action.bytes);
    expect(decoded).toMatchObject({ commandDigest: { hash: command.digest.hash, sizeBytes: command.bytes.byteLength }, inputRootDigest: { hash: a.hash, sizeBytes: 1 }, timeout: { seconds: 600 } });
    expect(encodeAction({ command: command.digest, inputRoot: a, timeoutSeconds: 600, platform: { OSFamily: 'linux' } }).digest).not.toEqual(action.digest);
  });
});
