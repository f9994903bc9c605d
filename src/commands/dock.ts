import { lookup } from 'node:dns/promises';
import { quote } from 'shlex';
import {
  type ContextSummary,
  createContext,
  engineSummaryArgs,
  listContexts,
  parseEngineSummary,
  removeContext,
  useContext,
} from '../docker/contexts.js';
import { EngineUnreachableError } from '../docker/engine-target.js';
import { anyExitCode, runDocker, runProgram, type CommandContext } from '../docker/exec.js';
import { engineVersion } from '../docker/remote-engine.js';
import { dockProbeTimeoutMs, probeEngineOverSsh } from '../docks/dock-probe.js';
import { machineStatus, readDockMachines, saveDockMachine, type DockMachine } from '../docks/dock-machines.js';
import { contextEndpoint, dockTarget, isLocalDockName, sshDestinationOf } from '../docks/engine-target.js';
import { describeDestination, parseSshEndpoint, sshDestinationArgs } from '../docker/ssh-destination.js';
import { CommandFailedError, UserError } from '../errors.js';
import { engineContext, type CommandSession } from './session.js';

const dockNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]*$/;

/** What `dock add` needs. */
export interface AddDockRequest {
  readonly name: string;
  readonly endpoint: string;
  /** Record the host key of a host not yet in known_hosts (a changed key is refused regardless). */
  readonly acceptNewHostKey: boolean;
  /** `--start`, `--stop`, `--status`: the commands of a machine that is started and stopped. */
  readonly machine?: DockMachine;
}

/**
 * dock add: checks that ssh and the engine answer, then creates the docker context (and records the
 * machine's commands). Returns the engine version; undefined when a machine with a start command
 * does not answer now, which is how a stopped machine is added.
 */
export async function addDock(session: CommandSession, request: AddDockRequest): Promise<string | undefined> {
  if (!dockNamePattern.test(request.name) || isLocalDockName(request.name)) {
    throw new UserError(
      `"${request.name}" cannot name a dock: use letters, digits, and _ . + - (not "default" or "local")`,
    );
  }
  if (contextEndpoint(request.name, session.env) !== undefined) {
    throw new UserError(
      `a dock (docker context) named "${request.name}" exists already: \`dock rm ${request.name}\` first`,
    );
  }
  const context = engineContext(session);
  const destination = parseSshEndpoint(request.endpoint);
  const probe = await probeEngineOverSsh(context, destination, request.acceptNewHostKey);
  const stopped = probe.problem?.kind === 'unreachable' && request.machine?.start !== undefined;
  if (probe.problem && !stopped) throw new UserError(`${probe.problem.message}: ${probe.problem.fix}`, { exitCode: 1 });
  await createContext(context, request.name, request.endpoint, `dock ${describeDestination(destination)}`);
  // Also forgets the commands a context of that name, removed behind our back, once had.
  if (!session.dryRun) saveDockMachine(session.env, request.name, request.machine);
  return stopped ? undefined : (probe.version ?? '');
}

/** One row of `dock ls`; `--json` prints these fields, every one always present. */
export interface DockStatus {
  readonly name: string;
  readonly endpoint: string;
  readonly active: boolean;
  /** `answers`, or `unreachable` when no engine replied in time. */
  readonly state: 'answers' | 'unreachable';
  readonly version: string | null;
  readonly runningContainers: number | null;
  /** Why it did not answer; null when it did. */
  readonly error: string | null;
  /** What its status command says (`running`, `stopped`); null for a dock without one. */
  readonly machine: string | null;
}

/** dock ls: every docker context, checked in parallel, each check bounded by `dockProbeTimeoutMs`. */
export async function listDocks(session: CommandSession): Promise<DockStatus[]> {
  const context = { ...engineContext(session), dryRun: false };
  const contexts = await listContexts(context);
  const machines = readDockMachines(session.env);
  return Promise.all(
    contexts.map(async (summary): Promise<DockStatus> => {
      const status = machines.get(summary.name)?.status;
      // The machine is asked alongside the engine, within the same bound.
      const [engine, machine] = await Promise.all([
        dockEngineStatus({ ...context, target: dockTarget(summary.name, session.env) }, summary),
        status === undefined ? null : machineStatus(context, status, dockProbeTimeoutMs),
      ]);
      return { ...engine, machine };
    }),
  );
}

async function dockEngineStatus(
  dockContext: CommandContext,
  summary: ContextSummary,
): Promise<Omit<DockStatus, 'machine'>> {
  const base = { name: summary.name, endpoint: summary.endpoint, active: summary.current };
  const unreachable = (error: string): Omit<DockStatus, 'machine'> => ({
    ...base,
    state: 'unreachable',
    version: null,
    runningContainers: null,
    error,
  });
  try {
    const result = await runDocker(dockContext, engineSummaryArgs, {
      acceptExitCode: anyExitCode,
      timeoutMs: dockProbeTimeoutMs,
    });
    const engine = parseEngineSummary(result.stdout);
    if (engine) return { ...base, state: 'answers', ...engine, error: null };
    return unreachable(result.stderr.trim().split('\n').at(-1) || `exit code ${result.exitCode}`);
  } catch (error) {
    // One dock that cannot be reached is a row of the listing, not the end of it.
    if (error instanceof EngineUnreachableError) return unreachable(error.reason ?? 'no answer');
    if (error instanceof CommandFailedError) return unreachable(`no answer within ${dockProbeTimeoutMs / 1000} s`);
    throw error;
  }
}

/** The names of the registered docks, without asking their engines (for completion). */
export async function dockNames(session: CommandSession): Promise<string[]> {
  return (await listContexts({ ...engineContext(session), dryRun: false })).map((summary) => summary.name);
}

/** One line of the preflight. */
export interface CheckStep {
  readonly what: string;
  readonly ok: boolean;
  readonly detail: string;
  /** The one-line fix, when not ok. */
  readonly fix?: string;
}

/** dock ls --check NAME: ssh reachable, login allowed to use docker, engine running, round-trip latency. */
export async function checkDock(session: CommandSession, name: string): Promise<CheckStep[]> {
  const target = dockTarget(name, session.env);
  const dockContext: CommandContext = { ...engineContext(session), target, dryRun: false };
  const destination = sshDestinationOf(target);
  const where = describeDestination(destination);
  const steps: CheckStep[] = [];
  const probe = await probeEngineOverSsh(dockContext, destination, false);
  const problem = probe.problem;
  const sshFailed =
    problem !== undefined &&
    ['host-key-unknown', 'host-key-changed', 'login-refused', 'unreachable'].includes(problem.kind);
  steps.push(
    sshFailed
      ? { what: 'ssh', ok: false, detail: problem.message, fix: problem.fix }
      : { what: 'ssh', ok: true, detail: `${where} accepts the login` },
  );
  if (sshFailed) return steps;
  if (problem) {
    steps.push({ what: 'docker', ok: false, detail: problem.message, fix: problem.fix });
    return steps;
  }
  steps.push({
    what: 'docker',
    ok: true,
    detail: `the login user may use the engine; engine ${probe.version} is running`,
  });
  // The probe opened the shared connection: this round trip is the engine's latency, not a handshake.
  const started = performance.now();
  const roundTrip = await engineVersion(dockContext, dockProbeTimeoutMs);
  const latencyMs = Math.round(performance.now() - started);
  steps.push(
    'version' in roundTrip
      ? {
          what: 'latency',
          ok: true,
          detail: `${latencyMs} ms for a docker call (ssh handshake ${Math.round(probe.elapsedMs)} ms)`,
        }
      : {
          what: 'latency',
          ok: false,
          detail: `docker --context ${name} failed: ${roundTrip.failure}`,
          fix: `check the context: docker context inspect ${name}`,
        },
  );
  return steps;
}

/** dock rm NAME */
export async function removeDock(session: CommandSession, name: string, force: boolean): Promise<void> {
  if (isLocalDockName(name)) throw new UserError(`"${name}" is this machine's engine, not a dock: nothing to remove`);
  dockTarget(name, session.env);
  await removeContext(engineContext(session), name, force);
  if (!session.dryRun) saveDockMachine(session.env, name, undefined);
}

/** dock use NAME|local: the docker CLI's default engine from now on. */
export async function useDock(session: CommandSession, name: string): Promise<void> {
  const target = dockTarget(name, session.env);
  await useContext(engineContext(session), target.context ?? name);
}

/** dock env NAME: shell lines that point the plain docker CLI at the dock, and the line that undoes it. */
export async function dockEnvironmentLines(session: CommandSession, name: string): Promise<string[]> {
  const target = dockTarget(name, session.env);
  const address = target.endpoint.startsWith('ssh://')
    ? await dockAddress(
        { ...engineContext(session), dryRun: false },
        sshDestinationArgs(sshDestinationOf(target)),
        sshDestinationOf(target).host,
      )
    : new URL(target.endpoint.replace(/^(tcp|unix):/, 'http:')).hostname || 'localhost';
  return [
    `export DOCKER_HOST=${quote(target.endpoint)}`,
    `export DOCKER_IP=${quote(address)}`,
    '# undo: unset DOCKER_HOST DOCKER_IP',
  ];
}

/** The address ssh really connects to (an alias of ~/.ssh/config resolved), as an IP when it resolves. */
export async function dockAddress(
  context: CommandContext,
  destinationArgs: readonly string[],
  host: string,
): Promise<string> {
  const resolved = await runProgram(context, 'ssh', ['-G', ...destinationArgs], { quiet: true });
  const hostName = /^hostname (.+)$/m.exec(resolved.stdout)?.[1]?.trim() ?? host;
  try {
    return (await lookup(hostName)).address;
  } catch {
    // Not resolvable from here: ssh resolves it its own way, the name is the best answer.
    return hostName;
  }
}
