import type { SwarmNode } from './swarm-node.js';

// The node attributes docker's placement constraints test (docs: service create --constraint).
function attribute(node: SwarmNode, key: string): string | undefined {
  if (key.startsWith('node.labels.')) return node.labels[key.slice('node.labels.'.length)];
  if (key.startsWith('engine.labels.')) return node.engineLabels[key.slice('engine.labels.'.length)];
  const fields: Record<string, string> = {
    'node.id': node.id,
    'node.hostname': node.hostname,
    'node.role': node.role,
    'node.platform.os': node.os,
    'node.platform.arch': node.architecture,
  };
  return fields[key];
}

const knownKey = /^(node\.(id|hostname|role|platform\.os|platform\.arch|labels\..+)|engine\.labels\..+)$/;

/**
 * Whether a node meets every constraint, as far as we can tell: a constraint on an attribute we do
 * not model counts as met, so that a node that may run a task is never left without its image.
 */
export function meetsConstraints(node: SwarmNode, constraints: readonly string[]): boolean {
  return constraints.every((constraint) => {
    const match = /^(.+?)\s*(==|!=)\s*(.*)$/.exec(constraint.trim());
    if (!match) return true;
    const [, key = '', operator, expected = ''] = match;
    if (!knownKey.test(key)) return true;
    const actual = attribute(node, key);
    // docker compares case-insensitively; a missing label equals nothing.
    const equal = actual !== undefined && actual.toLowerCase() === expected.trim().toLowerCase();
    return operator === '==' ? equal : !equal;
  });
}

/** The nodes the scheduler may give a task: ready, active, and meeting the constraints. */
export function eligibleNodes(nodes: readonly SwarmNode[], constraints: readonly string[]): SwarmNode[] {
  return nodes.filter(
    (node) => node.state === 'ready' && node.availability === 'active' && meetsConstraints(node, constraints),
  );
}
