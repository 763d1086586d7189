import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { validationViolations } from '../common/validation-violations';

/** The process environment with its empty variables left out (`withoutEmptyValues`). */
export type EnvVars = Readonly<Record<string, string>>;

/**
 * What a section made of its variables, with what deserves a word at boot; or every problem
 * found in them. A problem names its variable and never quotes the value: URLs and keys may
 * carry secrets.
 */
export type Parsed<T> = { ok: true; value: T; warnings: string[] } | Invalid;

export interface Invalid {
  ok: false;
  problems: string[];
}

export function valid<T>(value: T, warnings: string[] = []): Parsed<T> {
  return { ok: true, value, warnings };
}

export function invalid(problems: string[]): Invalid {
  return { ok: false, problems };
}

/**
 * A section's variables, declared as a class-validator schema with the defaults as initialisers,
 * read from `env` and validated; or a problem per bad variable.
 */
export function readVariables<T extends object>(Variables: new () => T, env: EnvVars): Parsed<T> {
  // Only the section's own variables: the instance carries nothing else of the environment.
  const own = Object.keys(new Variables()).filter((name) => Object.hasOwn(env, name));
  const vars = plainToInstance(
    Variables,
    Object.fromEntries(own.map((name) => [name, env[name]])),
    {
      exposeDefaultValues: true,
    },
  );
  const problems = validationViolations(validateSync(vars)).map(
    ({ path, messages }) => `${path}: ${messages.join('; ')}`,
  );
  return problems.length > 0 ? invalid(problems) : valid(vars);
}
