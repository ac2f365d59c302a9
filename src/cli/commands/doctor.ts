import type { Command } from '../command.js';
import { EXIT_BUILD_FAILED, EXIT_OK } from '../exit-codes.js';
import { openWorkspace } from '../open-builder.js';
import { probeTools, type ToolProbe } from '../tool-probe.js';
import { hostSimdLevel } from '../../../rules/texture/cpu-simd.js';

function line(p: ToolProbe): string {
  const mark = p.runs ? 'ok  ' : p.found ? 'FAIL' : 'none';
  const head = `${mark} ${p.name}${p.version ? ` ${p.version}` : ''}: ${p.detail}`;
  const parts = [`      for ${p.purpose}`, `      needed by: ${p.neededBy.length > 0 ? p.neededBy.join(', ') : 'no platform of this workspace'}`];
  if (p.path) parts.push(`      at ${p.path}`);
  if (!p.runs && p.fix) parts.push(`      fix: ${p.fix}`);
  return [head, ...parts].join('\n');
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'list every tool kiln can use: found or not, version, whether it runs here, which platforms need it, the fix',
  usage: 'kiln doctor [--json]',
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    let config;
    try {
      config = openWorkspace(io).config;
    } catch {
      // Outside a workspace the tools are still worth checking; nothing "needs" them then.
    }
    const probes = await probeTools(config);
    // A tool some platform needs that does not run here makes that platform's build fail.
    const broken = probes.filter((p) => !p.runs && p.neededBy.length > 0);
    if (args.values.json) {
      io.stdout(`${JSON.stringify({ platform: `${process.platform}-${process.arch}`, node: process.version, simd: hostSimdLevel(), tools: probes }, null, 2)}\n`);
    } else {
      io.stdout(`kiln doctor: ${process.platform}-${process.arch}, Node ${process.version}, CPU ${hostSimdLevel()}\n\n`);
      io.stdout('wasm/JS tools (the default: the same bytes on every machine after npm install)\n');
      for (const p of probes.filter((t) => t.kind === 'wasm')) io.stdout(`  ${line(p)}\n`);
      io.stdout('\nnative accelerators (used only where a platform sets encoder: native / compiler: native)\n');
      for (const p of probes.filter((t) => t.kind === 'native')) io.stdout(`  ${line(p)}\n`);
      io.stdout(broken.length === 0 ? '\nevery tool a platform needs runs here\n' : `\n${broken.length} tool(s) a platform needs cannot run here: ${broken.map((p) => `${p.name} (${p.neededBy.join(', ')})`).join('; ')}\n`);
    }
    return broken.length === 0 ? EXIT_OK : EXIT_BUILD_FAILED;
  },
};
