import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffCommand } from '../../src/cli/commands/diff.js';
import type { CommandIO } from '../../src/cli/command.js';
import { forestLevel, texture } from './support/synthetic-assets.js';
import { sampleBundle } from '../runtime/support/sample-bundle.js';

const tmp = await mkdtemp(join(tmpdir(), 'kiln-diff-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

function io(): CommandIO & { out: string; err: string } {
  const sink = { out: '', err: '' };
  return Object.assign(sink, {
    cwd: tmp,
    env: {},
    isTTY: false,
    stdout: (t: string) => void (sink.out += t),
    stderr: (t: string) => void (sink.err += t),
  });
}

describe('kiln diff', () => {
  it('lists only the bundle holding the changed asset as the download', async () => {
    const before = await sampleBundle(forestLevel(), { group_by: 'type' });
    const edited = forestLevel().map((a) => (a.dep.label === '//levels/forest:bark' ? texture('//levels/forest:bark', { size: 64, priority: 'high', seed: 5 }) : a));
    const after = await sampleBundle(edited, { group_by: 'type' });
    await writeFile(join(tmp, 'old.json'), before.catalog);
    await writeFile(join(tmp, 'new.json'), after.catalog);
    const out = io();
    expect(await diffCommand.run({ values: {}, positionals: ['old.json', 'new.json'] }, out)).toBe(0);
    expect(out.out).toMatch(/download 1 bundle\(s\)/);
    expect(out.out).toContain('~ bundle.texture.tar');
    expect(out.out).toMatch(/changed assets \(1\):\n {2}\/\/levels\/forest:bark/);
    const json = io();
    await diffCommand.run({ values: { json: true }, positionals: ['old.json', 'new.json'] }, json);
    expect(JSON.parse(json.out).download.map((d: { file: string }) => d.file)).toEqual(['bundle.texture.tar']);
  });

  it('says nothing needs downloading for identical catalogs', async () => {
    const out = io();
    await diffCommand.run({ values: {}, positionals: ['old.json', 'old.json'] }, out);
    expect(out.out).toMatch(/nothing to download/);
  });

  it('fails clearly on a corrupt catalog and on bad usage', async () => {
    await writeFile(join(tmp, 'bad.json'), '{"kind":"kiln-catalog"');
    const out = io();
    expect(await diffCommand.run({ values: {}, positionals: ['old.json', 'bad.json'] }, out)).toBe(1);
    expect(out.err).toMatch(/bad\.json/);
    expect(await diffCommand.run({ values: {}, positionals: ['old.json'] }, io())).toBe(2);
  });
});
