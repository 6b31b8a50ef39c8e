#!/usr/bin/env node
// The `kiln` command: a thin shell over the library, one file per verb under commands/.
import { CommanderError } from 'commander';
import { printError } from './output.js';
import { buildProgram } from './program.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // commander has already printed its message; 0 for --help/--version
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    printError(e);
    process.exitCode = 1;
  }
}
