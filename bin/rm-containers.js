#!/usr/bin/env node
import '../dist/bin/rm-containers.js';
