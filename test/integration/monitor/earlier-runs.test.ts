// Runs of a container that ended before logs-all first saw it are bannered as far as the engine can tell.
import t from 'tap';
import {
  dockerOk,
  removeLabelled,
  requireEngine,
  runBin,
  testContainerArgs,
  testLabel,
  uniqueSuffix,
} from '../../helpers/engine.js';
import { entriesOf } from '../../helpers/log-files.js';

t.before(requireEngine);

t.test('a container started twice before logs-all saw it: both runs bannered, in order', async (t) => {
  const suffix = uniqueSuffix();
  const name = `earlier-${suffix}`;
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const dir = t.testdir();
  await dockerOk(testContainerArgs(suffix, name, ['sh', '-c', 'echo one; echo two']));
  await dockerOk(['wait', name], { timeoutMs: 20_000 });
  // Apart by more than the half second a process may print before docker records its start.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await dockerOk(['start', name]);
  await dockerOk(['wait', name], { timeoutMs: 20_000 });

  const result = await runBin('logs-all', ['--once', '--all', '--name', name, '--dir', dir, '-q'], {
    timeoutMs: 60_000,
  });
  t.equal(result.exitCode, 0, result.stderr);
  const entries = entriesOf(dir, name).map((entry) => (entry.kind === 'line' ? entry.line.text : entry.kind));
  t.same(entries, ['start', 'one', 'two', 'exit', 'start', 'one', 'two', 'exit']);
  const notes = entriesOf(dir, name).filter((entry) => entry.kind !== 'line');
  t.match(notes[0], { text: /ran before logs-all first saw it/ });
  t.match(notes[1], { text: /exited with an unknown code before .*, then started again/ });
  t.match(notes[3], { text: /exited with code 0, not OOM-killed/ });
});
