import { Command } from 'commander';
import { statsSnapshot } from '../commands/stats-snapshot.js';
import { createSession } from './options.js';
import { paint } from './output/terminal.js';

/** The shell's `stats`: one `docker stats --no-stream` of the project's running containers. */
export function createCommand(): Command {
  return new Command('stats')
    .description("one snapshot of the project's running containers' resources")
    .action(async () => {
      const result = await statsSnapshot(createSession());
      if (!result.shown) process.stderr.write(paint.dim(`no running containers of project ${result.project}\n`));
    });
}
