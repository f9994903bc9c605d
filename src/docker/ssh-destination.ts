import { UserError } from '../errors.js';

/** Where an `ssh://[user@]host[:port]` dock lives, as ssh needs it. */
export interface SshDestination {
  readonly user?: string;
  /** A host name, an address, or an alias of the user's ~/.ssh/config. */
  readonly host: string;
  readonly port?: number;
}

/** Parses a dock endpoint; anything but `ssh://[user@]host[:port]` is a usage error. */
export function parseSshEndpoint(endpoint: string): SshDestination {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UserError(`"${endpoint}" is not a dock address: write ssh://[user@]host[:port]`);
  }
  if (
    url.protocol !== 'ssh:' ||
    url.hostname === '' ||
    (url.pathname !== '' && url.pathname !== '/') ||
    url.search !== '' ||
    url.password !== ''
  ) {
    throw new UserError(`"${endpoint}" is not a dock address: write ssh://[user@]host[:port] (no password, no path)`);
  }
  return {
    ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    ...(url.port ? { port: Number(url.port) } : {}),
  };
}

/** ssh's arguments that name the destination: `-l USER -p PORT -- HOST`, as docker's own ssh helper passes them. */
export function sshDestinationArgs(destination: SshDestination): string[] {
  return [
    ...(destination.user !== undefined ? ['-l', destination.user] : []),
    ...(destination.port !== undefined ? ['-p', String(destination.port)] : []),
    '--',
    destination.host,
  ];
}

/** `user@host:port` for messages. */
export function describeDestination(destination: SshDestination): string {
  return `${destination.user !== undefined ? `${destination.user}@` : ''}${destination.host}${destination.port !== undefined ? `:${destination.port}` : ''}`;
}
