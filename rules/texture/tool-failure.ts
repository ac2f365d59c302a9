/**
 * Why a native tool could not run, told apart from an encoder that ran and failed: the dynamic
 * loader's own report (the only place the missing library is named) on Linux and macOS, the
 * NTSTATUS exit code on Windows. The result feeds a `tool-missing` diagnostic with the fix.
 */
export interface ToolLoadFailure {
  /** The library or symbol version the loader could not find, when it said. */
  missing: string;
}

/** STATUS_DLL_NOT_FOUND and STATUS_ENTRYPOINT_NOT_FOUND as Node reports a Windows exit code. */
const WINDOWS_LOADER_EXITS = new Set([3221225781, -1073741515, 3221225785, -1073741511]);

// These patterns read the system loader's messages (glibc ld.so, macOS dyld), not kiln's own errors.
const LINUX_MISSING = /error while loading shared libraries: ([^:\s]+)/;
const GLIBC_VERSION = /version `(GLIBC_[0-9.]+)' not found/;
const DYLD_MISSING = /Library not loaded: (\S+)/;

export function toolLoadFailure(code: number | string | null | undefined, stderr: string): ToolLoadFailure | undefined {
  const lib = LINUX_MISSING.exec(stderr) ?? DYLD_MISSING.exec(stderr);
  if (lib) return { missing: lib[1]! };
  const glibc = GLIBC_VERSION.exec(stderr);
  if (glibc) return { missing: glibc[1]! };
  if (typeof code === 'number' && WINDOWS_LOADER_EXITS.has(code)) return { missing: 'a DLL (the Visual C++ runtime)' };
  return undefined;
}
