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

/** Each metric line written: its namespace, its dimension sets (each sorted) and its values and properties. */
const written = () =>
  lines.map((line) => {
    const { _aws, ...values } = line as {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] };
    } & Record<string, unknown>;
    const [directive] = _aws.CloudWatchMetrics;
    return {
      namespace: directive?.Namespace,
      dimensions: directive?.Dimensions.map((set) => [...set].sort()),
      values,
    };
  });

it('writes one metric line per count, each with its own dimensions and none of the previous count’s', () => {
  const metrics = powertoolsMetrics('router');
  metrics.count('InquiriesRouted', { department: 'roads' });
  metrics.count('InquiriesOpened');
  metrics.count('InquiriesOpened', { status: 'routed' });

  expect(written()).toEqual([
    {
      namespace: NAMESPACE,
      dimensions: [['service']],
      values: { service: 'router', department: 'roads', InquiriesRouted: 1 },
    },
    { namespace: NAMESPACE, dimensions: [['service']], values: { service: 'router', InquiriesOpened: 1 } },
    {
      namespace: NAMESPACE,
      dimensions: [['service', 'status']],
      values: { service: 'router', status: 'routed', InquiriesOpened: 1 },
    },
  ]);
});

it('keeps a busy count’s department in its line for Logs Insights, not as a dimension: one metric, not one per department', () => {
  const router = powertoolsMetrics('router');
  router.count('InquiriesRouted', { department: 'roads' });
  router.count('FirstResponsesInTime', { department: 'housing' });
  const escalator = powertoolsMetrics('escalator');
  escalator.count('DeadlineWarnings', { department: 'roads' });
  escalator.count('DeadlineBreaches', { department: 'housing' });
  escalator.count('CriticalNotices', { department: 'roads' });

  expect(written().map(({ dimensions, values }) => ({ dimensions, department: values.department }))).toEqual([
    { dimensions: [['service']], department: 'roads' },
    { dimensions: [['service']], department: 'housing' },
    { dimensions: [['service']], department: 'roads' },
    { dimensions: [['service']], department: 'housing' },
    { dimensions: [['service']], department: 'roads' },
  ]);
});

it('keeps the department as a dimension, beside the service alone, on the rare counts read by department', () => {
  powertoolsMetrics('retention').count('InquiriesDeleted', { department: 'roads' });
  const escalator = powertoolsMetrics('escalator');
  escalator.count('EscalationChecksLeft', { department: 'housing' }, 40);
  escalator.count('EscalationErrors', { department: 'roads' });
  // The next count on the same writer carries neither the department nor its dimension set.
  escalator.count('DeadlineBreaches', { department: 'housing' });

  expect(written().map(({ dimensions, values }) => ({ dimensions, values }))).toEqual([
    {
      dimensions: [['department', 'service'], ['service']],
      values: { service: 'retention', department: 'roads', InquiriesDeleted: 1 },
    },
    {
      dimensions: [['department', 'service'], ['service']],
      values: { service: 'escalator', department: 'housing', EscalationChecksLeft: 40 },
    },
    {
      dimensions: [['department', 'service'], ['service']],
      values: { service: 'escalator', department: 'roads', EscalationErrors: 1 },
    },
    {
      dimensions: [['service']],
      values: { service: 'escalator', department: 'housing', DeadlineBreaches: 1 },
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
