/** What a data output carries: the label strings it holds, resolved to asset ids, so the runtime can follow them. */
import { meta, readSpec, type MetaOf } from './meta-spec.js';

export const DATA_META = {
  /** Label → asset id. */
  refs: meta.record(meta.string),
};
export type DataMeta = MetaOf<typeof DATA_META>;

export function readDataMeta(value: unknown, where: string): DataMeta {
  return readSpec(DATA_META, value, where);
}
