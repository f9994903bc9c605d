#!/usr/bin/env node
import '../dist/bin/dockerutils.js';
