/**
 * MikkTSpace returns a zero tangent for triangles with degenerate UVs (DamagedHelmet has some),
 * and the glTF spec (and validator) require unit-length tangents. Such tangents are replaced
 * by any unit vector perpendicular to the normal: the normal map is meaningless there anyway.
 */
import type { Primitive } from '@gltf-transform/core';

export function repairTangents(prim: Primitive): number {
  const tangent = prim.getAttribute('TANGENT');
  const normal = prim.getAttribute('NORMAL');
  if (!tangent || !normal) return 0;
  const t = tangent.getArray();
  const n = normal.getArray();
  if (!(t instanceof Float32Array) || !(n instanceof Float32Array)) return 0;
  let repaired = 0;
  for (let v = 0; v < tangent.getCount(); v++) {
    const i = v * 4;
    const j = v * 3;
    const len = Math.hypot(t[i]!, t[i + 1]!, t[i + 2]!);
    if (len > 1e-6 && Number.isFinite(len)) {
      if (Math.abs(len - 1) > 1e-4) {
        t[i] = t[i]! / len;
        t[i + 1] = t[i + 1]! / len;
        t[i + 2] = t[i + 2]! / len;
      }
      continue;
    }
    const [nx, ny, nz] = [n[j]!, n[j + 1]!, n[j + 2]!];
    // Cross the normal with whichever axis it is least aligned with.
    const [ax, ay, az] = Math.abs(nx) < 0.9 ? [1, 0, 0] : [0, 1, 0];
    let px = ny * az - nz * ay;
    let py = nz * ax - nx * az;
    let pz = nx * ay - ny * ax;
    const plen = Math.hypot(px, py, pz) || 1;
    px /= plen;
    py /= plen;
    pz /= plen;
    t[i] = px;
    t[i + 1] = py;
    t[i + 2] = pz;
    t[i + 3] = 1;
    repaired++;
  }
  if (repaired > 0) tangent.setArray(t);
  return repaired;
}
