import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { sshControlDir, sshReuseEnvironment, sshWrapperScript } from '../../../src/docker/ssh-reuse.js';

t.test("the wrapper runs the real ssh with connection sharing in front of the caller's options", async (t) => {
  t.equal(
    sshWrapperScript('/usr/bin/ssh', '/run/user/1000/dockerutils-ssh-1000'),
    '#!/bin/sh\nexec /usr/bin/ssh -o ControlMaster=auto -o ControlPath=/run/user/1000/dockerutils-ssh-1000/%C -o ControlPersist=60 -o StreamLocalBindUnlink=yes "$@"\n',
  );
});

t.test('the environment puts the wrapper first on PATH, in a private folder, once', async (t) => {
  const runtime = t.testdir({ bin: {} });
  const env = sshReuseEnvironment({ PATH: '/usr/bin:/bin', XDG_RUNTIME_DIR: runtime });
  const uid = process.getuid!();
  const controlDir = join(runtime, `dockerutils-ssh-${uid}`);
  const [wrapperDir, ...rest] = env.PATH!.split(':');
  t.match(wrapperDir, `${controlDir}/bin-`);
  t.same(rest, ['/usr/bin', '/bin']);
  t.equal(statSync(controlDir).mode & 0o777, 0o700);
  t.match(readFileSync(join(wrapperDir!, 'ssh'), 'utf8'), 'exec /usr/bin/ssh -o ControlMaster=auto');
  const again = sshReuseEnvironment(env);
  t.equal(again.PATH, env.PATH, 'applying it twice neither nests nor repeats the wrapper');
  t.equal(
    sshReuseEnvironment({ PATH: '/usr/bin', XDG_RUNTIME_DIR: runtime, DOCKERUTILS_SSH_REUSE: '0' }).PATH,
    '/usr/bin',
    'the opt-out',
  );
  t.equal(
    sshControlDir({ XDG_RUNTIME_DIR: runtime, DOCKERUTILS_SSH_REUSE: '0' }),
    undefined,
    'no control folder either: nothing (an engine forward) rides a shared connection',
  );
});
