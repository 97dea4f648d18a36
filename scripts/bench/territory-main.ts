/**
 * The territory benchmark in a process of its own, so its peak RSS is its own:
 * `node bin/run-ts.js scripts/bench/territory-main.ts [accounts]` prints JSON.
 */
import { benchTerritories } from './territory';

process.stdout.write(JSON.stringify(benchTerritories(Number(process.argv[2] ?? 200_000))) + '\n');
