import { open } from 'node:fs/promises';
import { parseLogFileLine, type LogFileEntry } from '../log-cursor.js';

/** What happened to a container at a moment, as logs-all's banners tell it. */
export type MarkKind = 'start' | 'exit' | 'restart' | 'removed';

/** A moment in a container's life, drawn across its charts. */
export interface ContainerMark {
  readonly timeMs: number;
  readonly kind: MarkKind;
  /** Short text for the chart: `start`, `exit 137 OOM`, `restart (exit 1)`, `removed`. */
  readonly label: string;
  /** The banner's own words. */
  readonly text: string;
  readonly exitCode?: number;
  readonly oomKilled?: boolean;
}

/** The mark of a banner line of a log file; undefined for container output and gap notes. */
export function markOfEntry(entry: LogFileEntry): ContainerMark | undefined {
  if (entry.kind === 'line' || entry.kind === 'gap') return undefined;
  const timeMs = Date.parse(entry.timestamp);
  if (!Number.isFinite(timeMs)) return undefined;
  const { text } = entry;
  if (entry.kind === 'start') return { timeMs, kind: 'start', label: 'start', text };
  if (entry.kind === 'removed') return { timeMs, kind: 'removed', label: 'removed', text };
  // `<name> exited with code N, not OOM-killed` / `, OOM-killed` / `exited with code N, then restarted`
  // (or `with an unknown code, then restarted`): see ContainerCapture.
  const exit = /exited with (?:code (-?\d+)|an unknown code)(, OOM-killed|, not OOM-killed|, then restarted)?$/.exec(
    text,
  );
  const exitCode = exit?.[1] === undefined ? undefined : Number(exit[1]);
  const code = exitCode === undefined ? '?' : String(exitCode);
  if (exit?.[2] === ', then restarted') {
    return { timeMs, kind: 'restart', label: `restart (exit ${code})`, text, exitCode };
  }
  const oomKilled = exit?.[2] === ', OOM-killed' ? true : exit?.[2] === ', not OOM-killed' ? false : undefined;
  return {
    timeMs,
    kind: 'exit',
    label: `exit ${code}${oomKilled ? ' OOM' : ''}`,
    text,
    exitCode,
    oomKilled,
  };
}

/** The longest note line there is: a longer line is container output, and is skipped unread. */
const longestNoteBytes = 4096;
const noteSeparator = Buffer.from(' --- ');
const newline = 0x0a;

/**
 * The marks of a logs-all log file, read in chunks: only lines with a note's ` --- ` are decoded, so
 * a log file of gigabytes is scanned at the speed of a byte search, in constant memory.
 */
export async function readLogMarks(path: string, chunkBytes = 1024 * 1024): Promise<ContainerMark[]> {
  const marks: ContainerMark[] = [];
  const handle = await open(path, 'r');
  try {
    const chunk = Buffer.alloc(chunkBytes);
    let carry: Buffer = Buffer.alloc(0);
    // In the middle of a line too long to be a note: skip to its end.
    let skipping = false;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      let text = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      if (skipping) {
        const end = text.indexOf(newline);
        if (end === -1) continue;
        text = text.subarray(end + 1);
        skipping = false;
      }
      const lastNewline = text.lastIndexOf(newline);
      collectMarks(text.subarray(0, lastNewline + 1), marks);
      const rest = text.subarray(lastNewline + 1);
      skipping = rest.length > longestNoteBytes;
      carry = skipping ? Buffer.alloc(0) : Buffer.from(rest);
    }
    if (carry.length > 0) collectMarks(carry, marks);
  } finally {
    await handle.close();
  }
  return marks.sort((a, b) => a.timeMs - b.timeMs);
}

// The marks among complete lines (the last may lack its newline).
function collectMarks(bytes: Buffer, marks: ContainerMark[]): void {
  for (let hit = bytes.indexOf(noteSeparator); hit !== -1;) {
    const start = bytes.lastIndexOf(newline, hit) + 1;
    let end = bytes.indexOf(newline, hit);
    if (end === -1) end = bytes.length;
    if (end - start <= longestNoteBytes) {
      const entry = parseLogFileLine(bytes.toString('utf8', start, end));
      const mark = entry && markOfEntry(entry);
      if (mark) marks.push(mark);
    }
    hit = bytes.indexOf(noteSeparator, end);
  }
}
