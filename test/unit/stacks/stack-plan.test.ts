import t from 'tap';
import type { RunSettings } from '../../../src/project/run-settings.js';
import type { DesiredContainer } from '../../../src/stacks/stack-definition.js';
import {
  describeStep,
  planEngine,
  type DesiredState,
  type ObservedContainer,
  type ObservedEngine,
} from '../../../src/stacks/stack-plan.js';

function desired(image: string, options: { uses?: string[]; ports?: string; hash?: string } = {}): DesiredState {
  const settings = { reference: `p-${image}:ann` } as RunSettings;
  const container: DesiredContainer = {
    image,
    instance: 1,
    name: `p_${image}_ann`,
    settings,
    volumes: image === 'db' ? ['p_data'] : [],
    stackNetwork: 'p_ann',
    usesContainers: options.uses ?? [],
    execCommands: [],
  };
  return {
    container,
    configHash: options.hash ?? `hash-${image}`,
    settings: { image: settings.reference, ports: options.ports ?? '' },
  };
}

function observed(image: string, changes: Partial<ObservedContainer> = {}): ObservedContainer {
  return {
    id: `id-${image}`,
    name: `p_${image}_ann`,
    labels: { 'dockerutils.image': image, 'dockerutils.instance': '1' },
    state: 'running',
    exitCode: 0,
    imageId: `sha256:${image}000000000000000`,
    created: '2026-01-01T00:00:00Z',
    networks: { p_ann: 'net1' },
    configHash: `hash-${image}`,
    settings: { image: `p-${image}:ann`, ports: '' },
    ...changes,
  };
}

function engine(containers: ObservedContainer[], changes: Partial<ObservedEngine> = {}): ObservedEngine {
  return {
    containers,
    imageIds: new Map(['db', 'web', 'side'].map((image) => [`p-${image}:ann`, `sha256:${image}000000000000000`])),
    networks: new Map([['p_ann', 'net1']]),
    volumes: new Set(['p_data']),
    ...changes,
  };
}

const stack = [desired('db'), desired('web'), desired('side', { uses: ['p_db_ann'] })];
const expected = new Set(['p_db_ann', 'p_web_ann', 'p_side_ann']);
const actions = (plan: ReturnType<typeof planEngine>): string[] =>
  plan.steps.map((step) => `${step.action} ${step.desired.container.image}`);

t.test('an engine with everything as the cfg says: all unchanged, nothing to create', async (t) => {
  const plan = planEngine(stack, engine([observed('db'), observed('web'), observed('side')]), expected);
  t.same(actions(plan), ['unchanged db', 'unchanged web', 'unchanged side']);
  t.same(plan.networksToCreate, []);
  t.same(plan.volumesToCreate, []);
  t.same(plan.orphans, []);
});

t.test('an empty engine: the network, the volume and every container are created', async (t) => {
  const plan = planEngine(stack, engine([], { networks: new Map(), volumes: new Set() }), expected);
  t.same(actions(plan), ['create db', 'create web', 'create side']);
  t.same(plan.networksToCreate, ['p_ann']);
  t.same(plan.volumesToCreate, ['p_data']);
  t.equal(describeStep(plan.steps[0]!), 'create    p_db_ann: no container yet');
  t.equal(describeStep(plan.steps[0]!, 'gpu1'), 'create    p_db_ann @gpu1: no container yet');
});

t.test('a rebuilt image recreates its containers and those that use them, not other dependents', async (t) => {
  const plan = planEngine(
    stack,
    engine([observed('db', { imageId: 'sha256:0ld000000000000000' }), observed('web'), observed('side')]),
    expected,
  );
  t.same(actions(plan), ['recreate db', 'unchanged web', 'recreate side']);
  t.same(plan.steps[0]!.reasons, ['image p-db:ann rebuilt: sha256:0ld000000000... -> sha256:db0000000000...']);
  t.same(plan.steps[2]!.reasons, ['uses p_db_ann, which is recreated']);
});

t.test('a changed setting is named; a hash change without one is put down to the environment', async (t) => {
  const changed = [desired('db'), desired('web', { ports: '-p 8081:80', hash: 'new' }), desired('side')];
  const plan = planEngine(
    changed,
    engine([
      observed('db'),
      observed('web', { settings: { image: 'p-web:ann', ports: '-p 8080:80' } }),
      observed('side'),
    ]),
    expected,
  );
  t.same(actions(plan), ['unchanged db', 'recreate web', 'unchanged side']);
  t.same(plan.steps[1]!.reasons, ['ports changed: -p 8080:80 -> -p 8081:80']);
  const secret = planEngine([desired('web', { hash: 'other' })], engine([observed('web')]), expected);
  t.same(secret.steps[0]!.reasons, ['configuration changed (a value taken from the environment)']);
});

t.test('a used container recreated after its user, by another run, recreates the user', async (t) => {
  const plan = planEngine(
    stack,
    engine([observed('db', { created: '2026-02-01T00:00:00Z' }), observed('web'), observed('side')]),
    expected,
  );
  t.same(actions(plan), ['unchanged db', 'unchanged web', 'recreate side']);
  t.same(plan.steps[2]!.reasons, ['uses p_db_ann, whose container was recreated after it']);
});

t.test('networks: gone, left, recreated', async (t) => {
  const gone = planEngine(
    stack,
    engine([observed('db', { networks: {} }), observed('web'), observed('side')], { networks: new Map() }),
    expected,
  );
  t.same(actions(gone), ['recreate db', 'recreate web', 'recreate side']);
  t.same(gone.steps[1]!.reasons, ['network p_ann is gone']);
  t.same(gone.networksToCreate, ['p_ann']);
  const left = planEngine(
    stack,
    engine([observed('db'), observed('web', { networks: {} }), observed('side')]),
    expected,
  );
  t.same(actions(left), ['unchanged db', 'recreate web', 'unchanged side']);
  t.same(left.steps[1]!.reasons, ['not on network p_ann']);
  const recreated = planEngine(
    stack,
    engine([observed('db'), observed('web'), observed('side')], { networks: new Map([['p_ann', 'net2']]) }),
    expected,
  );
  t.same(recreated.steps[0]!.reasons, ['network p_ann was recreated']);
});

t.test('stopped, created and paused containers are started', async (t) => {
  const plan = planEngine(
    stack,
    engine([
      observed('db', { state: 'exited', exitCode: 137 }),
      observed('web', { state: 'created' }),
      observed('side', { state: 'paused' }),
    ]),
    expected,
  );
  t.same(actions(plan), ['start db', 'start web', 'start side']);
  t.same(
    plan.steps.map((step) => step.reasons[0]),
    ['stopped (exit code 137)', 'created, never started', 'paused'],
  );
});

t.test('containers of the stack the cfg no longer has are orphans', async (t) => {
  const old = observed('old', { labels: { 'dockerutils.image': 'old', 'dockerutils.instance': '1' } });
  const third = observed('web', {
    name: 'p_web_ann_3',
    labels: { 'dockerutils.image': 'web', 'dockerutils.instance': '3' },
  });
  const plan = planEngine(stack, engine([observed('db'), observed('web'), observed('side'), old, third]), expected);
  t.same(
    plan.orphans.map((orphan) => `${orphan.container.name}: ${orphan.reason}`),
    [
      'p_old_ann: image old is not in the cfg (or not on this engine) any more',
      'p_web_ann_3: instance 3 of web, beyond the instances the cfg asks for here',
    ],
  );
});
