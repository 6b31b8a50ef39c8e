#!/usr/bin/env node
// The `kiln` command: a thin shell over the library, one file per verb under commands/.
import { Command, CommanderError } from 'commander';
import { KILN_VERSION } from '../core/version.js';
import { commands } from './commands/index.js';
import { printError } from './output.js';

const program = new Command()
  .name('kiln')
  .description('From raw data to a monitored prediction API.')
  .version(KILN_VERSION)
  .showHelpAfterError()
  .exitOverride();

for (const register of commands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // commander has already printed its message; 0 for --help/--version
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    printError(e);
    process.exitCode = 1;
  }
}
