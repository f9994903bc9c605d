import { UserError } from '../errors.js';
import { getCfgValue } from './cfg-file.js';
import { imageDesignation, projectVariables, type Project } from './project.js';
import { expandWord, type Word } from './words.js';

/** The AWS values a publication needs, looked up only when the cfg uses them. */
export interface AwsValues {
  readonly account: string;
  readonly region: string;
}

/** Whether the section publishes to ECR: `image_repo = aws`. */
export function publishesToEcr(project: Project, image: string): boolean {
  return getCfgValue(project.cfg, image, 'image_repo')?.value.trim() === 'aws';
}

/** Whether the image's section needs the AWS CLI: ECR, or `{account}`/`{region}` in the tag. */
export function needsAws(project: Project, image: string): boolean {
  const template = getCfgValue(project.cfg, image, 'publication_tag')?.value ?? '';
  return publishesToEcr(project, image) || /\{(account|region)\}/.test(template);
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
