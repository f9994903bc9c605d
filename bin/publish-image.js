#!/usr/bin/env node
import '../dist/bin/publish-image.js';
