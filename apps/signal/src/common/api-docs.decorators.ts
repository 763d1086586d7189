import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiSecurity,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiErrorSchema } from './api-error.schema';

/** Names of the OpenAPI security schemes, declared once in `serveApiDocs`. */
export const API_DOCS_SECURITY = { bearer: 'bearer', apiKey: 'x-api-key' } as const;

/** A route behind `UserJwtGuard`: `Authorization: Bearer <jwt>`. */
export const ApiUserAuth = () =>
  applyDecorators(
    ApiBearerAuth(API_DOCS_SECURITY.bearer),
    ApiUnauthorizedResponse({
      type: ApiErrorSchema,
      description: 'The bearer token is missing, malformed, forged, expired or has invalid claims',
    }),
  );

/** A route behind `ApiKeyGuard`: header `x-api-key`, one of `SIGNAL_API_KEYS` with `scope`. */
export const ApiServiceAuth = (scope: string) =>
  applyDecorators(
    ApiSecurity(API_DOCS_SECURITY.apiKey),
    ApiUnauthorizedResponse({
      type: ApiErrorSchema,
      description: 'Header x-api-key is missing or not a known key',
    }),
    ApiForbiddenResponse({
      type: ApiErrorSchema,
      description: `API_KEY_SCOPE: the key lacks scope "${scope}"`,
    }),
  );

/** 400 `INVALID_INPUT`: the violations, one line each. */
export const ApiInvalidInput = (description: string) =>
  ApiBadRequestResponse({ type: ApiErrorSchema, description });

/** 404 `NOT_FOUND`. */
export const ApiNotFound = (description: string) =>
  ApiNotFoundResponse({ type: ApiErrorSchema, description });

/** OpenAPI 3.0 has no "any" type: a property that may hold any JSON value, null included. */
export const ANY_JSON_VALUE_SCHEMA = {
  oneOf: [
    { type: 'object', additionalProperties: true },
    { type: 'array', items: {} },
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
  ],
  nullable: true,
};
