import type { Request, Response } from 'express';
import { faultEnvelope } from '../../auth/soap-envelopes';
import { handleSoapCall } from '../../auth/soap-login';
import { sendXml } from '../respond';
import { isSupportedVersion } from './versions';
import type { RouteModule } from './route-module';

/**
 * The partner SOAP endpoint, for jsforce's login() without a client secret and its SOAP logout.
 * jsforce logs in at /services/Soap/u/{ver} and logs out at the same path on the instance; the
 * serverUrl it is given also carries the org id, so that form is accepted too.
 */
export const registerSoapRoutes: RouteModule = (router, ctx) => {
  const handler = (req: Request, res: Response): void => {
    const version = String(req.params.version);
    if (!isSupportedVersion(version)) {
      const message = 'UNSUPPORTED_API_VERSION: Invalid Api version specified on URL';
      return sendXml(res, 500, faultEnvelope('sf:UNSUPPORTED_API_VERSION', message));
    }
    const answer = handleSoapCall(ctx.org, version, req.body);
    sendXml(res, answer.status, answer.body);
  };
  router.post('/services/Soap/u/:version', handler);
  router.post('/services/Soap/u/:version/:orgId', handler);
};
