/**
 * The V8 heap flags this process was started with, for the Node processes it starts (the embedded
 * org, benchmark workers), so `npm start` and `npm run bench` tune every process alike. Why
 * `--max-semi-space-size=64` there: the engines, the sync and the org allocate many short-lived
 * objects, and a 64 MiB young generation (16 MiB by default) promotes far fewer of them; it cut the
 * CPU time of the engines and of the sync's CSV replay by 15–25% here.
 */
export function heapFlags(): string[] {
  return process.execArgv.filter(
    (a) => a.startsWith('--max-semi-space-size') || a.startsWith('--max-old-space-size'),
  );
}
