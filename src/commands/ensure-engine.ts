import { fileURLToPath } from 'node:url';
import { runProgram } from '../docker/exec.js';
import { engineContext, type CommandSession } from './session.js';

// The script ships in the package beside dist/ and src/ alike: two folders up from this module.
const scriptPath = fileURLToPath(new URL('../../scripts/ensure-engine', import.meta.url));

/** ensure-engine: on Debian, as root, installs the engine if needed, starts dockerd and seeds busybox. */
export async function ensureEngine(session: CommandSession): Promise<void> {
  await runProgram(engineContext(session), 'bash', [scriptPath], { stdio: 'inherit' });
}
