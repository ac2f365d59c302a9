import type { Command } from '../command.js';
import { buildCommand } from './build.js';
import { cleanCommand } from './clean.js';
import { diffCommand } from './diff.js';
import { doctorCommand } from './doctor.js';
import { explainCommand } from './explain.js';
import { gcCommand } from './gc.js';
import { graphCommand } from './graph.js';
import { queryCommand } from './query.js';
import { reportCommand } from './report.js';
import { rulesCommand } from './rules.js';
import { uiCommand } from './ui.js';
import { validateCommand } from './validate.js';
import { watchCommand } from './watch.js';

export const commands: readonly Command[] = [
  buildCommand,
  validateCommand,
  explainCommand,
  watchCommand,
  queryCommand,
  graphCommand,
  diffCommand,
  cleanCommand,
  gcCommand,
  rulesCommand,
  doctorCommand,
  reportCommand,
  uiCommand,
];
