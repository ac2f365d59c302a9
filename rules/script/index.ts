/**
 * `script`: JS/TS game scripts bundled and minified with esbuild. Every imported file is read
 * through the rule context (a discovered input), so editing any of them re-cooks the script.
 * esbuild strips TypeScript types without checking them.
 */
import { defineRule } from '../../src/rule/rule.js';
import { npmPackageIdentity } from '../../src/rule/tool-identity.js';
import { cookScript } from './cook-script.js';
import { SCRIPT_OPTIONS, SCRIPT_SETTINGS } from './options.js';

export const NAME = 'script';
export { SCRIPT_OPTIONS, SCRIPT_SETTINGS, type ScriptOptions, type ScriptPlatformSettings } from './options.js';

export function scriptRule() {
  return defineRule({
    name: NAME,
    version: 1,
    type: 'script',
    description: 'JS/TS entry → one deterministic esbuild bundle (minified, source map); imports are discovered inputs',
    attributes: SCRIPT_OPTIONS,
    platformSettings: SCRIPT_SETTINGS,
    // The libraries whose output bytes this rule ships: their versions join the action key.
    tools: async () => Object.fromEntries(['esbuild'].map((pkg) => [pkg, npmPackageIdentity(pkg)])),
    cook: (ctx) => cookScript(ctx),
  });
}
