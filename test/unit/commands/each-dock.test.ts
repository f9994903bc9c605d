import t from 'tap';
import { isSeveralDocks, refuseServiceOnSeveralDocks } from '../../../src/commands/each-dock.js';
import { UserError } from '../../../src/errors.js';

t.test('several docks: more than one name, or all', async (t) => {
  t.notOk(isSeveralDocks([]));
  t.notOk(isSeveralDocks(['gpu']));
  t.ok(isSeveralDocks(['gpu', 'cpu']));
  t.ok(isSeveralDocks(['all']));
});

t.test('--service with several docks is a usage error naming the service', async (t) => {
  t.doesNotThrow(() => refuseServiceOnSeveralDocks({}));
  t.throws(() => refuseServiceOnSeveralDocks({ service: 'app_web' }), UserError);
  t.throws(() => refuseServiceOnSeveralDocks({ service: 'app_web' }), { message: /^--service app_web .*one --dock/ });
});
