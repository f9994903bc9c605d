import { open } from 'node:fs/promises';

/** The numeric fields of a stats sample, in the order stats-all writes them. */
export const sampleFields = [
  'cpuPercent',
  'memoryUsedBytes',
  'memoryLimitBytes',
  'memoryPercent',
  'networkRxBytes',
  'networkTxBytes',
  'blockReadBytes',
  'blockWriteBytes',
  'pids',
] as const;

/** One numeric field of a stats sample. */
export type SampleField = (typeof sampleFields)[number];

/** One container's samples as columns, in time order: compact for hundreds of thousands of samples. */
export interface ContainerSamples {
  readonly id: string;
  readonly name: string;
  /** Milliseconds since the epoch. */
  readonly timesMs: Float64Array;
  readonly columns: Readonly<Record<SampleField, Float64Array>>;
}

/** The samples of one stats file and what else the file held. */
export interface ParsedStatsFile {
  /** Undefined when no line in the time window was a sample. */
  readonly samples?: ContainerSamples;
  /** Lines that were samples, in the window or not. */
  readonly sampleLines: number;
  /** Samples outside the time window. */
  readonly outsideWindow: number;
  /** The last line had no newline and was not a sample: stats-all was stopped in the middle of writing it. */
  readonly truncatedLastLine: boolean;
  /** Other lines that are not samples (blank lines aside). */
  readonly otherLines: number;
}

/** Which samples to keep: times in milliseconds, both ends included. */
export interface TimeWindow {
  readonly sinceMs?: number;
  readonly untilMs?: number;
}

/** A sample line read: its time, id, name and the fields' values in `sampleFields` order. */
export interface SampleLine {
  readonly timeMs: number;
  readonly id: string;
  readonly name: string;
  readonly values: readonly number[];
}

const newline = 0x0a;

/**
 * Reads a stats file line by line, keeping the samples of the window as columns. Fed bytes in
 * chunks, so a file of any size costs the memory of its samples, not of its text.
 */
export class StatsFileParser {
  private id = '';
  private name = '';
  // Columns filled up to `count`, doubled when full: no garbage per sample.
  private count = 0;
  private times: Float64Array;
  // One column per field, in `sampleFields` order.
  private columnValues: Float64Array[];
  private readonly values: number[] = new Array<number>(sampleFields.length).fill(0);
  private carry: Buffer = Buffer.alloc(0);
  private sampleLines = 0;
  private outsideWindow = 0;
  private otherLines = 0;
  private truncatedLastLine = false;

  /** `expectedSamples` sizes the columns (they grow as needed). */
  constructor(
    private readonly window: TimeWindow = {},
    expectedSamples = 1024,
  ) {
    const capacity = Math.max(16, expectedSamples);
    this.times = new Float64Array(capacity);
    this.columnValues = sampleFields.map(() => new Float64Array(capacity));
  }

  /** Takes the next piece of the file. */
  push(chunk: Uint8Array | string): void {
    let bytes =
      typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.carry.length > 0) bytes = Buffer.concat([this.carry, bytes]);
    let start = 0;
    for (let end = bytes.indexOf(newline); end !== -1; end = bytes.indexOf(newline, start)) {
      this.line(bytes, start, end, false);
      start = end + 1;
    }
    this.carry = Buffer.from(bytes.subarray(start));
  }

  /** Ends the file: a last line without a newline is a sample only if it is complete. */
  end(): ParsedStatsFile {
    if (this.carry.length > 0 && !this.line(this.carry, 0, this.carry.length, true)) {
      if (!isBlank(this.carry, 0, this.carry.length)) this.truncatedLastLine = true;
    }
    this.carry = Buffer.alloc(0);
    return {
      samples: this.count > 0 ? this.columns() : undefined,
      sampleLines: this.sampleLines,
      outsideWindow: this.outsideWindow,
      truncatedLastLine: this.truncatedLastLine,
      otherLines: this.otherLines,
    };
  }

  // Whether the line was a sample; a line that is not counts as other (unless it is the cut last line).
  private line(bytes: Buffer, start: number, end: number, last: boolean): boolean {
    let timeMs = readStockLine(bytes, start, end, this.values);
    if (Number.isNaN(timeMs)) {
      if (isBlank(bytes, start, end)) return false;
      const sample = parseSampleLine(bytes.toString('utf8', start, end));
      if (!sample) {
        if (!last) this.otherLines++;
        return false;
      }
      timeMs = sample.timeMs;
      for (let index = 0; index < sampleFields.length; index++) this.values[index] = sample.values[index]!;
      if (this.id === '') ({ id: this.id, name: this.name } = sample);
    } else if (this.id === '') {
      ({ id: this.id, name: this.name } = parseSampleLine(bytes.toString('utf8', start, end))!);
    }
    this.sampleLines++;
    const { sinceMs, untilMs } = this.window;
    if ((sinceMs !== undefined && timeMs < sinceMs) || (untilMs !== undefined && timeMs > untilMs)) {
      this.outsideWindow++;
      return true;
    }
    if (this.count === this.times.length) {
      const grow = (column: Float64Array): Float64Array => {
        const larger = new Float64Array(column.length * 2);
        larger.set(column);
        return larger;
      };
      this.times = grow(this.times);
      this.columnValues = this.columnValues.map(grow);
    }
    this.times[this.count] = timeMs;
    for (let index = 0; index < sampleFields.length; index++)
      this.columnValues[index]![this.count] = this.values[index]!;
    this.count++;
    return true;
  }

  private columns(): ContainerSamples {
    const times = this.times.subarray(0, this.count);
    // stats-all appends in time order; sort only a file that is not (two writers, a clock step).
    let order: number[] | undefined;
    for (let index = 1; index < times.length; index++) {
      if (times[index]! < times[index - 1]!) {
        order = Array.from(times, (_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
        break;
      }
    }
    const column = (values: Float64Array): Float64Array =>
      order ? Float64Array.from(order, (index) => values[index]!) : values.slice(0, this.count);
    return {
      id: this.id,
      name: this.name,
      timesMs: column(times),
      columns: Object.fromEntries(
        sampleFields.map((field, index) => [field, column(this.columnValues[index]!)]),
      ) as Record<SampleField, Float64Array>,
    };
  }
}

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const byte = bytes[index]!;
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  }
  return true;
}

const timePrefix = Buffer.from('{"time":"');
const idPrefix = Buffer.from('","id":"');
const namePrefix = Buffer.from('","name":"');
// The fields after the name, as JSON.stringify of a StatsSample writes them.
const fieldPrefixes = sampleFields.map((field, index) => Buffer.from(`${index === 0 ? '"' : ''},"${field}":`));

function bytesAt(bytes: Uint8Array, position: number, end: number, expected: Uint8Array): boolean {
  if (position + expected.length > end) return false;
  for (let index = 0; index < expected.length; index++) if (bytes[position + index] !== expected[index]) return false;
  return true;
}

// The end of a JSON string's text: the next quote, or -1 when it is escaped (escapes are JSON.parse's business).
function stringEnd(bytes: Buffer, position: number, end: number): number {
  const quote = bytes.indexOf(0x22, position);
  return quote === -1 || quote >= end || bytes[quote - 1] === 0x5c ? -1 : quote;
}

/**
 * A line exactly as stats-all writes it (JSON.stringify of a StatsSample, its keys in their order),
 * read from the bytes without decoding them: the numbers into `values`, the time returned. NaN for any
 * other line, which then goes through JSON.parse. Decoding and JSON.parse took most of a big
 * report's time.
 */
export function readStockLine(bytes: Buffer, start: number, end: number, values: number[]): number {
  if (!bytesAt(bytes, start, end, timePrefix)) return Number.NaN;
  const timeStart = start + timePrefix.length;
  const timeEnd = stringEnd(bytes, timeStart, end);
  if (timeEnd === -1 || !bytesAt(bytes, timeEnd, end, idPrefix)) return Number.NaN;
  const idEnd = stringEnd(bytes, timeEnd + idPrefix.length, end);
  if (idEnd === -1 || !bytesAt(bytes, idEnd, end, namePrefix)) return Number.NaN;
  let position = stringEnd(bytes, idEnd + namePrefix.length, end);
  if (position === -1) return Number.NaN;
  for (let index = 0; index < fieldPrefixes.length; index++) {
    const prefix = fieldPrefixes[index]!;
    if (!bytesAt(bytes, position, end, prefix)) return Number.NaN;
    const value = scanNumber(bytes, position + prefix.length, end);
    if (Number.isNaN(value)) return Number.NaN;
    values[index] = value;
    position = scanEnd;
  }
  if (position !== end - 1 || bytes[position] !== 0x7d) return Number.NaN;
  return parseIsoTimeBytes(bytes, timeStart, timeEnd);
}

// Where the last scanNumber stopped (a second return value without an allocation per number).
let scanEnd = 0;

/**
 * The JSON number at `start`: integers and decimals of up to 15 digits added up digit by digit
 * (exact: an integer below 2^53 over a power of ten is the double nearest the decimal), anything
 * longer or with an exponent by Number(). NaN when there is no number there.
 */
export function scanNumber(bytes: Uint8Array, start: number, end: number): number {
  let index = start;
  const negative = bytes[index] === 0x2d;
  if (negative) index++;
  let value = 0;
  let digits = 0;
  let scale = 1;
  let byte = index < end ? bytes[index]! : 0;
  while (byte >= 0x30 && byte <= 0x39) {
    value = value * 10 + (byte - 0x30);
    digits++;
    byte = ++index < end ? bytes[index]! : 0;
  }
  if (digits === 0) return Number.NaN;
  if (byte === 0x2e) {
    const before = digits;
    byte = ++index < end ? bytes[index]! : 0;
    while (byte >= 0x30 && byte <= 0x39) {
      value = value * 10 + (byte - 0x30);
      scale *= 10;
      digits++;
      byte = ++index < end ? bytes[index]! : 0;
    }
    if (digits === before) return Number.NaN;
  }
  if (byte === 0x65 || byte === 0x45 || digits > 15) {
    while (index < end && /[0-9eE+.-]/.test(String.fromCharCode(bytes[index]!))) index++;
    scanEnd = index;
    return Number(latin1(bytes, start, index));
  }
  scanEnd = index;
  const magnitude = scale === 1 ? value : value / scale;
  return negative ? -magnitude : magnitude;
}

// The minute last parsed with Date.parse, as bytes (`2024-01-02T03:04`), and its milliseconds.
const minuteBytes = new Uint8Array(16);
let minuteMs = Number.NaN;

/**
 * The milliseconds of stats-all's ISO time (`2024-01-02T03:04:05.678Z`) in bytes: Date.parse once a
 * minute, the seconds read from the bytes in between (a minute holds thousands of a big run's samples).
 */
export function parseIsoTimeBytes(bytes: Uint8Array, start: number, end: number): number {
  if (end - start !== 24 || bytes[start + 16] !== 0x3a || bytes[start + 19] !== 0x2e || bytes[start + 23] !== 0x5a)
    return Date.parse(latin1(bytes, start, end));
  let sameMinute = minuteMs === minuteMs; // not NaN
  for (let index = 0; index < 16 && sameMinute; index++) sameMinute = bytes[start + index] === minuteBytes[index];
  if (!sameMinute) {
    minuteBytes.set(bytes.subarray(start, start + 16));
    minuteMs = Date.parse(`${latin1(bytes, start, start + 16)}:00.000Z`);
  }
  const seconds = (bytes[start + 17]! - 0x30) * 10 + (bytes[start + 18]! - 0x30);
  const millis = (bytes[start + 20]! - 0x30) * 100 + (bytes[start + 21]! - 0x30) * 10 + (bytes[start + 22]! - 0x30);
  if (!(seconds >= 0 && seconds < 60 && millis >= 0 && millis < 1000)) return Date.parse(latin1(bytes, start, end));
  return minuteMs + seconds * 1000 + millis;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/** A line that is a stats sample: a JSON object with a time, an id, a name and every numeric field. */
export function parseSampleLine(text: string): SampleLine | undefined {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof record !== 'object' || record === null) return undefined;
  const fields = record as Record<string, unknown>;
  const { time, id, name } = fields;
  if (typeof time !== 'string' || typeof id !== 'string' || typeof name !== 'string') return undefined;
  const timeMs = Date.parse(time);
  if (!Number.isFinite(timeMs)) return undefined;
  const values: number[] = [];
  for (const field of sampleFields) {
    const value = fields[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    values.push(value);
  }
  return { timeMs, id, name, values };
}

/** Parses the whole text of a stats file at once. */
export function parseStatsText(text: string, window: TimeWindow = {}): ParsedStatsFile {
  const parser = new StatsFileParser(window);
  parser.push(text);
  return parser.end();
}

const readChunkBytes = 4 * 1024 * 1024;

/** Reads a stats file in chunks (a long run's file can be large). */
export async function readStatsFile(path: string, window: TimeWindow = {}): Promise<ParsedStatsFile> {
  const handle = await open(path, 'r');
  try {
    // Sized to the file: zeroing a large buffer for each of hundreds of small files costs more than
    // reading them; a sample line is about 300 bytes.
    const { size } = await handle.stat();
    const parser = new StatsFileParser(window, Math.ceil(size / 280));
    const buffer = Buffer.allocUnsafe(Math.min(size + 1, readChunkBytes));
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      parser.push(buffer.subarray(0, bytesRead));
    }
    return parser.end();
  } finally {
    await handle.close();
  }
}
