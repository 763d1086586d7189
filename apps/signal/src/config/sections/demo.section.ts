import { IsBoolean, IsOptional, ValidateIf } from 'class-validator';
import { ToBoolean } from '../../common/to-boolean.transform';
import { IsUrlWithScheme } from '../env-validators';
import { EnvVars, invalid, Parsed, readVariables, valid } from '../parsed';
import { AuthSettings } from './auth.section';
import { NodeEnv } from './node-env.section';

/**
 * The demo page signs its tokens with the current HS256 secret the app verifies user tokens
 * with, and the issuer and audience it checks.
 */
export type DemoSettings =
  | { enabled: false }
  | {
      enabled: true;
      jwtSecret: string;
      issuer: string | null;
      audience: string | null;
      /** Web UI of the mail catcher the page links to; null: no link. */
      mailCatcherUrl: string | null;
    };

/** MailDev's web UI as `npm run stack:up` starts it. */
export const LOCAL_MAIL_CATCHER_URL = 'http://127.0.0.1:1080';

export class DemoVariables {
  /** Serve the Notification Center demo page at `/demo`, which mints a token for any user id asked for. */
  @ToBoolean({ lenient: true })
  @IsBoolean()
  DEMO_ENABLED = false;

  /** Lets DEMO_ENABLED work with NODE_ENV=production (a throwaway demo deployment only). */
  @ToBoolean({ lenient: true })
  @IsBoolean()
  DEMO_ALLOW_IN_PRODUCTION = false;

  /**
   * The demo page links to this mail catcher's web UI, where the e-mails SMTP_URL caught are
   * read; `none` hides the link. Default: the local stack's MailDev outside production, none in it.
   */
  @IsOptional()
  @ValidateIf((vars: DemoVariables) => vars.DEMO_MAIL_CATCHER_URL !== 'none')
  @IsUrlWithScheme(['http', 'https'], {
    message: 'must be an http(s) URL of the mail catcher web UI, or none',
  })
  DEMO_MAIL_CATCHER_URL?: string;
}

/** Where the page runs, and how the app verifies user tokens; undefined while bad. */
export interface DemoDependencies {
  nodeEnv: NodeEnv | undefined;
  auth: Pick<AuthSettings, 'jwt'> | undefined;
}

/** The demo page's settings; enabled, it is judged once the sections it depends on are sound. */
export function parseDemo(env: EnvVars, { nodeEnv, auth }: DemoDependencies): Parsed<DemoSettings> {
  const read = readVariables(DemoVariables, env);
  if (!read.ok) return read;
  const vars = read.value;
  if (!vars.DEMO_ENABLED) return valid({ enabled: false });
  // A section it depends on is bad, and listed already.
  if (nodeEnv === undefined || auth === undefined) return invalid([]);
  const { jwt } = auth;
  const problems: string[] = [];
  if (nodeEnv === 'production' && !vars.DEMO_ALLOW_IN_PRODUCTION) {
    problems.push(
      'DEMO_ENABLED: refused in production, where it would let anyone act as any user (set DEMO_ALLOW_IN_PRODUCTION=true for a throwaway demo deployment)',
    );
  }
  if (jwt.algorithm === 'RS256') {
    problems.push(
      'DEMO_ENABLED: needs SIGNAL_JWT_SECRET (HS256); with SIGNAL_JWT_PUBLIC_KEY (RS256) the app has no private key to sign demo tokens',
    );
  }
  if (problems.length > 0) return invalid(problems);
  return valid({
    enabled: true,
    // HS256: the first key is the current secret.
    jwtSecret: jwt.keys[0],
    issuer: jwt.issuer,
    audience: jwt.audience,
    mailCatcherUrl: mailCatcherUrl(vars.DEMO_MAIL_CATCHER_URL, nodeEnv),
  });
}

/** A production deployment has no local catcher: there only a URL given explicitly is linked. */
function mailCatcherUrl(given: string | undefined, nodeEnv: NodeEnv): string | null {
  if (given === 'none') return null;
  if (given !== undefined) return given;
  return nodeEnv === 'production' ? null : LOCAL_MAIL_CATCHER_URL;
}
