import { jsonLines, type Arg } from './command-line.js';
import { runDockerCli, type CommandContext } from './exec.js';

/** One docker context as `docker context ls` describes it. */
export interface ContextSummary {
  readonly name: string;
  readonly endpoint: string;
  /** The context the docker CLI uses when nothing else says (`docker context use`). */
  readonly current: boolean;
  readonly description: string;
}

/** `docker context create NAME --docker host=ENDPOINT`. */
export function createContextArgs(name: string, endpoint: string, description: string): Arg[] {
  return ['context', 'create', name, '--description', description, '--docker', `host=${endpoint}`];
}

/** Creates a docker context. */
export async function createContext(
  context: CommandContext,
  name: string,
  endpoint: string,
  description: string,
): Promise<void> {
  await runDockerCli(context, createContextArgs(name, endpoint, description));
}

/** `docker context rm`; `force` removes the context in use too. */
export function removeContextArgs(name: string, force: boolean): Arg[] {
  return ['context', 'rm', ...(force ? ['--force'] : []), name];
}

/** Removes a docker context. */
export async function removeContext(context: CommandContext, name: string, force: boolean): Promise<void> {
  await runDockerCli(context, removeContextArgs(name, force));
}

/** `docker context use`. */
export function useContextArgs(name: string): Arg[] {
  return ['context', 'use', name];
}

/** Makes a context the docker CLI's default. */
export async function useContext(context: CommandContext, name: string): Promise<void> {
  await runDockerCli(context, useContextArgs(name));
}

/** `docker context ls` as JSON lines. */
export const listContextsArgs: readonly Arg[] = ['context', 'ls', '--format', '{{json .}}'];

/** Lists the docker contexts. Runs even in a dry run: it changes nothing. */
export async function listContexts(context: CommandContext): Promise<ContextSummary[]> {
  const result = await runDockerCli({ ...context, dryRun: false }, listContextsArgs, { quiet: true });
  return parseContextLines(result.stdout);
}

/** Parses `docker context ls --format '{{json .}}'`. */
export function parseContextLines(output: string): ContextSummary[] {
  return jsonLines<Record<string, unknown>>(output).map((row) => ({
    name: String(row.Name ?? ''),
    endpoint: String(row.DockerEndpoint ?? ''),
    current: row.Current === true,
    description: String(row.Description ?? ''),
  }));
}

/** `docker info` reduced to what a dock listing shows. */
export const engineSummaryArgs: readonly Arg[] = ['info', '--format', '{{.ServerVersion}}\t{{.ContainersRunning}}'];

/** Parses the output of `engineSummaryArgs`; undefined when no engine answered (the version is empty). */
export function parseEngineSummary(output: string): { version: string; runningContainers: number } | undefined {
  const [version = '', running = ''] = output.replace(/\s+$/, '').split('\t');
  if (version === '') return undefined;
  return { version, runningContainers: Number(running) || 0 };
}
