import { CommandFailedError } from '../errors.js';
import { formatCommandLine, jsonLines, type Arg } from './command-line.js';
import { anyExitCode, lastLine, runDocker, type CommandContext } from './exec.js';

/** A container as `docker inspect` shows it, with the fields a stack decides by. */
export interface InspectedContainer {
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly state: string;
  readonly exitCode: number;
  readonly health?: string;
  readonly imageId: string;
  readonly created: string;
  /** Network name → network id. */
  readonly networks: Readonly<Record<string, string>>;
}

/** Everything one `docker inspect` of many names found, sorted by kind. */
export interface InspectedObjects {
  readonly containers: InspectedContainer[];
  readonly images: { readonly id: string; readonly tags: readonly string[] }[];
  readonly networks: { readonly id: string; readonly name: string }[];
  readonly volumes: { readonly name: string }[];
}

/** `docker inspect` of containers, images, networks and volumes at once, one JSON object a line. */
export function inspectObjectsArgs(names: readonly string[]): Arg[] {
  return ['inspect', '--format', '{{json .}}', ...names];
}

/**
 * Inspects many objects of any kind in one docker call (a stack's containers, images, network and
 * volumes). Names docker has no object for are left out; any other failure is an error.
 */
export async function inspectObjects(
  context: CommandContext,
  names: readonly string[],
  options: { quiet?: boolean } = {},
): Promise<InspectedObjects> {
  if (names.length === 0) return { containers: [], images: [], networks: [], volumes: [] };
  const args = inspectObjectsArgs(names);
  const result = await runDocker({ ...context, dryRun: false }, args, {
    acceptExitCode: anyExitCode,
    quiet: options.quiet,
    timeoutMs: 60_000,
  });
  const otherErrors = result.stderr.split('\n').filter((line) => line.trim() !== '' && !/no such object/i.test(line));
  if (result.exitCode !== 0 && otherErrors.length > 0)
    throw new CommandFailedError(formatCommandLine('docker', args), result.exitCode, lastLine(otherErrors.join('\n')));
  return parseInspectedObjects(result.stdout);
}

interface RawObject {
  Id?: string;
  ID?: string;
  Name?: string;
  Created?: string;
  Image?: string;
  State?: { Status?: string; ExitCode?: number; Health?: { Status?: string } };
  Config?: { Labels?: Record<string, string> | null };
  NetworkSettings?: { Networks?: Record<string, { NetworkID?: string }> | null };
  RepoTags?: string[] | null;
  IPAM?: unknown;
  Mountpoint?: string;
}

/** Sorts the objects of `docker inspect --format '{{json .}}'` by their shape: each kind has its own fields. */
export function parseInspectedObjects(output: string): InspectedObjects {
  const objects: InspectedObjects = { containers: [], images: [], networks: [], volumes: [] };
  for (const raw of jsonLines<RawObject>(output)) {
    if (raw.State !== undefined && raw.NetworkSettings !== undefined) {
      objects.containers.push({
        id: raw.Id ?? '',
        name: (raw.Name ?? '').replace(/^\//, ''),
        labels: raw.Config?.Labels ?? {},
        state: raw.State.Status ?? '',
        exitCode: raw.State.ExitCode ?? 0,
        ...(raw.State.Health?.Status ? { health: raw.State.Health.Status } : {}),
        imageId: raw.Image ?? '',
        created: raw.Created ?? '',
        networks: Object.fromEntries(
          Object.entries(raw.NetworkSettings.Networks ?? {}).map(([name, network]) => [name, network.NetworkID ?? '']),
        ),
      });
    } else if (raw.RepoTags !== undefined) {
      objects.images.push({ id: raw.Id ?? '', tags: raw.RepoTags ?? [] });
    } else if (raw.IPAM !== undefined) {
      objects.networks.push({ id: raw.Id ?? raw.ID ?? '', name: raw.Name ?? '' });
    } else if (raw.Mountpoint !== undefined) {
      objects.volumes.push({ name: raw.Name ?? '' });
    }
  }
  return objects;
}
