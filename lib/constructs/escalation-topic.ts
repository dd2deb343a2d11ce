import { CfnOutput, type Stack } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Department } from '../../lambdas/domain/config/schema.js';
import { mailbox } from './mailbox.js';

/**
 * The sender's name of the deadline e-mails (the topic's display name, which SNS puts in the e-mail's From):
 * in the heads' language. SNS takes up to 100 characters, and its e-mails go only while the name and the
 * sending address (no-reply@sns.amazonaws.com) stay within 320 bytes of UTF-8 together: a Cyrillic letter is
 * two (https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html). A stage whose data may be
 * lost (a test stage) names itself, so that its e-mails are not taken for production's.
 */
function escalationTopicDisplayName(stage: string, keepData: boolean): string {
  return keepData ? 'Сроки обращений граждан' : `Сроки обращений граждан (тест: ${stage})`;
}

export interface EscalationTopicProps {
  stage: string;
  /** A stage that keeps data serves departments: its e-mails' sender is named for them alone. */
  keepData: boolean;
  departments: readonly Department[];
  /**
   * Addresses told of every department's e-mails that hold critical work (`escalation.criticalNotify`): an
   * inquiry become critical, or a critical inquiry's warning or breach.
   */
  criticalNotify: readonly string[];
  /** The data key: the topic is encrypted with it, as the citizens' other data. */
  key: IKey;
}

/**
 * The topic the escalator tells departments through, each department's addresses subscribed to their own
 * notices and each duty address to every department's critical work; its ARN an output of the stack. The
 * stack's own resources, as Escalation's (escalation.ts says why).
 */
export function escalationTopic(stack: Stack, props: EscalationTopicProps): Topic {
  // Departments hear of deadlines near and missed through one encrypted topic; each e-mail subscription
  // takes only its own department's messages (filter on the `department` message attribute).
  const topic = new Topic(stack, 'EscalationTopic', {
    displayName: escalationTopicDisplayName(props.stage, props.keepData),
    masterKey: props.key,
    enforceSSL: true,
  });
  new CfnOutput(stack, 'EscalationTopicArn', {
    value: topic.topicArn,
    description: "Departments' deadline notices: their notify addresses are subscribed, each to its own",
  });
  // An address named by several departments (a deputy head, a shared duty inbox) is one subscription that
  // takes each of theirs: SNS refuses a second subscription of an endpoint with other attributes.
  // https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
  for (const [address, departments] of departmentsByAddress(props.departments))
    topic.addSubscription(
      new EmailSubscription(address, {
        filterPolicy: { department: SubscriptionFilter.stringFilter({ allowlist: departments }) },
      }),
    );
  // A duty address takes every department's e-mail that holds critical work: an inquiry become critical,
  // or a critical inquiry's warning or breach still owed (the `critical` attribute the escalator sets; a
  // filter on `kind` would miss the breach of a critical inquiry no one answered within its hour). A change
  // of this filter is an update of the subscription in place: no new confirmation. (The configuration keeps
  // a duty address out of the departments' lists: one filter each.)
  // https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html
  for (const address of new Set(props.criticalNotify.map(mailbox)))
    topic.addSubscription(
      new EmailSubscription(address, {
        filterPolicy: { critical: SubscriptionFilter.stringFilter({ allowlist: ['true'] }) },
      }),
    );
  return topic;
}

/**
 * Each e-mail address of the departments' `notify` lists (the configuration's schema lets only e-mail addresses
 * in), with the ids of the departments that name it.
 */
function departmentsByAddress(departments: readonly Department[]): Map<string, string[]> {
  const byAddress = new Map<string, string[]>();
  for (const department of departments)
    for (const target of department.notify) {
      const address = mailbox(target);
      const named = byAddress.get(address) ?? [];
      if (!named.includes(department.id)) named.push(department.id);
      byAddress.set(address, named);
    }
  return byAddress;
}
