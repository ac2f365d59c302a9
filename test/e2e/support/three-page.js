// Browser side of the stock-client tests (served as a module, no kiln code): stock three.js
// GLTFLoader + KTX2Loader + MeshoptDecoder render a model to pixels; raw WebGL2 uploads a cooked
// texture's level 0 and reads it back. Results go back to Node as base64 RGBA.
import * as THREE from 'three';
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';
import { KTX2Loader } from 'three/addons/loaders/KTX2Loader.js';
import { MeshoptDecoder } from 'three/addons/libs/meshopt_decoder.module.js';

const SIZE = 128;
const renderer = new THREE.WebGLRenderer({ antialias: false });
renderer.setSize(SIZE, SIZE, false);
const ktx2 = new KTX2Loader().setTranscoderPath('/three/examples/jsm/libs/basis/').detectSupport(renderer);
const loader = new GLTFLoader().setKTX2Loader(ktx2).setMeshoptDecoder(MeshoptDecoder);

function base64(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** Loads a glTF/GLB with the stock loader and renders it; `frame` fixes the camera (else from the model's bounds). */
window.renderModel = async (url, frame) => {
  const gltf = await loader.loadAsync(url);
  const scene = new THREE.Scene();
  scene.background = new THREE.Color(0x202020);
  scene.add(new THREE.AmbientLight(0xffffff, 1.5));
  const sun = new THREE.DirectionalLight(0xffffff, 2);
  sun.position.set(1, 2, 3);
  scene.add(sun);
  scene.add(gltf.scene);
  const box = new THREE.Box3().setFromObject(gltf.scene);
  const used = frame ?? { center: box.getCenter(new THREE.Vector3()).toArray(), radius: Math.max(1e-6, box.getSize(new THREE.Vector3()).length() / 2) };
  const [cx, cy, cz] = used.center;
  const r = used.radius;
  const camera = new THREE.PerspectiveCamera(40, 1, r / 100, r * 100);
  camera.position.set(cx + r * 0.9, cy + r * 0.8, cz + r * 2.4);
  camera.lookAt(cx, cy, cz);
  const target = new THREE.WebGLRenderTarget(SIZE, SIZE, { colorSpace: THREE.SRGBColorSpace });
  renderer.setRenderTarget(target);
  renderer.render(scene, camera);
  const pixels = new Uint8Array(SIZE * SIZE * 4);
  renderer.readRenderTargetPixels(target, 0, 0, SIZE, SIZE, pixels);
  renderer.setRenderTarget(null);
  target.dispose();
  const maps = [];
  gltf.scene.traverse((o) => {
    for (const m of [o.material].flat()) if (m?.map) maps.push({ compressed: !!m.map.isCompressedTexture, width: m.map.image?.width ?? 0, format: m.map.format });
  });
  return { width: SIZE, height: SIZE, pixels: base64(pixels), frame: used, maps, meshes: countMeshes(gltf.scene), animations: gltf.animations.length };
};

function countMeshes(root) {
  let n = 0;
  root.traverse((o) => (n += o.isMesh ? 1 : 0));
  return n;
}

// ---- raw WebGL2 texture upload -------------------------------------------------------------

const gl = document.createElement('canvas').getContext('webgl2');
const ext = {
  bptc: gl.getExtension('EXT_texture_compression_bptc'),
  rgtc: gl.getExtension('EXT_texture_compression_rgtc'),
  astc: gl.getExtension('WEBGL_compressed_texture_astc'),
  etc: gl.getExtension('WEBGL_compressed_texture_etc'),
  s3tc: gl.getExtension('WEBGL_compressed_texture_s3tc'),
};
window.textureExtensions = () => Object.fromEntries(Object.entries(ext).map(([k, v]) => [k, !!v]));

const ASTC = ['4x4', '5x4', '5x5', '6x5', '6x6', '8x5', '8x6', '8x8', '10x5', '10x6', '10x8', '10x10', '12x10', '12x12'];

/** Vulkan format → WebGL2 internal format of a compressed upload (or null for plain RGBA8). */
function glFormat(vk) {
  if (vk === 37) return { rgba8: gl.RGBA8 };
  if (vk === 43) return { rgba8: gl.SRGB8_ALPHA8 };
  const table = {
    131: 0x83f1, 132: 0x8c4d, 137: 0x83f3, 138: 0x8c4f, // BC1 RGBA, BC3 (s3tc / s3tc_srgb)
    139: 0x8dbb, 140: 0x8dbc, 141: 0x8dbd, 142: 0x8dbe, // BC4, BC5 (rgtc)
    145: 0x8e8c, 146: 0x8e8d, // BC7 (bptc)
    147: 0x9274, 148: 0x9275, 149: 0x9276, 150: 0x9277, 151: 0x9278, 152: 0x9279, // ETC2
    153: 0x9270, 154: 0x9271, 155: 0x9272, 156: 0x9273, // EAC
  };
  if (table[vk]) return { compressed: table[vk] };
  if (vk >= 157 && vk < 157 + 2 * ASTC.length) {
    const i = (vk - 157) >> 1;
    return { compressed: (vk - 157) % 2 === 0 ? 0x93b0 + i : 0x93d0 + i };
  }
  return null;
}

const vs = `#version 300 es
void main() { vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2)); gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0); }`;
const fs = `#version 300 es
precision highp float; uniform highp sampler2D tex; out vec4 color;
void main() { color = texelFetch(tex, ivec2(gl_FragCoord.xy), 0); }`;
const program = (() => {
  const p = gl.createProgram();
  for (const [type, src] of [[gl.VERTEX_SHADER, vs], [gl.FRAGMENT_SHADER, fs]]) {
    const s = gl.createShader(type);
    gl.shaderSource(s, src);
    gl.compileShader(s);
    gl.attachShader(p, s);
  }
  gl.linkProgram(p);
  return p;
})();

let basis;
async function transcodeBasis(bytes, srgb) {
  if (!basis) {
    await new Promise((done, fail) => {
      const script = document.createElement('script');
      script.src = '/three/examples/jsm/libs/basis/basis_transcoder.js';
      script.onload = done;
      script.onerror = fail;
      document.head.appendChild(script);
    });
    const wasmBinary = await (await fetch('/three/examples/jsm/libs/basis/basis_transcoder.wasm')).arrayBuffer();
    basis = await window.BASIS({ wasmBinary });
    basis.initializeBasis();
  }
  const file = new basis.KTX2File(bytes);
  try {
    if (!file.isValid() || !file.startTranscoding()) throw new Error('basis: invalid KTX2 or transcoding refused');
    const BC7 = 6; // cTFBC7_RGBA: what three's KTX2Loader picks on this machine
    const size = file.getImageTranscodedSizeInBytes(0, 0, 0, BC7);
    const out = new Uint8Array(size);
    if (!file.transcodeImage(out, 0, 0, 0, BC7, 0, -1, -1)) throw new Error('basis: transcodeImage failed');
    return { bytes: out, internal: srgb ? 0x8e8d : 0x8e8c };
  } finally {
    file.close();
    file.delete();
  }
}

/** Uploads level 0 (`width`×`height`) and reads back RGBA8 (sRGB formats through an sRGB framebuffer). */
window.uploadTexture = async ({ vkFormat, width, height, level0, srgb }) => {
  const bytes = Uint8Array.from(atob(level0), (c) => c.charCodeAt(0));
  while (gl.getError() !== gl.NO_ERROR);
  const tex = gl.createTexture();
  gl.bindTexture(gl.TEXTURE_2D, tex);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAX_LEVEL, 0);
  gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
  let format;
  if (vkFormat === 0) {
    const t = await transcodeBasis(bytes, srgb);
    format = 'basis→bc7';
    gl.compressedTexImage2D(gl.TEXTURE_2D, 0, t.internal, width, height, 0, t.bytes);
  } else {
    const f = glFormat(vkFormat);
    if (!f) return { error: `no WebGL2 format for vkFormat ${vkFormat}` };
    if (f.rgba8) {
      format = 'rgba8';
      gl.texImage2D(gl.TEXTURE_2D, 0, f.rgba8, width, height, 0, gl.RGBA, gl.UNSIGNED_BYTE, bytes);
    } else {
      format = `0x${f.compressed.toString(16)}`;
      gl.compressedTexImage2D(gl.TEXTURE_2D, 0, f.compressed, width, height, 0, bytes);
    }
  }
  const uploadError = gl.getError();
  if (uploadError !== gl.NO_ERROR) return { error: `upload of ${format} ${width}×${height} failed: GL error 0x${uploadError.toString(16)}` };
  const rb = gl.createRenderbuffer();
  gl.bindRenderbuffer(gl.RENDERBUFFER, rb);
  gl.renderbufferStorage(gl.RENDERBUFFER, srgb ? gl.SRGB8_ALPHA8 : gl.RGBA8, width, height);
  const fb = gl.createFramebuffer();
  gl.bindFramebuffer(gl.FRAMEBUFFER, fb);
  gl.framebufferRenderbuffer(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.RENDERBUFFER, rb);
  gl.viewport(0, 0, width, height);
  gl.useProgram(program);
  gl.drawArrays(gl.TRIANGLES, 0, 3);
  const pixels = new Uint8Array(width * height * 4);
  gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
  const drawError = gl.getError();
  gl.deleteFramebuffer(fb);
  gl.deleteRenderbuffer(rb);
  gl.deleteTexture(tex);
  if (drawError !== gl.NO_ERROR) return { error: `draw/readback failed: GL error 0x${drawError.toString(16)}` };
  return { format, pixels: base64(pixels) };
};

window.pageReady = true;
