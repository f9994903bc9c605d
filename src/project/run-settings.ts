import { split } from 'shlex';
import { UserError } from '../errors.js';
import { cfgBoolean, cfgKeys, describeLocation, getCfgValue, isCfgBooleanWord, type CfgValue } from './cfg-file.js';
import { imageDesignation, projectVariables, type Project } from './project.js';
import { literalWord, ValueExpander, type Word } from './words.js';

/** What the user asked of run-image on the command line. */
export interface RunRequest {
  readonly image: string;
  /** `-a`: extra docker arguments, as one command-line fragment. */
  readonly extraArgs?: string;
  /** `-k`: detached, kept after it stops. */
  readonly keep?: boolean;
  /** `-c`: replaces the cfg's `cmd`. */
  readonly command?: string;
  /** `-n`: replaces the cfg's `network`. */
  readonly network?: string;
  /** `-g` */
  readonly useGpu?: boolean;
  /** `-e K=V`, repeatable; wins over the cfg. */
  readonly env?: readonly string[];
  /** Whether standard input is a terminal: `-t` is only passed when it is. */
  readonly stdinIsTerminal: boolean;
  /** Whether the target engine is remote: the cfg's `<key>_docked` variants then apply. */
  readonly docked: boolean;
  /** The container's name; derived from the user, image and time when absent. */
  readonly containerName?: string;
  readonly now: Date;
}

/** Everything `docker run` needs, resolved from the cfg and the request. */
export interface RunSettings {
  readonly image: string;
  readonly reference: string;
  readonly containerName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly init: readonly Word[];
  /** `-e` options: the cfg's `environment`, its `env` section, AWS credentials, then `-e` flags. */
  readonly environment: readonly Word[];
  readonly detach: boolean;
  readonly removeOnExit: boolean;
  readonly interactive: readonly Word[];
  readonly gpu: readonly Word[];
  readonly network?: Word;
  /** `--network-alias` names on that network (a stack container's image name). */
  readonly networkAliases?: readonly string[];
  readonly volumes: readonly Word[];
  readonly ports: readonly Word[];
  readonly extraArgs: readonly Word[];
  readonly command: readonly Word[];
}

/** The label that ties a container to its project; monitoring and lifecycle commands scope by it. */
export const projectLabel = 'dockerutils.project';
/** The label naming the image (cfg section) a container was run from. */
export const imageLabel = 'dockerutils.image';

const defaultGpu = '--runtime=nvidia -e NVIDIA_VISIBLE_DEVICES=all';

// The Python dockerutils passes these through to every container when they are set.
const awsCredentialVariables = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
];

/** The keys run-image reads; each is replaced by its `<key>_docked` variant when the engine is remote. */
export const runKeys = [
  'keep_container',
  'init',
  'network',
  'environment',
  'env',
  'interactive',
  'gpu',
  'volumes',
  'ports',
  'args',
  'cmd',
];

/** A run key of an image's section as run-image reads it: its `<key>_docked` variant first when docked. */
export function runKeyValue(project: Project, image: string, key: string, docked: boolean): CfgValue | undefined {
  return (
    (docked ? getCfgValue(project.cfg, image, `${key}_docked`) : undefined) ?? getCfgValue(project.cfg, image, key)
  );
}

/** Resolves the run keys of an image's section (and their `_docked` variants) against a request. */
export function resolveRunSettings(project: Project, request: RunRequest): RunSettings {
  const { image } = request;
  const expander = new ValueExpander(projectVariables(project));
  const value = (key: string): CfgValue | undefined => runKeyValue(project, image, key, request.docked);
  const words = (key: string): Word[] => expander.words(value(key));

  const keepValue = value('keep_container');
  const detach = Boolean(request.keep) || (keepValue !== undefined && cfgBoolean(keepValue));
  const initValue = value('init');
  const init =
    initValue === undefined || (isCfgBooleanWord(initValue.value) && cfgBoolean(initValue))
      ? [literalWord('--init')]
      : isCfgBooleanWord(initValue.value)
        ? []
        : expander.words(initValue);
  const network = request.network ?? value('network');
  const environment = [
    ...words('environment'),
    ...envSectionOptions(project, value('env'), expander),
    ...awsCredentialVariables
      .filter((name) => project.env[name] !== undefined)
      .flatMap((name) => [literalWord('-e'), literalWord(name)]),
    ...(request.env ?? []).flatMap((assignment) => [literalWord('-e'), literalWord(assignment)]),
  ];
  const settings: RunSettings = {
    image,
    reference: imageDesignation(project, image).reference,
    containerName: request.containerName ?? defaultContainerName(project.user, image, request.now),
    labels: { [projectLabel]: project.name, [imageLabel]: image },
    init,
    environment,
    detach,
    removeOnExit: !detach,
    interactive: detach ? [] : terminalFlags(words('interactive'), request.stdinIsTerminal),
    gpu: request.useGpu ? (value('gpu') ? words('gpu') : split(defaultGpu).map(literalWord)) : [],
    network:
      network === undefined ? undefined : typeof network === 'string' ? literalWord(network) : expander.word(network),
    volumes: words('volumes'),
    ports: words('ports'),
    extraArgs: [...words('args'), ...commandLineWords(request.extraArgs, '--args')],
    command: request.command !== undefined ? commandLineWords(request.command, '--command') : words('cmd'),
  };
  expander.finish();
  return settings;
}

function commandLineWords(fragment: string | undefined, flag: string): Word[] {
  if (fragment === undefined) return [];
  try {
    return split(fragment).map(literalWord);
  } catch (error) {
    throw new UserError(`${flag}: cannot split into words: ${(error as Error).message}`);
  }
}

/** `<user>_<image>_<yy-mm-dd_HH.MM.SS>`, the Python dockerutils' container name. */
export function defaultContainerName(user: string, image: string, now: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const date = `${two(now.getFullYear() % 100)}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
  const time = `${two(now.getHours())}.${two(now.getMinutes())}.${two(now.getSeconds())}`;
  return `${user}_${image}_${date}_${time}`.replace(/[^a-zA-Z0-9_.-]/g, '_');
}

/**
 * The cfg's `interactive` (default `-it`), without `-t` when standard input is not a terminal:
 * `docker run -t` there fails with "the input device is not a TTY" (CI, npm scripts, pipes).
 */
export function terminalFlags(interactive: readonly Word[], stdinIsTerminal: boolean): Word[] {
  const flags = interactive.length > 0 ? [...interactive] : [literalWord('-it')];
  if (stdinIsTerminal) return flags;
  return flags.flatMap((word): Word[] => {
    const text = word.length === 1 && typeof word[0] === 'string' ? word[0] : undefined;
    if (text === undefined) return [word];
    if (text === '-t' || text === '--tty' || text === '--tty=true') return [];
    if (/^-[a-zA-Z]+$/.test(text) && text.includes('t')) {
      const rest = text.replaceAll('t', '');
      return rest === '-' ? [] : [literalWord(rest)];
    }
    return [word];
  });
}

function envSectionOptions(project: Project, section: CfgValue | undefined, expander: ValueExpander): Word[] {
  if (!section) return [];
  const name = section.value.trim();
  if (!project.cfg.sections.has(name)) {
    expander.problem(`${describeLocation(section)}: no section [${name}] in the cfg`);
    return [];
  }
  return cfgKeys(project.cfg, name).flatMap((key) => {
    const entry = getCfgValue(project.cfg, name, key)!;
    return [literalWord('-e'), [`${key}=`, ...expander.word(entry)]];
  });
}
