import t from 'tap';
import { parseCfg } from '../../../src/project/cfg-file.js';
import { readServiceKeys } from '../../../src/project/service-keys.js';
import { checkCfg } from '../../../src/project/cfg-checks.js';

t.test('defaults where the section says nothing', async (t) => {
  const { cfg } = parseCfg('[web]\n', 'x.cfg');
  t.same(readServiceKeys(cfg, 'web'), {
    replicas: 1,
    maxPerNode: 0,
    placement: [],
    publishMode: 'ingress',
    updateOrder: 'stop-first',
    endpointMode: 'vip',
  });
});

t.test('every key read, placement one a line or comma-separated', async (t) => {
  const { cfg } = parseCfg(
    '[web]\nreplicas = 3\nmax_per_node = 1\nplacement = node.labels.gpu==true, node.role == worker\n  node.platform.os==linux\npublish_mode = host\nupdate_order = start-first\nendpoint_mode = dnsrr\n',
    'x.cfg',
  );
  t.same(readServiceKeys(cfg, 'web'), {
    replicas: 3,
    maxPerNode: 1,
    placement: ['node.labels.gpu==true', 'node.role == worker', 'node.platform.os==linux'],
    publishMode: 'host',
    updateOrder: 'start-first',
    endpointMode: 'dnsrr',
  });
});

t.test('bad values are reported with the rest of the cfg, each with its line', async (t) => {
  const { cfg, problems } = parseCfg('[web]\nreplicas = two\npublish_mode = mesh\nupdate_order = first\n', 'x.cfg');
  t.throws(() => checkCfg(cfg, problems, {}), {
    message:
      'x.cfg:2 [web] replicas: "two" is not a whole number\n' +
      'x.cfg:3 [web] publish_mode: "mesh" is not one of ingress, host\n' +
      'x.cfg:4 [web] update_order: "first" is not one of stop-first, start-first',
  });
});
