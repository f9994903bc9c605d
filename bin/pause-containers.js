#!/usr/bin/env node
import '../dist/bin/pause-containers.js';
