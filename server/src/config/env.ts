import { z } from 'zod';
import { AppError } from '../shared/errors';

/**
 * Connection settings and secrets come from the environment; this is the only module that reads
 * `process.env`. Every problem is reported at once, naming the variable and the reason.
 */
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const envSchema = z
  .object({
    SF_LOGIN_URL: optionalText.pipe(
      z.url({ message: 'must be a URL such as https://login.salesforce.com' }).optional(),
    ),
    SF_USERNAME: optionalText,
    SF_PASSWORD: optionalText,
    SF_CLIENT_ID: optionalText,
    SF_CLIENT_SECRET: optionalText,
    SF_PRIVATE_KEY_FILE: optionalText,
    SF_API_VERSION: optionalText.pipe(
      z
        .string()
        .regex(/^\d{2}\.0$/, 'must look like 62.0')
        .refine((v) => Number(v) >= 59, 'must be 59.0 or later')
        .optional(),
    ),
    SALESOPS_DB: optionalText,
    PORT: optionalText.pipe(
      z
        .string()
        .regex(/^\d+$/, 'must be a port number')
        .transform(Number)
        .refine((n) => n <= 65535, 'must be at most 65535')
        .optional(),
    ),
    SALESOPS_API_TOKEN: optionalText.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
    LOG_LEVEL: optionalText.pipe(
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    ),
  })
  .superRefine((env, ctx) => {
    const anySf = env.SF_LOGIN_URL || env.SF_USERNAME || env.SF_CLIENT_ID;
    if (!anySf) return;
    if (!env.SF_LOGIN_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['SF_LOGIN_URL'],
        message: 'is required when any SF_* variable is set',
      });
    if (!env.SF_CLIENT_ID && !env.SF_USERNAME) {
      ctx.addIssue({
        code: 'custom',
        path: ['SF_USERNAME'],
        message: 'or SF_CLIENT_ID is required to log in',
      });
    }
    if (env.SF_PRIVATE_KEY_FILE && (!env.SF_CLIENT_ID || !env.SF_USERNAME)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SF_PRIVATE_KEY_FILE'],
        message: 'JWT bearer needs SF_CLIENT_ID and SF_USERNAME too',
      });
    }
    if (env.SF_USERNAME && !env.SF_PASSWORD && !env.SF_PRIVATE_KEY_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: ['SF_PASSWORD'],
        message: 'is required with SF_USERNAME unless SF_PRIVATE_KEY_FILE is set',
      });
    }
  });

export type OrgConnectionConfig =
  | { kind: 'embedded' }
  | { kind: 'jwt'; loginUrl: string; clientId: string; username: string; privateKeyFile: string }
  | { kind: 'client-credentials'; loginUrl: string; clientId: string; clientSecret: string }
  | {
      kind: 'password';
      loginUrl: string;
      username: string;
      password: string;
      clientId?: string;
      clientSecret?: string;
    };

export interface EnvConfig {
  org: OrgConnectionConfig;
  apiVersion: string;
  dbFile: string;
  port: number;
  apiToken?: string;
  logLevel: string;
}

export const DEFAULT_API_VERSION = '62.0';

export function parseEnv(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(environment)'} ${i.message}`);
    throw new AppError('CONFIG_INVALID', `Invalid environment:\n  - ${problems.join('\n  - ')}`, {
      source: 'environment',
      problems,
    });
  }
  const e = result.data;
  return {
    org: orgConnection(e),
    apiVersion: e.SF_API_VERSION ?? DEFAULT_API_VERSION,
    dbFile: e.SALESOPS_DB ?? '.data/salesops.sqlite',
    port: e.PORT ?? 8080,
    apiToken: e.SALESOPS_API_TOKEN,
    logLevel: e.LOG_LEVEL ?? 'info',
  };
}

function orgConnection(e: z.infer<typeof envSchema>): OrgConnectionConfig {
  if (!e.SF_LOGIN_URL) return { kind: 'embedded' };
  if (e.SF_PRIVATE_KEY_FILE && e.SF_CLIENT_ID && e.SF_USERNAME) {
    return {
      kind: 'jwt',
      loginUrl: e.SF_LOGIN_URL,
      clientId: e.SF_CLIENT_ID,
      username: e.SF_USERNAME,
      privateKeyFile: e.SF_PRIVATE_KEY_FILE,
    };
  }
  if (!e.SF_USERNAME && e.SF_CLIENT_ID && e.SF_CLIENT_SECRET) {
    return {
      kind: 'client-credentials',
      loginUrl: e.SF_LOGIN_URL,
      clientId: e.SF_CLIENT_ID,
      clientSecret: e.SF_CLIENT_SECRET,
    };
  }
  return {
    kind: 'password',
    loginUrl: e.SF_LOGIN_URL,
    username: e.SF_USERNAME ?? '',
    password: e.SF_PASSWORD ?? '',
    clientId: e.SF_CLIENT_ID,
    clientSecret: e.SF_CLIENT_SECRET,
  };
}
