import type { CommandContext } from '../docker/exec.js';
import { inspectImageIdAndSize } from '../docker/images.js';
import { imageRepoDigest } from '../docker/registry.js';
import {
  createOverlayNetwork,
  createService,
  inspectService,
  listServiceTasks,
  networkId,
  serviceProgress,
  updateService,
  type ServiceTask,
} from '../docker/services.js';
import { inspectSwarmState } from '../docker/swarm.js';
import type { SwarmNode } from '../swarm/swarm-node.js';
import { dockProbeTimeoutMs } from '../docks/dock-probe.js';
import { dockTarget, resolveEngineTarget } from '../docks/engine-target.js';
import { UserError } from '../errors.js';
import { getCfgValue } from '../project/cfg-file.js';
import { loadProject, requireImage, runnableImages, type Project } from '../project/project.js';
import { projectLabel, resolveRunSettings } from '../project/run-settings.js';
import { readServiceKeys } from '../project/service-keys.js';
import { eligibleNodes } from '../swarm/placement.js';
import { buildServiceSpec, projectNetworkName, serviceName, type ServiceSpec } from '../swarm/service-spec.js';
import { describeChanges, diffService, hasChanges } from '../swarm/spec-diff.js';
import { swarmNodesWithDocks } from './dock-swarm.js';
import { publishImage } from './publish-image.js';
import { engineContext, type CommandSession } from './session.js';
import { sendImage, type TransferProgress } from './transfer-image.js';

/** What deploy-image was asked. */
export interface DeployRequest {
  readonly image: string;
  /** `--replicas N`: instead of the section's `replicas`. */
  readonly replicas?: number;
  /** How long to wait for every task to run. */
  readonly waitTimeoutMs: number;
}

/** What deploy-image reports while it works; the cli decides how it looks. */
export interface DeployReporter {
  /** A transfer to a dock progressed. */
  transfer(dock: string, progress: TransferProgress): void;
  /** A transfer to a dock ended. */
  transferred(dock: string, bytes: number, elapsedMs: number): void;
  /** A task error docker reported, once each. */
  taskError(text: string): void;
}

/** One task of the deployed service. */
export interface DeployedTask {
  readonly slot: number;
  /** The dock the task runs on; the node id when no dock is that node. */
  readonly node: string;
  readonly state: string;
  readonly containerId: string;
}

/** What deploy-image did. */
export interface DeployResult {
  readonly service: string;
  /** `created`, `updated` or `unchanged`. */
  readonly action: 'created' | 'updated' | 'unchanged';
  /** What changed, one line per field (for an update). */
  readonly changes: readonly string[];
  /** What the tasks run: the image id, or the published digest. */
  readonly image: string;
  readonly tasks: readonly DeployedTask[];
}

const pollIntervalMs = 500;

/**
 * deploy-image IMAGE: the image's section as a swarm service on the manager (`--dock`, else the
 * active engine). Every node that may run a task gets the exact image first (streamed from this
 * machine's engine, or published and pulled by digest); an existing service is updated in place,
 * only for what changed. Waits until every task runs, or reports docker's task errors.
 */
export async function deployImage(
  session: CommandSession,
  request: DeployRequest,
  reporter: DeployReporter,
): Promise<DeployResult> {
  const manager = engineContext(session);
  const project = loadProject(session.cwd, session.env);
  requireImage(project, request.image, runnableImages(project));
  const keys = readServiceKeys(project.cfg, request.image);
  const state = await inspectSwarmState(manager, dockProbeTimeoutMs);
  if (!state.answered)
    throw new UserError(`${manager.target.name} does not answer (${state.reason}): check it with \`dock ls --check\``, {
      exitCode: 1,
    });
  if (state.swarm?.state !== 'active' || !state.swarm.isManager) {
    throw new UserError(
      `${manager.target.name} is not a swarm manager: \`dock swarm init\` makes it one, or name a manager with --dock`,
      { exitCode: 1 },
    );
  }
  const { nodes, docks } = await swarmNodesWithDocks(session, manager);
  const settings = resolveRunSettings(project, {
    image: request.image,
    keep: true,
    stdinIsTerminal: false,
    // Tasks may run on any node: the `_docked` keys apply as soon as the swarm is more than this machine.
    docked: manager.target.remote || nodes.length > 1,
    now: new Date(),
  });
  const serviceKeys = { ...keys, replicas: request.replicas ?? keys.replicas };
  const name = serviceName(project.name, request.image);

  const image = publishes(project, request.image)
    ? await publishedDigest(session, request.image)
    : await deliverImage(session, settings.reference, eligibleNodes(nodes, keys.placement), docks, reporter);

  const network = projectNetworkName(project.name);
  const networkIdentifier =
    (await networkId(manager, network)) ??
    (await createOverlayNetwork(manager, network, { [projectLabel]: project.name }));
  const spec = buildServiceSpec(settings, { name, image, network, keys: serviceKeys, env: session.env });

  const current = await inspectService(manager, name);
  let action: DeployResult['action'] = 'created';
  let changes: string[] = [];
  // When the service is updated: when its last rolling update started, before this one.
  let previousUpdate: string | undefined;
  if (current === undefined) {
    await createService(manager, spec);
  } else {
    if (current.labels[projectLabel] !== project.name) {
      throw new UserError(
        `a service named ${name} exists that is not of project ${project.name}: remove it (docker service rm ${name}) first`,
        { exitCode: 1 },
      );
    }
    const difference = diffService(current, spec, { env: session.env, networkId: networkIdentifier });
    changes = describeChanges(difference);
    action = hasChanges(difference) ? 'updated' : 'unchanged';
    if (action === 'updated') {
      if (!manager.dryRun) previousUpdate = (await serviceProgress(manager, name)).update?.startedAt ?? '';
      await updateService(manager, name, difference);
    }
  }
  if (manager.dryRun) return { service: name, action, changes, image, tasks: [] };
  const tasks = await waitForService(manager, spec, { timeoutMs: request.waitTimeoutMs, previousUpdate }, reporter);
  return {
    service: name,
    action,
    changes,
    image,
    tasks: tasks.map((task) => ({
      slot: task.slot,
      node: docks.get(task.nodeId) ?? task.nodeId,
      state: task.state,
      containerId: task.containerId,
    })),
  };
}

// A section that says where the image is published deploys it from there.
function publishes(project: Project, image: string): boolean {
  return getCfgValue(project.cfg, image, 'publication_tag') !== undefined;
}

async function publishedDigest(session: CommandSession, image: string): Promise<string> {
  // The image is built and pushed from this machine's active engine, whichever manager deploys it.
  const builder = { ...session, dock: undefined };
  const published = await publishImage(builder, image);
  if (session.dryRun) return published;
  const digest = await imageRepoDigest(engineContext(builder), published);
  if (digest === undefined)
    throw new UserError(`the registry gave no digest for ${published}: push it again (publish-image ${image})`, {
      exitCode: 1,
    });
  return digest;
}

/**
 * Makes sure every node that may run a task has the image under the same id: streams it, in
 * parallel, to each dock that lacks it. The service then names the image by id, so no node can run
 * another build of the same tag.
 */
async function deliverImage(
  session: CommandSession,
  reference: string,
  nodes: readonly SwarmNode[],
  docks: ReadonlyMap<string, string>,
  reporter: DeployReporter,
): Promise<string> {
  const base = engineContext(session);
  const source: CommandContext = { ...base, target: resolveEngineTarget({ env: session.env }) };
  const local = await inspectImageIdAndSize({ ...source, dryRun: false }, reference);
  if (local === undefined) {
    throw new UserError(
      `image ${reference} is not on ${source.target.name === 'local' ? 'the local engine' : source.target.name}: build it first (build-image)`,
      { exitCode: 1 },
    );
  }
  const strangers = nodes.filter((node) => !docks.has(node.id));
  if (strangers.length > 0) {
    const named = strangers.map((node) => `${node.hostname} (${node.id.slice(0, 12)}, ${node.address})`).join(', ');
    throw new UserError(
      `node ${named} may run a task but no dock reaches its engine, so it cannot be given the image: \`dock add NAME ssh://...\` for it, or a placement that excludes it`,
      { exitCode: 1 },
    );
  }
  const targets = [...new Set(nodes.map((node) => docks.get(node.id)!))];
  const lacking: string[] = [];
  await Promise.all(
    targets.map(async (dock) => {
      const context = { ...base, target: dockTarget(dock, session.env), dryRun: false };
      const there = await inspectImageIdAndSize(context, local.id);
      if (there?.id !== local.id) lacking.push(dock);
    }),
  );
  await Promise.all(
    lacking.sort().map(async (dock) => {
      const context = { ...base, target: dockTarget(dock, session.env) };
      const sent = await sendImage(source, { name: dock, context }, reference, local, (progress) =>
        reporter.transfer(dock, progress),
      );
      if (!session.dryRun) reporter.transferred(dock, sent.bytes, sent.elapsedMs);
    }),
  );
  return local.id;
}

const endedStates = ['failed', 'rejected', 'shutdown', 'complete', 'orphaned', 'remove'];

// An update that changes no task (replicas, labels) starts no rolling update: once every task runs
// the current spec for this long, the service has converged.
const noRollingUpdateGraceMs = 5_000;

/**
 * Waits until the service runs its replicas of the current spec and no rolling update is under way
 * (after an update: until the one it started has completed). Task errors are reported as they
 * appear; past the timeout, the failure names them.
 */
async function waitForService(
  manager: CommandContext,
  spec: ServiceSpec,
  options: { timeoutMs: number; previousUpdate?: string },
  reporter: DeployReporter,
): Promise<ServiceTask[]> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const seenErrors = new Set<string>();
  const errors: string[] = [];
  for (;;) {
    const [tasks, progress] = await Promise.all([
      listServiceTasks(manager, spec.name),
      serviceProgress(manager, spec.name),
    ]);
    const wanted = tasks.filter((task) => task.desiredState === 'running');
    const running = wanted.filter((task) => task.state === 'running' && task.containerSpec === progress.containerSpec);
    for (const task of tasks) {
      if (task.error === '' || !(endedStates.includes(task.state) || task.state === 'pending')) continue;
      const text = `task ${spec.name}.${task.slot}: ${task.error}`;
      if (!seenErrors.has(text)) {
        seenErrors.add(text);
        errors.push(text);
        reporter.taskError(text);
      }
    }
    const update = progress.update;
    if (update && ['paused', 'rollback_completed', 'rollback_paused'].includes(update.state)) {
      throw new UserError(`the update of ${spec.name} stopped (${update.state}): ${update.message}`, { exitCode: 1 });
    }
    const startedNow = update !== undefined && update.startedAt !== options.previousUpdate;
    const settled =
      options.previousUpdate === undefined
        ? update === undefined || update.state === 'completed'
        : startedNow
          ? update.state === 'completed'
          : Date.now() - started >= noRollingUpdateGraceMs;
    if (running.length === spec.replicas && wanted.length === spec.replicas && settled) return running;
    if (Date.now() >= deadline) {
      const latest = errors.slice(-3).join('; ');
      const seconds = Math.round(options.timeoutMs / 1000);
      const where = settled
        ? `${running.length} of ${spec.replicas} tasks running after ${seconds} s`
        : `the rolling update has not finished after ${seconds} s`;
      throw new UserError(
        `${spec.name}: ${where}${latest ? ` (${latest})` : ''}: fix it and deploy again, or undeploy-image`,
        { exitCode: 1 },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}
