// A throw-away stack project: images of busybox, a cfg, a unique project folder and user, and what a
// test asks the engine about the stack's containers.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  docker,
  dockerOk,
  makeTempFolder,
  removeLabelled,
  runBin,
  testLabel,
  uniqueSuffix,
  type ProcessResult,
} from './engine.js';

// Every stack project of a test file labels its images alike, so that a Dockerfile a file writes
// again (most are `CMD sleep`) builds from the engine's cache; the images go when the file ends.
const imageSuffix = uniqueSuffix();
t.teardown(() => removeLabelled(`${testLabel}=${imageSuffix}`));

/** A stack project on disk. */
export interface StackProject {
  readonly root: string;
  readonly name: string;
  readonly user: string;
  readonly suffix: string;
  readonly env: NodeJS.ProcessEnv;
  /** `<project>_<image>_<user>`: the container name up-containers gives an image with one instance. */
  container(image: string): string;
  /** Runs a bin of the package in the project, bounded. */
  bin(name: string, args: readonly string[], timeoutMs?: number): Promise<ProcessResult>;
  /** Rewrites the cfg. */
  writeCfg(text: string): void;
  /** Rewrites (or adds) an image's Dockerfile; a LABEL ties the image to the test file for cleanup. */
  writeDockerfile(image: string, lines: readonly string[]): void;
}

/**
 * A folder for a test's stack projects outside any git checkout, removed when the test ends: a build
 * there carries no version labels, so a Dockerfile built before in the file comes whole from the cache.
 */
export function stackFolder(t: { teardown(fn: () => void): void }): string {
  const folder = makeTempFolder('stack');
  t.teardown(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** Writes `<parent>/st<suffix>/docker/<image>/Dockerfile` for each image and the cfg. */
export function writeStackProject(
  parent: string,
  dockerfiles: Readonly<Record<string, readonly string[]>>,
  cfg: string,
  extraEnv: NodeJS.ProcessEnv = {},
  /** The home folder ssh reads ~/.ssh from (a rig's client), for projects with docks. */
  home?: string,
): StackProject {
  const suffix = uniqueSuffix();
  const name = `st${suffix}`;
  const root = join(parent, name);
  const user = `u${suffix}`;
  const env = { ...process.env, LOGNAME: user, USER: user, NO_COLOR: '1', ...extraEnv };
  const project: StackProject = {
    root,
    name,
    user,
    suffix,
    env,
    container: (image) => `${name}_${image}_${user}`,
    bin: (bin, args, timeoutMs = 180_000) => runBin(bin, args, { cwd: root, env, home, timeoutMs }),
    writeCfg: (text) => writeFileSync(join(root, 'docker', 'dockerutils.cfg'), text),
    writeDockerfile: (image, lines) => {
      mkdirSync(join(root, 'docker', image), { recursive: true });
      writeFileSync(
        join(root, 'docker', image, 'Dockerfile'),
        ['FROM busybox', `LABEL ${testLabel}=${imageSuffix}`, ...lines, ''].join('\n'),
      );
    },
  };
  for (const [image, lines] of Object.entries(dockerfiles)) project.writeDockerfile(image, lines);
  project.writeCfg(cfg);
  return project;
}

/**
 * Removes what a stack project left: its containers a few at a time (many exits at once can wedge
 * this engine, moby#42545), its lock, networks and volumes. Its images stay until the test file ends.
 */
export async function removeStackProject(project: StackProject): Promise<void> {
  const ids = async (args: readonly string[]): Promise<string[]> => (await dockerOk(args)).split('\n').filter(Boolean);
  const lockLabel = `dockerutils.stack-lock=${project.name}_${project.user}`;
  const [containers, locks] = await Promise.all([
    ids(['ps', '-aq', '--filter', `label=dockerutils.project=${project.name}`]),
    ids(['ps', '-aq', '--filter', `label=${lockLabel}`]),
  ]);
  for (let index = 0; index < containers.length; index += 3)
    await docker(['rm', '-f', ...containers.slice(index, index + 3)], { timeoutMs: 60_000 });
  // A lock is created, never started: removing it stops nothing.
  if (locks.length > 0) await docker(['rm', '-f', ...locks], { timeoutMs: 60_000 });
  const removeVolumes = async (): Promise<void> => {
    const volumes = await ids(['volume', 'ls', '-q', '--filter', `label=dockerutils.project=${project.name}`]);
    if (volumes.length > 0) await docker(['volume', 'rm', '-f', ...volumes]);
  };
  await Promise.all([
    removeLabelled(lockLabel),
    removeLabelled(`dockerutils.project=${project.name}`),
    removeVolumes(),
  ]);
}

/** The id of each named container (absent ones left out). */
export async function containerIds(names: readonly string[]): Promise<Record<string, string>> {
  const result = await docker(['inspect', '--format', '{{.Name}} {{.Id}}', ...names], { timeoutMs: 30_000 });
  return Object.fromEntries(
    result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name = '', id = ''] = line.split(' ');
        return [name.replace(/^\//, ''), id];
      }),
  );
}

/** Everything carrying the project's label: containers, networks, volumes (names). */
export async function labelledLeftovers(project: StackProject): Promise<string[]> {
  const filter = ['--filter', `label=dockerutils.project=${project.name}`];
  const lists = await Promise.all([
    dockerOk(['ps', '-a', '--format', '{{.Names}}', ...filter]),
    dockerOk(['network', 'ls', '--format', '{{.Name}}', ...filter]),
    dockerOk(['volume', 'ls', '--format', '{{.Name}}', ...filter]),
  ]);
  return lists.flatMap((list) => list.split('\n').filter(Boolean));
}
