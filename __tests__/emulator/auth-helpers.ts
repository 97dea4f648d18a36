import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { FaultInjector } from '../../emulator/src/faults/injector';
import type { FaultPlan, RequestFaultKind } from '../../emulator/src/faults/faults';
import type { RunningOrg } from '../../emulator/src/server';

/** POSTs an OAuth form and returns status and parsed JSON body. */
export async function postForm(
  url: string,
  params: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Calls an /_admin endpoint with the org's admin token. */
export async function admin(
  running: RunningOrg,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${running.instanceUrl}/_admin${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${running.adminToken}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export interface RsaKeys {
  privateKeyPem: string;
  publicKeyPem: string;
}

export function rsaKeys(): RsaKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** A JWT bearer assertion as a server would sign it; `claims` override the valid defaults. */
export function signAssertion(privateKeyPem: string, claims: Record<string, unknown>): string {
  return jwt.sign({ exp: Math.floor(Date.now() / 1000) + 180, ...claims }, privateKeyPem, {
    algorithm: 'RS256',
  });
}

/**
 * The first seed whose request-level dice give exactly `pattern` (one entry per request) under
 * `plan`; found with the injector itself so the tests follow the real PRNG.
 */
export function seedFor(plan: Partial<FaultPlan>, pattern: Array<RequestFaultKind | null>): number {
  for (let seed = 1; seed < 10_000; seed++) {
    const dice = new FaultInjector({ ...plan, seed });
    if (pattern.every((want) => dice.beforeRequest().fault === want)) return seed;
  }
  throw new Error('no seed gives that pattern');
}
