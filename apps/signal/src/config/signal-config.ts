import { withoutEmptyValues } from './env-validators';
import { Parsed } from './parsed';
import { ActivitySettings, ActivityVariables, parseActivity } from './sections/activity.section';
import { AuthSettings, AuthVariables, parseAuth } from './sections/auth.section';
import { DatabaseSettings, DatabaseVariables, parseDatabase } from './sections/database.section';
import { DemoSettings, DemoVariables, parseDemo } from './sections/demo.section';
import { GatewaySettings, GatewayVariables, parseGateway } from './sections/gateway.section';
import { HealthSettings, HealthVariables, parseHealth } from './sections/health.section';
import { HttpSettings, HttpVariables, parseHttp } from './sections/http.section';
import { KafkaSettings, KafkaVariables, parseKafka } from './sections/kafka.section';
import { LegacyRabbitSettings, LegacyVariables, parseLegacy } from './sections/legacy.section';
import { LoggingVariables, LogLevelName, parseLogging } from './sections/logging.section';
import { NodeEnv, NodeEnvVariables, parseNodeEnv } from './sections/node-env.section';
import { parsePhx, PhxSettings, PhxVariables } from './sections/phx.section';
import { parsePush, PushSettings, PushVariables } from './sections/push.section';
import { parseRabbitmq, RabbitmqSettings, RabbitmqVariables } from './sections/rabbitmq.section';
import { parseRedis, RedisSettings, RedisVariables } from './sections/redis.section';
import { parseShutdown, ShutdownSettings, ShutdownVariables } from './sections/shutdown.section';
import { parseSmtp, SmtpSettings, SmtpVariables } from './sections/smtp.section';

export { DEVELOPMENT_API_KEY, DEVELOPMENT_JWT_SECRET } from './sections/auth.section';
export { LOCAL_MAIL_CATCHER_URL } from './sections/demo.section';
export type { LogLevelName } from './sections/logging.section';
export type { UnconfiguredActionCodePolicy } from './sections/phx.section';
export type { PushProviderSettings } from './sections/push.section';

/**
 * Typed, validated settings of the Signal app, a field per section of `sections/`. Made by
 * `loadSignalConfig`; the class is the token it is injected by (`SignalConfigModule`).
 */
export abstract class SignalConfig {
  abstract readonly env: NodeEnv;
  abstract readonly http: HttpSettings;
  abstract readonly logLevel: LogLevelName;
  abstract readonly database: DatabaseSettings;
  abstract readonly kafka: KafkaSettings;
  abstract readonly activity: ActivitySettings;
  abstract readonly rabbitmq: RabbitmqSettings;
  abstract readonly legacy: LegacyRabbitSettings;
  abstract readonly redis: RedisSettings;
  abstract readonly health: HealthSettings;
  abstract readonly shutdown: ShutdownSettings;
  abstract readonly auth: AuthSettings;
  abstract readonly gateway: GatewaySettings;
  abstract readonly phx: PhxSettings;
  abstract readonly push: PushSettings;
  abstract readonly smtp: SmtpSettings;
  abstract readonly demo: DemoSettings;
  /** What was read but should change (a deprecated name); `main.ts` logs each once at boot. */
  abstract readonly warnings: string[];
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = ConfigValidationError.name;
  }
}

/**
 * Validates the environment once, at boot, section by section; throws listing every problem
 * found. A rule that spans sections (a default taken from another one, a limit held to another's)
 * is judged once the sections it reads are sound.
 */
export function loadSignalConfig(env: NodeJS.ProcessEnv): SignalConfig {
  const vars = withoutEmptyValues(env);
  const problems: string[] = [];
  const warnings: string[] = [];
  /** A section's settings; undefined when it is bad, its problems listed. */
  const settle = <T>(parsed: Parsed<T>): T | undefined => {
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      return undefined;
    }
    warnings.push(...parsed.warnings);
    return parsed.value;
  };

  const nodeEnv = settle(parseNodeEnv(vars));
  const logLevel = settle(parseLogging(vars));
  const http = settle(parseHttp(vars));
  const database = settle(parseDatabase(vars));
  const kafka = settle(parseKafka(vars));
  const activity = settle(parseActivity(vars));
  const rabbitmq = settle(parseRabbitmq(vars));
  const redis = settle(parseRedis(vars));
  const health = settle(parseHealth(vars));
  const shutdown = settle(parseShutdown(vars));
  const auth = settle(parseAuth(vars, nodeEnv));
  const legacy = settle(parseLegacy(vars, { http, auth, rabbitmq }));
  const gateway = settle(parseGateway(vars, kafka));
  const push = settle(parsePush(vars));
  const smtp = settle(parseSmtp(vars));
  const phx = settle(parsePhx(vars, { push, smtp }));
  const demo = settle(parseDemo(vars, { nodeEnv, auth }));

  const sections = {
    env: nodeEnv,
    http,
    logLevel,
    database,
    kafka,
    activity,
    rabbitmq,
    legacy,
    redis,
    health,
    shutdown,
    auth,
    gateway,
    phx,
    push,
    smtp,
    demo,
  };
  if (!everySettled(sections)) throw new ConfigValidationError(problems);
  return { ...sections, warnings };
}

/** Whether no section is bad (undefined): then none listed a problem either. */
function everySettled<T extends object>(
  sections: T,
): sections is T & { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.values(sections).every((section) => section !== undefined);
}

/** Every variable the sections read by name (`NOTIFICATION_REDIRECT_*` are read by prefix). */
export function signalVariableNames(): string[] {
  return [
    NodeEnvVariables,
    LoggingVariables,
    HttpVariables,
    DatabaseVariables,
    KafkaVariables,
    ActivityVariables,
    RabbitmqVariables,
    RedisVariables,
    HealthVariables,
    ShutdownVariables,
    AuthVariables,
    LegacyVariables,
    GatewayVariables,
    PushVariables,
    SmtpVariables,
    PhxVariables,
    DemoVariables,
  ].flatMap((Variables) => Object.keys(new Variables()));
}
