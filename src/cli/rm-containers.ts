import type { Command } from 'commander';
import { createContainerVerbCommand } from './container-verb-command.js';

/** rm-containers [CONTAINER...] */
export function createCommand(): Command {
  return createContainerVerbCommand('rm');
}
