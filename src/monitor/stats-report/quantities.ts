/** What a figure measures, which decides its unit. */
export type QuantityKind = 'percent' | 'bytes' | 'rate' | 'count';

/** A unit to show values in: the value in base units divided by `divisor`. */
export interface DisplayUnit {
  readonly symbol: string;
  readonly divisor: number;
}

const binaryPrefixes = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** The unit that shows `value` (and values up to it) with at most four digits before the point. */
export function unitFor(kind: QuantityKind, value: number): DisplayUnit {
  if (kind === 'percent') return { symbol: '%', divisor: 1 };
  if (kind === 'count') return { symbol: '', divisor: 1 };
  let power = 0;
  while (power < binaryPrefixes.length - 1 && Math.abs(value) >= 1024 ** (power + 1)) power++;
  const symbol = binaryPrefixes[power]!;
  return { symbol: kind === 'rate' ? `${symbol}/s` : symbol, divisor: 1024 ** power };
}

/** Decimals that give about four significant digits to values up to `max`, at most 4. */
export function decimalsFor(max: number): number {
  if (!(max > 0)) return 0;
  return Math.min(4, Math.max(0, 3 - Math.floor(Math.log10(max))));
}

/** A value in its own best unit, for tables: `12.3 MiB`, `0.5 %`, `512 B/s`, `7`. */
export function formatQuantity(kind: QuantityKind, value: number): string {
  const unit = unitFor(kind, value);
  const scaled = value / unit.divisor;
  const text =
    kind === 'count' && Number.isInteger(scaled) ? String(scaled) : roundTo(scaled, significantDecimals(scaled));
  return unit.symbol === '' ? text : `${text} ${unit.symbol}`;
}

// Three significant digits, at most two decimals (12.3, 1.23, 0.12, 123).
function significantDecimals(value: number): number {
  if (value === 0) return 0;
  return Math.min(2, Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value)))));
}

/** A number rounded to some decimals, without trailing zeros: `1.5`, `12`, `0.003`. */
export function roundTo(value: number, decimals: number): string {
  // An integer divided by a power of ten is the double nearest that decimal, which String prints as it.
  const scale = 10 ** decimals;
  return String(Math.round(value * scale) / scale);
}

/** A duration in words for notes: `250 ms`, `1 s`, `9 s`, `2 min`, `1 h 30 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}
