/**
 * The encoders kiln uses unless a caller injects others. All four are the reference or
 * best-known open encoders, run as native executables from npm tarballs (nothing is downloaded
 * at install or run time); see the README's texture section for why these and not wasm builds.
 */
import { astcencCodec } from './astcenc-codec.js';
import { basisuCodec } from './basisu-codec.js';
import { bc7encCodec } from './bc7enc-codec.js';
import type { TextureCodecs } from './codecs.js';
import { etctoolCodec } from './etctool-codec.js';

export function defaultTextureCodecs(): TextureCodecs {
  return { bc: bc7encCodec(), astc: astcencCodec(), etc2: etctoolCodec(), basis: basisuCodec() };
}
