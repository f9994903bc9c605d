import t from 'tap';
import { runInDependencyOrder, ScheduleFailure } from '../../../src/stacks/dependency-schedule.js';

const units = [
  { key: 'db', after: [] },
  { key: 'cache', after: [] },
  { key: 'api', after: ['db', 'cache'] },
  { key: 'web', after: ['api'] },
  { key: 'tool', after: [] },
];
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

t.test('each unit starts after what it comes after, at most `limit` at a time', async (t) => {
  const events: string[] = [];
  let running = 0;
  let most = 0;
  await runInDependencyOrder(units, 2, async (unit) => {
    running++;
    most = Math.max(most, running);
    events.push(`start ${unit.key}`);
    await tick();
    events.push(`end ${unit.key}`);
    running--;
  });
  t.equal(most, 2);
  const at = (event: string): number => events.indexOf(event);
  t.ok(at('start api') > at('end db') && at('start api') > at('end cache'));
  t.ok(at('start web') > at('end api'));
  t.equal(events.length, 10);
});

t.test('a failure stops the run there: dependents never start, the error names them', async (t) => {
  const started: string[] = [];
  const failure = await runInDependencyOrder(units, 1, async (unit) => {
    started.push(unit.key);
    await tick();
    if (unit.key === 'api') throw new Error('api broke');
  }).catch((error: unknown) => error);
  t.type(failure, ScheduleFailure);
  const scheduleFailure = failure as ScheduleFailure;
  t.equal(scheduleFailure.failedKey, 'api');
  t.equal((scheduleFailure.cause as Error).message, 'api broke');
  t.notOk(started.includes('web'));
  t.ok(scheduleFailure.notStarted.includes('web'));
});
