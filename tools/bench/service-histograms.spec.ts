import { Histogram, Registry } from 'prom-client';

import { parseHistogram, summarizeBetween } from './service-histograms';

describe('service histograms between two readings', () => {
  const setUp = () => {
    const registry = new Registry();
    const lag = new Histogram({
      name: 'consumer_event_lag_seconds',
      help: 'lag',
      labelNames: ['consumer', 'topic'] as const,
      buckets: [0.1, 0.5, 1, 5],
      registers: [registry],
    });
    return { registry, lag, read: async () => parseHistogram(await registry.metrics(), 'consumer_event_lag_seconds') };
  };

  it('counts only what was observed in between, with its exact mean and the bucket each percentile falls under', async () => {
    // Arrange
    const { lag, read } = setUp();
    const stage = { consumer: 'analytics', topic: 'stage' };
    for (const seconds of [4, 4, 4]) lag.observe(stage, seconds);
    const before = await read();
    for (const seconds of [0.05, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9, 2, 20]) lag.observe(stage, seconds);
    lag.observe({ consumer: 'analytics', topic: 'deal' }, 0.3);

    // Act
    const summary = summarizeBetween(before, await read());

    // Assert
    expect(summary['consumer=analytics,topic=stage']).toEqual({ count: 10, meanMs: 2595, p50AtMostMs: 1000, p95AtMostMs: Infinity, p99AtMostMs: Infinity });
    expect(summary['consumer=analytics,topic=deal']).toEqual({ count: 1, meanMs: 300, p50AtMostMs: 500, p95AtMostMs: 500, p99AtMostMs: 500 });
  });

  it('leaves out label sets with nothing new', async () => {
    // Arrange
    const { lag, read } = setUp();
    lag.observe({ consumer: 'analytics', topic: 'stage' }, 0.2);
    const before = await read();

    // Act
    const summary = summarizeBetween(before, await read());

    // Assert
    expect(summary).toEqual({});
  });
});
