// up-containers against docker-compose 1.29 (Debian's docker-compose) on the same 10-container stack,
// in the same run, alternating:
//   1. first start: nothing there -> ten containers running (one named volume, one network, nine
//      images depending on the first)
//   2. no-op: the same command again with everything up to date
// and the docker calls up-containers makes for a no-op (a recording `docker` first on PATH), for
// stacks of 3 and 10 containers: list by label, inspect in one call, whatever the size.
// Run: npm run build && node --import=@tapjs/typescript/import bench/stacks.ts
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  docker,
  dockerOk,
  removeLabelled,
  runBin,
  runBounded,
  testLabel,
  uniqueSuffix,
} from '../test/helpers/engine.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
// `--parallel N` for up-containers' first start, when set (its default otherwise).
const parallelArgs = process.env.BENCH_PARALLEL ? ['--parallel', process.env.BENCH_PARALLEL] : [];
const composeBinary = '/usr/bin/docker-compose';
const services = Array.from({ length: 10 }, (_, index) => `s${index}`);

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const suffix = uniqueSuffix();
const work = mkdtempSync('/tmp/stack-bench-');
const projectName = `sb${suffix}`;
const root = join(work, projectName);
const user = `b${suffix}`;
const recorder = join(work, 'bin');
const callLog = join(work, 'docker-calls.log');
const env = { ...process.env, LOGNAME: user, USER: user, NO_COLOR: '1' };
const recordingEnv = { ...env, PATH: `${recorder}:${process.env.PATH ?? '/usr/bin:/bin'}`, DOCKER_CALL_LOG: callLog };
const composeProject = `cb${suffix}`;
const composeFile = join(work, 'docker-compose.yml');

function writeStack(count: number): void {
  const names = services.slice(0, count);
  const sections = names.map((service, index) =>
    index === 0
      ? `[${service}]\nvolumes = -v data:/data\n`
      : `[${service}]\ndepends_on = s0\nvolumes = -v data:/data\n`,
  );
  writeFileSync(join(root, 'docker', 'dockerutils.cfg'), sections.join('\n'));
  for (const service of services) {
    const present = names.includes(service);
    rmSync(join(root, 'docker', service), { recursive: true, force: true });
    if (!present) continue;
    mkdirSync(join(root, 'docker', service), { recursive: true });
    writeFileSync(
      join(root, 'docker', service, 'Dockerfile'),
      `FROM busybox\nLABEL ${testLabel}=${suffix}\nCMD ["sleep", "3600"]\n`,
    );
  }
}

// The same stack for compose: the images up-containers runs, --init as up-containers gives, the
// same named volume, compose's own network, and the same dependencies.
function writeComposeFile(): void {
  const lines = ['version: "3.7"', 'services:'];
  for (const [index, service] of services.entries()) {
    lines.push(
      `  ${service}:`,
      `    image: ${projectName}-${service}:${user}`,
      '    init: true',
      '    labels:',
      `      ${testLabel}: "${suffix}"`,
      '    volumes:',
      '      - data:/data',
    );
    if (index > 0) lines.push('    depends_on:', '      - s0');
  }
  lines.push('volumes:', '  data:', '    labels:', `      ${testLabel}: "${suffix}"`, '');
  writeFileSync(composeFile, lines.join('\n'));
}

async function timed(
  what: string,
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  const started = performance.now();
  const result = await runBounded(file, args, { cwd: root, env: options.env ?? env, timeoutMs: 300_000 });
  const elapsed = performance.now() - started;
  if (result.exitCode !== 0) throw new Error(`${what} failed: ${result.stderr}`);
  return elapsed;
}

const ours = (args: string[], runEnv = env): Promise<number> =>
  timed(
    `up-containers ${args.join(' ')}`,
    process.execPath,
    [join(process.cwd(), 'bin', 'up-containers.js'), ...args],
    { env: runEnv },
  );
const compose = (args: string[]): Promise<number> =>
  timed(`docker-compose ${args.join(' ')}`, composeBinary, ['-p', composeProject, '-f', composeFile, ...args]);
const oursDown = async (): Promise<void> => {
  const result = await runBin('down-containers', ['--volumes'], { cwd: root, env, timeoutMs: 300_000 });
  if (result.exitCode !== 0) throw new Error(`down-containers failed: ${result.stderr}`);
};
const composeDown = async (): Promise<void> => {
  await compose(['down', '--volumes', '--timeout', '10']);
};

async function noOpCalls(): Promise<string[]> {
  writeFileSync(callLog, '');
  await ours([], recordingEnv);
  return readFileSync(callLog, 'utf8').split('\n').filter(Boolean);
}

try {
  mkdirSync(recorder, { recursive: true });
  writeFileSync(
    join(recorder, 'docker'),
    '#!/bin/sh\nprintf "%s\\n" "$*" >> "$DOCKER_CALL_LOG"\nexec /usr/bin/docker "$@"\n',
  );
  chmodSync(join(recorder, 'docker'), 0o755);
  mkdirSync(join(root, 'docker'), { recursive: true });
  writeStack(services.length);
  for (const service of services) {
    const built = await runBin('build-image', [service], { cwd: root, env, timeoutMs: 300_000 });
    if (built.exitCode !== 0) throw new Error(`build-image ${service}: ${built.stderr}`);
  }
  writeComposeFile();
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const composeVersion = (await runBounded(composeBinary, ['version', '--short'])).stdout.trim();
  console.log(
    `10-container stack, ${rounds} rounds each, alternating, medians; docker-compose ${composeVersion}; up-containers ${parallelArgs.join(' ') || '--parallel 4 (default)'}; load ${load}\n`,
  );

  const firstOurs: number[] = [];
  const firstCompose: number[] = [];
  const noOpOurs: number[] = [];
  const noOpCompose: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    // Alternate which goes first, so that neither always meets a busier engine.
    const order = round % 2 === 0 ? (['ours', 'compose'] as const) : (['compose', 'ours'] as const);
    for (const tool of order) {
      if (tool === 'ours') {
        firstOurs.push(await ours(parallelArgs));
        noOpOurs.push(await ours([]));
        await oursDown();
      } else {
        firstCompose.push(await compose(['up', '-d']));
        noOpCompose.push(await compose(['up', '-d']));
        await composeDown();
      }
    }
  }
  const line = (label: string, oursMs: number, composeMs: number): void =>
    console.log(
      `${label.padEnd(28)} up-containers ${oursMs.toFixed(0).padStart(6)} ms   docker-compose ${composeMs.toFixed(0).padStart(6)} ms   ratio ${(oursMs / composeMs).toFixed(2)}`,
    );
  line('first start (10 containers)', median(firstOurs), median(firstCompose));
  line('no-op (10 containers)', median(noOpOurs), median(noOpCompose));

  await ours([]);
  const tenCalls = await noOpCalls();
  await oursDown();
  writeStack(3);
  await ours([]);
  const threeCalls = await noOpCalls();
  await oursDown();
  const verbs = (calls: string[]): string => calls.map((call) => call.split(' ').slice(0, 1).join(' ')).join(', ');
  console.log(
    `\ndocker calls of a no-op up-containers: 10 containers ${tenCalls.length} (${verbs(tenCalls)}), 3 containers ${threeCalls.length} (${verbs(threeCalls)})`,
  );
} finally {
  await runBounded(composeBinary, ['-p', composeProject, '-f', composeFile, 'down', '--volumes', '--timeout', '1'], {
    timeoutMs: 120_000,
  }).catch(() => undefined);
  await runBin('down-containers', ['--volumes'], { cwd: root, env, timeoutMs: 120_000 }).catch(() => undefined);
  await removeLabelled(`dockerutils.project=${projectName}`);
  await removeLabelled(`${testLabel}=${suffix}`);
  const volumes = await dockerOk(['volume', 'ls', '-q', '--filter', `label=${testLabel}=${suffix}`]).catch(() => '');
  if (volumes) await docker(['volume', 'rm', ...volumes.split('\n')]);
  rmSync(work, { recursive: true, force: true });
}
