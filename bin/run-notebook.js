#!/usr/bin/env node
import '../dist/bin/run-notebook.js';
