/**
 * `font`: a TTF/OTF cut down to a declared character set. Outputs the glyph metrics JSON (main:
 * advances, bearings, atlas rectangles, kerning for the subset), a glyph atlas PNG (signed
 * distance field or coverage bitmap) and the subset font itself.
 */
import { defineRule } from '../../src/rule/rule.js';
import { npmPackageIdentity } from '../../src/rule/tool-identity.js';
import { cookFont } from './cook-font.js';
import { FONT_OPTIONS, FONT_SETTINGS } from './options.js';

export const NAME = 'font';
export { FONT_OPTIONS, FONT_SETTINGS, type FontOptions, type FontPlatformSettings } from './options.js';

export function fontRule() {
  return defineRule({
    name: NAME,
    version: 2,
    type: 'font',
    description: 'TTF/OTF → charset subset, SDF or bitmap glyph atlas PNG and metrics JSON (advances, bearings, kerning)',
    attributes: FONT_OPTIONS,
    platformSettings: FONT_SETTINGS,
    // The libraries whose output bytes this rule ships: their versions join the action key.
    tools: async () => Object.fromEntries(['opentype.js', 'maxrects-packer', 'sharp'].map((pkg) => [pkg, npmPackageIdentity(pkg)])),
    cook: (ctx) => cookFont(ctx),
  });
}
