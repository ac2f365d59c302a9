/**
 * An esbuild plugin that resolves and loads every module through the rule context instead of
 * the disk: each imported file (and each candidate probed while resolving `./foo` → `./foo.ts`)
 * becomes a discovered input, so editing — or creating — one re-cooks the script. Only
 * workspace files are bundled; bare package imports must be declared `external`.
 */
import type { Loader, Plugin } from 'esbuild';
import { posix } from 'node:path';

export const NAMESPACE = 'kiln';

const LOADERS: Record<string, Loader> = {
  '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx',
  '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx',
  '.json': 'json', '.txt': 'text', '.glsl': 'text', '.wgsl': 'text',
};
const PROBE_EXTENSIONS = ['.ts', '.tsx', '.js', '.mjs', '.jsx', '.json'];

export interface ResolverHost {
  readFile(path: string): Promise<Uint8Array | undefined>;
}

function candidates(path: string): string[] {
  const ext = posix.extname(path);
  const out = ext in LOADERS ? [path] : [];
  // TypeScript sources import their siblings as `./x.js`; try the `.ts` file behind it.
  if (ext === '.js') out.push(`${path.slice(0, -3)}.ts`, `${path.slice(0, -3)}.tsx`);
  if (!(ext in LOADERS)) out.push(...PROBE_EXTENSIONS.map((e) => path + e), ...PROBE_EXTENSIONS.map((e) => `${path}/index${e}`));
  return out;
}

export function workspaceResolver(host: ResolverHost, external: readonly string[]): Plugin {
  const loaded = new Map<string, Uint8Array>();
  return {
    name: 'kiln-workspace',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        let wanted: string;
        if (args.kind === 'entry-point') wanted = args.path;
        else if (args.path.startsWith('./') || args.path.startsWith('../')) wanted = posix.join(posix.dirname(args.importer), args.path);
        else if (external.some((e) => args.path === e || args.path.startsWith(`${e}/`))) return { path: args.path, external: true };
        else return { errors: [{ text: `cannot bundle "${args.path}": only relative workspace imports are bundled; list packages under external:` }] };
        wanted = posix.normalize(wanted);
        if (wanted.startsWith('../') || posix.isAbsolute(wanted)) return { errors: [{ text: `"${args.path}" leaves the workspace` }] };
        for (const candidate of candidates(wanted)) {
          const bytes = await host.readFile(candidate);
          if (bytes) {
            loaded.set(candidate, bytes);
            return { path: candidate, namespace: NAMESPACE };
          }
        }
        return { errors: [{ text: `cannot resolve "${args.path}" (looked for ${wanted} with ${PROBE_EXTENSIONS.join(', ')})` }] };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const contents = loaded.get(args.path);
        if (!contents) return { errors: [{ text: `${args.path} was not resolved` }] };
        return { contents, loader: LOADERS[posix.extname(args.path)] ?? 'js' };
      });
    },
  };
}
