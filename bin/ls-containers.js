#!/usr/bin/env node
import '../dist/bin/ls-containers.js';
