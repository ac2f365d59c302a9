/**
 * One esbuild bundle, made deterministic: nothing on disk is read (the resolver plugin goes
 * through the context), the working directory is a fixed `/`, no metafile is written out,
 * legal comments are moved to the end, and source map paths are workspace-relative.
 */
import type { BuildFailure, Message } from 'esbuild';
import { RuleError } from '../../src/rule/rule-error.js';
import { NAMESPACE, type ResolverHost, workspaceResolver } from './workspace-resolver.js';

export interface BundleRequest {
  entry: string;
  outName: string;
  format: 'esm' | 'iife' | 'cjs';
  target: string;
  minify: boolean;
  sourcemap: boolean;
  define: Record<string, string>;
  external: string[];
  globalName?: string;
}

export interface BundleResult {
  code: Uint8Array;
  map: Uint8Array | undefined;
  inputs: string[];
  warnings: Message[];
}

function stripNamespace(file: string): string {
  return file.startsWith(`${NAMESPACE}:`) ? file.slice(NAMESPACE.length + 1) : file;
}

export function toRuleError(message: Message): RuleError {
  const loc = message.location;
  const file = loc ? stripNamespace(loc.file) : undefined;
  return new RuleError(message.text, loc ? { file, line: loc.line, column: loc.column + 1 } : {});
}

function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);
}

function fixSourceMap(bytes: Uint8Array): Uint8Array {
  const map = JSON.parse(new TextDecoder().decode(bytes)) as { sources: string[] };
  map.sources = map.sources.map((source) => stripNamespace(source.replace(/^(\.\.\/)+/, '')));
  return new TextEncoder().encode(JSON.stringify(map));
}

export async function bundleScript(host: ResolverHost, request: BundleRequest): Promise<BundleResult> {
  const esbuild = await import('esbuild');
  try {
    const result = await esbuild.build({
      entryPoints: [request.entry],
      outfile: `/${request.outName}`,
      absWorkingDir: '/',
      bundle: true,
      write: false,
      metafile: true,
      format: request.format,
      target: request.target,
      platform: 'neutral',
      minify: request.minify,
      sourcemap: request.sourcemap ? 'linked' : false,
      sourcesContent: true,
      legalComments: 'eof',
      charset: 'utf8',
      define: request.define,
      ...(request.globalName ? { globalName: request.globalName } : {}),
      logLevel: 'silent',
      plugins: [workspaceResolver(host, request.external)],
    });
    const code = result.outputFiles.find((f) => f.path.endsWith('.js'));
    const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
    if (!code) throw new Error('esbuild produced no JavaScript');
    return {
      code: code.contents,
      map: map ? fixSourceMap(map.contents) : undefined,
      inputs: Object.keys(result.metafile.inputs).map(stripNamespace).sort(),
      warnings: result.warnings,
    };
  } catch (error) {
    if (isBuildFailure(error) && error.errors[0]) throw toRuleError(error.errors[0]);
    throw error;
  }
}
