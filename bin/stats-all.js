#!/usr/bin/env node
import '../dist/bin/stats-all.js';
