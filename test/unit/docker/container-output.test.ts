import t from 'tap';
import { attachContainerArgs } from '../../../src/docker/container-output.js';
import { configuredDetachKeys } from '../../../src/docks/engine-target.js';

t.test('docker attach: the detach keys always named; output only without a terminal', async (t) => {
  t.same(attachContainerArgs('web', { detachKeys: 'ctrl-p,ctrl-q', withInput: true }), [
    'attach',
    '--detach-keys',
    'ctrl-p,ctrl-q',
    'web',
  ]);
  t.same(attachContainerArgs('web', { detachKeys: 'ctrl-x,x', withInput: false }), [
    'attach',
    '--detach-keys',
    'ctrl-x,x',
    '--no-stdin',
    '--sig-proxy=false',
    'web',
  ]);
});

t.test("the detach keys of the docker CLI's config.json, when set", async (t) => {
  const set = t.testdir({ 'config.json': JSON.stringify({ detachKeys: 'ctrl-x,x' }) });
  t.equal(configuredDetachKeys({ DOCKER_CONFIG: set }), 'ctrl-x,x');
  const unset = t.testdir({ 'config.json': JSON.stringify({ auths: {} }) });
  t.equal(configuredDetachKeys({ DOCKER_CONFIG: unset }), undefined);
  t.equal(configuredDetachKeys({ DOCKER_CONFIG: '/nonexistent' }), undefined);
});
