import { bulkServiceFor } from '../../bulk';
import { bulkRoute, param } from '../../bulk/http';
import { createdJobInfo, fullJobInfo, listedJobInfo, patchedJobInfo } from '../../bulk/job-info';
import { parseQueryJobRequest } from '../../bulk/job-requests';
import { sendQueryResults } from '../../bulk/results';
import { apiVersionOf, sessionOf } from '../context';
import { jsonObjectBody, sendJson } from '../respond';
import type { RouteModule } from './route-module';

/**
 * Bulk API 2.0 query jobs: /jobs/query[/{id}[/results]]. Only results responses carry
 * Sforce-Locator: jsforce reads it from every response of a query job.
 */
export const registerBulk2QueryRoutes: RouteModule = (router, ctx) => {
  const service = () => bulkServiceFor(ctx);

  router.post(
    '/jobs/query',
    bulkRoute((req, res) => {
      const request = parseQueryJobRequest(jsonObjectBody(req));
      const job = service().createQueryJob(request, sessionOf(res).userId, apiVersionOf(req));
      sendJson(res, 200, createdJobInfo(job));
    }),
  );

  router.get(
    '/jobs/query',
    bulkRoute((_req, res) => {
      const records = service().list('query').map(listedJobInfo);
      sendJson(res, 200, { done: true, records, nextRecordsUrl: null });
    }),
  );

  router.get(
    '/jobs/query/:id',
    bulkRoute((req, res) => sendJson(res, 200, fullJobInfo(service().job('query', param(req, 'id'))))),
  );

  router.patch(
    '/jobs/query/:id',
    bulkRoute((req, res) => {
      const job = service().changeState('query', param(req, 'id'), jsonObjectBody(req).state);
      sendJson(res, 200, patchedJobInfo(job));
    }),
  );

  router.delete(
    '/jobs/query/:id',
    bulkRoute((req, res) => {
      service().delete('query', param(req, 'id'));
      res.status(204).end();
    }),
  );

  router.get(
    '/jobs/query/:id/results',
    bulkRoute((req, res) =>
      sendQueryResults(res, service().store, service().job('query', param(req, 'id')), {
        locator: typeof req.query.locator === 'string' ? req.query.locator : undefined,
        maxRecords: typeof req.query.maxRecords === 'string' ? req.query.maxRecords : undefined,
      }),
    ),
  );
};
