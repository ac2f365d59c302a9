import type { Command } from '../command.js';
import { buildOptions, runBuild } from './build.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'run the validators of the requested targets (their dependencies are built as needed)',
  usage: 'kiln validate [patterns…] [--platform P] [--keep-going] [--summary-json F]',
  options: buildOptions,
  run: (args, io) => runBuild(args, io, { validateOnly: true, explain: false }),
};
