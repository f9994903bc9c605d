import t from 'tap';
import { dockerOk, requireEngine, runBin, uniqueSuffix } from '../../helpers/engine.js';

t.before(requireEngine);

const jsonFields = ['name', 'endpoint', 'active', 'state', 'version', 'runningContainers', 'error', 'machine'];

t.test('dock ls: a dock whose sshd refuses the connection is a row of its own, the others answer', async (t) => {
  const suffix = uniqueSuffix();
  // Contexts of a private docker configuration: the user's own docks are neither listed nor touched.
  const env = { ...process.env, DOCKER_CONFIG: t.testdir(), NO_COLOR: '1' };
  const refused = `refused-${suffix}`;
  const healthy = `healthy-${suffix}`;
  const localHost = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  // Nothing listens on port 1: the connection is refused at once.
  await dockerOk(['context', 'create', refused, '--docker', 'host=ssh://root@127.0.0.1:1'], { env });
  await dockerOk(['context', 'create', healthy, '--docker', `host=${localHost}`], { env });

  const table = await runBin('dock', ['ls'], { env, timeoutMs: 60_000 });
  t.equal(table.exitCode, 0, table.stderr);
  const rows = table.stdout.trimEnd().split('\n');
  t.match(rows[0], /^\s+NAME\s+ENDPOINT\s+STATE\s+VERSION\s+RUNNING$/);
  t.equal(rows.length, 4, 'a header and one row per dock');
  t.match(table.stdout, /^\*\s+default\s+\S+\s+answers\s+\d+\.\S+\s+\d+$/m, 'the active engine answers');
  t.match(table.stdout, new RegExp(`^\\s+${healthy}\\s+${localHost}\\s+answers\\s+\\d+\\.\\S+\\s+\\d+$`, 'm'));
  t.match(table.stdout, new RegExp(`^\\s+${refused}\\s+ssh://root@127\\.0\\.0\\.1:1\\s+unreachable\\s+-\\s+-$`, 'm'));

  const json = await runBin('dock', ['ls', '--json'], { env, timeoutMs: 60_000 });
  t.equal(json.exitCode, 0, json.stderr);
  const docks = JSON.parse(json.stdout) as Record<string, unknown>[];
  t.same(
    docks.map((dock) => dock.name),
    ['default', healthy, refused],
  );
  for (const dock of docks)
    t.same(Object.keys(dock).sort(), [...jsonFields].sort(), `${String(dock.name)}: every field`);
  for (const name of ['default', healthy]) {
    t.match(
      docks.find((dock) => dock.name === name),
      { state: 'answers', version: /^\d+\./, runningContainers: Number, error: null },
      `${name} answers`,
    );
  }
  const refusedRow = docks.find((dock) => dock.name === refused);
  t.match(refusedRow, {
    endpoint: 'ssh://root@127.0.0.1:1',
    active: false,
    state: 'unreachable',
    version: null,
    runningContainers: null,
  });
  t.match(refusedRow?.error, /Connection refused/, "the reason, in ssh's words");
});
