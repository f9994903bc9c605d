import t from 'tap';
import {
  createContextArgs,
  engineSummaryArgs,
  parseContextLines,
  parseEngineSummary,
  removeContextArgs,
  useContextArgs,
} from '../../../src/docker/contexts.js';
import { formatDockTable } from '../../../src/cli/output/tables.js';

t.test('context argv', async (t) => {
  t.same(createContextArgs('gpu', 'ssh://me@box', 'dock me@box'), [
    'context',
    'create',
    'gpu',
    '--description',
    'dock me@box',
    '--docker',
    'host=ssh://me@box',
  ]);
  t.same(removeContextArgs('gpu', false), ['context', 'rm', 'gpu']);
  t.same(removeContextArgs('gpu', true), ['context', 'rm', '--force', 'gpu']);
  t.same(useContextArgs('default'), ['context', 'use', 'default']);
  t.same(engineSummaryArgs, ['info', '--format', '{{.ServerVersion}}\t{{.ContainersRunning}}']);
});

t.test('parses docker context ls and docker info output', async (t) => {
  const output =
    '{"Current":true,"Description":"Current DOCKER_HOST based configuration","DockerEndpoint":"unix:///var/run/docker.sock","Error":"","Name":"default"}\n' +
    '{"Current":false,"Description":"dock me@box","DockerEndpoint":"ssh://me@box","Error":"","Name":"gpu"}\n';
  t.same(parseContextLines(output), [
    {
      name: 'default',
      endpoint: 'unix:///var/run/docker.sock',
      current: true,
      description: 'Current DOCKER_HOST based configuration',
    },
    { name: 'gpu', endpoint: 'ssh://me@box', current: false, description: 'dock me@box' },
  ]);
  t.same(parseEngineSummary('24.0.7\t3\n'), { version: '24.0.7', runningContainers: 3 });
  t.equal(parseEngineSummary('\t0\n'), undefined, 'no server version: no engine answered');
});

t.test('the dock table', async (t) => {
  t.equal(
    formatDockTable([
      {
        name: 'default',
        endpoint: 'unix:///var/run/docker.sock',
        active: true,
        state: 'answers',
        version: '20.10.24',
        runningContainers: 2,
        error: null,
        machine: null,
      },
      {
        name: 'gpu',
        endpoint: 'ssh://me@box',
        active: false,
        state: 'unreachable',
        version: null,
        runningContainers: null,
        error: 'no answer',
        machine: null,
      },
    ]),
    '   NAME     ENDPOINT                     STATE        VERSION   RUNNING\n' +
      '*  default  unix:///var/run/docker.sock  answers      20.10.24  2\n' +
      '   gpu      ssh://me@box                 unreachable  -         -\n',
  );
});

t.test('the dock table has a MACHINE column when a dock has a status command', async (t) => {
  const local = {
    name: 'default',
    endpoint: 'unix:///var/run/docker.sock',
    active: true,
    state: 'answers' as const,
    version: '20.10.24',
    runningContainers: 0,
    error: null,
    machine: null,
  };
  const gpu = {
    ...local,
    name: 'gpu',
    endpoint: 'ssh://me@box',
    active: false,
    state: 'unreachable' as const,
    version: null,
    runningContainers: null,
    error: 'no answer',
    machine: 'stopped',
  };
  t.equal(
    formatDockTable([local, gpu]),
    '   NAME     ENDPOINT                     STATE        VERSION   RUNNING  MACHINE\n' +
      '*  default  unix:///var/run/docker.sock  answers      20.10.24  0        -\n' +
      '   gpu      ssh://me@box                 unreachable  -         -        stopped\n',
  );
});
