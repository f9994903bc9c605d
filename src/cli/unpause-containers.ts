import type { Command } from 'commander';
import { createContainerVerbCommand } from './container-verb-command.js';

/** unpause-containers [CONTAINER...] */
export function createCommand(): Command {
  return createContainerVerbCommand('unpause');
}
