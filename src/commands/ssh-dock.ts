import { anyExitCode, runProgram } from '../docker/exec.js';
import { dockTarget, sshDestinationOf } from '../docks/engine-target.js';
import { sshDestinationArgs } from '../docker/ssh-destination.js';
import { ExitCode } from '../errors.js';
import { engineContext, type CommandSession } from './session.js';

/** ssh-dock NAME [COMMAND...]: an ssh session on the dock, through the shared connection; its exit code becomes ours. */
export async function sshToDock(
  session: CommandSession,
  request: { name: string; remoteCommand: readonly string[]; terminal: boolean },
): Promise<void> {
  const target = dockTarget(request.name, session.env);
  const destination = sshDestinationOf(target);
  const terminalFlag = request.terminal && request.remoteCommand.length === 0 ? ['-t'] : [];
  const result = await runProgram(
    { ...engineContext(session), target },
    'ssh',
    [...terminalFlag, ...sshDestinationArgs(destination), ...request.remoteCommand],
    { stdio: 'inherit', acceptExitCode: anyExitCode },
  );
  if (result.exitCode !== 0) throw new ExitCode(result.exitCode);
}
