#!/usr/bin/env node
import '../dist/bin/start-dock.js';
