import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { loadEngineConfig } from '../config/engine-config';
import { heapFlags } from './node-flags';
import { AppError } from '../shared/errors';

export interface EmbeddedOrgInfo {
  instanceUrl: string;
  username: string;
  password: string;
  accessToken: string;
  seeded: { size: string | number; counts: Record<string, number>; seconds: number } | null;
  /** Demo users to view the preview as (empty without demo data). */
  viewers?: { username: string; password: string; label: string; role: string }[];
}

export interface EmbeddedOrgProcess {
  info: EmbeddedOrgInfo;
  stop(): Promise<void>;
}

const BIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'salesops.js');

/**
 * Runs `salesops org start --json` as a child process and waits for its JSON greeting. The server
 * reaches the org over HTTP only, as it would a real org; the org also gets its own CPU core.
 */
export function spawnEmbeddedOrg(args: string[]): Promise<EmbeddedOrgProcess> {
  const child = spawn(process.execPath, [...heapFlags(), BIN, 'org', 'start', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const parsed = tryParse(buffer);
      if (!parsed) return;
      child.stdout?.off('data', onData);
      if (parsed.ok === false) {
        reject(
          new AppError('ORG_START_FAILED', `The embedded org did not start: ${JSON.stringify(parsed.error)}`),
        );
        return;
      }
      resolve({ info: parsed as unknown as EmbeddedOrgInfo, stop: () => stopChild(child) });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      reject(
        new AppError('ORG_START_FAILED', `The embedded org exited with code ${code} before it was ready`),
      );
    });
    child.once('error', (err) => reject(new AppError('ORG_START_FAILED', err.message, {}, { cause: err })));
  });
}

/**
 * A new embedded org is created with the fiscal year the engines are configured for, so quotas and
 * periods line up; an existing org file keeps its own.
 */
export function fiscalYearArgs(): string[] {
  const calendar = loadEngineConfig().fiscalCalendar;
  return calendar.type === 'standard' ? ['--fiscal-start-month', String(calendar.startMonth)] : [];
}

function tryParse(text: string): Record<string, unknown> | null {
  const trimmed = text.trim();
  if (!trimmed.endsWith('}')) return null;
  try {
    return JSON.parse(trimmed) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
