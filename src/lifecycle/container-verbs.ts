import type { ContainerVerbName } from '../docker/container-lifecycle.js';
import type { ContainerSummary } from '../docker/containers.js';
import { compareContainerNames } from '../docker/containers.js';
import { UserError } from '../errors.js';
import { closestName } from '../project/closest-name.js';

/** The docker verbs the lifecycle commands wrap, one command each. */
export type ContainerVerb = ContainerVerbName;

/** What distinguishes one lifecycle command from another: everything else is shared. */
export interface ContainerVerbSpec {
  readonly verb: ContainerVerb;
  /** The command (and bin) name: `stop-containers`. */
  readonly commandName: string;
  readonly summary: string;
  /** The states a container of the default scope must be in to be acted on (docker ps `State`). */
  readonly defaultStates: readonly string[];
  /** The states refused unless `--force` (rm's running containers). */
  readonly refusedStates: readonly string[];
}

const running = ['running', 'paused', 'restarting'];

/** The six lifecycle commands. */
export const containerVerbs: Readonly<Record<ContainerVerb, ContainerVerbSpec>> = {
  start: {
    verb: 'start',
    commandName: 'start-containers',
    summary: 'start created or stopped containers',
    defaultStates: ['created', 'exited'],
    refusedStates: [],
  },
  stop: {
    verb: 'stop',
    commandName: 'stop-containers',
    summary: 'stop running containers',
    defaultStates: running,
    refusedStates: [],
  },
  restart: {
    verb: 'restart',
    commandName: 'restart-containers',
    summary: 'restart running containers',
    defaultStates: ['running'],
    refusedStates: [],
  },
  rm: {
    verb: 'rm',
    commandName: 'rm-containers',
    summary: 'remove containers (running ones only with --force)',
    defaultStates: ['created', 'exited', 'dead', ...running],
    refusedStates: running,
  },
  pause: {
    verb: 'pause',
    commandName: 'pause-containers',
    summary: 'pause running containers',
    defaultStates: ['running'],
    refusedStates: [],
  },
  unpause: {
    verb: 'unpause',
    commandName: 'unpause-containers',
    summary: 'unpause paused containers',
    defaultStates: ['paused'],
    refusedStates: [],
  },
};

/** A target that will not be acted on, and why, in words for the user. */
export interface SkippedTarget {
  readonly target: string;
  readonly reason: string;
}

/** Which containers one lifecycle command acts on. */
export interface ContainerChangePlan {
  /** Container names, in the order given (or listed), without duplicates. */
  readonly names: string[];
  readonly skipped: SkippedTarget[];
}

/** What the user named: explicit targets, or (when empty) every container of the listed scope. */
export interface ContainerChangeRequest {
  /** Container names or id prefixes; empty means the scope's containers in the verb's states. */
  readonly targets: readonly string[];
  /** `--force`: rm's running containers too. */
  readonly force: boolean;
}

/**
 * Decides the containers a verb acts on. Explicit targets are looked up among all containers by
 * exact name or id prefix: a target matching nothing (or several ids) is skipped by name, the others
 * proceed. Without targets, the listed (scope) containers in the verb's default states are taken,
 * in name order.
 */
export function planContainerChange(
  spec: ContainerVerbSpec,
  request: ContainerChangeRequest,
  containers: readonly ContainerSummary[],
): ContainerChangePlan {
  const names: string[] = [];
  const skipped: SkippedTarget[] = [];
  const take = (container: ContainerSummary, target: string): void => {
    if (!request.force && spec.refusedStates.includes(container.state)) {
      skipped.push({ target, reason: `${container.name} is ${container.state}: stop it first, or add --force` });
    } else if (!names.includes(container.name)) {
      names.push(container.name);
    }
  };
  if (request.targets.length === 0) {
    const byName = [...containers].sort(compareContainerNames);
    for (const container of byName) if (spec.defaultStates.includes(container.state)) take(container, container.name);
    return { names, skipped };
  }
  for (const target of request.targets) {
    const found = findContainer(target, containers);
    if ('container' in found) take(found.container, target);
    else skipped.push({ target, reason: found.problem });
  }
  return { names, skipped };
}

/** One container by exact name or unique id prefix, or why there is none. */
export function findContainer(
  target: string,
  containers: readonly ContainerSummary[],
): { container: ContainerSummary } | { problem: string } {
  const byName = containers.find(
    (container) => container.name === target || container.name === target.replace(/^\//, ''),
  );
  if (byName) return { container: byName };
  const byId = /^[0-9a-f]+$/.test(target) ? containers.filter((container) => container.id.startsWith(target)) : [];
  if (byId.length === 1) return { container: byId[0]! };
  if (byId.length > 1)
    return {
      problem: `${target}: id prefix matches ${byId.length} containers (${byId.map((container) => container.name).join(', ')}); give more of the id`,
    };
  return { problem: `no such container: ${target}` };
}

/** The one container a user named, or a UserError (exit code `exitCode`) that says why, with the closest name. */
export function namedContainer(
  target: string,
  containers: readonly ContainerSummary[],
  exitCode = 2,
): ContainerSummary {
  const found = findContainer(target, containers);
  if ('container' in found) return found.container;
  const suggestion = closestName(
    target,
    containers.map((container) => container.name),
  );
  throw new UserError(`${found.problem}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, { exitCode });
}
