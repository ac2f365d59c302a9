import type { Command } from '../command.js';

/**
 * Every command, loaded on demand: each command's module (and what it imports: the engine, the
 * rules, the studio, remote clients) is only imported when that command runs.
 */
const loaders: Record<string, () => Promise<Command>> = {
  build: async () => (await import('./build.js')).buildCommand,
  validate: async () => (await import('./validate.js')).validateCommand,
  explain: async () => (await import('./explain.js')).explainCommand,
  watch: async () => (await import('./watch.js')).watchCommand,
  query: async () => (await import('./query.js')).queryCommand,
  graph: async () => (await import('./graph.js')).graphCommand,
  diff: async () => (await import('./diff.js')).diffCommand,
  clean: async () => (await import('./clean.js')).cleanCommand,
  gc: async () => (await import('./gc.js')).gcCommand,
  rules: async () => (await import('./rules.js')).rulesCommand,
  doctor: async () => (await import('./doctor.js')).doctorCommand,
  report: async () => (await import('./report.js')).reportCommand,
  ui: async () => (await import('./ui.js')).uiCommand,
};

export function loadCommand(name: string): Promise<Command> | undefined {
  return Object.hasOwn(loaders, name) ? loaders[name]!() : undefined;
}

/** All commands, in the order `kiln --help` lists them. */
export function loadCommands(): Promise<Command[]> {
  return Promise.all(Object.values(loaders).map((load) => load()));
}
