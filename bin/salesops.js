#!/usr/bin/env node
// The `salesops` command. TypeScript sources run through tsx's require hook, so a fresh clone
// needs no build step between `npm ci` and `npm start`.
'use strict';
require('tsx/cjs/api').register();
const { main } = require('../server/src/cli/main.ts');

main(process.argv).then((code) => {
  process.exitCode = code;
});
