#!/usr/bin/env node
import '../dist/bin/up-containers.js';
