/**
 * One engine benchmark in a process of its own, so its peak RSS is its own:
 * `node bin/run-ts.js scripts/bench/engines-main.ts <opportunities> [historyShare]` prints JSON.
 */
import { benchEngines, buildSyntheticSnapshot, SYNTHETIC_AS_OF } from './engines';

const opportunities = Number(process.argv[2] ?? 200_000);
const historyShare = Number(process.argv[3] ?? 1);
const snapshot = buildSyntheticSnapshot({ opportunities, asOf: SYNTHETIC_AS_OF, historyShare });
process.stdout.write(JSON.stringify(benchEngines(snapshot, SYNTHETIC_AS_OF)) + '\n');
