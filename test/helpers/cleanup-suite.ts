// Run by tap before and after the suite (package.json "tap": before, after): removes what test runs
// that were killed half-way left behind (Ctrl-C, a time-out, a cancelled CI). Only what a test made,
// and only when the test process that made it is gone, so that a suite running in another worktree at
// the same moment keeps its rigs, engines and containers. What older suites left without an owner
// record is removed once it is over an hour old. Exits non-zero, naming them, when things stay behind.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { unmountUnder } from './daemon-dirs.js';
import { forgetSuffix, isTestProcessAlive, ownerOfProcess, ownerOfSuffix, recordedSuffixes } from './test-owner.js';

const legacyAgeMs = 60 * 60 * 1000;
const problems: string[] = [];

type Fate = 'keep' | 'remove';

// A suffix whose owner is alive is kept; a recorded one whose owner is gone is removed; an unrecorded
// one is removed only when what it names is old.
function fateOf(suffix: string | undefined, createdMs: number | undefined): Fate {
  const owner = suffix === undefined ? undefined : ownerOfSuffix(suffix);
  if (owner !== undefined) return isTestProcessAlive(owner) ? 'keep' : 'remove';
  return createdMs !== undefined && Date.now() - createdMs > legacyAgeMs ? 'remove' : 'keep';
}

function run(file: string, args: string[], what: string, gone?: RegExp): string | undefined {
  try {
    return execFileSync(file, args, { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? error).trim();
    if (!gone?.test(stderr)) problems.push(`${what}: ${file} ${args.join(' ')}: ${stderr}`);
    return undefined;
  }
}

function mtimeMs(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

// 1. Processes a test started (logs-all, stats-all, registries, tmux servers, the daemons of rigs and
// private engines, their containerd and shims), found by the owner mark in their environment.
for (const entry of readdirSync('/proc')) {
  const pid = Number(entry);
  if (!Number.isInteger(pid) || pid === process.pid) continue;
  const owner = ownerOfProcess(pid);
  if (owner !== undefined && owner !== process.pid && !isTestProcessAlive(owner)) kill(pid);
}

// 2. Containers of rig and private engines, by the cgroup parent those engines give them.
const enginePattern = /^(durig|dupe)-([0-9a-f]{8}|\w{6})$/;
const suffixOf = (name: string): string | undefined => /([0-9a-f]{8})$/.exec(name)?.[1];
for (const controller of existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : []) {
  const base = join('/sys/fs/cgroup', controller);
  let entries: string[] = [];
  try {
    entries = readdirSync(base).filter((name) => enginePattern.test(name));
  } catch {
    continue;
  }
  for (const name of entries) {
    const dir = join(base, name);
    if (fateOf(suffixOf(name), mtimeMs(dir)) === 'keep') continue;
    const groups = (function collect(path: string): string[] {
      const children = readdirSync(path, { withFileTypes: true })
        .filter((child) => child.isDirectory())
        .flatMap((child) => collect(join(path, child.name)));
      return [...children, path];
    })(dir);
    for (const group of groups) {
      const procs = join(group, 'cgroup.procs');
      if (existsSync(procs)) readFileSync(procs, 'utf8').split('\n').filter(Boolean).map(Number).forEach(kill);
    }
    // A killed process leaves its cgroup a moment later.
    const deadline = Date.now() + 5_000;
    for (const group of groups) {
      for (;;) {
        try {
          rmdirSync(group);
          break;
        } catch (error) {
          if (Date.now() > deadline) {
            problems.push(`cgroup ${group}: ${(error as Error).message}`);
            break;
          }
          execFileSync('sleep', ['0.1']);
        }
      }
    }
  }
}

// 3. Rig network namespaces and their veth links.
const namespaces = (run('ip', ['netns', 'list'], 'network namespaces') ?? '')
  .split('\n')
  .map((line) => line.split(' ')[0] ?? '')
  .filter((name) => name.startsWith('durig-'));
for (const namespace of namespaces) {
  if (fateOf(suffixOf(namespace), mtimeMs(`/run/netns/${namespace}`)) === 'keep') continue;
  (run('ip', ['netns', 'pids', namespace], namespace) ?? '').split('\n').filter(Boolean).map(Number).forEach(kill);
  run('ip', ['netns', 'del', namespace], namespace);
}
const links = (run('ip', ['-o', 'link', 'show'], 'links') ?? '')
  .split('\n')
  .map((line) => /^\d+: (vdu[0-9a-f]{8}[hn])[@:]/.exec(line)?.[1])
  .filter((name): name is string => name !== undefined);
for (const link of links) {
  const suffix = link.slice(3, 11);
  // A link whose namespace is gone never reached it: it is left from a failed start.
  const orphan = !existsSync(`/run/netns/durig-${suffix}`);
  // Deleting a namespace takes its end of the pair, and then this end, with it: gone meanwhile is fine.
  if (orphan && fateOf(suffix, 0) === 'remove') run('ip', ['link', 'del', link], link, /Cannot find device/);
}

// 4. Folders: rig and private engine folders (with what their dockerd left mounted), temp folders.
for (const name of readdirSync('/tmp')) {
  if (!/^(durig-|dupe-|dutmp-)/.test(name)) continue;
  const path = join('/tmp', name);
  const suffix = name.startsWith('dutmp-') ? name.slice(6, 14) : suffixOf(name);
  if (fateOf(suffix, mtimeMs(path)) === 'keep') continue;
  unmountUnder(path);
  try {
    rmSync(path, { recursive: true, force: true });
  } catch (error) {
    problems.push(`${path}: ${(error as Error).message}`);
  }
}

// 5. tmux servers of the shell and terminal tests.
const tmuxDir = `/tmp/tmux-${process.getuid?.() ?? 0}`;
for (const socket of existsSync(tmuxDir) ? readdirSync(tmuxDir) : []) {
  if (!socket.startsWith('du-')) continue;
  if (fateOf(suffixOf(socket), mtimeMs(join(tmuxDir, socket))) === 'keep') continue;
  try {
    execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    // No server behind the socket any more.
  }
  rmSync(join(tmuxDir, socket), { force: true });
}

// 6. The main engine's containers, images and networks, by the suffix in their dockerutils.test label.
function labelled(kind: 'container' | 'image' | 'network'): { id: string; suffix: string; createdMs: number }[] {
  const list =
    kind === 'container'
      ? ['ps', '-aq', '--no-trunc']
      : kind === 'image'
        ? ['image', 'ls', '-q', '--no-trunc']
        : ['network', 'ls', '-q', '--no-trunc'];
  const ids = [...new Set((run('docker', [...list, '--filter', 'label=dockerutils.test'], kind) ?? '').split('\n'))]
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0) return [];
  // An image is as old as its last tag: a cached build keeps its creation time but tags it anew
  // (an untagged one has a zero or missing LastTagTime: then its creation time counts).
  const created = kind === 'image' ? '{{.Created}} {{.Metadata.LastTagTime}}' : '{{.Created}}';
  const labels = kind === 'container' ? '.Config.Labels' : kind === 'image' ? '.Config.Labels' : '.Labels';
  const inspect =
    kind === 'container' ? ['container', 'inspect'] : kind === 'image' ? ['image', 'inspect'] : ['network', 'inspect'];
  const output = run(
    'docker',
    [...inspect, '--format', `{{.Id}} {{index ${labels} "dockerutils.test"}} ${created}`, ...ids],
    kind,
  );
  return (output ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id = '', suffix = '', createdText = '', ...tagged] = line.split(' ');
      const parse = (text: string): number => Date.parse(text.replace(/ \+0000 UTC.*$/, 'Z'));
      const taggedMs = parse(tagged.join(' '));
      return { id, suffix, createdMs: Math.max(parse(createdText), Number.isNaN(taggedMs) ? 0 : taggedMs) };
    });
}
for (const kind of ['container', 'image', 'network'] as const) {
  const doomed = labelled(kind).filter((resource) => fateOf(resource.suffix, resource.createdMs) === 'remove');
  if (doomed.length === 0) continue;
  const remove =
    kind === 'container' ? ['rm', '-f', '-v'] : kind === 'image' ? ['image', 'rm', '-f'] : ['network', 'rm'];
  for (const resource of doomed) {
    try {
      execFileSync('docker', [...remove, resource.id], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
    } catch (error) {
      const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
      // An image removed with another one (its parent or child) before its turn.
      if (!/No such (image|container|network)/i.test(stderr))
        problems.push(`${kind} ${resource.id}: ${stderr.trim() || (error as Error).message}`);
    }
  }
}

// 7. Owner records of finished test processes, once what they named is gone.
if (problems.length === 0) {
  for (const [suffix, owner] of recordedSuffixes()) {
    if (owner === undefined || !isTestProcessAlive(owner)) forgetSuffix(suffix);
  }
}

if (problems.length > 0) {
  process.stderr.write(`the suite's clean-up left these behind:\n${problems.map((line) => `  ${line}`).join('\n')}\n`);
  process.exitCode = 1;
}
