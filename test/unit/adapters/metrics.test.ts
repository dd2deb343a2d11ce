import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { metricsNamespace, powertoolsMetrics } from '../../../lambdas/adapters/metrics.js';
import { powertoolsOutboxMetrics } from '../../../lambdas/adapters/outbox-metrics.js';

/** What the stack gives a stage's functions (lib/constructs/house-function.ts). */
const NAMESPACE = metricsNamespace('test');

/** The embedded-metric-format lines Powertools writes to stdout, parsed. */
let lines: Record<string, unknown>[];
let write: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  lines = [];
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_DEV', '');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', NAMESPACE);
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
      namespace: NAMESPACE,
      dimensions: [['department', 'service'], ['service']],
      values: { service: 'router', department: 'roads', InquiriesRouted: 1 },
    },
    {
      namespace: NAMESPACE,
      dimensions: [['department', 'service'], ['service']],
      values: { service: 'router', department: 'housing', InquiriesRouted: 1 },
    },
    {
      namespace: NAMESPACE,
      dimensions: [['service']],
      values: { service: 'router', InquiriesOpened: 1 },
    },
    {
      namespace: NAMESPACE,
      dimensions: [['service', 'status']],
      values: { service: 'router', status: 'routed', InquiriesOpened: 1 },
    },
  ]);
});

/** The namespace of each metric line written. */
const namespaces = () =>
  lines.map(
    (line) =>
      (line as { _aws: { CloudWatchMetrics: { Namespace: string }[] } })._aws.CloudWatchMetrics[0]?.Namespace,
  );

it("writes every function's counts in the stage's namespace it is given, none in another stage's", async () => {
  powertoolsMetrics('escalator').count('DeadlineBreaches', { department: 'roads' });
  const responder = powertoolsOutboxMetrics('responder');
  responder.count('VkTokenErrors', {});
  responder.heldBack('retry', 700);
  // The classifier's counter is made when its module is first imported: import it anew, in this environment.
  vi.resetModules();
  const events = await import('../../../lambdas/adapters/service-event-metrics.js');
  events.countVkEvent('group_join');
  events.publishVkEventCounts();

  expect(namespaces()).toHaveLength(5);
  expect(new Set(namespaces())).toEqual(new Set([NAMESPACE]));
  expect(metricsNamespace('dev')).not.toBe(metricsNamespace('prod'));
});
