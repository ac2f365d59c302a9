import { posix } from 'node:path';
import { LOAD_PRIORITIES, type LoadPriority } from '../format/asset-type.js';
import { nearest } from '../rule/nearest.js';
import type { RuleRegistry } from '../rule/registry.js';
import { s } from '../rule/schema.js';
import { globBase, globFiles } from './glob-files.js';
import { LabelSyntaxError, formatLabel, parseLabel } from './label.js';
import { LocatedError, LocatedErrors } from './located-error.js';
import type { TargetDecl } from './target-decl.js';
import { issuesToError, type WorkspaceConfig } from './workspace-config.js';
import type { YamlFile } from './yaml-file.js';

/** A loaded package: its targets by name and its glob groups (group name → member names). */
export interface Package {
  pkg: string;
  file: YamlFile;
  targets: Map<string, TargetDecl>;
  groups: Map<string, string[]>;
  /** Targets whose declaration is wrong: they fail when requested, the rest of the package still builds. */
  broken: Map<string, LocatedError[]>;
}

/** Keys every target may have; everything else is a rule attribute. */
const COMMON_KEYS = new Set(['rule', 'srcs', 'glob', 'exclude', 'deps', 'priority', 'platforms']);

const stringList = s.union<string | string[]>(s.string(), s.array(s.string()));
const packageSchema = s.object<{ defaults?: Record<string, Record<string, unknown>>; targets?: Record<string, Record<string, unknown>> }>({
  defaults: s.record(s.record(s.any())),
  targets: s.record(s.record(s.any())),
});

const asList = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? (value as string[]) : [value as string]);

/**
 * Turn one package's `assets.yaml` into checked target declarations. All problems found in the
 * file are reported together, each at its own line and column.
 */
export function loadPackage(config: WorkspaceConfig, pkg: string, file: YamlFile, rules: RuleRegistry): Package {
  const parsed = packageSchema.parse(file.toJS() ?? {});
  if (!parsed.value) throw issuesToError(file, parsed.issues);
  const { defaults = {}, targets = {} } = parsed.value;
  const errors: LocatedError[] = [];
  const pkgLabel = `//${pkg}`;

  for (const [ruleName, values] of Object.entries(defaults)) {
    const rule = rules.get(ruleName);
    if (!rule) {
      const hint = nearest(ruleName, rules.keys());
      errors.push(new LocatedError(`defaults for unknown rule "${ruleName}"${hint ? ` (did you mean "${hint}"?)` : ''}`, file.positionOf(['defaults', ruleName], true), pkgLabel));
      continue;
    }
    const check = rule.attributes.parse(values);
    if (!check.value) errors.push(...issuesToError(file, check.issues, ['defaults', ruleName], pkgLabel).errors);
  }

  const result: Package = { pkg, file, targets: new Map(), groups: new Map(), broken: new Map() };
  const pkgRel = posix.join(config.packagesPath, pkg);
  const platforms = Object.keys(config.platforms);

  for (const [name, raw] of Object.entries(targets)) {
    const yamlPath = ['targets', name];
    const label = `//${pkg}:${name}`;
    const at = (path: (string | number)[], key = false) => file.positionOf([...yamlPath, ...path], key);
    const targetErrors: LocatedError[] = [];
    const fail = (message: string, path: (string | number)[] = [], key = false) => targetErrors.push(new LocatedError(message, at(path, key), label));
    const markBroken = () => result.broken.set(name, targetErrors);
    try {
      parseLabel(label);
    } catch (error) {
      fail((error as Error).message, [], true);
      markBroken();
      continue;
    }
    const ruleName = raw.rule;
    if (typeof ruleName !== 'string') {
      fail('missing "rule:" (which rule cooks this target?)');
      markBroken();
      continue;
    }
    const rule = rules.get(ruleName);
    if (!rule) {
      const hint = nearest(ruleName, rules.keys());
      fail(`unknown rule "${ruleName}"${hint ? ` (did you mean "${hint}"?)` : ''}; known rules: ${[...rules.keys()].sort().join(', ')}`, ['rule']);
      markBroken();
      continue;
    }
    const priority = (raw.priority ?? 'normal') as LoadPriority;
    if (!LOAD_PRIORITIES.includes(priority)) {
      fail(`priority must be one of ${LOAD_PRIORITIES.join(', ')}, got ${JSON.stringify(raw.priority)}`, ['priority']);
    }

    const attrs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) if (!COMMON_KEYS.has(key)) attrs[key] = value;
    const attrCheck = rule.attributes.parse(attrs);
    if (!attrCheck.value) targetErrors.push(...issuesToError(file, attrCheck.issues, yamlPath, label).errors);

    const platformAttrs: Record<string, Record<string, unknown>> = {};
    if (raw.platforms !== undefined) {
      if (raw.platforms === null || typeof raw.platforms !== 'object' || Array.isArray(raw.platforms)) {
        fail('platforms: expected a mapping of platform name → attribute overrides', ['platforms']);
      } else {
        for (const [platform, overrides] of Object.entries(raw.platforms as Record<string, unknown>)) {
          if (!platforms.includes(platform)) {
            const hint = nearest(platform, platforms);
            fail(`unknown platform "${platform}"${hint ? ` (did you mean "${hint}"?)` : ''}`, ['platforms', platform], true);
            continue;
          }
          const check = rule.attributes.parse(overrides);
          if (!check.value) targetErrors.push(...issuesToError(file, check.issues, [...yamlPath, 'platforms', platform], label).errors);
          else platformAttrs[platform] = check.value as Record<string, unknown>;
        }
      }
    }

    const listCheck = (key: 'srcs' | 'glob' | 'exclude' | 'deps'): string[] => {
      if (raw[key] === undefined) return [];
      const check = stringList.parse(raw[key]);
      if (!check.value) {
        fail(`${key}: expected a string or a list of strings`, [key]);
        return [];
      }
      return asList(check.value);
    };
    const srcsRaw = listCheck('srcs');
    const globs = listCheck('glob');
    const excludes = listCheck('exclude');
    const depsRaw = listCheck('deps');

    const deps: string[] = [];
    depsRaw.forEach((text, index) => {
      try {
        deps.push(formatLabel(parseLabel(text, pkg)));
      } catch (error) {
        if (error instanceof LabelSyntaxError) fail(error.message, ['deps', index]);
        else throw error;
      }
    });

    const toWorkspacePath = (src: string, path: (string | number)[]): string | undefined => {
      if (src.startsWith('/') || /^[A-Za-z]:[\\/]/.test(src)) {
        fail(`source "${src}" is an absolute path; sources are relative to the package`, path);
        return undefined;
      }
      const joined = posix.normalize(posix.join(pkgRel, src));
      if (joined.startsWith('../') || joined === '..') {
        fail(`source "${src}" leaves the workspace`, path);
        return undefined;
      }
      return joined;
    };
    const srcs = srcsRaw.map((src, index) => toWorkspacePath(src, ['srcs', index])).filter((p): p is string => p !== undefined);

    const base = {
      rule: ruleName,
      priority,
      attrs,
      packageDefaults: defaults[ruleName] ?? {},
      platformAttrs,
      file,
      yamlPath,
    };

    if (globs.length === 0) {
      if (srcsRaw.length === 0 && rule.needsSources !== false) fail(`rule "${ruleName}" needs sources: add srcs: [...] or glob: "..."`);
      if (targetErrors.length > 0) markBroken();
      else result.targets.set(name, { ...base, label, pkg, name, srcs, deps });
      continue;
    }
    for (const pattern of globs) {
      if (pattern.startsWith('/') || posix.normalize(pattern).startsWith('..')) fail(`glob "${pattern}" must stay inside the package`, ['glob']);
    }
    const dir = posix.join(config.packagesDir.replaceAll('\\', '/'), pkg);
    const symlinked: string[] = [];
    const matched = globFiles(dir, globs, excludes, symlinked);
    if (matched.length === 0 && symlinked.length > 0) {
      // The silent case: the files are there, behind a folder symlink globs do not follow.
      fail(`glob matches nothing: ${symlinked.slice(0, 3).map((f) => `"${f}"`).join(', ')} ${symlinked.length === 1 ? 'is a symlinked folder' : 'are symlinked folders'}, which globs do not follow (a link may leave the workspace); list the files in srcs or replace the link with the folder`, ['glob']);
    }
    const members: string[] = [];
    for (const rel of matched) {
      const base0 = globs.map(globBase).find((b) => b === '' || rel.startsWith(`${b}/`)) ?? '';
      const stem = (base0 ? rel.slice(base0.length + 1) : rel).replace(/\.[^./]+$/, '');
      const memberName = `${name}/${stem}`;
      const memberLabel = `//${pkg}:${memberName}`;
      if (result.targets.has(memberName)) {
        fail(`glob makes two targets named "${memberName}" (files differing only in extension?)`, ['glob']);
        continue;
      }
      try {
        parseLabel(memberLabel);
      } catch {
        fail(`file "${rel}" gives an invalid target name "${memberName}"`, ['glob']);
        continue;
      }
      members.push(memberName);
      result.targets.set(memberName, {
        ...base,
        label: memberLabel,
        pkg,
        name: memberName,
        srcs: [...srcs, posix.join(pkgRel, rel)],
        deps,
        group: name,
      });
    }
    if (targetErrors.length > 0) {
      markBroken();
      for (const member of members) result.targets.delete(member);
      continue;
    }
    result.groups.set(name, members);
  }
  if (errors.length > 0) throw new LocatedErrors(errors);
  return result;
}
