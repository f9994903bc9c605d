import { imageLabel, projectLabel } from './run-settings.js';

/** Which containers a command acts on: the scope flags shared by ls-containers and its kin. */
export interface ContainerScope {
  /** The project whose containers are meant; undefined means every container (`--all`, or outside a project). */
  readonly project?: string;
  /** Only containers run from this image (cfg section) of the project. */
  readonly image?: string;
  /** Include stopped and created containers (`-a`). */
  readonly includeStopped: boolean;
}

/** The `docker ps` / `docker events` label filters that select a scope's containers. */
export function scopeLabelFilters(scope: ContainerScope): string[] {
  const filters: string[] = [];
  if (scope.project !== undefined) filters.push(`label=${projectLabel}=${scope.project}`);
  if (scope.image !== undefined) filters.push(`label=${imageLabel}=${scope.image}`);
  return filters;
}
