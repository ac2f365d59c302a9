/**
 * glslang compiled to wasm (`@webgpu/glslang`, the node build): GLSL → SPIR-V with no system
 * package. Loaded once per thread. Three quirks of this build are handled here:
 * - its module object is an old emscripten thenable whose `then` never settles (so `await` on it
 *   hangs on Node 20): resolve from `onRuntimeInitialized` after deleting `then`;
 * - compile errors only reach the `print`/`printErr` hooks (the thrown Error just says "GLSL
 *   compilation failed"), so the hooks collect the log of each compile;
 * - on load it adds `uncaughtException`/`unhandledRejection` listeners to the process that would
 *   abort kiln on any stray rejection: they are removed again right after.
 */
import { createRequire } from 'node:module';
import { npmPackageIdentity } from '../../src/rule/tool-identity.js';

export const GLSLANG_WASM_PACKAGE = '@webgpu/glslang';

export type WasmStage = 'vertex' | 'fragment' | 'compute';
export type SpirvVersion = '1.0' | '1.1' | '1.2' | '1.3' | '1.4' | '1.5';

interface GlslangModule {
  compileGLSL(source: string, stage: WasmStage, debug: boolean, spirvVersion: SpirvVersion): Uint32Array;
  then?: unknown;
}

interface ModuleOptions {
  print(text: string): void;
  printErr(text: string): void;
  onRuntimeInitialized(): void;
  then?: unknown;
}

export interface WasmCompileResult {
  spirv?: Uint32Array;
  /** Every line glslang printed for this compile (errors and warnings, `ERROR: 0:12: …`). */
  log: string;
}

let loading: Promise<{ module: GlslangModule; log: string[] }> | undefined;

function load(): Promise<{ module: GlslangModule; log: string[] }> {
  loading ??= new Promise((resolve, reject) => {
    const require = createRequire(import.meta.url);
    const before = { exception: new Set(process.listeners('uncaughtException')), rejection: new Set(process.listeners('unhandledRejection')) };
    const log: string[] = [];
    try {
      const factory = require(`${GLSLANG_WASM_PACKAGE}/dist/node-devel/glslang.js`) as (options: ModuleOptions) => unknown;
      const options: ModuleOptions = {
        print: (text) => log.push(text),
        printErr: (text) => log.push(text),
        onRuntimeInitialized: () => {
          delete options.then;
          resolve({ module: options as unknown as GlslangModule, log });
        },
      };
      factory(options);
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    } finally {
      for (const l of process.listeners('uncaughtException')) if (!before.exception.has(l)) process.removeListener('uncaughtException', l);
      for (const l of process.listeners('unhandledRejection')) if (!before.rejection.has(l)) process.removeListener('unhandledRejection', l);
    }
  });
  loading.catch(() => (loading = undefined));
  return loading;
}

/** The SPIR-V version glslangValidator picks for a `--target-env`. */
export function spirvVersionFor(targetEnv: string): SpirvVersion {
  switch (targetEnv) {
    case 'vulkan1.1': return '1.3';
    case 'vulkan1.2': return '1.5';
    default: return '1.0';
  }
}

/** Compiles one flattened source; never throws for GLSL errors (they are in `log`, `spirv` undefined). */
export async function compileGlslWasm(source: string, stage: WasmStage, spirvVersion: SpirvVersion): Promise<WasmCompileResult> {
  const { module, log } = await load();
  log.length = 0;
  try {
    const spirv = module.compileGLSL(source, stage, false, spirvVersion);
    return { spirv, log: log.join('\n') };
  } catch {
    return { log: log.join('\n') };
  } finally {
    log.length = 0;
  }
}

export function glslangWasmIdentity(): string {
  return npmPackageIdentity(GLSLANG_WASM_PACKAGE);
}
