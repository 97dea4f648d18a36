/**
 * `npm run validate:metadata [-- <projectDir>]`: checks force-app offline (well-formed XML,
 * SDR resolution and conversion, required elements, cross-references). Exits 1 on any problem.
 */
import path from 'node:path';
import { validateMetadata } from './validate-metadata';

async function main(): Promise<void> {
  const projectDir = path.resolve(process.argv[2] ?? '.');
  const started = Date.now();
  const report = await validateMetadata({ projectDir });
  const out = process.stdout;
  for (const p of report.problems) out.write(`${p.file}: ${p.message}\n`);
  const verdict = report.problems.length === 0 ? 'OK' : `${report.problems.length} problem(s)`;
  out.write(
    `metadata: ${verdict}; ${report.xmlFiles} XML files, ${report.components} components, ` +
      `${report.convertedFiles} files converted to Metadata API format in ${Date.now() - started} ms\n`,
  );
  process.exitCode = report.problems.length === 0 ? 0 : 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 2;
});
