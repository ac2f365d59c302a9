import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../src/format/hot-reload-protocol.js';
import { startWatch, type WatchSession } from '../../src/watch/watch-session.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { openTestBuilder } from './support/watch-fixture.js';

const ASSETS = 30;

function level(): Record<string, string> {
  const files: Record<string, string> = {};
  const lines = ['defaults:', '  bundle: { compression: none }', 'targets:'];
  const names: string[] = [];
  for (let i = 0; i < ASSETS; i++) {
    files[`pkgs/lvl/a${i}.bin`] = `asset ${i}\n`;
    lines.push(`  a${i}: { rule: files, srcs: [a${i}.bin] }`);
    names.push(`":a${i}"`);
  }
  lines.push(`  bundle: { rule: bundle, deps: [${names.join(', ')}] }`);
  files['pkgs/lvl/assets.yaml'] = `${lines.join('\n')}\n`;
  return files;
}

let ws: TempWorkspace;
let session: WatchSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
  ws?.cleanup();
});

const until = (check: () => boolean, ms = 20_000) =>
  new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const tick = () => (check() ? resolve() : Date.now() - started > ms ? reject(new Error('timed out')) : setTimeout(tick, 5));
    tick();
  });

describe('the rebuild loop', () => {
  it('announces an edited asset, with its kiln-out file written, before the bundle holding it re-cooks', async () => {
    ws = tempWorkspace(level());
    const messages: ServerMessage[] = [];
    const outFile = join(ws.root, 'kiln-out/desktop/lvl/a7.bin');
    const bundleFile = join(ws.root, 'kiln-out/desktop/lvl/bundle.tar');
    let outAtChanged: string | undefined;
    let bundleAtChanged: string | undefined;
    const builder = openTestBuilder(ws.root);
    session = await startWatch({
      builder,
      patterns: ['//...'],
      onMessage: (message) => {
        messages.push(message);
        if (message.type === 'changed' && message.label === '//lvl:a7' && message.build > 1) {
          outAtChanged = readFileSync(outFile, 'utf8');
          bundleAtChanged = readFileSync(bundleFile, 'latin1');
        }
      },
    });
    const from = messages.length;
    writeFileSync(join(ws.root, 'pkgs/lvl/a7.bin'), 'asset 7, edited\n');
    await until(() => messages.slice(from).some((m) => m.type === 'build-finished'));
    await session.loop.idle();
    const order = messages.slice(from).map((m) => m.type + ('label' in m ? ` ${m.label}` : ''));
    expect(order).toEqual(['build-started', 'changed //lvl:a7', 'changed //lvl:bundle', 'build-finished']);
    expect(outAtChanged).toBe('asset 7, edited\n');
    // The bundle in kiln-out was still the old one then; it holds the edit once the build is done.
    expect(bundleAtChanged).toContain('asset 7\n');
    expect(bundleAtChanged).not.toContain('asset 7, edited');
    expect(readFileSync(bundleFile, 'latin1')).toContain('asset 7, edited');
    const finished = messages.slice(from).find((m) => m.type === 'build-finished');
    expect(finished).toMatchObject({ executed: 2, cached: ASSETS - 1, failed: 0 });
  });

  it('saves the request graph after each rebuild: a fresh builder on the same cache has nothing to cook', async () => {
    ws = tempWorkspace(level());
    const builder = openTestBuilder(ws.root);
    const changed: string[] = [];
    session = await startWatch({ builder, patterns: ['//...'], onMessage: (m) => void (m.type === 'changed' && m.build > 1 && changed.push(m.label)) });
    writeFileSync(join(ws.root, 'pkgs/lvl/a3.bin'), 'asset 3, edited\n');
    await until(() => changed.includes('//lvl:bundle'));
    await session.loop.idle();
    const fresh = openTestBuilder(ws.root);
    const summary = await fresh.build({ patterns: ['//...'], record: false });
    expect([summary.executed, summary.cached, summary.failed]).toEqual([0, ASSETS + 1, 0]);
    expect(existsSync(join(ws.root, 'kiln-out/desktop/lvl/bundle.tar'))).toBe(true);
    await fresh.close();
  });
});
