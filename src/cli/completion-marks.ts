import type { Argument, Option } from 'commander';

/**
 * What a shell completes an argument or an option's value with: `@images` (the cfg's runnable images),
 * `@buildable` (those with a Dockerfile), `@containers`, `@docks` (names asked for when completing),
 * or literal words.
 */
export type CompletionToken = '@images' | '@buildable' | '@containers' | '@docks' | (string & {});

const marks = new WeakMap<Argument | Option, readonly CompletionToken[]>();

/** Says what completes an argument or option, where its name alone (`<image>`, `--dock`) would not. */
export function completesWith<T extends Argument | Option>(item: T, tokens: readonly CompletionToken[]): T {
  marks.set(item, tokens);
  return item;
}

/** The tokens an argument or option was marked with. */
export function completionMark(item: Argument | Option): readonly CompletionToken[] | undefined {
  return marks.get(item);
}
