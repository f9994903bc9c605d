// Stats files of the size no test engine produces in a test's time (hundreds of containers sampled
// for an hour), in stats-all's exact format: for the report's size and speed check.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { StatsSample } from '../../src/monitor/stats-sample.js';

/** What to write. */
export interface SyntheticRun {
  readonly dir: string;
  readonly containers: number;
  readonly samplesPerContainer: number;
  /** Containers are named `<user>_<image>_<n>` over this many images. */
  readonly images: number;
  readonly startMs: number;
  readonly intervalMs: number;
}

/** A small deterministic generator, so that two runs write the same numbers. */
function generator(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** Writes `<short id>-<name>.stats.jsonl` files of busy containers; resolves with the samples written. */
export async function writeSyntheticStats(run: SyntheticRun): Promise<number> {
  let written = 0;
  const perImage = Math.ceil(run.containers / run.images);
  for (let index = 0; index < run.containers; index++) {
    const random = generator(index + 1);
    const id = randomBytes(32).toString('hex');
    const name = `bench_img${Math.floor(index / perImage) + 1}_${(index % perImage) + 1}`;
    const file = createWriteStream(join(run.dir, `${id.slice(0, 12)}-${name}.stats.jsonl`));
    let memory = 20 * 1048576 * (1 + random());
    let cpu = 5 + 20 * random();
    const counters = { networkRxBytes: 0, networkTxBytes: 0, blockReadBytes: 0, blockWriteBytes: 0 };
    let text = '';
    for (let step = 0; step < run.samplesPerContainer; step++) {
      cpu = Math.min(
        200,
        Math.max(0, cpu + (random() - 0.5) * 6 + (random() < 0.002 ? 150 : 0) - (cpu > 100 ? 40 : 0)),
      );
      memory = Math.max(4 * 1048576, memory + (random() - 0.45) * 262144 - (random() < 0.001 ? memory / 2 : 0));
      counters.networkRxBytes += Math.floor(random() * 200_000 * (random() < 0.01 ? 20 : 1));
      counters.networkTxBytes += Math.floor(random() * 50_000);
      counters.blockReadBytes += random() < 0.05 ? Math.floor(random() * 4_000_000) : 0;
      counters.blockWriteBytes += random() < 0.2 ? Math.floor(random() * 1_000_000) : 0;
      const sample: StatsSample = {
        time: new Date(run.startMs + step * run.intervalMs + Math.floor(random() * 40)).toISOString(),
        id,
        name,
        cpuPercent: Math.round(cpu * 100) / 100,
        memoryUsedBytes: Math.round(memory),
        memoryLimitBytes: 536870912,
        memoryPercent: Math.round((memory / 536870912) * 10000) / 100,
        ...counters,
        pids: 3 + Math.floor(random() * 4),
      };
      text += `${JSON.stringify(sample)}\n`;
      written++;
    }
    file.end(text);
    await once(file, 'finish');
  }
  return written;
}
