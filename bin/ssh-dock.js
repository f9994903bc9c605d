#!/usr/bin/env node
import '../dist/bin/ssh-dock.js';
