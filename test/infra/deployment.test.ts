import { App, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.js';

let stateless: Template;

/** `npx cdk deploy --all -c stage=prod -c ingestReservedConcurrency=0`: the CLI passes context as text. */
beforeAll(() => {
  const app = buildApp(new App({ context: { stage: 'prod', ingestReservedConcurrency: '0' } }));
  app.synth();
  const stacks = app.node.children.filter((child): child is Stack => 'templateOptions' in child);
  stateless = Template.fromStack(stacks.find((stack) => stack.stackName.endsWith('Stateless')) as Stack);
}, 180_000);

describe('deploy settings', () => {
  it('reserves no concurrency for ingest when told 0, rather than a reservation of 0 that refuses every call', () => {
    const ingest = Object.values(
      stateless.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: Match.objectLike({ EVENTS_QUEUE_URL: Match.anyValue() }) } },
      }),
    );
    expect(ingest).toHaveLength(1);
    expect(ingest[0]?.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });
});
