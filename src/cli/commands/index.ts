// Every CLI verb registers itself from its own file; this list is the only place that names them all.
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [];
