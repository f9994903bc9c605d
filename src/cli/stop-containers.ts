import type { Command } from 'commander';
import { createContainerVerbCommand } from './container-verb-command.js';

/** stop-containers [CONTAINER...] */
export function createCommand(): Command {
  return createContainerVerbCommand('stop');
}
