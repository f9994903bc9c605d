import t from 'tap';
import { closestName, editDistance } from '../../../src/project/closest-name.js';

t.test('edit distance counts single-character edits', async (t) => {
  t.equal(editDistance('kitten', 'sitting'), 3);
  t.equal(editDistance('', 'abc'), 3);
  t.equal(editDistance('same', 'same'), 0);
});

t.test('closest name suggests near typos only', async (t) => {
  t.equal(closestName('hellp', ['hello', 'dev', 'test']), 'hello');
  t.equal(closestName('DEV', ['hello', 'dev']), 'dev');
  t.equal(closestName('postgres', ['hello', 'dev']), undefined);
  t.equal(closestName('x', []), undefined);
});
