import t from 'tap';
import { describeDestination, parseSshEndpoint, sshDestinationArgs } from '../../../src/docker/ssh-destination.js';

t.test('parses ssh://[user@]host[:port]', async (t) => {
  t.same(parseSshEndpoint('ssh://me@gpu-box:2222'), { user: 'me', host: 'gpu-box', port: 2222 });
  t.same(parseSshEndpoint('ssh://gpu-box'), { host: 'gpu-box' });
  t.same(parseSshEndpoint('ssh://root@[fd00::2]'), { user: 'root', host: 'fd00::2' });
});

t.test('refuses anything else, saying the form', async (t) => {
  for (const bad of ['gpu-box', 'tcp://host:2375', 'ssh://me:secret@host', 'ssh://host/path', 'ssh://']) {
    t.throws(() => parseSshEndpoint(bad), { name: 'UserError', message: /ssh:\/\/\[user@\]host\[:port\]/ }, bad);
  }
});

t.test("ssh arguments name the destination as docker's own helper does", async (t) => {
  t.same(sshDestinationArgs({ user: 'me', host: 'box', port: 2222 }), ['-l', 'me', '-p', '2222', '--', 'box']);
  t.same(sshDestinationArgs({ host: 'alias' }), ['--', 'alias']);
  t.equal(describeDestination({ user: 'me', host: 'box', port: 2222 }), 'me@box:2222');
  t.equal(describeDestination({ host: 'box' }), 'box');
});
