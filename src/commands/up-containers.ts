import { resolveArgs } from '../docker/command-line.js';
import type { CommandContext } from '../docker/exec.js';
import { createNetwork } from '../docker/networks.js';
import { inspectObjects } from '../docker/object-inspect.js';
import {
  containerLogTail,
  containerState,
  createStackContainer,
  createStackContainerArgs,
  execInContainer,
  listLabelledContainerIds,
  removeContainers,
  startContainer,
  stopContainers,
} from '../docker/stack-containers.js';
import { createVolume } from '../docker/volumes.js';
import { CommandFailedError, errorMessage, UserError } from '../errors.js';
import { projectLabel } from '../project/run-settings.js';
import { configHash, decodeSettings, encodeSettings } from '../stacks/config-hash.js';
import { runInDependencyOrder, ScheduleFailure } from '../stacks/dependency-schedule.js';
import { acquireStackLock } from '../stacks/engine-lock.js';
import { desiredContainers, instancesOf, settingsSummary, type DesiredContainer } from '../stacks/stack-definition.js';
import {
  configHashLabel,
  imageIdLabel,
  settingsLabel,
  stackContainerName,
  stackLabel,
  stackLockName,
  stackName,
} from '../stacks/stack-names.js';
import {
  describeStep,
  planEngine,
  type ContainerStep,
  type DesiredState,
  type EnginePlan,
  type ObservedEngine,
} from '../stacks/stack-plan.js';
import { buildImages } from './build-image.js';
import {
  imagesWithDependencies,
  loadProjectStack,
  requestedImages,
  stackEngines,
  type ProjectStack,
  type StackEngine,
} from './stack-engines.js';
import type { CommandSession } from './session.js';
import { wordText } from '../project/words.js';

/** What up-containers was asked. */
export interface UpContainersRequest {
  /** The images to bring up (with their dependencies); none: every buildable image. */
  readonly images: readonly string[];
  /** `--build`: build the images that have a Dockerfile first, as build-image does. */
  readonly build?: boolean;
  /** `--diff`: plan only: say what would be done and why, run nothing. */
  readonly diff?: boolean;
  /** `--remove-orphans`: remove the stack's containers whose section is gone. */
  readonly removeOrphans?: boolean;
  /** How long a container may take to be running (healthy, with a healthcheck). */
  readonly waitTimeoutSeconds: number;
  /** How many images are brought up at once when they do not depend on each other. */
  readonly parallel: number;
  /** How long to wait for another up-containers of the same stack and engine. */
  readonly lockTimeoutSeconds: number;
  readonly now: Date;
  /** Told when another run holds the lock and this one waits. */
  readonly onLockWait?: (engine: string, holder: string) => void;
}

/** The plan of one engine, as decided (and, unless a dry run or --diff, carried out). */
export interface EngineOutcome {
  readonly engine: string;
  /** Whether lines about this engine name it (`@gpu1`): the run spans docks. */
  readonly named: boolean;
  readonly plan: EnginePlan;
}

/** What up-containers did (or would do). */
export interface UpContainersResult {
  readonly engines: readonly EngineOutcome[];
  readonly orphansRemoved: readonly string[];
}

interface EngineState {
  readonly engine: StackEngine;
  readonly desired: DesiredState[];
  readonly expectedNames: Set<string>;
  readonly named: boolean;
}

/**
 * up-containers: creates what is missing, starts what is stopped, recreates what is out of date, in
 * dependency order (independent images in parallel), on the session's engine and on the docks of
 * sections that name some. Without changes to make, it costs two docker calls per engine.
 */
export async function upContainers(session: CommandSession, request: UpContainersRequest): Promise<UpContainersResult> {
  const stack = loadProjectStack(session);
  const images = imagesWithDependencies(stack, requestedImages(stack, request.images));
  const engines = stackEngines(session, stack, images);
  const named = engines.length > 1 || engines.some((engine) => engine.context.target.name !== 'local');
  const states = engines.map((engine) => engineState(stack, engine, named, request.now));

  if (request.build && !request.diff) await buildStackImages(stack, engines);

  let plans = await Promise.all(states.map((state) => observeAndPlan(stack, state)));
  requireImages(plans, Boolean(request.build && session.dryRun));
  if (request.diff) return { engines: outcomes(plans), orphansRemoved: [] };
  if (session.dryRun) {
    await carryOut(stack, plans, request);
    return { engines: outcomes(plans), orphansRemoved: request.removeOrphans ? orphanNames(plans) : [] };
  }
  if (plans.every((outcome) => nothingToDo(outcome.plan, request))) {
    return { engines: outcomes(plans), orphansRemoved: [] };
  }

  const releases: (() => Promise<void>)[] = [];
  try {
    // One lock per engine, taken in name order so that two runs over the same docks never deadlock.
    for (const outcome of [...plans].sort((a, b) => a.state.engine.name.localeCompare(b.state.engine.name))) {
      releases.push(await lockEngine(stack, outcome, request));
    }
    // What another run did while this one waited counts: plan again under the lock.
    plans = await Promise.all(states.map((state) => observeAndPlan(stack, state)));
    requireImages(plans, false);
    await carryOut(stack, plans, request);
    return { engines: outcomes(plans), orphansRemoved: request.removeOrphans ? orphanNames(plans) : [] };
  } finally {
    for (const release of releases.reverse()) await release().catch(() => undefined);
  }
}

interface PlannedEngine {
  readonly state: EngineState;
  readonly observed: ObservedEngine;
  readonly plan: EnginePlan;
}

function engineState(stack: ProjectStack, engine: StackEngine, named: boolean, now: Date): EngineState {
  const { project } = stack;
  const docked = engine.context.target.remote;
  const byImage = new Map(stack.stackImages.map((image) => [image.image, image]));
  const desired = engine.images.flatMap((image) =>
    desiredContainers(project, byImage.get(image)!, { docked, now }).map((container) =>
      desiredState(container, engine.session.env),
    ),
  );
  const expectedNames = new Set(
    engine.cfgImages.flatMap((image) => {
      const instances = instancesOf(project, image, docked);
      return Array.from({ length: instances }, (_, index) =>
        stackContainerName(project.name, image, project.user, index + 1, instances),
      );
    }),
  );
  return { engine, desired, expectedNames, named };
}

function desiredState(container: DesiredContainer, env: NodeJS.ProcessEnv): DesiredState {
  const argv = resolveArgs(createStackContainerArgs(container.settings, {}), env);
  const exec = container.execCommands.map((command) => command.map((word) => wordText(word, env)));
  const network = container.settings.network === undefined ? undefined : wordText(container.settings.network, env);
  return {
    container,
    configHash: configHash(argv, exec),
    settings: settingsSummary(container),
    ...(network !== undefined && container.stackNetwork === undefined && isNamedNetwork(network)
      ? { sectionNetwork: network }
      : {}),
  };
}

// `container:NAME` shares another container's stack: there is no network object to check.
function isNamedNetwork(network: string): boolean {
  return !network.includes(':');
}

async function observeAndPlan(stack: ProjectStack, state: EngineState): Promise<PlannedEngine> {
  const { project } = stack;
  const { context } = state.engine;
  const stackId = stackName(project.name, project.user);
  const ids = await listLabelledContainerIds(context, `${stackLabel}=${stackId}`);
  const references = [...new Set(state.desired.map((desired) => desired.container.settings.reference))];
  const networks = [
    ...new Set(state.desired.flatMap((desired) => desired.container.stackNetwork ?? desired.sectionNetwork ?? [])),
  ];
  const volumes = [...new Set(state.desired.flatMap((desired) => desired.container.volumes))];
  const found = await inspectObjects(context, [...ids, ...references, ...networks, ...volumes]);
  const observed: ObservedEngine = {
    containers: found.containers
      .filter((container) => container.labels[stackLabel] === stackId)
      .map((container) => ({
        ...container,
        ...(container.labels[configHashLabel] ? { configHash: container.labels[configHashLabel] } : {}),
        ...(decodeSettings(container.labels[settingsLabel])
          ? { settings: decodeSettings(container.labels[settingsLabel])! }
          : {}),
      })),
    imageIds: new Map(
      references.flatMap((reference) => {
        const image = found.images.find((candidate) => candidate.tags.includes(reference));
        return image ? [[reference, image.id] as const] : [];
      }),
    ),
    networks: new Map(found.networks.map((network) => [network.name, network.id])),
    volumes: new Set(found.volumes.map((volume) => volume.name)),
  };
  return { state, observed, plan: planEngine(state.desired, observed, state.expectedNames) };
}

function outcomes(plans: readonly PlannedEngine[]): EngineOutcome[] {
  return plans.map(({ state, plan }) => ({ engine: state.engine.name, named: state.named, plan }));
}

function orphanNames(plans: readonly PlannedEngine[]): string[] {
  return plans.flatMap(({ plan }) => plan.orphans.map((orphan) => orphan.container.name));
}

function nothingToDo(plan: EnginePlan, request: UpContainersRequest): boolean {
  return (
    plan.networksToCreate.length === 0 &&
    plan.volumesToCreate.length === 0 &&
    plan.steps.every((step) => step.action === 'unchanged' && isReady(step)) &&
    !(request.removeOrphans && plan.orphans.length > 0)
  );
}

// A container is created from its image: one the engine lacks stops the run before anything changes.
function requireImages(plans: readonly PlannedEngine[], builtByThisRun: boolean): void {
  if (builtByThisRun) return;
  const missing = plans.flatMap(({ state, observed, plan }) =>
    plan.steps
      .filter((step) => step.action === 'create' || step.action === 'recreate')
      .map((step) => step.desired.container)
      .filter((container) => !observed.imageIds.has(container.settings.reference))
      .map((container) => ({ engine: state.engine, container })),
  );
  if (missing.length === 0) return;
  const lines = [
    ...new Map(
      missing.map(({ engine, container }) => {
        const reference = container.settings.reference;
        const fix =
          engine.session.dock === undefined || engine.name === 'local'
            ? `build-image ${container.image} (or up-containers --build)`
            : `transfer-image ${reference} ${engine.name} (or up-containers --build)`;
        return [`${engine.name} ${reference}`, `image ${reference} is not on ${engine.name}: ${fix}`];
      }),
    ).values(),
  ];
  throw new UserError(lines.join('\n'));
}

async function buildStackImages(stack: ProjectStack, engines: readonly StackEngine[]): Promise<void> {
  for (const engine of engines) {
    for (const image of engine.images) {
      if (stack.project.buildableImages.includes(image)) await buildImages(engine.session, { target: image });
    }
  }
}

async function lockEngine(
  stack: ProjectStack,
  planned: PlannedEngine,
  request: UpContainersRequest,
): Promise<() => Promise<void>> {
  const { project } = stack;
  const { engine } = planned.state;
  const image =
    [...planned.observed.imageIds.values()][0] ?? planned.observed.containers.map((container) => container.imageId)[0];
  if (image === undefined) return async () => {};
  return acquireStackLock(engine.context, {
    name: stackLockName(project.name, project.user),
    stack: stackName(project.name, project.user),
    image,
    waitMs: request.lockTimeoutSeconds * 1000,
    onWait: (holder) => request.onLockWait?.(engine.name, holder),
  });
}

/** A container that did not get to running (or healthy): which, and why. */
class ContainerNotReadyError extends Error {
  override readonly name = 'ContainerNotReadyError';

  constructor(
    readonly container: string,
    readonly context: CommandContext,
    detail: string,
  ) {
    super(detail);
  }
}

interface ImageUnit {
  readonly key: string;
  readonly after: readonly string[];
  readonly planned: PlannedEngine;
  readonly image: string;
  readonly steps: readonly ContainerStep[];
}

async function carryOut(
  stack: ProjectStack,
  plans: readonly PlannedEngine[],
  request: UpContainersRequest,
): Promise<void> {
  const { project } = stack;
  await Promise.all(
    plans.map(async ({ state, plan }) => {
      const { context } = state.engine;
      const creations = [
        ...plan.networksToCreate.map(
          (network) => () =>
            createNetwork(context, network, {
              [projectLabel]: project.name,
              [stackLabel]: stackName(project.name, project.user),
            }),
        ),
        ...plan.volumesToCreate.map((volume) => () => createVolume(context, volume, { [projectLabel]: project.name })),
      ];
      // Networks and volumes need nothing of each other: made side by side (in order in a dry run, which prints them).
      if (context.dryRun) for (const create of creations) await create();
      else await Promise.all(creations.map((create) => create()));
    }),
  );
  const enginesOf = (image: string): string[] =>
    plans.filter(({ state }) => state.engine.images.includes(image)).map(({ state }) => state.engine.name);
  const units: ImageUnit[] = plans.flatMap((planned) =>
    planned.state.engine.images.map((image) => ({
      key: `${planned.state.engine.name}/${image}`,
      after: (stack.graph.get(image) ?? []).flatMap((dependency) =>
        enginesOf(dependency).map((engine) => `${engine}/${dependency}`),
      ),
      planned,
      image,
      steps: planned.plan.steps.filter((step) => step.desired.container.image === image),
    })),
  );
  const dryRun = plans.some(({ state }) => state.engine.context.dryRun);
  try {
    await runInDependencyOrder(units, dryRun ? 1 : Math.max(1, request.parallel), (unit) => bringUp(unit, request));
  } catch (error) {
    if (!(error instanceof ScheduleFailure)) throw error;
    throw await describeFailure(error, units);
  }
  if (request.removeOrphans) {
    for (const { state, plan } of plans) {
      const { context } = state.engine;
      for (const orphan of context.dryRun ? plan.orphans : [])
        context.echo(
          `# remove orphan ${orphan.container.name}${state.named ? ` @${state.engine.name}` : ''}: ${orphan.reason}`,
        );
      const names = plan.orphans.map((orphan) => orphan.container.name);
      await stopInSmallGroups(context, names);
      await removeContainers(context, names);
    }
  }
}

// Few containers exit at a time: many exits at one moment can wedge dockerd (moby#42545).
const stopGroupSize = 4;
const stopTimeoutSeconds = 10;

/** Stops containers a few at a time. */
export async function stopInSmallGroups(context: CommandContext, names: readonly string[]): Promise<void> {
  for (let index = 0; index < names.length; index += stopGroupSize)
    await stopContainers(context, names.slice(index, index + stopGroupSize), stopTimeoutSeconds);
}

async function bringUp(unit: ImageUnit, request: UpContainersRequest): Promise<void> {
  const { state, observed } = unit.planned;
  const { context } = state.engine;
  const waitMs = request.waitTimeoutSeconds * 1000;
  // The instances of an image are independent of each other; a dry run prints them in order.
  const eachStep = async (run: (step: ContainerStep) => Promise<void>): Promise<void> => {
    if (context.dryRun) for (const step of unit.steps) await run(step);
    else await Promise.all(unit.steps.map(run));
  };
  await eachStep(async (step) => {
    const { container } = step.desired;
    if (context.dryRun) context.echo(`# ${describeStep(step, state.named ? state.engine.name : undefined)}`);
    if (step.action === 'recreate') {
      await stopContainers(context, [container.name], stopTimeoutSeconds);
      await removeContainers(context, [container.name]);
    }
    if (step.action === 'create' || step.action === 'recreate') {
      await createStackContainer(context, container.settings, {
        [configHashLabel]: step.desired.configHash,
        [imageIdLabel]: observed.imageIds.get(container.settings.reference) ?? '',
        [settingsLabel]: encodeSettings(step.desired.settings),
      });
      await startContainer(context, container.name);
    } else if (step.action === 'start') {
      await startContainer(context, container.name, step.observed?.state === 'paused');
    }
  });
  if (context.dryRun) {
    for (const step of unit.steps) if (step.action !== 'unchanged') await runExecCommands(context, step, waitMs);
    return;
  }
  await Promise.all(unit.steps.map((step) => waitUntilReady(context, step, waitMs)));
  for (const step of unit.steps) if (step.action !== 'unchanged') await runExecCommands(context, step, waitMs);
}

async function runExecCommands(context: CommandContext, step: ContainerStep, timeoutMs: number): Promise<void> {
  const { container } = step.desired;
  for (const command of container.execCommands) {
    try {
      await execInContainer(context, container.name, command, timeoutMs);
    } catch (error) {
      if (!(error instanceof CommandFailedError)) throw error;
      throw new ContainerNotReadyError(
        container.name,
        context,
        `exec_commands failed (exit code ${error.exitCode}): ${error.commandLine}; the container is left running: \`docker exec -it ${container.name} sh\` to look`,
      );
    }
  }
}

const readyPollMs = 250;

// An unchanged container that runs (healthy, with a healthcheck) needs no look.
function isReady(step: ContainerStep): boolean {
  const known = step.action === 'unchanged' ? step.observed : undefined;
  return known?.state === 'running' && (known.health === undefined || known.health === 'healthy');
}

/** Waits until a container runs, and is healthy when it has a healthcheck. */
async function waitUntilReady(context: CommandContext, step: ContainerStep, timeoutMs: number): Promise<void> {
  const { name } = step.desired.container;
  if (isReady(step)) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await containerState(context, name);
    if (current.status === 'running' && (current.health === undefined || current.health === 'healthy')) return;
    if (current.status === 'exited' || current.status === 'dead')
      throw new ContainerNotReadyError(name, context, `exited with code ${current.exitCode}`);
    if (Date.now() > deadline) {
      const seconds = Math.round(timeoutMs / 1000);
      throw new ContainerNotReadyError(
        name,
        context,
        current.health === undefined
          ? `was not running within ${seconds} s (${current.status})`
          : `did not become healthy within ${seconds} s (health: ${current.health}); --wait-timeout gives it longer`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, readyPollMs));
  }
}

const logTailLines = 15;

async function describeFailure(failure: ScheduleFailure, units: readonly ImageUnit[]): Promise<UserError> {
  const unit = units.find((candidate) => candidate.key === failure.failedKey)!;
  const where = unit.planned.state.named ? ` @${unit.planned.state.engine.name}` : '';
  const notStarted = units
    .filter((candidate) => failure.notStarted.includes(candidate.key))
    .map(
      (candidate) => candidate.image + (candidate.planned.state.named ? `@${candidate.planned.state.engine.name}` : ''),
    );
  const skipped = notStarted.length > 0 ? `; not brought up because of it: ${notStarted.join(', ')}` : '';
  const cause = failure.cause;
  if (cause instanceof ContainerNotReadyError) {
    const log = await containerLogTail(cause.context, cause.container, logTailLines).catch(() => '');
    const logText =
      log === ''
        ? '(its log is empty)'
        : log
            .split('\n')
            .map((line) => `  ${line}`)
            .join('\n');
    return new UserError(
      `${unit.image}: container ${cause.container}${where} ${cause.message}${skipped}\nlast lines of its log:\n${logText}`,
      { exitCode: 1 },
    );
  }
  if (cause instanceof CommandFailedError)
    return new UserError(`${unit.image}${where}: ${cause.message} (${cause.commandLine})${skipped}`, {
      exitCode: cause.exitCode || 1,
    });
  if (cause instanceof UserError)
    return new UserError(`${unit.image}${where}: ${cause.message}${skipped}`, { exitCode: cause.exitCode });
  return new UserError(`${unit.image}${where}: ${errorMessage(cause)}${skipped}`, { exitCode: 1 });
}
