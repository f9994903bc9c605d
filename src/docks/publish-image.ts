import { UserError } from '../errors.js';
import type { CommandContext } from '../docker/exec.js';
import { awsAccount, awsRegion, loginToEcr, pushImage, tagImage } from '../docker/registry.js';
import { getCfgValue } from '../project/cfg-file.js';
import {
  imageDesignation,
  loadProject,
  projectVariables,
  requireImage,
  runnableImages,
  type Project,
} from '../project/project.js';
import { expandWord, wordText, type Word } from '../project/words.js';

/** The AWS values a publication needs, looked up only when the cfg uses them. */
export interface AwsValues {
  readonly account: string;
  readonly region: string;
}

/** Whether the image's section needs the AWS CLI: `image_repo = aws`, or `{account}`/`{region}` in the tag. */
export function needsAws(project: Project, image: string): boolean {
  const template = getCfgValue(project.cfg, image, 'publication_tag')?.value ?? '';
  return getCfgValue(project.cfg, image, 'image_repo')?.value.trim() === 'aws' || /\{(account|region)\}/.test(template);
}

/** The reference an image is published as: its `publication_tag` with {account} {region} {image} {tag} {user} and $VARS. */
export function publicationReference(project: Project, image: string, aws: AwsValues | undefined): Word {
  const template = getCfgValue(project.cfg, image, 'publication_tag');
  if (template === undefined) {
    throw new UserError(
      `[${image}] has no publication_tag in ${project.cfg.path}: add one, e.g. publication_tag = registry.example.com/{image}:{tag}`,
    );
  }
  const designation = imageDesignation(project, image);
  const variables = projectVariables(project);
  return expandWord(template, {
    named: { ...variables.named, image: designation.name, tag: designation.tag, user: project.user, ...(aws ?? {}) },
    env: variables.env,
  });
}

/** publish-image IMAGE: tags the project image with its publication_tag and pushes it; returns the published reference. */
export async function publishImage(context: CommandContext, image: string): Promise<string> {
  const project = loadProject(context.cwd, context.env);
  requireImage(project, image, runnableImages(project));
  const aws = needsAws(project, image)
    ? { account: await awsAccount(context), region: await awsRegion(context) }
    : undefined;
  const published = publicationReference(project, image, aws);
  const source = imageDesignation(project, image).reference;
  if (getCfgValue(project.cfg, image, 'image_repo')?.value.trim() === 'aws')
    await loginToEcr(context, aws!.account, aws!.region);
  try {
    await tagImage(context, source, published);
  } catch (error) {
    if (error instanceof Error && /No such image/i.test(error.message)) {
      throw new UserError(`image ${source} is not built: build-image ${image} first`, { exitCode: 1 });
    }
    throw error;
  }
  await pushImage(context, published);
  return wordText(published, context.env);
}
