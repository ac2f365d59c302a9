import type { Package } from '../../workspace/package-loader.js';
import type { TargetDecl } from '../../workspace/target-decl.js';
import type { RequestKind } from '../tracker/request-kind.js';

/** What an action reads of its declaration (everything but the YAML file it came from). */
export type DeclValue = Omit<TargetDecl, 'file'> | null;

/**
 * One target's declaration, cut out of its package: an edit of one target in a package of a
 * thousand re-keys that one action; the others see an unchanged fingerprint and stop here.
 * `null` when the package no longer declares it.
 */
export function targetDeclKind(pkgKind: RequestKind<string, Package>): RequestKind<string, DeclValue> {
  return {
    name: 'decl',
    key: (label) => label,
    run(label, api) {
      const colon = label.indexOf(':');
      const decl = api.get(pkgKind, label.slice(2, colon)).targets.get(label.slice(colon + 1));
      if (!decl) return null;
      const { file: _file, ...rest } = decl;
      return rest;
    },
  };
}
