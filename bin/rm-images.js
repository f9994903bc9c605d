#!/usr/bin/env node
import '../dist/bin/rm-images.js';
