#!/usr/bin/env node
// Runs a TypeScript script (benchmarks, helpers) through bin/ts-hook.js (esbuild): `node bin/run-ts.js file.ts`.
'use strict';
const path = require('node:path');
require('./ts-hook');
const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bin/run-ts.js <script.ts> [args…]\n');
  process.exit(2);
}
// The script sees process.argv as if node had run it directly: [node, script, ...args].
process.argv.splice(1, 1);
require(path.resolve(file));
