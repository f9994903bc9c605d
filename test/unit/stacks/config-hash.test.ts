import t from 'tap';
import {
  configHash,
  decodeSettings,
  describeSettingsChanges,
  encodeSettings,
  shortImageId,
  withoutName,
} from '../../../src/stacks/config-hash.js';

t.test('the name does not count, everything else does', async (t) => {
  const argv = ['create', '--init', '--name', 'p_web_ann', '-p', '8080:80', 'p-web:ann'];
  t.same(withoutName(argv), ['create', '--init', '-p', '8080:80', 'p-web:ann']);
  t.same(withoutName(['create', '--name=x', 'img']), ['create', 'img']);
  const hash = configHash(argv, []);
  t.match(hash, /^sha256:[0-9a-f]{64}$/);
  t.equal(configHash(['create', '--init', '--name', 'other', '-p', '8080:80', 'p-web:ann'], []), hash);
  t.not(configHash(['create', '--init', '--name', 'p_web_ann', '-p', '8081:80', 'p-web:ann'], []), hash);
  t.not(configHash(argv, [['touch', '/x']]), hash, 'exec_commands count');
});

t.test('changes are named key by key', async (t) => {
  t.same(describeSettingsChanges({ ports: '-p 8080:80', cmd: 'a' }, { ports: '-p 8081:80', cmd: 'a', args: '--x' }), [
    'ports changed: -p 8080:80 -> -p 8081:80',
    'args changed: (none) -> --x',
  ]);
  t.same(describeSettingsChanges({ ports: '' }, { ports: '' }), []);
});

t.test('settings survive a label; anything else reads as none', async (t) => {
  const summary = { ports: '-p 1:2', volumes: '--mount type=volume,src=a,dst=/b' };
  const label = encodeSettings(summary);
  t.notMatch(label, /,/, 'no comma: docker ps splits label text on commas');
  t.same(decodeSettings(label), summary);
  t.equal(decodeSettings('not base64 json'), undefined);
  t.equal(decodeSettings(undefined), undefined);
  t.equal(shortImageId('sha256:1a2b3c4d5e6f7a8b9c0d'), 'sha256:1a2b3c4d5e6f...');
});
