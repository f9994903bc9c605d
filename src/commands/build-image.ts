import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { removeImages, buildImage, type RemovedImages } from '../docker/images.js';
import { runProgram, type CommandContext } from '../docker/exec.js';
import { CommandFailedError, UserError } from '../errors.js';
import { imagesToClean, planBuild, type BuildRequest, type BuildStep } from '../project/build-plan.js';
import { loadProject } from '../project/project.js';
import { readSourceVersion, versionLabels, type SourceVersion } from '../project/source-version.js';
import {
  readVersioneerConfig,
  readVersioneerVersions,
  versioneerBuildFile,
  versioneerFileText,
} from '../project/versioneer.js';
import { engineContext, type CommandSession } from './session.js';

/** build-image's request: what to build, and when (for the images' `created` label). */
export interface BuildImagesRequest extends BuildRequest {
  readonly now?: Date;
}

/** A version file build-image wrote (or, in a dry run, would write) into the build context. */
export interface WrittenVersionFile {
  /** Relative to the project root. */
  readonly path: string;
  readonly version: string;
}

/** What build-image did. */
export type BuildImagesResult =
  | {
      readonly built: readonly BuildStep[];
      /** The version the images are labelled with; undefined outside a git checkout. */
      readonly version?: string;
      readonly versionFiles: readonly WrittenVersionFile[];
      /** Things worth saying that did not stop the build (git missing or failing). */
      readonly warnings: readonly string[];
    }
  | { readonly cleaned: RemovedImages };

/**
 * build-image: builds one image (base first with -f), every image (`all`), or removes every image
 * of the project (`clean`). Builds run from the project root, which is the build context. Each image
 * is labelled with the source's version; version files the conventions ask for are written first.
 */
export async function buildImages(session: CommandSession, request: BuildImagesRequest): Promise<BuildImagesResult> {
  const project = loadProject(session.cwd, session.env);
  const atRoot: CommandContext = { ...engineContext(session), cwd: project.root };
  if (request.target === 'clean') return { cleaned: await removeImages(atRoot, imagesToClean(project, request)) };

  const planned = planBuild(project, request);
  const reading = await readSourceVersion(project.root, session.env);
  const labels = versionLabels(reading.version, request.now ?? new Date());
  const steps = planned.map((step) => ({ ...step, labels }));
  const versionFiles: WrittenVersionFile[] = [];
  const warnings = reading.warning ? [reading.warning] : [];

  const versioneer = readVersioneerConfig(project.root);
  if (versioneer) {
    if (versioneer.style !== 'pep440')
      warnings.push(
        `setup.cfg [versioneer] style = ${versioneer.style}: ${versioneerBuildFile} is written in pep440 style`,
      );
    const versions = await readVersioneerVersions(project.root, session.env, reading.version, versioneer);
    writeInContext(project.root, versioneerBuildFile, versioneerFileText(versions), session.dryRun);
    versionFiles.push({ path: versioneerBuildFile, version: versions.version });
  }
  for (const step of steps) {
    if (step.versionFile) {
      const written = writeVersionFile(project.root, step, reading.version, session.dryRun);
      if (typeof written === 'string') warnings.push(written);
      else versionFiles.push(written);
    }
    if (step.preBuildScript) await runBuildScript(atRoot, step.preBuildScript, 'pre_build_script');
    await buildImage(atRoot, step);
    if (step.postBuildScript) await runBuildScript(atRoot, step.postBuildScript, 'post_build_script');
  }
  return { built: steps, version: reading.version?.version, versionFiles, warnings };
}

// Outside git there is no version to write: the file is left as it is, with a warning, rather than
// holding a made-up version or stopping a build from a source archive.
function writeVersionFile(
  root: string,
  step: BuildStep,
  version: SourceVersion | undefined,
  dryRun: boolean,
): WrittenVersionFile | string {
  const path = step.versionFile!.trim();
  if (version === undefined)
    return `[${step.image}] version_file = ${path}: not written, the project is not in a git checkout with a commit`;
  writeInContext(root, path, `${version.version}\n`, dryRun);
  return { path, version: version.version };
}

function writeInContext(root: string, path: string, text: string, dryRun: boolean): void {
  if (dryRun) return;
  const file = join(root, path);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (error) {
    throw new UserError(`cannot write ${path} in ${root}: ${(error as Error).message}`, { exitCode: 1 });
  }
}

// Build scripts are shell commands by definition, so they (and only they) go through `sh -c`.
async function runBuildScript(context: CommandContext, script: string, key: string): Promise<void> {
  try {
    await runProgram(context, 'sh', ['-c', script], { stdio: 'stderr' });
  } catch (error) {
    if (error instanceof CommandFailedError)
      throw new CommandFailedError(error.commandLine, error.exitCode, `${key} failed with exit code ${error.exitCode}`);
    throw error;
  }
}
