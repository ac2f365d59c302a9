/**
 * The two encoder sets a platform chooses between with `encoder: wasm | native` (default wasm).
 * wasm runs anywhere Node runs, right after `npm install`, and gives the same bytes on every
 * machine; native runs the executables shipped in the @gpu-tex-enc npm tarballs (faster, but
 * they need system libraries: libomp5 for bc7enc, glibc ≥ 2.34 for astcenc). No wasm ETC2
 * encoder exists on npm, so ETC2 needs `encoder: native` (EtcTool, which loads on a bare Debian 12).
 */
import { astcencCodec } from './astcenc-codec.js';
import { basisuCodec } from './basisu-codec.js';
import { bc7encCodec } from './bc7enc-codec.js';
import type { BlockEncoder, TextureCodecs } from './codecs.js';
import { etctoolCodec } from './etctool-codec.js';
import { noWasmEtc2Codec } from './no-wasm-etc2.js';
import { wasmAstcCodec } from './wasm-astc-codec.js';
import { wasmBasisCodec } from './wasm-basis-codec.js';
import { wasmBcCodec } from './wasm-bc-codec.js';

export function wasmTextureCodecs(): TextureCodecs {
  const etc2: BlockEncoder = noWasmEtc2Codec();
  return { bc: wasmBcCodec(), astc: wasmAstcCodec(), etc2, basis: wasmBasisCodec() };
}

export function nativeTextureCodecs(): TextureCodecs {
  return { bc: bc7encCodec(), astc: astcencCodec(), etc2: etctoolCodec(), basis: basisuCodec() };
}

/** @deprecated name kept for callers of wave 1: the default set is now the wasm one. */
export const defaultTextureCodecs = wasmTextureCodecs;
