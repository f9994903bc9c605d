import { listContainers } from '../docker/containers.js';
import type { CommandContext } from '../docker/exec.js';
import { inspectImages } from '../docker/image-inspect.js';
import { projectImageRows, type DesignatedImage, type ProjectImageRow } from '../lifecycle/project-images.js';
import { imageDesignation, loadProject } from '../project/project.js';

/** ls-images: every image of the project, built or not, with its details and containers. */
export async function listProjectImages(context: CommandContext): Promise<ProjectImageRow[]> {
  const project = loadProject(context.cwd, context.env);
  const images: DesignatedImage[] = [
    ...project.buildableImages.map((image) => ({
      image,
      kind: 'buildable' as const,
      reference: imageDesignation(project, image).reference,
    })),
    ...project.syntheticImages.map((image) => ({
      image,
      kind: 'synthetic' as const,
      reference: imageDesignation(project, image).reference,
    })),
  ];
  const details = await inspectImages(context, [...new Set(images.map((image) => image.reference))]);
  const containers = await listContainers(context, { project: project.name, includeStopped: true });
  return projectImageRows(images, details, containers);
}
