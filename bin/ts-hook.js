// Loads TypeScript sources with esbuild's transform, so a fresh clone runs without a build step.
// Why not tsx's hook: it compiles with keepNames, which wraps every function and class in a
// __name() call; in hot loops (the engines, the embedded org's record paths) that cost about a
// fifth of the CPU time. Plain transform keeps names anyway (nothing is minified or renamed).
// Compiled output is cached on disk by content hash, so a second start compiles nothing.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const CACHE_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'salesops-ts');
const OPTIONS = { loader: 'ts', format: 'cjs', target: 'node20', platform: 'node', sourcemap: 'inline' };
const SALT = JSON.stringify([esbuild.version, OPTIONS]);

function compile(source, filename) {
  const key = crypto.createHash('sha1').update(SALT).update(filename).update(source).digest('hex');
  const cached = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // Not cached yet.
  }
  const { code } = esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename });
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    // Write then rename, so a parallel process never reads half a file.
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, cached);
  } catch {
    // A read-only checkout still runs, only without the cache.
  }
  return code;
}

if (!require.extensions['.ts']) {
  process.setSourceMapsEnabled(true);
  require.extensions['.ts'] = function loadTs(module, filename) {
    module._compile(compile(fs.readFileSync(filename, 'utf8'), filename), filename);
  };
}
