import t from 'tap';
import { expandWord, expandWords, wordText, type Variables } from '../../../src/project/words.js';

const variables: Variables = {
  named: { project_root: '/home/me/My Project', user: 'me', project: 'my project', home: '/home/me' },
  env: { SECRET: 's3 cret', HOME: '/home/me', EMPTY: '' },
};
const at = (value: string) => ({ value, path: 'docker/dockerutils.cfg', line: 7, section: 'dev', key: 'volumes' });

t.test('splits like a POSIX shell, quotes honoured', async (t) => {
  t.same(expandWords(at('sh -c "echo a; echo b"'), variables), [['sh'], ['-c'], ['echo a; echo b']]);
  t.same(expandWords(at("-e 'A=b c' x\\ y"), variables), [['-e'], ['A=b c'], ['x y']]);
});

t.test('shell syntax is literal text: nothing is run', async (t) => {
  t.same(
    expandWords(at('-v $(rm -rf ~):/x'), { ...variables, env: {} }).map((word) => wordText(word, {})),
    ['-v', '$(rm', '-rf', '~):/x'],
  );
  t.same(
    expandWords(at('a;b `id`'), variables).map((word) => wordText(word, {})),
    ['a;b', '`id`'],
  );
});

t.test('{named} variables are substituted inside a word, so spaces never split it', async (t) => {
  t.same(expandWords(at('-v {project_root}:/src -w /home/{user}'), variables), [
    ['-v'],
    ['/home/me/My Project:/src'],
    ['-w'],
    ['/home/me'],
  ]);
  t.same(expandWords(at('{{literal}}'), variables), [['{literal}']]);
});

t.test('$NAME and ${NAME} stay references until the argv is resolved', async (t) => {
  const words = expandWords(at('-e KEY=$SECRET -e B=${SECRET}x -v $HOME/.aws:/root/.aws $$ $EMPTY'), variables);
  t.same(words, [
    ['-e'],
    ['KEY=', { env: 'SECRET' }],
    ['-e'],
    ['B=', { env: 'SECRET' }, 'x'],
    ['-v'],
    [{ env: 'HOME' }, '/.aws:/root/.aws'],
    ['$'],
    [{ env: 'EMPTY' }],
  ]);
  t.same(
    words.map((word) => wordText(word, variables.env)),
    ['-e', 'KEY=s3 cret', '-e', 'B=s3 cretx', '-v', '/home/me/.aws:/root/.aws', '$', ''],
  );
});

t.test('expandWord takes the value whole', async (t) => {
  t.same(expandWord(at('a b "c"'), variables), ['a b "c"']);
});

t.test('clear errors name the file, line, section and key', async (t) => {
  t.throws(() => expandWords(at('-v {nope}:/x'), variables), {
    message:
      'docker/dockerutils.cfg:7 [dev] volumes: unknown variable {nope} (known: {project_root}, {user}, {project}, {home}; write {{ for a literal brace)',
  });
  t.throws(() => expandWords(at('-e X=$NOT_SET_ANYWHERE'), variables), {
    message: 'docker/dockerutils.cfg:7 [dev] volumes: environment variable $NOT_SET_ANYWHERE is not set',
  });
  t.throws(() => expandWords(at('sh -c "unclosed'), variables), {
    message: /docker\/dockerutils.cfg:7 \[dev\] volumes: cannot split into words/,
  });
});
