/**
 * Summarise a V8 `.cpuprofile` (from `node --cpu-prof`): the functions with the most self time,
 * and the time per phase, where each sample goes to the innermost frame on its stack that
 * matches a phase rule (so a `stat` inside the CAS check counts as the CAS check).
 */

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface PhaseRule {
  phase: string;
  /** Matches a frame whose URL contains this text (file paths are compared with `/`). */
  url?: string;
  /** Matches a frame whose function name is one of these (with `url`, both must match). */
  functions?: readonly string[];
}

export interface ProfileSummary {
  totalMs: number;
  top: { name: string; selfMs: number }[];
  phases: { phase: string; ms: number }[];
}

type Frame = CpuProfile['nodes'][number]['callFrame'];

const shortUrl = (url: string): string => url.replace(/^file:\/\//, '').replace(/.*\/(dist|node_modules)\//, '$1/');

export function frameName(frame: Frame): string {
  const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '(native)';
  return `${frame.functionName || '(anonymous)'} ${where}`;
}

function matches(rule: PhaseRule, frame: Frame): boolean {
  if (rule.url !== undefined && !frame.url.includes(rule.url)) return false;
  if (rule.functions !== undefined && !rule.functions.includes(frame.functionName)) return false;
  return rule.url !== undefined || rule.functions !== undefined;
}

export function summariseCpuProfile(profile: CpuProfile, rules: readonly PhaseRule[], topN = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const self = new Map<string, number>();
  const phases = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    const name = frameName(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + us);
    let phase: string | undefined;
    for (let at: number | undefined = id; at !== undefined && phase === undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      phase = rules.find((rule) => matches(rule, frame))?.phase;
    }
    phase ??= 'other';
    phases.set(phase, (phases.get(phase) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total / 1000,
    top: sorted(self).slice(0, topN).map(([name, us]) => ({ name, selfMs: us / 1000 })),
    phases: sorted(phases).map(([phase, us]) => ({ phase, ms: us / 1000 })),
  };
}
