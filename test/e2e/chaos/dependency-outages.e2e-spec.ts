import { DependencyName, PrivateStack, startPrivateStack } from '../../support/private-services';
import { OutageScenario } from './outage-scenario';

// Boot of the private stack (RabbitMQ's node is the slowest, ~8-10 s here) and one scenario:
// ceilings for a stuck run, not expectations.
const STACK_TIMEOUT_MS = 120_000;
const SCENARIO_TIMEOUT_MS = 180_000;

/**
 * SPEC §6: a dependency that goes away never ends the process; readiness turns 503 naming it;
 * callers get 503 with Retry-After, never 500; work waits or is retried; everything recovers by
 * itself. The built app runs as its own process on private Redis, PostgreSQL, Kafka and
 * RabbitMQ instances (the shared stack is never stopped), under PHX sends, REST emits, activity
 * messages and V1 events, while each dependency in turn is stopped and started again.
 */
describe('Chaos: each dependency stopped and started under load (built app, private Redis, PostgreSQL, Kafka, RabbitMQ)', () => {
  let stack: PrivateStack | undefined;

  beforeAll(async () => {
    stack = await startPrivateStack();
    const boots = [stack.redis, stack.postgres, stack.kafka, stack.rabbitmq].map(
      ({ name, bootMs }) => `${name} ${(bootMs / 1000).toFixed(1)}s`,
    );
    process.stdout.write(`chaos: private services booted in ${boots.join(', ')}\n`);
  }, STACK_TIMEOUT_MS);

  afterAll(async () => {
    await stack?.destroy();
  }, STACK_TIMEOUT_MS);

  it.each<DependencyName>(['redis', 'postgresql', 'kafka', 'rabbitmq'])(
    'should stay up, answer 503 with Retry-After, and lose or double nothing when %s goes away and comes back',
    async (dependency) => {
      const report = await new OutageScenario(stack!, dependency).run();
      process.stdout.write(`chaos ${report.summary}\n`);
      expect(report.violations).toEqual([]);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
