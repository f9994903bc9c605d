import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { checkCfg } from './cfg-checks.js';
import { cfgBoolean, describeLocation, getCfgValue, parseCfg, type CfgFile } from './cfg-file.js';
import { requireValidReference } from './image-reference.js';
import { closestName } from './closest-name.js';
import { currentUserName } from './user-name.js';
import type { Variables } from './words.js';

/** A project that follows the dockerutils conventions, read once. */
export interface Project {
  /** The directory that holds `docker/`. */
  readonly root: string;
  /** The root folder's name, lower-cased: the prefix of every image name. */
  readonly name: string;
  readonly cfg: CfgFile;
  /** Sub-folders of docker/ that hold a Dockerfile: the images that can be built. */
  readonly buildableImages: readonly string[];
  /** Images declared in `[run_image] synthetic_images`: run-only variants of a buildable image. */
  readonly syntheticImages: readonly string[];
  readonly user: string;
  readonly env: NodeJS.ProcessEnv;
}

export const cfgRelativePath = join('docker', 'dockerutils.cfg');

/** The nearest directory, from `startDir` upward, that has a `docker/` folder. */
export function findProjectRoot(startDir: string): string {
  let directory = resolve(startDir);
  for (;;) {
    if (isDirectory(join(directory, 'docker'))) return directory;
    const parent = dirname(directory);
    if (parent === directory) {
      throw new UserError(
        `no docker/ folder in ${resolve(startDir)} or any of its parents: create docker/<image>/Dockerfile at the project root`,
      );
    }
    directory = parent;
  }
}

/** Finds the project around `cwd` and reads its docker/ folder and cfg. */
export function loadProject(cwd: string, env: NodeJS.ProcessEnv): Project {
  const root = findProjectRoot(cwd);
  const cfgPath = join(root, cfgRelativePath);
  const displayPath = relative(cwd, cfgPath) || cfgPath;
  const { cfg, problems } = parseCfg(readCfgText(cfgPath, displayPath), displayPath);
  const user = currentUserName(env);
  const dockerDir = join(root, 'docker');
  const buildableImages = readdirSync(dockerDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dockerDir, entry.name, 'Dockerfile')))
    .map((entry) => entry.name)
    .sort();
  const syntheticImages = syntheticImageNames(cfg, buildableImages);
  checkCfg(cfg, problems, namedVariables(root, user), [...buildableImages, ...syntheticImages]);
  return {
    root,
    name: basename(root).toLowerCase(),
    cfg,
    buildableImages,
    syntheticImages,
    user,
    env,
  };
}

// The checks of the cfg name the images a section may refer to, so these are read first; a
// synthetic_images that cannot be read is one of the problems the checks then report.
function syntheticImageNames(cfg: CfgFile, buildableImages: readonly string[]): string[] {
  let synthetic = '';
  try {
    synthetic = getCfgValue(cfg, 'run_image', 'synthetic_images')?.value ?? '';
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
  }
  return synthetic
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && !buildableImages.includes(name));
}

// A missing cfg is an empty one: a project may have images and nothing to configure.
function readCfgText(path: string, displayPath: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return '';
    if (code === 'EISDIR')
      throw new UserError(`${displayPath} is a folder: the cfg must be a file (docker/dockerutils.cfg)`);
    throw new UserError(`cannot read ${displayPath}: ${(error as Error).message}`);
  }
}

/** Every image name `run-image` accepts. */
export function runnableImages(project: Project): string[] {
  return [...project.buildableImages, ...project.syntheticImages];
}

/** Checks that `image` is one of `choices`, or fails naming them and the likely intended one. */
export function requireImage(project: Project, image: string, choices: readonly string[]): void {
  if (choices.includes(image)) return;
  const suggestion = closestName(image, choices);
  const known = choices.length > 0 ? choices.join(', ') : `none: add docker/${image}/Dockerfile`;
  throw new UserError(
    `unknown image "${image}" in ${project.root}` +
      (suggestion ? ` (did you mean "${suggestion}"?)` : '') +
      `; images: ${known}`,
  );
}

/** The `{name}` variables every cfg value may use. */
export function projectVariables(project: Project): Variables {
  return { named: namedVariables(project.root, project.user), env: project.env };
}

function namedVariables(root: string, user: string): Record<string, string> {
  return { project_root: root, user, project: basename(root).toLowerCase(), home: homedir() };
}

/** A docker image reference split into the parts the conventions name. */
export interface ImageDesignation {
  readonly name: string;
  readonly tag: string;
  /** `name:tag` */
  readonly reference: string;
}

/**
 * `<project>-<image>:<user>` by default; a section's `name=` replaces the image part (used as-is
 * with `prefix=False`), its `tag=` replaces the user name. Same rules as the Python dockerutils.
 * `override` is build-image's `-i`/`-t`. A name or tag docker would refuse is a usage error.
 */
export function imageDesignation(
  project: Project,
  image: string,
  override: { name?: string; tag?: string } = {},
): ImageDesignation {
  const cfgName = getCfgValue(project.cfg, image, 'name');
  const prefix = getCfgValue(project.cfg, image, 'prefix');
  const prefixed = prefix === undefined || cfgBoolean(prefix);
  const base = cfgName?.value ?? image;
  const name = override.name ?? (prefixed ? `${project.name}-${base}` : base);
  const cfgTag = getCfgValue(project.cfg, image, 'tag');
  const tag = override.tag ?? cfgTag?.value ?? project.user;
  requireValidReference(name, tag, {
    name:
      override.name !== undefined
        ? 'from -i'
        : cfgName !== undefined
          ? `from ${describeLocation(cfgName)}`
          : `the project folder's name "${project.name}" and the image "${image}"; name= in [${image}] chooses another`,
    tag:
      override.tag !== undefined
        ? 'from -t'
        : cfgTag !== undefined
          ? `from ${describeLocation(cfgTag)}`
          : `your login name; tag= in [${image}] chooses another`,
  });
  return { name, tag, reference: `${name}:${tag}` };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The folder logs-all and stats-all write to when not told: `.dockerutils/logs` under the project root (or here, outside one). */
export function defaultMonitorDir(cwd: string): string {
  let root = cwd;
  try {
    root = findProjectRoot(cwd);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
  }
  return join(root, '.dockerutils', 'logs');
}
