import type { ContainerDeath } from '../commands/container-deaths.js';

/** `web exited (code 137)` */
export function formatDeathNotice(death: ContainerDeath): string {
  return `${death.name} exited (code ${death.exitCode})`;
}

// Events can trail the command that caused them; the engine's clock may also differ a little from ours.
const ownChangeGraceNs = 2_000_000_000n;

/**
 * Decides which container deaths to tell the user about: each once (a restarted watcher replays
 * events), and not those caused by the shell's own commands (stop, rm, ...) while they ran.
 */
export class DeathNotices {
  private readonly reported = new Set<string>();
  private readonly ownChanges: { startNs: bigint; endNs?: bigint }[] = [];

  constructor(private readonly now: () => bigint = () => BigInt(Date.now()) * 1_000_000n) {}

  /** Marks a command of the shell that changes containers as running; call the result when it ends. */
  beginOwnChange(): () => void {
    const span: { startNs: bigint; endNs?: bigint } = { startNs: this.now() };
    this.ownChanges.push(span);
    return () => {
      span.endNs = this.now();
    };
  }

  /** The notice to print for a death, or undefined when it was reported already or is the shell's own. */
  noticeFor(death: ContainerDeath): string | undefined {
    const key = `${death.id}:${death.timeNanos}`;
    if (this.reported.has(key)) return undefined;
    this.reported.add(key);
    const own = this.ownChanges.some(
      (span) =>
        death.timeNanos >= span.startNs - ownChangeGraceNs &&
        (span.endNs === undefined || death.timeNanos <= span.endNs + ownChangeGraceNs),
    );
    return own ? undefined : formatDeathNotice(death);
  }
}
