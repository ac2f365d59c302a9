// Streams one texture from a kiln bundle and draws the finest mip available after every part.
// Uses only the browser build of `kiln/runtime` (served as /kiln-runtime.js by serve.mjs).
import { httpSource, openCatalog } from './kiln-runtime.js';

const params = new URLSearchParams(location.search);
const catalogUrl = new URL(params.get('catalog') ?? '/kiln-out/levels/forest/bundle.catalog.json', location.href);
const label = params.get('asset') ?? '//levels/forest:bark';
const bandwidth = Number(params.get('bandwidth') ?? 65536);

const canvas = document.getElementById('view');
const status = document.getElementById('status');
const log = document.getElementById('log');
const ctx = canvas.getContext('2d', { willReadFrequently: true });

/** What a test (or a curious human) can read back: one record per arrived part. */
window.kilnProgress = [];
window.kilnDone = false;
window.kilnError = null;

/** R8G8B8A8 UNORM / SRGB: drawable as is. Block-compressed formats need a GPU upload instead. */
const RGBA8 = new Set([37, 43]);

function draw(texture) {
  const mip = texture.mips[texture.baseLevel];
  if (!mip) return false;
  if (!RGBA8.has(texture.vkFormat)) {
    status.textContent = `${label}: ${texture.format} mips arrive (level ${mip.level}); a 2D canvas cannot show block-compressed data`;
    return false;
  }
  const image = new ImageData(new Uint8ClampedArray(mip.bytes.buffer, mip.bytes.byteOffset, mip.width * mip.height * 4), mip.width, mip.height);
  const small = new OffscreenCanvas(mip.width, mip.height);
  small.getContext('2d').putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
  return true;
}

function canvasChecksum() {
  const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let hash = 2166136261;
  for (let i = 0; i < pixels.length; i += 7) hash = Math.imul(hash ^ pixels[i], 16777619) >>> 0;
  return hash.toString(16);
}

try {
  const catalog = await openCatalog(httpSource(catalogUrl), { bandwidth });
  const started = performance.now();
  const handle = catalog.stream(label);
  handle.on('part', (texture, part) => {
    if (texture.type !== 'texture') return;
    const drawn = draw(texture);
    const record = { kind: part?.kind ?? 'whole', level: texture.baseLevel, fraction: handle.loadedFraction, drawn, checksum: drawn ? canvasChecksum() : null, ms: Math.round(performance.now() - started) };
    window.kilnProgress.push(record);
    log.textContent += `${String(record.ms).padStart(5)} ms  ${record.kind.padEnd(6)} level ${record.level}  ${(record.fraction * 100).toFixed(1)}%\n`;
    status.textContent = `${label}: mip ${texture.baseLevel} of ${texture.mipCount}, ${(handle.loadedFraction * 100).toFixed(0)}% loaded`;
  });
  const texture = await handle.done;
  const m = catalog.metrics();
  status.textContent = `${label}: ${texture.width}×${texture.height} ${texture.format}, ${m.bytesRead} bytes in ${m.reads} range reads`;
  window.kilnMetrics = m;
  window.kilnDone = true;
} catch (error) {
  window.kilnError = String(error);
  status.textContent = `error: ${error}`;
}
