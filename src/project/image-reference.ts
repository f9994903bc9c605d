import { UserError } from '../errors.js';

// docker's reference grammar (github.com/distribution/reference, regexp.go): a name is path
// components separated by `/`, the first of which may be a registry host[:port]; a tag is 1 to 128
// word characters, dots and dashes, not starting with a dot or dash.
const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const domain =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$|^localhost(?::[0-9]+)?$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const maxNameLength = 255;

/** Why an image name breaks docker's grammar, naming the part; undefined when it is valid. */
export function imageNameProblem(name: string): string | undefined {
  if (name === '') return 'the name is empty';
  if (name.length > maxNameLength) return `the name is ${name.length} characters long (docker allows ${maxNameLength})`;
  const parts = name.split('/');
  const hasDomain = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!);
  if (hasDomain && !domain.test(parts[0]!)) return `"${parts[0]}" is not a registry host[:port]`;
  for (const part of hasDomain ? parts.slice(1) : parts) {
    if (part === '') return 'it has an empty part between slashes';
    if (!pathComponent.test(part)) {
      return `"${part}" may hold only lower-case letters, digits and the separators . _ __ -, beginning and ending with a letter or digit`;
    }
  }
  return undefined;
}

/** Why a tag breaks docker's grammar; undefined when it is valid. */
export function imageTagProblem(tag: string): string | undefined {
  if (tagPattern.test(tag)) return undefined;
  return 'a tag is 1 to 128 letters, digits, _ . and -, not beginning with . or -';
}

/** Checks `name:tag` before anything runs; `origin` says where each part came from, for the fix. */
export function requireValidReference(name: string, tag: string, origin: { name: string; tag: string }): void {
  const nameProblem = imageNameProblem(name);
  if (nameProblem) throw new UserError(`image name "${name}" (${origin.name}) is not valid for docker: ${nameProblem}`);
  const tagProblem = imageTagProblem(tag);
  if (tagProblem) throw new UserError(`image tag "${tag}" (${origin.tag}) is not valid for docker: ${tagProblem}`);
}
