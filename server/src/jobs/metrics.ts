import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The server's Prometheus metrics, in a registry of their own (not prom-client's global one) so
 * that several servers in one process (tests) never share counters.
 */
export interface ServerMetrics {
  registry: Registry;
  jobsTotal: Counter<'type' | 'trigger' | 'status'>;
  jobDuration: Histogram<'type' | 'status'>;
  jobRows: Counter<'type' | 'kind'>;
  crmApiCalls: Counter<'type'>;
  jobsRunning: Gauge<'type'>;
  scheduleTicks: Counter<'schedule' | 'outcome'>;
  commands: Counter<'kind' | 'source'>;
  streamingUp: Gauge;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
}

export function createServerMetrics(opts: { defaultMetrics?: boolean } = {}): ServerMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'salesops_' });
  const registers = [registry];
  return {
    registry,
    jobsTotal: new Counter({
      name: 'salesops_jobs_total',
      help: 'Jobs that ended, by type, trigger and final status (succeeded, failed, interrupted).',
      labelNames: ['type', 'trigger', 'status'],
      registers,
    }),
    jobDuration: new Histogram({
      name: 'salesops_job_duration_seconds',
      help: 'Wall time of one job attempt.',
      labelNames: ['type', 'status'],
      buckets: [0.5, 1, 5, 15, 30, 60, 120, 300, 900, 1800],
      registers,
    }),
    jobRows: new Counter({
      name: 'salesops_job_rows_total',
      help: 'Rows handled by jobs: read from the org, written to it, failed.',
      labelNames: ['type', 'kind'],
      registers,
    }),
    crmApiCalls: new Counter({
      name: 'salesops_crm_api_calls_total',
      help: 'CRM API calls used by jobs (used) and the minimum they could have used (minimum).',
      labelNames: ['type'],
      registers,
    }),
    jobsRunning: new Gauge({
      name: 'salesops_jobs_running',
      help: 'Jobs running in this server instance.',
      labelNames: ['type'],
      registers,
    }),
    scheduleTicks: new Counter({
      name: 'salesops_schedule_ticks_total',
      help: 'Schedule ticks: queued a job, or skipped because the last one had not finished.',
      labelNames: ['schedule', 'outcome'],
      registers,
    }),
    commands: new Counter({
      name: 'salesops_crm_commands_total',
      help: 'Commands noticed in the CRM (job requests, approved territory changes), by how they arrived.',
      labelNames: ['kind', 'source'],
      registers,
    }),
    streamingUp: new Gauge({
      name: 'salesops_streaming_connected',
      help: '1 while the Streaming API subscription is up, 0 while only the poll fallback works.',
      registers,
    }),
    httpRequests: new Counter({
      name: 'salesops_http_requests_total',
      help: 'HTTP requests by route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'salesops_http_request_duration_seconds',
      help: 'HTTP request latency by route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    }),
  };
}
