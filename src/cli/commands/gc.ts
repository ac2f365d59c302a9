import { protectedKeys } from '../../engine/protected-keys.js';
import { collectGarbage } from '../../store/collect-garbage.js';
import { formatBytes, parseByteSize } from '../byte-size.js';
import type { Command } from '../command.js';
import { EXIT_OK } from '../exit-codes.js';
import { UsageError, openWorkspace } from '../open-builder.js';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new UsageError(`not a duration: "${text}" (examples: 30m, 12h, 7d)`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

export const gcCommand: Command = {
  name: 'gc',
  summary: 'shrink the local cache: evict least recently used entries, keeping what the newest builds need',
  usage: 'kiln gc [--max-size 2G] [--max-age 7d] [--grace 10m]',
  options: { 'max-size': { type: 'string' }, 'max-age': { type: 'string' }, grace: { type: 'string' } },
  async run(args, io) {
    const maxSize = args.values['max-size'] as string | undefined;
    const maxAge = args.values['max-age'] as string | undefined;
    if (maxSize === undefined && maxAge === undefined) throw new UsageError('kiln gc needs --max-size and/or --max-age');
    let maxBytes: number | undefined;
    try {
      maxBytes = maxSize === undefined ? undefined : parseByteSize(maxSize);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { config } = openWorkspace(io);
    const result = await collectGarbage({
      cacheDir: config.cacheDir,
      protect: protectedKeys(config.cacheDir),
      maxBytes,
      maxAgeMs: maxAge === undefined ? undefined : parseDuration(maxAge),
      graceMs: args.values.grace === undefined ? undefined : parseDuration(args.values.grace as string),
    });
    io.stdout(
      `kiln gc: ${formatBytes(result.bytesBefore)} → ${formatBytes(result.bytesAfter)}; removed ${result.removedFiles} of ${result.scannedFiles} entries (${result.protectedFiles} kept for the newest builds or in use)\n`,
    );
    return EXIT_OK;
  },
};
