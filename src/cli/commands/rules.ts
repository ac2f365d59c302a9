import { nearest } from '../../rule/nearest.js';
import type { Schema } from '../../rule/schema.js';
import type { Command } from '../command.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { rules } from '../open-builder.js';

export const rulesCommand: Command = {
  name: 'rules',
  summary: 'list the built-in rules and their attributes',
  usage: 'kiln rules [name]',
  options: {},
  async run(args, io) {
    const only = args.positionals[0];
    const all = [...rules().values()].sort((a, b) => a.name.localeCompare(b.name));
    if (only !== undefined && !all.some((rule) => rule.name === only)) {
      const hint = nearest(only, all.map((rule) => rule.name));
      io.stderr(`ERROR: no rule "${only}"${hint ? ` (did you mean "${hint}"?)` : ''}; known rules: ${all.map((rule) => rule.name).join(', ')}\n`);
      return EXIT_USAGE;
    }
    for (const rule of all) {
      if (only && rule.name !== only) continue;
      io.stdout(`${rule.name} (v${rule.version}, ${rule.type}): ${rule.description}\n`);
      // Types, defaults and descriptions all come from the rule's schemas (its options.ts).
      const list = (shape: Readonly<Record<string, Schema<unknown>>>, indent: string) => {
        for (const [key, schema] of Object.entries(shape)) {
          const fallback = schema.defaultValue;
          io.stdout(`${indent}${key}: ${schema.typeName}${fallback !== undefined ? ` = ${JSON.stringify(fallback)}` : ''}${schema.description ? ` — ${schema.description}` : ''}\n`);
        }
      };
      list(rule.attributes.shape, '  ');
      if (only && rule.platformSettings) {
        io.stdout(`  platform settings (rules.${rule.name} / platforms.<name>.${rule.name}):\n`);
        list(rule.platformSettings.shape, '    ');
      }
    }
    return EXIT_OK;
  },
};
