import { currentContextName } from '../docker/engine-target.js';

/** The dock the docker CLI talks to now: DOCKER_HOST, DOCKER_CONTEXT, or the context last `use`d. */
export function activeDockName(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_HOST || env.DOCKER_CONTEXT || currentContextName(env) || 'default';
}

/** `myproject @default> ` */
export function shellPrompt(projectName: string, dock: string): string {
  return `${projectName} @${dock}> `;
}
