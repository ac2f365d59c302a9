import { afterEach, describe, expect, it } from 'vitest';
import { digestKey, digestOf } from '../../../src/hash/digest.js';
import { FreshSources } from '../../../src/engine/fresh-sources.js';
import { fileDigestKind } from '../../../src/engine/requests/file-digest.js';
import { RequestTracker } from '../../../src/engine/tracker/request-tracker.js';
import { MemoryTrackerStore } from '../../../src/engine/tracker/tracker-store.js';
import { WorkspaceFiles } from '../../../src/engine/runner/workspace-files.js';
import { tempWorkspace, type TempWorkspace } from '../../support/temp-workspace.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

let ws: TempWorkspace | undefined;
afterEach(() => ws?.cleanup());

describe('file digest request', () => {
  it('hands the bytes it hashed to the cook that reads the source next, not a second read of the file', async () => {
    ws = tempWorkspace({ 'p/a.txt': 'A' });
    const fresh = new FreshSources();
    const tracker = new RequestTracker(new MemoryTrackerStore(), ws.root);
    const kind = fileDigestKind(ws.root, fresh);
    const { digest } = tracker.get(kind, 'p/a.txt');
    expect(digest).toBe(digestKey(digestOf(new TextEncoder().encode('A'))));
    // Changed on disk after hashing: the cook still reads the version its key was computed from.
    writeFileSync(join(ws.root, 'p/a.txt'), 'B');
    const files = new WorkspaceFiles(ws.root, [], fresh);
    const bytes = await files.readSource('p/a.txt', digestOf(new TextEncoder().encode('A')));
    expect(new TextDecoder().decode(bytes)).toBe('A');
    // Handed out once: the next read is of the file, which no longer has that digest.
    await expect(files.readSource('p/a.txt', digestOf(new TextEncoder().encode('A')))).rejects.toThrow(/source changed/);
  });
});
