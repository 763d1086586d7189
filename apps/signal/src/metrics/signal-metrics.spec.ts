import { SignalMetrics } from './signal-metrics';

describe(SignalMetrics.name, () => {
  it('should let several instances live in one process, each counting in its own registry', async () => {
    const sut = new SignalMetrics();
    const other = new SignalMetrics();

    sut.socketEmits.inc({ topic: 'observation/test' });

    const counted = await sut.registry.getSingleMetricAsString('signal_socket_emits_total');
    const untouched = await other.registry.getSingleMetricAsString('signal_socket_emits_total');
    expect(counted).toContain('signal_socket_emits_total{topic="observation/test"} 1');
    expect(untouched).not.toContain('observation/test');
  });

  it('should expose the Node process metrics under their standard names', async () => {
    const sut = new SignalMetrics();

    const names = (await sut.registry.getMetricsAsJSON()).map((metric) => metric.name);

    expect(names).toEqual(
      expect.arrayContaining(['process_cpu_user_seconds_total', 'nodejs_eventloop_lag_seconds']),
    );
  });
});
