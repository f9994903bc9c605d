import { split } from 'shlex';
import { UserError } from '../errors.js';
import { describeLocation, type CfgValue } from './cfg-file.js';

/** A piece of a word: literal text, or a reference to an environment variable. */
export type WordPart = string | { readonly env: string };

/**
 * One command-line word. Environment references stay symbolic so that the echoed command can show
 * `$NAME` while the executed argv carries the value.
 */
export type Word = readonly WordPart[];

/** What `{name}` and `$NAME` expand to. */
export interface Variables {
  /** `{project_root}`, `{user}`, ...: substituted as text. */
  readonly named: Readonly<Record<string, string>>;
  /** The environment `$NAME` and `${NAME}` are checked against. */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Splits a cfg value into words as a POSIX shell would (quotes honored, nothing run: `$(...)` and
 * `;` are plain text), then expands variables inside each word, so a value that contains spaces
 * (a project path, a secret) never splits a word. Throws every problem of the value at once.
 */
export function expandWords(value: CfgValue, variables: Variables): Word[] {
  const problems: string[] = [];
  const words = expandWordsCollecting(value, variables, problems);
  throwProblems(problems);
  return words;
}

/** Expands variables in a value taken whole, as one word (an `env` section value, a tag). */
export function expandWord(value: CfgValue, variables: Variables): Word {
  const problems: string[] = [];
  const word = expandVariables(value.value, value, variables, problems);
  throwProblems(problems);
  return word;
}

/**
 * Expands many values and reports all their problems together, so that a user fixes a cfg in one
 * round: call `words`/`word` for each value, then `finish()`, which throws them all.
 */
export class ValueExpander {
  private readonly problems: string[] = [];

  constructor(readonly variables: Variables) {}

  words(value: CfgValue | undefined): Word[] {
    return value === undefined ? [] : expandWordsCollecting(value, this.variables, this.problems);
  }

  word(value: CfgValue): Word {
    return expandVariables(value.value, value, this.variables, this.problems);
  }

  /** Records a problem found by the caller (a bad yes/no word, an unknown section). */
  problem(message: string): void {
    this.problems.push(message);
  }

  /** Throws every problem recorded, one a line; returns when there is none. */
  finish(): void {
    throwProblems(this.problems);
  }
}

/** The problems of a value that do not depend on the environment: its words and its `{name}` variables. */
export function staticValueProblems(value: CfgValue, named: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  expandWordsCollecting(value, { named, env: anyEnvironment }, problems);
  return problems;
}

// For checks that leave environment variables to the run: every name is set.
const anyEnvironment: NodeJS.ProcessEnv = new Proxy({}, { get: () => '' });

function expandWordsCollecting(value: CfgValue, variables: Variables, problems: string[]): Word[] {
  let words: string[];
  try {
    words = split(value.value);
  } catch (error) {
    problems.push(`${describeLocation(value)}: cannot split into words: ${(error as Error).message}`);
    return [];
  }
  return words.map((word) => expandVariables(word, value, variables, problems));
}

function throwProblems(problems: readonly string[]): void {
  if (problems.length > 0) throw new UserError([...new Set(problems)].join('\n'));
}

/** A word that is plain text. */
export function literalWord(text: string): Word {
  return [text];
}

/** The text a word stands for, with environment references replaced by their values. */
export function wordText(word: Word, env: NodeJS.ProcessEnv): string {
  return word.map((part) => (typeof part === 'string' ? part : (env[part.env] ?? ''))).join('');
}

/**
 * The word with environment references written as `$NAME` (`${NAME}` when a letter, digit or `_`
 * follows), for messages and `dockerutils config`: secrets are shown by name, never by value.
 */
export function wordTemplate(word: Word): string {
  return word
    .map((part, index) => {
      if (typeof part === 'string') return part;
      const next = word[index + 1];
      return typeof next === 'string' && /^\w/.test(next) ? `\${${part.env}}` : `$${part.env}`;
    })
    .join('');
}

const variablePattern =
  /\{\{|\}\}|\{(?<named>[A-Za-z_]\w*)\}|\$\$|\$\{(?<braced>[A-Za-z_]\w*)\}|\$(?<bare>[A-Za-z_]\w*)/g;

function expandVariables(text: string, where: CfgValue, variables: Variables, problems: string[]): Word {
  const parts: WordPart[] = [];
  const pushText = (piece: string): void => {
    if (piece === '') return;
    const last = parts.at(-1);
    if (typeof last === 'string') parts[parts.length - 1] = last + piece;
    else parts.push(piece);
  };
  let position = 0;
  for (const match of text.matchAll(variablePattern)) {
    pushText(text.slice(position, match.index));
    position = match.index + match[0].length;
    const { named, braced, bare } = match.groups!;
    if (match[0] === '{{' || match[0] === '}}' || match[0] === '$$') {
      pushText(match[0][0]!);
    } else if (named !== undefined) {
      const replacement = variables.named[named];
      if (replacement === undefined) {
        const known = Object.keys(variables.named)
          .map((name) => `{${name}}`)
          .join(', ');
        problems.push(
          `${describeLocation(where)}: unknown variable {${named}} (known: ${known}; write {{ for a literal brace)`,
        );
      }
      pushText(replacement ?? '');
    } else {
      const name = (braced ?? bare)!;
      if (variables.env[name] === undefined) {
        problems.push(`${describeLocation(where)}: environment variable $${name} is not set`);
      }
      parts.push({ env: name });
    }
  }
  pushText(text.slice(position));
  return parts.length === 0 ? [''] : parts;
}
