import { IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { isJsonObject, IsUrlWithScheme, ToInteger } from '../env-validators';
import { EnvVars, invalid, Parsed, readVariables, valid } from '../parsed';

const PUSH_PROVIDERS = ['fcm', 'webhook', 'none'] as const;

export interface FcmServiceAccount {
  project_id: string;
  client_email: string;
  private_key: string;
}

export type PushProviderSettings =
  | { kind: 'none' }
  | { kind: 'webhook'; url: string; secret: string | null }
  | { kind: 'fcm'; serviceAccount: FcmServiceAccount; baseUrl: string; tokenUrl: string };

export interface PushSettings {
  provider: PushProviderSettings;
  timeoutMs: number;
}

export class PushVariables {
  /** Mobile push provider: FCM HTTP v1, a generic webhook, or none (push is recorded as failed). */
  @IsIn(PUSH_PROVIDERS)
  PUSH_PROVIDER: (typeof PUSH_PROVIDERS)[number] = 'none';

  @IsOptional()
  @IsUrlWithScheme(['http', 'https'])
  PUSH_WEBHOOK_URL?: string;

  /** HMAC-SHA256 key of the webhook's `x-signal-signature` header. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  PUSH_WEBHOOK_SECRET?: string;

  /** The Firebase service account key file's JSON (project_id, client_email, private_key). */
  @IsOptional()
  @IsString()
  FCM_SERVICE_ACCOUNT_JSON?: string;

  @IsUrlWithScheme(['http', 'https'])
  FCM_BASE_URL = 'https://fcm.googleapis.com';

  /** OAuth2 token endpoint; overrides the service account's `token_uri`. */
  @IsUrlWithScheme(['http', 'https'])
  FCM_TOKEN_URL = 'https://oauth2.googleapis.com/token';

  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(120000)
  PUSH_TIMEOUT_MS = 5000;
}

export function parsePush(env: EnvVars): Parsed<PushSettings> {
  const read = readVariables(PushVariables, env);
  if (!read.ok) return read;
  const vars = read.value;
  const provider = pushProvider(vars);
  return provider.ok
    ? valid({ provider: provider.value, timeoutMs: vars.PUSH_TIMEOUT_MS })
    : provider;
}

function pushProvider(vars: PushVariables): Parsed<PushProviderSettings> {
  switch (vars.PUSH_PROVIDER) {
    case 'webhook':
      if (vars.PUSH_WEBHOOK_URL === undefined) {
        return invalid(['PUSH_WEBHOOK_URL: required when PUSH_PROVIDER is webhook']);
      }
      return valid({
        kind: 'webhook',
        url: vars.PUSH_WEBHOOK_URL,
        secret: vars.PUSH_WEBHOOK_SECRET ?? null,
      });
    case 'fcm': {
      if (vars.FCM_SERVICE_ACCOUNT_JSON === undefined) {
        return invalid(['FCM_SERVICE_ACCOUNT_JSON: required when PUSH_PROVIDER is fcm']);
      }
      const serviceAccount = parseServiceAccount(vars.FCM_SERVICE_ACCOUNT_JSON);
      if (typeof serviceAccount === 'string') {
        return invalid([`FCM_SERVICE_ACCOUNT_JSON: ${serviceAccount}`]);
      }
      return valid({
        kind: 'fcm',
        serviceAccount,
        baseUrl: vars.FCM_BASE_URL,
        tokenUrl: vars.FCM_TOKEN_URL,
      });
    }
    case 'none':
      return valid({ kind: 'none' });
  }
}

/** The fields of the service account key file that FCM needs, or what is wrong with it. */
function parseServiceAccount(json: string): FcmServiceAccount | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return "must be the service account key file's JSON";
  }
  const file: Record<string, unknown> = isJsonObject(parsed) ? parsed : {};
  const text = (field: keyof FcmServiceAccount) => {
    const value = file[field];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const account = {
    project_id: text('project_id'),
    client_email: text('client_email'),
    private_key: text('private_key'),
  };
  const { project_id, client_email, private_key } = account;
  if (project_id === undefined || client_email === undefined || private_key === undefined) {
    const missing = Object.entries(account).filter(([, value]) => value === undefined);
    return `lacks ${missing.map(([field]) => field).join(', ')}`;
  }
  if (!private_key.includes('PRIVATE KEY-----')) return 'private_key must be a PEM private key';
  return { project_id, client_email, private_key };
}
