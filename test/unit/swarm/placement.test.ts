import t from 'tap';
import { eligibleNodes, meetsConstraints } from '../../../src/swarm/placement.js';
import { matchNodesToDocks } from '../../../src/swarm/node-docks.js';
import { node } from '../../helpers/swarm-fixtures.js';

t.test('constraints on the attributes docker tests', async (t) => {
  const gpu = node({ labels: { gpu: 'true' }, role: 'worker', hostname: 'box' });
  t.ok(meetsConstraints(gpu, ['node.labels.gpu==true']));
  t.ok(
    meetsConstraints(gpu, ['node.labels.gpu == TRUE', 'node.role!=manager']),
    'spaces and case as docker takes them',
  );
  t.notOk(meetsConstraints(node(), ['node.labels.gpu==true']), 'a missing label is no match');
  t.ok(meetsConstraints(node(), ['node.labels.gpu!=true']));
  t.notOk(meetsConstraints(gpu, ['node.hostname==other']));
  t.ok(meetsConstraints(gpu, ['node.platform.os==linux', 'node.platform.arch==x86_64']));
  t.ok(
    meetsConstraints(gpu, ['something.else==1']),
    'an attribute not modelled counts as met: the node gets the image',
  );
});

t.test('only ready, active nodes may run a task', async (t) => {
  const nodes = [node({ id: 'a' }), node({ id: 'b', state: 'down' }), node({ id: 'c', availability: 'drain' })];
  t.same(
    eligibleNodes(nodes, []).map((entry) => entry.id),
    ['a'],
  );
});

t.test('a node is the dock whose engine reports its id; local first when two reach one engine', async (t) => {
  const docks = matchNodesToDocks([
    { dock: 'gpu', nodeId: 'n2' },
    { dock: 'alias', nodeId: 'n1' },
    { dock: 'local', nodeId: 'n1' },
    { dock: 'spare', nodeId: '' },
    { dock: 'down', unreachable: 'timeout' },
  ]);
  t.same([...docks.entries()].sort(), [
    ['n1', 'local'],
    ['n2', 'gpu'],
  ]);
});
