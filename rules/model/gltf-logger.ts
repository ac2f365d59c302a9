import type { ILogger } from '@gltf-transform/core';

/**
 * glTF-Transform's default logger prints INFO lines to stdout, which would interleave with the
 * build's progress display. This one drops everything below WARN and hands warnings to the rule
 * context, so they show up in the build summary attached to the target.
 */
export function gltfLogger(report: (message: string) => void): ILogger {
  // LODs repeat the same transforms; say each thing once.
  const seen = new Set<string>();
  const warn = (message: string) => {
    if (seen.has(message)) return;
    seen.add(message);
    report(message);
  };
  return {
    debug() {},
    info() {},
    warn(text: string) {
      warn(`glTF-Transform: ${text}`);
    },
    error(text: string) {
      warn(`glTF-Transform error: ${text}`);
    },
  };
}
