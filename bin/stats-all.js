#!/usr/bin/env node
import { runCli } from '../dist/cli/run-command.js';
import { createCommand } from '../dist/cli/stats-all.js';

await runCli(createCommand());
