import type { SwarmNode } from '../../src/swarm/swarm-node.js';
import type { ServiceSpec } from '../../src/swarm/service-spec.js';

/** A ready, active worker node, with what a test overrides. */
export function node(overrides: Partial<SwarmNode> = {}): SwarmNode {
  return {
    id: 'n1',
    hostname: 'vm',
    role: 'worker',
    availability: 'active',
    state: 'ready',
    address: '10.0.0.2',
    engineVersion: '20.10.24',
    leader: false,
    labels: {},
    engineLabels: {},
    os: 'linux',
    architecture: 'x86_64',
    ...overrides,
  };
}

/** A service spec, with what a test overrides. */
export function spec(overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name: 'shop_web',
    image: 'sha256:aaa',
    reference: 'shop-web:me',
    replicas: 2,
    maxPerNode: 1,
    constraints: ['node.labels.gpu==true'],
    ports: [{ published: 8080, target: 80, protocol: 'tcp', mode: 'host' }],
    mounts: [{ type: 'volume', source: 'data', target: '/data', readOnly: false }],
    environment: [
      { name: 'MODE', value: ['dev'] },
      { name: 'TOKEN', value: [{ env: 'API_TOKEN' }] },
    ],
    command: [['serve'], ['--port'], ['80']],
    labels: { 'dockerutils.project': 'shop', 'dockerutils.image': 'web', 'dockerutils.reference': 'shop-web:me' },
    containerLabels: { 'dockerutils.project': 'shop', 'dockerutils.image': 'web' },
    network: 'shop_swarm',
    init: true,
    updateOrder: 'start-first',
    endpointMode: 'vip',
    ...overrides,
  };
}
