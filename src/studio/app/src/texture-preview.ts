/**
 * A cooked texture drawn by the GPU as the game would see it: three.js' KTX2Loader reads the
 * KTX2 (BCn/ASTC/ETC2 uploaded as compressed textures, Basis transcoded by the transcoder served
 * from the package at /app/), one mip level at a time through `textureLod`.
 */
import { GLSL3, Mesh, OrthographicCamera, PlaneGeometry, Scene, ShaderMaterial, SRGBColorSpace, WebGLRenderer, type CompressedTexture, type Texture } from 'three';
import { KTX2Loader } from 'three/examples/jsm/loaders/KTX2Loader.js';
import { h } from './dom.js';

let shared: { renderer: WebGLRenderer; loader: KTX2Loader } | undefined;

/** One renderer for the page: browsers cap live WebGL contexts, and the transcoder is loaded once. */
function gpu(): { renderer: WebGLRenderer; loader: KTX2Loader } {
  if (!shared) {
    const renderer = new WebGLRenderer({ preserveDrawingBuffer: true, alpha: true, antialias: false });
    const loader = new KTX2Loader().setTranscoderPath('/app/').detectSupport(renderer);
    shared = { renderer, loader };
  }
  return shared;
}

const VERTEX = `out vec2 vUv; void main() { vUv = uv; gl_Position = vec4(position.xy, 0.0, 1.0); }`;
const FRAGMENT = `precision highp float; in vec2 vUv; uniform sampler2D map; uniform float lod; uniform bool encodeSrgb; out vec4 colour;
vec3 toSrgb(vec3 c) { return mix(c * 12.92, 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055, step(0.0031308, c)); }
void main() { vec4 t = textureLod(map, vec2(vUv.x, 1.0 - vUv.y), lod); colour = vec4(encodeSrgb ? toSrgb(t.rgb) : t.rgb, t.a); }`;

/** A KTX2 file as a three.js texture (the model viewer uses it for referenced textures too). */
export function loadKtx2(bytes: ArrayBuffer): Promise<Texture> {
  const { loader } = gpu();
  return new Promise<Texture>((resolve, reject) => loader.parse(bytes, resolve, reject));
}

export async function texturePreview(bytes: ArrayBuffer, into: HTMLElement): Promise<void> {
  const { renderer } = gpu();
  const texture = await loadKtx2(bytes);
  const mips = (texture as CompressedTexture).mipmaps ?? [];
  const base = { width: (texture.image as { width: number }).width, height: (texture.image as { height: number }).height };
  const levels = Math.max(1, mips.length);
  const canvas = h('canvas', { class: 'texture-canvas', 'data-levels': String(levels) });
  const material = new ShaderMaterial({
    glslVersion: GLSL3,
    vertexShader: VERTEX,
    fragmentShader: FRAGMENT,
    uniforms: { map: { value: texture }, lod: { value: 0 }, encodeSrgb: { value: texture.colorSpace === SRGBColorSpace } },
    transparent: true,
  });
  const scene = new Scene();
  scene.add(new Mesh(new PlaneGeometry(2, 2), material));
  const camera = new OrthographicCamera(-1, 1, 1, -1, 0, 1);
  const draw = (level: number) => {
    const width = Math.max(1, base.width >> level);
    const height = Math.max(1, base.height >> level);
    const scale = Math.max(1, Math.floor(256 / Math.max(width, height)));
    material.uniforms.lod!.value = level;
    renderer.setPixelRatio(1);
    renderer.setSize(width, height, false);
    renderer.render(scene, camera);
    // Copy out of the shared WebGL canvas into this preview's own 2D canvas.
    canvas.width = width;
    canvas.height = height;
    canvas.style.width = `${width * scale}px`;
    canvas.style.height = `${height * scale}px`;
    canvas.style.imageRendering = 'pixelated';
    canvas.getContext('2d')!.drawImage(renderer.domElement, 0, 0);
    canvas.dataset.level = String(level);
    caption.textContent = `mip ${level}: ${width}×${height}`;
  };
  const caption = h('span', { class: 'hint' });
  const buttons = h('div', { class: 'mips' }, 'mip: ');
  for (let level = 0; level < levels; level++) {
    const button = h('button', { 'data-mip': String(level) }, String(level));
    button.addEventListener('click', () => draw(level));
    buttons.append(button);
  }
  into.append(buttons, h('div', {}, canvas), caption);
  draw(0);
}
