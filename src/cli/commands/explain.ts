import type { Command } from '../command.js';
import { buildOptions, runBuild } from './build.js';

export const explainCommand: Command = {
  name: 'explain',
  summary: 'build, and say for every action that ran what changed since its last build',
  usage: 'kiln explain [patterns…] [--platform P]',
  options: buildOptions,
  run: (args, io) => runBuild(args, io, { validateOnly: false, explain: true }),
};
