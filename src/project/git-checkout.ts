import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// What build-image needs to know about the git checkout a project lives in, read from the files
// git keeps (.git, HEAD, refs, packed-refs, config): no git process for any of it.

/** A git working tree and the folders git keeps its data in. */
export interface GitCheckout {
  readonly workTree: string;
  /** The checkout's own git folder: `.git`, or for a linked worktree `.git/worktrees/<name>` of the main one. */
  readonly gitDir: string;
  /** Where refs, objects and config are shared between worktrees (the same as gitDir for a plain clone). */
  readonly commonDir: string;
}

/** The checkout that holds `start` (the nearest `.git` folder or file upward), or undefined outside one. */
export function findGitCheckout(start: string): GitCheckout | undefined {
  let directory = resolve(start);
  for (;;) {
    const dotGit = join(directory, '.git');
    const gitDir = gitDirAt(dotGit);
    if (gitDir !== undefined) {
      const common = readText(join(gitDir, 'commondir'))?.trim();
      return { workTree: directory, gitDir, commonDir: common ? resolve(gitDir, common) : gitDir };
    }
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

// `.git` is a folder, or in a linked worktree or submodule a file saying `gitdir: PATH`.
function gitDirAt(dotGit: string): string | undefined {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dotGit).isDirectory();
  } catch {
    return undefined;
  }
  if (isDirectory) return dotGit;
  const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(readText(dotGit) ?? '')?.[1];
  return pointer === undefined ? undefined : resolve(dirname(dotGit), pointer);
}

/** The full commit id HEAD names, or undefined when it cannot be read from the files (an unborn branch). */
export function headCommit(checkout: GitCheckout): string | undefined {
  const head = readText(join(checkout.gitDir, 'HEAD'))?.trim();
  if (head === undefined) return undefined;
  if (/^[0-9a-f]{40,64}$/.test(head)) return head;
  const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
  if (ref === undefined) return undefined;
  for (const dir of [checkout.gitDir, checkout.commonDir]) {
    const loose = readText(join(dir, ref))?.trim();
    if (loose !== undefined && /^[0-9a-f]{40,64}$/.test(loose)) return loose;
  }
  for (const line of (readText(join(checkout.commonDir, 'packed-refs')) ?? '').split('\n')) {
    const [id, name] = line.trim().split(' ');
    if (name === ref && id !== undefined && /^[0-9a-f]{40,64}$/.test(id)) return id;
  }
  return undefined;
}

/**
 * The URL of the checkout's remote (the current branch's, else `origin`, else the first one), without
 * the user name and password an https URL may carry; undefined when there is no remote.
 */
export function remoteUrl(checkout: GitCheckout): string | undefined {
  const config = parseGitConfig(readText(join(checkout.commonDir, 'config')) ?? '');
  const remotes = [...config.keys()].filter((section) => section.startsWith('remote.')).map((key) => key.slice(7));
  const branch = /^ref:\s*refs\/heads\/(\S+)$/.exec(readText(join(checkout.gitDir, 'HEAD'))?.trim() ?? '')?.[1];
  const branchRemote = branch === undefined ? undefined : config.get(`branch.${branch}`)?.get('remote');
  const chosen = [branchRemote, 'origin', ...remotes].find(
    (name) => name !== undefined && config.get(`remote.${name}`)?.has('url'),
  );
  const url = chosen === undefined ? undefined : config.get(`remote.${chosen}`)?.get('url');
  return url === undefined ? undefined : withoutCredentials(url);
}

/** A URL with any `user[:password]@` removed (tokens are often put there); scp-like `git@host:path` is kept. */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/@]*@/, '$1');
}

/**
 * git's config file as sections of keys, enough for remotes and branches: `[remote "origin"]` is
 * `remote.origin`; keys are lower-cased as git does; the last value of a key wins.
 */
export function parseGitConfig(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([^\s\]"]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (header) {
      const name = header[2] === undefined ? header[1]!.toLowerCase() : `${header[1]!.toLowerCase()}.${header[2]}`;
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    const entry = /^([a-zA-Z][a-zA-Z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (entry && current) current.set(entry[1]!.toLowerCase(), unquoteGitValue(entry[2] ?? 'true'));
  }
  return sections;
}

// Values may be quoted and may end in a comment; URLs hold neither in practice, but a `#` fragment can.
function unquoteGitValue(value: string): string {
  let result = '';
  let quoted = false;
  for (let index = 0; index < value.length; index++) {
    const character = value[index]!;
    if (character === '"') quoted = !quoted;
    else if (character === '\\' && index + 1 < value.length) result += value[++index];
    else if (!quoted && (character === '#' || character === ';')) break;
    else result += character;
  }
  return result.trim();
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
