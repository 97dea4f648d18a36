import { Router } from 'express';
import { z } from 'zod';
import { JOB_TYPES } from '../../config/schedule-config';
import { AppError } from '../../shared/errors';
import type { Job } from '../../store/job-store';
import type { JobsPort } from '../ports';
import { parseInput } from '../validate';

const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  status: z.enum(['queued', 'running', 'interrupted', 'succeeded', 'failed', 'cancelled']).optional(),
});

const submitBody = z.strictObject({
  type: z.enum(JOB_TYPES),
  params: z.record(z.string(), z.unknown()).default({}),
});

const jobId = z.strictObject({ id: z.uuid() });

/** The API's view of a job (the lease owner and checkpoint stay inside the server). */
export function jobView(j: Job): Record<string, unknown> {
  return {
    id: j.id,
    runId: j.runId,
    type: j.type,
    trigger: j.trigger,
    status: j.status,
    progress: j.progress,
    phase: j.phase,
    params: j.params,
    crmRecordId: j.crmRecordId,
    attempts: j.attempts,
    createdAt: new Date(j.createdAt).toISOString(),
    startedAt: j.startedAt === null ? null : new Date(j.startedAt).toISOString(),
    finishedAt: j.finishedAt === null ? null : new Date(j.finishedAt).toISOString(),
    result: j.result,
    error: j.error,
  };
}

export function jobsRouter(jobs: JobsPort): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const q = parseInput(listQuery, req.query, 'query');
    const list = await jobs.list(q);
    res.json({ jobs: list.map(jobView) });
  });
  r.post('/', async (req, res) => {
    const body = parseInput(submitBody, req.body, 'body');
    // One unfinished API job per type: a double click does not queue the same work twice.
    const out = await jobs.submit({
      type: body.type,
      trigger: 'API',
      params: body.params,
      activeKey: `api:${body.type}`,
    });
    if (!out.created) {
      throw new AppError('CONFLICT', `a ${body.type} job requested through the API has not finished yet`, {
        jobId: out.job?.id ?? null,
      });
    }
    res
      .status(202)
      .location(`/api/jobs/${out.job?.id}`)
      .json({ job: out.job ? jobView(out.job) : null });
  });
  r.get('/:id', async (req, res) => {
    const { id } = parseInput(jobId, req.params, 'path');
    const job = await jobs.get(id);
    if (!job) throw new AppError('NOT_FOUND', `no job ${id}`);
    res.json({ job: jobView(job) });
  });
  return r;
}
