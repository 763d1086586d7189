import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { AxiosInstance } from 'axios';
import { ChannelFailure } from './channel-failure';
import { errorMessage } from '../../common/error-message';

const DETAIL_MAX = 300;

/** A provider's HTTP client: keep-alive connections, a per-request timeout, no redirects. */
export class ChannelHttpClient {
  readonly axios: AxiosInstance;
  private readonly agents = [
    new HttpAgent({ keepAlive: true }),
    new HttpsAgent({ keepAlive: true }),
  ];

  constructor(timeoutMs: number) {
    const [httpAgent, httpsAgent] = this.agents;
    this.axios = axios.create({ timeout: timeoutMs, httpAgent, httpsAgent, maxRedirects: 0 });
  }

  close(): void {
    for (const agent of this.agents) agent.destroy();
  }
}

/** An HTTP call that failed; `status` is null when no answer came back at all. */
export interface HttpFailure extends ChannelFailure {
  status: number | null;
  data: unknown;
}

/**
 * No answer (refused, reset, timeout), 429 and 5xx may pass later; any other answer would be
 * given again to the same request.
 */
export function httpFailure(error: unknown): HttpFailure {
  if (!axios.isAxiosError(error)) {
    return { status: null, data: undefined, transient: false, reason: errorMessage(error) };
  }
  const response = error.response;
  if (!response) {
    const code = error.code ? `${error.code}: ` : '';
    return { status: null, data: undefined, transient: true, reason: `${code}${error.message}` };
  }
  const status = response.status;
  const data: unknown = response.data;
  return {
    status,
    data,
    transient: status === 429 || status >= 500,
    reason: `HTTP ${status}${describeBody(data)}`,
  };
}

function describeBody(data: unknown): string {
  if (data === undefined || data === null || data === '') return '';
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return `: ${text.length > DETAIL_MAX ? `${text.slice(0, DETAIL_MAX)}…` : text}`;
}
