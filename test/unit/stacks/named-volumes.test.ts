import t from 'tap';
import { scopeNamedVolumes } from '../../../src/stacks/named-volumes.js';

const rename = (name: string): string => `proj_${name}`;

t.test('named volumes are renamed; host paths, anonymous volumes and other mounts are not', async (t) => {
  const words = [
    '-v',
    'data:/var/lib/data',
    '-v',
    '/host/path:/src:ro',
    '-v',
    './rel:/rel',
    '-v',
    '/anonymous',
    '--volume=cache:/cache:rw',
    '-vlogs:/logs',
    '--mount',
    'type=volume,src=data,dst=/again',
    '--mount=source=plain,target=/p',
    '--mount',
    'type=bind,src=/etc,dst=/etc2',
    '--mount',
    'type=tmpfs,dst=/tmp',
  ].map((text) => [text]);
  const scoped = scopeNamedVolumes(words, rename);
  t.same(
    scoped.words.map((word) => word.join('')),
    [
      '-v',
      'proj_data:/var/lib/data',
      '-v',
      '/host/path:/src:ro',
      '-v',
      './rel:/rel',
      '-v',
      '/anonymous',
      '--volume=proj_cache:/cache:rw',
      '-vproj_logs:/logs',
      '--mount',
      'type=volume,src=proj_data,dst=/again',
      '--mount=source=proj_plain,target=/p',
      '--mount',
      'type=bind,src=/etc,dst=/etc2',
      '--mount',
      'type=tmpfs,dst=/tmp',
    ],
  );
  t.same(scoped.names, ['data', 'cache', 'logs', 'plain']);
});

t.test('a word from an environment variable is left as it is', async (t) => {
  const scoped = scopeNamedVolumes([['-v'], [{ env: 'SOURCE' }, ':/x']], rename);
  t.same(scoped.words, [['-v'], [{ env: 'SOURCE' }, ':/x']]);
  t.same(scoped.names, []);
});
