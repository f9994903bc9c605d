import t from 'tap';
import { containerVerbArgs, parseContainerVerbOutput } from '../../../src/docker/container-lifecycle.js';
import type { ContainerSummary } from '../../../src/docker/containers.js';
import { containerVerbs, findContainer, planContainerChange } from '../../../src/lifecycle/container-verbs.js';

const container = (name: string, id: string, state: string): ContainerSummary => ({
  id,
  name,
  image: 'proj-web:ann',
  state,
  status: '',
  ports: '',
  runningFor: '',
  createdAt: '',
  labels: {},
});

const containers = [
  container('web_10', 'aa11', 'running'),
  container('web_2', 'aa22', 'exited'),
  container('web_1', 'bb33', 'running'),
  container('db', 'cc44', 'paused'),
  container('fresh', 'dd55', 'created'),
];

t.test('without targets each verb takes the scope containers in its states, by name', async (t) => {
  const plan = (verb: keyof typeof containerVerbs, force = false): unknown =>
    planContainerChange(containerVerbs[verb], { targets: [], force }, containers);
  t.same(plan('stop'), { names: ['db', 'web_1', 'web_10'], skipped: [] });
  t.same(plan('start'), { names: ['fresh', 'web_2'], skipped: [] });
  t.same(plan('pause'), { names: ['web_1', 'web_10'], skipped: [] });
  t.same(plan('unpause'), { names: ['db'], skipped: [] });
  t.same(plan('rm', true), { names: ['db', 'fresh', 'web_1', 'web_2', 'web_10'], skipped: [] });
  t.same(plan('rm'), {
    names: ['fresh', 'web_2'],
    skipped: [
      { target: 'db', reason: 'db is paused: stop it first, or add --force' },
      { target: 'web_1', reason: 'web_1 is running: stop it first, or add --force' },
      { target: 'web_10', reason: 'web_10 is running: stop it first, or add --force' },
    ],
  });
});

t.test('targets are names or id prefixes; missing and ambiguous ones are skipped by name', async (t) => {
  t.same(
    planContainerChange(
      containerVerbs.stop,
      { targets: ['web_2', 'bb', 'nope', 'aa', 'web_2'], force: false },
      containers,
    ),
    {
      names: ['web_2', 'web_1'],
      skipped: [
        { target: 'nope', reason: 'no such container: nope' },
        { target: 'aa', reason: 'aa: id prefix matches 2 containers (web_10, web_2); give more of the id' },
      ],
    },
  );
  t.same(findContainer('/db', containers), { container: containers[3] });
});

t.test('one docker command per verb, with its flags', async (t) => {
  t.same(containerVerbArgs('stop', ['a', 'b'], { timeoutSeconds: 3 }), ['stop', '-t', '3', 'a', 'b']);
  t.same(containerVerbArgs('restart', ['a'], {}), ['restart', 'a']);
  t.same(containerVerbArgs('rm', ['a', 'b'], { force: true, timeoutSeconds: 3 }), ['rm', '-f', 'a', 'b']);
  t.same(containerVerbArgs('pause', ['a']), ['pause', 'a']);
});

t.test("docker's per-container output splits into done and failed", async (t) => {
  t.same(
    parseContainerVerbOutput(['a', 'b', 'c'], 'a\nc\n', 'Error response from daemon: Container b is not paused\n', 1),
    {
      done: ['a', 'c'],
      failures: [{ target: 'b', reason: 'Container b is not paused' }],
    },
  );
  t.same(parseContainerVerbOutput(['a'], '', '', 1), {
    done: [],
    failures: [{ target: 'a', reason: 'docker could not change a (exit code 1)' }],
  });
});
