#!/usr/bin/env node
import '../dist/bin/ls-images.js';
