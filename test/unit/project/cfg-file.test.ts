import t from 'tap';
import { cfgBoolean, cfgKeys, getCfgValue, parseCfg as parseCfgWithProblems } from '../../../src/project/cfg-file.js';
import { UserError } from '../../../src/errors.js';

const parseCfg = (text: string, path: string): ReturnType<typeof parseCfgWithProblems>['cfg'] =>
  parseCfgWithProblems(text, path).cfg;

t.test('reads sections, keeps key case, accepts = and :', async (t) => {
  const cfg = parseCfg(
    '[dev]\npull_FROM_on_force = True\nports: -p 80:80\n# comment\n; comment\n\n[test]\ntag=latest\n',
    'x.cfg',
  );
  t.same([...cfg.sections.keys()], ['dev', 'test']);
  t.equal(getCfgValue(cfg, 'dev', 'pull_FROM_on_force')?.value, 'True');
  t.equal(getCfgValue(cfg, 'dev', 'pull_from_on_force'), undefined, 'keys are case-sensitive, as with optionxform=str');
  t.equal(getCfgValue(cfg, 'dev', 'ports')?.value, '-p 80:80');
  t.equal(getCfgValue(cfg, 'test', 'tag')?.line, 8);
});

t.test('joins indented continuation lines, across blank and comment lines', async (t) => {
  const cfg = parseCfg('[dev]\nvolumes=-v /a:/a\n    -v /b:/b\n\n    # note\n    -v /c:/c\nports=-p 1:1\n', 'x.cfg');
  t.equal(getCfgValue(cfg, 'dev', 'volumes')?.value, '-v /a:/a\n-v /b:/b\n-v /c:/c');
  t.equal(getCfgValue(cfg, 'dev', 'ports')?.value, '-p 1:1');
});

t.test('[DEFAULT] keys are inherited and listed', async (t) => {
  const cfg = parseCfg('[DEFAULT]\nnetwork=host\n[dev]\ntag=x\n', 'x.cfg');
  t.equal(getCfgValue(cfg, 'dev', 'network')?.value, 'host');
  t.same(cfgKeys(cfg, 'dev'), ['tag', 'network']);
  t.notOk(cfg.sections.has('DEFAULT'));
});

t.test('configparser interpolation: %% and %(key)s', async (t) => {
  const cfg = parseCfg('[dev]\nbase=/data\nvolumes=-v %(base)s/x:/x\ncmd=date +%%s\n', 'x.cfg');
  t.equal(getCfgValue(cfg, 'dev', 'volumes')?.value, '-v /data/x:/x');
  t.equal(getCfgValue(cfg, 'dev', 'cmd')?.value, 'date +%s');
  const lone = parseCfg('[dev]\ncmd=date +%s\n', 'x.cfg');
  t.throws(() => getCfgValue(lone, 'dev', 'cmd'), { message: /x\.cfg:2 \[dev\] cmd: a lone "%" must be written "%%"/ });
  const missing = parseCfg('[dev]\ncmd=%(nope)s\n', 'x.cfg');
  t.throws(() => getCfgValue(missing, 'dev', 'cmd'), { message: /%\(nope\)s names no key of \[dev\]/ });
});

t.test('every syntax problem is collected, with its line', async (t) => {
  const text = 'orphan=1\n[dev]\njust words\ntag=a\ntag=b\n[dev]\n';
  t.same(parseCfgWithProblems(text, 'docker/dockerutils.cfg').problems, [
    { line: 1, message: '"orphan=1" comes before any [section] header' },
    { line: 3, message: 'expected "[section]" or "key = value", found: just words' },
    { line: 5, message: 'key "tag" appears twice in its section' },
    { line: 6, message: 'section [dev] appears twice' },
  ]);
});

t.test("yes and no are configparser's getboolean words, any case; others name their place", async (t) => {
  const cfg = parseCfg('[dev]\na=YES\nb=on\nc=1\nd=False\ne=off\nf=0\ng=F\n', 'x.cfg');
  for (const key of ['a', 'b', 'c']) t.equal(cfgBoolean(getCfgValue(cfg, 'dev', key)!), true, key);
  for (const key of ['d', 'e', 'f']) t.equal(cfgBoolean(getCfgValue(cfg, 'dev', key)!), false, key);
  const error = t.throws(() => cfgBoolean(getCfgValue(cfg, 'dev', 'g')!)) as UserError;
  t.type(error, UserError);
  t.match(
    error.message,
    /^x\.cfg:8 \[dev\] g: "F" is not a yes or no: write one of 1\/yes\/true\/on or 0\/no\/false\/off$/,
  );
});

t.test('an empty file is an empty cfg', async (t) => {
  t.equal(parseCfg('', 'x.cfg').sections.size, 0);
});
