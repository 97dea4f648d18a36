import { startTestOrg, connect } from '../helpers/org';
it('probe', async () => {
  const running = await startTestOrg();
  const conn = connect(running);
  try {
    const r = await conn.sobject('Account').create([{ Name: 'A' }, { Name: 'B' }]);
    console.log(JSON.stringify(r));
    const q = await conn.query("SELECT Id, Name, SystemModstamp, IsDeleted FROM Account WHERE SystemModstamp >= 2020-01-01T00:00:00.000Z ORDER BY SystemModstamp, Id", { scanAll: true } as never);
    console.log(JSON.stringify(q), JSON.stringify(conn.limitInfo));
    const d = await conn.describe('Account');
    console.log(d.fields.length, d.fields.slice(0,3).map(f=>f.name));
    const job = await conn.request({ method: 'POST', url: '/jobs/query', body: JSON.stringify({ operation: 'queryAll', query: 'SELECT Id, Name FROM Account' }), headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    console.log(JSON.stringify(job));
  } catch (e) { console.log('ERR', e); }
  finally { await running.close(); }
});
