#!/usr/bin/env node
import '../dist/bin/deploy-image.js';
