#!/usr/bin/env node
import '../dist/bin/ls-dock.js';
