import type { Test } from 'tap';
// Test projects on disk: a unique folder name makes a unique project name, so image and
// container names never collide between parallel runs.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { testLabel, uniqueSuffix } from './engine.js';

/** A project folder made for one test. */
export interface ProjectFixture {
  readonly root: string;
  /** The project name dockerutils derives: the folder name. */
  readonly name: string;
  readonly suffix: string;
  /** `dockerutils.test=<suffix>`: baked into the fixture's images. */
  readonly imageLabel: string;
  /** `dockerutils.project=<name>`: carried by every container run-image starts. */
  readonly containerLabel: string;
}

/** The demo image: busybox httpd serving Hello World! on 8080. */
export function helloDockerfile(suffix: string): string {
  return [
    'FROM busybox',
    `LABEL ${testLabel}=${suffix}`,
    "RUN mkdir -p /www && echo 'Hello World!' > /www/index.html",
    'EXPOSE 8080',
    'CMD ["busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]',
    '',
  ].join('\n');
}

/** Writes a project with the given cfg and image folders (name → Dockerfile text, given the suffix) into a tap testdir. */
export function makeProject(
  t: Test,
  cfg: string,
  dockerfiles: (suffix: string) => Record<string, string>,
): ProjectFixture {
  const suffix = uniqueSuffix();
  const name = `dutest-${suffix}`;
  const images = Object.fromEntries(
    Object.entries(dockerfiles(suffix)).map(([image, text]) => [image, { Dockerfile: text }]),
  );
  const base = t.testdir({ [name]: { docker: { 'dockerutils.cfg': cfg, ...images } } });
  return {
    root: join(base, name),
    name,
    suffix,
    imageLabel: `${testLabel}=${suffix}`,
    containerLabel: `dockerutils.project=${name}`,
  };
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Polls an HTTP URL until it answers (bounded), returning the body. */
export async function fetchWhenReady(url: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return await response.text();
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}
