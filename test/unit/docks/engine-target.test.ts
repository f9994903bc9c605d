import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { isRemoteEndpoint, resolveEngineTarget } from '../../../src/docks/engine-target.js';

function dockerConfig(t: Test, contexts: Record<string, string>, current?: string): string {
  const meta: Record<string, { 'meta.json': string }> = {};
  for (const [name, host] of Object.entries(contexts)) {
    const digest = createHash('sha256').update(name).digest('hex');
    meta[digest] = { 'meta.json': JSON.stringify({ Name: name, Endpoints: { docker: { Host: host } } }) };
  }
  return t.testdir({ 'config.json': JSON.stringify(current ? { currentContext: current } : {}), contexts: { meta } });
}

t.test('local by default', async (t) => {
  t.same(resolveEngineTarget({ env: { DOCKER_CONFIG: dockerConfig(t, {}) } }), {
    endpoint: 'unix:///var/run/docker.sock',
    name: 'local',
    remote: false,
  });
});

t.test('DOCKER_HOST and DOCKER_IP', async (t) => {
  const config = dockerConfig(t, {});
  t.same(resolveEngineTarget({ env: { DOCKER_CONFIG: config, DOCKER_HOST: 'ssh://me@box' } }), {
    endpoint: 'ssh://me@box',
    name: 'ssh://me@box',
    remote: true,
  });
  t.same(resolveEngineTarget({ env: { DOCKER_CONFIG: config, DOCKER_HOST: 'unix:///tmp/d.sock' } }), {
    endpoint: 'unix:///tmp/d.sock',
    name: 'unix:///tmp/d.sock',
    remote: false,
  });
  t.equal(resolveEngineTarget({ env: { DOCKER_CONFIG: config, DOCKER_IP: '10.0.0.5' } }).remote, true);
});

t.test('contexts: --dock, DOCKER_CONTEXT and the current context', async (t) => {
  const config = dockerConfig(t, { gpu: 'ssh://me@gpu-box', sock: 'unix:///run/other.sock' }, 'gpu');
  t.same(resolveEngineTarget({ dock: 'gpu', env: { DOCKER_CONFIG: config } }), {
    context: 'gpu',
    endpoint: 'ssh://me@gpu-box',
    name: 'gpu',
    remote: true,
  });
  t.same(resolveEngineTarget({ env: { DOCKER_CONFIG: config } }), {
    endpoint: 'ssh://me@gpu-box',
    name: 'gpu',
    remote: true,
  });
  t.same(resolveEngineTarget({ env: { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'sock' } }), {
    endpoint: 'unix:///run/other.sock',
    name: 'sock',
    remote: false,
  });
  for (const local of ['local', 'default']) {
    t.same(resolveEngineTarget({ dock: local, env: { DOCKER_CONFIG: config } }), {
      context: 'default',
      endpoint: 'unix:///var/run/docker.sock',
      name: 'local',
      remote: false,
    });
  }
  t.equal(
    resolveEngineTarget({ dock: 'sock', env: { DOCKER_CONFIG: config } }).remote,
    false,
    'a context at a local socket is not remote: one meaning of remote, whoever asks',
  );
  t.throws(() => resolveEngineTarget({ dock: 'nope', env: { DOCKER_CONFIG: config } }), {
    message: 'no dock named "nope": `dock ls` lists them, `dock add nope ssh://user@host` adds one',
  });
});

t.test('remote endpoints', async (t) => {
  t.notOk(isRemoteEndpoint('unix:///var/run/docker.sock'));
  t.ok(isRemoteEndpoint('tcp://10.0.0.1:2376'));
  t.ok(isRemoteEndpoint('ssh://me@host:2222'));
});
