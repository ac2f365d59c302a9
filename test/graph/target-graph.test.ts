import { afterEach, describe, expect, it } from 'vitest';
import { filesRule } from '../../rules/files/index.js';
import { CycleError } from '../../src/graph/cycle-error.js';
import { TargetGraph } from '../../src/graph/target-graph.js';
import { createRegistry } from '../../src/rule/registry.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const open = () => Workspace.at(ws.root, createRegistry([filesRule()]));

const FILES = {
  'pkgs/levels/forest/assets.yaml': `targets:
  bark: { rule: files, srcs: [bark.png] }
  rocks: { rule: files, glob: "rock_*.png" }
  bundle: { rule: files, srcs: [list.txt], deps: [":bark", ":rocks", "//common:ui"] }
`,
  'pkgs/levels/forest/rock_01.png': '1',
  'pkgs/levels/forest/rock_02.png': '2',
  'pkgs/levels/desert/assets.yaml': 'targets:\n  sand: { rule: files, srcs: [sand.png], deps: ["//common:ui"] }\n',
  'pkgs/common/assets.yaml': 'targets:\n  ui: { rule: files, srcs: [ui.png] }\n',
  'pkgs/other/assets.yaml': 'targets:\n  junk: { rule: files, srcs: [j] }\n',
};

describe('TargetGraph', () => {
  it('loads only the packages the requested labels reach', () => {
    ws = tempWorkspace({ ...FILES, 'pkgs/other/assets.yaml': 'this is: [not yaml' });
    const graph = TargetGraph.build(open(), ['//levels/forest:bundle']);
    expect(graph.labels).toEqual(['//common:ui', '//levels/forest:bark', '//levels/forest:bundle', '//levels/forest:rocks/rock_01', '//levels/forest:rocks/rock_02']);
  });

  it('expands a glob group used as a dependency and on the command line', () => {
    ws = tempWorkspace(FILES);
    const graph = TargetGraph.build(open(), ['//levels/forest:rocks']);
    expect(graph.requested.sort()).toEqual(['//levels/forest:rocks/rock_01', '//levels/forest:rocks/rock_02']);
    const full = TargetGraph.build(open(), ['//levels/forest:bundle']);
    expect([...full.depsOf('//levels/forest:bundle')].sort()).toEqual(['//common:ui', '//levels/forest:bark', '//levels/forest:rocks/rock_01', '//levels/forest:rocks/rock_02']);
  });

  it('understands //..., //prefix/... and :all patterns', () => {
    ws = tempWorkspace(FILES);
    expect(TargetGraph.build(open(), ['//levels/...']).requested.sort()).toEqual([
      '//levels/desert:sand',
      '//levels/forest:bark',
      '//levels/forest:bundle',
      '//levels/forest:rocks/rock_01',
      '//levels/forest:rocks/rock_02',
    ]);
    expect(TargetGraph.build(open(), ['//common:all']).requested).toEqual(['//common:ui']);
    expect(TargetGraph.build(open(), ['//...']).requested).toHaveLength(7);
  });

  it('answers deps and rdeps queries', () => {
    ws = tempWorkspace(FILES);
    const graph = TargetGraph.build(open(), ['//...']);
    expect(graph.rdepsOf('//common:ui')).toEqual(['//levels/desert:sand', '//levels/forest:bundle']);
    expect(graph.reverseClosure('//levels/forest:rocks/rock_01')).toEqual(['//levels/forest:bundle']);
    expect(graph.toDot(['//levels/desert:sand', '//common:ui'])).toContain('"//levels/desert:sand" -> "//common:ui";');
  });

  it('prints a cycle as the chain of labels', () => {
    ws = tempWorkspace({ 'pkgs/a/assets.yaml': 'targets:\n  x: { rule: files, srcs: [f], deps: [":y"] }\n  y: { rule: files, srcs: [f], deps: ["//b:z"] }\n', 'pkgs/b/assets.yaml': 'targets:\n  z: { rule: files, srcs: [f], deps: ["//a:x"] }\n' });
    expect(() => TargetGraph.build(open(), ['//a:x'])).toThrow(new CycleError(['//a:x', '//a:y', '//b:z', '//a:x']));
  });

  it('names the nearest targets and packages for unknown labels', () => {
    ws = tempWorkspace(FILES);
    expect(() => TargetGraph.build(open(), ['//levels/forest:bark2'])).toThrow('no target "bark2" in //levels/forest (nearest: :bark, :rocks, :bundle)');
    expect(() => TargetGraph.build(open(), ['//level/forest:bark'])).toThrow('no package //level/forest (nearest: //levels/forest');
    ws.write('pkgs/levels/desert/assets.yaml', 'targets:\n  sand: { rule: files, srcs: [sand.png], deps: ["//common:uii"] }\n');
    const graph = TargetGraph.build(open(), ['//levels/desert:sand']);
    expect(graph.broken.get('//levels/desert:sand')?.[0]?.format()).toBe('pkgs/levels/desert/assets.yaml:2:49: //levels/desert:sand: dependency //common:uii: no target "uii" in //common (nearest: :ui)');
  });
});
