import { Command } from 'commander';
import { ensureEngine } from '../commands/ensure-engine.js';
import { createSession } from './options.js';

/** dockerutils ensure-engine */
export function createCommand(): Command {
  return new Command('ensure-engine')
    .description(
      'make sure a Docker engine answers (Debian, as root): install docker.io if needed, start dockerd in the background, seed busybox:latest when it cannot be pulled; does nothing when an engine answers',
    )
    .action(async () => {
      await ensureEngine(createSession());
    });
}
