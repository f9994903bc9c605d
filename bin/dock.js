#!/usr/bin/env node
import '../dist/bin/dock.js';
