/**
 * `ui`: a sprite atlas. Many PNGs packed into one PNG with maxrects-packer (padding, edge
 * extrusion, optional trimming) plus `<name>.rects.json` with every sprite's rectangle. The
 * PNG is the main output so a `texture` target with `deps: [":atlas"]` can cook it to the
 * platform's GPU format.
 */
import { defineRule } from '../../src/rule/rule.js';
import { npmPackageIdentity } from '../../src/rule/tool-identity.js';
import { cookUi } from './cook-ui.js';
import { UI_OPTIONS, UI_SETTINGS } from './options.js';

export const NAME = 'ui';
export { UI_OPTIONS, UI_SETTINGS, type UiOptions, type UiPlatformSettings } from './options.js';

export function uiRule() {
  return defineRule({
    name: NAME,
    version: 1,
    type: 'ui',
    description: 'PNG sprites → one packed atlas PNG (padding, extrusion, trim) + <name>.rects.json',
    attributes: UI_OPTIONS,
    platformSettings: UI_SETTINGS,
    // The libraries whose output bytes this rule ships: their versions join the action key.
    tools: async () => Object.fromEntries(['sharp', 'maxrects-packer'].map((pkg) => [pkg, npmPackageIdentity(pkg)])),
    cook: (ctx) => cookUi(ctx),
  });
}
