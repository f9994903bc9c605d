import { CommandFailedError } from '../errors.js';
import { formatCommandLine, jsonLines, type Arg } from './command-line.js';
import { anyExitCode, lastLine, runDocker, type CommandContext } from './exec.js';

/** What ls-images shows of one built image. */
export interface ImageDetails {
  readonly id: string;
  readonly tags: readonly string[];
  readonly sizeBytes: number;
  /** ISO 8601, as docker reports it. */
  readonly created: string;
  /** The `org.opencontainers.image.version` label build-image gives it; null without one. */
  readonly version: string | null;
}

const detailsTemplate =
  '{"id":{{json .Id}},"tags":{{json .RepoTags}},"sizeBytes":{{.Size}},"created":{{json .Created}},"labels":{{json .Config.Labels}}}';

/** The label that holds an image's version (the OCI annotation). */
export const imageVersionLabel = 'org.opencontainers.image.version';

/** `docker image inspect` for several references, one JSON line each. */
export function inspectImagesArgs(references: readonly string[]): Arg[] {
  return ['image', 'inspect', '--format', detailsTemplate, ...references];
}

/** The details of the references that exist; absent ones (not built yet) are simply not returned. Runs even in a dry run. */
export async function inspectImages(
  context: CommandContext,
  references: readonly string[],
  options: { quiet?: boolean } = {},
): Promise<ImageDetails[]> {
  if (references.length === 0) return [];
  const result = await runDocker({ ...context, dryRun: false }, inspectImagesArgs(references), {
    acceptExitCode: anyExitCode,
    quiet: options.quiet,
  });
  const otherErrors = result.stderr.split('\n').filter((line) => line.trim() !== '' && !/no such image/i.test(line));
  if (result.exitCode !== 0 && otherErrors.length > 0) {
    throw new CommandFailedError(
      formatCommandLine('docker', inspectImagesArgs(references)),
      result.exitCode,
      lastLine(otherErrors.join('\n')),
    );
  }
  return parseImageDetails(result.stdout);
}

/** Parses the lines `inspectImages` asks docker for. */
export function parseImageDetails(output: string): ImageDetails[] {
  return jsonLines<{
    id: string;
    tags: string[] | null;
    sizeBytes: number;
    created: string;
    labels?: Record<string, string> | null;
  }>(output).map((row) => ({
    id: row.id,
    tags: row.tags ?? [],
    sizeBytes: row.sizeBytes,
    created: row.created,
    version: row.labels?.[imageVersionLabel] ?? null,
  }));
}

/** `docker image ls`: the full id of every image (intermediate layers left out), one a line. */
export const listImageIdsArgs: readonly Arg[] = ['image', 'ls', '--no-trunc', '--format', '{{.ID}}'];

/** Every image of the engine, with its details, in docker's order (newest first). Runs even in a dry run. */
export async function listEngineImages(context: CommandContext): Promise<ImageDetails[]> {
  const result = await runDocker({ ...context, dryRun: false }, listImageIdsArgs);
  // An image with several names is listed once per name.
  const ids = [...new Set(result.stdout.split('\n').filter((line) => line.trim() !== ''))];
  // The listing above is the command a user would type; the inspect of every id it found is bookkeeping.
  const details = await inspectImages(context, ids, { quiet: true });
  return ids.flatMap((id) => details.filter((detail) => detail.id === id));
}
