import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { getCfgValue, parseCfg, type CfgFile } from './cfg-file.js';
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
  const cfg = parseCfg(existsSync(cfgPath) ? readFileSync(cfgPath, 'utf8') : '', displayPath);
  const dockerDir = join(root, 'docker');
  const buildableImages = readdirSync(dockerDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dockerDir, entry.name, 'Dockerfile')))
    .map((entry) => entry.name)
    .sort();
  const synthetic = getCfgValue(cfg, 'run_image', 'synthetic_images')?.value ?? '';
  const syntheticImages = synthetic
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && !buildableImages.includes(name));
  return {
    root,
    name: basename(root).toLowerCase(),
    cfg,
    buildableImages,
    syntheticImages,
    user: currentUserName(env),
    env,
  };
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
  return {
    named: { project_root: project.root, user: project.user, project: project.name, home: homedir() },
    env: project.env,
  };
}

/** A docker image reference split into the parts the conventions name. */
export interface ImageDesignation {
  readonly name: string;
  readonly tag: string;
  /** `name:tag` */
  readonly reference: string;
}

const falseWords = new Set(['False', 'false', 'F', 'f']);

/**
 * `<project>-<image>:<user>` by default; a section's `name=` replaces the image part (used as-is
 * with `prefix=False`), its `tag=` replaces the user name. Same rules as the Python dockerutils.
 */
export function imageDesignation(project: Project, image: string): ImageDesignation {
  const cfgName = getCfgValue(project.cfg, image, 'name')?.value;
  const prefix = getCfgValue(project.cfg, image, 'prefix')?.value;
  const name =
    cfgName === undefined
      ? `${project.name}-${image}`
      : prefix !== undefined && falseWords.has(prefix)
        ? cfgName
        : `${project.name}-${cfgName}`;
  const tag = getCfgValue(project.cfg, image, 'tag')?.value ?? project.user;
  return { name, tag, reference: `${name}:${tag}` };
}

/** True for the cfg's ways of saying yes (`True`, `true`, `yes`, `1`, ...). */
export function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(true|t|yes|y|on|1)$/i.test(value.trim());
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
