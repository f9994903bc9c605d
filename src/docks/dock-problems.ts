import { describeDestination, type SshDestination } from '../docker/ssh-destination.js';

/** What went wrong reaching a dock's engine over ssh, each with the one-line fix. */
export type DockProblemKind =
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'login-refused'
  | 'unreachable'
  | 'no-docker'
  | 'docker-permission'
  | 'daemon-down'
  | 'other';

/** A diagnosed problem. */
export interface DockProblem {
  readonly kind: DockProblemKind;
  readonly message: string;
  readonly fix: string;
}

/** ssh's own failures exit with 255; anything else is the remote command's exit code. */
const sshFailureExitCode = 255;

/**
 * Reads what `ssh DEST docker version` left (exit code and stderr) as one of the known problems,
 * or undefined when the engine answered.
 */
export function diagnoseDockProbe(
  destination: SshDestination,
  exitCode: number,
  stderr: string,
): DockProblem | undefined {
  if (exitCode === 0) return undefined;
  const where = describeDestination(destination);
  const user = destination.user ?? 'your ssh user';
  const last =
    stderr
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1) ?? `exit code ${exitCode}`;
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i.test(stderr)) {
    return {
      kind: 'host-key-changed',
      message: `the host key of ${where} has CHANGED since it was recorded (a reinstalled machine, or someone in between); refused`,
      fix: `if you know why it changed, remove the old key with \`ssh-keygen -R ${destination.host}\` and add the dock again`,
    };
  }
  if (/Host key verification failed|No \S+ host key is known/i.test(stderr)) {
    return {
      kind: 'host-key-unknown',
      message: `the host key of ${where} is not in your known_hosts`,
      fix: "check its fingerprint with the machine's owner, then rerun with --accept-new to record it",
    };
  }
  if (/Permission denied \(/i.test(stderr)) {
    return {
      kind: 'login-refused',
      message: `ssh login to ${where} refused`,
      fix: `install your public key there: ssh-copy-id ${where.replace(/:\d+$/, '')}`,
    };
  }
  if (
    exitCode === sshFailureExitCode ||
    /Connection refused|timed out|No route to host|Could not resolve hostname|Network is unreachable|Connection closed by|kex_exchange_identification/i.test(
      stderr,
    )
  ) {
    return {
      kind: 'unreachable',
      message: `cannot reach ${where} over ssh: ${last}`,
      fix: `check that the machine is up and that \`ssh ${where.replace(/:\d+$/, '')}\` works`,
    };
  }
  if (exitCode === 127 || /docker: (command )?not found/i.test(stderr)) {
    return {
      kind: 'no-docker',
      message: `there is no docker command on ${where}`,
      fix: 'install Docker there (Debian: apt-get install -y docker.io)',
    };
  }
  if (/permission denied while trying to connect to the Docker daemon/i.test(stderr)) {
    return {
      kind: 'docker-permission',
      message: `${user} may not use the Docker engine on ${where}`,
      fix: `on the dock: usermod -aG docker ${user} (then log in again), or use root@`,
    };
  }
  if (/Cannot connect to the Docker daemon|Is the docker daemon running/i.test(stderr)) {
    return {
      kind: 'daemon-down',
      message: `the Docker engine on ${where} is not running`,
      fix: 'start it there: systemctl start docker',
    };
  }
  return {
    kind: 'other',
    message: `docker on ${where} failed: ${last}`,
    fix: `run \`ssh ${where.replace(/:\d+$/, '')} docker version\` to see why`,
  };
}
