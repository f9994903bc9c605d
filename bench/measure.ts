// Measuring processes from /proc, shared by the benchmarks.
import { readdirSync, readFileSync } from 'node:fs';

/** What `measure` found. */
export interface Measured {
  readonly pssMegabytes: number;
  readonly cpuPercent: number;
  readonly engineCpuPercent: number;
  readonly processes: number;
}

/** The process and every descendant, from /proc. */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // Exited meanwhile.
    }
  }
  const tree = [rootPid];
  for (let index = 0; index < tree.length; index++) tree.push(...(children.get(tree[index]!) ?? []));
  return tree;
}

export function pssKilobytes(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

// CPU time in nanoseconds, summed over the threads (schedstat is exact; utime/stime in /proc/PID/stat
// are sampled on ticks and miss a process that wakes briefly many times a second).
export function cpuNanoseconds(pid: number): number {
  let total = 0;
  try {
    for (const thread of readdirSync(`/proc/${pid}/task`))
      total += Number(readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    // Exited meanwhile.
  }
  return total;
}

/** The engine's own processes (dockerd, containerd), whose CPU is shown beside ours for context. */
export function enginePids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return ['dockerd', 'containerd'].includes(readFileSync(`/proc/${entry}/comm`, 'utf8').trim());
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Total PSS (MB) and CPU (% of one core) of some processes and their descendants over `cpuSeconds`, and the engine's CPU meanwhile. */
export async function measure(roots: readonly number[] | (() => number[]), cpuSeconds: number): Promise<Measured> {
  const pidsOf = (): number[] => [...new Set((typeof roots === 'function' ? roots() : roots).flatMap(processTree))];
  const engine = enginePids();
  const before = new Map([...pidsOf(), ...engine].map((pid) => [pid, cpuNanoseconds(pid)]));
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, cpuSeconds * 1000));
  const elapsedNanoseconds = (performance.now() - started) * 1e6;
  const pids = pidsOf();
  // A process that ended meanwhile reads 0 now: what it used in the window is not known, not negative.
  const used = (list: readonly number[]): number =>
    list.reduce((sum, pid) => sum + Math.max(0, cpuNanoseconds(pid) - (before.get(pid) ?? 0)), 0);
  const pss = pids.reduce((sum, pid) => sum + pssKilobytes(pid), 0);
  return {
    pssMegabytes: pss / 1024,
    cpuPercent: (used(pids) / elapsedNanoseconds) * 100,
    engineCpuPercent: (used(engine) / elapsedNanoseconds) * 100,
    processes: pids.length,
  };
}
