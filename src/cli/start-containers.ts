import type { Command } from 'commander';
import { createContainerVerbCommand } from './container-verb-command.js';

/** start-containers [CONTAINER...] */
export function createCommand(): Command {
  return createContainerVerbCommand('start');
}
