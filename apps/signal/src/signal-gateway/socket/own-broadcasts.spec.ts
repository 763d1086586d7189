import { createAdapter, RedisAdapter } from '@socket.io/redis-adapter';
import { skippingOwnBroadcasts } from './own-broadcasts';

/** A Redis adapter on fake clients; what it publishes is kept. */
function anAdapter(published: Buffer[]) {
  const subscriber = {
    psubscribe: () => Promise.resolve(),
    subscribe: () => Promise.resolve(),
    on: () => undefined,
  };
  const publisher = {
    on: () => undefined,
    publish: (_channel: string, message: Buffer) => {
      published.push(message);
      return Promise.resolve();
    },
  };
  const nsp = { name: '/', server: { encoder: { encode: () => [] } } };
  const factory = skippingOwnBroadcasts(createAdapter(publisher, subscriber, { key: 'k' }));
  // As Socket.IO builds a namespace's adapter.
  return Reflect.construct(factory, [nsp]) as RedisAdapter;
}

describe(skippingOwnBroadcasts.name, () => {
  const broadcast = { type: 2, data: ['topic', { a: [1, 'two'] }] };
  const options = { rooms: new Set(['room']), except: new Set<string>() };

  it('should decode its own broadcasts to its id alone, which the adapter drops', () => {
    const published: Buffer[] = [];
    const sut = anAdapter(published);

    sut.broadcast({ ...broadcast }, options);

    expect(published).toHaveLength(1);
    expect(sut.parser.decode(published[0])).toEqual([sut.uid]);
  });

  it("should decode another instance's broadcasts in full", () => {
    const theirs: Buffer[] = [];
    const other = anAdapter(theirs);
    const sut = anAdapter([]);

    other.broadcast({ ...broadcast }, options);

    expect(sut.uid).not.toEqual(other.uid);
    expect(sut.parser.decode(theirs[0])).toEqual([
      other.uid,
      { ...broadcast, nsp: '/' },
      { rooms: ['room'], except: [], flags: undefined },
    ]);
  });
});
