import { CommandFailedError } from '../errors.js';
import type { BuildStep } from '../project/build-plan.js';
import { formatCommandLine, type Arg } from './command-line.js';
import { anyExitCode, lastLine, runDocker, type CommandContext } from './exec.js';

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

/** Builds one image (its builder stage first, when it has one), docker's output streaming live to stderr. */
export async function buildImage(context: CommandContext, step: BuildStep): Promise<void> {
  if (step.builderReference) {
    await runDocker(context, buildImageArgs(step, { target: 'builder', reference: step.builderReference }), {
      stdio: 'stderr',
    });
  }
  await runDocker(context, buildImageArgs(step), { stdio: 'stderr' });
}

/** `docker image rm` for several references at once. */
export function removeImagesArgs(references: readonly string[]): Arg[] {
  return ['image', 'rm', ...references];
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
