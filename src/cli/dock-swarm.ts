import { Command, Option } from 'commander';
import { initDockSwarm, joinDockSwarm, leaveDockSwarm, listDockSwarm } from '../commands/dock-swarm.js';
import { addDockOption, addDryRunOption, createSession, type EngineOptions } from './options.js';
import { formatSwarmTable } from './output/tables.js';

/** `dock swarm init|join|ls|leave`: docks as the nodes of a Docker swarm. */
export function createSwarmCommand(): Command {
  const swarm = new Command('swarm')
    .description('run docks as the nodes of a Docker swarm (deploy-image then runs services across them)')
    .addHelpText(
      'after',
      '\nExamples:\n  dock swarm init\n  dock swarm join gpu\n  dock swarm ls\n  deploy-image web --replicas 2\n  dock swarm leave gpu',
    );
  swarm.addCommand(
    addDryRunOption(
      new Command('init')
        .description(
          'make a dock (default: the active engine) a swarm manager, advertising the address the other docks reach it at',
        )
        .argument('[dock]', 'the dock; local is this machine')
        .option('--advertise-addr <address>', 'the address to advertise, when it cannot be guessed')
        .action(async (dock: string | undefined, options: EngineOptions & { advertiseAddr?: string }) => {
          const result = await initDockSwarm(createSession(options), {
            dock,
            advertiseAddress: options.advertiseAddr,
          });
          if (options.dryRun) return;
          process.stderr.write(
            result.already
              ? `${result.dock} is a swarm manager already (${result.advertiseAddress})\n`
              : `${result.dock} is a swarm manager, advertising ${result.advertiseAddress}: \`dock swarm join DOCK\` adds docks\n`,
          );
        }),
    ),
  );
  swarm.addCommand(
    addDryRunOption(
      new Command('join')
        .description(
          "join a dock to the manager's swarm; the join token passes from engine to engine, never printed or on a command line",
        )
        .argument('<dock>', 'the dock that joins; local is this machine')
        .option('--manager <dock>', 'the manager dock (default: the active engine)')
        .addOption(new Option('--as <role>', 'the role it joins as').choices(['worker', 'manager']).default('worker'))
        .action(async (dock: string, options: EngineOptions & { manager?: string; as: 'worker' | 'manager' }) => {
          const result = await joinDockSwarm(createSession(options), {
            dock,
            manager: options.manager,
            role: options.as,
          });
          if (options.dryRun) return;
          process.stderr.write(
            result.already
              ? `${result.dock} is a node of the swarm of ${result.manager} already\n`
              : `${result.dock} joined the swarm of ${result.manager} as a ${result.role}\n`,
          );
        }),
    ),
  );
  swarm.addCommand(
    addDockOption(
      new Command('ls')
        .description('the nodes of the swarm: the dock each one is, role, availability, state, engine')
        .option('--json', 'print JSON instead of a table')
        .action(async (options: EngineOptions & { json?: boolean }) => {
          const nodes = await listDockSwarm(createSession(options));
          process.stdout.write(options.json ? `${JSON.stringify(nodes, null, 2)}\n` : formatSwarmTable(nodes));
        }),
    ),
  );
  swarm.addCommand(
    addDryRunOption(
      new Command('leave')
        .description("take a dock's engine out of its swarm; a manager dock then drops it from the node list")
        .argument('<dock>', 'the dock; local is this machine')
        .option('-f, --force', 'leave even as a manager (the last manager ends the swarm)')
        .action(async (dock: string, options: EngineOptions & { force?: boolean }) => {
          const result = await leaveDockSwarm(createSession(options), { dock, force: Boolean(options.force) });
          if (options.dryRun) return;
          process.stderr.write(
            result.already ? `${result.dock} is in no swarm: nothing to do\n` : `${result.dock} left its swarm\n`,
          );
        }),
    ),
  );
  return swarm;
}
