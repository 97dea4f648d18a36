#!/usr/bin/env -S node --max-semi-space-size=64
// The `salesops` command. TypeScript sources run through bin/ts-hook.js (esbuild), so a fresh clone
// needs no build step between `npm ci` and `npm start`.
'use strict';
require('./ts-hook');
const { main } = require('../server/src/cli/main.ts');

main(process.argv).then((code) => {
  process.exitCode = code;
});
