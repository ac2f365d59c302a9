import { isDigest } from '../hash/digest.js';
import type { ActionResultFile } from './remote-backend.js';

/**
 * A REAPI `ActionResult` in protobuf's JSON mapping (what bazel-remote takes and gives on
 * `/ac/` with `application/json`; a WebDAV server just stores it). Only `outputFiles` matters to
 * kiln; everything else a server adds (execution metadata) is ignored.
 */
export function encodeActionResultJson(files: ActionResultFile[]): string {
  return JSON.stringify({
    outputFiles: files.map((file) => ({ path: file.path, digest: { hash: file.digest.hash, sizeBytes: String(file.digest.size) } })),
  });
}

/** `undefined` for anything that is not an ActionResult with well-formed SHA-256 digests. */
export function decodeActionResultJson(text: string): ActionResultFile[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const outputFiles = (parsed as { outputFiles?: unknown }).outputFiles ?? [];
  if (!Array.isArray(outputFiles)) return undefined;
  const files: ActionResultFile[] = [];
  for (const raw of outputFiles as unknown[]) {
    const file = fileOf(raw);
    if (!file) return undefined;
    files.push(file);
  }
  return files;
}

function fileOf(raw: unknown): ActionResultFile | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const { path, digest } = raw as { path?: unknown; digest?: unknown };
  if (typeof path !== 'string' || digest === null || typeof digest !== 'object') return undefined;
  const { hash, sizeBytes } = digest as { hash?: unknown; sizeBytes?: unknown };
  // proto3 JSON leaves zero out and writes int64 as a string; numbers are accepted too.
  const sizeText = sizeBytes ?? '0';
  if (typeof sizeText !== 'string' && typeof sizeText !== 'number') return undefined;
  if (typeof sizeText === 'string' && !/^\d{1,16}$/.test(sizeText)) return undefined;
  const candidate = { hash, size: Number(sizeText) };
  return isDigest(candidate) ? { path, digest: candidate } : undefined;
}
