// How a stack's containers, network, volumes and lock are named and labelled. A stack is one user's
// containers of one project on one engine: its names carry both, so that two projects or two users
// sharing an engine never share a container.

/** Label: the stack (`<project>_<user>`) a container, network or lock belongs to; `up-containers` lists by it. */
export const stackLabel = 'dockerutils.stack';
/** Label: which instance of its image a stack container is (1 to `instances`). */
export const instanceLabel = 'dockerutils.instance';
/** Label: the hash of everything that decides the container (its create argv without the name). */
export const configHashLabel = 'dockerutils.config-hash';
/** Label: the id of the image the container was created from. */
export const imageIdLabel = 'dockerutils.image-id';
/** Label: the settings behind the hash (base64 JSON), so that a change can be named. */
export const settingsLabel = 'dockerutils.settings';
/** Label of the lock container that serializes `up-containers` runs of a stack on an engine. */
export const lockLabel = 'dockerutils.stack-lock';

/** What docker accepts in a container, network or volume name. */
export function dockerNamePart(text: string): string {
  return text.replace(/[^a-zA-Z0-9_.-]/g, '_');
}

/** The stack of a project for a user: `<project>_<user>`. */
export function stackName(project: string, user: string): string {
  return dockerNamePart(`${project}_${user}`);
}

/** `<project>_<image>_<user>`, with `_<n>` when the image has several instances. */
export function stackContainerName(
  project: string,
  image: string,
  user: string,
  instance: number,
  instances: number,
): string {
  const stem = dockerNamePart(`${project}_${image}_${user}`);
  return instances > 1 ? `${stem}_${instance}` : stem;
}

/** The stack's network: `<project>_<user>`, the stack's name. */
export function stackNetworkName(project: string, user: string): string {
  return stackName(project, user);
}

/** A named volume of the cfg as the project owns it: `<project>_<name>`. */
export function projectVolumeName(project: string, volume: string): string {
  return dockerNamePart(`${project}_${volume}`);
}

/** The name of the container that is the stack's lock on an engine; never started. */
export function stackLockName(project: string, user: string): string {
  return `${stackName(project, user)}.up-lock`;
}
