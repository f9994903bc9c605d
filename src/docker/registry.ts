import type { Arg } from './command-line.js';
import { formatCommandLine } from './command-line.js';
import { anyExitCode, lastLine, runDocker, runProgram, type CommandContext } from './exec.js';

/** `docker tag SOURCE TARGET`. */
export function tagImageArgs(source: string, target: Arg): Arg[] {
  return ['tag', source, target];
}

/** Gives an image another name. */
export async function tagImage(context: CommandContext, source: string, target: Arg): Promise<void> {
  await runDocker(context, tagImageArgs(source, target));
}

/** `docker push REFERENCE`. */
export function pushImageArgs(reference: Arg): Arg[] {
  return ['push', reference];
}

/** Pushes an image, docker's progress streaming live to stderr (stdout is for the published reference). */
export async function pushImage(context: CommandContext, reference: Arg): Promise<void> {
  await runDocker(context, pushImageArgs(reference), { stdio: 'stderr' });
}

/** `docker pull REFERENCE`. */
export function pullImageArgs(reference: string): Arg[] {
  return ['pull', reference];
}

/**
 * Pulls an image, handing docker's progress lines over as they come; resolves with why the pull
 * failed (docker's own words), or undefined when it succeeded.
 */
export async function pullImage(
  context: CommandContext,
  reference: string,
  onProgressLine: (line: string) => void,
): Promise<string | undefined> {
  const result = await runDocker(context, pullImageArgs(reference), {
    acceptExitCode: anyExitCode,
    onStdoutLine: onProgressLine,
  });
  return result.exitCode === 0 ? undefined : (lastLine(result.stderr) ?? `exit code ${result.exitCode}`);
}

/** The two commands of an ECR login; the password goes from one to the other through us, never in argv. */
export function ecrLoginCommands(
  account: string,
  region: string,
): { passwordArgs: string[]; loginArgs: string[]; registry: string } {
  const registry = `${account}.dkr.ecr.${region}.amazonaws.com`;
  return {
    passwordArgs: ['ecr', 'get-login-password', '--region', region],
    loginArgs: ['login', '--username', 'AWS', '--password-stdin', registry],
    registry,
  };
}

/** `aws ecr get-login-password | docker login --password-stdin`, echoed as that one line. */
export async function loginToEcr(context: CommandContext, account: string, region: string): Promise<void> {
  const { passwordArgs, loginArgs } = ecrLoginCommands(account, region);
  context.echo(`${formatCommandLine('aws', passwordArgs)} | ${formatCommandLine('docker', loginArgs)}`);
  if (context.dryRun) return;
  const password = await runProgram(context, 'aws', passwordArgs, { quiet: true });
  await runDocker(context, loginArgs, { quiet: true, input: password.stdout.trim() });
}

/** The AWS CLI's account id (sts get-caller-identity). */
export async function awsAccount(context: CommandContext): Promise<string> {
  const result = await runProgram({ ...context, dryRun: false }, 'aws', [
    'sts',
    'get-caller-identity',
    '--query',
    'Account',
    '--output',
    'text',
  ]);
  return result.stdout.trim();
}

/** The AWS CLI's region: AWS_REGION, AWS_DEFAULT_REGION, then its configuration. */
export async function awsRegion(context: CommandContext): Promise<string> {
  const fromEnv = context.env.AWS_REGION || context.env.AWS_DEFAULT_REGION;
  if (fromEnv) return fromEnv;
  const result = await runProgram({ ...context, dryRun: false }, 'aws', ['configure', 'get', 'region']);
  return result.stdout.trim();
}

/** `docker image inspect --format '{{json .RepoDigests}}' REFERENCE`. */
export function repoDigestsArgs(reference: string): Arg[] {
  return ['image', 'inspect', '--format', '{{json .RepoDigests}}', reference];
}

/** The repository part of a reference: without its tag or digest. */
export function referenceRepository(reference: string): string {
  const withoutDigest = reference.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
}

/** `repo@sha256:...` of a pushed image, as its registry named it; undefined when it has none there. */
export async function imageRepoDigest(context: CommandContext, reference: string): Promise<string | undefined> {
  const result = await runDocker({ ...context, dryRun: false }, repoDigestsArgs(reference), { quiet: true });
  const digests = JSON.parse(result.stdout.trim() || '[]') as string[] | null;
  const repository = referenceRepository(reference);
  return (digests ?? []).find((digest) => digest.startsWith(`${repository}@`));
}
