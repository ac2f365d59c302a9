/**
 * `files`: copy sources into the build unchanged (config files, pre-cooked blobs, anything a game
 * loads as-is). The simplest rule, and the one the scheduler benchmarks use.
 */
import { defineRule } from '../../src/rule/rule.js';
import { cookFiles } from './cook-files.js';
import { FILES_OPTIONS } from './options.js';

export const NAME = 'files';
export { FILES_OPTIONS, type FilesOptions } from './options.js';

export function filesRule() {
  return defineRule({
    name: NAME,
    version: 1,
    type: 'files',
    description: 'Copies its sources unchanged.',
    attributes: FILES_OPTIONS,
    cook: (ctx) => cookFiles(ctx),
  });
}
