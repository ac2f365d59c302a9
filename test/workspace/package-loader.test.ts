import { afterEach, describe, expect, it } from 'vitest';
import { dataRule } from '../../rules/data/index.js';
import { filesRule } from '../../rules/files/index.js';
import { createRegistry } from '../../src/rule/registry.js';
import { LocatedErrors } from '../../src/workspace/located-error.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const rules = createRegistry([filesRule(), dataRule()]);
const open = () => Workspace.at(ws.root, rules);

function brokenMessages(pkg: string): string[] {
  return [...open().package(pkg).broken.values()].flat().map((e) => e.format());
}

describe('loading a package', () => {
  it('points a misspelt attribute at its line and column, with the nearest name', () => {
    ws = tempWorkspace({ 'pkgs/lvl/assets.yaml': 'targets:\n  cfg:\n    rule: data\n    srcs: [a.json]\n    formt: json\n' });
    expect(brokenMessages('lvl')).toEqual(['pkgs/lvl/assets.yaml:5:5: //lvl:cfg: unknown attribute "formt" (did you mean "format"?)']);
  });

  it('rejects ill-typed attributes and unknown enum values where they are written', () => {
    ws = tempWorkspace({ 'pkgs/lvl/assets.yaml': 'targets:\n  cfg: { rule: data, srcs: [a.json], max_bytes: "big", format: jsn }\n' });
    expect(brokenMessages('lvl')).toEqual([
      'pkgs/lvl/assets.yaml:2:49: //lvl:cfg: expected an integer, got string "big"',
      'pkgs/lvl/assets.yaml:2:64: //lvl:cfg: expected one of auto, json, yaml, csv, got string "jsn" (did you mean "json"?)',
    ]);
  });

  it('names the nearest rule for an unknown one, and keeps the rest of the package', () => {
    ws = tempWorkspace({ 'pkgs/lvl/assets.yaml': 'targets:\n  a: { rule: dta, srcs: [a.json] }\n  b: { rule: data, srcs: [b.json] }\n' });
    const pkg = open().package('lvl');
    expect([...pkg.targets.keys()]).toEqual(['b']);
    expect(pkg.broken.get('a')?.[0]?.format()).toMatch(/^pkgs\/lvl\/assets\.yaml:2:14: \/\/lvl:a: unknown rule "dta" \(did you mean "data"\?\)/);
  });

  it('refuses sources that leave the workspace or are absolute', () => {
    ws = tempWorkspace({ 'pkgs/lvl/assets.yaml': 'targets:\n  a: { rule: files, srcs: [../../../etc/passwd] }\n  b: { rule: files, srcs: [/etc/passwd] }\n' });
    expect(brokenMessages('lvl')).toEqual([
      'pkgs/lvl/assets.yaml:2:28: //lvl:a: source "../../../etc/passwd" leaves the workspace',
      'pkgs/lvl/assets.yaml:3:28: //lvl:b: source "/etc/passwd" is an absolute path; sources are relative to the package',
    ]);
  });

  it('reports YAML syntax errors with line and column', () => {
    ws = tempWorkspace({ 'pkgs/lvl/assets.yaml': 'targets:\n  a: { rule: files, srcs: [x\n' });
    expect(() => open().package('lvl')).toThrow(/^invalid YAML: /);
    try {
      open().package('lvl');
    } catch (error) {
      expect((error as { format(): string }).format()).toMatch(/^pkgs\/lvl\/assets\.yaml:\d+:\d+: invalid YAML/);
    }
  });

  it('expands a glob to one target per file, skipping sub-packages and dot-folders', () => {
    ws = tempWorkspace({
      'pkgs/lvl/assets.yaml': 'targets:\n  rocks: { rule: files, glob: "tex/**/*.png", exclude: ["tex/old_*"] }\n',
      'pkgs/lvl/tex/rock_01.png': 'a',
      'pkgs/lvl/tex/deep/rock_02.png': 'b',
      'pkgs/lvl/tex/old_rock.png': 'c',
      'pkgs/lvl/tex/.cache/x.png': 'd',
      'pkgs/lvl/tex/sub/assets.yaml': 'targets: {}\n',
      'pkgs/lvl/tex/sub/rock_03.png': 'e',
    });
    const pkg = open().package('lvl');
    expect([...pkg.targets.keys()]).toEqual(['rocks/deep/rock_02', 'rocks/rock_01']);
    expect(pkg.groups.get('rocks')).toEqual(['rocks/deep/rock_02', 'rocks/rock_01']);
    expect(pkg.targets.get('rocks/rock_01')?.srcs).toEqual(['pkgs/lvl/tex/rock_01.png']);
  });

  it('checks package defaults and per-platform overrides against the rule schema', () => {
    ws = tempWorkspace({ 'pkgs/lvl/assets.yaml': 'defaults:\n  data: { csv_typed: true }\ntargets:\n  a: { rule: data, srcs: [a.csv], platforms: { moble: { csv_typed: false } } }\n' });
    expect(brokenMessages('lvl')).toEqual(['pkgs/lvl/assets.yaml:4:48: //lvl:a: unknown platform "moble" (did you mean "mobile"?)']);
    ws.write('pkgs/lvl/assets.yaml', 'defaults:\n  data: { csv_typd: true }\ntargets: {}\n');
    expect(() => open().package('lvl')).toThrow(LocatedErrors);
  });
});
