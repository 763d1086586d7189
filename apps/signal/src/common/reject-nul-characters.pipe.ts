import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { findNulCharacters } from 'phx-node';
import { invalidInputException } from './invalid-input.exception';

/**
 * PostgreSQL stores no NUL character in text or jsonb (SPEC §4): a NUL in a path parameter, the
 * query or a body becomes 400 naming the field, before any route sees it, rather than a 500 from
 * the database. Bodies without a DTO class (`@Body() body: unknown`) are left to the route's own
 * validator, which lists every violation at once (the Producer's shares its rules with
 * `phx-node`). Headers never get here: Node refuses a NUL in a header (see `answerClientError`).
 */
@Injectable()
export class RejectNulCharactersPipe implements PipeTransform {
  transform(value: unknown, { type, metatype, data }: ArgumentMetadata): unknown {
    if (type !== 'param' && type !== 'query' && type !== 'body') return value;
    if (type === 'body' && (metatype === undefined || metatype === Object)) return value;
    const violations = findNulCharacters(value, data ?? '');
    if (violations.length > 0) throw invalidInputException(violations);
    return value;
  }
}
