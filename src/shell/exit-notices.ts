import type { ContainerDeath } from '../docker/container-events.js';

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
    const key = `${death.id}:${death.timeNano}`;
    if (this.reported.has(key)) return undefined;
    this.reported.add(key);
    const own = this.ownChanges.some(
      (span) =>
        death.timeNano >= span.startNs - ownChangeGraceNs &&
        (span.endNs === undefined || death.timeNano <= span.endNs + ownChangeGraceNs),
    );
    return own ? undefined : formatDeathNotice(death);
  }
}

/** docker's `--since` for a time in nanoseconds: `seconds.nanoseconds`. */
export function sinceArgument(timeNano: bigint): string {
  const seconds = timeNano / 1_000_000_000n;
  return `${seconds}.${String(timeNano % 1_000_000_000n).padStart(9, '0')}`;
}
