/**
 * The `data` rule's options, declared once (schema, default, description; type inferred).
 * A leaf: index.ts and the cook helpers import it.
 */
import { type Infer, s } from '../../src/rule/schema.js';

export const DATA_OPTIONS = s.object({
  // auto picks by file extension (.json, .yaml/.yml, .csv).
  format: s.enum(['auto', 'json', 'yaml', 'csv'] as const).default('auto').describe('source format (auto = by extension)'),
  // Draft 2020-12 or 07.
  schema: s.string().describe('package-relative JSON Schema file'),
  csv_typed: s.boolean().default(true).describe('CSV: numbers and booleans become typed values'),
  // And record their asset ids.
  check_refs: s.boolean().default(true).describe('label strings must be dependencies'),
  // Guards against accidental huge exports.
  max_bytes: s.integer({ min: 1 }).default(64 * 1024 * 1024).describe('largest accepted source in bytes'),
});
export type DataOptions = Infer<typeof DATA_OPTIONS>;
