import type { ContainerSummary } from '../docker/containers.js';
import { imageLabel, projectLabel } from '../project/run-settings.js';

/** A container as `ls-containers --json` prints it: these field names are stable. */
export interface ContainerRecord extends ContainerSummary {
  readonly shortId: string;
  /** The `dockerutils.project` label, or null for containers not run by dockerutils. */
  readonly project: string | null;
  /** The `dockerutils.image` label (the cfg section), or null. */
  readonly projectImage: string | null;
}

/** docker's 12-character short form of a container id. */
export function shortId(id: string): string {
  return id.slice(0, 12);
}

/** The stable JSON form of one container. */
export function toContainerRecord(container: ContainerSummary): ContainerRecord {
  return {
    id: container.id,
    shortId: shortId(container.id),
    name: container.name,
    image: container.image,
    state: container.state,
    status: container.status,
    ports: container.ports,
    runningFor: container.runningFor,
    createdAt: container.createdAt,
    project: container.labels[projectLabel] ?? null,
    projectImage: container.labels[imageLabel] ?? null,
    labels: container.labels,
  };
}

/** The order people read container names in: replica web_2 before web_10. */
export function compareContainerNames(a: { readonly name: string }, b: { readonly name: string }): number {
  return a.name.localeCompare(b.name, 'en', { numeric: true });
}

/** The columns of the container table, in order. */
export const containerTableHeadings = ['NAME', 'IMAGE', 'STATE', 'STATUS', 'PORTS', 'RUNNING FOR', 'ID'] as const;

/** One table row's cells, in the order of containerTableHeadings. */
export function containerTableCells(container: ContainerSummary): string[] {
  return [
    container.name,
    container.image,
    container.state,
    container.status,
    container.ports,
    container.runningFor,
    shortId(container.id),
  ];
}

/** Left-aligned columns two spaces apart, trailing spaces trimmed; one line per row, each ending in a newline. */
export function formatTable(headings: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headings.map((heading, column) =>
    Math.max(heading.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd() + '\n';
  return [headings, ...rows].map(line).join('');
}

/** The container table of ls-containers and the shell's `ps`: a heading line and one line per container. */
export function formatContainerTable(containers: readonly ContainerSummary[]): string {
  return formatTable(containerTableHeadings, containers.map(containerTableCells));
}
