import { JwtService } from '@nestjs/jwt';
import pLimit from 'p-limit';
import { PushProviderSettings } from '../../config/signal-config';
import { ChannelFailure } from './channel-failure';
import { ChannelHttpClient, HttpFailure, httpFailure } from './channel-http';
import {
  failEveryToken,
  PushMessage,
  PushProvider,
  pushReport,
  PushSendReport,
  PushTokenOutcome,
} from './push-provider';
import { FCM_SEND_TIMEOUTS } from './send-time';

export type FcmSettings = Extract<PushProviderSettings, { kind: 'fcm' }>;

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ASSERTION_LIFETIME_S = 3600;
// Refresh before Google does, so a token never expires between the check and the request.
const EXPIRY_MARGIN_MS = 60_000;
// FCM HTTP v1 takes one token per request; this bounds the requests in flight for one send.
const SEND_CONCURRENCY = 10;
const REGISTRATION_TOKEN = /registration[ _-]?token|message\.token/i;

/**
 * FCM HTTP v1 with a service account: an OAuth2 access token from the JWT-bearer grant
 * (assertion signed RS256 with the account's key), cached until shortly before it expires and
 * fetched once for concurrent callers; then one `messages:send` request per device token.
 */
export class FcmPushProvider implements PushProvider {
  readonly name = 'fcm';
  private readonly sendUrl: string;
  private readonly http: ChannelHttpClient;
  private readonly budgetMs: number;
  private readonly jwt = new JwtService();
  private cached: { value: string; expiresAt: number } | null = null;
  private fetching: Promise<string> | null = null;

  constructor(
    private readonly settings: FcmSettings,
    timeoutMs: number,
  ) {
    const baseUrl = settings.baseUrl.replace(/\/+$/, '');
    const project = encodeURIComponent(settings.serviceAccount.project_id);
    this.sendUrl = `${baseUrl}/v1/projects/${project}/messages:send`;
    this.http = new ChannelHttpClient(timeoutMs);
    this.budgetMs = FCM_SEND_TIMEOUTS * timeoutMs;
  }

  /**
   * Within {@link FCM_SEND_TIMEOUTS} × `PUSH_TIMEOUT_MS` whatever the number of tokens: the claim's
   * lease is sized on it. Tokens not sent by then fail, transient; requests in flight are cut.
   */
  async send(message: PushMessage, tokens: string[]): Promise<PushSendReport> {
    const unique = [...new Set(tokens)];
    if (unique.length === 0) return pushReport([]);
    const budget = AbortSignal.timeout(this.budgetMs);
    try {
      await beforeAbort(this.accessToken(), budget);
    } catch (error) {
      return failEveryToken(
        unique,
        budget.aborted ? this.overBudget() : tokenEndpointFailure(error),
      );
    }
    const limit = pLimit(SEND_CONCURRENCY);
    const outcomes = await Promise.all(
      unique.map((token) => limit(() => this.sendTo(message, token, budget))),
    );
    return pushReport(outcomes);
  }

  close(): Promise<void> {
    this.http.close();
    return Promise.resolve();
  }

  private async sendTo(
    message: PushMessage,
    token: string,
    budget: AbortSignal,
  ): Promise<PushTokenOutcome> {
    const body = {
      message: {
        token,
        notification: { title: message.title, body: message.body },
        data: message.data,
      },
    };
    // The access token FCM refused: it is replaced once, then a 401 is final.
    let refused: string | undefined;
    for (;;) {
      let accessToken: string;
      try {
        accessToken = await beforeAbort(this.accessToken(refused), budget);
      } catch (error) {
        const failure = budget.aborted ? this.overBudget() : tokenEndpointFailure(error);
        return { token, status: 'failed', ...failure };
      }
      try {
        await this.http.axios.post(this.sendUrl, body, {
          headers: { authorization: `Bearer ${accessToken}` },
          signal: budget,
        });
        return { token, status: 'sent' };
      } catch (error) {
        if (budget.aborted) return { token, status: 'failed', ...this.overBudget() };
        const failure = httpFailure(error);
        if (failure.status === 401 && refused === undefined) {
          refused = accessToken;
          continue;
        }
        return classifyFcmFailure(token, failure);
      }
    }
  }

  private overBudget(): ChannelFailure {
    return {
      reason: `FCM: not sent within the send budget of ${this.budgetMs} ms`,
      transient: true,
    };
  }

  /** The cached access token, unless it is about to expire or is the one FCM just refused. */
  private accessToken(refused?: string): Promise<string> {
    const cached = this.cached;
    if (cached && cached.value !== refused && Date.now() < cached.expiresAt) {
      return Promise.resolve(cached.value);
    }
    this.fetching ??= this.fetchAccessToken().finally(() => {
      this.fetching = null;
    });
    return this.fetching;
  }

  private async fetchAccessToken(): Promise<string> {
    const { serviceAccount, tokenUrl } = this.settings;
    const iat = Math.floor(Date.now() / 1000);
    const assertion = await this.jwt.signAsync(
      {
        iss: serviceAccount.client_email,
        scope: SCOPE,
        aud: tokenUrl,
        iat,
        exp: iat + ASSERTION_LIFETIME_S,
      },
      { privateKey: serviceAccount.private_key, algorithm: 'RS256' },
    );
    const form = new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion });
    const { data } = await this.http.axios.post<unknown>(tokenUrl, form.toString(), {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const { access_token, expires_in } = (data ?? {}) as Record<string, unknown>;
    if (typeof access_token !== 'string' || !access_token || typeof expires_in !== 'number') {
      throw new Error('token endpoint answered without access_token and expires_in');
    }
    this.cached = {
      value: access_token,
      expiresAt: Date.now() + expires_in * 1000 - EXPIRY_MARGIN_MS,
    };
    return access_token;
  }
}

/**
 * `work`, or the abort's reason once `signal` aborts first. The access token is shared by every
 * send, so its request is waited for, not cut.
 */
function beforeAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Without an access token nothing can be sent. No answer, 429 and 5xx may pass later; a refused
 * grant (e.g. 400 invalid_grant for a revoked key) or a malformed answer will not.
 */
function tokenEndpointFailure(error: unknown): ChannelFailure {
  const failure = httpFailure(error);
  return { reason: `FCM access token: ${failure.reason}`, transient: failure.transient };
}

/**
 * Dead tokens, as FCM HTTP v1 documents them (ErrorCode; "Manage registration tokens"): those it
 * says are unregistered (FcmError `UNREGISTERED`, HTTP 404) or cannot parse (400
 * `INVALID_ARGUMENT` about the registration token). Any other 404 (e.g. a project id FCM does not
 * know) is the provider's or the configuration's failure: the token is kept.
 */
function classifyFcmFailure(token: string, failure: HttpFailure): PushTokenOutcome {
  const google = readGoogleError(failure.data);
  if (google) {
    const unregistered = google.errorCodes.includes('UNREGISTERED');
    const unparsable =
      failure.status === 400 &&
      [google.status, ...google.errorCodes].includes('INVALID_ARGUMENT') &&
      REGISTRATION_TOKEN.test(`${google.message} ${JSON.stringify(google.details)}`);
    if (unregistered || unparsable) {
      return { token, status: 'dead', reason: `FCM ${failure.status} ${google.summary}` };
    }
  }
  return { token, status: 'failed', reason: `FCM ${failure.reason}`, transient: failure.transient };
}

interface GoogleError {
  status: string;
  message: string;
  summary: string;
  details: unknown[];
  /** `errorCode` of the FcmError detail, e.g. UNREGISTERED. */
  errorCodes: string[];
}

/** The `error` object of a Google API error answer, or null when the body is not one. */
function readGoogleError(data: unknown): GoogleError | null {
  const error = (data as { error?: unknown } | null)?.error;
  if (typeof error !== 'object' || error === null) return null;
  const fields = error as Record<string, unknown>;
  const status = typeof fields.status === 'string' ? fields.status : '';
  const message = typeof fields.message === 'string' ? fields.message : '';
  const details = Array.isArray(fields.details) ? (fields.details as unknown[]) : [];
  return {
    status,
    message,
    summary: [status, message].filter(Boolean).join(': '),
    details,
    errorCodes: details
      .map((detail) => (detail as { errorCode?: unknown } | null)?.errorCode)
      .filter((code): code is string => typeof code === 'string'),
  };
}
