/** What each copied file carries: its source path in the package. */
import { meta, readSpec, type MetaOf } from './meta-spec.js';

export const FILES_META = { source: meta.string };
export type FilesMeta = MetaOf<typeof FILES_META>;

export function readFilesMeta(value: unknown, where: string): FilesMeta {
  return readSpec(FILES_META, value, where);
}
