/** The `files` rule's options, declared once (schema, default, description; type inferred). A leaf. */
import { type Infer, s } from '../../src/rule/schema.js';

export const FILES_OPTIONS = s.object({
  // Relative to the package output; unset: beside the target name.
  out_dir: s.string().describe('output folder inside the package output'),
  keep_paths: s.boolean().default(true).describe('keep package-relative folders (true) or flatten (false)'),
});
export type FilesOptions = Infer<typeof FILES_OPTIONS>;
