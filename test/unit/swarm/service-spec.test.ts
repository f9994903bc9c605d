import t from 'tap';
import type { RunSettings } from '../../../src/project/run-settings.js';
import { literalWord } from '../../../src/project/words.js';
import {
  buildServiceSpec,
  envAssignments,
  parseMountText,
  projectNetworkName,
  publishedPorts,
  serviceMounts,
  serviceName,
} from '../../../src/swarm/service-spec.js';

const words = (...texts: string[]) => texts.map(literalWord);
const keys = {
  replicas: 2,
  maxPerNode: 1,
  placement: ['node.labels.gpu==true'],
  publishMode: 'host' as const,
  updateOrder: 'stop-first' as const,
  endpointMode: 'vip' as const,
};

t.test('ports become long --publish entries, ranges one each, in the mode of the section', async (t) => {
  t.same(
    publishedPorts(words('-p', '8080:80', '--publish=53:53/udp', '-p', '9000-9001:90-91', '-p', '7000'), 'host', {}),
    [
      { published: 8080, target: 80, protocol: 'tcp', mode: 'host' },
      { published: 53, target: 53, protocol: 'udp', mode: 'host' },
      { published: 9000, target: 90, protocol: 'tcp', mode: 'host' },
      { published: 9001, target: 91, protocol: 'tcp', mode: 'host' },
      { target: 7000, protocol: 'tcp', mode: 'host' },
    ],
  );
  t.throws(() => publishedPorts(words('-p', '127.0.0.1:80:80'), 'host', {}), /drop the host address/);
  t.throws(() => publishedPorts(words('-p', '1-3:1-2'), 'host', {}), /differ in length/);
  t.throws(() => publishedPorts(words('--expose', '80'), 'host', {}), /is not one of -p, --publish/);
});

t.test('volumes become mounts: a path is a bind, a name a volume, --mount as given', async (t) => {
  t.same(
    serviceMounts(
      words('-v', '/srv/data:/data:ro', '-v', 'cache:/cache', '--volume=/anon', '--mount', 'type=tmpfs,dst=/tmp'),
      {},
    ),
    [
      { type: 'bind', source: '/srv/data', target: '/data', readOnly: true },
      { type: 'volume', source: 'cache', target: '/cache', readOnly: false },
      { type: 'volume', target: '/anon', readOnly: false },
      { type: 'tmpfs', target: '/tmp', readOnly: false, text: 'type=tmpfs,dst=/tmp' },
    ],
  );
  t.throws(() => serviceMounts(words('-v', '/a:/b:z'), {}), /has no service form/);
  t.same(parseMountText('type=bind,src=/a,target=/b,readonly'), {
    type: 'bind',
    source: '/a',
    target: '/b',
    readOnly: true,
    text: 'type=bind,src=/a,target=/b,readonly',
  });
});

t.test('-e options become assignments, the last of a name winning, references kept', async (t) => {
  t.same(
    envAssignments(
      [
        literalWord('-e'),
        literalWord('A=1'),
        literalWord('--env'),
        ['T=', { env: 'TOKEN' }],
        literalWord('-e'),
        literalWord('AWS_REGION'),
        literalWord('-e'),
        literalWord('A=2'),
      ],
      {},
    ),
    [{ name: 'T', value: [{ env: 'TOKEN' }] }, { name: 'AWS_REGION' }, { name: 'A', value: ['2'] }],
  );
  t.throws(() => envAssignments(words('--env-file', 'x'), {}), /is not -e NAME=VALUE/);
});

t.test('names of the service and of the project network', async (t) => {
  t.equal(serviceName('shop', 'web'), 'shop_web');
  t.equal(serviceName('my shop', 'web'), 'my-shop_web');
  t.equal(projectNetworkName('shop'), 'shop_swarm');
});

t.test('a section and its run settings as a spec', async (t) => {
  const settings: RunSettings = {
    image: 'web',
    reference: 'shop-web:me',
    containerName: 'me_web',
    labels: { 'dockerutils.project': 'shop', 'dockerutils.image': 'web' },
    init: [literalWord('--init')],
    environment: [literalWord('-e'), literalWord('MODE=dev')],
    detach: true,
    removeOnExit: false,
    interactive: [],
    gpu: [],
    volumes: words('-v', 'data:/data'),
    ports: words('-p', '8080:80'),
    extraArgs: words('--shm-size', '1g'),
    command: words('serve'),
  };
  const spec = buildServiceSpec(settings, {
    name: 'shop_web',
    image: 'sha256:aaa',
    network: 'shop_swarm',
    keys,
    env: {},
  });
  t.same(spec, {
    name: 'shop_web',
    image: 'sha256:aaa',
    reference: 'shop-web:me',
    replicas: 2,
    maxPerNode: 1,
    constraints: ['node.labels.gpu==true'],
    ports: [{ published: 8080, target: 80, protocol: 'tcp', mode: 'host' }],
    mounts: [{ type: 'volume', source: 'data', target: '/data', readOnly: false }],
    environment: [{ name: 'MODE', value: ['dev'] }],
    command: [['serve']],
    labels: { 'dockerutils.project': 'shop', 'dockerutils.image': 'web', 'dockerutils.reference': 'shop-web:me' },
    containerLabels: { 'dockerutils.project': 'shop', 'dockerutils.image': 'web' },
    network: 'shop_swarm',
    init: true,
    updateOrder: 'stop-first',
    endpointMode: 'vip',
  });
  t.throws(
    () =>
      buildServiceSpec(settings, {
        name: 's',
        image: 'i',
        network: 'n',
        keys: { ...keys, publishMode: 'ingress', endpointMode: 'dnsrr' },
        env: {},
      }),
    /add publish_mode = host/,
  );
});
