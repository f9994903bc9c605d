import type { ContainerDeath, ContainerStart } from '../commands/container-deaths.js';

/** `web exited (code 137)` */
export function formatDeathNotice(death: ContainerDeath): string {
  return `${death.name} exited (code ${death.exitCode})`;
}

// Events can trail the command that caused them; the engine's clock may also differ a little from ours.
const ownChangeGraceNs = 2_000_000_000n;

/** A command of the shell that changes containers: when it ran, and the containers it changed. */
interface OwnChange {
  readonly startNs: bigint;
  endNs?: bigint;
  /** Container names, or id prefixes as the user typed them. */
  readonly targets: Set<string>;
  /** Ids of those containers started again after the command ended. */
  readonly startedAgain: Set<string>;
}

/** The handle of one of the shell's own commands while it runs. */
export interface OwnChangeHandle {
  /** The command is about to change these containers (names or id prefixes). */
  changes(targets: readonly string[]): void;
  /** The command has ended. */
  end(): void;
}

/**
 * Decides which container deaths to tell the user about: each once (a restarted watcher replays
 * events), and not those the shell's own commands (stop, rm, ...) caused: a death of a container one
 * of them changed, while it ran or within a grace period around it. Others' stops are always reported.
 */
export class DeathNotices {
  private readonly reported = new Set<string>();
  private readonly ownChanges: OwnChange[] = [];

  constructor(private readonly now: () => bigint = () => BigInt(Date.now()) * 1_000_000n) {}

  /** Marks a command of the shell that changes containers as running. */
  beginOwnChange(): OwnChangeHandle {
    const change: OwnChange = { startNs: this.now(), targets: new Set(), startedAgain: new Set() };
    this.ownChanges.push(change);
    return {
      changes: (targets) => {
        for (const target of targets) change.targets.add(target);
      },
      end: () => {
        change.endNs = this.now();
      },
    };
  }

  /**
   * A container started: once the shell's own command has ended, a later death of that container is
   * no longer one the command caused, however soon it comes.
   */
  noteStart(start: ContainerStart): void {
    for (const change of this.ownChanges) {
      if (change.endNs !== undefined && start.timeNanos > change.endNs && changedContainer(change.targets, start))
        change.startedAgain.add(start.id);
    }
  }

  /** The notice to print for a death, or undefined when it was reported already or is the shell's own. */
  noticeFor(death: ContainerDeath): string | undefined {
    const key = `${death.id}:${death.timeNanos}`;
    if (this.reported.has(key)) return undefined;
    this.reported.add(key);
    const own = this.ownChanges.some(
      (change) =>
        changedContainer(change.targets, death) &&
        !change.startedAgain.has(death.id) &&
        death.timeNanos >= change.startNs - ownChangeGraceNs &&
        (change.endNs === undefined || death.timeNanos <= change.endNs + ownChangeGraceNs),
    );
    return own ? undefined : formatDeathNotice(death);
  }
}

function changedContainer(targets: ReadonlySet<string>, container: ContainerStart): boolean {
  if (targets.has(container.name)) return true;
  for (const target of targets) if (/^[0-9a-f]+$/.test(target) && container.id.startsWith(target)) return true;
  return false;
}
