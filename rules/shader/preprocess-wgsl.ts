/**
 * A small preprocessor for WGSL variants, in the spirit of naga_oil's shader defs:
 * `#ifdef NAME`, `#ifndef NAME`, `#if NAME == value` / `!=` / `#if NAME`, `#else`, `#endif`,
 * `#define NAME value`, and `#{NAME}` substituted by its value. Lines that drop out become empty
 * so the line map stays one-to-one.
 */
import { RuleError } from '../../src/rule/rule-error.js';
import type { Defines } from './inject-defines.js';
import type { SourceLine } from './flatten-source.js';

interface Frame {
  /** Whether the enclosing region is live. */
  parent: boolean;
  /** Whether this branch is live. */
  active: boolean;
  sawElse: boolean;
  opened: SourceLine;
}

export function preprocessWgsl(lines: readonly SourceLine[], initial: Defines): SourceLine[] {
  const defines = new Map(Object.entries(initial));
  const stack: Frame[] = [];
  const live = () => stack.every((f) => f.active);
  const out: SourceLine[] = [];
  for (const line of lines) {
    const where = { file: line.file, line: line.line };
    const directive = /^\s*#\s*(ifdef|ifndef|if|else|endif|define)\b\s*(.*?)\s*(?:\/\/.*)?$/.exec(line.text);
    if (!directive) {
      out.push({ ...line, text: live() ? substitute(line, defines) : '' });
      continue;
    }
    out.push({ ...line, text: '' });
    const [, keyword, rest = ''] = directive;
    const parent = live();
    switch (keyword) {
      case 'ifdef':
      case 'ifndef':
        stack.push({ parent, active: parent && defines.has(rest) === (keyword === 'ifdef'), sawElse: false, opened: line });
        break;
      case 'if':
        stack.push({ parent, active: parent && evaluate(rest, defines, where), sawElse: false, opened: line });
        break;
      case 'else': {
        const top = stack.at(-1);
        if (!top || top.sawElse) throw new RuleError('#else without a matching #if', where);
        top.sawElse = true;
        top.active = top.parent && !top.active;
        break;
      }
      case 'endif':
        if (!stack.pop()) throw new RuleError('#endif without a matching #if', where);
        break;
      case 'define': {
        if (!parent) break;
        const [name, ...value] = rest.split(/\s+/);
        if (!name) throw new RuleError('#define needs a name', where);
        defines.set(name, value.join(' '));
        break;
      }
    }
  }
  const open = stack.at(-1);
  if (open) throw new RuleError('#if/#ifdef is never closed by #endif', { file: open.opened.file, line: open.opened.line });
  return out;
}

function evaluate(expression: string, defines: Map<string, string>, where: { file: string; line: number }): boolean {
  const comparison = /^(\w+)\s*(==|!=)\s*(\S+)$/.exec(expression);
  if (comparison) {
    const [, name, op, value] = comparison;
    const equal = defines.get(name!) === value;
    return op === '==' ? equal : !equal;
  }
  if (/^\w+$/.test(expression)) {
    const value = defines.get(expression);
    return value !== undefined && value !== '0' && value !== 'false';
  }
  throw new RuleError(`cannot evaluate #if ${expression} (use NAME, NAME == value or NAME != value)`, where);
}

function substitute(line: SourceLine, defines: Map<string, string>): string {
  return line.text.replace(/#\{(\w+)\}/g, (_, name: string) => {
    const value = defines.get(name);
    if (value === undefined) throw new RuleError(`#{${name}} is not defined for this variant`, { file: line.file, line: line.line });
    return value;
  });
}
