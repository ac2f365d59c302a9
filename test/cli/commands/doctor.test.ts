import { describe, expect, it } from 'vitest';
import { kiln } from '../../support/run-kiln.js';
import { tempWorkspace } from '../../support/temp-workspace.js';

interface Probe { name: string; kind: string; found: boolean; runs: boolean; version?: string; neededBy: string[]; fix?: string; detail: string }

describe('kiln doctor', () => {
  it('lists every tool, says whether it runs here and which platforms need it', () => {
    const ws = tempWorkspace({}, `workspace:
  name: doctor
  packages: pkgs
default_platform: pc
platforms:
  pc: { texture: { format: bc7 } }
  phone: { texture: { format: etc2, encoder: native }, shader: { compiler: native } }
  web: { texture: { format: png } }
`);
    try {
      const run = kiln(ws.root, ['doctor', '--json']);
      const report = JSON.parse(run.stdout) as { tools: Probe[]; platform: string };
      const byName = new Map(report.tools.map((t) => [t.name, t]));
      expect([...byName.keys()]).toEqual(['Basis Universal 2.x (wasm)', 'glslang (wasm)', 'wgsl_reflect', 'sharp (libvips)', 'bc7enc', 'astcenc', 'EtcTool', 'basisu', 'glslangValidator']);
      // The wasm tools are installed with kiln and run everywhere.
      for (const t of report.tools.filter((t) => t.kind === 'wasm')) expect(t, t.name).toMatchObject({ found: true, runs: true, version: expect.stringMatching(/@/) });
      expect(byName.get('Basis Universal 2.x (wasm)')!.neededBy).toEqual(['pc']);
      expect(byName.get('glslang (wasm)')!.neededBy).toEqual(['pc', 'web']);
      expect(byName.get('EtcTool')!.neededBy).toEqual(['phone']);
      expect(byName.get('glslangValidator')!.neededBy).toEqual(['phone']);
      expect(byName.get('bc7enc')!.neededBy).toEqual([]);
      // Exit 1 exactly when a tool some platform needs cannot run here.
      const needed = report.tools.filter((t) => t.neededBy.length > 0);
      expect(run.code).toBe(needed.every((t) => t.runs) ? 0 : 1);
      if (process.platform === 'linux') for (const name of ['bc7enc', 'glslangValidator']) expect(byName.get(name)!.fix, name).toMatch(/apt-get install/);
      const text = kiln(ws.root, ['doctor']).stdout;
      expect(text).toContain('needed by: phone');
      expect(text).toMatch(/wasm\/JS tools .*\n/);
    } finally {
      ws.cleanup();
    }
  });
});
