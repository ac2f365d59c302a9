/**
 * A local Buildbarn for remote-execution tests (started by bench/reapi-servers.ts: bb_storage,
 * bb_scheduler and N bb_worker + bb_runner pairs from tools/buildbarn/config). Outside CI missing
 * binaries skip with a printed reason; with CI=true they are an error.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUILDBARN_BINARIES, CI_BIN } from '../../bench/reapi-servers.js';

export { type BuildbarnCluster, type BuildbarnWorker, startBuildbarn } from '../../bench/reapi-servers.js';

export function buildbarnSkipReason(): string | undefined {
  const missing = BUILDBARN_BINARIES.filter((name) => !existsSync(join(CI_BIN, name)));
  if (missing.length === 0) return undefined;
  const reason = `Buildbarn binaries missing in ${CI_BIN} (${missing.join(', ')}; tools/buildbarn/build.sh builds them); skipping remote execution tests`;
  if (process.env.CI === 'true') throw new Error(`${reason} — but CI=true, where they must run`);
  console.warn(reason);
  return reason;
}
