import type { Command } from 'commander';
import { createContainerVerbCommand } from './container-verb-command.js';

/** restart-containers [CONTAINER...] */
export function createCommand(): Command {
  return createContainerVerbCommand('restart');
}
