import t from 'tap';
import { createContainerArgs, runContainerArgs } from '../../../src/docker/containers.js';
import { replicateRunSettings, shiftPortSpec } from '../../../src/project/replicas.js';
import type { RunSettings } from '../../../src/project/run-settings.js';

const settings: RunSettings = {
  image: 'hello',
  reference: 'proj-hello:ann',
  containerName: 'ann_hello_24-01-02_03.04.05',
  labels: { 'dockerutils.project': 'proj', 'dockerutils.image': 'hello' },
  init: [['--init']],
  environment: [],
  detach: true,
  removeOnExit: false,
  interactive: [],
  gpu: [],
  volumes: [],
  ports: [['-p'], ['8080:80'], ['--publish=127.0.0.1:9000-9001:90-91/udp']],
  extraArgs: [],
  command: [],
};

t.test('without --count or --port-base the single container is unchanged', async (t) => {
  t.same(replicateRunSettings(settings, { user: 'ann' }), [settings]);
});

t.test('--count names containers <user>_<image>_<n> and steps host ports (ranges by their width)', async (t) => {
  const replicas = replicateRunSettings(settings, { count: 3, user: 'ann' });
  t.same(
    replicas.map((replica) => replica.containerName),
    ['ann_hello_1', 'ann_hello_2', 'ann_hello_3'],
  );
  t.same(
    replicas.map((replica) => replica.ports),
    [
      [['-p'], ['8080:80'], ['--publish=127.0.0.1:9000-9001:90-91/udp']],
      [['-p'], ['8081:80'], ['--publish=127.0.0.1:9002-9003:90-91/udp']],
      [['-p'], ['8082:80'], ['--publish=127.0.0.1:9004-9005:90-91/udp']],
    ],
  );
  t.same(replicas[2]!.labels, settings.labels, 'labeled like any other');
});

t.test('--port-base moves the first host port there and the others with it', async (t) => {
  const replicas = replicateRunSettings(settings, { count: 2, portBase: 20000, user: 'ann', nameStem: 'web' });
  t.same(
    replicas.map((replica) => replica.containerName),
    ['web_1', 'web_2'],
  );
  t.same(
    replicas.map((replica) => replica.ports),
    [
      [['-p'], ['20000:80'], ['--publish=127.0.0.1:20920-20921:90-91/udp']],
      [['-p'], ['20001:80'], ['--publish=127.0.0.1:20922-20923:90-91/udp']],
    ],
  );
});

t.test('bad counts, a port base without a published port, and env-valued ports are refused', async (t) => {
  t.throws(() => replicateRunSettings(settings, { count: 0, user: 'ann' }), /--count: expected a whole number/);
  t.throws(
    () => replicateRunSettings({ ...settings, ports: [['-p'], ['80']] }, { portBase: 9000, user: 'ann' }),
    /publishes no host port/,
  );
  t.throws(
    () => replicateRunSettings({ ...settings, ports: [['-p'], [{ env: 'PORT' }, ':80']] }, { count: 2, user: 'ann' }),
    /environment variable/,
  );
});

t.test('port specs: host port forms shift, specs without a host port stay', async (t) => {
  const byTen = (): number => 10;
  t.equal(shiftPortSpec('8080:80', byTen), '8090:80');
  t.equal(shiftPortSpec('0.0.0.0:8080:80/tcp', byTen), '0.0.0.0:8090:80/tcp');
  t.equal(shiftPortSpec('[::1]:8080:80', byTen), '[::1]:8090:80');
  t.equal(shiftPortSpec('127.0.0.1::80', byTen), '127.0.0.1::80');
  t.equal(shiftPortSpec('80', byTen), '80');
  t.throws(() => shiftPortSpec('65530:80', byTen), /passes 65535/);
});

t.test('docker create takes the run arguments without -d, --rm or -it', async (t) => {
  const foreground: RunSettings = { ...settings, detach: false, removeOnExit: true, interactive: [['-it']], ports: [] };
  t.same(runContainerArgs(foreground).slice(0, 1), ['run']);
  t.same(createContainerArgs(foreground), [
    'create',
    ['--init'],
    '--name',
    'ann_hello_24-01-02_03.04.05',
    '--label',
    'dockerutils.project=proj',
    '--label',
    'dockerutils.image=hello',
    'proj-hello:ann',
  ]);
});
