/** A node's role in a swarm. */
export type SwarmRole = 'manager' | 'worker';

/** One node of a swarm, as its manager sees it. */
export interface SwarmNode {
  readonly id: string;
  readonly hostname: string;
  readonly role: SwarmRole;
  /** `active`, `pause` or `drain`. */
  readonly availability: string;
  /** `ready`, `down`, `unknown`, `disconnected`. */
  readonly state: string;
  /** The address the node is reached at. */
  readonly address: string;
  readonly engineVersion: string;
  readonly leader: boolean;
  /** The manager's listen address (`ADDR:2377`), for managers. */
  readonly managerAddress?: string;
  /** `docker node update --label-add` labels, which placement constraints test. */
  readonly labels: Readonly<Record<string, string>>;
  /** The engine's own labels (`engine.labels.*` constraints). */
  readonly engineLabels: Readonly<Record<string, string>>;
  readonly os: string;
  readonly architecture: string;
}
