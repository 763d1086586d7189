import { IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApiKey } from '../../auth/api-keys';
import { isSafeLink, SAFE_LINK_RULE } from '../../legacy-rabbit/safe-link';
import { IsUrlWithScheme, ToInteger } from '../env-validators';
import { EnvVars, invalid, Parsed, readVariables, valid } from '../parsed';
import { AuthSettings } from './auth.section';
import { HttpSettings } from './http.section';
import { RabbitmqSettings } from './rabbitmq.section';

/** Settings of the legacy V1 adapter (`LegacyRabbitAdapterModule`); on only with `RABBITMQ_ENABLED`. */
export interface LegacyRabbitSettings {
  /** Topic pattern binding the ingress queue to `notifications.exchange`. */
  bindingPattern: string;
  /** Base URL of the PHX Producer the adapter sends to (Signal's own by default). */
  producerUrl: string;
  apiKey: string;
  /** `pushNotiMobile.app`: the app whose registered devices get legacy pushes. */
  pushApp: string;
  schedulePollMs: number;
  /** Days a delivered event's id is remembered for recognising copies. */
  processedRetentionDays: number;
  /** Target users of one event sent to the Producer at the same time. */
  deliveryConcurrency: number;
  /** Redirect templates by upper-cased `sourceService`, from `NOTIFICATION_REDIRECT_{SERVICE}`. */
  redirects: Record<string, string>;
}

/** The sections the adapter's defaults come from (Signal's own Producer); undefined while bad. */
export interface LegacyDependencies {
  http: Pick<HttpSettings, 'port'> | undefined;
  auth: Pick<AuthSettings, 'apiKeys'> | undefined;
  rabbitmq: Pick<RabbitmqSettings, 'enabled'> | undefined;
}

export class LegacyVariables {
  /** Topic pattern binding RABBITMQ_QUEUE to `notifications.exchange` (legacy V1 events). */
  @Matches(/^(?:[A-Za-z0-9_-]+|\*|#)(?:\.(?:[A-Za-z0-9_-]+|\*|#))*$/, {
    message: 'must be a topic pattern of "."-separated words, "*" or "#", e.g. loaphuong.#',
  })
  @MaxLength(255)
  LEGACY_RABBIT_BINDING_PATTERN = '#';

  /** Producer the legacy adapter sends to; default Signal's own, http://127.0.0.1:$PORT. */
  @IsOptional()
  @IsUrlWithScheme(['http', 'https'])
  LEGACY_PHX_PRODUCER_URL?: string;

  /** `x-api-key` of the legacy adapter's Producer calls; default the first of SIGNAL_API_KEYS with scope producer. */
  @IsOptional()
  @Matches(/^[^,\s]{16,}$/, { message: 'must be a key of at least 16 characters, without spaces' })
  LEGACY_PHX_API_KEY?: string;

  /** `pushNotiMobile.app` of legacy pushes: the app the V1 mobile app registers its devices under. */
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 letters, digits, ".", "_" or "-"' })
  LEGACY_PUSH_APP = 'LEGACY_V1';

  /** How often scheduled legacy events are checked for being due (ms). */
  @ToInteger()
  @IsInt()
  @Min(100)
  @Max(60000)
  LEGACY_SCHEDULE_POLL_MS = 1000;

  /**
   * Days a delivered legacy event's id is remembered; a copy arriving later is delivered again.
   * Longer than any publisher's or broker's redelivery window.
   */
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(3650)
  LEGACY_PROCESSED_RETENTION_DAYS = 30;

  /** Target users of one legacy event sent to the Producer at the same time. */
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(64)
  LEGACY_DELIVERY_CONCURRENCY = 8;
}

const REDIRECT_PREFIX = 'NOTIFICATION_REDIRECT_';
const REDIRECT_VARIABLE = /^NOTIFICATION_REDIRECT_([A-Z0-9_]+)$/;
const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN_PLACEHOLDERS = ['contentId', 'contentType'];

/**
 * The legacy adapter's settings. While a section its defaults come from is bad, only this
 * section's own variables are checked.
 */
export function parseLegacy(
  env: EnvVars,
  { http, auth, rabbitmq }: LegacyDependencies,
): Parsed<LegacyRabbitSettings> {
  const read = readVariables(LegacyVariables, env);
  const redirects = parseRedirects(env);
  const own = [...(read.ok ? [] : read.problems), ...(redirects.ok ? [] : redirects.problems)];
  if (!read.ok || !redirects.ok || !http || !auth || !rabbitmq) return invalid(own);
  const vars = read.value;
  const keyProblems = rabbitmq.enabled ? legacyKeyProblems(vars, auth.apiKeys) : [];
  if (keyProblems.length > 0) return invalid(keyProblems);
  return valid({
    bindingPattern: vars.LEGACY_RABBIT_BINDING_PATTERN,
    producerUrl: vars.LEGACY_PHX_PRODUCER_URL ?? `http://127.0.0.1:${http.port}`,
    apiKey: vars.LEGACY_PHX_API_KEY ?? producerKey(auth.apiKeys),
    pushApp: vars.LEGACY_PUSH_APP,
    schedulePollMs: vars.LEGACY_SCHEDULE_POLL_MS,
    processedRetentionDays: vars.LEGACY_PROCESSED_RETENTION_DAYS,
    deliveryConcurrency: vars.LEGACY_DELIVERY_CONCURRENCY,
    redirects: redirects.value,
  });
}

/**
 * The legacy adapter calls the Producer: by default with the first key allowed to. Without
 * RABBITMQ_ENABLED it calls nothing, and any key will do (`legacyKeyProblems` checks the rest).
 */
function producerKey(apiKeys: ApiKey[]): string {
  return (apiKeys.find((apiKey) => apiKey.scopes.includes('producer')) ?? apiKeys[0]).key;
}

function legacyKeyProblems(vars: LegacyVariables, apiKeys: ApiKey[]): string[] {
  if (vars.LEGACY_PHX_API_KEY === undefined) {
    return apiKeys.some((apiKey) => apiKey.scopes.includes('producer'))
      ? []
      : [
          'LEGACY_PHX_API_KEY: not set, and no key of SIGNAL_API_KEYS has scope producer, which the legacy adapter needs to call the Producer (add one, or set LEGACY_PHX_API_KEY)',
        ];
  }
  // Signal's own Producer: the key must be one of ours that may call it.
  const own = apiKeys.find((apiKey) => apiKey.key === vars.LEGACY_PHX_API_KEY);
  return vars.LEGACY_PHX_PRODUCER_URL === undefined && own && !own.scopes.includes('producer')
    ? ['LEGACY_PHX_API_KEY: is a key of SIGNAL_API_KEYS without scope producer']
    : [];
}

/** `NOTIFICATION_REDIRECT_{SERVICE}` templates by service: not a fixed list, so read here, not in the schema. */
function parseRedirects(env: EnvVars): Parsed<Record<string, string>> {
  const redirects: Record<string, string> = {};
  const problems: string[] = [];
  for (const [name, template] of Object.entries(env)) {
    if (!name.startsWith(REDIRECT_PREFIX)) continue;
    const service = REDIRECT_VARIABLE.exec(name)?.[1];
    if (service === undefined) {
      problems.push(`${name}: the service part must be upper-case letters, digits and "_"`);
      continue;
    }
    const problem = redirectProblem(template);
    if (problem === undefined) redirects[service] = template;
    else problems.push(`${name}: ${problem}`);
  }
  return problems.length > 0 ? invalid(problems) : valid(redirects);
}

function redirectProblem(template: string): string | undefined {
  if (/\s/.test(template)) return 'must not contain whitespace';
  // Placeholders are filled in URL-encoded: they cannot add a scheme or a host.
  if (!isSafeLink(template.replace(PLACEHOLDER, 'x'))) return `must be ${SAFE_LINK_RULE}`;
  const unknown = [...template.matchAll(PLACEHOLDER)]
    .map((match) => match[1])
    .filter((placeholder) => !KNOWN_PLACEHOLDERS.includes(placeholder));
  return unknown.length === 0
    ? undefined
    : `unknown placeholder ${unknown.map((p) => `{${p}}`).join(', ')} (known: {contentId}, {contentType})`;
}
