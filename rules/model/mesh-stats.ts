/** Triangle/vertex counts and bounds: what budgets are checked against and what output meta reports. */
import type { Document, Primitive } from '@gltf-transform/core';
import type { ModelCodecs } from './codecs.js';

const TRIANGLES = 4;
const TRIANGLE_STRIP = 5;
const TRIANGLE_FAN = 6;

export interface MeshStats {
  triangles: number;
  /** Vertices uploaded to the GPU (unique vertices per primitive). */
  vertices: number;
  primitives: number;
}

export function primitiveTriangles(prim: Primitive): number {
  const count = prim.getIndices()?.getCount() ?? prim.getAttribute('POSITION')?.getCount() ?? 0;
  switch (prim.getMode()) {
    case TRIANGLES:
      return Math.floor(count / 3);
    case TRIANGLE_STRIP:
    case TRIANGLE_FAN:
      return Math.max(0, count - 2);
    default:
      return 0;
  }
}

/** Counts what a renderer draws: each mesh once per node that instantiates it. */
export function meshStats(doc: Document): MeshStats {
  const uses = new Map<object, number>();
  for (const node of doc.getRoot().listNodes()) {
    const mesh = node.getMesh();
    if (mesh) uses.set(mesh, (uses.get(mesh) ?? 0) + 1);
  }
  const stats: MeshStats = { triangles: 0, vertices: 0, primitives: 0 };
  for (const mesh of doc.getRoot().listMeshes()) {
    const instances = uses.get(mesh) ?? 0;
    for (const prim of mesh.listPrimitives()) {
      stats.triangles += instances * primitiveTriangles(prim);
      stats.vertices += instances * (prim.getAttribute('POSITION')?.getCount() ?? 0);
      stats.primitives += instances;
    }
  }
  return stats;
}

export interface Bounds {
  min: number[];
  max: number[];
}

/** World-space bounds of the default scene (or the first), rounded so meta stays readable. */
export function sceneBounds(doc: Document, codecs: ModelCodecs): Bounds | null {
  const root = doc.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  if (!scene) return null;
  const { min, max } = codecs.functions.getBounds(scene);
  if (![...min, ...max].every(Number.isFinite)) return null;
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return { min: min.map(round), max: max.map(round) };
}
