/** A throw-away workspace on disk for engine and end-to-end tests. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempWorkspace {
  root: string;
  write(path: string, content: string | Uint8Array): void;
  read(path: string): Buffer;
  remove(path: string): void;
  /** Change the mtime (and nothing else), as `touch` does. */
  touch(path: string): void;
  cleanup(): void;
}

export const ROOT_YAML = `workspace:
  name: test
  packages: pkgs
default_platform: desktop
platforms:
  desktop: {}
  mobile: {}
`;

export function tempWorkspace(files: Record<string, string | Uint8Array>, rootYaml = ROOT_YAML): TempWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'kiln-ws-'));
  const write = (path: string, content: string | Uint8Array) => {
    const abs = join(root, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    // Back-date writes so the stat cache may trust them at once (it distrusts files younger than
    // 50 ms, whose mtime could still repeat after another quick edit).
    const past = new Date(Date.now() - 10_000);
    utimesSync(abs, past, past);
  };
  write('assets.yaml', rootYaml);
  for (const [path, content] of Object.entries(files)) write(path, content);
  return {
    root,
    write,
    read: (path) => readFileSync(join(root, path)),
    remove: (path) => rmSync(join(root, path), { force: true, recursive: true }),
    touch: (path) => {
      const later = new Date(Date.now() + 5000);
      utimesSync(join(root, path), later, later);
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
