import t from 'tap';
import { imageNameProblem, imageTagProblem } from '../../../src/project/image-reference.js';

t.test("names by docker's reference grammar", async (t) => {
  for (const name of [
    'shop-dev',
    'jupyter/base-notebook',
    'a__b',
    'a.b-c',
    '127.0.0.1:5000/x/y',
    'localhost:5000/x',
    'registry.example.com/team/app',
  ]) {
    t.equal(imageNameProblem(name), undefined, name);
  }
  t.match(imageNameProblem('My Proj-dev'), /"My Proj-dev" may hold only lower-case letters/);
  t.match(imageNameProblem('shop-dev-'), /"shop-dev-" may hold only/);
  t.match(imageNameProblem('reg:notaport/x'), /"reg:notaport" is not a registry host/);
  t.match(imageNameProblem('a//b'), /empty part/);
  t.match(imageNameProblem(''), /empty/);
});

t.test("tags by docker's reference grammar", async (t) => {
  for (const tag of ['latest', 'v1.2.3', 'ann', 'A_b-c.d', 'x'.repeat(128)])
    t.equal(imageTagProblem(tag), undefined, tag);
  for (const tag of ['bad tag!', '.hidden', '-x', '', 'x'.repeat(129)]) t.ok(imageTagProblem(tag), tag);
});
