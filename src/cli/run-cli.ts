import { parseArgs } from 'node:util';
import { DiagnosticError } from '../diagnostic/diagnostic.js';
import { formatDiagnostic } from '../diagnostic/format-diagnostic.js';
import { CycleError } from '../graph/cycle-error.js';
import { LocatedError, LocatedErrors } from '../workspace/located-error.js';
import { LabelSyntaxError } from '../workspace/label-syntax-error.js';
import type { CommandIO, ParsedArgs } from './command.js';
import { loadCommand, loadCommands } from './commands/index.js';
import { checkFlags } from './flag-check.js';
import { EXIT_BUILD_FAILED, EXIT_USAGE } from './exit-codes.js';
import { UsageError } from './usage-error.js';

async function help(): Promise<string> {
  const commands = await loadCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'kiln — an incremental asset cooker for games',
    '',
    'usage: kiln <command> [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `kiln <command> --help` for a command\'s options.',
    '',
  ].join('\n');
}

/** The whole CLI as a function of argv and IO, so end-to-end tests can run it in-process too. */
export async function runCli(argv: readonly string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(await help());
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version') {
    io.stdout('kiln 0.1.0\n');
    return 0;
  }
  // Only the command asked for is loaded: `kiln build` pays for nothing it does not run.
  const command = await loadCommand(name);
  if (!command) {
    io.stderr(`kiln: unknown command "${name}"\n\n${await help()}`);
    return EXIT_USAGE;
  }
  const verbose = rest.includes('--verbose') || rest.includes('-v');
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`${command.usage}\n\n${command.summary}\n`);
      return 0;
    }
    const parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
    const problem = checkFlags(parsed.values, io.cwd);
    if (problem) {
      io.stderr(`ERROR: ${problem}\nusage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    return await command.run({ values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals }, io);
  } catch (error) {
    if (error instanceof LocatedErrors) {
      for (const e of error.errors) io.stderr(`ERROR: ${e.format()}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof LocatedError) {
      io.stderr(`ERROR: ${error.format()}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof CycleError || error instanceof LabelSyntaxError || error instanceof UsageError) {
      io.stderr(`ERROR: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof DiagnosticError) {
      // Any other typed failure (a tool missing, the remote refusing, ...): printed as data says.
      for (const d of error.diagnostics) io.stderr(`ERROR: ${formatDiagnostic(d)}\n`);
      return error.diagnostics.every((d) => d.code === 'bad-usage' || d.code === 'bad-config') ? EXIT_USAGE : EXIT_BUILD_FAILED;
    }
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`ERROR: ${error.message}\nusage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`ERROR: ${(error as Error).message ?? String(error)}\n`);
    if (verbose) io.stderr(`${(error as Error).stack ?? ''}\n`);
    return EXIT_BUILD_FAILED;
  }
}
