import { Argument, Command, Option } from 'commander';
import { completesWith } from './completion-marks.js';
import {
  addDock,
  checkDock,
  dockEnvironmentLines,
  listDocks,
  removeDock,
  useDock,
  type CheckStep,
} from '../commands/dock.js';
import { ExitCode } from '../errors.js';
import { createSwarmCommand } from './dock-swarm.js';
import { addDryRunOption, createSession, type EngineOptions } from './options.js';
import { formatDockTable } from './output/tables.js';
import { paint } from './output/terminal.js';

interface AddOptions extends EngineOptions {
  acceptNew?: boolean;
  start?: string;
  stop?: string;
  status?: string;
}

interface ListOptions {
  json?: boolean;
  check?: string;
}

/** dock add|ls|rm|use|env|swarm: remote Docker hosts over SSH, kept as docker contexts. */
export function createCommand(): Command {
  const dock = new Command('dock')
    .description(
      'remote Docker hosts over SSH ("docks"), kept as docker contexts so the plain docker CLI sees them too',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  dock add gpu ssh://me@gpu-box\n  dock add gpu ssh://me@gpu-box --start "aws ec2 start-instances --instance-ids i-0abc" --stop "aws ec2 stop-instances --instance-ids i-0abc"\n  dock ls\n  dock ls --check gpu\n  run-image dev --dock gpu\n  eval "$(dock env gpu)"',
    );

  dock.addCommand(
    addDryRunOption(
      new Command('add')
        .description('check that SSH and a Docker engine answer at the address, then register it as a docker context')
        .argument('<name>', 'the dock name (also the docker context name)')
        .argument('<address>', 'ssh://[user@]host[:port]; host may be an alias of ~/.ssh/config')
        .option(
          '--accept-new',
          'record the host key of a host not yet in known_hosts (a changed key is always refused)',
        )
        .option('--start <command>', 'a machine: the shell command that starts it (start-dock runs it)')
        .option('--stop <command>', 'the shell command that stops the machine (stop-dock runs it)')
        .option('--status <command>', "the shell command that prints the machine's state (dock ls shows it)")
        .action(async (name: string, address: string, options: AddOptions) => {
          const { start, stop, status } = options;
          const machine = (start ?? stop ?? status) ? { start, stop, status } : undefined;
          const version = await addDock(createSession(options), {
            name,
            endpoint: address,
            acceptNewHostKey: Boolean(options.acceptNew),
            machine,
          });
          if (options.dryRun) return;
          process.stderr.write(
            version === undefined
              ? `dock ${name} added at ${address}; it does not answer now: \`start-dock ${name}\` starts it\n`
              : `dock ${name} added: Docker ${version} at ${address}\n`,
          );
        }),
    ),
  );
  dock.addCommand(createListCommand('ls'));
  dock.addCommand(
    new Command('rm')
      .description('remove a dock (its docker context and machine commands); nothing on the host changes')
      .addArgument(completesWith(new Argument('<name>'), ['@docks']))
      .option('-f, --force', 'remove it even when it is the active one')
      .action(async (name: string, options: { force?: boolean }) => {
        await removeDock(createSession(), name, Boolean(options.force));
      }),
  );
  dock.addCommand(
    new Command('use')
      .description("make a dock the docker CLI's default engine (`local` goes back to this machine's)")
      .addArgument(completesWith(new Argument('<name>', 'a dock name, or local'), ['@docks']))
      .action(async (name: string) => {
        await useDock(createSession(), name);
      }),
  );
  dock.addCommand(
    new Command('env')
      .description('print the shell lines that point this shell\'s docker at a dock: eval "$(dock env NAME)"')
      .addArgument(completesWith(new Argument('<name>'), ['@docks']))
      .action(async (name: string) => {
        const lines = await dockEnvironmentLines(createSession(), name);
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
  );
  dock.addCommand(createSwarmCommand());
  return dock;
}

/** `dock ls`, also the `ls-dock` bin. */
export function createListCommand(name: string): Command {
  return new Command(name)
    .description(
      'list the docks: endpoint, whether the engine answers now (checked in parallel, at most 10 s), version, running containers, the active one',
    )
    .option('--json', 'print JSON instead of a table')
    .addOption(
      completesWith(
        new Option(
          '--check <name>',
          'preflight one dock: ssh, permission to use docker, engine running, latency; each problem with its fix',
        ),
        ['@docks'],
      ),
    )
    .action(async (options: ListOptions) => {
      const session = createSession();
      if (options.check !== undefined) {
        const steps = await checkDock(session, options.check);
        process.stdout.write(options.json ? `${JSON.stringify(steps, null, 2)}\n` : formatCheck(steps));
        if (steps.some((step) => !step.ok)) throw new ExitCode(1);
        return;
      }
      const docks = await listDocks(session);
      process.stdout.write(options.json ? `${JSON.stringify(docks, null, 2)}\n` : formatDockTable(docks));
    });
}

function formatCheck(steps: readonly CheckStep[]): string {
  return (
    steps
      .map(
        (step) =>
          `${step.ok ? paint.green('ok  ') : paint.red('FAIL')} ${step.what.padEnd(8)} ${step.detail}${step.fix ? `\n     ${'fix:'.padEnd(8)} ${step.fix}` : ''}`,
      )
      .join('\n') + '\n'
  );
}
