import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { BlobStore } from '../../store/blob-store.js';
import { materialize, removeStale } from '../materialize.js';
import type { MaterializedFile } from '../materialized-file.js';
import type { RequestKind } from '../tracker/request-kind.js';
import type { AsyncRequestKind } from '../tracker/request-tracker.js';
import type { ACTION_KEPT, ActionInput, ActionValue } from './action.js';

/** The files one target owns under kiln-out, with what was written there. */
export interface MaterializedValue {
  /** outDir-relative paths, in output order. */
  paths: string[];
  files: Record<string, MaterializedFile>;
}

export interface MaterializeEnv {
  outDir: string;
  /** kiln-out holds one folder per platform: kiln-out/<platform>/<package>/… */
  platform: string;
  blobs: BlobStore;
  action: AsyncRequestKind<ActionInput, ActionValue>;
  inputOf(label: string): ActionInput;
  /** Bytes cooked in this build, by digest key, so kiln-out is written without reading the CAS. */
  fresh: ReadonlyMap<string, Uint8Array>;
}

/**
 * A requested target's outputs copied to `kiln-out/<platform>/<package>/…`, one request per
 * platform and label; files the target's outputs no longer include are removed. Its check stats
 * what it wrote: a deleted or edited kiln-out file is written again, an untouched one never is.
 * A failure (a name too long, a full disk, a bad blob) is a DiagnosticError for this target only.
 */
export function materializeKind(env: MaterializeEnv): AsyncRequestKind<{ label: string; pkg: string }, MaterializedValue> {
  return {
    name: 'materialize',
    async: true,
    key: (input) => `${env.platform}|${input.label}`,
    check: (_input, value) =>
      value.paths.every((rel) => {
        const known = value.files[rel];
        const stat = statSync(join(env.outDir, rel), { throwIfNoEntry: false });
        return known !== undefined && stat !== undefined && stat.size === known.size && stat.mtimeMs === known.mtimeMs;
      }),
    async run(input, api) {
      // Only the outputs: a saved action's key inputs are not read back from the store for this.
      const action = api.getKept(env.action as unknown as RequestKind<ActionInput, ActionValue> & { readonly kept: typeof ACTION_KEPT }, env.inputOf(input.label));
      const previous = api.previous<MaterializedValue>();
      const written = new Map(Object.entries(previous?.files ?? {}));
      const folder = [env.platform, input.pkg].filter(Boolean).join('/');
      const paths = await materialize(env.outDir, folder, action.outputs, env.blobs, written, env.fresh, input.label);
      removeStale(env.outDir, previous?.paths, paths);
      const files: Record<string, MaterializedFile> = {};
      for (const rel of paths) {
        const file = written.get(rel);
        if (file) files[rel] = file;
      }
      return { paths, files };
    },
  };
}
