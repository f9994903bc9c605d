// docker prints byte counts two ways: `docker images` in decimal units with three significant
// digits (4.26MB), `docker stats` in binary units with one decimal (1.5MiB).

/** A byte count in the largest unit it fills at least once. */
function scaleBytes(
  bytes: number,
  base: number,
  units: readonly string[],
): { value: number; unit: string; scaled: boolean } {
  let value = bytes;
  let unit = 0;
  while (value >= base && unit < units.length - 1) {
    value /= base;
    unit++;
  }
  return { value, unit: units[unit]!, scaled: unit > 0 };
}

/** Bytes in docker's binary units, as `docker stats` shows them: `1.5MiB`. */
export function formatBytes(bytes: number): string {
  const { value, unit, scaled } = scaleBytes(bytes, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB']);
  return `${scaled ? value.toFixed(1) : value}${unit}`;
}

/** Bytes in docker's decimal units, as `docker images` shows them: `4.26MB`. */
export function formatSize(bytes: number): string {
  const { value, unit, scaled } = scaleBytes(bytes, 1000, ['B', 'kB', 'MB', 'GB', 'TB']);
  return `${scaled ? Number(value.toPrecision(3)) : value}${unit}`;
}
