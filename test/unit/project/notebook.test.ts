import t from 'tap';
import { runContainerArgs } from '../../../src/docker/containers.js';
import { pullImageArgs } from '../../../src/docker/registry.js';
import { portForwardArgs } from '../../../src/docker/port-forward.js';
import { notebookRunSettings, notebookUrl, withoutContainerPort } from '../../../src/project/notebook.js';
import type { RunSettings } from '../../../src/project/run-settings.js';
import { literalWord, type Word } from '../../../src/project/words.js';

const words = (...texts: string[]): Word[] => texts.map(literalWord);

t.test("the server's URL, rewritten to the port it opens on", async (t) => {
  t.equal(
    notebookUrl('[I 12:00:00.000 ServerApp] http://4f5c0e8d3e0b:8888/lab?token=abc123', '127.0.0.1', 9000),
    'http://127.0.0.1:9000/lab?token=abc123',
  );
  t.equal(
    notebookUrl('        http://127.0.0.1:8888/lab?token=abc123', '127.0.0.1', 8889),
    'http://127.0.0.1:8889/lab?token=abc123',
  );
  t.equal(
    notebookUrl('[I NotebookApp] http://(d1e2f3 or 127.0.0.1):8888/?token=f00', 'gpu-box', 8888),
    'http://gpu-box:8888/?token=f00',
    "the classic notebook's form",
  );
  t.equal(notebookUrl('http://[::1]:8888/lab', '127.0.0.1', 1234), 'http://127.0.0.1:1234/lab', 'no token, IPv6');
  t.equal(notebookUrl('https://host:8888', 'h', 1), 'https://h:1/');
  t.equal(notebookUrl('Serving notebooks from local directory: /home/jovyan', 'h', 1), undefined);
  t.equal(notebookUrl('see http://127.0.0.1:6006/ for TensorBoard', 'h', 1), undefined, 'another port');
  t.equal(notebookUrl('file:///home/jovyan/.local/share/jupyter/runtime/jpserver-7-open.html', 'h', 1), undefined);
});

t.test("the section's own publication of the notebook port gives way", async (t) => {
  t.same(
    withoutContainerPort(words('-p', '8888:8888', '-p', '6006:6006', '--publish', '127.0.0.1:9999:8888/tcp'), 8888),
    words('-p', '6006:6006'),
  );
  t.same(withoutContainerPort(words('-p8888:8888', '--publish=8888', '-p', '1:2'), 8888), words('-p', '1:2'));
  const secret: Word = [{ env: 'PORT' }, ':8888'];
  t.same(
    withoutContainerPort([literalWord('-p'), secret], 8888),
    [literalWord('-p'), secret],
    'words with variables stay',
  );
});

t.test('the notebook run: detached, removed on stop, work folder and port added to the section', async (t) => {
  const settings: RunSettings = {
    image: 'notebook',
    reference: 'jupyter/base-notebook:latest',
    containerName: 'ann_notebook_1',
    labels: { 'dockerutils.project': 'p', 'dockerutils.image': 'notebook' },
    init: words('--init'),
    environment: words('-e', 'A=1'),
    detach: true,
    removeOnExit: false,
    interactive: [],
    gpu: [],
    volumes: words('-v', '/data:/data'),
    ports: words('-p', '8888:8888', '-p', '6006:6006'),
    extraArgs: [],
    command: [],
  };
  t.same(
    runContainerArgs(
      notebookRunSettings(settings, {
        hostPort: 8890,
        workFolder: '/home/ann/proj',
        passedVariables: ['RESERO_JUPYTER_DIFFS'],
      }),
    ),
    [
      'run',
      ['--init'],
      '--name',
      'ann_notebook_1',
      '--label',
      'dockerutils.project=p',
      '--label',
      'dockerutils.image=notebook',
      ['-e'],
      ['A=1'],
      ['-e'],
      ['RESERO_JUPYTER_DIFFS'],
      '--rm',
      '-d',
      ['-v'],
      ['/data:/data'],
      ['-v'],
      ['/home/ann/proj:/home/jovyan/work'],
      ['-p'],
      ['6006:6006'],
      ['-p'],
      ['8890:8888'],
      'jupyter/base-notebook:latest',
    ],
  );
  const onDock = runContainerArgs(notebookRunSettings(settings, { hostPort: 8888, passedVariables: [] }));
  t.notOk(JSON.stringify(onDock).includes('/home/jovyan/work'), 'no work folder on a dock');
});

t.test('the pull and the forward', async (t) => {
  t.same(pullImageArgs('jupyter/base-notebook:latest'), ['pull', 'jupyter/base-notebook:latest']);
  t.same(portForwardArgs('forward', { user: 'me', host: 'gpu', port: 2222 }, 8888, 8890), [
    '-O',
    'forward',
    '-L',
    '127.0.0.1:8888:127.0.0.1:8890',
    '-l',
    'me',
    '-p',
    '2222',
    '--',
    'gpu',
  ]);
  t.same(portForwardArgs('cancel', { host: 'gpu' }, 1, 2), [
    '-O',
    'cancel',
    '-L',
    '127.0.0.1:1:127.0.0.1:2',
    '--',
    'gpu',
  ]);
});
