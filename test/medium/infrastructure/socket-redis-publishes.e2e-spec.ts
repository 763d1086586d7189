import { Socket } from 'node:net';
import Redis from 'ioredis';
import { SocketRedisConnection } from '../../../apps/signal/src/signal-gateway/socket/socket-redis.connection';
import { testSignalConfig } from '../../support/test-config';
import { TestServices } from '../../support/test-services';
import { uniqueName } from '../../support/unique-name';
import { waitFor } from '../../support/wait-for';

/** The system calls the publisher's socket makes: one per `_write`, one per `_writev`. */
function countWrites(socket: Socket): { count: number } {
  const writes = { count: 0 };
  const write = socket._write.bind(socket);
  const writev = socket._writev!.bind(socket);
  socket._write = (...args) => {
    writes.count++;
    write(...args);
  };
  socket._writev = (...args) => {
    writes.count++;
    writev(...args);
  };
  return writes;
}

describe('SocketRedisConnection publishes (real Redis)', () => {
  const channel = uniqueName('it.socket-redis');
  const connection = new SocketRedisConnection(testSignalConfig({}));
  const listener = new Redis(TestServices.redisUrl, { lazyConnect: true });
  const received: string[] = [];

  beforeAll(async () => {
    await Promise.all([connection.connect(), listener.connect()]);
    listener.on('message', (_channel: string, message: string) => received.push(message));
    await listener.subscribe(channel);
  });

  afterAll(() => {
    connection.onApplicationShutdown();
    listener.disconnect();
  });

  beforeEach(() => {
    received.length = 0;
  });

  it('should send the publishes of one event-loop turn in one write, every one delivered in order', async () => {
    const writes = countWrites(connection.publisher.stream);

    const replies = Array.from({ length: 50 }, (_, n) =>
      connection.publisher.publish(channel, `m${n}`),
    );

    expect(writes.count).toBe(0);
    expect(await Promise.all(replies)).toEqual(Array(50).fill(1));
    expect(writes.count).toBe(1);
    await waitFor('every message', () => (received.length === 50 ? received : undefined));
    expect(received).toEqual(Array.from({ length: 50 }, (_, n) => `m${n}`));
  });

  it('should write the publishes corked so far at flushPublishes, within the turn', async () => {
    const writes = countWrites(connection.publisher.stream);

    const replies = Array.from({ length: 20 }, (_, n) =>
      connection.publisher.publish(channel, `f${n}`),
    );
    connection.flushPublishes();
    const writesAtFlush = writes.count;
    const later = connection.publisher.publish(channel, 'after-flush');

    expect(writesAtFlush).toBe(1);
    expect(await Promise.all([...replies, later])).toEqual(Array(21).fill(1));
    expect(writes.count).toBe(2);
    await waitFor('every message', () => (received.length === 21 ? received : undefined));
    expect(received).toEqual([...Array.from({ length: 20 }, (_, n) => `f${n}`), 'after-flush']);
  });

  it('should send the publishes of later turns in writes of their own', async () => {
    const writes = countWrites(connection.publisher.stream);

    await connection.publisher.publish(channel, 'first');
    await connection.publisher.publish(channel, 'second');

    expect(writes.count).toBe(2);
    await waitFor('both messages', () => (received.length === 2 ? received : undefined));
    expect(received).toEqual(['first', 'second']);
  });
});
