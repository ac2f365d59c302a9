/** Walks the import specifiers of src/ files, for the layering tests of format/ and runtime/. */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

const srcDir = join(import.meta.dirname, '../../../src');

/**
 * Every import specifier of a file: static imports and `export … from` (type-only ones too: a type
 * from the cooker is a dependency as well), side-effect imports and dynamic `import('…')` with a
 * literal. Statements start a line (the formatter puts them there), so an import quoted inside a
 * string or a comment is not one; block and line comments are dropped first.
 */
export async function importsOf(file: string): Promise<string[]> {
  const code = (await readFile(file, 'utf8')).replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const m of code.matchAll(/^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*(['"])([^'"]+)\1/gm)) found.push(m[2]!);
  for (const m of code.matchAll(/^\s*import\s*(['"])([^'"]+)\1/gm)) found.push(m[2]!);
  for (const m of code.matchAll(/\bimport\s*\(\s*(['"])([^'"]+)\1/g)) found.push(m[2]!);
  return found;
}

export async function tsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
}

/** Which top-level src/ folder a relative import of `file` lands in. */
export function folderOf(file: string, specifier: string): string {
  return relative(srcDir, resolve(dirname(file), specifier)).split(/[\\/]/)[0]!;
}
