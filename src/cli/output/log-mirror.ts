import type { LogLine } from '../../monitor/log-decoder.js';
import { wantsColor } from './terminal.js';

// compose's palette for name prefixes: cyan, yellow, green, magenta, blue, then the bright ones.
const prefixColors = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

/** logs-all's terminal mirror: `name | text`, the name colored per container on a color terminal. */
export function createLogMirror(
  stream: NodeJS.WriteStream = process.stdout,
): (name: string, lines: readonly LogLine[]) => void {
  const color = wantsColor(stream, process.env);
  const prefixes = new Map<string, string>();
  return (name, lines) => {
    let prefix = prefixes.get(name);
    if (prefix === undefined) {
      const code = prefixColors[prefixes.size % prefixColors.length]!;
      prefix = color ? `\u001b[${code}m${name} |\u001b[39m ` : `${name} | `;
      prefixes.set(name, prefix);
    }
    stream.write(lines.map((line) => `${prefix}${line.text}\n`).join(''));
  };
}
