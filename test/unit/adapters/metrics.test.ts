import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { METRICS_NAMESPACE, powertoolsMetrics } from '../../../lambdas/adapters/metrics.js';

/** The embedded-metric-format lines Powertools writes to stdout, parsed. */
let lines: Record<string, unknown>[];
let write: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  lines = [];
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_DEV', '');
  write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    for (const line of String(chunk).split('\n').filter(Boolean))
      lines.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  });
});
afterEach(() => {
  write.mockRestore();
  vi.unstubAllEnvs();
});

it('writes one metric line per count, each with its own dimensions and none of the previous count’s; a department’s count counts for its service too', () => {
  const metrics = powertoolsMetrics('router');
  metrics.count('InquiriesRouted', { department: 'roads' });
  metrics.count('InquiriesRouted', { department: 'housing' });
  metrics.count('InquiriesOpened');
  metrics.count('InquiriesOpened', { status: 'routed' });

  const written = lines.map((line) => {
    const { _aws, ...values } = line as {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] };
    };
    const [directive] = _aws.CloudWatchMetrics;
    return {
      namespace: directive?.Namespace,
      dimensions: directive?.Dimensions.map((set) => [...set].sort()),
      values,
    };
  });
  expect(written).toEqual([
    {
      namespace: METRICS_NAMESPACE,
      dimensions: [['department', 'service'], ['service']],
      values: { service: 'router', department: 'roads', InquiriesRouted: 1 },
    },
    {
      namespace: METRICS_NAMESPACE,
      dimensions: [['department', 'service'], ['service']],
      values: { service: 'router', department: 'housing', InquiriesRouted: 1 },
    },
    {
      namespace: METRICS_NAMESPACE,
      dimensions: [['service']],
      values: { service: 'router', InquiriesOpened: 1 },
    },
    {
      namespace: METRICS_NAMESPACE,
      dimensions: [['service', 'status']],
      values: { service: 'router', status: 'routed', InquiriesOpened: 1 },
    },
  ]);
});
