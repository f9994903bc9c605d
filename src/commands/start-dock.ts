import type { CommandContext } from '../docker/exec.js';
import { dockProbeTimeoutMs, probeEngineOverSsh } from '../docks/dock-probe.js';
import { requireMachineCommand, runMachineCommand } from '../docks/dock-machines.js';
import { dockTarget, sshDestinationOf } from '../docks/engine-target.js';
import type { DockProblem } from '../docks/dock-problems.js';
import { UserError } from '../errors.js';
import { engineContext, type CommandSession } from './session.js';

/** How far a start has got: what is being waited for, and for how long so far. */
export interface StartProgress {
  /** `ssh`: no ssh answer yet; `engine`: ssh answers, the Docker engine does not yet. */
  readonly waitingFor: 'ssh' | 'engine';
  readonly elapsedMs: number;
  /** The last thing ssh or docker said. */
  readonly detail: string;
}

/** What start-dock needs. */
export interface StartDockRequest {
  readonly name: string;
  /** How long to wait for ssh and the engine once the start command has run. */
  readonly timeoutMs: number;
  /** Record the host key of a machine not yet in known_hosts (a changed key is refused regardless). */
  readonly acceptNewHostKey: boolean;
  readonly onProgress: (progress: StartProgress) => void;
}

/** What start-dock found once the dock answered. */
export interface StartDockResult {
  /** The engine's version; empty in a dry run. */
  readonly version: string;
  readonly elapsedMs: number;
}

const pollIntervalMs = 1_000;
// Enough for an ssh login and a docker call on a machine that is up, so the last check can succeed.
const minimumProbeMs = 3_000;

// Problems a machine that is still booting has; anything else will not go away by waiting.
const passingProblems: readonly DockProblem['kind'][] = ['unreachable', 'daemon-down', 'no-docker'];

/**
 * start-dock NAME: runs the dock's start command, then waits (bounded) until ssh and the Docker
 * engine answer. Fails saying what answered and what to do: a machine whose ssh answers but whose
 * engine does not is told apart from one that never answered.
 */
export async function startDock(session: CommandSession, request: StartDockRequest): Promise<StartDockResult> {
  const target = dockTarget(request.name, session.env);
  const destination = sshDestinationOf(target);
  const command = requireMachineCommand(session.env, request.name, 'start');
  const context: CommandContext = { ...engineContext(session), target };
  const started = performance.now();
  await runMachineCommand(context, 'start', command, request.timeoutMs);
  if (session.dryRun) return { version: '', elapsedMs: 0 };

  const deadline = started + request.timeoutMs;
  let lastProblem: DockProblem | undefined;
  for (let attempt = 0; ; attempt++) {
    const remainingMs = deadline - performance.now();
    const probe = await probeEngineOverSsh(context, destination, request.acceptNewHostKey, {
      timeoutMs: Math.round(Math.max(minimumProbeMs, Math.min(dockProbeTimeoutMs, remainingMs))),
      // The first check is echoed; the same check repeated every second would bury everything else.
      quiet: attempt > 0,
    });
    if (probe.problem === undefined) return { version: probe.version ?? '', elapsedMs: performance.now() - started };
    // A check cut short by the deadline says nothing new about a machine whose ssh has answered.
    const cutShort = probe.problem.kind === 'unreachable' && /timed out after/.test(probe.problem.message);
    if (!(cutShort && lastProblem !== undefined && lastProblem.kind !== 'unreachable')) lastProblem = probe.problem;
    if (!passingProblems.includes(probe.problem.kind))
      throw new UserError(`${probe.problem.message}: ${probe.problem.fix}`, { exitCode: 1 });
    const waitingFor = lastProblem.kind === 'unreachable' ? 'ssh' : 'engine';
    request.onProgress({ waitingFor, elapsedMs: performance.now() - started, detail: lastProblem.message });
    if (performance.now() + pollIntervalMs >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
  const seconds = Math.round(request.timeoutMs / 1000);
  if (lastProblem.kind === 'unreachable') {
    throw new UserError(
      `${request.name} did not answer over ssh within ${seconds} s (${lastProblem.message.replace(/^cannot reach \S+ over ssh: /, '')}): check the machine's state (dock ls) and that \`ssh-dock ${request.name}\` works`,
      { exitCode: 1 },
    );
  }
  if (lastProblem.kind === 'no-docker')
    throw new UserError(`${request.name} answers over ssh, but ${lastProblem.message}: ${lastProblem.fix}`, {
      exitCode: 1,
    });
  throw new UserError(
    `${request.name} answers over ssh, but its Docker engine did not answer within ${seconds} s (${lastProblem.message}): start it there, e.g. \`ssh-dock ${request.name} sudo systemctl start docker\``,
    { exitCode: 1 },
  );
}
