import { UserError } from '../errors.js';
import type { RunSettings } from '../project/run-settings.js';
import type { ServiceKeys } from '../project/service-keys.js';
import { wordText, type Word } from '../project/words.js';

/** A published port of a service. */
export interface PublishedPort {
  /** The port on the node(s); absent: docker picks one. */
  readonly published?: number;
  readonly target: number;
  readonly protocol: 'tcp' | 'udp' | 'sctp';
  /** `ingress`: the routing mesh on every node; `host`: only the node a task runs on. */
  readonly mode: 'ingress' | 'host';
}

/** A mount of a service's containers. */
export interface ServiceMount {
  readonly type: string;
  /** The host path (bind) or volume name; absent for an anonymous volume. */
  readonly source?: string;
  readonly target: string;
  readonly readOnly: boolean;
  /** The `--mount` text as the cfg gave it, when it did (it may hold more options than the fields above). */
  readonly text?: string;
}

/** One environment variable: a value (which may hold `$NAME` references), or none to take it by name. */
export interface EnvAssignment {
  readonly name: string;
  readonly value?: Word;
}

/** Everything `docker service create` is given for an image: the wanted state of its service. */
export interface ServiceSpec {
  readonly name: string;
  /** What the tasks run: the image id (transferred) or `repo@sha256:digest` (published). */
  readonly image: string;
  /** The image's readable reference, kept in a label. */
  readonly reference: string;
  readonly replicas: number;
  /** 0: no limit. */
  readonly maxPerNode: number;
  readonly constraints: readonly string[];
  readonly ports: readonly PublishedPort[];
  readonly mounts: readonly ServiceMount[];
  readonly environment: readonly EnvAssignment[];
  readonly command: readonly Word[];
  /** Labels of the service itself. */
  readonly labels: Readonly<Record<string, string>>;
  /** Labels of each task's container: the project labels, so ls-containers and logs-all find them. */
  readonly containerLabels: Readonly<Record<string, string>>;
  readonly network: string;
  readonly init: boolean;
  readonly updateOrder: ServiceKeys['updateOrder'];
  readonly endpointMode: ServiceKeys['endpointMode'];
}

/** The service label holding the readable image reference (the service runs it by id or digest). */
export const referenceLabel = 'dockerutils.reference';

/** The service name of a project image: `<project>_<image>`, as a stack names its services. */
export function serviceName(project: string, image: string): string {
  return `${project}_${image}`
    .replace(/[^a-zA-Z0-9_.-]/g, '-')
    .replace(/^[^a-zA-Z0-9]+/, '')
    .slice(0, 63);
}

/** The project's overlay network its services share. */
export function projectNetworkName(project: string): string {
  return `${project.replace(/[^a-zA-Z0-9_.-]/g, '-')}_swarm`;
}

/** What a spec is built from besides the run settings. */
export interface ServiceSpecInput {
  readonly name: string;
  readonly image: string;
  readonly network: string;
  readonly keys: ServiceKeys;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The service of an image's section: the run settings' environment, volumes, ports, command, init
 * and labels in service form, plus the service keys. `docker run` options without a service
 * counterpart (interactive, gpu, network, args) are not carried over.
 */
export function buildServiceSpec(settings: RunSettings, input: ServiceSpecInput): ServiceSpec {
  const { keys } = input;
  if (keys.endpointMode === 'dnsrr' && keys.publishMode === 'ingress' && settings.ports.length > 0) {
    throw new UserError(
      `[${settings.image}] endpoint_mode = dnsrr publishes no port through the routing mesh: add publish_mode = host`,
    );
  }
  return {
    name: input.name,
    image: input.image,
    reference: settings.reference,
    replicas: keys.replicas,
    maxPerNode: keys.maxPerNode,
    constraints: keys.placement,
    ports: publishedPorts(settings.ports, keys.publishMode, input.env),
    mounts: serviceMounts(settings.volumes, input.env),
    environment: envAssignments(settings.environment, input.env),
    command: settings.command,
    labels: { ...settings.labels, [referenceLabel]: settings.reference },
    containerLabels: settings.labels,
    network: input.network,
    init: settings.init.length > 0,
    updateOrder: keys.updateOrder,
    endpointMode: keys.endpointMode,
  };
}

// The words of options like `-p 80:80`, `--publish=80:80`: the value of each occurrence of the flags.
function optionValues(words: readonly Word[], flags: readonly string[], key: string, env: NodeJS.ProcessEnv): string[] {
  const values: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const text = wordText(words[index]!, env);
    const inline = flags.map((flag) => `${flag}=`).find((prefix) => text.startsWith(prefix));
    if (inline !== undefined) values.push(text.slice(inline.length));
    else if (flags.includes(text) && index + 1 < words.length) values.push(wordText(words[++index]!, env));
    else throw new UserError(`${key}: "${text}" is not one of ${flags.join(', ')} for a service`);
  }
  return values;
}

/** `-p` options as service ports; a range becomes one port each, and a host address is refused. */
export function publishedPorts(
  words: readonly Word[],
  mode: PublishedPort['mode'],
  env: NodeJS.ProcessEnv,
): PublishedPort[] {
  return optionValues(words, ['-p', '--publish'], 'ports', env).flatMap((text) => {
    const [mapping = '', protocolText = 'tcp'] = text.split('/');
    if (!['tcp', 'udp', 'sctp'].includes(protocolText))
      throw new UserError(`ports: "${text}": the protocol is tcp, udp or sctp`);
    const protocol = protocolText as PublishedPort['protocol'];
    const parts = mapping.split(':');
    if (parts.length > 2)
      throw new UserError(`ports: "${text}": a service publishes on every address of a node; drop the host address`);
    const [publishedText, targetText] = parts.length === 2 ? parts : [undefined, parts[0]!];
    const targets = portRange(targetText!, text);
    const published = publishedText === undefined || publishedText === '' ? undefined : portRange(publishedText, text);
    if (published !== undefined && published.length !== targets.length)
      throw new UserError(`ports: "${text}": the two ranges differ in length`);
    return targets.map((target, index) => ({
      ...(published === undefined ? {} : { published: published[index]! }),
      target,
      protocol,
      mode,
    }));
  });
}

function portRange(text: string, option: string): number[] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  const first = Number(match?.[1]);
  const last = match?.[2] === undefined ? first : Number(match[2]);
  if (!match || first < 1 || last > 65535 || last < first)
    throw new UserError(`ports: "${option}" is not a port mapping`);
  return Array.from({ length: last - first + 1 }, (_, index) => first + index);
}

/** `-v` and `--mount` options as service mounts: a path source is a bind mount, a name a volume. */
export function serviceMounts(words: readonly Word[], env: NodeJS.ProcessEnv): ServiceMount[] {
  const mounts: ServiceMount[] = [];
  for (let index = 0; index < words.length; index++) {
    const flag = wordText(words[index]!, env);
    const inlineMount = flag.startsWith('--mount=') ? flag.slice('--mount='.length) : undefined;
    if (inlineMount !== undefined || (flag === '--mount' && index + 1 < words.length)) {
      mounts.push(parseMountText(inlineMount ?? wordText(words[++index]!, env)));
      continue;
    }
    const inlineVolume = flag.startsWith('--volume=') ? flag.slice('--volume='.length) : undefined;
    if (inlineVolume === undefined && !((flag === '-v' || flag === '--volume') && index + 1 < words.length))
      throw new UserError(`volumes: "${flag}" is not one of -v, --volume, --mount for a service`);
    mounts.push(parseVolumeText(inlineVolume ?? wordText(words[++index]!, env)));
  }
  return mounts;
}

function parseVolumeText(text: string): ServiceMount {
  const parts = text.split(':');
  if (parts.length === 1) return { type: 'volume', target: text, readOnly: false };
  const [source = '', target = '', options = ''] = parts;
  const flags = options.split(',').filter(Boolean);
  const unknown = flags.filter((flag) => flag !== 'ro' && flag !== 'rw');
  if (parts.length > 3 || target === '' || unknown.length > 0)
    throw new UserError(
      `volumes: "-v ${text}" has no service form: write it as --mount type=...,source=...,target=...`,
    );
  return { type: source.startsWith('/') ? 'bind' : 'volume', source, target, readOnly: flags.includes('ro') };
}

/** The fields of a `--mount` text that a service's spec keeps. */
export function parseMountText(text: string): ServiceMount {
  const fields = new Map<string, string>();
  for (const field of text.split(',')) {
    const equals = field.indexOf('=');
    fields.set(equals === -1 ? field : field.slice(0, equals), equals === -1 ? 'true' : field.slice(equals + 1));
  }
  const get = (...names: string[]): string | undefined =>
    names.map((name) => fields.get(name)).find((value) => value !== undefined);
  const target = get('target', 'dst', 'destination');
  if (target === undefined) throw new UserError(`volumes: "--mount ${text}" has no target`);
  const source = get('source', 'src');
  const readOnly = get('readonly', 'ro');
  return {
    type: get('type') ?? 'volume',
    ...(source === undefined ? {} : { source }),
    target,
    readOnly: readOnly !== undefined && readOnly !== 'false' && readOnly !== '0',
    text,
  };
}

/** `-e` options as assignments, the last of a name winning (as with `docker run`). */
export function envAssignments(words: readonly Word[], env: NodeJS.ProcessEnv): EnvAssignment[] {
  const byName = new Map<string, EnvAssignment>();
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    const flag = typeof word[0] === 'string' ? word[0] : '';
    let value: Word;
    if (word.length === 1 && (flag === '-e' || flag === '--env') && index + 1 < words.length) value = words[++index]!;
    else if (flag.startsWith('--env=')) value = [flag.slice('--env='.length), ...word.slice(1)];
    else throw new UserError(`environment: "${wordText(word, env)}" is not -e NAME=VALUE for a service`);
    const assignment = splitAssignment(value);
    byName.delete(assignment.name);
    byName.set(assignment.name, assignment);
  }
  return [...byName.values()];
}

function splitAssignment(word: Word): EnvAssignment {
  const first = typeof word[0] === 'string' ? word[0] : '';
  const equals = first.indexOf('=');
  if (equals === -1 && word.length === 1) return { name: first };
  if (equals <= 0) throw new UserError(`environment: "-e" needs NAME=VALUE or NAME`);
  const rest = first.slice(equals + 1);
  return { name: first.slice(0, equals), value: [...(rest === '' ? [] : [rest]), ...word.slice(1)] };
}

/** An assignment's value as the service will hold it (by name: the environment's, if set). */
export function assignmentValue(assignment: EnvAssignment, env: NodeJS.ProcessEnv): string | undefined {
  return assignment.value === undefined ? env[assignment.name] : wordText(assignment.value, env);
}
