#!/usr/bin/env node
import '../dist/bin/logs-all.js';
