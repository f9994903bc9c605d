import t from 'tap';
import { describeChanges, diffService, hasChanges, type CurrentService } from '../../../src/swarm/spec-diff.js';
import { spec } from '../../helpers/swarm-fixtures.js';

const env = { API_TOKEN: 's3cret' };
// The service as `spec()` creates it, read back.
const current = (overrides: Partial<CurrentService> = {}): CurrentService => ({
  id: 'svc',
  name: 'shop_web',
  image: 'sha256:aaa',
  replicas: 2,
  maxPerNode: 1,
  constraints: ['node.labels.gpu==true'],
  ports: [{ published: 8080, target: 80, protocol: 'tcp', mode: 'host' }],
  mounts: [{ type: 'volume', source: 'data', target: '/data', readOnly: false }],
  environment: new Map([
    ['MODE', 'dev'],
    ['TOKEN', 's3cret'],
  ]),
  command: ['serve', '--port', '80'],
  networkIds: ['net1'],
  init: true,
  updateOrder: 'start-first',
  endpointMode: 'vip',
  labels: { 'dockerutils.project': 'shop', 'dockerutils.image': 'web', 'dockerutils.reference': 'shop-web:me' },
  containerLabels: { 'dockerutils.project': 'shop', 'dockerutils.image': 'web' },
  ...overrides,
});

t.test('the service as created has nothing to change', async (t) => {
  const changes = diffService(current(), spec(), { env, networkId: 'net1' });
  t.same(changes, {});
  t.notOk(hasChanges(changes));
});

t.test('each field that differs, and only those', async (t) => {
  const changes = diffService(
    current({
      image: 'sha256:old',
      replicas: 1,
      environment: new Map([
        ['MODE', 'dev'],
        ['TOKEN', 'old-secret'],
        ['GONE', 'x'],
      ]),
      ports: [{ published: 9090, target: 80, protocol: 'tcp', mode: 'host' }],
      networkIds: ['net0'],
    }),
    spec(),
    { env, networkId: 'net1' },
  );
  t.same(Object.keys(changes).sort(), ['environment', 'image', 'network', 'ports', 'replicas']);
  t.same(changes.environment, { removed: ['GONE'], set: [{ name: 'TOKEN', value: [{ env: 'API_TOKEN' }] }] });
  t.same(changes.network, { removedIds: ['net0'], added: 'shop_swarm' });
  const lines = describeChanges(changes);
  t.same(lines, [
    'image sha256:old -> sha256:aaa',
    'replicas 1 -> 2',
    'ports -published=9090,target=80,protocol=tcp,mode=host +published=8080,target=80,protocol=tcp,mode=host',
    'environment -GONE ~TOKEN',
    'network -> shop_swarm',
  ]);
  t.notMatch(lines.join('\n'), /s3cret|old-secret/, 'no value of the environment is shown');
});

t.test('a port kept beside a removed one at the same target, and mounts replaced by target', async (t) => {
  const port = (published: number) => ({ published, target: 80, protocol: 'tcp' as const, mode: 'host' as const });
  const changes = diffService(
    current({
      ports: [port(8080), port(9090)],
      mounts: [
        { type: 'volume', source: 'old', target: '/data', readOnly: false },
        { type: 'volume', source: 'x', target: '/gone', readOnly: false },
      ],
    }),
    spec(),
    { env, networkId: 'net1' },
  );
  t.same(changes.ports, { removed: [port(9090)], added: [], kept: [port(8080)] });
  t.same(changes.mounts, {
    removed: [{ type: 'volume', source: 'x', target: '/gone', readOnly: false }],
    added: [{ type: 'volume', source: 'data', target: '/data', readOnly: false }],
  });
});

t.test('a variable taken by name compares with the environment it is deployed from', async (t) => {
  const wanted = spec({ environment: [{ name: 'AWS_REGION' }] });
  const base = current({ environment: new Map([['AWS_REGION', 'eu-west-1']]) });
  t.same(diffService(base, wanted, { env: { AWS_REGION: 'eu-west-1' }, networkId: 'net1' }), {});
  t.ok(diffService(base, wanted, { env: { AWS_REGION: 'us-east-1' }, networkId: 'net1' }).environment);
});
