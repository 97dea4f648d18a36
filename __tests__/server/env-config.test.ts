import { parseEnv } from '../../server/src/config/env';
import { AppError } from '../../server/src/shared/errors';

describe('environment configuration', () => {
  it('uses the embedded org and defaults when no SF_* variable is set', () => {
    const cfg = parseEnv({});
    expect(cfg).toEqual({
      org: { kind: 'embedded' },
      apiVersion: '62.0',
      dbFile: '.data/salesops.sqlite',
      port: 8080,
      apiToken: undefined,
      logLevel: 'info',
    });
  });

  it.each([
    [
      {
        SF_LOGIN_URL: 'https://login.salesforce.com',
        SF_CLIENT_ID: 'cid',
        SF_USERNAME: 'u@x',
        SF_PRIVATE_KEY_FILE: 'k.pem',
      },
      'jwt',
    ],
    [
      { SF_LOGIN_URL: 'https://login.salesforce.com', SF_CLIENT_ID: 'cid', SF_CLIENT_SECRET: 's' },
      'client-credentials',
    ],
    [{ SF_LOGIN_URL: 'https://test.salesforce.com', SF_USERNAME: 'u@x', SF_PASSWORD: 'p' }, 'password'],
  ])('picks the login flow from what is set (%#)', (env, kind) => {
    expect(parseEnv(env).org.kind).toBe(kind);
  });

  it('reports every problem at once, naming each variable', () => {
    let caught: unknown;
    try {
      parseEnv({
        SF_LOGIN_URL: 'not a url',
        SF_API_VERSION: '50.0',
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        SALESOPS_API_TOKEN: 'short',
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    const err = caught as AppError;
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.exitCode).toBe(2);
    const problems = err.details.problems as string[];
    for (const name of ['SF_LOGIN_URL', 'SF_API_VERSION', 'PORT', 'LOG_LEVEL', 'SALESOPS_API_TOKEN']) {
      expect(problems.some((p) => p.startsWith(name))).toBe(true);
    }
  });

  it('asks for a password with a username unless a JWT key is given', () => {
    expect(() => parseEnv({ SF_LOGIN_URL: 'https://login.salesforce.com', SF_USERNAME: 'u@x' })).toThrow(
      /SF_PASSWORD is required/,
    );
  });

  it('never echoes secret values in its errors', () => {
    expect(() =>
      parseEnv({
        SF_LOGIN_URL: 'https://login.salesforce.com',
        SF_USERNAME: 'u@x',
        SALESOPS_API_TOKEN: 'hunter2',
      }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
  });
});
