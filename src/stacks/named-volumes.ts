import { literalWord, type Word } from '../project/words.js';

/** A cfg's `volumes` words with each named volume renamed to the project's name for it. */
export interface ScopedVolumes {
  readonly words: Word[];
  /** The named volumes, as the cfg names them (`data`), in order of appearance, once each. */
  readonly names: string[];
}

// docker's own rule for a volume name; anything else in a -v source is a host path.
const volumeNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/**
 * Finds the named volumes of `-v NAME:/path`, `--volume`, `--mount type=volume,src=NAME,...` (and their
 * `=`/attached forms) and renames each with `rename` (to `<project>_<name>`). Host paths, anonymous
 * volumes and words that come from environment variables are left as they are.
 */
export function scopeNamedVolumes(words: readonly Word[], rename: (name: string) => string): ScopedVolumes {
  const names: string[] = [];
  const renameVolume = (name: string): string => {
    if (!names.includes(name)) names.push(name);
    return rename(name);
  };
  const result: Word[] = [];
  let valueOf: 'volume' | 'mount' | undefined;
  for (const word of words) {
    const text = literalText(word);
    if (valueOf !== undefined) {
      result.push(text === undefined ? word : literalWord(mapValue(valueOf, text, renameVolume)));
      valueOf = undefined;
      continue;
    }
    if (text === '-v' || text === '--volume') valueOf = 'volume';
    else if (text === '--mount') valueOf = 'mount';
    if (valueOf !== undefined || text === undefined) {
      result.push(word);
      continue;
    }
    const attached = /^(-v|--volume=|--mount=)(.+)$/.exec(text);
    if (attached) {
      const kind = attached[1] === '--mount=' ? 'mount' : 'volume';
      result.push(literalWord(attached[1] + mapValue(kind, attached[2]!, renameVolume)));
    } else {
      result.push(word);
    }
  }
  return { words: result, names };
}

function mapValue(kind: 'volume' | 'mount', value: string, rename: (name: string) => string): string {
  if (kind === 'volume') {
    const colon = value.indexOf(':');
    if (colon <= 0) return value;
    const source = value.slice(0, colon);
    return volumeNamePattern.test(source) ? rename(source) + value.slice(colon) : value;
  }
  const fields = value.split(',');
  const type = fields.find((field) => field.startsWith('type='))?.slice('type='.length) ?? 'volume';
  if (type !== 'volume') return value;
  return fields
    .map((field) => {
      const match = /^(src|source)=(.*)$/.exec(field);
      return match && volumeNamePattern.test(match[2]!) ? `${match[1]}=${rename(match[2]!)}` : field;
    })
    .join(',');
}

function literalText(word: Word): string | undefined {
  return word.every((part) => typeof part === 'string') ? word.join('') : undefined;
}
