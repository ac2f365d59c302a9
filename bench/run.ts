/**
 * `npm run bench`: runs every `bench/*.bench.ts` module (compiled to `dist/bench/*.bench.js`) and
 * writes `BENCHMARKS.md` at the repository root, with the machine noted.
 *
 * Each module runs in its own child process (this same script, told which module through the
 * environment), so one that fails, crashes or leaks does not stop or skew the others. A module
 * exporting `bench(): Promise<string>` contributes that Markdown; one that only prints when
 * imported contributes its console output as a code block.
 *
 *   node dist/bench/run.js                  all modules
 *   node dist/bench/run.js scheduler audio  only these; the other sections of BENCHMARKS.md are kept
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { machineInfo } from './machine-info.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const OUTPUT = join(REPO, 'BENCHMARKS.md');
const SUFFIX = '.bench.js';
/** Modules in this order first, then any others alphabetically. */
const ORDER = ['texture', 'model', 'audio', 'runtime', 'watch', 'scheduler'];
const CHILD_MODULE = 'KILN_BENCH_MODULE';
const CHILD_OUT = 'KILN_BENCH_OUT';
const TIMEOUT_MS = Number(process.env.KILN_BENCH_TIMEOUT_MS ?? 20 * 60_000);

interface Section {
  name: string;
  markdown: string;
  ok: boolean;
}

const begin = (name: string) => `<!-- bench:${name} -->`;
const end = (name: string) => `<!-- /bench:${name} -->`;

function discover(): string[] {
  const names = readdirSync(HERE)
    .filter((file) => file.endsWith(SUFFIX))
    .map((file) => file.slice(0, -SUFFIX.length));
  const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** In the child: import one module, run its bench(), leave the Markdown in a file. */
async function runChild(modulePath: string, outPath: string): Promise<void> {
  const mod = (await import(pathToFileURL(modulePath).href)) as { bench?: () => Promise<string> };
  if (typeof mod.bench === 'function') writeFileSync(outPath, await mod.bench());
}

function runModule(name: string): Promise<Section> {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-run-'));
  const outPath = join(dir, 'section.md');
  const started = performance.now();
  process.stderr.write(`\n=== bench: ${name}\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
      cwd: REPO,
      env: { ...process.env, [CHILD_MODULE]: join(HERE, `${name}${SUFFIX}`), [CHILD_OUT]: outPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      process.stderr.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      process.stderr.write(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const stamp = `_Run ${new Date().toISOString()}, took ${seconds} s._`;
      let section: Section;
      if (code === 0 && existsSync(outPath)) {
        section = { name, ok: true, markdown: `${readFileSync(outPath, 'utf8').trim()}\n\n${stamp}` };
      } else if (code === 0) {
        section = { name, ok: true, markdown: `## ${name}\n\n\`bench/${name}.bench.ts\` exports no \`bench()\`; its console output:\n\n\`\`\`\n${stdout.trim()}\n\`\`\`\n\n${stamp}` };
      } else {
        const why = signal ? `killed by ${signal}${signal === 'SIGKILL' ? ` (timeout ${TIMEOUT_MS} ms?)` : ''}` : `exit code ${code}`;
        const tail = (stderr || stdout).trim().split('\n').slice(-15).join('\n');
        section = { name, ok: false, markdown: `## ${name}\n\n**Failed** (${why}):\n\n\`\`\`\n${tail}\n\`\`\`\n\n${stamp}` };
      }
      rmSync(dir, { recursive: true, force: true });
      resolve(section);
    });
  });
}

/**
 * Blocks of an existing BENCHMARKS.md, by name, so a partial run keeps the others: `bench` blocks
 * are a benchmark's own output (replaced when it runs again), `notes` blocks are hand-written
 * analysis of a section (kept as they are, printed just before their section).
 */
function previousBlocks(kind: 'bench' | 'notes'): Map<string, string> {
  const found = new Map<string, string>();
  if (!existsSync(OUTPUT)) return found;
  const text = readFileSync(OUTPUT, 'utf8');
  const pattern = new RegExp(`<!-- ${kind}:([\\w-]+) -->\\n([\\s\\S]*?)\\n<!-- \\/${kind}:\\1 -->`, 'g');
  for (const match of text.matchAll(pattern)) found.set(match[1]!, match[2]!);
  return found;
}

async function main(): Promise<void> {
  const all = discover();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !all.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const selected = wanted.length > 0 ? all.filter((name) => wanted.includes(name)) : all;
  const sections = previousBlocks('bench');
  const notes = previousBlocks('notes');
  const failed: string[] = [];
  for (const name of selected) {
    const section = await runModule(name);
    sections.set(name, section.markdown);
    if (!section.ok) failed.push(name);
  }
  const order = [...all, ...[...sections.keys()].filter((name) => !all.includes(name)).sort()];
  const note = (name: string) => (notes.has(name) ? `<!-- notes:${name} -->\n${notes.get(name)!}\n<!-- /notes:${name} -->\n\n` : '');
  const body = order.filter((name) => sections.has(name)).map((name) => `${note(name)}${begin(name)}\n${sections.get(name)!}\n${end(name)}`);
  const text = [
    '# kiln benchmarks',
    '',
    'Generated by `npm run bench` (`bench/run.ts`); `node dist/bench/run.js <name>…` re-runs some sections and keeps the rest.',
    'Figures on a shared 2-core machine are noisy: compare the side-by-side ratios rather than absolute times.',
    '',
    `Last run on: ${machineInfo()}.`,
    '',
    ...body.flatMap((block) => [block, '']),
  ].join('\n');
  writeFileSync(OUTPUT, text);
  process.stderr.write(`\nwrote ${OUTPUT}${failed.length > 0 ? `; failed: ${failed.join(', ')}` : ''}\n`);
  if (failed.length > 0) process.exitCode = 1;
}

const childModule = process.env[CHILD_MODULE];
const childOut = process.env[CHILD_OUT];
if (childModule && childOut) await runChild(childModule, childOut);
else await main();
