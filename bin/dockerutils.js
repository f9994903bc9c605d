#!/usr/bin/env node
import { main } from '../dist/cli/dockerutils.js';

await main();
