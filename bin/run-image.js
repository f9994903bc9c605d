#!/usr/bin/env node
import '../dist/bin/run-image.js';
