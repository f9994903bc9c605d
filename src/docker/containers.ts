import { ExitCode } from '../errors.js';
import type { RunSettings } from '../project/run-settings.js';
import type { Arg } from './command-line.js';
import { runDocker, type CommandContext } from './exec.js';

/** `docker run` for resolved settings, in the Python dockerutils' order. */
export function runContainerArgs(settings: RunSettings): Arg[] {
  return [
    'run',
    ...settings.init,
    '--name',
    settings.containerName,
    ...Object.entries(settings.labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]),
    ...settings.environment,
    ...(settings.removeOnExit ? ['--rm'] : []),
    ...(settings.detach ? ['-d'] : []),
    ...settings.interactive,
    ...settings.gpu,
    ...(settings.network ? ['--network', settings.network] : []),
    ...settings.volumes,
    ...settings.ports,
    ...settings.extraArgs,
    settings.reference,
    ...settings.command,
  ];
}

// docker run's own failures; any other exit code is the container command's.
const dockerRunFailureCodes = [125, 126, 127];

/**
 * Runs a container in the foreground (or detached with `-d`) and resolves when docker returns.
 * A non-zero exit of the container's command is passed on as our exit code, not reported as an error.
 */
export async function runContainer(context: CommandContext, settings: RunSettings): Promise<void> {
  const result = await runDocker(context, runContainerArgs(settings), {
    stdio: 'inherit',
    acceptExitCode: (exitCode) => !settings.detach && !dockerRunFailureCodes.includes(exitCode),
  });
  if (result.exitCode !== 0) throw new ExitCode(result.exitCode);
}
