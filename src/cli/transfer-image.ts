import { Command } from 'commander';
import { transferImage, type TransferProgress } from '../commands/transfer-image.js';
import { addDryRunOption, createSession, type EngineOptions } from './options.js';
import { formatProgress, wantsProgress } from './output/progress.js';

const redrawIntervalMs = 200;

/** transfer-image IMAGE DOCK */
export function createCommand(): Command {
  const command = new Command('transfer-image')
    .description(
      'stream an image to a dock (docker save | gzip | ssh DOCK "gunzip | docker load", no temporary file), then check its id there',
    )
    .argument('<image>', 'a project image name (dev) or any image reference (busybox:latest)')
    .argument('<dock>', 'the dock to send it to (see dock ls)')
    .addHelpText('after', '\nExamples:\n  transfer-image dev gpu\n  transfer-image busybox:latest gpu')
    .action(async (image: string, dock: string, options: EngineOptions) => {
      const showProgress = wantsProgress(process.stderr, process.env);
      const started = Date.now();
      let lastDrawn = 0;
      const draw = (progress: TransferProgress): void => {
        const now = Date.now();
        if (!showProgress || now - lastDrawn < redrawIntervalMs) return;
        lastDrawn = now;
        process.stderr.write(`\r${formatProgress(progress, now - started, process.stderr.columns ?? 80)}`);
      };
      const result = await transferImage(createSession(options), { image, dock, onProgress: draw });
      if (showProgress) process.stderr.write('\r\x1b[K');
      if (options.dryRun) return;
      const megabytes = (result.bytes / 1e6).toFixed(1);
      process.stderr.write(
        `${result.reference} is on ${dock} with the same id (${megabytes} MB in ${(result.elapsedMs / 1000).toFixed(1)} s)\n`,
      );
      process.stdout.write(`${result.imageId}\n`);
    });
  addDryRunOption(command);
  return command;
}
