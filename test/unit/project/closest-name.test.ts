import t from 'tap';
import { closestName, editDistance } from '../../../src/project/closest-name.js';

t.test('edit distance counts single-character edits', async (t) => {
  t.equal(editDistance('kitten', 'sitting'), 3);
  t.equal(editDistance('', 'abc'), 3);
  t.equal(editDistance('abc', ''), 3);
  t.equal(editDistance('same', 'same'), 0);
});

t.test('a swap of two neighbouring characters is one edit (optimal string alignment)', async (t) => {
  t.equal(editDistance('lgos', 'logs'), 1);
  t.equal(editDistance('lgos', 'ls'), 2);
  t.equal(editDistance('ab', 'ba'), 1);
  t.equal(editDistance('stpo', 'stop'), 1);
  // Optimal string alignment edits no substring twice: CA -> AC -> ABC is not allowed, so 3, not 2.
  t.equal(editDistance('ca', 'abc'), 3);
});

t.test('closest name suggests near typos only', async (t) => {
  t.equal(closestName('hellp', ['hello', 'dev', 'test']), 'hello');
  t.equal(closestName('DEV', ['hello', 'dev']), 'dev');
  t.equal(closestName('postgres', ['hello', 'dev']), undefined);
  t.equal(closestName('x', []), undefined);
});

t.test('a transposition wins over a shorter name at the same Levenshtein distance', async (t) => {
  // Levenshtein puts both at 2, and the earlier candidate would win the tie.
  t.equal(closestName('lgos', ['ls', 'logs']), 'logs');
  t.equal(closestName('lgos', ['ps', 'ls', 'images', 'logs', 'stats']), 'logs');
});
