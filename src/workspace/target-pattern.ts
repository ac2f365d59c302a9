import { LabelSyntaxError, parseLabel } from './label.js';

/**
 * What a user may ask for on the command line, as in Bazel:
 * `//...` everything, `//levels/...` a subtree, `//levels/forest:all` one package, or one label
 * (which may name a glob group: `//levels/forest:rocks`).
 */
export type TargetPattern =
  | { kind: 'subtree'; prefix: string }
  | { kind: 'package'; pkg: string }
  | { kind: 'label'; pkg: string; name: string };

export function parseTargetPattern(text: string, currentPkg?: string): TargetPattern {
  if (text === '//...' || text === '...') return { kind: 'subtree', prefix: '' };
  if (text.startsWith('//') && text.endsWith('/...')) {
    const prefix = text.slice(2, -4);
    parseLabel(`//${prefix}:x`);
    return { kind: 'subtree', prefix };
  }
  if (text.endsWith(':all') || text.endsWith(':*')) {
    const pkgPart = text.slice(0, text.lastIndexOf(':'));
    if (pkgPart === '' && currentPkg !== undefined) return { kind: 'package', pkg: currentPkg };
    if (!pkgPart.startsWith('//')) throw new LabelSyntaxError(`"${text}" is not a target pattern`);
    const pkg = pkgPart.slice(2);
    parseLabel(`//${pkg}:x`);
    return { kind: 'package', pkg };
  }
  const label = parseLabel(text, currentPkg);
  return { kind: 'label', pkg: label.pkg, name: label.name };
}
