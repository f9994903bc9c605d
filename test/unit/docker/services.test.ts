import t from 'tap';
import {
  createOverlayNetworkArgs,
  parseServiceInspect,
  serviceCreateArgs,
  serviceUpdateArgs,
  serviceUpdateCommands,
} from '../../../src/docker/services.js';
import { dockerInvocation, formatCommandLine } from '../../../src/docker/command-line.js';
import { spec } from '../../helpers/swarm-fixtures.js';

t.test('a spec as docker service create', async (t) => {
  const args = serviceCreateArgs(spec());
  t.same(args, [
    'service',
    'create',
    '--detach',
    '--no-resolve-image',
    '--name',
    'shop_web',
    '--label',
    'dockerutils.project=shop',
    '--label',
    'dockerutils.image=web',
    '--label',
    'dockerutils.reference=shop-web:me',
    '--container-label',
    'dockerutils.project=shop',
    '--container-label',
    'dockerutils.image=web',
    '--replicas',
    '2',
    '--replicas-max-per-node',
    '1',
    '--constraint',
    'node.labels.gpu==true',
    '--network',
    'shop_swarm',
    '--endpoint-mode',
    'vip',
    '--update-order',
    'start-first',
    '--init',
    '-e',
    ['MODE=', 'dev'],
    '-e',
    ['TOKEN=', { env: 'API_TOKEN' }],
    '--mount',
    'type=volume,source=data,target=/data',
    '--publish',
    'published=8080,target=80,protocol=tcp,mode=host',
    'sha256:aaa',
    ['serve'],
    ['--port'],
    ['80'],
  ]);
  t.match(formatCommandLine('docker', args), '-e "TOKEN=$API_TOKEN"', 'the echo names the variable');
  const invocation = dockerInvocation(args, { API_TOKEN: 's3cret' }, () => '/nowhere');
  t.notOk(
    invocation.argv.some((arg) => arg.includes('s3cret')),
    'the value is on no command line',
  );
  t.same(invocation.environment, { TOKEN: 's3cret' }, 'docker reads it from its environment (-e TOKEN)');
});

t.test('a published image is deployed with the registry login', async (t) => {
  const args = serviceCreateArgs(spec({ image: 'registry.example.com/web@sha256:bbb', maxPerNode: 0 }));
  t.ok(args.includes('--with-registry-auth'));
  t.notOk(args.includes('--replicas-max-per-node'), 'no limit: no flag');
});

t.test('an update makes exactly the changes', async (t) => {
  const args = serviceUpdateArgs('shop_web', {
    image: { from: 'sha256:aaa', to: 'sha256:bbb' },
    replicas: { from: 2, to: 3 },
    constraints: { removed: ['node.role==worker'], added: ['node.labels.gpu==true'] },
    ports: {
      removed: [{ published: 8080, target: 80, protocol: 'tcp', mode: 'host' }],
      added: [{ published: 9090, target: 80, protocol: 'tcp', mode: 'host' }],
      kept: [],
    },
    mounts: { removed: [{ type: 'volume', source: 'old', target: '/old', readOnly: false }], added: [] },
    environment: { removed: ['OLD'], set: [{ name: 'TOKEN', value: [{ env: 'API_TOKEN' }] }] },
    command: { from: [['serve']], to: [['sh'], ['-c'], ['echo $$HOSTNAME']] },
    init: { from: true, to: false },
    updateOrder: { from: 'stop-first', to: 'start-first' },
    labels: { 'dockerutils.reference': 'shop-web:me' },
  });
  t.same(args, [
    'service',
    'update',
    '--detach',
    '--no-resolve-image',
    '--image',
    'sha256:bbb',
    '--replicas',
    '3',
    '--constraint-rm',
    'node.role==worker',
    '--constraint-add',
    'node.labels.gpu==true',
    '--publish-rm',
    'published=8080,target=80,protocol=tcp,mode=host',
    '--publish-add',
    'published=9090,target=80,protocol=tcp,mode=host',
    '--mount-rm',
    '/old',
    '--env-rm',
    'OLD',
    '--env-add',
    ['TOKEN=', { env: 'API_TOKEN' }],
    '--args',
    ["sh -c 'echo $$HOSTNAME'"],
    '--init=false',
    '--update-order',
    'start-first',
    '--label-add',
    'dockerutils.reference=shop-web:me',
    'shop_web',
  ]);
  const invocation = dockerInvocation(args, { API_TOKEN: 's3cret' }, () => '/nowhere');
  t.ok(invocation.argv.includes('--env-add'), 'kept as --env-add');
  t.notOk(invocation.argv.some((arg) => arg.includes('s3cret')));
  t.same(invocation.environment, { TOKEN: 's3cret' });
});

t.test('a kept port beside a removed one at the same target takes two updates', async (t) => {
  const port = (published: number) => ({ published, target: 80, protocol: 'tcp' as const, mode: 'host' as const });
  const commands = serviceUpdateCommands('s', {
    ports: { removed: [port(8080)], added: [], kept: [port(9090)] },
    replicas: { from: 1, to: 2 },
  });
  t.same(commands, [
    [
      'service',
      'update',
      '--detach',
      '--no-resolve-image',
      '--publish-rm',
      'published=8080,target=80,protocol=tcp,mode=host',
      's',
    ],
    [
      'service',
      'update',
      '--detach',
      '--no-resolve-image',
      '--replicas',
      '2',
      '--publish-add',
      'published=9090,target=80,protocol=tcp,mode=host',
      's',
    ],
  ]);
});

t.test('docker service inspect in the terms of a spec', async (t) => {
  const current = parseServiceInspect(
    JSON.stringify([
      {
        ID: 'svc1',
        Spec: {
          Name: 'shop_web',
          Labels: { 'dockerutils.project': 'shop' },
          TaskTemplate: {
            ContainerSpec: {
              Image: 'sha256:aaa',
              Args: ['serve'],
              Env: ['MODE=dev', 'BARE'],
              Mounts: [{ Type: 'bind', Source: '/srv', Target: '/data', ReadOnly: true }],
              Init: true,
            },
            Placement: { Constraints: ['node.role==worker'], MaxReplicas: 1 },
            Networks: [{ Target: 'net1' }],
          },
          Mode: { Replicated: { Replicas: 2 } },
          UpdateConfig: { Order: 'start-first' },
          EndpointSpec: {
            Mode: 'dnsrr',
            Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' }],
          },
        },
      },
    ]),
  );
  t.same(current, {
    id: 'svc1',
    name: 'shop_web',
    image: 'sha256:aaa',
    replicas: 2,
    maxPerNode: 1,
    constraints: ['node.role==worker'],
    ports: [{ published: 8080, target: 80, protocol: 'tcp', mode: 'host' }],
    mounts: [{ type: 'bind', source: '/srv', target: '/data', readOnly: true }],
    environment: new Map([
      ['MODE', 'dev'],
      ['BARE', undefined],
    ]),
    command: ['serve'],
    networkIds: ['net1'],
    init: true,
    updateOrder: 'start-first',
    endpointMode: 'dnsrr',
    labels: { 'dockerutils.project': 'shop' },
    containerLabels: {},
  });
});

t.test('the project network', async (t) => {
  t.same(createOverlayNetworkArgs('shop_swarm', { 'dockerutils.project': 'shop' }), [
    'network',
    'create',
    '--driver',
    'overlay',
    '--attachable',
    '--label',
    'dockerutils.project=shop',
    'shop_swarm',
  ]);
});
