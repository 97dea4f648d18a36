import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { ENGINES, type EnginePorts } from '../ports';
import { parseInput } from '../validate';

const isoDate = z.iso.date('must be a date YYYY-MM-DD');
const recordId = z.string().regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'must be a Salesforce record id');

const engineParam = z.strictObject({ engine: z.enum(ENGINES) });

const dryRunBody = z.strictObject({
  changes: z
    .array(
      z.strictObject({
        accountId: recordId,
        toTerritoryKey: z.string().trim().min(1).max(80),
        effectiveDate: isoDate.optional(),
      }),
    )
    .min(1, 'must hold at least one change')
    .max(500, 'at most 500 changes per dry run'),
  asOf: isoDate.optional(),
});

const simulateBody = z.strictObject({
  plan: z
    .record(z.string(), z.unknown())
    .refine((p) => Object.keys(p).length > 0, 'must be a commission plan object'),
  asOf: isoDate.optional(),
  repIds: z.array(recordId).max(1000).optional(),
});

export function enginesRouter(engines: EnginePorts): Router {
  const r = Router();
  r.get('/results/:engine', async (req, res) => {
    const { engine } = parseInput(engineParam, req.params, 'path');
    const results = await engines.latestResults(engine);
    if (results === null) throw new AppError('NOT_FOUND', `no ${engine} results yet; run a cycle first`);
    res.json({ engine, results });
  });
  r.post('/territories/dry-run', async (req, res) => {
    const body = parseInput(dryRunBody, req.body, 'body');
    res.json({ dryRun: await engines.territoryDryRun(body) });
  });
  r.post('/commissions/simulate', async (req, res) => {
    const body = parseInput(simulateBody, req.body, 'body');
    res.json({ simulation: await engines.commissionSimulate(body) });
  });
  return r;
}
