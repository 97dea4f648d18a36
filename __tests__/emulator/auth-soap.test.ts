import { Connection } from 'jsforce';
import type { RunningOrg } from '../../emulator/src/server';
import { API_VERSION, startTestOrg } from '../helpers/org';

const soapEnvelope = (body: string, header = ''): string =>
  `<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header>${header}</se:Header><se:Body>${body}</se:Body></se:Envelope>`;

describe('SOAP partner login and logout with jsforce', () => {
  let running: RunningOrg;
  beforeAll(async () => {
    running = await startTestOrg();
  });
  afterAll(() => running.close());

  const soapUrl = () => `${running.loginUrl}/services/Soap/u/${API_VERSION}`;
  const postSoap = async (xml: string): Promise<{ status: number; type: string | null; text: string }> => {
    const res = await fetch(soapUrl(), {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
      body: xml,
    });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  const apiStatus = async (token: string): Promise<number> =>
    (
      await fetch(`${running.instanceUrl}/services/data/v${API_VERSION}/limits`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).status;

  it('logs in a Connection without oauth2 over SOAP and uses the session for REST', async () => {
    const conn = new Connection({ loginUrl: running.loginUrl, version: API_VERSION });
    const userInfo = await conn.login(running.username, running.password);
    expect(userInfo).toEqual({
      id: running.adminUserId,
      organizationId: running.org.orgId,
      url: `${running.loginUrl}/id/${running.org.orgId}/${running.adminUserId}`,
    });
    expect(conn.instanceUrl).toBe(running.instanceUrl);
    expect(await apiStatus(conn.accessToken ?? '')).toBe(200);
  });

  it('answers login with the partner loginResult: serverUrl with the 15-char org id, userInfo fields', async () => {
    const { status, type, text } = await postSoap(
      soapEnvelope(
        `<login xmlns="urn:partner.soap.sforce.com"><username>${running.username}</username><password>${running.password}</password></login>`,
      ),
    );
    expect(status).toBe(200);
    expect(type).toBe('text/xml;charset=UTF-8');
    const org15 = running.org.orgId.slice(0, 15);
    expect(text).toContain(
      `<serverUrl>${running.instanceUrl}/services/Soap/u/${API_VERSION}/${org15}</serverUrl>`,
    );
    expect(text).toContain(
      `<metadataServerUrl>${running.instanceUrl}/services/Soap/m/${API_VERSION}/${org15}</metadataServerUrl>`,
    );
    expect(text).toContain('<passwordExpired>false</passwordExpired>');
    expect(text).toMatch(/<sessionId>[^<]+<\/sessionId><userId>005\w{15}<\/userId>/);
    for (const field of [
      `<organizationId>${running.org.orgId}</organizationId>`,
      `<userEmail>${running.username}</userEmail>`,
      '<userFullName>Ada Admin</userFullName>',
      `<userName>${running.username}</userName>`,
      `<userId>${running.adminUserId}</userId>`,
    ]) {
      expect(text).toContain(field);
    }
  });

  it('fails a bad password with a 500 INVALID_LOGIN fault that jsforce reports by its faultstring', async () => {
    const conn = new Connection({ loginUrl: running.loginUrl, version: API_VERSION });
    await expect(conn.login(running.username, 'wrong')).rejects.toThrow(
      'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
    );
    const { status, text } = await postSoap(
      soapEnvelope(
        '<login xmlns="urn:partner.soap.sforce.com"><username>ghost@nowhere</username><password>x</password></login>',
      ),
    );
    expect(status).toBe(500);
    expect(text).toContain('<faultcode>sf:INVALID_LOGIN</faultcode>');
    expect(text).toContain('<sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode>');
  });

  it('reads XML-escaped credentials', async () => {
    const { status } = await postSoap(
      soapEnvelope(
        `<login xmlns="urn:partner.soap.sforce.com"><username>${running.username}</username><password>${running.password.replace(/-/g, '&#45;')}</password></login>`,
      ),
    );
    expect(status).toBe(200);
  });

  it('logs out over SOAP: the session is invalidated, and a second logout is an INVALID_SESSION_ID fault', async () => {
    const conn = new Connection({ loginUrl: running.loginUrl, version: API_VERSION });
    await conn.login(running.username, running.password);
    const token = conn.accessToken ?? '';
    await conn.logout();
    expect(conn.accessToken).toBeNull();
    expect(await apiStatus(token)).toBe(401);
    const again = await postSoap(
      soapEnvelope(
        '<logout xmlns="urn:partner.soap.sforce.com"/>',
        `<SessionHeader xmlns="urn:partner.soap.sforce.com"><sessionId>${token}</sessionId></SessionHeader>`,
      ),
    );
    expect(again.status).toBe(500);
    expect(again.text).toContain('<faultcode>sf:INVALID_SESSION_ID</faultcode>');
  });

  it('answers unknown operations and non-XML bodies with a client fault, never HTML', async () => {
    const unknown = await postSoap(soapEnvelope('<describeGlobal xmlns="urn:partner.soap.sforce.com"/>'));
    expect(unknown.status).toBe(500);
    expect(unknown.text).toContain('<faultcode>soapenv:Client</faultcode>');
    expect(unknown.text).toContain(
      'No operation available for request {urn:partner.soap.sforce.com}describeGlobal',
    );
    const garbage = await postSoap('this is not xml');
    expect(garbage.status).toBe(500);
    expect(garbage.type).toBe('text/xml;charset=UTF-8');
  });

  it('refuses an API version outside the supported range', async () => {
    const res = await fetch(`${running.loginUrl}/services/Soap/u/7.0`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml' },
      body: soapEnvelope('<login/>'),
    });
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('<faultcode>sf:UNSUPPORTED_API_VERSION</faultcode>');
  });
});
