import { readFileSync } from 'node:fs';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.js';
import { unbundledApp } from '../support/cdk-app.js';
import { temporaryFile } from '../support/temp-dir.js';

/** The Stateless stack of the local configuration with its `alarms` replaced, the functions not bundled. */
function statelessWith(alarms: Record<string, unknown>): Template {
  const config = JSON.parse(readFileSync('config/local.json', 'utf8'));
  config.alarms = alarms;
  const file = temporaryFile('vk-config-', 'silent-callback.json', JSON.stringify(config));
  const app = buildApp(unbundledApp({ stage: 'test', config: file }));
  app.synth();
  const stacks = app.node.children.filter((child): child is Stack => 'templateOptions' in child);
  return Template.fromStack(stacks.find((stack) => stack.stackName.endsWith('Stateless')) as Stack);
}

/** The alarms on the callback's requests answered 200, as [hours looked at, its periods' length]. */
const silenceAlarms = (template: Template) =>
  Object.values(
    template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { Namespace: 'VkInquiries/Callback', MetricName: 'AcceptedRequests-test' },
    }),
  ).map((alarm) => [alarm.Properties.EvaluationPeriods, alarm.Properties.Period]);

describe('the alarm on a VK callback no request reaches', () => {
  it('looks at the hours the stage gives, and is gone from a stage that turns it off', () => {
    expect(silenceAlarms(statelessWith({ notify: [], callbackSilenceHours: 12 }))).toEqual([[12, 3600]]);
    expect(silenceAlarms(statelessWith({ notify: [], callbackSilenceHours: false }))).toEqual([]);
  }, 180_000);
});
