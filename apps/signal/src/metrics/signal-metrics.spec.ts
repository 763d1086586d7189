import { NotificationWebSocketTopics } from '@signal/core';
import { CALLER_TOPIC_LABELS, SignalMetrics } from './signal-metrics';

async function emitCounts(metrics: SignalMetrics): Promise<Map<string, number>> {
  const [metric] = (await metrics.registry.getMetricsAsJSON()).filter(
    (candidate) => candidate.name === 'signal_socket_emits_total',
  );
  const values = (metric as unknown as { values: { labels: { topic: string }; value: number }[] })
    .values;
  return new Map(values.map(({ labels, value }) => [labels.topic, value]));
}

describe(SignalMetrics.name, () => {
  it('should let several instances live in one process, each counting in its own registry', async () => {
    const sut = new SignalMetrics();
    const other = new SignalMetrics();

    sut.recordSocketEmit('observation/test');

    const counted = await sut.registry.getSingleMetricAsString('signal_socket_emits_total');
    const untouched = await other.registry.getSingleMetricAsString('signal_socket_emits_total');
    expect(counted).toContain('signal_socket_emits_total{topic="observation/test"} 1');
    expect(untouched).not.toContain('observation/test');
  });

  it('should bound the topic label: Signal topics by name, the first caller topics, then "other"', async () => {
    const sut = new SignalMetrics();

    for (let n = 0; n < CALLER_TOPIC_LABELS + 50; n++) sut.recordSocketEmit(`caller/topic-${n}`);
    sut.recordSocketEmit('caller/topic-0');
    sut.recordSocketEmit(NotificationWebSocketTopics.NOTIFICATION_CENTER_RECORD_CREATED);

    const counts = await emitCounts(sut);
    expect(counts.size).toBe(CALLER_TOPIC_LABELS + 2);
    expect(counts.get('caller/topic-0')).toBe(2);
    expect(counts.get(`caller/topic-${CALLER_TOPIC_LABELS - 1}`)).toBe(1);
    expect(counts.has(`caller/topic-${CALLER_TOPIC_LABELS}`)).toBe(false);
    expect(counts.get('other')).toBe(50);
    expect(counts.get(NotificationWebSocketTopics.NOTIFICATION_CENTER_RECORD_CREATED)).toBe(1);
  });

  it("should count Signal's own topics by name even after the caller topics ran out", async () => {
    const sut = new SignalMetrics();

    for (let n = 0; n <= CALLER_TOPIC_LABELS; n++) sut.recordSocketEmit(`caller/topic-${n}`);
    sut.recordSocketEmit(NotificationWebSocketTopics.NOTIFICATION_CREATED);

    expect((await emitCounts(sut)).get(NotificationWebSocketTopics.NOTIFICATION_CREATED)).toBe(1);
  });

  it('should expose the Node process metrics under their standard names', async () => {
    const sut = new SignalMetrics();

    const names = (await sut.registry.getMetricsAsJSON()).map((metric) => metric.name);

    expect(names).toEqual(
      expect.arrayContaining(['process_cpu_user_seconds_total', 'nodejs_eventloop_lag_seconds']),
    );
  });
});
