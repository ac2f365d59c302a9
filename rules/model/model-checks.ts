/**
 * The seed's AssetValidator for models: per-platform triangle/vertex budgets (error or warning,
 * by profile) and primitives missing the attributes a renderer needs.
 */
import type { Document } from '@gltf-transform/core';
import type { RuleContext } from '../../src/rule/context.js';
import { RuleError } from '../../src/rule/rule-error.js';
import type { MeshStats } from './mesh-stats.js';
import { primitiveTriangles } from './mesh-stats.js';

export interface Budget {
  max_triangles?: number | undefined;
  max_vertices?: number | undefined;
  /** Whether exceeding a budget fails the target or only warns. */
  budget: 'error' | 'warning';
}

export function checkBudgets(ctx: RuleContext<object, object>, stats: MeshStats, budget: Budget, file: string): void {
  const problems: string[] = [];
  if (budget.max_triangles !== undefined && stats.triangles > budget.max_triangles) {
    problems.push(`${stats.triangles} triangles exceed the ${ctx.platform.name} budget of ${budget.max_triangles}`);
  }
  if (budget.max_vertices !== undefined && stats.vertices > budget.max_vertices) {
    problems.push(`${stats.vertices} vertices exceed the ${ctx.platform.name} budget of ${budget.max_vertices}`);
  }
  if (problems.length === 0) return;
  const message = `LOD0 ${problems.join('; ')}`;
  if (budget.budget === 'error') throw new RuleError(message, { file });
  ctx.warn(message, { file });
}

/** Warns once per kind, naming the meshes, so a 200-mesh scene does not print 200 lines. */
export function checkAttributes(ctx: RuleContext<object, object>, doc: Document, file: string): { noNormals: number; noUvs: number } {
  const noNormals = new Set<string>();
  const noUvs = new Set<string>();
  let prims = 0;
  let withoutNormals = 0;
  let withoutUvs = 0;
  for (const [meshIndex, mesh] of doc.getRoot().listMeshes().entries()) {
    const name = mesh.getName() || `mesh ${meshIndex}`;
    for (const prim of mesh.listPrimitives()) {
      if (primitiveTriangles(prim) === 0) continue;
      prims++;
      if (!prim.getAttribute('NORMAL')) {
        withoutNormals++;
        noNormals.add(name);
      }
      if (!prim.getAttribute('TEXCOORD_0')) {
        withoutUvs++;
        noUvs.add(name);
      }
    }
  }
  const names = (set: Set<string>) => [...set].slice(0, 5).map((n) => `"${n}"`).join(', ') + (set.size > 5 ? ', …' : '');
  if (withoutNormals > 0) {
    ctx.warn(`${withoutNormals} of ${prims} primitive(s) have no normals (${names(noNormals)}); renderers will shade them flat`, { file });
  }
  if (withoutUvs > 0) {
    ctx.warn(`${withoutUvs} of ${prims} primitive(s) have no UVs (${names(noUvs)}); they cannot be textured`, { file });
  }
  return { noNormals: withoutNormals, noUvs: withoutUvs };
}
