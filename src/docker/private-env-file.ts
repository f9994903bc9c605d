import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A docker `--env-file` only its owner can read, in a folder of its own, removed when the docker
 * command ends; created only when a value must not be in the docker CLI's environment.
 */
export class PrivateEnvFile {
  private dir: string | undefined;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  get path(): string {
    // mkdtemp makes the folder 0700.
    this.dir ??= mkdtempSync(join(this.env.XDG_RUNTIME_DIR || tmpdir(), 'dockerutils-env-'));
    return join(this.dir, 'env');
  }

  write(lines: readonly string[]): void {
    writeFileSync(this.path, `${lines.join('\n')}\n`, { mode: 0o600 });
  }

  remove(): void {
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
  }
}
