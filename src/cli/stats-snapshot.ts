import { Command } from 'commander';
import { expandDocks } from '../commands/each-dock.js';
import { statsSnapshot } from '../commands/stats-snapshot.js';
import { addDocksOption, createSession } from './options.js';
import { paint } from './output/terminal.js';

/** The shell's `stats [--dock NAME...]`: one `docker stats --no-stream` of the project's running containers, a dock after another. */
export function createCommand(): Command {
  const command = new Command('stats')
    .description("one snapshot of the project's running containers' resources")
    .action(async (options: { dock: string[] }) => {
      const session = createSession();
      const docks = options.dock.length === 0 ? [undefined] : await expandDocks(session, options.dock);
      for (const dock of docks) {
        if (docks.length > 1) process.stdout.write(`dock ${dock}:\n`);
        const result = await statsSnapshot({ ...session, dock });
        if (!result.shown) process.stderr.write(paint.dim(`no running containers of project ${result.project}\n`));
      }
    });
  addDocksOption(command);
  return command;
}
