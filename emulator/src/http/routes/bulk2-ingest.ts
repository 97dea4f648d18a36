import { bulkServiceFor } from '../../bulk';
import { bulkRoute, csvBody, param } from '../../bulk/http';
import { createdJobInfo, fullJobInfo, listedJobInfo, patchedJobInfo } from '../../bulk/job-info';
import { parseIngestJobRequest } from '../../bulk/job-requests';
import { sendIngestResults, sendUnprocessedRecords } from '../../bulk/results';
import { apiVersionOf, sessionOf } from '../context';
import { jsonObjectBody, sendJson } from '../respond';
import type { RouteModule } from './route-module';

/** Bulk API 2.0 ingest jobs: /jobs/ingest[/{id}[/batches|/successfulResults|/failedResults|/unprocessedrecords]]. */
export const registerBulk2IngestRoutes: RouteModule = (router, ctx) => {
  const service = () => bulkServiceFor(ctx);

  router.post(
    '/jobs/ingest',
    bulkRoute((req, res) => {
      const request = parseIngestJobRequest(jsonObjectBody(req), ctx.org.schema);
      const job = service().createIngestJob(request, sessionOf(res).userId, apiVersionOf(req));
      sendJson(res, 200, createdJobInfo(job));
    }),
  );

  router.get(
    '/jobs/ingest',
    bulkRoute((_req, res) => {
      const records = service().list('ingest').map(listedJobInfo);
      sendJson(res, 200, { done: true, records, nextRecordsUrl: null });
    }),
  );

  router.get(
    '/jobs/ingest/:id',
    bulkRoute((req, res) => sendJson(res, 200, fullJobInfo(service().job('ingest', param(req, 'id'))))),
  );

  router.put(
    '/jobs/ingest/:id/batches',
    bulkRoute((req, res) => {
      service().upload(param(req, 'id'), csvBody(req));
      res.status(201).end();
    }),
  );

  router.patch(
    '/jobs/ingest/:id',
    bulkRoute((req, res) => {
      const job = service().changeState('ingest', param(req, 'id'), jsonObjectBody(req).state);
      sendJson(res, 200, patchedJobInfo(job));
    }),
  );

  router.delete(
    '/jobs/ingest/:id',
    bulkRoute((req, res) => {
      service().delete('ingest', param(req, 'id'));
      res.status(204).end();
    }),
  );

  router.get(
    '/jobs/ingest/:id/successfulResults',
    bulkRoute((req, res) =>
      sendIngestResults(res, service().store, service().job('ingest', param(req, 'id')), 'success'),
    ),
  );

  router.get(
    '/jobs/ingest/:id/failedResults',
    bulkRoute((req, res) =>
      sendIngestResults(res, service().store, service().job('ingest', param(req, 'id')), 'failed'),
    ),
  );

  router.get(
    '/jobs/ingest/:id/unprocessedrecords',
    bulkRoute((req, res) =>
      sendUnprocessedRecords(res, service().store, service().job('ingest', param(req, 'id'))),
    ),
  );
};
