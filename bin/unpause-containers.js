#!/usr/bin/env node
import '../dist/bin/unpause-containers.js';
