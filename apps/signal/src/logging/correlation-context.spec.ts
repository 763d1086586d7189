import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { CorrelationContext } from './correlation-context';

describe('CorrelationContext', () => {
  it('should keep an id across awaits, and drop it for work started outside', async () => {
    const seen = await CorrelationContext.run('req-1', async () => {
      await Promise.resolve();
      const inside = CorrelationContext.current();
      const outside = await CorrelationContext.outside(async () => {
        await Promise.resolve();
        return CorrelationContext.current();
      });
      return { inside, outside, after: CorrelationContext.current() };
    });

    expect(seen).toEqual({ inside: 'req-1', outside: undefined, after: 'req-1' });
  });

  it('should keep the HTTP request for work it starts under another id', async () => {
    const request = new IncomingMessage(new Socket());
    const seen = await CorrelationContext.runRequest(request, 'req-2', () =>
      CorrelationContext.run('job-1', async () => {
        await Promise.resolve();
        return { id: CorrelationContext.current(), request: CorrelationContext.request() };
      }),
    );

    expect(seen).toEqual({ id: 'job-1', request });
    expect(CorrelationContext.request()).toBeUndefined();
  });
});
