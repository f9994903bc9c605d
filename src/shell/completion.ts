import { findShellCommand, type ShellCommandSpec } from './shell-line.js';

/** Where completion finds names: the cfg's images, and the engine's containers and docks (asked live). */
export interface CompletionSources {
  readonly images: readonly string[];
  readonly containers: () => Promise<string[]>;
  readonly docks: () => Promise<string[]>;
}

/**
 * node:readline's completion for a line: the candidates for the word being typed, and that word.
 * A single candidate comes with a trailing space, so the next word can follow at once.
 */
export async function completeShellLine(
  line: string,
  specs: readonly ShellCommandSpec[],
  sources: CompletionSources,
): Promise<[string[], string]> {
  const words = line.trimStart().split(/\s+/);
  const word = words.at(-1) ?? '';
  const candidates = await candidatesFor(words.slice(0, -1), specs, sources);
  const hits = [...new Set(candidates.filter((candidate) => candidate.startsWith(word)))].sort();
  return [hits.length === 1 ? [`${hits[0]} `] : hits, word];
}

async function candidatesFor(
  before: readonly string[],
  specs: readonly ShellCommandSpec[],
  sources: CompletionSources,
): Promise<string[]> {
  if (before.length === 0) return specs.flatMap((spec) => [spec.name, ...(spec.aliases ?? [])]);
  const spec = findShellCommand(before[0]!, specs);
  switch (spec?.completes) {
    case 'image':
      // Only the image itself: the words after it are run-image flags.
      return before.length === 1 ? [...sources.images] : [];
    case 'container':
      return sources.containers();
    case 'command':
      return before.length === 1 ? specs.map((candidate) => candidate.name) : [];
    case 'dock':
      if (before.length === 1) return ['add', 'ls', 'rm', 'use', 'env'];
      return before.length === 2 && ['use', 'rm', 'env'].includes(before[1]!) ? sources.docks() : [];
    default:
      return before.length === 1 && spec?.choices ? [...spec.choices] : [];
  }
}
