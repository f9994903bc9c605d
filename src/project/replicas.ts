import { UserError } from '../errors.js';
import type { RunSettings } from '../project/run-settings.js';
import { literalWord, wordTemplate, type Word } from '../project/words.js';

/** How run-image multiplies one container: `--count N`, `--port-base P`. */
export interface ReplicaRequest {
  /** How many containers; undefined keeps run-image's single, date-named container. */
  readonly count?: number;
  /** The host port of the first published port of the first container. */
  readonly portBase?: number;
  /** The user's `--name`, which replaces `<user>_<image>` as the name stem. */
  readonly nameStem?: string;
  readonly user: string;
}

/**
 * The settings of each container of a `--count N` run: named `<user>_<image>_<n>` (n from 1), each
 * host port stepped by one per container (by the range's width for a range), starting at
 * `--port-base` when given. Labels and everything else stay those of the single container.
 */
export function replicateRunSettings(settings: RunSettings, request: ReplicaRequest): RunSettings[] {
  const { count, portBase } = request;
  if (count === undefined && portBase === undefined) return [settings];
  if (count !== undefined && (!Number.isInteger(count) || count < 1))
    throw new UserError(`--count: expected a whole number of containers, 1 or more; got ${count}`);
  const stem = (request.nameStem ?? `${request.user}_${settings.image}`).replace(/[^a-zA-Z0-9_.-]/g, '_');
  const baseOffset = portBase === undefined ? 0 : portBaseOffset(settings, portBase);
  return Array.from({ length: count ?? 1 }, (_, index) => ({
    ...settings,
    containerName: count === undefined ? settings.containerName : `${stem}_${index + 1}`,
    ports: mapPublishedPorts(settings.ports, (spec) => shiftPortSpec(spec, (width) => baseOffset + index * width)),
  }));
}

// The `-p` values of a run, wherever they are: `-p X`, `--publish X`, `-pX`, `--publish=X`.
function mapPublishedPorts(ports: readonly Word[], mapSpec: (spec: string) => string): Word[] {
  const shifted: Word[] = [];
  let valueFollows = false;
  for (const word of ports) {
    const text = literalText(word);
    if (valueFollows) {
      shifted.push(literalWord(mapSpec(requireLiteral(word))));
      valueFollows = false;
    } else if (text === '-p' || text === '--publish') {
      shifted.push(word);
      valueFollows = true;
    } else if (text?.startsWith('--publish=')) {
      shifted.push(literalWord(`--publish=${mapSpec(text.slice('--publish='.length))}`));
    } else if (text?.startsWith('-p') && text.length > 2) {
      shifted.push(literalWord(`-p${mapSpec(text.slice(2))}`));
    } else {
      shifted.push(word);
    }
  }
  return shifted;
}

/**
 * Shifts the host port of one `-p` value (`[ip:]host[-end]:container[/proto]`) by the offset for its
 * width; a value without a host port (docker picks one) is returned unchanged.
 */
export function shiftPortSpec(spec: string, offsetForWidth: (width: number) => number): string {
  const range = hostPortRange(spec);
  if (!range) return spec;
  const offset = offsetForWidth(range.last - range.first + 1);
  const first = range.first + offset;
  const last = range.last + offset;
  if (last > 65535) throw new UserError(`-p ${spec}: stepping the host port by ${offset} passes 65535`);
  const hostText = range.first === range.last ? `${first}` : `${first}-${last}`;
  return spec.slice(0, range.start) + hostText + spec.slice(range.end);
}

interface HostPortRange {
  readonly first: number;
  readonly last: number;
  /** Where the host port text is inside the spec. */
  readonly start: number;
  readonly end: number;
}

function hostPortRange(spec: string): HostPortRange | undefined {
  const containerColon = spec.lastIndexOf(':');
  if (containerColon === -1) return undefined;
  const prefix = spec.slice(0, containerColon);
  // `[::1]:8080:80`: the host port follows the IP's colon; an IPv6 address brings its own colons.
  const ipColon = prefix.startsWith('[') ? prefix.indexOf(']:') + 1 : prefix.lastIndexOf(':');
  const start = ipColon <= 0 && !prefix.startsWith('[') ? 0 : ipColon + 1;
  const host = /^(\d+)(?:-(\d+))?$/.exec(prefix.slice(start));
  if (!host) return undefined;
  const first = Number(host[1]);
  return { first, last: host[2] === undefined ? first : Number(host[2]), start, end: containerColon };
}

function portBaseOffset(settings: RunSettings, portBase: number): number {
  if (!Number.isInteger(portBase) || portBase < 1 || portBase > 65535)
    throw new UserError(`--port-base: expected a port number (1-65535); got ${portBase}`);
  let firstHostPort: number | undefined;
  mapPublishedPorts(settings.ports, (spec) => {
    firstHostPort ??= hostPortRange(spec)?.first;
    return spec;
  });
  if (firstHostPort === undefined)
    throw new UserError(
      `--port-base ${portBase}: the [${settings.image}] section publishes no host port (ports=-p HOST:CONTAINER)`,
    );
  return portBase - firstHostPort;
}

function literalText(word: Word): string | undefined {
  return word.every((part) => typeof part === 'string') ? word.join('') : undefined;
}

function requireLiteral(word: Word): string {
  const text = literalText(word);
  if (text === undefined)
    throw new UserError(`-p ${wordTemplate(word)}: cannot step a host port that comes from an environment variable`);
  return text;
}
