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
});
