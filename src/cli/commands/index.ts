// Every CLI verb registers itself from its own file; this list is the only place that names them all.
import type { Command } from 'commander';
import { register as clean } from './clean.js';
import { register as demo } from './demo.js';
import { register as evaluate } from './evaluate.js';
import { register as exportModel } from './export.js';
import { register as init } from './init.js';
import { register as models } from './models.js';
import { register as monitor } from './monitor.js';
import { register as predict } from './predict.js';
import { register as profile } from './profile.js';
import { register as promote } from './promote.js';
import { register as retrain } from './retrain.js';
import { register as rollback } from './rollback.js';
import { register as runs } from './runs.js';
import { register as serve } from './serve.js';
import { register as tokens } from './tokens.js';
import { register as train } from './train.js';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [init, profile, clean, train, runs, evaluate, demo, models, promote, rollback, serve, predict, exportModel, tokens, monitor, retrain];
