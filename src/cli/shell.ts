import { Command } from 'commander';

/** dockerutils shell */
export function createCommand(): Command {
  return new Command('shell');
}
