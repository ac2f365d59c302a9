/**
 * Finds the one image a texture target cooks: its single source, or — for targets with no
 * `srcs` — the main output of its single dependency (e.g. an atlas PNG another rule produced).
 */
import type { RuleContext } from '../../src/rule/context.js';
import { RuleError } from '../../src/rule/rule-error.js';

export interface TextureInput {
  bytes: Uint8Array;
  /** Workspace-relative source path or the dependency's output name: what patterns match against. */
  path: string;
}

const IMAGE_OUTPUT = /\.(png|jpe?g|webp|gif|tiff?|dds|ktx2)$/i;

export async function readTextureInput(ctx: RuleContext<object, object>): Promise<TextureInput> {
  if (ctx.srcs.length > 1) {
    throw new RuleError(`a texture target takes exactly one source, got ${ctx.srcs.length} (use \`glob:\` for one target per file)`);
  }
  const src = ctx.srcs[0];
  if (src) return { bytes: await ctx.readSource(src), path: src.path };
  const images = ctx.deps.filter((dep) => dep.outputs[0] && IMAGE_OUTPUT.test(dep.outputs[0].name));
  if (images.length === 1) {
    const output = images[0]!.outputs[0]!;
    return { bytes: await ctx.readOutput(output), path: output.name };
  }
  if (images.length > 1) {
    throw new RuleError(`a texture target without srcs cooks its one image dependency, but ${images.length} dependencies produce images: ${images.map((d) => d.label).join(', ')}`);
  }
  throw new RuleError('nothing to cook: give the texture `srcs: [image]` or one dependency whose main output is an image (PNG, JPEG, WebP, DDS or KTX2)');
}
