import { ArgumentMetadata, HttpException, ValidationPipe } from '@nestjs/common';
import { SignalValidationPipe } from '../../common/signal-validation.pipe';
import { EmitRequestDto } from './emit-request.dto';

const metadata: ArgumentMetadata = { type: 'body', metatype: EmitRequestDto };

const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

/** Bodies as Fastify parses them; each is parsed afresh for every use (the general path edits it). */
const VALID = [
  '{"topic":"a","payload":{}}',
  '{"topic":"observation/signal/notification/created","payload":{"orderId":"o-42","status":"PAID"}}',
  '{"payload":{"a":[1,2,{"b":null}],"c":true,"d":1.5e3,"e":"€ \\u20ac","f":[[]]},"topic":""}',
  '{"topic":"t","payload":{"big":1e400,"neg":-0,"ünï":"cödé"}}',
  `{"topic":"t","payload":${nested(20)}}`,
];

const OTHERS = [
  '{}',
  'null',
  '[]',
  '"text"',
  '5',
  '{"topic":"a"}',
  '{"payload":{}}',
  '{"topic":1,"payload":{}}',
  '{"topic":["a"],"payload":{}}',
  '{"topic":"a","payload":[]}',
  '{"topic":"a","payload":null}',
  '{"topic":"a","payload":"x"}',
  '{"topic":"a","payload":{},"extra":1}',
  '{"topic":"a","payload":{},"constructor":"x"}',
  // Keys the general path strips before validating: valid, but not as they came.
  '{"topic":"a","payload":{"constructor":"x","ok":1}}',
  '{"topic":"a","payload":{"list":[{"prototype":{}}]}}',
  '{"topic":"a","payload":{"__proto__":{"polluted":true}}}',
  `{"topic":"t","payload":${nested(40)}}`,
];

type Outcome = { accepted: unknown } | { refused: unknown };

async function outcomeOf(transform: () => Promise<unknown>): Promise<Outcome> {
  try {
    const accepted = await transform();
    expect(accepted).toBeInstanceOf(EmitRequestDto);
    return { accepted };
  } catch (error) {
    if (!(error instanceof HttpException)) throw error;
    return { refused: error.getResponse() };
  }
}

describe(EmitRequestDto.name, () => {
  const sut = new SignalValidationPipe();
  // The same pipe on class-transformer and class-validator alone.
  const generalPath = (body: unknown) =>
    ValidationPipe.prototype.transform.call(sut, body, metadata);

  it('should recognize every valid body without class-validator', () => {
    for (const body of VALID) {
      expect({ body, accepted: EmitRequestDto.acceptValid(JSON.parse(body)) }).toEqual({
        body,
        accepted: expect.any(EmitRequestDto),
      });
    }
  });

  it('should leave every other body to class-validator', () => {
    for (const body of OTHERS) {
      expect({ body, accepted: EmitRequestDto.acceptValid(JSON.parse(body)) }).toEqual({
        body,
        accepted: undefined,
      });
    }
  });

  it('should give every body the answer of the general path: the same value, or the same 400', async () => {
    for (const body of [...VALID, ...OTHERS]) {
      const fast = await outcomeOf(() => sut.transform(JSON.parse(body), metadata));
      const general = await outcomeOf(() => generalPath(JSON.parse(body)));
      expect({ body, outcome: fast }).toStrictEqual({ body, outcome: general });
    }
  });

  it('should word a refused body as before, one line per violation', async () => {
    await expect(sut.transform({ topic: 1, extra: true }, metadata)).rejects.toMatchObject({
      response: {
        statusCode: 400,
        error: 'INVALID_INPUT',
        message: expect.arrayContaining([
          'property extra should not exist',
          'topic must be a string',
          'payload must be a JSON object',
        ]) as string[],
      },
    });
  });
});
