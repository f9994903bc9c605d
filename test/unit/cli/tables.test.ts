import t from 'tap';
import type { ContainerSummary } from '../../../src/docker/containers.js';
import { shortId } from '../../../src/docker/containers.js';
import { toContainerRecord } from '../../../src/commands/ls-containers.js';
import { formatContainerTable } from '../../../src/cli/output/tables.js';

const web: ContainerSummary = {
  id: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  name: 'me_web_24-01-02_03.04.05',
  image: 'shop-web:me',
  state: 'running',
  status: 'Up 3 minutes',
  ports: '0.0.0.0:8080->80/tcp',
  runningFor: '3 minutes ago',
  createdAt: '2024-01-02 03:04:05 +0000 UTC',
  labels: { 'dockerutils.project': 'shop', 'dockerutils.image': 'web' },
};
const job: ContainerSummary = {
  ...web,
  id: 'fedcba9876543210',
  name: 'job',
  image: 'busybox',
  state: 'exited',
  status: 'Exited (1) 2 hours ago',
  ports: '',
  runningFor: '2 hours ago',
  labels: {},
};

t.test('the table has one heading line and aligned columns', async (t) => {
  t.equal(
    formatContainerTable([web, job].map(toContainerRecord)),
    'NAME                      IMAGE        STATE    STATUS                  PORTS                 RUNNING FOR    ID\n' +
      'me_web_24-01-02_03.04.05  shop-web:me  running  Up 3 minutes            0.0.0.0:8080->80/tcp  3 minutes ago  0123456789ab\n' +
      'job                       busybox      exited   Exited (1) 2 hours ago                        2 hours ago    fedcba987654\n',
  );
});

t.test('swarm tasks add a NODE column: the dock each runs on', async (t) => {
  const task = { ...toContainerRecord(web), node: 'gpu' };
  t.equal(
    formatContainerTable([task, toContainerRecord(job)]),
    'NAME                      IMAGE        STATE    STATUS                  PORTS                 RUNNING FOR    ID            NODE\n' +
      'me_web_24-01-02_03.04.05  shop-web:me  running  Up 3 minutes            0.0.0.0:8080->80/tcp  3 minutes ago  0123456789ab  gpu\n' +
      'job                       busybox      exited   Exited (1) 2 hours ago                        2 hours ago    fedcba987654  -\n',
  );
});

t.test('an empty list is the heading alone', async (t) => {
  t.equal(formatContainerTable([]), 'NAME  IMAGE  STATE  STATUS  PORTS  RUNNING FOR  ID\n');
});

t.test('the JSON record has stable names and nulls for missing labels', async (t) => {
  t.same(Object.keys(toContainerRecord(web)), [
    'id',
    'shortId',
    'name',
    'image',
    'state',
    'status',
    'ports',
    'runningFor',
    'createdAt',
    'project',
    'projectImage',
    'labels',
    'node',
  ]);
  t.equal(toContainerRecord(web).project, 'shop');
  t.equal(toContainerRecord(web).projectImage, 'web');
  t.equal(toContainerRecord(job).project, null);
  t.equal(shortId(web.id), '0123456789ab');
});
