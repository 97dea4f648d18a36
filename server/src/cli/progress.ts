import cliProgress from 'cli-progress';

/**
 * A progress bar on stderr for long work, only when stderr is a terminal (CI logs and `--json`
 * pipelines stay clean). Phases switch the bar's label and total.
 */
export function createProgressReporter(enabled: boolean): {
  update(p: { phase: string; done: number; total: number }): void;
  stop(): void;
} {
  if (!enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: '{phase} [{bar}] {percentage}% | {value}/{total}', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let phase = '';
  return {
    update(p) {
      if (p.phase !== phase) {
        if (phase) bar.stop();
        phase = p.phase;
        bar.start(p.total, p.done, { phase: p.phase.padEnd(22) });
      } else {
        bar.update(p.done, { phase: p.phase.padEnd(22) });
      }
    },
    stop() {
      if (phase) bar.stop();
    },
  };
}
