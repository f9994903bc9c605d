#!/usr/bin/env node
import '../dist/bin/undeploy-image.js';
