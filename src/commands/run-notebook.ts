import { runContainerVerb } from '../docker/container-lifecycle.js';
import { followContainerOutput, runDetachedContainer, waitForContainer } from '../docker/containers.js';
import type { CommandContext } from '../docker/exec.js';
import { inspectImageIdAndSize } from '../docker/images.js';
import { pullImage } from '../docker/registry.js';
import { cancelPortForward, firstFreeLocalPort, forwardPort } from '../docker/port-forward.js';
import { sshDestinationOf } from '../docks/engine-target.js';
import type { SshDestination } from '../docker/ssh-destination.js';
import { UserError } from '../errors.js';
import { notebookRunSettings, notebookUrl } from '../project/notebook.js';
import { imageDesignation, loadProject, requireImage, runnableImages, type Project } from '../project/project.js';
import { resolveRunSettings, type RunSettings } from '../project/run-settings.js';
import { buildImages } from './build-image.js';
import { engineContext, engineName, type CommandSession } from './session.js';

/** What run-notebook needs. */
export interface RunNotebookRequest {
  /** The image (a docker/ sub-folder or a cfg section); default `notebook`. */
  readonly image?: string;
  /** The first host port to try; the notebook gets the first free one from here. */
  readonly firstPort: number;
  readonly now: Date;
  /** Aborts on Ctrl-C: the container is stopped and the forward cancelled. */
  readonly signal: AbortSignal;
  /** Receives the URL to open, token included, as soon as the server prints it. */
  readonly onUrl: (url: string) => void;
  /** Receives each line the container (and a pull) writes. */
  readonly onOutputLine: (line: string) => void;
  /** Receives what is worth saying and changes nothing (a failed pull of a present image). */
  readonly onNotice: (text: string) => void;
}

/** How a notebook session went. */
export interface RunNotebookResult {
  readonly containerName: string;
  /** The port the URL opens on this machine. */
  readonly localPort: number;
  /** The URL, once the server printed it. */
  readonly url?: string;
  /** True when it was stopped (Ctrl-C); otherwise the server ended by itself, with this exit code if known. */
  readonly stopped: boolean;
  readonly exitCode?: number;
}

// Environment variables the Python dockerutils' notebook images read; passed by name when set.
const passedVariables = ['RESERO_JUPYTER_DIFFS'];
// A port taken between our check and docker's bind moves on to the next one, this many times.
const portAttempts = 20;
// After the container's output ends, how long a Ctrl-C that ended it too has to be noticed.
const interruptGraceMs = 500;

/**
 * run-notebook [IMAGE]: builds (docker/notebook) or pulls (an image a section names) the notebook
 * image, runs it detached with the current folder as its work folder on the first free host port,
 * reports the server's URL as soon as it prints it, and follows its output until it ends or Ctrl-C
 * stops it. On a dock the port is forwarded to this machine over the dock's shared SSH connection.
 */
export async function runNotebook(session: CommandSession, request: RunNotebookRequest): Promise<RunNotebookResult> {
  const context = engineContext(session);
  const project = loadProject(session.cwd, session.env);
  const image = notebookImage(project, request.image);
  const overSsh = context.target.endpoint.startsWith('ssh://');
  const destination = overSsh ? sshDestinationOf(context.target) : undefined;
  if (context.target.remote)
    request.onNotice(
      `${session.cwd} is on this machine, not on ${engineName(session)}: it is not mounted (volumes_docked in [${image}] mounts folders of the dock)`,
    );

  await prepareImage(session, context, project, image, request);
  const settings = resolveRunSettings(project, {
    image,
    docked: context.target.remote,
    keep: true,
    stdinIsTerminal: false,
    now: request.now,
  });
  const withPort = (hostPort: number): RunSettings =>
    notebookRunSettings(settings, {
      hostPort,
      workFolder: context.target.remote ? undefined : session.cwd,
      passedVariables: passedVariables.filter((name) => session.env[name] !== undefined),
    });

  const localPort = (): Promise<number> => firstLocalPort(request.firstPort);
  if (session.dryRun) {
    const hostPort = context.target.remote ? request.firstPort : await localPort();
    await runDetachedContainer(context, withPort(hostPort));
    const forwardedPort = overSsh ? await localPort() : hostPort;
    if (destination) await forwardPort(context, destination, forwardedPort, hostPort);
    return { containerName: settings.containerName, localPort: forwardedPort, stopped: false };
  }
  if (request.signal.aborted) throw new UserError('interrupted before the notebook started', { exitCode: 130 });

  // Ports of another machine cannot be probed from here: docker's refusal moves to the next one.
  const hostPort = await runOnFreePort(context, withPort, !context.target.remote, request);
  const name = settings.containerName;
  const exited = waitForContainer(context, name).catch(() => undefined);
  let forwarded: { destination: SshDestination; localPort: number } | undefined;
  try {
    const opensOn = destination ? await localPort() : hostPort;
    if (destination) {
      const failure = await forwardPort(context, destination, opensOn, hostPort);
      if (failure !== undefined)
        throw new UserError(
          `cannot forward port ${opensOn} to ${engineName(session)}:${hostPort} over its shared ssh connection (${failure}); DOCKERUTILS_SSH_REUSE=0 turns sharing off`,
          { exitCode: 1 },
        );
      forwarded = { destination, localPort: opensOn };
    }
    const host = destination || !context.target.remote ? '127.0.0.1' : remoteHost(context, session.env);
    let url: string | undefined;
    await followContainerOutput(
      context,
      name,
      (line) => {
        request.onOutputLine(line);
        if (url !== undefined) return;
        url = notebookUrl(line, host, opensOn);
        if (url !== undefined) request.onUrl(url);
      },
      request.signal,
    );
    const ended = await Promise.race([exited, aborted(request.signal).then(() => 'stop' as const)]);
    // docker wait dies with the terminal's Ctrl-C as we are told of it: give the signal a moment.
    const stop =
      ended === 'stop' ||
      (ended === undefined &&
        (await Promise.race([aborted(request.signal).then(() => true), delay(interruptGraceMs).then(() => false)])));
    if (stop) {
      await runContainerVerb(context, 'stop', [name]);
      return { containerName: name, localPort: opensOn, url, stopped: true };
    }
    if (url === undefined) {
      throw new UserError(
        `the notebook container ${name} ended${ended === undefined ? '' : ` with exit code ${ended}`} before it printed a URL for port 8888 (its output is above)`,
        { exitCode: 1 },
      );
    }
    return { containerName: name, localPort: opensOn, url, stopped: false, exitCode: ended };
  } catch (error) {
    // Whatever went wrong after the start, the container is not left running.
    await runContainerVerb(context, 'stop', [name]).catch(() => undefined);
    throw error;
  } finally {
    if (forwarded) await cancelPortForward(context, forwarded.destination, forwarded.localPort, hostPort);
  }
}

/** The image run-notebook runs: the one asked for, else docker/notebook or a [notebook] section. */
function notebookImage(project: Project, asked: string | undefined): string {
  if (asked !== undefined) {
    if (!project.cfg.sections.has(asked)) requireImage(project, asked, runnableImages(project));
    return asked;
  }
  if (project.buildableImages.includes('notebook') || project.cfg.sections.has('notebook')) return 'notebook';
  throw new UserError(
    `no notebook image in ${project.root}: add docker/notebook/Dockerfile, or a [notebook] section naming one (name = jupyter/base-notebook, prefix = False), or name an image: run-notebook IMAGE`,
  );
}

// The project's own notebook image is built (as the Python dockerutils does); any other is pulled
// first unless DOCKER_DS_DONT_PULL is set, and a failed pull of an image the engine has is no error.
async function prepareImage(
  session: CommandSession,
  context: CommandContext,
  project: Project,
  image: string,
  request: RunNotebookRequest,
): Promise<void> {
  if (project.buildableImages.includes(image)) {
    const built = await buildImages(session, { target: image, now: request.now });
    if ('warnings' in built) built.warnings.forEach(request.onNotice);
    return;
  }
  const reference = imageDesignation(project, image).reference;
  if (session.env.DOCKER_DS_DONT_PULL !== undefined) return;
  const failure = await pullImage(context, reference, request.onOutputLine);
  if (failure === undefined) return;
  if ((await inspectImageIdAndSize(context, reference)) === undefined) {
    throw new UserError(
      `cannot pull ${reference} (${failure}), and ${engineName(session)} does not have it: check the image's name in [${image}], or load it first`,
      { exitCode: 1 },
    );
  }
  request.onNotice(
    `warning: docker pull ${reference} failed (${failure}): running the image already on ${engineName(session)}`,
  );
}

// Tries host ports from the first free one; a port taken meanwhile (by anything on the engine's
// machine, which a dock's we cannot probe) moves to the next.
async function runOnFreePort(
  context: CommandContext,
  withPort: (hostPort: number) => RunSettings,
  probeLocally: boolean,
  request: RunNotebookRequest,
): Promise<number> {
  let candidate = request.firstPort;
  for (let attempt = 0; attempt < portAttempts; attempt++) {
    const hostPort = probeLocally ? await firstLocalPort(candidate) : candidate;
    const run = await runDetachedContainer(context, withPort(hostPort));
    if ('id' in run) return hostPort;
    request.onNotice(`port ${hostPort} is taken (${run.portTaken}): trying ${hostPort + 1}`);
    candidate = hostPort + 1;
  }
  throw new UserError(
    `no free port among ${portAttempts} tried from ${request.firstPort}: run-notebook --port PORT starts elsewhere`,
    {
      exitCode: 1,
    },
  );
}

async function firstLocalPort(first: number): Promise<number> {
  const port = await firstFreeLocalPort(first);
  if (port === undefined)
    throw new UserError(`no free port on this machine from ${first}: try --port PORT`, { exitCode: 1 });
  return port;
}

// An engine reached over tcp:// (or DOCKER_IP): its ports are on that machine.
function remoteHost(context: CommandContext, env: NodeJS.ProcessEnv): string {
  if (env.DOCKER_IP) return env.DOCKER_IP;
  try {
    return new URL(context.target.endpoint).hostname || '127.0.0.1';
  } catch {
    return '127.0.0.1';
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
