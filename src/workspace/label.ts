/**
 * Labels name targets: `//levels/forest:oak`. Inside a package `:oak` is enough. A label is the
 * stable identity of an asset, so the asset id is derived from it and nothing else.
 */
import { hashString } from '../hash/xxhash.js';
import { LabelSyntaxError } from './label-syntax-error.js';

export { LabelSyntaxError } from './label-syntax-error.js';

export interface Label {
  /** Package path, no leading or trailing slash: `levels/forest` (empty for the root package). */
  pkg: string;
  /** Target name: `oak`, `rocks/rock_01`. */
  name: string;
}

const PACKAGE_PART = /^[A-Za-z0-9_.\-]+(\/[A-Za-z0-9_.\-]+)*$/;
const NAME_PART = /^[A-Za-z0-9_.\-+@=,~]+(\/[A-Za-z0-9_.\-+@=,~]+)*$/;

/** Parse `//pkg:name`, `//pkg` (name = last path segment) or `:name` relative to `currentPkg`. */
export function parseLabel(text: string, currentPkg?: string): Label {
  let pkg: string;
  let name: string;
  if (text.startsWith(':')) {
    if (currentPkg === undefined) throw new LabelSyntaxError(`"${text}" is relative; write //package${text}`);
    pkg = currentPkg;
    name = text.slice(1);
  } else if (text.startsWith('//')) {
    const colon = text.indexOf(':');
    pkg = colon < 0 ? text.slice(2) : text.slice(2, colon);
    name = colon < 0 ? (pkg.split('/').pop() ?? '') : text.slice(colon + 1);
  } else {
    throw new LabelSyntaxError(`"${text}" is not a label: expected //package:name or :name`);
  }
  if (pkg.endsWith('/')) pkg = pkg.slice(0, -1);
  if (pkg !== '' && !PACKAGE_PART.test(pkg)) throw new LabelSyntaxError(`"${text}": bad package path "${pkg}"`);
  if (pkg.split('/').some((part) => part === '..' || part === '.')) {
    throw new LabelSyntaxError(`"${text}": package paths may not contain "." or ".."`);
  }
  if (!NAME_PART.test(name) || name.split('/').some((part) => part === '..' || part === '.')) {
    throw new LabelSyntaxError(`"${text}": bad target name "${name}"`);
  }
  return { pkg, name };
}

export function formatLabel(label: Label): string {
  return `//${label.pkg}:${label.name}`;
}

/** Stable 64-bit asset id (16 hex chars): the same label gives the same id on every machine. */
export function assetIdOf(label: string): string {
  return hashString(label);
}
