import type { ContainerSummary } from '../docker/containers.js';
import { formatColumns } from '../lifecycle/project-images.js';
import { imageLabel } from '../project/run-settings.js';

/** The shell's `ps`: one line per container with its image, state, docker's status and ports. */
export function formatContainerTable(containers: readonly ContainerSummary[]): string {
  const rows = [...containers]
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))
    .map((container) => [container.name, container.labels[imageLabel] ?? container.image, container.state, container.status, container.ports || '-']);
  return formatColumns([['NAME', 'IMAGE', 'STATE', 'STATUS', 'PORTS'], ...rows]);
}
