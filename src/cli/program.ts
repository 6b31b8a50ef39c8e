// The `kiln` program: every verb registered on one commander instance. main.ts parses the real command line with
// it; `kiln demo` runs the same verbs in-process, so the demo shows exactly what a user would type.
import { Command } from 'commander';
import { KILN_VERSION } from '../core/version.js';
import { commands } from './commands/index.js';

export function buildProgram(): Command {
  const program = new Command()
    .name('kiln')
    .description('From raw data to a monitored prediction API.')
    .version(KILN_VERSION)
    .showHelpAfterError()
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}
