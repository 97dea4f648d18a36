import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { SqliteJobStore } from '../../../server/src/store/sqlite-job-store';
import { CHILD_TOKEN, STEPS } from './fixtures/serve-child-constants';
import { eventually, tempDir } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURE = path.join(__dirname, 'fixtures', 'serve-child.ts');

interface Child {
  proc: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startChild(storeFile: string, effectsFile: string): Promise<Child> {
  const proc = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'run-ts.js'), FIXTURE, storeFile, effectsFile],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ proc, url: (JSON.parse(line) as { url: string }).url, stderr: () => err, exited });
    });
    void exited.then((code) => reject(new Error(`child exited (${code}) before listening: ${err}`)));
  });
}

test('SIGTERM mid-job checkpoints it; a restart resumes and completes it once, nothing duplicated', async () => {
  const tmp = tempDir('sigterm-');
  const storeFile = path.join(tmp.dir, 'store.sqlite');
  const effectsFile = path.join(tmp.dir, 'effects.sqlite');
  const children: Child[] = [];
  try {
    const first = await startChild(storeFile, effectsFile);
    children.push(first);
    const res = await request(first.url)
      .post('/api/jobs')
      .set('Authorization', `Bearer ${CHILD_TOKEN}`)
      .send({ type: 'Cycle' });
    expect(res.status).toBe(202);
    const id = res.body.job.id as string;

    const effects = new Database(effectsFile, { readonly: false });
    effects.exec(
      'CREATE TABLE IF NOT EXISTS effect (job_id TEXT NOT NULL, step INTEGER NOT NULL, pid INTEGER NOT NULL)',
    );
    const steps = () =>
      effects.prepare('SELECT step, pid FROM effect WHERE job_id = ? ORDER BY rowid').all(id) as Array<{
        step: number;
        pid: number;
      }>;
    await eventually(() => steps().length >= 2, 'two steps done', 20_000);

    first.proc.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const store = new SqliteJobStore(storeFile);
    const interrupted = await store.get(id);
    await store.close();
    expect(interrupted?.status).toBe('interrupted');
    const doneBefore = steps().length;
    expect(doneBefore).toBeLessThan(STEPS);
    expect(interrupted?.checkpoint).toEqual({ step: doneBefore });
    // The log line carries the run id.
    const logLine = first
      .stderr()
      .split('\n')
      .find((l) => l.includes('job interrupted'));
    expect(JSON.parse(logLine ?? '{}')).toMatchObject({ runId: id, jobId: id });

    const second = await startChild(storeFile, effectsFile);
    children.push(second);
    const finished = await eventually(
      async () => {
        const r = await request(second.url)
          .get(`/api/jobs/${id}`)
          .set('Authorization', `Bearer ${CHILD_TOKEN}`);
        return r.body.job?.status === 'succeeded' ? r.body.job : null;
      },
      'the resumed job to succeed',
      20_000,
    );
    expect(finished).toMatchObject({ attempts: 2, progress: 100 });

    const all = steps();
    expect(all.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    // The steps before the stop ran in the first process, the rest in the second.
    expect(new Set(all.slice(0, doneBefore).map((s) => s.pid))).toEqual(new Set([first.proc.pid]));
    expect(new Set(all.slice(doneBefore).map((s) => s.pid))).toEqual(new Set([second.proc.pid]));
    const completions = effects.prepare('SELECT pid FROM completion WHERE job_id = ?').all(id) as Array<{
      pid: number;
    }>;
    expect(completions).toEqual([{ pid: second.proc.pid }]);
    effects.close();
  } finally {
    for (const c of children) {
      if (c.proc.exitCode === null) {
        c.proc.kill('SIGTERM');
        await c.exited;
      }
    }
    tmp.cleanup();
  }
});
