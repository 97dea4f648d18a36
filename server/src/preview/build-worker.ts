import { buildPreview } from './build';
import type { PreviewPaths } from './paths';

/**
 * Runs one preview build in its own process (`node bin/run-ts.js build-worker.ts '<paths JSON>'`):
 * the compile takes a core for several seconds, which the server's event loop should not give up.
 * Prints one JSON line: the build result, or `{ error }` with exit code 1.
 */
async function run(): Promise<void> {
  const paths = JSON.parse(process.argv[2] ?? '{}') as PreviewPaths;
  try {
    const result = await buildPreview(paths);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n`);
    process.exitCode = 1;
  }
}

void run();
