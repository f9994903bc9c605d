import { formatWords } from '../docker/command-line.js';
import { runContainerCommandLine } from '../docker/containers.js';
import { buildImageCommandLines } from '../docker/images.js';
import { UserError } from '../errors.js';
import { planBuild } from '../project/build-plan.js';
import { wordKeys } from '../project/cfg-checks.js';
import { cfgKeys, describeLocation, getCfgValue, isCfgBooleanWord, type CfgValue } from '../project/cfg-file.js';
import { imageDesignation, loadProject, projectVariables, requireImage, runnableImages } from '../project/project.js';
import type { Project } from '../project/project.js';
import { resolveRunSettings, runKeys, runKeyValue } from '../project/run-settings.js';
import { ValueExpander, wordTemplate, type Word } from '../project/words.js';
import { engineContext, type CommandSession } from './session.js';

/** What `dockerutils config` was asked. */
export interface ConfigRequest {
  /** One image; all of the project's when absent. */
  readonly image?: string;
  /** run-image drops `-t` when standard input is not a terminal: the run line shows what it would do here. */
  readonly stdinIsTerminal: boolean;
  /** The time the default container name is made from. */
  readonly now: Date;
}

/** One key of an image's section as the commands read it. */
export interface ImageSetting {
  /** The key, `volumes` also when `volumes_docked` gave the value. */
  readonly key: string;
  /** Where the value came from: `docker/dockerutils.cfg:4 [dev] volumes_docked`. */
  readonly from: string;
  /** Its words, variables substituted, environment references as `$NAME`. */
  readonly words: string[];
  /** The words as one fragment, quoted as a shell would need them. */
  readonly text: string;
}

/** An image's settings and the docker commands build-image and run-image would run for it. */
export interface ImageConfig {
  readonly image: string;
  readonly kind: 'buildable' | 'synthetic';
  readonly reference: string;
  readonly settings: ImageSetting[];
  /** build-image's `docker build` lines (its builder stage first); none for a synthetic image. */
  readonly build: string[];
  /** run-image's `docker run` line. */
  readonly run: string;
}

/** What `dockerutils config` shows. */
export interface ConfigReport {
  /** The engine the commands would target: `local`, a dock's name, or DOCKER_HOST. */
  readonly engine: string;
  /** Whether that engine is remote, so that `<key>_docked` values apply. */
  readonly docked: boolean;
  readonly images: ImageConfig[];
}

/**
 * dockerutils config: each image's settings as the commands will use them (variables substituted,
 * `_docked` values for a remote engine, secrets by name) and the docker lines build-image and
 * run-image would echo, made by the same argv builders. Every problem of every image is reported at once.
 */
export async function showConfig(session: CommandSession, request: ConfigRequest): Promise<ConfigReport> {
  const project = loadProject(session.cwd, session.env);
  const { target } = engineContext(session);
  if (request.image !== undefined) requireImage(project, request.image, runnableImages(project));
  const images = request.image === undefined ? runnableImages(project) : [request.image];
  const problems: string[] = [];
  const configs: ImageConfig[] = [];
  for (const image of images) {
    try {
      const settings = imageSettings(project, image, target.remote);
      const kind = project.buildableImages.includes(image) ? 'buildable' : 'synthetic';
      const run = resolveRunSettings(project, {
        image,
        docked: target.remote,
        stdinIsTerminal: request.stdinIsTerminal,
        now: request.now,
      });
      const build =
        kind === 'buildable'
          ? planBuild(project, { target: image }).flatMap((step) => buildImageCommandLines(target, step))
          : [];
      configs.push({
        image,
        kind,
        reference: imageDesignation(project, image).reference,
        settings,
        build,
        run: runContainerCommandLine(target, run),
      });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      problems.push(...error.message.split('\n'));
    }
  }
  if (problems.length > 0) throw new UserError([...new Set(problems)].sort(byCfgLine).join('\n'));
  return { engine: target.name, docked: target.remote, images: configs };
}

// The keys of the section, `<key>_docked` in place of `<key>` for run-image's keys on a remote engine.
function imageSettings(project: Project, image: string, docked: boolean): ImageSetting[] {
  const expander = new ValueExpander(projectVariables(project));
  const keys = [
    ...new Set(
      cfgKeys(project.cfg, image).map((key) => {
        const base = key.replace(/_docked$/, '');
        return runKeys.includes(base) ? base : key;
      }),
    ),
  ];
  const settings: ImageSetting[] = [];
  for (const key of keys) {
    const value = runKeys.includes(key)
      ? runKeyValue(project, image, key, docked)
      : getCfgValue(project.cfg, image, key);
    if (value === undefined) continue;
    const base = key.replace(/_docked$/, '');
    if (base === 'env') settings.push(envSetting(project, key, value, expander));
    else if (wordKeys.includes(base) || (base === 'init' && !isCfgBooleanWord(value.value)))
      settings.push(setting(key, describeLocation(value), expander.words(value)));
    else if (base === 'network') settings.push(setting(key, describeLocation(value), [expander.word(value)]));
    // Names, yes/no words, shell scripts and publication templates are used as they are written.
    else settings.push({ key, from: describeLocation(value), words: [value.value], text: value.value });
  }
  expander.finish();
  return settings;
}

function setting(key: string, from: string, words: readonly Word[]): ImageSetting {
  return { key, from, words: words.map(wordTemplate), text: formatWords(words) };
}

// `env = dev_env` names a section whose keys become `-e KEY=value`: shown as those assignments.
function envSetting(project: Project, key: string, value: CfgValue, expander: ValueExpander): ImageSetting {
  const section = value.value.trim();
  const from = `${describeLocation(value)} ([${section}])`;
  if (!project.cfg.sections.has(section)) {
    expander.problem(`${describeLocation(value)}: no section [${section}] in the cfg`);
    return setting(key, from, []);
  }
  const assignments = cfgKeys(project.cfg, section).map((name): Word => {
    const entry = getCfgValue(project.cfg, section, name)!;
    return [`${name}=`, ...expander.word(entry)];
  });
  return setting(key, from, assignments);
}

// Problems start `docker/dockerutils.cfg:12 [dev] ...`: in file order, as cfg checks report them.
function byCfgLine(a: string, b: string): number {
  const line = (text: string): number => Number(/^[^\s:]+:(\d+)/.exec(text)?.[1] ?? 0);
  return line(a) - line(b);
}
