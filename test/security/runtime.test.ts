/**
 * The runtime reader (`kiln/runtime`) against bundles and servers that lie: an index with a valid
 * checksum whose part indices would size huge arrays, decompression bombs, an index bigger than
 * the file, and an HTTP server that ignores Range and streams forever. Every case is a
 * RuntimeError, and memory stays bounded by what the index declares.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { BLOCK, readTarHeader } from '../../src/format/tar-header.js';
import { canonicalBodyText } from '../../src/format/envelope.js';
import { openBundle } from '../../src/runtime/bundle-reader.js';
import { openCatalog } from '../../src/runtime/catalog-reader.js';
import { decompress } from '../../src/runtime/decompress.js';
import { sha256Text } from '../../src/runtime/digest-check.js';
import { httpSource } from '../../src/runtime/http-source.js';
import { memorySource } from '../../src/runtime/memory-source.js';
import { RuntimeError } from '../../src/runtime/runtime-error.js';
import { sampleBundle, type SampleBundle } from '../runtime/support/sample-bundle.js';

interface IndexJson {
  kind: string;
  version: number;
  hash: string;
  body: { assets: { label: string }[]; entries: { parts: { index: number }[] }[] };
}

let sample: SampleBundle;
beforeAll(async () => {
  sample = await sampleBundle();
});

function indexOf(tar: Uint8Array): { envelope: IndexJson; size: number } {
  const header = readTarHeader(tar.subarray(0, BLOCK))!;
  return { envelope: JSON.parse(new TextDecoder().decode(tar.subarray(BLOCK, BLOCK + header.size))) as IndexJson, size: header.size };
}

/**
 * The bundle with its index body changed by `mutate` and correctly re-checksummed, written back
 * in place at the same length (padded with spaces, or a label shortened), so offsets still hold.
 */
async function withIndex(mutate: (body: IndexJson['body']) => void): Promise<Uint8Array> {
  const tar = sample.tar.slice();
  const { envelope, size } = indexOf(tar);
  mutate(envelope.body);
  for (let shorten = 0; shorten < 200; shorten++) {
    const label = envelope.body.assets[0]!;
    if (shorten > 0) label.label = label.label.slice(0, -1);
    envelope.hash = await sha256Text(canonicalBodyText(envelope.body));
    const text = new TextEncoder().encode(JSON.stringify(envelope));
    if (text.byteLength <= size) {
      tar.set(text, BLOCK);
      tar.fill(0x20, BLOCK + text.byteLength, BLOCK + size);
      return tar;
    }
  }
  throw new Error('could not fit the mutated index');
}

async function openFails(tar: Uint8Array): Promise<RuntimeError> {
  const error = await openBundle(memorySource(tar)).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RuntimeError);
  return error as RuntimeError;
}

describe('bundle indexes that lie', () => {
  it.each([1e8, 3e7])('a part index of %d with a valid checksum is refused before anything is allocated', async (index) => {
    const tar = await withIndex((body) => {
      const parted = body.entries.find((e) => e.parts.length > 0)!;
      parted.parts[0]!.index = index;
    });
    const before = process.memoryUsage().heapUsed;
    const error = await openFails(tar);
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain(`index ${index}`);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(100 << 20);
  });

  it('an index claiming more bytes than the file holds is refused without reading them', async () => {
    const tar = sample.tar.slice(0, BLOCK * 3);
    // ustar size field: 12 octal digits at offset 124; claim 200 MB.
    tar.set(new TextEncoder().encode(`${(200 << 20).toString(8).padStart(11, '0')}\0`), 124);
    let checksum = 0;
    tar.fill(0x20, 148, 156);
    for (let i = 0; i < BLOCK; i++) checksum += tar[i]!;
    tar.set(new TextEncoder().encode(`${checksum.toString(8).padStart(6, '0')}\0 `), 148);
    const error = await openFails(tar);
    expect(error.message).toContain('does not fit the');
  });
});

/** A zstd frame of `blocks` RLE blocks of 128 KiB each (5 bytes per 128 KiB: a bomb). */
function zstdRleBomb(blocks: number): Uint8Array {
  const header = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]; // no content size, 128 KiB window
  const out = new Uint8Array(header.length + blocks * 4);
  out.set(header);
  const size = 128 * 1024;
  for (let i = 0; i < blocks; i++) {
    const last = i === blocks - 1 ? 1 : 0;
    const b = (size << 3) | (1 << 1) | last;
    out.set([b & 0xff, (b >> 8) & 0xff, (b >> 16) & 0xff, 0x41], header.length + i * 4);
  }
  return out;
}

describe('decompression bombs', () => {
  const LIMIT = 1 << 20;

  async function boundedOrCorrupt(stored: Uint8Array, compression: 'zstd' | 'gzip'): Promise<void> {
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers - before)), 1);
    try {
      const out = await decompress(stored, compression, 'bomb', {}, LIMIT).catch((error: unknown) => error);
      if (out instanceof Uint8Array) expect(out.byteLength).toBeLessThanOrEqual(LIMIT);
      else expect(out).toBeInstanceOf(RuntimeError);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
    expect(peak).toBeLessThan(64 << 20);
  }

  it('a zstd RLE bomb (256 MiB nominal) decodes at most the declared raw size', async () => {
    await boundedOrCorrupt(zstdRleBomb(2048), 'zstd');
  });

  it('a gzip bomb (64 MiB of zeros) decodes at most the declared raw size', async () => {
    await boundedOrCorrupt(gzipSync(Buffer.alloc(64 << 20)), 'gzip');
  });
});

describe('HTTP servers that ignore Range', () => {
  async function endless(withLength: boolean): Promise<{ url: string; sent(): number; close(): Promise<void> }> {
    let sent = 0;
    const sockets = new Set<Socket>();
    const chunk = Buffer.alloc(64 * 1024, 1);
    const server: Server = createServer((_req, res) => {
      res.writeHead(200, withLength ? { 'content-length': String(2 ** 40) } : {});
      const pump = () => {
        while (!res.destroyed && sent < 1 << 30) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      pump();
    });
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bundle.tar`,
      sent: () => sent,
      close: async () => {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  it('a 200 streaming forever is cut off once the requested range has arrived', async () => {
    const server = await endless(true);
    try {
      const source = httpSource(server.url, { timeoutMs: 5000 });
      const bytes = await source.read(1000, 100);
      expect(bytes.byteLength).toBe(100);
      expect(bytes.every((b) => b === 1)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(server.sent()).toBeLessThan(16 << 20);
    } finally {
      await server.close();
    }
  });

  it('size() of a server ignoring Range without Content-Length is an io error, not an endless read', async () => {
    const server = await endless(false);
    try {
      const error = await httpSource(server.url, { timeoutMs: 5000 }).size().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RuntimeError);
      expect((error as RuntimeError).code).toBe('io');
      expect(server.sent()).toBeLessThan(16 << 20);
    } finally {
      await server.close();
    }
  });
});

describe('catalogs that lie', () => {
  it('a catalog naming a bundle on another server is refused without fetching it', async () => {
    const envelope = JSON.parse(new TextDecoder().decode(sample.catalog)) as { hash: string; body: { bundles: { file: string }[]; assets: { bundle: string }[] } };
    const evil = 'https://evil.example/steal.tar';
    for (const bundle of envelope.body.bundles) bundle.file = evil;
    for (const asset of envelope.body.assets) asset.bundle = evil;
    envelope.hash = await sha256Text(canonicalBodyText(envelope.body));
    const asked: string[] = [];
    const catalog = await openCatalog(memorySource(new TextEncoder().encode(JSON.stringify(envelope))), {
      resolve: (file) => (asked.push(file), memorySource(sample.tar)),
    });
    const error = await catalog.load(catalog.assets()[0]!.label).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RuntimeError);
    expect(asked).toEqual([]);
  });
});
