import path from 'node:path';

/**
 * The code that starts a worker thread on `file` (a module next to the caller, without extension),
 * for `new Worker(code, { eval: true })`. Sources run as TypeScript through bin/ts-hook.js: a
 * worker inherits neither jest's transform nor the parent's require hooks, and this serves
 * `bin/salesops.js`, `npm run bench` and jest alike. A compiled build loads its `.js` as is.
 */
export function workerEntry(callerFile: string, file: string): string {
  const typescript = path.extname(callerFile) === '.ts';
  const entry = path.join(path.dirname(callerFile), `${file}${typescript ? '.ts' : '.js'}`);
  const hook = path.resolve(__dirname, '..', '..', '..', 'bin', 'ts-hook.js');
  return `${typescript ? `require(${JSON.stringify(hook)});` : ''}require(${JSON.stringify(entry)});`;
}
