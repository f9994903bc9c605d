import type { Command } from 'commander';
import { createContainerVerbCommand } from './container-verb-command.js';

/** pause-containers [CONTAINER...] */
export function createCommand(): Command {
  return createContainerVerbCommand('pause');
}
