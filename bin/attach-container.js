#!/usr/bin/env node
import '../dist/bin/attach-container.js';
