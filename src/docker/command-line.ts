import { quote } from 'shlex';
import type { Word } from '../project/words.js';

/** One argument of a command: plain text, or a word that may reference environment variables. */
export type Arg = string | Word;

/** The argv that is executed: environment references replaced by their values. */
export function resolveArgs(args: readonly Arg[], env: NodeJS.ProcessEnv): string[] {
  return args.map((arg) =>
    typeof arg === 'string'
      ? arg
      : arg.map((part) => (typeof part === 'string' ? part : (env[part.env] ?? ''))).join(''),
  );
}

/**
 * One POSIX-shell line that, pasted into a shell, runs the same argv. Environment references are
 * written as `$NAME` inside double quotes, so secrets stay out of terminals, logs and CI output.
 */
export function formatCommandLine(program: string, args: readonly Arg[]): string {
  return [program, ...args].map(formatArg).join(' ');
}

function formatArg(arg: Arg): string {
  if (typeof arg === 'string') return quote(arg);
  if (arg.every((part) => typeof part === 'string')) return quote(arg.join(''));
  const inner = arg
    .map((part, index) => {
      if (typeof part === 'string') return part.replace(/[\\"$`]/g, '\\$&');
      const next = arg[index + 1];
      const needsBraces = typeof next === 'string' && /^\w/.test(next);
      return needsBraces ? `\${${part.env}}` : `$${part.env}`;
    })
    .join('');
  return `"${inner}"`;
}

/** The objects of docker's `--format '{{json .}}'` output: one JSON value a line, blank lines skipped. */
export function jsonLines<T>(output: string): T[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
