import { UserError } from '../errors.js';

/** One `key = value` of a section, with the line it starts on (for error messages). */
export interface CfgEntry {
  readonly value: string;
  readonly line: number;
}

/** A parsed dockerutils.cfg: sections by name, each an ordered map of keys. */
export interface CfgFile {
  readonly path: string;
  readonly sections: ReadonlyMap<string, ReadonlyMap<string, CfgEntry>>;
  /** The `[DEFAULT]` section, whose keys every other section inherits. */
  readonly defaults: ReadonlyMap<string, CfgEntry>;
}

/** One problem found in a cfg file. */
export interface CfgProblem {
  readonly line: number;
  readonly message: string;
}

const sectionHeader = /^\[(?<name>[^\]]+)\]\s*$/;
const optionLine = /^(?<key>[^=:\s][^=:]*?)\s*[=:]\s*(?<value>.*)$/;

/**
 * Parses INI text the way Python's configparser does for the Python dockerutils
 * (`ConfigParser()` with `optionxform = str`), so every cfg it read reads the same here:
 * case-kept keys, `=` or `:` separators, indented continuation lines, `#`/`;` comment lines,
 * a `[DEFAULT]` section inherited by all (docs/development.md says why not the `ini` package).
 * Every problem is collected with its line, for the caller to report with the value problems.
 */
export function parseCfg(text: string, path: string): { cfg: CfgFile; problems: CfgProblem[] } {
  const sections = new Map<string, Map<string, CfgEntry>>();
  const problems: CfgProblem[] = [];
  let current: Map<string, CfgEntry> | undefined;
  let lastKey: string | undefined;

  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    // Blank and comment lines inside a multi-line value do not end it (configparser keeps going).
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    if (/^\s/.test(raw) && current && lastKey !== undefined) {
      const entry = current.get(lastKey)!;
      current.set(lastKey, { value: `${entry.value}\n${trimmed}`, line: entry.line });
      return;
    }
    const header = sectionHeader.exec(trimmed);
    if (header) {
      const name = header.groups!.name!.trim();
      if (sections.has(name)) problems.push({ line, message: `section [${name}] appears twice` });
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      lastKey = undefined;
      return;
    }
    const option = optionLine.exec(trimmed);
    if (!option) {
      problems.push({ line, message: `expected "[section]" or "key = value", found: ${trimmed}` });
      return;
    }
    if (!current) {
      problems.push({ line, message: `"${trimmed}" comes before any [section] header` });
      return;
    }
    const key = option.groups!.key!.trim();
    // configparser would take `ports -p 80:80` as key "ports -p 80"; no dockerutils key has a space.
    if (/\s/.test(key)) {
      problems.push({ line, message: `expected "key = value", found: ${trimmed} (a key has no spaces)` });
      return;
    }
    if (current.has(key)) problems.push({ line, message: `key "${key}" appears twice in its section` });
    current.set(key, { value: option.groups!.value!.trim(), line });
    lastKey = key;
  });

  const defaults = sections.get('DEFAULT') ?? new Map<string, CfgEntry>();
  sections.delete('DEFAULT');
  return { cfg: { path, sections, defaults }, problems };
}

/** Where a value came from, for messages: `docker/dockerutils.cfg:12 [dev] volumes`. */
export interface CfgLocation {
  readonly path: string;
  readonly line: number;
  readonly section: string;
  readonly key: string;
}

/** A value with its location, after configparser's `%` interpolation. */
export interface CfgValue extends CfgLocation {
  readonly value: string;
}

/** Formats a location the way compilers do, so editors can jump to it. */
export function describeLocation(location: CfgLocation): string {
  return `${location.path}:${location.line} [${location.section}] ${location.key}`;
}

/** Reads one key of a section (or of [DEFAULT]), interpolated; undefined when absent. */
export function getCfgValue(cfg: CfgFile, section: string, key: string): CfgValue | undefined {
  const entry = lookup(cfg, section, key);
  if (!entry) return undefined;
  const location = { path: cfg.path, line: entry.line, section, key };
  return { ...location, value: interpolate(cfg, section, entry.value, location, 0) };
}

/** The keys a section has, including those it inherits from [DEFAULT]. */
export function cfgKeys(cfg: CfgFile, section: string): string[] {
  return [...new Set([...(cfg.sections.get(section)?.keys() ?? []), ...cfg.defaults.keys()])];
}

function lookup(cfg: CfgFile, section: string, key: string): CfgEntry | undefined {
  return cfg.sections.get(section)?.get(key) ?? cfg.defaults.get(key);
}

const maxInterpolationDepth = 10;

// configparser's BasicInterpolation: `%%` is a literal `%`, `%(key)s` is another key of the section.
function interpolate(cfg: CfgFile, section: string, value: string, location: CfgLocation, depth: number): string {
  if (!value.includes('%')) return value;
  if (depth > maxInterpolationDepth) {
    throw new UserError(`${describeLocation(location)}: %(...)s references nest too deeply (a loop?)`);
  }
  return value.replace(/%(%|\((?<name>[^)]*)\)s|.?)/g, (match, _whole: string, ...rest: unknown[]) => {
    if (match === '%%') return '%';
    const name = (rest.at(-1) as { name?: string }).name;
    if (name === undefined) {
      throw new UserError(
        `${describeLocation(location)}: a lone "%" must be written "%%" (the cfg format interpolates %(key)s)`,
      );
    }
    const entry = lookup(cfg, section, name);
    if (!entry) throw new UserError(`${describeLocation(location)}: %(${name})s names no key of [${section}]`);
    return interpolate(cfg, section, entry.value, location, depth + 1);
  });
}

const trueWords = ['1', 'yes', 'true', 'on'];
const falseWords = ['0', 'no', 'false', 'off'];

/** Whether a text is one of configparser's getboolean words (any case). */
export function isCfgBooleanWord(text: string): boolean {
  const word = text.trim().toLowerCase();
  return trueWords.includes(word) || falseWords.includes(word);
}

/** A boolean key read as configparser's getboolean reads it; any other word names its place. */
export function cfgBoolean(value: CfgValue): boolean {
  const word = value.value.trim().toLowerCase();
  if (trueWords.includes(word)) return true;
  if (falseWords.includes(word)) return false;
  throw new UserError(
    `${describeLocation(value)}: "${value.value}" is not a yes or no: write one of ${trueWords.join('/')} or ${falseWords.join('/')}`,
  );
}
