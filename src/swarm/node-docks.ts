/** What one dock's engine said about its swarm membership. */
export interface DockSwarmAnswer {
  /** The dock's name; `local` for this machine's engine. */
  readonly dock: string;
  /** The node id the engine has in its swarm; empty when it is in none; undefined when it did not answer. */
  readonly nodeId?: string;
  /** Why it did not answer. */
  readonly unreachable?: string;
}

/**
 * Node id to dock name. Hostnames do not tell docks apart (two machines may share one), so a node
 * is the dock whose engine reports that node id as its own. When several docks reach one engine,
 * `local` wins (nothing needs sending to it), then the first name in order.
 */
export function matchNodesToDocks(answers: readonly DockSwarmAnswer[]): Map<string, string> {
  const byNode = new Map<string, string>();
  const ordered = [...answers].sort((a, b) =>
    a.dock === 'local' ? -1 : b.dock === 'local' ? 1 : a.dock.localeCompare(b.dock),
  );
  for (const answer of ordered) {
    if (answer.nodeId && !byNode.has(answer.nodeId)) byNode.set(answer.nodeId, answer.dock);
  }
  return byNode;
}
