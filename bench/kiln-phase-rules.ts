/**
 * How samples of a kiln CPU profile are grouped into phases for the scheduler benchmark. The
 * innermost matching frame decides, so `stat` under the CAS check counts as the CAS check.
 */
import type { PhaseRule } from './cpu-profile-summary.js';

export const KILN_PHASE_RULES: readonly PhaseRule[] = [
  { phase: 'garbage collection', functions: ['(garbage collector)'] },
  { phase: 'idle (waiting for I/O)', functions: ['(idle)'] },
  { phase: 'V8 (program)', functions: ['(program)'] },
  { phase: 'YAML parse (yaml library)', url: 'node_modules/yaml/' },
  { phase: 'package load + validation (src/workspace, schema)', url: '/src/workspace/' },
  { phase: 'package load + validation (src/workspace, schema)', url: '/src/rule/schema' },
  { phase: 'graph build + queries (TargetGraph)', url: '/src/graph/' },
  { phase: 'runDag (ready-queue sort in pump)', url: '/src/engine/run-dag' },
  { phase: 'CAS blob store (has/get/put)', url: '/src/store/disk-blob-store' },
  { phase: 'action cache (get/put)', url: '/src/store/disk-action-cache' },
  { phase: 'local store records (entries, small blobs, use times)', url: '/src/store/lmdb-' },
  { phase: 'local store records (entries, small blobs, use times)', url: '/src/store/local-cache-stack' },
  { phase: 'source stat + hash + realpath (file-digest request)', url: '/src/engine/requests/file-digest' },
  { phase: 'source stat + hash + realpath (file-digest request)', url: '/src/hash/file-hasher' },
  { phase: 'request store (LMDB + node decode/encode)', url: '/src/engine/tracker/node-codec' },
  { phase: 'request tracker (verify, load nodes, save)', url: '/src/engine/tracker/' },
  { phase: 'request store (LMDB + node decode/encode)', url: 'node_modules/lmdb/' },
  { phase: 'request store (LMDB + node decode/encode)', url: 'node_modules/msgpackr/' },
  { phase: 'action, materialize and other requests', url: '/src/engine/requests/' },
  { phase: 'action keys (canonicalJson + sha256)', url: '/src/hash/canonical-json' },
  { phase: 'action keys (canonicalJson + sha256)', url: '/src/engine/key-inputs' },
  { phase: 'action keys (canonicalJson + sha256)', url: '/src/hash/digest' },
  { phase: 'materialize kiln-out', url: '/src/engine/materialize' },
  { phase: 'rule cook (files, bundle)', url: '/rules/' },
  { phase: 'rule cook (files, bundle)', url: '/src/bundle/' },
  { phase: 'rule cook (files, bundle)', url: '/src/engine/action-context' },
  { phase: 'progress output', url: '/src/cli/progress-reporter' },
  { phase: 'module loading', url: 'node:internal/modules' },
  { phase: 'Builder.build/runTarget (other engine code)', url: '/src/engine/builder' },
  { phase: 'trace recorder', url: '/src/engine/trace-recorder' },
];
