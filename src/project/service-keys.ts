import { describeLocation, getCfgValue, type CfgFile, type CfgValue } from './cfg-file.js';
import { UserError } from '../errors.js';

/** The keys of a section that only deploy-image reads (a swarm service), with the values each takes. */
export const serviceKeys = ['replicas', 'max_per_node', 'placement', 'publish_mode', 'update_order', 'endpoint_mode'];

const choices: Readonly<Record<string, readonly string[]>> = {
  publish_mode: ['ingress', 'host'],
  update_order: ['stop-first', 'start-first'],
  endpoint_mode: ['vip', 'dnsrr'],
};

/** What is wrong with a service key's value, naming its place; empty when nothing is. */
export function serviceKeyProblems(value: CfgValue): string[] {
  const text = value.value.trim();
  if (value.key === 'replicas' || value.key === 'max_per_node') {
    return /^\d+$/.test(text) ? [] : [`${describeLocation(value)}: "${value.value}" is not a whole number`];
  }
  const allowed = choices[value.key];
  if (allowed !== undefined && !allowed.includes(text))
    return [`${describeLocation(value)}: "${value.value}" is not one of ${allowed.join(', ')}`];
  return [];
}

/** The service settings of an image's section, checked: defaults where a key is absent. */
export interface ServiceKeys {
  readonly replicas: number;
  /** 0: no limit. */
  readonly maxPerNode: number;
  /** `placement`: constraints as docker takes them, e.g. `node.labels.gpu==true`. */
  readonly placement: readonly string[];
  readonly publishMode: 'ingress' | 'host';
  readonly updateOrder: 'stop-first' | 'start-first';
  readonly endpointMode: 'vip' | 'dnsrr';
}

/** Reads the service keys of a section; a bad value is a UserError naming its place. */
export function readServiceKeys(cfg: CfgFile, section: string): ServiceKeys {
  const value = (key: string): CfgValue | undefined => getCfgValue(cfg, section, key);
  const problems = serviceKeys.flatMap((key) => {
    const entry = value(key);
    return entry === undefined ? [] : serviceKeyProblems(entry);
  });
  if (problems.length > 0) throw new UserError(problems.join('\n'));
  const text = (key: string, fallback: string): string => value(key)?.value.trim() ?? fallback;
  return {
    replicas: Number(text('replicas', '1')),
    maxPerNode: Number(text('max_per_node', '0')),
    // One constraint a line, or several separated by commas (a constraint may hold spaces: `a == b`).
    placement: text('placement', '')
      .split(/[,\n]/)
      .map((constraint) => constraint.trim())
      .filter(Boolean),
    publishMode: text('publish_mode', 'ingress') as ServiceKeys['publishMode'],
    updateOrder: text('update_order', 'stop-first') as ServiceKeys['updateOrder'],
    endpointMode: text('endpoint_mode', 'vip') as ServiceKeys['endpointMode'],
  };
}
