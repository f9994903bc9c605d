#!/usr/bin/env node
import '../dist/bin/down-containers.js';
