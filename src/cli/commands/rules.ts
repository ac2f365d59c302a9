import { nearest } from '../../rule/nearest.js';
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
      const shape = rule.attributes.shape;
      for (const [key, schema] of Object.entries(shape)) {
        const fallback = (rule.defaults as Record<string, unknown>)[key];
        io.stdout(`  ${key}: ${schema.typeName}${fallback !== undefined ? ` = ${JSON.stringify(fallback)}` : ''}${schema.description ? ` — ${schema.description}` : ''}\n`);
      }
    }
    return EXIT_OK;
  },
};
