/**
 * The hash of everything that decides a container: its resolved `docker create` argv without the
 * name (so environment values count, without being kept anywhere in clear) and its exec_commands.
 */
export function configHash(createArgv: readonly string[], execCommands: readonly (readonly string[])[]): string {
  // Loaded here only: node:crypto costs more at start-up than the rest of a dry run.
  const { createHash } = process.getBuiltinModule('node:crypto');
  return `sha256:${createHash('sha256')
    .update(JSON.stringify({ create: withoutName(createArgv), exec: execCommands }))
    .digest('hex')}`;
}

/** An argv without its `--name NAME` (or `--name=NAME`): the name says which container, not what it is. */
export function withoutName(argv: readonly string[]): string[] {
  const result: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--name') index++;
    else if (!arg.startsWith('--name=')) result.push(arg);
  }
  return result;
}

/** A settings summary as a label value: base64 JSON, since `docker ps` splits label text on commas. */
export function encodeSettings(summary: Readonly<Record<string, string>>): string {
  return Buffer.from(JSON.stringify(summary)).toString('base64');
}

/** The summary kept in a label, or undefined when it is absent or unreadable. */
export function decodeSettings(label: string | undefined): Record<string, string> | undefined {
  if (!label) return undefined;
  try {
    const value = JSON.parse(Buffer.from(label, 'base64').toString('utf8')) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

/** What changed between two summaries, key by key, in words: `ports changed: -p 8080:80 -> -p 8081:80`. */
export function describeSettingsChanges(
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
): string[] {
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  return keys
    .filter((key) => (before[key] ?? '') !== (after[key] ?? ''))
    .map((key) => `${key} changed: ${before[key] || '(none)'} -> ${after[key] || '(none)'}`);
}

/** `sha256:1a2b3c4d5e6f...`: an image id short enough to read. */
export function shortImageId(id: string): string {
  const [algorithm, hex] = id.includes(':') ? id.split(':', 2) : ['sha256', id];
  return `${algorithm}:${hex!.slice(0, 12)}...`;
}
