import t from 'tap';
import type { ContainerSummary } from '../../../src/docker/containers.js';
import { parseImageDetails } from '../../../src/docker/image-inspect.js';
import { formatSize } from '../../../src/byte-units.js';
import { engineImageRows, projectImageRows } from '../../../src/commands/ls-images.js';
import { formatEngineImageTable, formatImageTable } from '../../../src/cli/output/tables.js';

const web: ContainerSummary = {
  id: 'x',
  name: 'ann_web_1',
  image: 'p-web:ann',
  state: 'running',
  status: '',
  ports: '',
  runningFor: '',
  createdAt: '',
  labels: { 'dockerutils.image': 'web' },
};

t.test('rows join the project images with the engine: built or not, and their containers', async (t) => {
  const details = parseImageDetails(
    '{"id":"sha256:1","tags":["p-web:ann","other:1"],"sizeBytes":4260000,"created":"2024-05-01T12:34:56.1Z","labels":{"org.opencontainers.image.version":"v1.2-3-g1a2b3c4"}}\n' +
      '{"id":"sha256:2","tags":["p-db:ann"],"sizeBytes":1000,"created":"2024-05-01T12:00:00Z","labels":null}\n',
  );
  const rows = projectImageRows(
    [
      { image: 'web', kind: 'buildable', reference: 'p-web:ann' },
      { image: 'db', kind: 'buildable', reference: 'p-db:ann' },
      { image: 'cache', kind: 'buildable', reference: 'p-cache:ann' },
      { image: 'web-debug', kind: 'synthetic', reference: 'p-web:ann' },
    ],
    details,
    [web],
  );
  t.same(rows, [
    {
      image: 'web',
      kind: 'buildable',
      reference: 'p-web:ann',
      containers: ['ann_web_1'],
      built: true,
      id: 'sha256:1',
      sizeBytes: 4260000,
      created: '2024-05-01T12:34:56.1Z',
      version: 'v1.2-3-g1a2b3c4',
    },
    {
      image: 'db',
      kind: 'buildable',
      reference: 'p-db:ann',
      containers: [],
      built: true,
      id: 'sha256:2',
      sizeBytes: 1000,
      created: '2024-05-01T12:00:00Z',
      version: null,
    },
    { image: 'cache', kind: 'buildable', reference: 'p-cache:ann', containers: [], built: false },
    {
      image: 'web-debug',
      kind: 'synthetic',
      reference: 'p-web:ann',
      containers: [],
      built: true,
      id: 'sha256:1',
      sizeBytes: 4260000,
      created: '2024-05-01T12:34:56.1Z',
      version: 'v1.2-3-g1a2b3c4',
    },
  ]);
  t.equal(
    formatImageTable(rows),
    [
      'IMAGE                  REFERENCE    VERSION          SIZE       CREATED           CONTAINERS',
      'web                    p-web:ann    v1.2-3-g1a2b3c4  4.26MB     2024-05-01 12:34  ann_web_1',
      'db                     p-db:ann     -                1kB        2024-05-01 12:00  -',
      'cache                  p-cache:ann  -                not built  -                 -',
      'web-debug (synthetic)  p-web:ann    v1.2-3-g1a2b3c4  4.26MB     2024-05-01 12:34  -',
      '',
    ].join('\n'),
  );
});

t.test('sizes in decimal units like docker', async (t) => {
  t.equal(formatSize(999), '999B');
  t.equal(formatSize(1985485), '1.99MB');
  t.equal(formatSize(1_200_000_000), '1.2GB');
});

t.test('--all: a row per name of every image, the project image it is, and the containers by name or id', async (t) => {
  const details = parseImageDetails(
    [
      '{"id":"sha256:aaaabbbbcccc1111","tags":["p-web:ann","other:1"],"sizeBytes":4260000,"created":"2024-05-01T12:34:56.1Z"}',
      '{"id":"sha256:ddddeeeeffff2222","tags":null,"sizeBytes":1000,"created":"2024-04-01T01:02:03Z"}',
    ].join('\n'),
  );
  const byId: ContainerSummary = { ...web, name: 'old_one', image: 'ddddeeeeffff', labels: {} };
  const rows = engineImageRows(
    [
      { image: 'web', kind: 'buildable', reference: 'p-web:ann' },
      { image: 'web-debug', kind: 'synthetic', reference: 'p-web:ann' },
    ],
    details,
    [web, byId],
  );
  t.same(
    rows.map((row) => [row.reference, row.image, row.containers]),
    [
      ['p-web:ann', 'web', ['ann_web_1']],
      ['other:1', null, ['ann_web_1']],
      [null, null, ['old_one']],
    ],
  );
  t.equal(
    formatEngineImageTable(rows),
    [
      'REFERENCE  IMAGE  ID            SIZE    CREATED           CONTAINERS',
      'p-web:ann  web    aaaabbbbcccc  4.26MB  2024-05-01 12:34  ann_web_1',
      'other:1    -      aaaabbbbcccc  4.26MB  2024-05-01 12:34  ann_web_1',
      '<none>     -      ddddeeeeffff  1kB     2024-04-01 01:02  old_one',
      '',
    ].join('\n'),
  );
});
