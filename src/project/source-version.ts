import { findGitCheckout, headCommit, remoteUrl, type GitCheckout } from './git-checkout.js';

/** The version of the source an image is built from, as git describes it. */
export interface SourceVersion {
  readonly checkout: GitCheckout;
  /** `git describe --tags --always --dirty --long`: `TAG-N-gHEX[-dirty]`, or `HEX[-dirty]` without tags. */
  readonly longDescription: string;
  /** What `git describe --tags --always --dirty` prints: `v1.2`, `v1.2-3-g1a2b3c4-dirty`, `1a2b3c4`. */
  readonly version: string;
  /** The full commit id, when the files name it. */
  readonly revision?: string;
  /** The remote's URL without credentials, when there is a remote. */
  readonly source?: string;
}

/** What reading the version found: the version, or nothing (outside git), and anything worth a warning. */
export interface SourceVersionReading {
  readonly version?: SourceVersion;
  readonly warning?: string;
}

/** How long one git call may take before the build goes on without a version. */
const gitTimeoutMs = 15_000;

/**
 * Reads the version of the checkout holding `root` with one git call (`git describe`); the commit and
 * the remote come from git's files. Outside a checkout: no call, no version, no warning.
 */
export async function readSourceVersion(root: string, env: NodeJS.ProcessEnv): Promise<SourceVersionReading> {
  const checkout = findGitCheckout(root);
  if (checkout === undefined) return {};
  const described = await runGit(root, env, ['describe', '--tags', '--always', '--dirty', '--long']);
  if ('failure' in described) return described.failure === 'no commit yet' ? {} : { warning: described.failure };
  const longDescription = described.output.trim();
  let revision = headCommit(checkout);
  // Refs git keeps elsewhere than in files (reftable): the one case that takes a second call.
  if (revision === undefined) {
    const parsed = await runGit(root, env, ['rev-parse', 'HEAD']);
    revision = 'output' in parsed ? parsed.output.trim() : undefined;
  }
  const source = remoteUrl(checkout);
  return {
    version: {
      checkout,
      longDescription,
      version: shortDescription(longDescription),
      ...(revision ? { revision } : {}),
      ...(source ? { source } : {}),
    },
  };
}

/** `git describe`'s usual form from its `--long` form: a tag's own commit is the tag alone (`v1.2-0-g1a2b3c4` is `v1.2`). */
export function shortDescription(longDescription: string): string {
  return longDescription.replace(/-0-g[0-9a-f]+(-dirty)?$/, '$1');
}

/** The OCI annotation keys build-image labels every image with. */
export const ociLabels = {
  version: 'org.opencontainers.image.version',
  revision: 'org.opencontainers.image.revision',
  created: 'org.opencontainers.image.created',
  source: 'org.opencontainers.image.source',
} as const;

/** The OCI labels of an image built now from this source; none without a version. */
export function versionLabels(version: SourceVersion | undefined, created: Date): Record<string, string> {
  if (version === undefined) return {};
  return {
    [ociLabels.version]: version.version,
    ...(version.revision ? { [ociLabels.revision]: version.revision } : {}),
    // RFC 3339 as the OCI annotations ask, to the second.
    [ociLabels.created]: created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...(version.source ? { [ociLabels.source]: version.source } : {}),
  };
}

/** Runs one git command in `cwd`: its output, or why there is none. */
export async function runGit(
  cwd: string,
  env: NodeJS.ProcessEnv,
  args: readonly string[],
): Promise<{ output: string } | { failure: string }> {
  // node's own execFile rather than execa: a dry run of build-image runs this one process and
  // nothing else, and loading execa would cost more than the git call.
  const { execFile } = process.getBuiltinModule('node:child_process');
  const result = await new Promise<{
    error: (Error & { code?: unknown; killed?: boolean }) | null;
    stdout: string;
    stderr: string;
  }>((resolve) =>
    execFile(
      'git',
      [...args],
      {
        cwd,
        // describe --dirty refreshes the index; without optional locks it never takes index.lock from a concurrent git.
        env: { ...env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
        timeout: gitTimeoutMs,
        killSignal: 'SIGKILL',
        encoding: 'utf8',
      },
      (error, stdout, stderr) => resolve({ error, stdout, stderr }),
    ).stdin?.end(),
  );
  if (result.error === null) return { output: result.stdout };
  if (result.error.code === 'ENOENT') {
    return { failure: 'git is not installed: images are built without version labels' };
  }
  if (result.error.killed) return { failure: `git ${args[0]} took over ${gitTimeoutMs / 1000} s: no version labels` };
  // A repository without commits has nothing to describe: like no repository at all.
  if (/bad revision|not a valid object name|does not have any commits|ambiguous argument 'HEAD'/i.test(result.stderr)) {
    return { failure: 'no commit yet' };
  }
  const detail = result.stderr.trim().split('\n').at(-1) || `exit code ${String(result.error.code)}`;
  return { failure: `git ${args[0]} failed (${detail}): no version labels` };
}
