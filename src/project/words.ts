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
 * (a project path, a secret) never splits a word.
 */
export function expandWords(value: CfgValue, variables: Variables): Word[] {
  let words: string[];
  try {
    words = split(value.value);
  } catch (error) {
    throw new UserError(`${describeLocation(value)}: cannot split into words: ${(error as Error).message}`);
  }
  return words.map((word) => expandVariables(word, value, variables));
}

/** Expands variables in a value taken whole, as one word (an `env` section value, a tag). */
export function expandWord(value: CfgValue, variables: Variables): Word {
  return expandVariables(value.value, value, variables);
}

/** A word that is plain text. */
export function literalWord(text: string): Word {
  return [text];
}

/** The text a word stands for, with environment references replaced by their values. */
export function wordText(word: Word, env: NodeJS.ProcessEnv): string {
  return word.map((part) => (typeof part === 'string' ? part : (env[part.env] ?? ''))).join('');
}

/** The word with environment references written as `${NAME}`, for messages. */
export function wordTemplate(word: Word): string {
  return word.map((part) => (typeof part === 'string' ? part : `\${${part.env}}`)).join('');
}

const variablePattern =
  /\{\{|\}\}|\{(?<named>[A-Za-z_]\w*)\}|\$\$|\$\{(?<braced>[A-Za-z_]\w*)\}|\$(?<bare>[A-Za-z_]\w*)/g;

function expandVariables(text: string, where: CfgValue, variables: Variables): Word {
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
        throw new UserError(
          `${describeLocation(where)}: unknown variable {${named}} (known: ${known}; write {{ for a literal brace)`,
        );
      }
      pushText(replacement);
    } else {
      const name = (braced ?? bare)!;
      if (variables.env[name] === undefined) {
        throw new UserError(`${describeLocation(where)}: environment variable $${name} is not set`);
      }
      parts.push({ env: name });
    }
  }
  pushText(text.slice(position));
  return parts.length === 0 ? [''] : parts;
}
