/**
 * Hot-reload latency: save → client `changed` event (and → new version decoded in the client),
 * p50/p95, for a small `data` asset and a 1024² texture (platform default: BC7 on desktop), on a
 * real watch session with a Node WebSocket client. The rule's cook time (from the event) is
 * reported apart from kiln's own overhead (everything else: file event, debounce, build
 * bookkeeping, part hashing, WebSocket). Goal for the small asset: p50 ≤ 20 ms.
 *
 * Run: `npm run bench` (all), or after `npm run build`: `node dist/bench/run.js watch`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { builtinRules } from '../rules/index.js';
import { loadSharp } from '../rules/texture/decode-image.js';
import { Builder } from '../src/engine/builder.js';
import { createRegistry } from '../src/rule/registry.js';
import { HotReloadClient } from '../src/runtime/hot-reload-client.js';
import type { ChangedMessage } from '../src/format/hot-reload-protocol.js';
import type { SocketConstructor } from '../src/runtime/hot-reload-socket.js';
import { DiskActionCache } from '../src/store/disk-action-cache.js';
import { DiskBlobStore } from '../src/store/disk-blob-store.js';
import { startWatch } from '../src/watch/watch-session.js';
import { Workspace } from '../src/workspace/workspace.js';

const DATA_RUNS = Number(process.env.KILN_WATCH_BENCH_DATA ?? 60);
const TEXTURE_RUNS = Number(process.env.KILN_WATCH_BENCH_TEXTURE ?? 6);
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sample {
  changed: number;
  applied: number;
  cook: number;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function texturePng(size: number, seed: number): Promise<Buffer> {
  const sharp = await loadSharp();
  const raw = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) raw.set([(x * 255) / size, (y * 255) / size, (seed * 37 + ((x ^ y) & 63)) & 255], (y * size + x) * 3);
  }
  return sharp(raw, { raw: { width: size, height: size, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
}

export async function bench(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'kiln-watch-bench-'));
  const write = (rel: string, content: string | Uint8Array) => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), content);
  };
  write('assets.yaml', 'workspace:\n  name: bench\n  packages: pkgs\ndefault_platform: desktop\nplatforms:\n  desktop: {}\n');
  write('pkgs/game/assets.yaml', 'targets:\n  stats: { rule: data, srcs: [stats.json] }\n  wall: { rule: texture, srcs: [wall.png] }\n');
  write('pkgs/game/stats.json', '{"hp": 0}');
  const pngs = await Promise.all([0, 1, 2, 3].map((seed) => texturePng(1024, seed)));
  write('pkgs/game/wall.png', pngs[0]!);
  const workspace = Workspace.at(root, createRegistry(builtinRules()));
  const cacheDir = workspace.config.cacheDir;
  const builder = new Builder({ workspace, cache: { blobs: new DiskBlobStore(join(cacheDir, 'cas')), actions: new DiskActionCache(join(cacheDir, 'ac')) } });
  const session = await startWatch({ builder, patterns: ['//game:all'] });
  const client = new HotReloadClient({ url: session.url, WebSocket: WebSocket as unknown as SocketConstructor });
  await client.connect();
  // Handlers make the client fetch and decode each new version, as a game would.
  client.onReload('data', () => undefined);
  client.onReload('texture', () => undefined);

  const measure = async (label: string, save: (i: number) => void, runs: number): Promise<Sample[]> => {
    const samples: Sample[] = [];
    for (let i = 1; i <= runs; i++) {
      await session.loop.idle();
      await sleep(30);
      let changedAt = 0;
      let message: ChangedMessage | undefined;
      const offChanged = client.on('changed', (m) => {
        if (m.label === label && !message) (message = m), (changedAt = now());
      });
      const applied = new Promise<number>((resolve) => {
        const off = client.on('reload', (event) => {
          if (event.label === label) off(), resolve(now());
        });
      });
      const savedAt = now();
      save(i);
      const appliedAt = await applied;
      offChanged();
      samples.push({ changed: changedAt - savedAt, applied: appliedAt - savedAt, cook: message?.cookMs ?? 0 });
    }
    return samples;
  };

  const data = await measure('//game:stats', (i) => writeFileSync(join(root, 'pkgs/game/stats.json'), `{"hp": ${i}}`), DATA_RUNS);
  const texture = await measure('//game:wall', (i) => writeFileSync(join(root, 'pkgs/game/wall.png'), pngs[i % pngs.length]!), TEXTURE_RUNS);
  const clientMetrics = client.metrics();
  client.close();
  await session.close();
  rmSync(root, { recursive: true, force: true });

  const row = (name: string, samples: Sample[]) => {
    const changed = samples.map((s) => s.changed);
    const cook = samples.map((s) => s.cook);
    const overhead = samples.map((s) => s.changed - s.cook);
    const applied = samples.map((s) => s.applied);
    const f = (v: number) => v.toFixed(1);
    return `| ${name} | ${samples.length} | ${f(quantile(changed, 0.5))} | ${f(quantile(changed, 0.95))} | ${f(quantile(cook, 0.5))} | ${f(quantile(overhead, 0.5))} | ${f(quantile(overhead, 0.95))} | ${f(quantile(applied, 0.5))} | ${f(quantile(applied, 0.95))} |`;
  };
  const dataP50 = quantile(data.map((s) => s.changed), 0.5);
  return [
    '### Hot reload: save → client',
    '',
    'A real `kiln watch` session (in-process) and a Node WebSocket client on the same machine. "changed" is',
    'write() → the `changed` event received by the client; "applied" adds fetching the new blob by digest,',
    'verifying and decoding it. Overhead = changed − the rule\'s cook time for that asset.',
    '',
    '| asset | saves | changed p50 ms | changed p95 ms | cook p50 ms | overhead p50 ms | overhead p95 ms | applied p50 ms | applied p95 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('data (10-byte JSON)', data),
    row('texture 1024² PNG → BC7 KTX2 + mips', texture),
    '',
    `Small-asset goal p50 ≤ 20 ms: ${dataP50 <= 20 ? 'met' : 'NOT met'} (${dataP50.toFixed(1)} ms). Client histogram over all reloads: ` +
      clientMetrics.latency.buckets.filter((b) => b.count > 0).map((b) => `≤${b.le === Infinity ? '∞' : b.le} ms: ${b.count}`).join(', ') +
      '.',
    '',
  ].join('\n');
}

if (process.argv[1]?.endsWith('watch.bench.js')) console.log(await bench());
