#!/usr/bin/env node
import '../dist/bin/restart-containers.js';
