import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { isRemoteEndpoint, resolveEngineTarget } from '../../../src/docker/engine-target.js';

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
    remote: false,
  });
});

t.test('DOCKER_HOST and DOCKER_IP', async (t) => {
  const config = dockerConfig(t, {});
  t.same(resolveEngineTarget({ env: { DOCKER_CONFIG: config, DOCKER_HOST: 'ssh://me@box' } }), {
    endpoint: 'ssh://me@box',
    remote: true,
  });
  t.same(resolveEngineTarget({ env: { DOCKER_CONFIG: config, DOCKER_HOST: 'unix:///tmp/d.sock' } }), {
    endpoint: 'unix:///tmp/d.sock',
    remote: false,
  });
  t.equal(resolveEngineTarget({ env: { DOCKER_CONFIG: config, DOCKER_IP: '10.0.0.5' } }).remote, true);
});

t.test('contexts: --dock, DOCKER_CONTEXT and the current context', async (t) => {
  const config = dockerConfig(t, { gpu: 'ssh://me@gpu-box', sock: 'unix:///run/other.sock' }, 'gpu');
  t.same(resolveEngineTarget({ dock: 'gpu', env: { DOCKER_CONFIG: config } }), {
    context: 'gpu',
    endpoint: 'ssh://me@gpu-box',
    remote: true,
  });
  t.same(resolveEngineTarget({ env: { DOCKER_CONFIG: config } }), { endpoint: 'ssh://me@gpu-box', remote: true });
  t.same(resolveEngineTarget({ env: { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'sock' } }), {
    endpoint: 'unix:///run/other.sock',
    remote: false,
  });
  t.same(resolveEngineTarget({ dock: 'default', env: { DOCKER_CONFIG: config, DOCKER_HOST: 'ssh://x' } }), {
    endpoint: 'unix:///var/run/docker.sock',
    remote: false,
  });
  t.throws(() => resolveEngineTarget({ dock: 'nope', env: { DOCKER_CONFIG: config } }), {
    message: 'no dock named "nope": `dock ls` lists them, `dock add` adds one',
  });
});

t.test('remote endpoints', async (t) => {
  t.notOk(isRemoteEndpoint('unix:///var/run/docker.sock'));
  t.ok(isRemoteEndpoint('tcp://10.0.0.1:2376'));
  t.ok(isRemoteEndpoint('ssh://me@host:2222'));
});
