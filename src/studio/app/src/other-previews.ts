/** Previews that need no GPU: audio players, shader/material sources, data as a tree. */
import { blob, formatBytes, type OutputReport } from './api.js';
import { audioChunks } from './audio-chunks.js';
import { h } from './dom.js';

const AUDIO_TYPES: Record<string, string> = { ogg: 'audio/ogg', opus: 'audio/ogg', wav: 'audio/wav', mp3: 'audio/mpeg' };

/** A player for the whole sound, and one per streaming chunk when it has several. */
export async function audioPreview(outputs: readonly OutputReport[], into: HTMLElement): Promise<void> {
  for (const output of outputs) {
    const ext = output.name.slice(output.name.lastIndexOf('.') + 1).toLowerCase();
    const type = AUDIO_TYPES[ext];
    if (!type) continue;
    const bytes = new Uint8Array(await blob(output.digest));
    const player = (piece: Uint8Array, caption: string, kind: string) =>
      h('div', { class: kind }, h('span', {}, `${caption} (${formatBytes(piece.byteLength)}) `), h('audio', { controls: '', src: URL.createObjectURL(new Blob([piece as Uint8Array<ArrayBuffer>], { type })), preload: 'metadata' }));
    into.append(player(bytes, output.name, 'audio-whole'));
    const chunks = audioChunks(bytes);
    if (chunks.length > 1) chunks.forEach((chunk, i) => into.append(player(chunk, `chunk ${i}`, 'audio-chunk')));
  }
}

/** Text outputs as source; JSON ones also as a tree. Binary (SPIR-V, …) is listed, not shown. */
export async function sourcePreview(outputs: readonly OutputReport[], into: HTMLElement): Promise<void> {
  for (const output of outputs.slice(0, 8)) {
    const bytes = new Uint8Array(await blob(output.digest));
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 256 * 1024));
    const binary = bytes.subarray(0, 512).some((b) => b === 0);
    into.append(h('h4', {}, output.name));
    if (binary) {
      into.append(h('p', { class: 'hint' }, `binary, ${formatBytes(output.size)}`));
      continue;
    }
    if (output.name.endsWith('.json')) {
      try {
        into.append(jsonTree(JSON.parse(text)));
        continue;
      } catch {
        // not JSON after all: show the text
      }
    }
    into.append(h('pre', { class: 'source' }, text));
  }
}

export function jsonTree(value: unknown, depth = 0): HTMLElement {
  if (value === null || typeof value !== 'object') return h('span', { class: 'value' }, JSON.stringify(value));
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  const list = h('ul', {});
  for (const [key, item] of entries.slice(0, 500)) {
    const child = jsonTree(item, depth + 1);
    if (child.tagName === 'UL') {
      const details = h('details', depth < 1 ? { open: '' } : {}, h('summary', {}, h('span', { class: 'key' }, key)), child);
      list.append(h('li', {}, details));
    } else list.append(h('li', {}, h('span', { class: 'key' }, `${key}: `), child));
  }
  const wrap = h('div', { class: 'tree' }, list);
  return depth === 0 ? wrap : list;
}
