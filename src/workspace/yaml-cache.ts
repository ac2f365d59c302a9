import type { BigIntStats } from 'node:fs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRacy } from '../hash/racy-mtime.js';
import { atomicWrite } from '../store/atomic-write.js';

interface Entry {
  size: string;
  mtimeNs: string;
  ino: string;
  value: unknown;
}

const VERSION = 1;

/**
 * The parsed value of every `assets.yaml`, keyed by the file's stat, in
 * `.kiln/state/yaml-cache.json`. A no-op build of a big workspace then reads one JSON file
 * instead of parsing a hundred YAML files with positions.
 */
export class YamlCache {
  private readonly entries: Map<string, Entry>;
  private dirty = false;

  private constructor(
    private readonly path: string,
    entries: Record<string, Entry>,
  ) {
    this.entries = new Map(Object.entries(entries));
  }

  static load(cacheDir: string): YamlCache {
    const path = join(cacheDir, 'state', 'yaml-cache.json');
    let entries: Record<string, Entry> = {};
    try {
      const file = JSON.parse(readFileSync(path, 'utf8')) as { version: number; entries: Record<string, Entry> };
      if (file.version === VERSION) entries = file.entries;
    } catch {
      // No cache yet, or an unreadable one: everything is parsed.
    }
    return new YamlCache(path, entries);
  }

  get(absPath: string, stat: BigIntStats): unknown {
    const entry = this.entries.get(absPath);
    if (!entry) return undefined;
    if (entry.size !== stat.size.toString() || entry.mtimeNs !== stat.mtimeNs.toString() || entry.ino !== stat.ino.toString()) return undefined;
    return entry.value;
  }

  set(absPath: string, stat: BigIntStats, value: unknown): void {
    if (isRacy(stat.mtimeNs)) {
      if (this.entries.delete(absPath)) this.dirty = true;
      return;
    }
    this.entries.set(absPath, { size: stat.size.toString(), mtimeNs: stat.mtimeNs.toString(), ino: stat.ino.toString(), value });
    this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    await atomicWrite(this.path, JSON.stringify({ version: VERSION, entries: Object.fromEntries(this.entries) }));
  }
}
