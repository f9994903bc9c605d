import t from 'tap';
import { createNetworkArgs, removeNetworkArgs } from '../../../src/docker/networks.js';
import { inspectObjectsArgs, parseInspectedObjects } from '../../../src/docker/object-inspect.js';
import {
  containerStateArgs,
  createLockContainerArgs,
  createStackContainerArgs,
  execInContainerArgs,
  listLabelledContainerIdsArgs,
  removeContainersArgs,
  startContainerArgs,
  stopContainersArgs,
} from '../../../src/docker/stack-containers.js';
import { createVolumeArgs, listVolumesArgs, removeVolumesArgs } from '../../../src/docker/volumes.js';
import type { RunSettings } from '../../../src/project/run-settings.js';

t.test('the argv of each docker verb of a stack', async (t) => {
  t.same(createNetworkArgs('p_ann', { 'dockerutils.project': 'p' }), [
    'network',
    'create',
    '--label',
    'dockerutils.project=p',
    'p_ann',
  ]);
  t.same(removeNetworkArgs('p_ann'), ['network', 'rm', 'p_ann']);
  t.same(createVolumeArgs('p_data', { 'dockerutils.project': 'p' }), [
    'volume',
    'create',
    '--label',
    'dockerutils.project=p',
    'p_data',
  ]);
  t.same(listVolumesArgs('dockerutils.project=p'), ['volume', 'ls', '-q', '--filter', 'label=dockerutils.project=p']);
  t.same(removeVolumesArgs(['a', 'b']), ['volume', 'rm', 'a', 'b']);
  t.same(inspectObjectsArgs(['id1', 'p-web:ann', 'p_ann']), [
    'inspect',
    '--format',
    '{{json .}}',
    'id1',
    'p-web:ann',
    'p_ann',
  ]);
  t.same(listLabelledContainerIdsArgs('dockerutils.stack=p_ann'), [
    'ps',
    '-a',
    '-q',
    '--no-trunc',
    '--filter',
    'label=dockerutils.stack=p_ann',
  ]);
  t.same(startContainerArgs('c'), ['start', 'c']);
  t.same(startContainerArgs('c', true), ['unpause', 'c']);
  t.same(stopContainersArgs(['a', 'b'], 10), ['stop', '-t', '10', 'a', 'b']);
  t.same(removeContainersArgs(['a']), ['rm', 'a']);
  t.same(removeContainersArgs(['a'], true), ['rm', '-f', 'a']);
  t.same(execInContainerArgs('c', [['touch'], ['/ready']]), ['exec', 'c', ['touch'], ['/ready']]);
  t.same(containerStateArgs('c'), ['inspect', '--format', '{{json .State}}', 'c']);
  t.same(createLockContainerArgs('p_ann.up-lock', { 'dockerutils.stack-lock': 'p_ann' }, 'sha256:abc'), [
    'create',
    '--name',
    'p_ann.up-lock',
    '--label',
    'dockerutils.stack-lock=p_ann',
    '--network',
    'none',
    'sha256:abc',
    'lock',
  ]);
});

t.test("a stack container is run-image's create argv, detached and kept, with its network alias", async (t) => {
  const settings: RunSettings = {
    image: 'web',
    reference: 'p-web:ann',
    containerName: 'p_web_ann',
    labels: { 'dockerutils.project': 'p' },
    init: [['--init']],
    environment: [],
    detach: false,
    removeOnExit: false,
    interactive: [],
    gpu: [],
    network: ['p_ann'],
    networkAliases: ['web'],
    volumes: [['-v'], ['p_data:/data']],
    ports: [],
    extraArgs: [],
    command: [],
  };
  t.same(createStackContainerArgs(settings, { 'dockerutils.config-hash': 'sha256:x' }), [
    'create',
    ['--init'],
    '--name',
    'p_web_ann',
    '--label',
    'dockerutils.project=p',
    '--label',
    'dockerutils.config-hash=sha256:x',
    '--network',
    ['p_ann'],
    '--network-alias',
    'web',
    ['-v'],
    ['p_data:/data'],
    'p-web:ann',
  ]);
});

t.test('one inspect of many kinds is sorted by the shape of each object', async (t) => {
  const output = [
    JSON.stringify({
      Id: 'c1',
      Name: '/p_web_ann',
      Created: '2026-01-01T00:00:00Z',
      Image: 'sha256:img',
      State: { Status: 'running', ExitCode: 0, Health: { Status: 'healthy' } },
      Config: { Labels: { a: 'b' } },
      NetworkSettings: { Networks: { p_ann: { NetworkID: 'n1' } } },
    }),
    JSON.stringify({ Id: 'sha256:img', RepoTags: ['p-web:ann'] }),
    JSON.stringify({ Id: 'n1', Name: 'p_ann', IPAM: {} }),
    JSON.stringify({ Name: 'p_data', Mountpoint: '/var/lib/docker/volumes/p_data/_data' }),
    '',
  ].join('\n');
  t.same(parseInspectedObjects(output), {
    containers: [
      {
        id: 'c1',
        name: 'p_web_ann',
        labels: { a: 'b' },
        state: 'running',
        exitCode: 0,
        health: 'healthy',
        imageId: 'sha256:img',
        created: '2026-01-01T00:00:00Z',
        networks: { p_ann: 'n1' },
      },
    ],
    images: [{ id: 'sha256:img', tags: ['p-web:ann'] }],
    networks: [{ id: 'n1', name: 'p_ann' }],
    volumes: [{ name: 'p_data' }],
  });
});
