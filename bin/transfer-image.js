#!/usr/bin/env node
import '../dist/bin/transfer-image.js';
