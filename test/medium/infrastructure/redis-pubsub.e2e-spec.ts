import Redis from 'ioredis';
import { TestServices } from '../../support/test-services';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

describe('Redis pub/sub round trip (real Redis)', () => {
  const channel = uniqueName('it.redis');
  const publisher = new Redis(TestServices.redisUrl, { lazyConnect: true });
  const subscriber = new Redis(TestServices.redisUrl, { lazyConnect: true });

  beforeAll(async () => {
    await Promise.all([publisher.connect(), subscriber.connect()]);
  });

  afterAll(() => {
    publisher.disconnect();
    subscriber.disconnect();
  });

  it('should deliver a published message to a subscriber of the channel only', async () => {
    const received: Array<[string, string]> = [];
    subscriber.on('message', (from: string, message: string) => received.push([from, message]));
    await subscriber.subscribe(channel);

    const listeners = await publisher.publish(channel, JSON.stringify({ hello: 'signal' }));
    await publisher.publish(`${channel}-other`, 'not for us');

    expect(listeners).toBe(1);
    await waitFor('the message', () => (received.length > 0 ? received : undefined));
    expect(received).toEqual([[channel, '{"hello":"signal"}']]);
  });
});
