import { inspectImageIdAndSize } from '../docker/images.js';
import { awsAccount, awsRegion, loginToEcr, pushImage, tagImage } from '../docker/registry.js';
import { UserError } from '../errors.js';
import { imageDesignation, loadProject, requireImage, runnableImages } from '../project/project.js';
import { needsAws, publicationReference, publishesToEcr } from '../project/publication.js';
import { wordText } from '../project/words.js';
import { engineContext, type CommandSession } from './session.js';

/** publish-image IMAGE: tags the project image with its publication_tag and pushes it; returns the published reference. */
export async function publishImage(session: CommandSession, image: string): Promise<string> {
  const context = engineContext(session);
  const project = loadProject(session.cwd, session.env);
  requireImage(project, image, runnableImages(project));
  const source = imageDesignation(project, image).reference;
  if (!context.dryRun && (await inspectImageIdAndSize(context, source)) === undefined) {
    throw new UserError(`image ${source} is not built: build-image ${image} first`, { exitCode: 1 });
  }
  const aws = needsAws(project, image)
    ? { account: await awsAccount(context), region: await awsRegion(context) }
    : undefined;
  const published = publicationReference(project, image, aws);
  if (publishesToEcr(project, image)) await loginToEcr(context, aws!.account, aws!.region);
  await tagImage(context, source, published);
  await pushImage(context, published);
  return wordText(published, session.env);
}
