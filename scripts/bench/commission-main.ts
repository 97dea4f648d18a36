/**
 * The commission benchmark in a process of its own, so its peak RSS is its own:
 * `node bin/run-ts.js scripts/bench/commission-main.ts <opportunities> <reps>` prints JSON.
 */
import { benchCommissions, buildCommissionSnapshot } from './commission';

const opportunities = Number(process.argv[2] ?? 200_000);
const reps = Number(process.argv[3] ?? 400);
const snapshot = buildCommissionSnapshot(opportunities, reps);
process.stdout.write(JSON.stringify(benchCommissions(snapshot, reps)) + '\n');
