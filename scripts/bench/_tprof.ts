import { syntheticAccounts, ruleModel } from './territory';
import { assignAccounts, compileModel } from '../../server/src/domain/territory';
import { createMatcher } from '../../server/src/domain/territory/matcher';
const snap = syntheticAccounts(50000);
const config = ruleModel();
const model = compileModel(config.territories, config.territories.models[0]!);
console.log('unanchored', model.unanchored.length, 'index slots', [...model.index.keys()]);
let c = process.cpuUsage();
const match = createMatcher(model);
let n = 0;
for (const a of snap.accounts) n += match(a).length;
let d = process.cpuUsage(c);
console.log('match cpu s', (d.user + d.system) / 1e6, 'matches', n);
c = process.cpuUsage();
assignAccounts({ model, accounts: snap.accounts, current: new Map(), tieBreak: 'keep-current-or-none', changes: new Map(), asOf: '2026-11-27' });
d = process.cpuUsage(c);
console.log('assign cpu s', (d.user + d.system) / 1e6);
for (let k = 0; k < 3; k++) {
  const c2 = process.cpuUsage();
  const t0 = Date.now();
  assignAccounts({ model, accounts: snap.accounts, current: new Map(), tieBreak: 'keep-current-or-none', changes: new Map(), asOf: '2026-11-27' });
  const d2 = process.cpuUsage(c2);
  console.log('assign again cpu s', (d2.user + d2.system) / 1e6, 'wall', (Date.now() - t0) / 1000);
}
const c3 = process.cpuUsage();
for (const a of snap.accounts) match(a);
const d3 = process.cpuUsage(c3);
console.log('match again', (d3.user + d3.system) / 1e6);
