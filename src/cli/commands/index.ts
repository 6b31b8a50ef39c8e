// Every CLI verb registers itself from its own file; this list is the only place that names them all.
import type { Command } from 'commander';
import { register as clean } from './clean.js';
import { register as demo } from './demo.js';
import { register as models } from './models.js';
import { register as profile } from './profile.js';
import { register as promote } from './promote.js';
import { register as rollback } from './rollback.js';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [profile, clean, demo, models, promote, rollback];
