import { CommandFailedError, ExitCode } from '../errors.js';
import { scopeLabelFilters, type ContainerScope } from '../project/container-scope.js';
import type { RunSettings } from '../project/run-settings.js';
import { formatCommandLine, type Arg } from './command-line.js';
import { containerSummary, type ApiContainer, type ContainerSummary } from './container-summary.js';
import { apiPath, engineJson, labelFiltersParameter } from './engine-api.js';
import { announceContainerChange } from './container-changes.js';
import { EngineUnreachableError, type EngineTarget } from './engine-target.js';
import { anyExitCode, dockerCommandLine, lastLine, runDocker, type CommandContext } from './exec.js';

export type { ContainerSummary } from './container-summary.js';

/** `docker run` for resolved settings, in the Python dockerutils' order. */
export function runContainerArgs(settings: RunSettings): Arg[] {
  return [
    'run',
    ...settings.init,
    '--name',
    settings.containerName,
    ...Object.entries(settings.labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]),
    ...settings.environment,
    ...(settings.removeOnExit ? ['--rm'] : []),
    ...(settings.detach ? ['-d'] : []),
    ...settings.interactive,
    ...settings.gpu,
    ...(settings.network ? ['--network', settings.network] : []),
    ...(settings.networkAliases ?? []).flatMap((alias) => ['--network-alias', alias]),
    ...settings.volumes,
    ...settings.ports,
    ...settings.extraArgs,
    settings.reference,
    ...settings.command,
  ];
}

/** The line `runContainer` echoes for these settings on a target, without running it (`dockerutils config`). */
export function runContainerCommandLine(target: EngineTarget, settings: RunSettings): string {
  return dockerCommandLine(target, runContainerArgs(settings));
}

/**
 * `docker create` for the same settings: the container is made, not started (`start-containers`
 * starts it). docker create has no `-d`; a created container is always kept.
 */
export function createContainerArgs(settings: RunSettings): Arg[] {
  return ['create', ...runContainerArgs({ ...settings, detach: false, removeOnExit: false, interactive: [] }).slice(1)];
}

/** Creates a container without starting it. */
export async function createContainer(context: CommandContext, settings: RunSettings): Promise<void> {
  announceContainerChange([settings.containerName]);
  await runDocker(context, createContainerArgs(settings));
}

// docker run's own failures; any other exit code is the container command's.
const dockerRunFailureCodes = [125, 126, 127];

/**
 * Runs a container in the foreground (or detached with `-d`) and resolves when docker returns.
 * A non-zero exit of the container's command is passed on as our exit code, not reported as an error.
 */
export async function runContainer(context: CommandContext, settings: RunSettings): Promise<void> {
  announceContainerChange([settings.containerName]);
  const result = await runDocker(context, runContainerArgs(settings), {
    stdio: 'inherit',
    acceptExitCode: (exitCode) => !settings.detach && !dockerRunFailureCodes.includes(exitCode),
  });
  if (result.exitCode !== 0) throw new ExitCode(result.exitCode);
}

/** docker's words for a published host port that something else holds. */
const portTakenPattern = /port is already allocated|address already in use/i;

/**
 * Runs a container detached (`docker run -d`); resolves with its id, or with docker's words when a
 * host port it publishes is taken (the caller may try another). Other failures throw.
 */
export async function runDetachedContainer(
  context: CommandContext,
  settings: RunSettings,
): Promise<{ id: string } | { portTaken: string }> {
  announceContainerChange([settings.containerName]);
  const args = runContainerArgs({ ...settings, detach: true, interactive: [] });
  const result = await runDocker(context, args, { acceptExitCode: (exitCode) => exitCode === 125 });
  if (result.exitCode === 0) return { id: result.stdout.trim() };
  // docker run ends its error with a usage hint; the reason is the `docker: ...` line.
  const reason = (/^docker: (.+)$/m.exec(result.stderr)?.[1] ?? lastLine(result.stderr) ?? '').replace(
    /^Error response from daemon: /,
    '',
  );
  if (portTakenPattern.test(result.stderr)) {
    // docker removes a --rm container whose start failed; one it kept would hold the name.
    await runDocker(context, ['rm', '-f', settings.containerName], { quiet: true, acceptExitCode: anyExitCode });
    return { portTaken: reason };
  }
  throw new CommandFailedError(formatCommandLine('docker', args), result.exitCode, reason);
}

/** `docker logs -f NAME`: everything the container wrote, then each line as it comes. */
export function followContainerOutputArgs(name: string): Arg[] {
  return ['logs', '-f', name];
}

/**
 * Hands over each line a container writes (stdout and stderr) until it stops or `signal` aborts;
 * the container's own output, which may say things the caller looks for.
 */
export async function followContainerOutput(
  context: CommandContext,
  name: string,
  onLine: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  await runDocker(context, followContainerOutputArgs(name), {
    acceptExitCode: anyExitCode,
    onStdoutLine: onLine,
    onStderrLine: onLine,
    cancelSignal: signal,
  });
}

/** `docker wait NAME`: the container's exit code once it stops; undefined when docker cannot say (gone already). */
export async function waitForContainer(context: CommandContext, name: string): Promise<number | undefined> {
  const result = await runDocker(context, ['wait', name], { quiet: true, acceptExitCode: anyExitCode });
  const code = Number(result.stdout.trim());
  return result.exitCode === 0 && result.stdout.trim() !== '' && Number.isInteger(code) ? code : undefined;
}

/** `docker ps` for a scope, one JSON object a line: the line a listing is echoed as. */
export function listContainersArgs(scope: ContainerScope): Arg[] {
  return [
    'ps',
    '--no-trunc',
    ...(scope.includeStopped ? ['-a'] : []),
    ...scopeLabelFilters(scope).flatMap((filter) => ['--filter', filter]),
    '--format',
    '{{json .}}',
  ];
}

/**
 * Lists the containers of a scope as `docker ps` shows them, read from the Engine API: on a dock that
 * is a request on the forwarded engine socket rather than an ssh session and a docker CLI on each
 * side. Runs even in a dry run: it changes nothing and later steps need it.
 */
export async function listContainers(
  context: CommandContext,
  scope: ContainerScope,
  options: { quiet?: boolean; timeoutMs?: number } = {},
): Promise<ContainerSummary[]> {
  if (!options.quiet) context.echo(dockerCommandLine(context.target, listContainersArgs(scope)));
  const path = apiPath('/containers/json', {
    all: scope.includeStopped,
    filters: labelFiltersParameter(scopeLabelFilters(scope)),
  });
  const signal = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
  let entries: ApiContainer[];
  try {
    entries = await engineJson<ApiContainer[]>(context, 'GET', path, undefined, signal);
  } catch (error) {
    if (!signal?.aborted) throw error;
    throw new EngineUnreachableError(context.target, `no answer within ${options.timeoutMs! / 1000} s`);
  }
  const now = Date.now();
  return entries.map((entry) => containerSummary(entry, now));
}

/** docker's 12-character short form of a container id. */
export function shortId(id: string): string {
  return id.slice(0, 12);
}

/** The order people read container names in: replica web_2 before web_10. */
export function compareContainerNames(a: { readonly name: string }, b: { readonly name: string }): number {
  return a.name.localeCompare(b.name, 'en', { numeric: true });
}
