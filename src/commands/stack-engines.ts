// What up-containers and down-containers share: the stack of the project, and the engines it runs on.
import type { CommandContext } from '../docker/exec.js';
import { dockTarget } from '../docks/engine-target.js';
import { UserError } from '../errors.js';
import { describeLocation } from '../project/cfg-file.js';
import { loadProject, requireImage, runnableImages, type Project } from '../project/project.js';
import { requireAcyclic, withDependencies, type DependencyGraph } from '../stacks/dependency-graph.js';
import { placeImages } from '../stacks/engine-placement.js';
import { readStackImages, stackGraph, type StackImage } from '../stacks/stack-definition.js';
import { engineContext, type CommandSession } from './session.js';

/** The project's stack as the cfg describes it. */
export interface ProjectStack {
  readonly project: Project;
  readonly stackImages: readonly StackImage[];
  readonly graph: DependencyGraph;
}

/** One engine of a run: its session (with the dock), its context and the images placed there. */
export interface StackEngine {
  readonly session: CommandSession;
  readonly context: CommandContext;
  /** What people call it: `local`, a dock's name. */
  readonly name: string;
  readonly images: readonly string[];
  /** Every image of the whole cfg that runs on this engine: the stack's other containers there are orphans. */
  readonly cfgImages: readonly string[];
}

/** Reads the project and its stack keys; a dependency cycle is an error before anything runs. */
export function loadProjectStack(session: CommandSession): ProjectStack {
  const project = loadProject(session.cwd, session.env);
  const stackImages = readStackImages(project);
  const graph = stackGraph(stackImages);
  requireAcyclic(graph);
  return { project, stackImages, graph };
}

/** The images a command acts on: those named (each must be an image), or every buildable image. */
export function requestedImages(stack: ProjectStack, images: readonly string[]): string[] {
  for (const image of images) requireImage(stack.project, image, runnableImages(stack.project));
  return images.length > 0 ? [...images] : [...stack.project.buildableImages];
}

/** The named images with everything they depend on, in dependency order. */
export function imagesWithDependencies(stack: ProjectStack, images: readonly string[]): string[] {
  return withDependencies(stack.graph, images);
}

/**
 * The engines the images run on: each dock of a section's `docks`, otherwise the session's engine
 * (two ways of naming one engine make one). An image that `uses` another must run where that one
 * runs: `--volumes-from` stays on one engine.
 */
export function stackEngines(session: CommandSession, stack: ProjectStack, images: readonly string[]): StackEngine[] {
  const byImage = new Map(stack.stackImages.map((image) => [image.image, image]));
  const resolved = new Map<string, { session: CommandSession; context: CommandContext }>();
  const engineOf = (
    dock: string | undefined,
    placed: readonly string[],
  ): { session: CommandSession; context: CommandContext } => {
    const engineSession = dock === undefined ? session : { ...session, dock };
    if (dock !== undefined) {
      try {
        dockTarget(dock, session.env);
      } catch (error) {
        const where = placed.map((image) => byImage.get(image)?.docks?.where).find((value) => value !== undefined);
        if (error instanceof UserError && where) throw new UserError(`${describeLocation(where)}: ${error.message}`);
        throw error;
      }
    }
    const context = engineContext(engineSession);
    const known = resolved.get(context.target.name);
    if (known) return known;
    const engine = { session: engineSession, context };
    resolved.set(context.target.name, engine);
    return engine;
  };
  const imagesByEngine = (names: readonly string[]): Map<string, string[]> => {
    const result = new Map<string, string[]>();
    for (const placement of placeImages(stack.stackImages, names)) {
      const { context } = engineOf(placement.dock, placement.images);
      const list = result.get(context.target.name) ?? [];
      for (const image of placement.images) if (!list.includes(image)) list.push(image);
      result.set(context.target.name, list);
    }
    return result;
  };
  const selected = imagesByEngine(images);
  const everything = imagesByEngine(stack.stackImages.map((image) => image.image));
  return [...selected.entries()].map(([name, placed]) => {
    for (const image of placed) {
      for (const used of byImage.get(image)?.uses ?? []) {
        if (!placed.includes(used))
          throw new UserError(
            `[${image}] uses ${used}, but ${used} does not run on ${name}: --volumes-from works on one engine only; give both the same docks`,
          );
      }
    }
    const engine = resolved.get(name)!;
    return { ...engine, name, images: placed, cfgImages: everything.get(name) ?? [] };
  });
}
