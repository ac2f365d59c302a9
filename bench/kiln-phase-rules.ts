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
  { phase: 'graph build + queries (TargetGraph, graphlib)', url: '/src/graph/' },
  { phase: 'graph build + queries (TargetGraph, graphlib)', url: 'graphlib' },
  { phase: 'runDag (ready-queue sort in pump)', url: '/src/engine/run-dag' },
  { phase: 'CAS blob store (has/get/put)', url: '/src/store/disk-blob-store' },
  { phase: 'action cache (get/put)', url: '/src/store/disk-action-cache' },
  { phase: 'source stat + realpath (SourceDigester, StatCache)', url: '/src/engine/source-digester' },
  { phase: 'source stat + realpath (SourceDigester, StatCache)', url: '/src/hash/stat-cache' },
  { phase: 'source stat + realpath (SourceDigester, StatCache)', url: '/src/hash/file-hasher' },
  { phase: 'action keys (canonicalJson + sha256)', url: '/src/hash/canonical-json' },
  { phase: 'action keys (canonicalJson + sha256)', url: '/src/engine/key-inputs' },
  { phase: 'action keys (canonicalJson + sha256)', url: '/src/hash/digest' },
  { phase: 'build state load/save (JSON)', url: '/src/engine/build-state' },
  { phase: 'materialize kiln-out', url: '/src/engine/materialize' },
  { phase: 'rule cook (files, bundle)', url: '/rules/' },
  { phase: 'rule cook (files, bundle)', url: '/src/bundle/' },
  { phase: 'rule cook (files, bundle)', url: '/src/engine/action-context' },
  { phase: 'progress output', url: '/src/cli/progress-reporter' },
  { phase: 'module loading', url: 'node:internal/modules' },
  { phase: 'Builder.build/runTarget (other engine code)', url: '/src/engine/builder' },
  { phase: 'trace recorder', url: '/src/engine/trace-recorder' },
];
