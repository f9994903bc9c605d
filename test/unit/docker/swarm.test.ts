import t from 'tap';
import type { CommandContext } from '../../../src/docker/exec.js';
import {
  inspectNodesArgs,
  joinTokenArgs,
  parseNodes,
  parseSwarmState,
  removeNodeArgs,
  swarmInitArgs,
  swarmJoinCommandLine,
  swarmJoinRequest,
  swarmLeaveArgs,
} from '../../../src/docker/swarm.js';

const context = (name: string, contextName?: string): CommandContext => ({
  cwd: '/',
  env: {},
  target: { ...(contextName ? { context: contextName } : {}), endpoint: 'ssh://x', remote: true, name },
  dryRun: false,
  echo: () => {},
});

t.test('swarm verbs as argv', async (t) => {
  t.same(swarmInitArgs(), ['swarm', 'init']);
  t.same(swarmInitArgs('10.0.0.1'), ['swarm', 'init', '--advertise-addr', '10.0.0.1']);
  t.same(joinTokenArgs('worker'), ['swarm', 'join-token', '-q', 'worker']);
  t.same(swarmLeaveArgs(false), ['swarm', 'leave']);
  t.same(swarmLeaveArgs(true), ['swarm', 'leave', '--force']);
  t.same(inspectNodesArgs(['a', 'b']), ['node', 'inspect', 'a', 'b']);
  t.same(removeNodeArgs('a', true), ['node', 'rm', '--force', 'a']);
});

t.test('the join is echoed with the token fetched inside the line, never its value', async (t) => {
  t.equal(
    swarmJoinCommandLine(context('gpu', 'gpu'), context('local'), 'manager', '10.0.0.1:2377'),
    'docker --context gpu swarm join --token "$(docker swarm join-token -q manager)" 10.0.0.1:2377',
  );
  t.same(swarmJoinRequest('SWMTKN-1-abc', '10.0.0.1:2377'), {
    ListenAddr: '0.0.0.0:2377',
    AdvertiseAddr: '',
    RemoteAddrs: ['10.0.0.1:2377'],
    JoinToken: 'SWMTKN-1-abc',
  });
});

t.test("docker info's swarm part", async (t) => {
  t.same(
    parseSwarmState(
      '{"NodeID":"","NodeAddr":"","LocalNodeState":"inactive","ControlAvailable":false,"Error":"","RemoteManagers":null}\n',
    ),
    { state: 'inactive', nodeId: '', nodeAddress: '', isManager: false, error: '' },
  );
  t.same(
    parseSwarmState(
      '{"NodeID":"n1","NodeAddr":"10.0.0.1","LocalNodeState":"active","ControlAvailable":true,"Error":"","Cluster":{"ID":"c1"}}',
    ),
    { state: 'active', nodeId: 'n1', nodeAddress: '10.0.0.1', isManager: true, clusterId: 'c1', error: '' },
  );
  t.equal(parseSwarmState('null'), undefined, 'an engine without swarm mode has no Swarm part');
  t.equal(parseSwarmState('{}'), undefined);
  t.equal(parseSwarmState('not json'), undefined);
});

t.test('docker node inspect', async (t) => {
  const [node] = parseNodes(
    JSON.stringify([
      {
        ID: 'n1',
        Spec: { Role: 'manager', Availability: 'active', Labels: { gpu: 'true' } },
        Description: {
          Hostname: 'vm',
          Platform: { OS: 'linux', Architecture: 'x86_64' },
          Engine: { EngineVersion: '20.10.24', Labels: null },
        },
        Status: { State: 'ready', Addr: '10.0.0.1' },
        ManagerStatus: { Leader: true, Addr: '10.0.0.1:2377' },
      },
    ]),
  );
  t.same(node, {
    id: 'n1',
    hostname: 'vm',
    role: 'manager',
    availability: 'active',
    state: 'ready',
    address: '10.0.0.1',
    engineVersion: '20.10.24',
    leader: true,
    managerAddress: '10.0.0.1:2377',
    labels: { gpu: 'true' },
    engineLabels: {},
    os: 'linux',
    architecture: 'x86_64',
  });
});
