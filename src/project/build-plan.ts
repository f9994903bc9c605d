import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { cfgBoolean, getCfgValue } from './cfg-file.js';
import { imageDesignation, projectVariables, requireImage, type Project } from './project.js';
import { expandWords, type Word } from './words.js';

/** What the user asked of build-image. */
export interface BuildRequest {
  /** An image name, `all` or `clean`. */
  readonly target: string;
  /** `-f`: build docker/base first. */
  readonly forceBuildBase?: boolean;
  /** `-p`: `--pull` for every build. */
  readonly pullBase?: boolean;
  /** `-i`: replaces the image name. */
  readonly imageName?: string;
  /** `-t`: replaces the tag. */
  readonly imageTag?: string;
}

/** One image to build, in order. */
export interface BuildStep {
  readonly image: string;
  readonly reference: string;
  /** Relative to the project root, which is the build context. */
  readonly dockerfile: string;
  /** Set when the Dockerfile has a stage `AS builder`: it is built and tagged first. */
  readonly builderReference?: string;
  readonly pull: boolean;
  readonly buildArgs: readonly Word[];
  /** Shell commands run with `sh -c` from the project root, before and after the build. */
  readonly preBuildScript?: string;
  readonly postBuildScript?: string;
  /** `version_file`: where, relative to the project root, the source's version is written before the build. */
  readonly versionFile?: string;
  /** `--label` options of the image (and its builder): the source's version, when build-image knows it. */
  readonly labels: Readonly<Record<string, string>>;
}

/** The stage name the conventions tag separately so that pruning keeps its layers. */
const builderStage = /^\s*FROM\s+(--\S+\s+)*\S+\s+AS\s+builder\s*$/im;

/** True when a Dockerfile's text has a stage named `builder` (any case). */
export function hasBuilderStage(dockerfileText: string): boolean {
  return builderStage.test(dockerfileText);
}

/** The images build-image builds for a request, base first when asked. */
export function planBuild(project: Project, request: BuildRequest): BuildStep[] {
  const base = project.buildableImages.includes('base') ? 'base' : undefined;
  let images: string[];
  if (request.target === 'all') {
    images = base ? [base, ...project.buildableImages.filter((image) => image !== base)] : [...project.buildableImages];
  } else {
    requireBuildableImage(project, request.target, 'build', ['all', 'clean']);
    images = request.forceBuildBase && base && request.target !== base ? [base, request.target] : [request.target];
  }
  return images.map((image) => buildStep(project, image, request));
}

/** Every image and builder image build-image would make, for `clean`. */
export function imagesToClean(project: Project, request: BuildRequest): string[] {
  return planBuild(project, { ...request, target: 'all' }).flatMap(stepReferences);
}

/** The references of some buildable images and of their builder stages, for rm-images, without duplicates. */
export function imagesToRemove(project: Project, images: readonly string[]): string[] {
  for (const image of images) requireBuildableImage(project, image, 'remove', []);
  const references = images.flatMap((image) => stepReferences(buildStep(project, image, { target: image })));
  return [...new Set(references)];
}

/** What build-image tags a step as: the image, and its builder stage when the Dockerfile has one. */
export function stepReferences(step: BuildStep): string[] {
  return step.builderReference ? [step.reference, step.builderReference] : [step.reference];
}

// A synthetic image has no image of its own: the message names the one it runs.
function requireBuildableImage(
  project: Project,
  image: string,
  verb: 'build' | 'remove',
  extraChoices: readonly string[],
): void {
  if (project.syntheticImages.includes(image)) {
    const runs = getCfgValue(project.cfg, image, 'name')?.value;
    throw new UserError(`"${image}" is a synthetic image (run-only)${runs ? `: ${verb} "${runs}" instead` : ''}`);
  }
  requireImage(project, image, [...project.buildableImages, ...extraChoices]);
}

function buildStep(project: Project, image: string, request: BuildRequest): BuildStep {
  const { name, tag } = imageDesignation(project, image, { name: request.imageName, tag: request.imageTag });
  const dockerfile = join('docker', image, 'Dockerfile');
  const dockerfileText = readFileSync(join(project.root, dockerfile), 'utf8');
  const buildArgs = getCfgValue(project.cfg, image, 'build_args');
  const pullOnForceValue = getCfgValue(project.cfg, image, 'pull_FROM_on_force');
  const pullOnForce = pullOnForceValue !== undefined && cfgBoolean(pullOnForceValue);
  return {
    image,
    reference: `${name}:${tag}`,
    dockerfile,
    builderReference: hasBuilderStage(dockerfileText) ? `${name}-builder:${tag}` : undefined,
    pull: Boolean(request.pullBase) || (Boolean(request.forceBuildBase) && pullOnForce),
    buildArgs: buildArgs ? expandWords(buildArgs, projectVariables(project)) : [],
    preBuildScript: getCfgValue(project.cfg, image, 'pre_build_script')?.value,
    postBuildScript: getCfgValue(project.cfg, image, 'post_build_script')?.value,
    versionFile: getCfgValue(project.cfg, image, 'version_file')?.value,
    labels: {},
  };
}
