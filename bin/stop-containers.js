#!/usr/bin/env node
import '../dist/bin/stop-containers.js';
