import { readFileSync } from 'node:fs';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.js';
import { unbundledApp } from '../support/cdk-app.js';
import { temporaryFile } from '../support/temp-dir.js';

let stateless: Template;

/**
 * The local configuration with an address in two departments (a deputy head), one named twice by the same
 * department, one mailbox spelt in two cases by two departments, an on-call address listed twice and once
 * more in capitals, and a duty address for critical notices in two cases; synthesized without bundling the
 * functions' code.
 */
beforeAll(() => {
  const config = JSON.parse(readFileSync('config/local.json', 'utf8'));
  const department = (id: string) => config.departments.find((one: { id: string }) => one.id === id);
  department('housing').notify.push('deputy-head@example.org');
  department('roads').notify.push('deputy-head@example.org', 'roads@example.org');
  department('housing').notify.push('Head@Example.org');
  department('roads').notify.push('head@example.org');
  config.alarms = { notify: ['oncall@example.org', 'OnCall@Example.org', 'oncall@example.org'] };
  config.escalation = { criticalNotify: ['duty@example.org', 'Duty@Example.org'] };
  const file = temporaryFile('vk-config-', 'shared-addresses.json', JSON.stringify(config));
  const app = buildApp(unbundledApp({ stage: 'test', config: file }));
  app.synth();
  const stacks = app.node.children.filter((child): child is Stack => 'templateOptions' in child);
  stateless = Template.fromStack(stacks.find((stack) => stack.stackName.endsWith('Stateless')) as Stack);
}, 120_000);

/** The e-mail subscriptions of the topic shown as `displayName`, as [address, filter policy]. */
function subscriptionsOf(displayName: string) {
  const [topic] = Object.keys(
    stateless.findResources('AWS::SNS::Topic', { Properties: { DisplayName: displayName } }),
  );
  return Object.values(
    stateless.findResources('AWS::SNS::Subscription', { Properties: { TopicArn: { Ref: topic } } }),
  ).map((subscription) => [subscription.Properties.Endpoint, subscription.Properties.FilterPolicy]);
}

describe('e-mail subscriptions', () => {
  it('subscribe an address of several departments once, to the notices of each', () => {
    expect(subscriptionsOf('Сроки обращений граждан (тест: test)').sort()).toEqual([
      ['deputy-head@example.org', { department: ['housing', 'roads'] }],
      // The regional duty officer: every department's e-mail that holds critical work (the attribute
      // `critical`, set by lambdas/adapters/notifier.ts): a critical inquiry's breach as well.
      ['duty@example.org', { critical: ['true'] }],
      ['head@example.org', { department: ['housing', 'roads'] }],
      ['housing@example.org', { department: ['housing'] }],
      ['roads@example.org', { department: ['roads'] }],
      ['triage@example.org', { department: ['triage'] }],
    ]);
  });

  it('keep the logical id of an address given in lower case: its subscription is not replaced', () => {
    expect(
      stateless.findResources('AWS::SNS::Subscription', { Properties: { Endpoint: 'housing@example.org' } }),
    ).toHaveProperty(['EscalationTopichousingexampleorg3E4C2810']);
  });

  it('subscribe an on-call address listed twice, and in other case, once to the alarms', () => {
    expect(subscriptionsOf('VK inquiries alarms (test)')).toEqual([['oncall@example.org', undefined]]);
  });
});
