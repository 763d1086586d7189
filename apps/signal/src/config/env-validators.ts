import { Transform } from 'class-transformer';
import { ValidateBy, ValidationOptions } from 'class-validator';

/** Empty variables count as unset, so `PORT=` falls back to the default instead of failing as 0. */
export function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );
}

/** Integers from strings; anything non-numeric stays a string so `@IsInt` reports it. */
export function ToInteger(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value,
  );
}

export function IsUrlWithScheme(schemes: string[], options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isUrlWithScheme',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          try {
            const url = new URL(value);
            return schemes.includes(url.protocol.replace(/:$/, '')) && url.hostname !== '';
          } catch {
            return false;
          }
        },
        defaultMessage: () =>
          `must be a URL with scheme ${schemes.join(' or ')}, e.g. ${schemes[0]}://host:port/…`,
      },
    },
    options,
  );
}

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

export function IsHostPortList(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isHostPortList',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          value.split(',').every((entry) => HOST_PORT.test(entry.trim())),
        defaultMessage: () => 'must be a comma-separated list of host:port, e.g. 127.0.0.1:9092',
      },
    },
    options,
  );
}

/** A JSON object, neither an array nor null: what a JSON-valued variable must hold. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
