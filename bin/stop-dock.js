#!/usr/bin/env node
import '../dist/bin/stop-dock.js';
