// A throw-away stack project: images of busybox, a cfg, a unique project folder and user, and what a
// test asks the engine about the stack's containers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docker, dockerOk, removeLabelled, runBin, testLabel, uniqueSuffix, type ProcessResult } from './engine.js';

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
  /** Rewrites (or adds) an image's Dockerfile; a LABEL ties the image to the test for cleanup. */
  writeDockerfile(image: string, lines: readonly string[]): void;
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
        ['FROM busybox', `LABEL ${testLabel}=${suffix}`, ...lines, ''].join('\n'),
      );
    },
  };
  for (const [image, lines] of Object.entries(dockerfiles)) project.writeDockerfile(image, lines);
  project.writeCfg(cfg);
  return project;
}

/**
 * Removes what a stack project left: its containers a few at a time (many exits at once can wedge
 * this engine, moby#42545), its lock, images, networks and volumes.
 */
export async function removeStackProject(project: StackProject): Promise<void> {
  const ids = (await dockerOk(['ps', '-aq', '--filter', `label=dockerutils.project=${project.name}`]))
    .split('\n')
    .filter(Boolean);
  for (let index = 0; index < ids.length; index += 3)
    await docker(['rm', '-f', ...ids.slice(index, index + 3)], { timeoutMs: 60_000 });
  await removeLabelled(`dockerutils.stack-lock=${project.name}_${project.user}`);
  await removeLabelled(`dockerutils.project=${project.name}`);
  await removeLabelled(`${testLabel}=${project.suffix}`);
  const volumes = (await dockerOk(['volume', 'ls', '-q', '--filter', `label=dockerutils.project=${project.name}`]))
    .split('\n')
    .filter(Boolean);
  if (volumes.length > 0) await docker(['volume', 'rm', '-f', ...volumes]);
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
