/** A file written under kiln-out: what we put there, so an untouched copy is not rewritten. */
export interface MaterializedFile {
  digest: string;
  size: number;
  mtimeMs: number;
}
