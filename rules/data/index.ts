/**
 * `data`: JSON, YAML or CSV game data → validated, canonical JSON (sorted keys, no whitespace),
 * so the same data always has the same digest whatever the editor did to key order or spacing.
 * Strings that are labels (`//pkg:name`, `:name`) must be dependencies; they are resolved to
 * asset ids in the output's `refs` meta so the runtime can follow them.
 */
import { defineRule } from '../../src/rule/rule.js';
import { cookData } from './cook-data.js';
import { DATA_OPTIONS } from './options.js';

export const NAME = 'data';
export { DATA_OPTIONS, type DataOptions } from './options.js';

export function dataRule() {
  return defineRule({
    name: NAME,
    // 2: a line holding only "" is a row with one empty cell (was skipped); errors name each row's first line.
    version: 2,
    type: 'data',
    description: 'JSON, YAML or CSV → validated canonical JSON.',
    attributes: DATA_OPTIONS,
    cook: (ctx) => cookData(ctx),
  });
}
