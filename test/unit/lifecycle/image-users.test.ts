import t from 'tap';
import type { ContainerSummary } from '../../../src/docker/containers.js';
import { containersUsingImage } from '../../../src/lifecycle/image-users.js';

function container(name: string, image: string): ContainerSummary {
  return { id: name, name, image, state: 'exited', status: '', ports: '', runningFor: '', createdAt: '', labels: {} };
}

const hex = '85bdb72b695d0123456789abcdef0123456789abcdef0123456789abcdef0123';

t.test('a container uses an image by any of its names or by its id', async (t) => {
  const containers = [
    container('by-tag', 'p-web:ann'),
    container('by-other-tag', 'web-alias:1'),
    container('by-full-id', `sha256:${hex}`),
    container('by-short-id', hex.slice(0, 12)),
    container('other-image', 'p-db:ann'),
    container('other-id', 'sha256:ffff' + hex.slice(4)),
    container('name-prefix', 'p-web:ann2'),
  ];
  t.same(
    containersUsingImage({ id: `sha256:${hex}`, tags: ['p-web:ann', 'web-alias:1'] }, containers).map((c) => c.name),
    ['by-tag', 'by-other-tag', 'by-full-id', 'by-short-id'],
  );
});

t.test('busybox, library/busybox:latest and docker.io/library/busybox:latest are one name', async (t) => {
  const image = { id: `sha256:${hex}`, tags: ['busybox:latest'] };
  t.same(
    containersUsingImage(image, [
      container('a', 'busybox'),
      container('b', 'docker.io/library/busybox:latest'),
      container('c', 'busybox:musl'),
    ]).map((c) => c.name),
    ['a', 'b'],
  );
});
