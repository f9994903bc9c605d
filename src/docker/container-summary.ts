// A container of `GET /containers/json` in the words `docker ps --no-trunc --format '{{json .}}'`
// uses for it (docker/cli cli/command/formatter/container.go, go-units HumanDuration), so a listing
// read from the Engine API shows what the docker CLI would.

/** One entry of `GET /containers/json`, the fields a summary is made of. */
export interface ApiContainer {
  readonly Id: string;
  readonly Names?: readonly string[] | null;
  readonly Image?: string;
  /** Seconds since the epoch. */
  readonly Created?: number;
  readonly State?: string;
  readonly Status?: string;
  readonly Ports?: readonly ApiPort[] | null;
  readonly Labels?: Readonly<Record<string, string>> | null;
}

/** A port of `GET /containers/json`: exposed (no IP) or published. */
export interface ApiPort {
  readonly IP?: string;
  readonly PrivatePort: number;
  readonly PublicPort?: number;
  readonly Type: string;
}

/** One container as `docker ps --format '{{json .}}'` describes it, with the fields we use typed. */
export interface ContainerSummary {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  /** `running`, `exited`, `created`, `paused`, ... */
  readonly state: string;
  /** docker's human status: `Up 3 minutes`, `Exited (0) 2 hours ago`. */
  readonly status: string;
  readonly ports: string;
  readonly runningFor: string;
  /** ISO 8601 in UTC (docker ps prints the same second in the client's zone). */
  readonly createdAt: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The summary docker ps --no-trunc prints for an API entry, its durations counted up to `nowMs`. */
export function containerSummary(entry: ApiContainer, nowMs: number): ContainerSummary {
  const created = entry.Created ?? 0;
  return {
    id: entry.Id,
    name: (entry.Names ?? []).map((name) => name.replace(/^\//, '')).join(','),
    image: entry.Image || '<no image>',
    state: entry.State ?? '',
    status: entry.Status ?? '',
    ports: displayablePorts(entry.Ports ?? []),
    runningFor: `${humanDuration(nowMs - created * 1000)} ago`,
    createdAt: new Date(created * 1000).toISOString().replace('.000Z', 'Z'),
    labels: { ...entry.Labels },
  };
}

/** docker ps's PORTS: runs of neighbouring ports grouped (`8000-8002/tcp`), other host ports after. */
export function displayablePorts(ports: readonly ApiPort[]): string {
  const groups = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const hostMappings: string[] = [];
  for (const port of [...ports].sort(comparePorts)) {
    const current = port.PrivatePort;
    let key = port.Type;
    if (port.IP) {
      if (port.PublicPort !== current) {
        hostMappings.push(`${joinHostPort(port.IP, String(port.PublicPort ?? 0))}->${current}/${port.Type}`);
        continue;
      }
      key = `${port.IP}/${port.Type}`;
    }
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { first: current, last: current });
    } else if (current === group.last + 1) {
      group.last = current;
    } else {
      result.push(formGroup(key, group.first, group.last));
      // docker's map keeps the key where it first came, with the new run.
      groups.set(key, { first: current, last: current });
    }
  }
  for (const [key, group] of groups) result.push(formGroup(key, group.first, group.last));
  return [...result, ...hostMappings].join(', ');
}

function formGroup(key: string, first: number, last: number): string {
  const slash = key.lastIndexOf('/');
  const ip = slash === -1 ? '' : key.slice(0, slash);
  const type = key.slice(slash + 1);
  const range = first === last ? String(first) : `${first}-${last}`;
  return `${ip === '' ? range : `${joinHostPort(ip, range)}->${range}`}/${type}`;
}

function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function comparePorts(a: ApiPort, b: ApiPort): number {
  if (a.PrivatePort !== b.PrivatePort) return a.PrivatePort - b.PrivatePort;
  const byIp = compareIps(a.IP ?? '', b.IP ?? '');
  if (byIp !== 0) return byIp;
  if ((a.PublicPort ?? 0) !== (b.PublicPort ?? 0)) return (a.PublicPort ?? 0) - (b.PublicPort ?? 0);
  return a.Type < b.Type ? -1 : a.Type > b.Type ? 1 : 0;
}

// As Go's netip.Addr.Less: no address, then IPv4, then IPv6, each in numeric order.
function compareIps(a: string, b: string): number {
  const rank = (ip: string): number => (ip === '' ? 0 : ip.includes(':') ? 2 : 1);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  const [x, y] = [ipBytes(a), ipBytes(b)];
  for (let index = 0; index < Math.max(x.length, y.length); index++) {
    if ((x[index] ?? 0) !== (y[index] ?? 0)) return (x[index] ?? 0) - (y[index] ?? 0);
  }
  return 0;
}

function ipBytes(ip: string): number[] {
  if (!ip.includes(':')) return ip.split('.').map(Number);
  const [head = '', tail = ''] = ip.split('::');
  const words = (text: string): number[] => (text === '' ? [] : text.split(':').map((word) => parseInt(word, 16)));
  const [before, after] = [words(head), words(tail)];
  const all = ip.includes('::') ? [...before, ...Array(8 - before.length - after.length).fill(0), ...after] : before;
  return all.flatMap((word: number) => [word >> 8, word & 0xff]);
}

/** go-units HumanDuration: `Less than a second`, `About a minute`, `3 hours`, `2 weeks`. */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.trunc(milliseconds / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  // Go's math.Round: halves away from zero.
  const hours = Math.round(milliseconds / 3_600_000);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(milliseconds / 3_600_000 / 24 / 365)} years`;
}
