/**
 * Bad input through the CLI: broken declarations (malformed YAML, wrong attribute types, unknown
 * rules, cycles, labels and source paths that escape the workspace) and broken files (every
 * corrupt file of the corpus, PngSuite's x*.png, a 0-byte file, a decompression bomb). Each must
 * give a clear error naming the label and the file, a non-zero exit code, no stack trace (no
 * --verbose here), and with --keep-going every unrelated target still builds.
 *
 * A few corrupt files are copied into test/fixtures/bad-input and always run; the whole corpus
 * (`../shared/corpus`) runs when it is present.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, type KilnRun, kiln } from '../support/run-kiln.js';
import { type TempWorkspace, tempWorkspace } from '../support/temp-workspace.js';
import { noisePng } from './support/generated-workspace.js';
import type { TargetReport } from '../../src/engine/build-result.js';
import { formatDiagnostic } from '../../src/diagnostic/format-diagnostic.js';

/** A target's errors from the summary JSON, formatted as the CLI prints them. */
const errorText = (report: TargetReport | undefined) => (report?.diagnostics ?? []).filter((d) => d.severity === 'error').map(formatDiagnostic).join('\n');

const CORPUS = join(REPO_ROOT, '../shared/corpus');
const FIXTURES = join(REPO_ROOT, 'test/fixtures/bad-input');
const STACK = /^\s+at .+[(:]\d+/m;

const ROOT_YAML = `workspace:
  name: bad-input
  packages: pkgs
default_platform: desktop
platforms:
  desktop: { texture: { format: rgba8, max_size: 256, max_pixels: 16777216 } }
`;

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** A well-formed PNG header claiming width×height RGBA pixels, with a tiny IDAT: a decompression bomb's shape. */
function bombPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(4096))), chunk('IEND', Buffer.alloc(0))]);
}

/** Target name for a file path: letters, digits and `_` only. */
const targetName = (path: string) => path.replace(/[^A-Za-z0-9_]/g, '_');

/** The rule that cooks a file of this extension, or undefined for files that are not inputs (buffers, reports). */
function ruleFor(path: string): string | undefined {
  if (path.endsWith('.report.json') || path.endsWith('.bin')) return undefined;
  if (/\.(png|jpe?g|dds|ktx2?)$/i.test(path)) return 'texture';
  if (/\.(gltf|glb)$/i.test(path)) return 'model';
  return undefined;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.isDirectory()) walk(join(abs, entry.name));
      else out.push(relative(dir, join(abs, entry.name)).split('\\').join('/'));
    }
  };
  walk(dir);
  return out;
}

/** A package of one target per input file; the whole folder is copied (glTF files reference their neighbours). */
function filePackage(ws: TempWorkspace, pkg: string, from: string, files: string[], wholeFolder = true): { label: string; file: string }[] {
  if (wholeFolder) cpSync(from, join(ws.root, 'pkgs', pkg), { recursive: true });
  else for (const file of files) cpSync(join(from, file), join(ws.root, 'pkgs', pkg, file));
  const targets: { label: string; file: string }[] = [];
  const lines = ['targets:'];
  for (const file of files) {
    const rule = ruleFor(file);
    if (!rule) continue;
    const name = targetName(file);
    lines.push(`  ${name}: { rule: ${rule}, srcs: [${JSON.stringify(file)}] }`);
    targets.push({ label: `//${pkg}:${name}`, file: `pkgs/${pkg}/${file}` });
  }
  ws.write(`pkgs/${pkg}/assets.yaml`, `${lines.join('\n')}\n`);
  return targets;
}

/** The failure is clear: exit ≠ 0, the message names file and label, no stack trace. */
function expectCleanFailure(run: KilnRun, label: string, file: string | RegExp, message: string | RegExp): void {
  expect(run.code, run.stderr).not.toBe(0);
  const line = run.stderr.split('\n').find((l) => l.includes(label) && (typeof message === 'string' ? l.includes(message) : message.test(l)));
  expect(line, `no error line naming ${label} and "${String(message)}" in:\n${run.stderr}`).toBeDefined();
  if (typeof file === 'string') expect(line).toContain(file);
  else expect(line).toMatch(file);
  expect(run.stderr).not.toMatch(STACK);
}

describe('bad input through the CLI', () => {
  let ws: TempWorkspace;
  let outside: string;
  const fixtureTargets: { label: string; file: string }[] = [];
  const corpusTargets: { label: string; file: string }[] = [];

  beforeAll(async () => {
    ws = tempWorkspace({}, ROOT_YAML);
    outside = join(tmpdir(), `kiln-outside-${process.pid}`);
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret.yaml'), 'secret: 42\n');

    // Unrelated, healthy targets: with --keep-going they must all build.
    ws.write('pkgs/good/assets.yaml', 'targets:\n  data: { rule: data, srcs: [data.yaml] }\n  tex: { rule: texture, srcs: [tex.png] }\n  bundle: { rule: bundle, deps: [":data", ":tex"] }\n');
    ws.write('pkgs/good/data.yaml', 'speed: 3\nname: good\n');
    ws.write('pkgs/good/tex.png', await noisePng(7, 32));

    ws.write(
      'pkgs/decl/assets.yaml',
      [
        'targets:',
        '  ok: { rule: data, srcs: [ok.yaml] }',
        '  wrong_type: { rule: texture, srcs: [ok.png], max_size: "big" }',
        '  wrong_list: { rule: data, srcs: { a: 1 } }',
        '  unknown_rule: { rule: texturr, srcs: [ok.png] }',
        '  dotdot: { rule: data, srcs: [../../../../etc/passwd] }',
        '  absolute: { rule: data, srcs: [/etc/passwd] }',
        '  symlink: { rule: data, srcs: [link.yaml] }',
        '  glob_escape: { rule: data, glob: "../*.yaml" }',
        '  dep_escape: { rule: bundle, deps: ["//../outside:x"] }',
        '  dep_unknown: { rule: bundle, deps: [":okk"] }',
        '  missing: { rule: data, srcs: [nope.yaml] }',
        '  needs_bad: { rule: bundle, deps: [":wrong_type"] }',
        '',
      ].join('\n'),
    );
    ws.write('pkgs/decl/ok.yaml', 'a: 1\n');
    ws.write('pkgs/decl/ok.png', await noisePng(8, 16));
    symlinkSync(join(outside, 'secret.yaml'), join(ws.root, 'pkgs/decl/link.yaml'));

    ws.write('pkgs/yaml_bad/assets.yaml', 'targets:\n  a: { rule: data, srcs: [a.yaml]\n  b: [unclosed\n');
    ws.write('pkgs/cycle/assets.yaml', 'targets:\n  a: { rule: bundle, deps: [":b"] }\n  b: { rule: bundle, deps: [":c"] }\n  c: { rule: bundle, deps: [":a"] }\n');

    ws.write(
      'pkgs/files/assets.yaml',
      'targets:\n  empty: { rule: texture, srcs: [empty.png] }\n  empty_model: { rule: model, srcs: [empty.glb] }\n  bomb: { rule: texture, srcs: [bomb.png] }\n  big_bomb: { rule: texture, srcs: [big_bomb.png] }\n',
    );
    ws.write('pkgs/files/empty.png', new Uint8Array(0));
    ws.write('pkgs/files/empty.glb', new Uint8Array(0));
    // 5000×5000 is under the texture rule's default limit (16384²) and over the configured 4096².
    ws.write('pkgs/files/bomb.png', bombPng(5000, 5000));
    ws.write('pkgs/files/big_bomb.png', bombPng(100_000, 100_000));

    fixtureTargets.push(...filePackage(ws, 'fixtures', FIXTURES, listFiles(FIXTURES)));
    if (existsSync(CORPUS)) {
      corpusTargets.push(...filePackage(ws, 'corpus', join(CORPUS, 'broken'), listFiles(join(CORPUS, 'broken'))));
      const xs = readdirSync(join(CORPUS, 'pngsuite')).filter((f) => /^x.*\.png$/.test(f));
      corpusTargets.push(...filePackage(ws, 'pngsuite', join(CORPUS, 'pngsuite'), xs, false));
    } else {
      console.log(`bad-input: ${CORPUS} not found; corpus cases skipped (fixtures still run)`);
    }
  });
  afterAll(() => {
    ws?.cleanup();
    rmSync(outside, { recursive: true, force: true });
  });

  describe('declarations', () => {
    it('malformed YAML: file:line:column and the package label, exit 2', () => {
      const run = kiln(ws.root, ['build', '//yaml_bad:a']);
      expect(run.code).toBe(2);
      expectCleanFailure(run, '//yaml_bad', /pkgs\/yaml_bad\/assets\.yaml:\d+:\d+/, 'invalid YAML');
    });

    it.each([
      ['wrong_type', 'expected an integer, got string "big"'],
      ['wrong_list', 'srcs: expected a string or a list of strings'],
      ['unknown_rule', 'unknown rule "texturr" (did you mean "texture"?)'],
      ['dotdot', 'source "../../../../etc/passwd" leaves the workspace'],
      ['absolute', 'source "/etc/passwd" is an absolute path'],
      ['glob_escape', 'glob "../*.yaml" must stay inside the package'],
      ['dep_escape', 'package paths may not contain "." or ".."'],
      ['dep_unknown', 'no target "okk" in //decl (nearest: :ok'],
      ['missing', 'source file not found: pkgs/decl/nope.yaml'],
    ])('%s: names the YAML position and the label', (name, message) => {
      const run = kiln(ws.root, ['build', `//decl:${name}`]);
      expectCleanFailure(run, `//decl:${name}`, /pkgs\/decl\/assets\.yaml:\d+:\d+/, message);
    });

    it('a source symlinked to a file outside the workspace is refused', () => {
      const run = kiln(ws.root, ['build', '//decl:symlink']);
      expectCleanFailure(run, '//decl:symlink', 'pkgs/decl/link.yaml', 'outside the workspace');
      expect(run.summary?.executed).toBe(0);
    });

    it('a dependency cycle prints the cycle at the first target’s deps, exit 2', () => {
      const run = kiln(ws.root, ['build', '//cycle:a']);
      expect(run.code).toBe(2);
      expectCleanFailure(run, '//cycle:a', /pkgs\/cycle\/assets\.yaml:\d+:\d+/, 'dependency cycle: //cycle:a -> //cycle:b -> //cycle:c -> //cycle:a');
    });

    it('a label on the command line that escapes the workspace is a usage error', () => {
      const run = kiln(ws.root, ['build', '//../outside:x']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('//../outside:x');
      expect(run.stderr).not.toMatch(STACK);
    });

    it('a dependent of a broken target is skipped, naming the cause', () => {
      const run = kiln(ws.root, ['build', '//decl:needs_bad']);
      // A configuration error (here an attribute of the wrong type) exits 2, even with a skipped dependent.
      expect(run.code).toBe(2);
      expect(run.summary?.targets.find((t) => t.label === '//decl:needs_bad')?.status).toBe('skipped');
      expectCleanFailure(run, '//decl:wrong_type', 'pkgs/decl/assets.yaml', 'expected an integer');
    });
  });

  describe('files', () => {
    it.each([
      ['empty', 'pkgs/files/empty.png', 'not an image format kiln reads'],
      ['empty_model', 'pkgs/files/empty.glb', 'file is 0 bytes'],
      ['bomb', 'pkgs/files/bomb.png', 'image is 5000×5000 = 25000000 pixels, above the limit max_pixels = 16777216 (refused before decoding)'],
      ['big_bomb', 'pkgs/files/big_bomb.png', 'above the limit max_pixels = 16777216 (refused before decoding)'],
    ])('%s: refused with the file and the label', (name, file, message) => {
      const started = Date.now();
      const run = kiln(ws.root, ['build', `//files:${name}`]);
      expectCleanFailure(run, `//files:${name}`, `${file}: //files:${name}: `, message);
      // Refused from the header: no time or memory spent decoding billions of pixels.
      expect(Date.now() - started).toBeLessThan(20_000);
    });

    it('every fixture copied from the corpus fails cleanly, one build with --keep-going', () => {
      expect(fixtureTargets.length).toBeGreaterThanOrEqual(9);
      const run = kiln(ws.root, ['build', '//fixtures:all', '--keep-going']);
      expect(run.code).toBe(1);
      for (const { label, file } of fixtureTargets) {
        const report = run.summary?.targets.find((t) => t.label === label);
        expect(report?.status, label).toBe('failed');
        expect(errorText(report), label).toContain(`${file}: ${label}: `);
        // A rule error, not a crash of the rule (those keep a stack for --verbose).
        expect((report as { stack?: string } | undefined)?.stack, label).toBeUndefined();
        expectCleanFailure(run, label, file, `${label}: `);
      }
    });
  });

  describe('corpus: every file of ../shared/corpus/broken and PngSuite x*.png', () => {
    /** Corpus files that are odd but readable (a PNG named .jpg, trailing bytes, an out-of-range palette index): they may cook. */
    const TOLERATED = new Set(['//corpus:jpg_this_is_png_jpg', '//corpus:jpg_trailing_zero_jpg', '//corpus:png_invalid_palette_index_png']);
    let run: KilnRun | undefined;
    beforeAll(() => {
      if (corpusTargets.length > 0) run = kiln(ws.root, ['build', '//corpus:all', '//pngsuite:all', '--keep-going']);
    });

    it('covers every input file of the corpus', () => {
      if (!existsSync(CORPUS)) return console.log('bad-input: corpus absent, skipped');
      expect(corpusTargets.length).toBeGreaterThan(60);
      expect(corpusTargets.filter((t) => t.label.startsWith('//pngsuite:'))).toHaveLength(14);
      expect(run?.code).toBe(1);
      expect(run?.stderr).not.toMatch(STACK);
    });

    it('each corrupt file fails with its file and label (odd-but-readable ones may cook)', () => {
      if (!run) return console.log('bad-input: corpus absent, skipped');
      const problems: string[] = [];
      for (const { label, file } of corpusTargets) {
        const report = run.summary?.targets.find((t) => t.label === label);
        if (!report) problems.push(`${label}: not in the summary`);
        else if (report.status !== 'failed') {
          if (!TOLERATED.has(label) || report.status !== 'executed') problems.push(`${label}: ${report.status}, expected failed`);
        } else if (!errorText(report).startsWith(`${file}: ${label}: `)) problems.push(`${label}: unclear error: ${errorText(report)}`);
        else if ((report as { stack?: string }).stack) problems.push(`${label}: the rule crashed instead of refusing the file: ${errorText(report)}`);
      }
      expect(problems).toEqual([]);
    });
  });

  describe('--keep-going', () => {
    it('builds every unrelated target despite all of the above in one //... build', () => {
      const run = kiln(ws.root, ['build', '//...', '--keep-going']);
      // Some of the failures are configuration errors: exit 2 (unrelated targets still built).
      expect(run.code).toBe(2);
      expect(run.stderr).not.toMatch(STACK);
      const status = (label: string) => run.summary?.targets.find((t) => t.label === label)?.status;
      for (const label of ['//good:data', '//good:tex', '//good:bundle', '//decl:ok']) expect(status(label), label).toMatch(/executed|cached/);
      expect(existsSync(join(ws.root, 'kiln-out/desktop/good/bundle.tar'))).toBe(true);
      // What could not be analysed fails like a target, with file and label.
      expect(status('//yaml_bad')).toBe('failed');
      for (const label of ['//cycle:a', '//cycle:b', '//cycle:c']) expect(status(label), label).toBe('failed');
      expectCleanFailure(run, '//yaml_bad', 'pkgs/yaml_bad/assets.yaml', 'invalid YAML');
      expectCleanFailure(run, '//cycle:b', 'pkgs/cycle/assets.yaml', 'dependency cycle');
      for (const name of ['wrong_type', 'unknown_rule', 'dotdot', 'absolute', 'symlink', 'glob_escape', 'dep_escape', 'missing']) {
        expect(status(`//decl:${name}`), name).toBe('failed');
      }
      for (const name of ['empty', 'bomb', 'big_bomb']) expect(status(`//files:${name}`), name).toBe('failed');
    });

    it('without --keep-going a broken package or a cycle stops //... before anything runs (exit 2)', () => {
      const run = kiln(ws.root, ['build', '//...']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^ERROR: pkgs\/(yaml_bad|cycle)\/assets\.yaml:\d+:\d+: /m);
      expect(run.stderr).not.toMatch(STACK);
    });
  });
});
