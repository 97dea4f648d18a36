#!/usr/bin/env node
// The `salesops` command. TypeScript sources run through bin/ts-hook.js (esbuild), so a fresh clone
// needs no build step between `npm ci` and `npm start`.
'use strict';
require('./ts-hook');
const { main } = require('../server/src/cli/main.ts');

main(process.argv).then((code) => {
  process.exitCode = code;
});
