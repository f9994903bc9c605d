import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCfg } from './cfg-file.js';
import { runGit, type SourceVersion } from './source-version.js';

// The `_version.py.bld` convention of the Python dockerutils: a Python file holding versioneer's
// version JSON, written at the project root before a build, so a Dockerfile can ADD it over the
// package's `_version.py` and the image knows its version without .git in the build context.

/** The file build-image writes for projects versioned with versioneer. */
export const versioneerBuildFile = '_version.py.bld';

/** The `[versioneer]` section of a project's setup.cfg, when it has one. */
export interface VersioneerConfig {
  readonly tagPrefix: string;
  readonly style: string;
}

/** Reads `[versioneer]` from `<root>/setup.cfg`; undefined when there is no such file or section. */
export function readVersioneerConfig(root: string): VersioneerConfig | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, 'setup.cfg'), 'utf8');
  } catch {
    return undefined;
  }
  const section = parseCfg(text, 'setup.cfg').cfg.sections.get('versioneer');
  if (section === undefined) return undefined;
  // versioneer writes `tag_prefix = ''` for "no prefix" in some versions of its setup instructions.
  const tagPrefix = (section.get('tag_prefix')?.value ?? '').replace(/^(''|"")$/, '');
  return { tagPrefix, style: section.get('style')?.value || 'pep440' };
}

/** What versioneer learns from git (its `pieces`). */
export interface VersioneerPieces {
  /** The tag without the prefix; undefined without a tag. */
  readonly closestTag?: string;
  readonly distance: number;
  readonly short: string;
  readonly long: string;
  readonly dirty: boolean;
  readonly error?: string;
  /** The commit's date as versioneer writes it: `2024-05-01T12:34:56+0200`. */
  readonly date?: string;
}

/** versioneer's `get_versions()` result, the JSON `_version.py.bld` holds. */
export interface VersioneerVersions {
  readonly version: string;
  readonly 'full-revisionid': string | null;
  readonly dirty: boolean | null;
  readonly error: string | null;
  readonly date: string | null;
}

/**
 * Parses `git describe --tags --dirty --always --long` output as versioneer's git_pieces_from_vcs
 * does. Without a tag, the distance is the number of commits, which the caller counts.
 */
export function parseDescription(
  description: string,
  tagPrefix: string,
  revision: string,
): Omit<VersioneerPieces, 'date'> {
  const dirty = description.endsWith('-dirty');
  const described = dirty ? description.slice(0, -'-dirty'.length) : description;
  const base = { long: revision, short: revision.slice(0, 7), dirty, distance: 0 };
  if (!described.includes('-')) return base;
  const match = /^(.+)-(\d+)-g([0-9a-f]+)$/.exec(described);
  if (!match) return { ...base, error: `unable to parse git-describe output: '${description}'` };
  const fullTag = match[1]!;
  if (!fullTag.startsWith(tagPrefix))
    return { ...base, error: `tag '${fullTag}' doesn't start with prefix '${tagPrefix}'` };
  return { ...base, closestTag: fullTag.slice(tagPrefix.length), distance: Number(match[2]), short: match[3]! };
}

/** versioneer's `render_pep440`: TAG[+DISTANCE.gHEX[.dirty]], or 0+untagged.DISTANCE.gHEX[.dirty] without a tag. */
export function renderPep440(pieces: VersioneerPieces): string {
  if (pieces.closestTag) {
    let rendered = pieces.closestTag;
    if (pieces.distance || pieces.dirty) {
      rendered += pieces.closestTag.includes('+') ? '.' : '+';
      rendered += `${pieces.distance}.g${pieces.short}`;
      if (pieces.dirty) rendered += '.dirty';
    }
    return rendered;
  }
  return `0+untagged.${pieces.distance}.g${pieces.short}${pieces.dirty ? '.dirty' : ''}`;
}

/** versioneer's `render`: an error gives version `unknown`, as versioneer reports it. */
export function versioneerVersions(pieces: VersioneerPieces): VersioneerVersions {
  if (pieces.error) {
    return { version: 'unknown', 'full-revisionid': pieces.long || null, dirty: null, error: pieces.error, date: null };
  }
  return {
    version: renderPep440(pieces),
    'full-revisionid': pieces.long,
    dirty: pieces.dirty,
    error: null,
    date: pieces.date ?? null,
  };
}

/** What versioneer itself reports when there is no git to ask. */
export const unknownVersions: VersioneerVersions = {
  version: '0+unknown',
  'full-revisionid': null,
  dirty: null,
  error: 'unable to compute version',
  date: null,
};

/** git's `%ci` (`2024-05-01 12:34:56 +0200`) as versioneer writes it (`2024-05-01T12:34:56+0200`). */
export function versioneerDate(committerDate: string): string {
  return committerDate.trim().replace(' ', 'T').replace(' ', '');
}

/**
 * versioneer's version of the source: the labels' description when the prefix is empty, otherwise
 * one restricted to the prefix's tags as versioneer asks; plus the commit date, and without a tag
 * the number of commits.
 */
export async function readVersioneerVersions(
  root: string,
  env: NodeJS.ProcessEnv,
  source: SourceVersion | undefined,
  config: VersioneerConfig,
): Promise<VersioneerVersions> {
  if (source?.revision === undefined) return unknownVersions;
  let description = source.longDescription;
  if (config.tagPrefix !== '') {
    const matched = await runGit(root, env, [
      'describe',
      '--tags',
      '--dirty',
      '--always',
      '--long',
      '--match',
      `${config.tagPrefix}*`,
    ]);
    if ('failure' in matched) return unknownVersions;
    description = matched.output.trim();
  }
  const pieces = parseDescription(description, config.tagPrefix, source.revision);
  if (pieces.error) return versioneerVersions(pieces);
  const date = await runGit(root, env, ['show', '-s', '--format=%ci', 'HEAD']);
  let distance = pieces.distance;
  if (pieces.closestTag === undefined) {
    const count = await runGit(root, env, ['rev-list', 'HEAD', '--count']);
    distance = 'output' in count ? Number(count.output.trim()) : 0;
  }
  return versioneerVersions({
    ...pieces,
    distance,
    ...('output' in date ? { date: versioneerDate(date.output.split('\n').filter(Boolean).at(-1) ?? '') } : {}),
  });
}

/** The text of `_version.py.bld`, as the Python dockerutils' gen_version_file writes it. */
export function versioneerFileText(versions: VersioneerVersions): string {
  const sorted = Object.fromEntries(Object.entries(versions).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `
# This file was generated by build-image invoking versioneer.py. It is generated
# from revision-control system data and simulates the pre-generated copy of this
# file produced by Versioneer for distribution tarballs.

import json

version_json = '''
${pythonJson(sorted)}
'''  # END VERSION_JSON


def get_versions():
    return json.loads(version_json)

`;
}

// Python's json.dumps(..., indent=4, separators=(',', ': ')) with its default ensure_ascii.
function pythonJson(value: unknown): string {
  return JSON.stringify(value, null, 4).replace(
    /[\u0080-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
