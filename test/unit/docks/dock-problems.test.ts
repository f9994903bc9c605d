import t from 'tap';
import { diagnoseDockProbe } from '../../../src/docks/dock-problems.js';

const box = { user: 'me', host: 'box' };

t.test('an engine that answered is no problem', async (t) => {
  t.equal(diagnoseDockProbe(box, 0, ''), undefined);
});

t.test('each failure of `ssh box docker version` is named, with its fix', async (t) => {
  const cases: [number, string, string, RegExp][] = [
    [
      255,
      'No ED25519 host key is known for box and you have requested strict checking.\r\nHost key verification failed.',
      'host-key-unknown',
      /--accept-new/,
    ],
    [
      255,
      '@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@\nHost key verification failed.',
      'host-key-changed',
      /ssh-keygen -R box/,
    ],
    [255, 'me@box: Permission denied (publickey).', 'login-refused', /ssh-copy-id me@box/],
    [255, 'ssh: connect to host box port 22: Connection refused', 'unreachable', /ssh me@box/],
    [255, 'kex_exchange_identification: read: Connection reset by peer', 'unreachable', /ssh me@box/],
    [127, 'bash: line 1: docker: command not found', 'no-docker', /apt-get install -y docker.io/],
    [
      1,
      'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock',
      'docker-permission',
      /usermod -aG docker me/,
    ],
    [
      1,
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
      'daemon-down',
      /systemctl start docker/,
    ],
    [3, 'something else\n', 'other', /ssh me@box docker version/],
  ];
  for (const [exitCode, stderr, kind, fix] of cases) {
    const problem = diagnoseDockProbe(box, exitCode, stderr);
    t.equal(problem?.kind, kind, stderr);
    t.match(problem?.fix, fix);
  }
});
