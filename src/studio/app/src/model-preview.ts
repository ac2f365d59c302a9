/**
 * A cooked model in a three.js viewer: each LOD output (`x.glb`, `x.lod1.glb`, …) selectable, its
 * triangle count counted from the geometry that actually loaded. Meshopt-compressed LODs are
 * decoded with three's bundled decoder.
 */
import { AmbientLight, Box3, DataTexture, DirectionalLight, Mesh, PerspectiveCamera, Scene, Vector3, WebGLRenderer, type BufferGeometry, type Object3D, type Texture } from 'three';
import { GLTFLoader, type GLTFParser } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { MeshoptDecoder } from 'three/examples/jsm/libs/meshopt_decoder.module.js';
import { blob, type OutputReport } from './api.js';
import { h } from './dom.js';
import { loadKtx2 } from './texture-preview.js';

/** Bytes of the cooked KTX2 of a texture target, for `KILN_texture_ref` (undefined: not built). */
export type TextureResolver = (label: string) => Promise<ArrayBuffer | undefined>;

/**
 * kiln's models name their textures by label (`KILN_texture_ref`) instead of embedding them: this
 * GLTFLoader plugin loads the referenced target's cooked KTX2, so the viewer shows what the game
 * will show. An unresolvable reference gets a grey texel rather than failing the whole model.
 */
function kilnTextureRefs(resolve: TextureResolver) {
  return (parser: GLTFParser) => ({
    name: 'KILN_texture_ref',
    loadTexture(index: number): Promise<Texture> | null {
      const def = (parser.json as { textures?: { extensions?: Record<string, { label?: string }> }[] }).textures?.[index];
      const label = def?.extensions?.KILN_texture_ref?.label;
      if (!label) return null;
      return resolve(label)
        .then((bytes) => (bytes ? loadKtx2(bytes) : undefined))
        .catch(() => undefined)
        .then((texture) => {
          const result = texture ?? new DataTexture(new Uint8Array([160, 160, 160, 255]), 1, 1);
          result.flipY = false;
          result.needsUpdate = true;
          return result;
        });
    },
  });
}

export function countTriangles(root: Object3D): number {
  let triangles = 0;
  root.traverse((node) => {
    const geometry = (node as Mesh).isMesh ? ((node as Mesh).geometry as BufferGeometry) : undefined;
    if (!geometry) return;
    triangles += geometry.index ? geometry.index.count / 3 : (geometry.getAttribute('position')?.count ?? 0) / 3;
  });
  return Math.round(triangles);
}

export async function modelPreview(lods: readonly OutputReport[], into: HTMLElement, textures: TextureResolver): Promise<void> {
  const canvas = h('canvas', { class: 'model-canvas', width: '360', height: '280' });
  const caption = h('div', { class: 'hint model-caption' });
  const renderer = new WebGLRenderer({ canvas, preserveDrawingBuffer: true, antialias: true });
  renderer.setSize(360, 280, false);
  renderer.setClearColor(0xe8e8e8);
  const loader = new GLTFLoader().setMeshoptDecoder(MeshoptDecoder).register(kilnTextureRefs(textures));
  const show = async (index: number) => {
    const output = lods[index]!;
    const gltf = await loader.parseAsync(await blob(output.digest), '');
    const scene = new Scene();
    scene.add(new AmbientLight(0xffffff, 1.2));
    const sun = new DirectionalLight(0xffffff, 2);
    sun.position.set(2, 3, 4);
    scene.add(sun, gltf.scene);
    const box = new Box3().setFromObject(gltf.scene);
    const centre = box.getCenter(new Vector3());
    const radius = Math.max(1e-3, box.getSize(new Vector3()).length() / 2);
    const camera = new PerspectiveCamera(40, 360 / 280, radius / 100, radius * 100);
    camera.position.copy(centre).add(new Vector3(radius * 1.2, radius * 0.8, radius * 2.2));
    camera.lookAt(centre);
    renderer.render(scene, camera);
    const triangles = countTriangles(gltf.scene);
    canvas.dataset.triangles = String(triangles);
    canvas.dataset.lod = String(index);
    caption.textContent = `${output.name}: ${triangles} triangles`;
  };
  const buttons = h('div', {}, 'LOD: ');
  lods.forEach((output, index) => {
    const button = h('button', { 'data-lod': String(index) }, output.name);
    button.addEventListener('click', () => void show(index).catch((e: Error) => (caption.textContent = e.message)));
    buttons.append(button);
  });
  into.append(buttons, canvas, caption);
  await show(0);
}
