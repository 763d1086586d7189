import { withoutEmptyValues } from '../env-validators';
import type { EnvironmentVariables } from '../environment-variables';
import { isSafeLink, SAFE_LINK_RULE } from '../../legacy-rabbit/safe-link';

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

const REDIRECT_PREFIX = 'NOTIFICATION_REDIRECT_';
const REDIRECT_VARIABLE = /^NOTIFICATION_REDIRECT_([A-Z0-9_]+)$/;
const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN_PLACEHOLDERS = ['contentId', 'contentType'];

export function legacyRabbitSettings(
  vars: EnvironmentVariables,
  env: NodeJS.ProcessEnv,
  defaultApiKey: string,
): LegacyRabbitSettings {
  return {
    bindingPattern: vars.LEGACY_RABBIT_BINDING_PATTERN,
    producerUrl: vars.LEGACY_PHX_PRODUCER_URL ?? `http://127.0.0.1:${vars.PORT}`,
    apiKey: vars.LEGACY_PHX_API_KEY ?? defaultApiKey,
    pushApp: vars.LEGACY_PUSH_APP,
    schedulePollMs: vars.LEGACY_SCHEDULE_POLL_MS,
    processedRetentionDays: vars.LEGACY_PROCESSED_RETENTION_DAYS,
    deliveryConcurrency: vars.LEGACY_DELIVERY_CONCURRENCY,
    redirects: Object.fromEntries(
      Object.entries(withoutEmptyValues(env)).flatMap(([name, template]) => {
        const service = REDIRECT_VARIABLE.exec(name)?.[1];
        return service === undefined ? [] : [[service, template]];
      }),
    ),
  };
}

/** `NOTIFICATION_REDIRECT_*` are not a fixed list, so they are checked here rather than in the schema. */
export function legacyRedirectProblems(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(withoutEmptyValues(env))
    .filter(([name]) => name.startsWith(REDIRECT_PREFIX))
    .flatMap(([name, template]) => {
      if (!REDIRECT_VARIABLE.test(name)) {
        return [`${name}: the service part must be upper-case letters, digits and "_"`];
      }
      if (/\s/.test(template)) return [`${name}: must not contain whitespace`];
      // Placeholders are filled in URL-encoded: they cannot add a scheme or a host.
      if (!isSafeLink(template.replace(PLACEHOLDER, 'x'))) {
        return [`${name}: must be ${SAFE_LINK_RULE}`];
      }
      const unknown = [...template.matchAll(PLACEHOLDER)]
        .map((match) => match[1])
        .filter((placeholder) => !KNOWN_PLACEHOLDERS.includes(placeholder));
      return unknown.length === 0
        ? []
        : [
            `${name}: unknown placeholder ${unknown.map((p) => `{${p}}`).join(', ')} (known: {contentId}, {contentType})`,
          ];
    });
}
