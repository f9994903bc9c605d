import type { CommandContext } from '../docker/exec.js';
import { engineVersionOverSsh } from '../docker/remote-engine.js';
import { diagnoseDockProbe, type DockProblem } from './dock-problems.js';
import { sshDestinationArgs, type SshDestination } from '../docker/ssh-destination.js';

/** An unreachable dock answers "unreachable" within this long, so that `dock ls` ends within 10 s. */
export const dockProbeTimeoutMs = 8_000;

/** ssh options for checks: never a prompt, strict host keys unless the user accepts new ones. */
export function sshCheckOptions(acceptNewHostKey: boolean): string[] {
  return [
    '-o',
    'BatchMode=yes',
    '-o',
    `StrictHostKeyChecking=${acceptNewHostKey ? 'accept-new' : 'yes'}`,
    '-o',
    'ConnectTimeout=8',
  ];
}

/** Runs `ssh DEST docker version` (bounded by `timeoutMs`, default `dockProbeTimeoutMs`); resolves with the engine version or the diagnosed problem. */
export async function probeEngineOverSsh(
  context: CommandContext,
  destination: SshDestination,
  acceptNewHostKey: boolean,
  options: { timeoutMs?: number; quiet?: boolean } = {},
): Promise<{ version?: string; problem?: DockProblem; elapsedMs: number }> {
  const started = performance.now();
  const { exitCode, stdout, stderr } = await engineVersionOverSsh(
    context,
    sshCheckOptions(acceptNewHostKey),
    sshDestinationArgs(destination),
    options.timeoutMs ?? dockProbeTimeoutMs,
    { quiet: options.quiet },
  );
  const elapsedMs = performance.now() - started;
  const problem = diagnoseDockProbe(destination, exitCode, stderr);
  return problem ? { problem, elapsedMs } : { version: stdout.trim(), elapsedMs };
}
