import type { AnyRule } from '../rule/rule.js';
import { issuesToError, platformSettingsFor, type WorkspaceConfig } from '../workspace/workspace-config.js';

/**
 * Each rule's settings for one platform, checked against the rule's schema once per builder.
 * An error points into the root assets.yaml (`rules.<rule>` or `platforms.<p>.<rule>`) and is
 * thrown for every target of that rule, so unrelated rules still build with --keep-going.
 */
export class PlatformSettingsCache {
  private readonly settings = new Map<string, Record<string, unknown> | Error>();

  constructor(
    private readonly config: WorkspaceConfig,
    private readonly platform: string,
  ) {}

  for(rule: AnyRule): Record<string, unknown> {
    let settings = this.settings.get(rule.name);
    if (!settings) {
      const { config, platform } = this;
      settings = platformSettingsFor(config, platform, rule.name);
      if (rule.platformSettings) {
        const shared = rule.platformSettings.parse(config.ruleSettings[rule.name] ?? {});
        const own = rule.platformSettings.parse(config.platforms[platform]?.[rule.name] ?? {});
        if (!shared.value) settings = issuesToError(config.file, shared.issues, ['rules', rule.name]);
        else if (!own.value) settings = issuesToError(config.file, own.issues, ['platforms', platform, rule.name]);
      }
      this.settings.set(rule.name, settings);
    }
    if (settings instanceof Error) throw settings;
    return settings;
  }
}
