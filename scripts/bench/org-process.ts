import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { heapFlags } from '../../server/src/cli/node-flags';
import { peakRssMb } from './machine';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'salesops.js');

export interface BenchOrg {
  instanceUrl: string;
  accessToken: string;
  username: string;
  password: string;
  /** Seconds from spawn to the org's greeting (includes demo-data generation). */
  readySeconds: number;
  pid: number;
  peakRssMb(): number | null;
  stop(): Promise<void>;
}

/**
 * The embedded org in its own process, as `npm start` runs it: the client under test and the org
 * each get a core, and the org's peak RSS is read from /proc without the client's memory mixed in.
 */
export function startBenchOrg(args: string[]): Promise<BenchOrg> {
  const started = process.hrtime.bigint();
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  for (const k of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete env[k];
  const child: ChildProcess = spawn(
    process.execPath,
    [...heapFlags(), BIN, 'org', 'start', '--json', '--port', '0', ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env,
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      let info: {
        ok?: boolean;
        instanceUrl: string;
        accessToken: string;
        username: string;
        password: string;
      };
      try {
        info = JSON.parse(out);
      } catch {
        return;
      }
      if (info.ok === false) return reject(new Error(`org start failed: ${out}`));
      const pid = child.pid ?? -1;
      resolve({
        ...info,
        readySeconds: Number(process.hrtime.bigint() - started) / 1e9,
        pid,
        peakRssMb: () => peakRssMb(pid),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => reject(new Error(`org start exited with ${code} before it was ready`)));
  });
}
