import t from 'tap';
import { placeImages } from '../../../src/stacks/engine-placement.js';
import type { StackImage } from '../../../src/stacks/stack-definition.js';

const where = { path: 'docker/dockerutils.cfg', line: 3, section: 'train', key: 'docks', value: 'gpu2, gpu1' };
const images: StackImage[] = [
  { image: 'db', dependsOn: [], uses: [] },
  { image: 'web', dependsOn: ['db'], uses: [] },
  { image: 'train', dependsOn: ['db'], uses: [], docks: { names: ['gpu2', 'gpu1'], where } },
];

t.test("images without docks run on the command's engine; the others on each of their docks", async (t) => {
  t.same(placeImages(images, ['db', 'web', 'train']), [
    { images: ['db', 'web'] },
    { dock: 'gpu1', images: ['train'] },
    { dock: 'gpu2', images: ['train'] },
  ]);
  t.same(placeImages(images, ['train']), [
    { dock: 'gpu1', images: ['train'] },
    { dock: 'gpu2', images: ['train'] },
  ]);
});
