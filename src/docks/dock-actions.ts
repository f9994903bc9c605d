import { lookup } from 'node:dns/promises';
import { quote } from 'shlex';
import { CommandFailedError, ExitCode, UserError } from '../errors.js';
import {
  createContext,
  engineSummaryArgs,
  listContexts,
  parseEngineSummary,
  removeContext,
  useContext,
} from '../docker/contexts.js';
import { contextEndpoint } from '../docker/engine-target.js';
import { anyExitCode, lastLine, runDocker, runProgram, type CommandContext } from '../docker/exec.js';
import { diagnoseDockProbe, type DockProblem } from './dock-problems.js';
import { describeDestination, parseSshEndpoint, sshDestinationArgs, type SshDestination } from './ssh-destination.js';

/** An unreachable dock answers "unreachable" within this long, so that `dock ls` ends within 10 s. */
export const dockProbeTimeoutMs = 8_000;

const dockNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]*$/;

/** The context a command runs in, pointed at one dock: its docker calls say `--context NAME`. */
export function dockCommandContext(context: CommandContext, name: string): CommandContext {
  const endpoint = contextEndpoint(name, context.env);
  if (endpoint === undefined)
    throw new UserError(
      `no dock named "${name}": \`dock ls\` lists them, \`dock add ${name} ssh://user@host\` adds one`,
    );
  return { ...context, target: { context: name, endpoint, remote: true } };
}

/** The ssh destination of a registered dock. */
export function dockDestination(context: CommandContext, name: string): SshDestination {
  const endpoint = dockCommandContext(context, name).target.endpoint;
  if (!endpoint.startsWith('ssh://')) throw new UserError(`dock "${name}" is at ${endpoint}, not reached over ssh`);
  return parseSshEndpoint(endpoint);
}

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

/** `ssh DEST docker version`: one round trip that proves ssh, the login, the docker command and the engine. */
export function probeEngineOverSshArgs(destination: SshDestination, acceptNewHostKey: boolean): string[] {
  return [
    ...sshCheckOptions(acceptNewHostKey),
    ...sshDestinationArgs(destination),
    'docker',
    'version',
    '--format',
    '{{.Server.Version}}',
  ];
}

/** Runs the probe; resolves with the engine version or the diagnosed problem. */
export async function probeEngineOverSsh(
  context: CommandContext,
  destination: SshDestination,
  acceptNewHostKey: boolean,
): Promise<{ version?: string; problem?: DockProblem; elapsedMs: number }> {
  const started = performance.now();
  let exitCode: number;
  let stdout = '';
  let stderr = '';
  try {
    // The remote shell reads the words as one command line; the version template needs no quoting there.
    ({ exitCode, stdout, stderr } = await runProgram(
      context,
      'ssh',
      probeEngineOverSshArgs(destination, acceptNewHostKey),
      {
        acceptExitCode: anyExitCode,
        timeoutMs: dockProbeTimeoutMs,
      },
    ));
  } catch (error) {
    if (!(error instanceof CommandFailedError)) throw error;
    exitCode = 255;
    stderr = `timed out after ${dockProbeTimeoutMs} ms`;
  }
  const elapsedMs = performance.now() - started;
  const problem = diagnoseDockProbe(destination, exitCode, stderr);
  return problem ? { problem, elapsedMs } : { version: stdout.trim(), elapsedMs };
}

/** What `dock add` needs. */
export interface AddDockRequest {
  readonly name: string;
  readonly endpoint: string;
  /** Record the host key of a host not yet in known_hosts (a changed key is refused regardless). */
  readonly acceptNewHostKey: boolean;
}

/** dock add: checks that ssh and the engine answer, then creates the docker context. Returns the engine version. */
export async function addDock(context: CommandContext, request: AddDockRequest): Promise<string> {
  if (!dockNamePattern.test(request.name) || request.name === 'default' || request.name === 'local') {
    throw new UserError(
      `"${request.name}" cannot name a dock: use letters, digits, and _ . + - (not "default" or "local")`,
    );
  }
  if (contextEndpoint(request.name, context.env) !== undefined) {
    throw new UserError(
      `a dock (docker context) named "${request.name}" exists already: \`dock rm ${request.name}\` first`,
    );
  }
  const destination = parseSshEndpoint(request.endpoint);
  const probe = await probeEngineOverSsh(context, destination, request.acceptNewHostKey);
  if (probe.problem) throw new UserError(`${probe.problem.message}: ${probe.problem.fix}`, { exitCode: 1 });
  await createContext(context, request.name, request.endpoint, `dock ${describeDestination(destination)}`);
  return probe.version ?? '';
}

/** One row of `dock ls`. */
export interface DockStatus {
  readonly name: string;
  readonly endpoint: string;
  readonly active: boolean;
  /** `answers`, or `unreachable` when no engine replied in time. */
  readonly state: 'answers' | 'unreachable';
  readonly version?: string;
  readonly runningContainers?: number;
  /** Why it did not answer. */
  readonly error?: string;
}

/** dock ls: every docker context, checked in parallel, each check bounded by `dockProbeTimeoutMs`. */
export async function listDocks(context: CommandContext): Promise<DockStatus[]> {
  const contexts = await listContexts(context);
  return Promise.all(
    contexts.map(async (summary): Promise<DockStatus> => {
      const base = { name: summary.name, endpoint: summary.endpoint, active: summary.current };
      const dockContext: CommandContext = {
        ...context,
        dryRun: false,
        target: { context: summary.name, endpoint: summary.endpoint, remote: summary.name !== 'default' },
      };
      try {
        const result = await runDocker(dockContext, engineSummaryArgs, {
          acceptExitCode: anyExitCode,
          timeoutMs: dockProbeTimeoutMs,
        });
        const engine = parseEngineSummary(result.stdout);
        if (engine) return { ...base, state: 'answers', ...engine };
        return { ...base, state: 'unreachable', error: lastLine(result.stderr) ?? `exit code ${result.exitCode}` };
      } catch (error) {
        if (!(error instanceof CommandFailedError)) throw error;
        return { ...base, state: 'unreachable', error: `no answer within ${dockProbeTimeoutMs / 1000} s` };
      }
    }),
  );
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
export async function checkDock(context: CommandContext, name: string): Promise<CheckStep[]> {
  const dockContext = dockCommandContext(context, name);
  const destination = dockDestination(context, name);
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
  const roundTrip = await runDocker({ ...dockContext, dryRun: false }, ['version', '--format', '{{.Server.Version}}'], {
    acceptExitCode: anyExitCode,
    timeoutMs: dockProbeTimeoutMs,
  });
  const latencyMs = Math.round(performance.now() - started);
  steps.push(
    roundTrip.exitCode === 0
      ? {
          what: 'latency',
          ok: true,
          detail: `${latencyMs} ms for a docker call (ssh handshake ${Math.round(probe.elapsedMs)} ms)`,
        }
      : {
          what: 'latency',
          ok: false,
          detail: `docker --context ${name} failed: ${lastLine(roundTrip.stderr) ?? ''}`,
          fix: `check the context: docker context inspect ${name}`,
        },
  );
  return steps;
}

/** dock rm NAME */
export async function removeDock(context: CommandContext, name: string, force: boolean): Promise<void> {
  dockCommandContext(context, name);
  await removeContext(context, name, force);
}

/** dock use NAME|local: the docker CLI's default engine from now on. */
export async function useDock(context: CommandContext, name: string): Promise<void> {
  if (name !== 'local' && name !== 'default') dockCommandContext(context, name);
  await useContext(context, name === 'local' ? 'default' : name);
}

/** dock env NAME: shell lines that point the plain docker CLI at the dock, and the line that undoes it. */
export async function dockEnvironmentLines(context: CommandContext, name: string): Promise<string[]> {
  const endpoint = dockCommandContext(context, name).target.endpoint;
  const destination = endpoint.startsWith('ssh://') ? parseSshEndpoint(endpoint) : undefined;
  const address = destination
    ? await dockAddress(context, destination)
    : new URL(endpoint.replace(/^tcp:/, 'http:')).hostname;
  return [
    `export DOCKER_HOST=${quote(endpoint)}`,
    `export DOCKER_IP=${quote(address)}`,
    '# undo: unset DOCKER_HOST DOCKER_IP',
  ];
}

/** The address ssh really connects to (an alias of ~/.ssh/config resolved), as an IP when it resolves. */
async function dockAddress(context: CommandContext, destination: SshDestination): Promise<string> {
  const resolved = await runProgram(
    context.dryRun ? { ...context, dryRun: false } : context,
    'ssh',
    ['-G', ...sshDestinationArgs(destination)],
    { quiet: true },
  );
  const hostName = /^hostname (.+)$/m.exec(resolved.stdout)?.[1]?.trim() ?? destination.host;
  try {
    return (await lookup(hostName)).address;
  } catch {
    return hostName;
  }
}

/** ssh-dock NAME [COMMAND...]: an ssh session on the dock; its exit code becomes ours. */
export async function sshToDock(
  context: CommandContext,
  name: string,
  remoteCommand: readonly string[],
  terminal: boolean,
): Promise<void> {
  const destination = dockDestination(context, name);
  const result = await runProgram(
    dockCommandContext(context, name),
    'ssh',
    [...(terminal && remoteCommand.length === 0 ? ['-t'] : []), ...sshDestinationArgs(destination), ...remoteCommand],
    {
      stdio: 'inherit',
      acceptExitCode: anyExitCode,
    },
  );
  if (result.exitCode !== 0) throw new ExitCode(result.exitCode);
}
