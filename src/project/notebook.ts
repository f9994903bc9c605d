import type { RunSettings } from './run-settings.js';
import { literalWord, type Word } from './words.js';

// run-notebook's additions to an image's run settings, and reading the server's URL from its output.

/** The port Jupyter listens on in its container. */
export const notebookContainerPort = 8888;

/** Where Jupyter's images (jupyter/base-notebook and the rest of docker-stacks) keep the user's work. */
export const notebookWorkFolder = '/home/jovyan/work';

/** What run-notebook adds to the settings of the image's section. */
export interface NotebookAdditions {
  /** The host port the notebook is published on (on the engine's machine). */
  readonly hostPort: number;
  /** The folder mounted as the work folder; none on a dock, where this machine's folders are not. */
  readonly workFolder?: string;
  /** Environment variables passed by name when set (RESERO_JUPYTER_DIFFS). */
  readonly passedVariables: readonly string[];
}

/**
 * The settings of a notebook container: detached and removed when it stops, no terminal, the work
 * folder mounted, the notebook port published on `hostPort` (the section's own mapping of that port,
 * if any, gives way), the section's other volumes, ports and environment kept.
 */
export function notebookRunSettings(settings: RunSettings, additions: NotebookAdditions): RunSettings {
  return {
    ...settings,
    detach: true,
    removeOnExit: true,
    interactive: [],
    environment: [
      ...settings.environment,
      ...additions.passedVariables.flatMap((name) => [literalWord('-e'), literalWord(name)]),
    ],
    volumes: [
      ...settings.volumes,
      ...(additions.workFolder === undefined
        ? []
        : [literalWord('-v'), literalWord(`${additions.workFolder}:${notebookWorkFolder}`)]),
    ],
    ports: [
      ...withoutContainerPort(settings.ports, notebookContainerPort),
      literalWord('-p'),
      literalWord(`${additions.hostPort}:${notebookContainerPort}`),
    ],
  };
}

/** `-p` options without those that publish `containerPort` (literal words only; others are kept as they are). */
export function withoutContainerPort(ports: readonly Word[], containerPort: number): Word[] {
  const text = (word: Word | undefined): string | undefined =>
    word !== undefined && word.every((part) => typeof part === 'string') ? word.join('') : undefined;
  const publishes = (spec: string | undefined): boolean =>
    spec !== undefined && Number(spec.split('/')[0]!.split(':').at(-1)) === containerPort;
  const kept: Word[] = [];
  for (let index = 0; index < ports.length; index++) {
    const flag = text(ports[index]);
    if ((flag === '-p' || flag === '--publish') && publishes(text(ports[index + 1]))) {
      index++;
      continue;
    }
    const joined = flag === undefined ? undefined : /^(?:-p|--publish=)(.+)$/.exec(flag)?.[1];
    if (!publishes(joined)) kept.push(ports[index]!);
  }
  return kept;
}

/**
 * The URL in a line of the server's output, rewritten to open from `host:port`: Jupyter prints
 * `http://<container>:8888/lab?token=...` and `http://127.0.0.1:8888/lab?token=...` (older servers
 * `http://(<container> or 127.0.0.1):8888/?token=...`). Only URLs of the notebook port count.
 */
export function notebookUrl(line: string, host: string, port: number): string | undefined {
  const match = /\b(https?):\/\/(\([^)]*\)|\[[^\]]*\]|[^\s/:?#()]+):(\d+)(\/[^\s]*)?/.exec(line);
  if (!match || Number(match[3]) !== notebookContainerPort) return undefined;
  return `${match[1]}://${host}:${port}${match[4] ?? '/'}`;
}
