import express from 'express';
import request from 'supertest';
import type { RunningOrg } from '../../emulator/src/server';
import { createPreviewRouter, type PreviewBuildState } from '../../server/src/preview';
import { API_VERSION, startTestOrg } from '../helpers/org';

// The preview router without a browser: the page gate, the demo-user login and the proxy to the
// org's data API with the viewing user's token.
describe('preview router', () => {
  let org: RunningOrg;
  const built: PreviewBuildState = {
    status: 'fresh',
    reason: 'up to date',
    seconds: 0,
    bundles: [],
    warnings: [],
  };

  beforeAll(async () => {
    org = await startTestOrg();
  });
  afterAll(async () => {
    await org.close();
  });

  function app(overrides: Partial<Parameters<typeof createPreviewRouter>[0]> = {}) {
    const a = express();
    // An app-wide JSON parser, as the companion server has: the proxy must still forward bodies.
    a.use(express.json());
    a.use(
      '/preview',
      createPreviewRouter({
        instanceUrl: org.instanceUrl,
        apiVersion: API_VERSION,
        viewers: [
          { key: 'admin', label: 'Admin', username: org.username, password: org.password },
          { key: 'broken', label: 'Wrong password', username: org.username, password: 'nope' },
        ],
        build: () => Promise.resolve(built),
        ...overrides,
      }),
    );
    return a;
  }

  it('redirects /preview to /preview/ so the page’s relative URLs resolve', async () => {
    const res = await request(app()).get('/preview?as=rep');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/preview/?as=rep');
  });

  it('serves the page once built, and says why when the build failed', async () => {
    const ok = await request(app()).get('/preview/');
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('<script type="module" src="build/boot.js">');
    const failed = await request(
      app({ build: () => Promise.reject(new Error('LWC1503: bad template')) }),
    ).get('/preview/');
    expect(failed.status).toBe(503);
    expect(failed.text).toContain('LWC1503: bad template');
  });

  it('lists the viewers without their passwords', async () => {
    const res = await request(app()).get('/preview/viewers');
    expect(res.body).toEqual([
      { key: 'admin', label: 'Admin', username: org.username },
      { key: 'broken', label: 'Wrong password', username: org.username },
    ]);
  });

  it('logs the chosen viewer in and returns their session; an unknown key gets the first viewer', async () => {
    const res = await request(app()).post('/preview/session').send({ viewer: 'unknown' });
    expect(res.status).toBe(200);
    expect(res.body.viewer.key).toBe('admin');
    expect(res.body.userId).toBe(org.adminUserId);
    expect(res.body.apiVersion).toBe(API_VERSION);
    expect(res.body.accessToken).not.toBe(org.accessToken);
    expect(JSON.stringify(res.body)).not.toContain(org.password);
  });

  it('a failed login is a 502 naming the user', async () => {
    const res = await request(app()).post('/preview/session').send({ viewer: 'broken' });
    expect(res.status).toBe(502);
    expect(res.body.message).toContain(`Login as ${org.username} failed`);
  });

  it('proxies data API calls with the caller’s token, bodies included', async () => {
    const a = app();
    const { body: session } = await request(a).post('/preview/session').send({ viewer: 'admin' });
    const auth = `Bearer ${session.accessToken}`;
    const created = await request(a)
      .post(`/preview/org/services/data/v${API_VERSION}/sobjects/Account`)
      .set('Authorization', auth)
      .send({ Name: 'Proxied Account' });
    expect(created.status).toBe(201);
    const read = await request(a)
      .get(`/preview/org/services/data/v${API_VERSION}/sobjects/Account/${created.body.id}`)
      .set('Authorization', auth);
    expect(read.body.Name).toBe('Proxied Account');
    const anonymous = await request(a).get(
      `/preview/org/services/data/v${API_VERSION}/sobjects/Account/${created.body.id}`,
    );
    expect(anonymous.status).toBe(401);
  });
});
