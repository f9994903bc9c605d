import t from 'tap';
import {
  dependencyLayers,
  dependencyOrder,
  findCycle,
  requireAcyclic,
  withDependencies,
} from '../../../src/stacks/dependency-graph.js';

const graph = new Map([
  ['web', ['api', 'cache']],
  ['api', ['db']],
  ['cache', []],
  ['db', []],
  ['tool', []],
]);

t.test('dependencies come first; independent images share a layer', async (t) => {
  t.same(dependencyLayers(graph), [['cache', 'db', 'tool'], ['api'], ['web']]);
  t.same(dependencyOrder(graph), ['cache', 'db', 'tool', 'api', 'web']);
});

t.test('a named image brings its dependencies, and dependencies of dependencies', async (t) => {
  t.same(withDependencies(graph, ['web']), ['cache', 'db', 'api', 'web']);
  t.same(withDependencies(graph, ['api']), ['db', 'api']);
  t.same(withDependencies(graph, ['tool']), ['tool']);
});

t.test('a cycle is named as the path that closes it', async (t) => {
  const cyclic = new Map([
    ['web', ['api']],
    ['api', ['web']],
    ['db', []],
  ]);
  t.same(findCycle(cyclic), ['api', 'web', 'api']);
  t.throws(() => requireAcyclic(cyclic), { message: /dependency cycle: api -> web -> api/ });
  t.throws(() => dependencyOrder(cyclic), { message: /dependency cycle/ });
  t.same(findCycle(new Map([['self', ['self']]])), ['self', 'self']);
  t.equal(findCycle(graph), undefined);
});
