// A throw-away project for the lifecycle tests: docker/hello serves Hello World! with busybox httpd.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { dockerOk, removeLabelled, testLabel } from './engine.js';

/** A test project folder and the environment its bins run with. */
export interface TestProject {
  readonly root: string;
  /** The project name: the label value of its containers. */
  readonly name: string;
  /** The user name in container names and tags (`<user>_hello_1`). */
  readonly user: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Writes `<parent>/lc<suffix>/docker/hello` (FROM busybox, no RUN step, labeled for cleanup) and a
 * cfg whose [hello] section gets `cfgLines`. The user name is unique so container names never clash.
 */
export function writeHelloProject(
  parent: string,
  suffix: string,
  cfgLines: readonly string[],
  extraEnv: NodeJS.ProcessEnv = {},
): TestProject {
  const name = `lc${suffix}`;
  const root = join(parent, name);
  mkdirSync(join(root, 'docker', 'hello'), { recursive: true });
  mkdirSync(join(root, 'www'), { recursive: true });
  writeFileSync(join(root, 'www', 'index.html'), 'Hello World!\n');
  writeFileSync(
    join(root, 'docker', 'hello', 'Dockerfile'),
    `FROM busybox\nLABEL ${testLabel}=${suffix}\nCOPY www /www\nEXPOSE 8080\nCMD ["busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]\n`,
  );
  writeFileSync(join(root, 'docker', 'dockerutils.cfg'), `[hello]\n${cfgLines.join('\n')}\n`);
  const user = `u${suffix}`;
  return { root, name, user, env: { ...process.env, LOGNAME: user, USER: user, NO_COLOR: '1', ...extraEnv } };
}

/** Removes what a test project left: its containers (by project label), then its images and networks. */
export async function removeTestProject(project: TestProject, suffix: string): Promise<void> {
  await removeLabelled(`dockerutils.project=${project.name}`);
  await removeLabelled(`${testLabel}=${suffix}`);
}

/** `count` consecutive free TCP ports on 127.0.0.1, from a random high base. */
export async function freePortBase(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const free = await Promise.all(Array.from({ length: count }, (_, index) => isPortFree(base + index)));
    if (free.every(Boolean)) return base;
  }
  throw new Error(`found no ${count} consecutive free ports`);
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

/** The state of each container of a project, by name (`running`, `exited`, `created`, ...). */
export async function projectContainerStates(project: TestProject): Promise<Record<string, string>> {
  const lines = await dockerOk([
    'ps',
    '-a',
    '--filter',
    `label=dockerutils.project=${project.name}`,
    '--format',
    '{{.Names}} {{.State}}',
  ]);
  return Object.fromEntries(
    lines
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ') as [string, string]),
  );
}
