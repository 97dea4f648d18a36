import { describe, expect, it } from '@jest/globals';
import { budgetDecision, minimumReadCalls } from '../../server/src/app/sync-budget';
import { checkpointPage, completeRead, planRead, reconcileDue } from '../../server/src/app/sync-cursor';
import { loadSyncConfig, parseSyncConfig } from '../../server/src/config/sync-config';
import { keysetSoql } from '../../server/src/crm/keyset-soql';
import { backoffDelay, classifyFailure } from '../../server/src/crm/retry';
import { parseSfDateTime, soqlDateTime, soqlId, soqlName } from '../../server/src/crm/soql-values';
import { emptyCursor } from '../../server/src/store';

const T = Date.parse('2026-01-15T10:00:00.000Z');
const ID = '0015g0000000001AAA';

describe('cursor rules', () => {
  it('When nothing was synced, then the read starts from nothing; after a bookmark it starts a lookback earlier', () => {
    expect(planRead(null, 600_000, false)).toEqual({ from: null, after: null, resuming: false });
    expect(planRead({ ...emptyCursor('A'), bookmark: T }, 600_000, false)).toEqual({
      from: T - 600_000,
      after: null,
      resuming: false,
    });
    expect(planRead({ ...emptyCursor('A'), bookmark: T }, 600_000, true)).toEqual({
      from: null,
      after: null,
      resuming: false,
    });
  });

  it('When a read was interrupted, then the next one continues after the checkpointed key in the same window', () => {
    const c = {
      ...emptyCursor('A'),
      bookmark: T,
      resumeKey: { modstamp: T + 5, id: ID },
      resumeFrom: T - 600_000,
      resumeUpTo: T + 100,
    };
    expect(planRead(c, 600_000, false)).toEqual({
      from: T - 600_000,
      after: { modstamp: T + 5, id: ID },
      resuming: true,
    });
  });

  it('When pages are stored and the read completes, then the bookmark is the earliest start of the read, never later', () => {
    const plan = { from: null, after: null, resuming: false };
    let c = checkpointPage(
      emptyCursor('A'),
      { last: { modstamp: T, id: ID }, orgStart: T + 50_000 },
      plan,
      1,
    );
    c = checkpointPage(c, { last: { modstamp: T + 1, id: ID }, orgStart: T + 90_000 }, plan, 2);
    expect(c).toMatchObject({
      resumeKey: { modstamp: T + 1, id: ID },
      resumeUpTo: T + 50_000,
      bookmark: null,
    });
    expect(checkpointPage(c, { last: null, orgStart: T }, plan, 3)).toBe(c);
    expect(completeRead(c, T + 90_000, 4)).toMatchObject({
      bookmark: T + 50_000,
      resumeKey: null,
      resumeUpTo: null,
      resumeFrom: null,
    });
    expect(completeRead(emptyCursor('A'), T + 7, 4)).toMatchObject({ bookmark: T + 7 });
  });

  it('When reconciliation is considered, then it runs on --full, after the interval, and not right after an initial load', () => {
    const synced = { ...emptyCursor('A'), bookmark: T, lastReconciledAt: T };
    expect(reconcileDue(null, 24, false, T)).toBe(false);
    expect(reconcileDue(synced, 24, true, T)).toBe(true);
    expect(reconcileDue(synced, 24, false, T + 3_600_000)).toBe(false);
    expect(reconcileDue(synced, 24, false, T + 24 * 3_600_000)).toBe(true);
    expect(reconcileDue(synced, 0, false, T + 1e12)).toBe(false);
  });
});

describe('API budget and cost model', () => {
  const policy = { pauseNonCriticalAt: 0.8, stopAt: 0.9 };
  it.each([
    [null, 100, true, 'go'],
    [79, 100, false, 'go'],
    [80, 100, false, 'pause'],
    [85, 100, true, 'go'],
    [90, 100, true, 'stop'],
    [95, 100, false, 'stop'],
  ])('When %s of %s calls are used (critical %s), then %s', (used, limit, critical, expected) => {
    expect(budgetDecision({ used, limit }, critical, policy)).toBe(expected);
  });

  it.each([
    [0, 1],
    [2000, 1],
    [2001, 2],
    [8000, 4],
    [200_000, 7],
  ])('When %s rows are read, then at least %s calls are needed', (rows, calls) => {
    expect(minimumReadCalls(rows, 50_000)).toBe(calls);
  });
});

describe('SOQL values', () => {
  it('When values are formatted, then only validated datetimes, ids and names come out', () => {
    expect(soqlDateTime(T)).toBe('2026-01-15T10:00:00.000Z');
    expect(() => soqlDateTime(Number.NaN)).toThrow(/invalid datetime/);
    expect(soqlId(ID)).toBe(`'${ID}'`);
    expect(() => soqlId("0015g0000000001' OR Id != '")).toThrow(/18-character id/);
    expect(() => soqlId('0015g0000000001')).toThrow(/18-character id/);
    expect(soqlName('Region__c')).toBe('Region__c');
    expect(soqlName('ns__Thing__c')).toBe('ns__Thing__c');
    expect(() => soqlName('Name, (SELECT Id FROM Contacts)')).toThrow(/API name/);
    expect(parseSfDateTime('2026-01-15T10:00:00.000+0000')).toBe(T);
    expect(parseSfDateTime('2026-01-15T10:00:00.000Z')).toBe(T);
  });

  it('When a keyset query is built, then ties on SystemModstamp continue by Id', () => {
    expect(keysetSoql('Account', ['Id', 'Name'], null, null)).toBe(
      'SELECT Id, Name FROM Account ORDER BY SystemModstamp, Id',
    );
    expect(keysetSoql('Account', ['Id'], T, null)).toBe(
      'SELECT Id FROM Account WHERE SystemModstamp >= 2026-01-15T10:00:00.000Z ORDER BY SystemModstamp, Id',
    );
    expect(keysetSoql('Account', ['Id'], T - 1, { modstamp: T, id: ID })).toBe(
      `SELECT Id FROM Account WHERE (SystemModstamp = 2026-01-15T10:00:00.000Z AND Id > '${ID}') OR SystemModstamp > 2026-01-15T10:00:00.000Z ORDER BY SystemModstamp, Id`,
    );
  });
});

describe('retry classification', () => {
  it.each([
    [{ errorCode: 'REQUEST_LIMIT_EXCEEDED' }, 'limit'],
    [{ errorCode: 'SERVER_UNAVAILABLE', status: 503 }, 'transient'],
    [{ errorCode: 'TOO_MANY_REQUESTS', status: 429 }, 'transient'],
    [{ code: 'ECONNRESET' }, 'transient'],
    [{ message: 'Unable to refresh session due to: expired' }, 'auth'],
    [{ errorCode: 'INVALID_FIELD' }, 'field'],
    [{ errorCode: 'INVALID_QUERY_LOCATOR' }, 'locator'],
    [{ errorCode: 'MALFORMED_QUERY', status: 400 }, 'permanent'],
  ])('When the error is %j, then it is %s', (err, kind) => {
    expect(classifyFailure(err).kind).toBe(kind);
  });

  it('When backing off, then the wait is jittered under an exponential, capped ceiling', () => {
    const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(2, policy, () => 0)).toBe(0);
  });
});

describe('sync config', () => {
  it('When the committed config/sync.yaml is read, then it parses with the documented defaults', () => {
    const cfg = loadSyncConfig();
    expect(cfg).toMatchObject({
      lookbackSeconds: 600,
      bulkThreshold: 8000,
      budget: { pauseNonCriticalAt: 0.8, stopAt: 0.9 },
    });
    expect(Object.keys(cfg.objects)).toContain('Opportunity');
  });

  it('When the config is wrong, then every problem names the file, the path and the reason', () => {
    const text =
      'lookbackSeconds: -1\nbudget: { pauseNonCriticalAt: 0.95, stopAt: 0.9 }\nobjects:\n  Account: { fields: ["Name; DROP"] }\n';
    let message = '';
    try {
      parseSyncConfig(text, 'config/sync.yaml');
    } catch (err) {
      message = (err as Error).message;
      expect(err).toMatchObject({ code: 'CONFIG_INVALID' });
    }
    expect(message).toMatch(/config\/sync\.yaml: lookbackSeconds: /);
    expect(message).toMatch(/config\/sync\.yaml: objects\.Account\.fields\[0\]: must be an API name/);
    expect(() => parseSyncConfig('objects: {}\n', 'x.yaml')).toThrow(
      /x\.yaml: objects: must name at least one object/,
    );
    expect(() =>
      parseSyncConfig('budget: { pauseNonCriticalAt: 0.95, stopAt: 0.9 }\nobjects: { A: {} }\n', 'x.yaml'),
    ).toThrow(/x\.yaml: budget\.pauseNonCriticalAt: must not be above budget\.stopAt/);
  });
});
