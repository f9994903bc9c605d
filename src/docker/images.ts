import { CommandFailedError } from '../errors.js';
import type { BuildStep } from '../project/build-plan.js';
import { formatCommandLine, type Arg } from './command-line.js';
import type { EngineTarget } from './engine-target.js';
import { anyExitCode, dockerCommandLine, lastLine, runDocker, type CommandContext } from './exec.js';

/** `docker build` for one step; `target` builds only that stage (the builder). */
export function buildImageArgs(step: BuildStep, stage?: { target: string; reference: string }): Arg[] {
  return [
    'build',
    ...(step.pull ? ['--pull'] : []),
    '--compress',
    '-t',
    stage?.reference ?? step.reference,
    '-f',
    step.dockerfile,
    ...(stage ? ['--target', stage.target] : []),
    ...Object.entries(step.labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]),
    ...step.buildArgs,
    '.',
  ];
}

/** The `docker build` commands of one step, in order: its builder stage first, when it has one. */
export function buildImageSteps(step: BuildStep): Arg[][] {
  const builder = step.builderReference
    ? [buildImageArgs(step, { target: 'builder', reference: step.builderReference })]
    : [];
  return [...builder, buildImageArgs(step)];
}

/** The lines `buildImage` echoes for a step on a target, without running them (`dockerutils config`). */
export function buildImageCommandLines(target: EngineTarget, step: BuildStep): string[] {
  return buildImageSteps(step).map((args) => dockerCommandLine(target, args));
}

/** Builds one image (its builder stage first, when it has one), docker's output streaming live to stderr. */
export async function buildImage(context: CommandContext, step: BuildStep): Promise<void> {
  for (const args of buildImageSteps(step)) await runDocker(context, args, { stdio: 'stderr' });
}

/** `docker image rm` for several references at once; `force` (`-f`) untags an image even when containers use it. */
export function removeImagesArgs(references: readonly string[], options: { force?: boolean } = {}): Arg[] {
  return ['image', 'rm', ...(options.force ? ['-f'] : []), ...references];
}

/** What `removeImages` did. */
export interface RemovedImages {
  readonly removed: string[];
  readonly absent: string[];
}

/** Removes images in one docker call; images that do not exist are reported, not failed on. */
export async function removeImages(context: CommandContext, references: readonly string[]): Promise<RemovedImages> {
  const result = await runDocker(context, removeImagesArgs(references), { acceptExitCode: anyExitCode });
  const absent = references.filter((reference) => result.stderr.includes(`No such image: ${reference}`));
  const otherErrors = result.stderr
    .split('\n')
    .filter((line) => !/No such image: /.test(line))
    .join('\n');
  const detail = lastLine(otherErrors);
  if (result.exitCode !== 0 && detail !== undefined) {
    throw new CommandFailedError(formatCommandLine('docker', removeImagesArgs(references)), result.exitCode, detail);
  }
  return { removed: context.dryRun ? [] : references.filter((reference) => !absent.includes(reference)), absent };
}

/** An image's id and size on the context's engine, or undefined when it has no such image. */
export async function inspectImageIdAndSize(
  context: CommandContext,
  reference: string,
): Promise<{ id: string; sizeBytes: number } | undefined> {
  const result = await runDocker(
    { ...context, dryRun: false },
    ['image', 'inspect', '--format', '{{.Id}} {{.Size}}', reference],
    {
      quiet: true,
      acceptExitCode: anyExitCode,
    },
  );
  if (result.exitCode !== 0) return undefined;
  const [id = '', size = '0'] = result.stdout.trim().split(' ');
  return { id, sizeBytes: Number(size) };
}

/** What `removeEachImage` did, reference by reference. */
export interface ImageRemoval {
  readonly removed: string[];
  readonly failures: { readonly target: string; readonly reason: string }[];
}

/**
 * Removes images in one docker call. docker goes on past a reference it cannot remove and says why on
 * stderr, so each one comes back removed (`Untagged: REF` on stdout) or failed, with docker's reason.
 */
export async function removeEachImage(
  context: CommandContext,
  references: readonly string[],
  options: { force?: boolean } = {},
): Promise<ImageRemoval> {
  const result = await runDocker(context, removeImagesArgs(references, options), { acceptExitCode: anyExitCode });
  if (context.dryRun) return { removed: [...references], failures: [] };
  return parseImageRemoval(references, result.stdout, result.stderr, result.exitCode);
}

/** Splits `docker image rm` output into the references untagged and those docker refused, with its reason. */
export function parseImageRemoval(
  references: readonly string[],
  stdout: string,
  stderr: string,
  exitCode: number,
): ImageRemoval {
  const untagged = new Set(
    stdout
      .split('\n')
      .map((line) => /^Untagged: (.+)$/.exec(line.trim())?.[1])
      .filter((reference) => reference !== undefined),
  );
  const errorLines = stderr
    .split('\n')
    .map((line) => lastLine(line))
    .filter((line): line is string => line !== undefined);
  const removed = references.filter((reference) => untagged.has(reference));
  const failures = references
    .filter((reference) => !untagged.has(reference))
    .map((reference) => ({
      target: reference,
      reason:
        errorLines.find((line) => line.includes(reference)) ??
        `docker could not remove ${reference} (exit code ${exitCode})`,
    }));
  return { removed, failures };
}
