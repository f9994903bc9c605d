#!/usr/bin/env node
import '../dist/bin/build-image.js';
