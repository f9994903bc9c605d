import type { Command } from 'commander';
import { createListCommand } from './dock.js';

/** ls-dock: the same as `dock ls`. */
export function createCommand(): Command {
  return createListCommand('ls-dock');
}
