#!/usr/bin/env node
import { runCli } from '../dist/cli/run-command.js';
import { createCommand } from '../dist/cli/ls-containers.js';

await runCli(createCommand());
