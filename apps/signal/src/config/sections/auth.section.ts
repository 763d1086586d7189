import { createPublicKey } from 'node:crypto';
import { IsBoolean, IsOptional, IsString, Matches, MinLength } from 'class-validator';
import { ApiKey, apiKeyListProblems, parseApiKeys } from '../../auth/api-keys';
import { errorMessage } from '../../common/error-message';
import { ToBoolean } from '../../common/to-boolean.transform';
import { EnvVars, invalid, Parsed, readVariables, valid } from '../parsed';
import { NodeEnv } from './node-env.section';

/** Used outside production with SIGNAL_DEV_CREDENTIALS=true for what is unset; logged loudly. */
export const DEVELOPMENT_JWT_SECRET = 'signal-development-jwt-secret';
export const DEVELOPMENT_API_KEY = 'signal-development-api-key';

/** How user JWTs are verified. */
export interface JwtVerification {
  algorithm: 'HS256' | 'RS256';
  /**
   * HS256 secrets or RS256 PEM public keys, all of the one algorithm: the current key, then the
   * previous one while a rotation lasts.
   */
  keys: string[];
  /** The `iss` every token must carry; null: not checked. */
  issuer: string | null;
  /** The `aud` every token must carry (or include); null: not checked. */
  audience: string | null;
}

export interface AuthSettings {
  jwt: JwtVerification;
  apiKeys: ApiKey[];
  /** The variables whose well-known development value is in use (SIGNAL_DEV_CREDENTIALS). */
  developmentDefaults: string[];
}

export class AuthVariables {
  /** HS256 secret of user JWTs. One of this and SIGNAL_JWT_PUBLIC_KEY; required (see SIGNAL_DEV_CREDENTIALS). */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  SIGNAL_JWT_SECRET?: string;

  /** RS256 public key (PEM; `\n` escapes allowed) of user JWTs. */
  @IsOptional()
  @Matches(/-----BEGIN (RSA )?PUBLIC KEY-----/, { message: 'must be a PEM public key' })
  SIGNAL_JWT_PUBLIC_KEY?: string;

  /**
   * The HS256 secret being rotated out: tokens it signed are still accepted while callers move
   * to SIGNAL_JWT_SECRET. Only with SIGNAL_JWT_SECRET.
   */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  SIGNAL_JWT_PREVIOUS_SECRET?: string;

  /** The RS256 public key being rotated out (PEM). Only with SIGNAL_JWT_PUBLIC_KEY. */
  @IsOptional()
  @Matches(/-----BEGIN (RSA )?PUBLIC KEY-----/, { message: 'must be a PEM public key' })
  SIGNAL_JWT_PREVIOUS_PUBLIC_KEY?: string;

  /** When set, a user JWT must carry exactly this `iss`. */
  @IsOptional()
  @Matches(/^\S{1,1000}$/, {
    message: 'must be the exact "iss" value: 1-1000 characters, no spaces',
  })
  SIGNAL_JWT_ISSUER?: string;

  /** When set, a user JWT's `aud` must be (or, as a list, include) this value. */
  @IsOptional()
  @Matches(/^\S{1,1000}$/, {
    message: 'must be the exact "aud" value: 1-1000 characters, no spaces',
  })
  SIGNAL_JWT_AUDIENCE?: string;

  /**
   * Comma-separated API keys accepted in `x-api-key`, each `key` (every scope) or
   * `key:scope+scope` (emit, producer, admin); checked by `apiKeyListProblems`. Required (see
   * SIGNAL_DEV_CREDENTIALS).
   */
  @IsOptional()
  @IsString()
  SIGNAL_API_KEYS?: string;

  /**
   * Outside production, use the well-known development JWT secret and API key for whichever of
   * SIGNAL_JWT_SECRET / SIGNAL_API_KEYS is unset. Off: a missing one stops the process.
   */
  @ToBoolean({ lenient: true })
  @IsBoolean()
  SIGNAL_DEV_CREDENTIALS = false;
}

/**
 * User JWT verification and service API keys. Which credentials may be left to their development
 * values depends on `nodeEnv`; unknown (NODE_ENV itself is bad), that is not judged.
 */
export function parseAuth(env: EnvVars, nodeEnv: NodeEnv | undefined): Parsed<AuthSettings> {
  const read = readVariables(AuthVariables, env);
  if (!read.ok) return read;
  const vars = read.value;
  const problems = [
    ...(vars.SIGNAL_JWT_SECRET && vars.SIGNAL_JWT_PUBLIC_KEY
      ? ['SIGNAL_JWT_SECRET: set either it or SIGNAL_JWT_PUBLIC_KEY, not both']
      : []),
    ...previousJwtKeyProblems(vars),
    ...publicKeyProblems(vars),
    ...(nodeEnv === undefined ? [] : credentialProblems(vars, nodeEnv)),
    ...(vars.SIGNAL_API_KEYS === undefined ? [] : apiKeyListProblems(vars.SIGNAL_API_KEYS)),
  ];
  if (problems.length > 0) return invalid(problems);
  return valid({
    jwt: jwtVerification(vars),
    apiKeys: parseApiKeys(vars.SIGNAL_API_KEYS ?? DEVELOPMENT_API_KEY),
    // Checked above: whatever is unset here is unset with SIGNAL_DEV_CREDENTIALS, outside production.
    developmentDefaults: [
      ...(vars.SIGNAL_JWT_SECRET || vars.SIGNAL_JWT_PUBLIC_KEY ? [] : ['SIGNAL_JWT_SECRET']),
      ...(vars.SIGNAL_API_KEYS ? [] : ['SIGNAL_API_KEYS']),
    ],
  });
}

/** A previous key sits only beside a current one of its algorithm (checked before). */
function jwtVerification(vars: AuthVariables): JwtVerification {
  const claims = {
    issuer: vars.SIGNAL_JWT_ISSUER ?? null,
    audience: vars.SIGNAL_JWT_AUDIENCE ?? null,
  };
  if (vars.SIGNAL_JWT_PUBLIC_KEY) {
    const pems = [vars.SIGNAL_JWT_PUBLIC_KEY, vars.SIGNAL_JWT_PREVIOUS_PUBLIC_KEY];
    return {
      algorithm: 'RS256',
      keys: pems.filter((pem) => pem !== undefined).map(pemOf),
      ...claims,
    };
  }
  const secrets = [
    vars.SIGNAL_JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
    vars.SIGNAL_JWT_PREVIOUS_SECRET,
  ];
  return { algorithm: 'HS256', keys: secrets.filter((secret) => secret !== undefined), ...claims };
}

/** PEM keys in env files often carry their line breaks as `\\n`. */
const pemOf = (value: string): string => value.replace(/\\n/g, '\n');

/** A PEM that looks like one but does not parse would refuse every token: refused at boot. */
function publicKeyProblems(vars: AuthVariables): string[] {
  return (['SIGNAL_JWT_PUBLIC_KEY', 'SIGNAL_JWT_PREVIOUS_PUBLIC_KEY'] as const).flatMap((name) => {
    const pem = vars[name];
    if (pem === undefined) return [];
    try {
      createPublicKey(pemOf(pem));
      return [];
    } catch (error) {
      return [`${name}: not a usable PEM public key (${errorMessage(error)})`];
    }
  });
}

/** SPEC §6: the development credentials only outside production, and only when asked for. */
function credentialProblems(vars: AuthVariables, nodeEnv: NodeEnv): string[] {
  const production = nodeEnv === 'production';
  if (production && vars.SIGNAL_DEV_CREDENTIALS) {
    return ['SIGNAL_DEV_CREDENTIALS: refused in production, where every credential must be set'];
  }
  if (vars.SIGNAL_DEV_CREDENTIALS) return [];
  const why = production
    ? 'required in production'
    : 'required (or SIGNAL_DEV_CREDENTIALS=true for the well-known development value, never in production)';
  return [
    ...(vars.SIGNAL_JWT_SECRET || vars.SIGNAL_JWT_PUBLIC_KEY
      ? []
      : [`SIGNAL_JWT_SECRET: ${why}; or set SIGNAL_JWT_PUBLIC_KEY`]),
    ...(vars.SIGNAL_API_KEYS ? [] : [`SIGNAL_API_KEYS: ${why}`]),
  ];
}

/** A rotation replaces a key by another of the same algorithm: the previous one sits beside its successor. */
function previousJwtKeyProblems(vars: AuthVariables): string[] {
  const rotations = [
    { previous: 'SIGNAL_JWT_PREVIOUS_SECRET', current: 'SIGNAL_JWT_SECRET', algorithm: 'HS256' },
    {
      previous: 'SIGNAL_JWT_PREVIOUS_PUBLIC_KEY',
      current: 'SIGNAL_JWT_PUBLIC_KEY',
      algorithm: 'RS256',
    },
  ] as const;
  return rotations.flatMap(({ previous, current, algorithm }) => {
    if (vars[previous] === undefined) return [];
    if (vars[current] === undefined) {
      return [
        `${previous}: only beside ${current}, the key it is being replaced by (a rotation keeps the algorithm, ${algorithm})`,
      ];
    }
    return vars[previous] === vars[current]
      ? [`${previous}: is ${current} itself; leave it empty when not rotating`]
      : [];
  });
}
