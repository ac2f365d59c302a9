import type { AnyRule } from '../../rule/rule.js';
import { issuesToError, platformSettingsFor } from '../../workspace/workspace-config.js';
import type { Workspace } from '../../workspace/workspace.js';
import type { RequestKind } from '../tracker/request-kind.js';

/**
 * One rule's settings for one platform, checked against the rule's schema, with the schema's
 * defaults under them (so a changed default re-keys that rule's actions). An error points into
 * the root assets.yaml (`rules.<rule>` or `platforms.<p>.<rule>`) and fails every target of that
 * rule, so unrelated rules still build with --keep-going. Actions depend on it: an edit of one
 * rule's settings re-keys only that rule's targets.
 */
export function platformSettingsKind(platform: string, workspace: RequestKind<null, Workspace>): RequestKind<string, Record<string, unknown>> {
  return {
    // Renamed from `settings` when schema defaults joined the value: request nodes persisted by an
    // older kiln depend on the old name, which the tracker no longer knows, so they run again
    // instead of handing a cook settings without their defaults.
    name: 'rule-settings',
    key: (rule) => `${platform}/${rule}`,
    run(ruleName, api) {
      const { config, rules } = api.get(workspace, null);
      const rule: AnyRule | undefined = rules.get(ruleName);
      const settings = platformSettingsFor(config, platform, ruleName);
      if (rule?.platformSettings) {
        const shared = rule.platformSettings.parse(config.ruleSettings[ruleName] ?? {});
        if (!shared.value) throw issuesToError(config.file, shared.issues, ['rules', ruleName]);
        const own = rule.platformSettings.parse(config.platforms[platform]?.[ruleName] ?? {});
        if (!own.value) throw issuesToError(config.file, own.issues, ['platforms', platform, ruleName]);
        return { ...rule.platformSettings.defaults, ...settings };
      }
      return settings;
    },
  };
}
