/** A CSV field (RFC 4180): a number as it is, text quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A CSV row with its line end (LF: spreadsheets and pandas read it as well as CRLF, and line tools better). */
export function csvRow(values: readonly (string | number | undefined)[]): string {
  return `${values.map(csvField).join(',')}\n`;
}
