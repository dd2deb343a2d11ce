import { ArnFormat, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

/** The SNS topic every alarm of the stage notifies, encrypted, with the on-call's addresses subscribed. */
export function alarmTopic(
  scope: Construct,
  props: { stage: string; removalPolicy: RemovalPolicy; notify?: string[] },
): Topic {
  // CloudWatch must be able to use the key to publish alarms to an encrypted topic; AWS-managed SNS keys
  // don't allow it, hence a key of our own.
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
  const key = new Key(scope, 'AlarmTopicKey', {
    description: `Encrypts the ops alarm topic (${props.stage})`,
    enableKeyRotation: true,
    removalPolicy: props.removalPolicy,
  });
  key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');
  const topic = new Topic(scope, 'AlarmTopic', {
    displayName: `VK inquiries alarms (${props.stage})`,
    masterKey: key,
    enforceSSL: true,
  });
  // The topic's policy (enforceSSL's Deny) replaces SNS's default one, and CloudWatch publishes an alarm's
  // actions as its service principal, not as a role of the account: without this Allow every alarm's
  // notification is refused. Only this account's alarms of this region may publish (confused deputy).
  // https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
  // https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
  const stack = Stack.of(scope);
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
  for (const address of props.notify ?? []) topic.addSubscription(new EmailSubscription(address));
  return topic;
}
