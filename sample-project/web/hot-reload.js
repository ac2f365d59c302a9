// The hot-reload demo page's module (plain browser ESM; imports the compiled runtime from dist/).
import { HotReloadClient } from '/dist/src/runtime/hot-reload-client.js';

const params = new URLSearchParams(location.search);
const server = params.get('server') ?? 'http://127.0.0.1:7357';
const label = params.get('label') ?? '//levels/forest:grass';
const canvas = document.getElementById('view');
const status = document.getElementById('status');
const state = { draws: 0, error: undefined, client: undefined };
window.hotReload = state;

function draw(texture) {
  const mip = texture.mips[0];
  if (!mip || texture.format !== 'rgba8') {
    status.textContent = `${texture.label}: format ${texture.format} — this page draws rgba8 textures only`;
    return;
  }
  canvas.width = mip.width;
  canvas.height = mip.height;
  const pixels = new Uint8ClampedArray(mip.bytes.buffer, mip.bytes.byteOffset, mip.width * mip.height * 4);
  canvas.getContext('2d').putImageData(new ImageData(pixels, mip.width, mip.height), 0, 0);
  state.draws++;
}

function showMetrics(client) {
  const m = client.metrics();
  status.textContent = `${label}: ${state.draws} draws, ${m.reloadsPerMinute} reloads/min, save→screen p50 ${m.latency.p50.toFixed(1)} ms, p95 ${m.latency.p95.toFixed(1)} ms`;
}

try {
  const client = new HotReloadClient({ url: server });
  state.client = client;
  client.onReload('texture', (event) => {
    if (event.label !== label) return;
    draw(event.asset);
  });
  client.on('reload', () => showMetrics(client));
  client.on('error', (message) => (status.textContent = `${message.file ?? message.label}:${message.line ?? ''} ${message.message}`));
  await client.connect();
  const live = await client.live(label);
  draw(live.current);
  showMetrics(client);
} catch (error) {
  state.error = String(error);
  status.textContent = `error: ${error}`;
}
