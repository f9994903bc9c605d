import { requireMachineCommand, runMachineCommand } from '../docks/dock-machines.js';
import { dockTarget } from '../docks/engine-target.js';
import { engineContext, type CommandSession } from './session.js';

/** How long a stop command may take: stopping a cloud machine returns at once, the machine stops on its own. */
export const stopCommandTimeoutMs = 120_000;

/** stop-dock NAME: runs the dock's stop command. */
export async function stopDock(session: CommandSession, request: { name: string }): Promise<void> {
  const target = dockTarget(request.name, session.env);
  const command = requireMachineCommand(session.env, request.name, 'stop');
  await runMachineCommand({ ...engineContext(session), target }, 'stop', command, stopCommandTimeoutMs);
}
