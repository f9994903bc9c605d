import { quote } from 'shlex';
import { UserError } from '../errors.js';
import { describeLocation, getCfgValue, type CfgValue } from '../project/cfg-file.js';
import { projectVariables, runnableImages, type Project } from '../project/project.js';
import { replicateRunSettings } from '../project/replicas.js';
import { resolveRunSettings, type RunSettings } from '../project/run-settings.js';
import { literalWord, ValueExpander, wordTemplate, type Word } from '../project/words.js';
import type { DependencyGraph } from './dependency-graph.js';
import { scopeNamedVolumes } from './named-volumes.js';
import {
  instanceLabel,
  projectVolumeName,
  stackContainerName,
  stackLabel,
  stackName,
  stackNetworkName,
} from './stack-names.js';

/** The stack keys of one image's section: what it needs and where it runs. */
export interface StackImage {
  readonly image: string;
  /** `depends_on`: images that must be running (healthy, when they have a healthcheck) first. */
  readonly dependsOn: readonly string[];
  /** `uses`: images whose container's volumes this one mounts (`--volumes-from`); also dependencies. */
  readonly uses: readonly string[];
  /** `docks`: the docks its containers run on, instead of the command's engine. */
  readonly docks?: { readonly names: readonly string[]; readonly where: CfgValue };
}

/** A comma- (or space-) separated list of names of a cfg value. */
export function nameList(value: CfgValue | undefined): string[] {
  if (value === undefined) return [];
  return value.value
    .split(/[,\s]+/)
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** The stack keys of every image of the project that may run (the buildable and synthetic images). */
export function readStackImages(project: Project): StackImage[] {
  return runnableImages(project).map((image) => {
    const docks = getCfgValue(project.cfg, image, 'docks');
    return {
      image,
      dependsOn: nameList(getCfgValue(project.cfg, image, 'depends_on')),
      uses: nameList(getCfgValue(project.cfg, image, 'uses')),
      ...(docks && nameList(docks).length > 0 ? { docks: { names: nameList(docks), where: docks } } : {}),
    };
  });
}

/** Each image and the images it needs first (depends_on and uses). */
export function stackGraph(images: readonly StackImage[]): DependencyGraph {
  return new Map(images.map((image) => [image.image, [...new Set([...image.dependsOn, ...image.uses])]]));
}

/** One container the cfg asks for on one engine. */
export interface DesiredContainer {
  readonly image: string;
  readonly instance: number;
  readonly name: string;
  /** Everything `docker create` needs; detached and kept, no terminal. */
  readonly settings: RunSettings;
  /** The project's named volumes it mounts (`<project>_<name>`). */
  readonly volumes: readonly string[];
  /** The stack network it joins, unless the section's `network` wins. */
  readonly stackNetwork?: string;
  /** The containers it mounts the volumes of (`uses`), by name. */
  readonly usesContainers: readonly string[];
  /** `exec_commands`: run with `docker exec` once the container has started. */
  readonly execCommands: readonly (readonly Word[])[];
}

/** What decides the containers of an image beyond the cfg: the engine and the moment. */
export interface DesiredContext {
  /** Whether the engine is remote: the `<key>_docked` variants apply. */
  readonly docked: boolean;
  readonly now: Date;
}

/** How many containers of an image the stack has (`instances`, default 1). */
export function instancesOf(project: Project, image: string, docked: boolean): number {
  const value = stackValue(project, image, 'instances', docked);
  if (value === undefined) return 1;
  const text = value.value.trim();
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new UserError(`${describeLocation(value)}: "${text}" is not a number of containers (1 or more)`);
  return Number(text);
}

/**
 * The containers of one image on one engine: run-image's settings for a kept, detached container,
 * replicated for `instances` (ports stepped as `--count` steps them), named and labelled for the
 * stack, on the stack network with the image name as alias, named volumes renamed to the project's.
 */
export function desiredContainers(
  project: Project,
  stackImage: StackImage,
  context: DesiredContext,
): DesiredContainer[] {
  const { image } = stackImage;
  const instances = instancesOf(project, image, context.docked);
  const base = resolveRunSettings(project, {
    image,
    keep: true,
    stdinIsTerminal: false,
    docked: context.docked,
    now: context.now,
  });
  const volumes = scopeNamedVolumes(base.volumes, (name) => projectVolumeName(project.name, name));
  const usesContainers = stackImage.uses.map((used) =>
    stackContainerName(project.name, used, project.user, 1, instancesOf(project, used, context.docked)),
  );
  const stackNetwork = base.network === undefined ? stackNetworkName(project.name, project.user) : undefined;
  const execCommands = readExecCommands(project, image, context.docked);
  const replicas = replicateRunSettings(base, { count: instances, user: project.user });
  return replicas.map((replica, index) => {
    const instance = index + 1;
    const name = stackContainerName(project.name, image, project.user, instance, instances);
    return {
      image,
      instance,
      name,
      settings: {
        ...replica,
        containerName: name,
        labels: {
          ...replica.labels,
          [stackLabel]: stackName(project.name, project.user),
          [instanceLabel]: String(instance),
        },
        interactive: [],
        detach: false,
        removeOnExit: false,
        ...(stackNetwork === undefined ? {} : { network: literalWord(stackNetwork), networkAliases: [image] }),
        volumes: [
          ...volumes.words,
          ...usesContainers.flatMap((container) => [literalWord('--volumes-from'), literalWord(container)]),
        ],
      },
      volumes: volumes.names.map((volume) => projectVolumeName(project.name, volume)),
      ...(stackNetwork === undefined ? {} : { stackNetwork }),
      usesContainers,
      execCommands,
    };
  });
}

// One command a line; each line is split into words as `cmd` is.
function readExecCommands(project: Project, image: string, docked: boolean): Word[][] {
  const value = stackValue(project, image, 'exec_commands', docked);
  if (value === undefined) return [];
  const expander = new ValueExpander(projectVariables(project));
  const commands = value.value
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => expander.words({ ...value, value: line }));
  expander.finish();
  return commands;
}

function stackValue(project: Project, image: string, key: string, docked: boolean): CfgValue | undefined {
  return (
    (docked ? getCfgValue(project.cfg, image, `${key}_docked`) : undefined) ?? getCfgValue(project.cfg, image, key)
  );
}

/**
 * What a container's settings say, key by key, as text (environment values as `${NAME}`): kept in a
 * label, so that `up-containers --diff` can name what changed (`ports changed: -p 8080:80 -> -p 8081:80`).
 */
export function settingsSummary(container: DesiredContainer): Record<string, string> {
  const { settings } = container;
  const text = (words: readonly Word[]): string => words.map((word) => quote(wordTemplate(word))).join(' ');
  return {
    image: settings.reference,
    init: text(settings.init),
    environment: text(settings.environment),
    network: settings.network
      ? text([
          literalWord('--network'),
          settings.network,
          ...(settings.networkAliases ?? []).flatMap((alias) => [literalWord('--network-alias'), literalWord(alias)]),
        ])
      : '',
    volumes: text(settings.volumes),
    ports: text(settings.ports),
    args: text(settings.extraArgs),
    cmd: text(settings.command),
    exec_commands: container.execCommands.map((command) => text(command)).join('; '),
  };
}

/**
 * The project's named volumes an image's containers mount (`<project>_<name>`), read from its
 * `volumes` alone: taking a stack down needs no environment variable the other keys use.
 */
export function namedVolumesOf(project: Project, image: string, docked: boolean): string[] {
  const expander = new ValueExpander(projectVariables(project));
  const words = expander.words(stackValue(project, image, 'volumes', docked));
  return scopeNamedVolumes(words, (name) => projectVolumeName(project.name, name)).names.map((name) =>
    projectVolumeName(project.name, name),
  );
}
