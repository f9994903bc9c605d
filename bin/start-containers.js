#!/usr/bin/env node
import '../dist/bin/start-containers.js';
