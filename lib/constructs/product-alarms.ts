import type { Duration } from 'aws-cdk-lib';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { deadLettersAlarm } from './dead-letters-alarm.js';
import type { AddAlarm } from './ops-alarm.js';

/** An alarm on a product metric with a threshold of its own. */
export interface ThresholdAlarm {
  metric: IMetric;
  /** Alarms at or above it; below it, given `below`. */
  threshold: number;
  /**
   * For a level that must not fall (the days left of the production calendar). Missing data still counts as
   * no trouble: such a level is written only while it is low.
   */
  below?: boolean;
  /** Periods looked at: the alarm fires when one of them (or `datapointsToAlarm`) reaches the threshold. */
  evaluationPeriods: number;
  /**
   * Periods of those that must reach the threshold for the alarm to fire (1 unless given): it clears when
   * fewer do. For what must last, not happen once.
   */
  datapointsToAlarm?: number;
  /** What it means, for the alarm's e-mail: Observability ends it with its section of docs/alarms.md. */
  description: string;
}

/**
 * A function a schedule invokes: alarmed when it has gone uninvoked for `evaluationPeriods` periods in a row
 * (a schedule disabled or deleted, the scheduler's role or the function's permission changed). Lambda writes
 * no Invocations then, and every other alarm stays OK, so missing data counts as no run.
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 */
export interface ScheduledFunction {
  function: IFunction;
  /** Each holds at least one run while the schedule runs. */
  period: Duration;
  evaluationPeriods: number;
  /** What it means, for the alarm's e-mail: Observability ends it with its section of docs/alarms.md. */
  description: string;
}

/**
 * A dead-letter queue of no queue of ours: a schedule's, where EventBridge Scheduler leaves the runs it could
 * not start. Alarmed on each new letter as the queues' own are (`<name>DeadLetters`), and charted with them.
 */
export interface DeadLetters {
  queue: IQueue;
  /**
   * The runs whose letter never reached the queue (scheduled-invoke.ts, lettersLost): what its
   * `<name>LettersLost` alarm reads, charted beside the queue's depth, where a lost letter leaves no trace.
   */
  lettersLost?: IMetric;
  /** What it means, for the alarm's e-mail: Observability ends it with its section of docs/alarms.md. */
  description: string;
}

/** A counter alarmed at one or more in five minutes, and what one means to the on-call reading its e-mail. */
export interface CountedAlarm {
  metric: IMetric;
  /** A sentence for the alarm's e-mail: what happened, to whom. */
  meaning: string;
}

/**
 * A part of the product's alarms on what its functions count, declared beside them and created by
 * Observability with every other alarm, to the one topic. A name is the alarm's: one part's only.
 */
export interface ProductAlarms {
  /**
   * Counters to alarm on and chart (deadline breaches, token errors, replies not delivered); each alarms at
   * one or more in five minutes, its meaning told in its e-mail and in its section of docs/alarms.md.
   */
  counted?: Record<string, CountedAlarm>;
  /** Metrics to alarm on at thresholds of their own (how late replies to citizens are). */
  thresholds?: Record<string, ThresholdAlarm>;
  /** Functions run by a schedule, each alarmed when it stops being invoked (`<name>NotRunning`). */
  scheduled?: Record<string, ScheduledFunction>;
  /** Dead-letter queues of the part's schedules, each alarmed on every new letter (`<name>DeadLetters`). */
  deadLetters?: Record<string, DeadLetters>;
}

/**
 * The parts' alarms together, each kind in the parts' order. A name given twice fails the synth, rather than
 * one part's alarm silently taking the other's place.
 */
export function mergedProductAlarms(parts: readonly ProductAlarms[]): Required<ProductAlarms> {
  const all: Required<ProductAlarms> = { counted: {}, thresholds: {}, scheduled: {}, deadLetters: {} };
  for (const part of parts)
    for (const kind of ['counted', 'thresholds', 'scheduled', 'deadLetters'] as const)
      for (const [name, spec] of Object.entries(part[kind] ?? {})) {
        if (name in all[kind]) throw new Error(`The product alarm ${name} is defined twice`);
        Object.assign(all[kind], { [name]: spec });
      }
  return all;
}

/**
 * The alarms of every part (merged): on the dead letters of its schedules, its counters, its thresholds, and
 * its scheduled functions that stop running.
 */
export function productAlarms(alarm: AddAlarm, product: Required<ProductAlarms>): void {
  for (const [name, deadLetters] of Object.entries(product.deadLetters))
    deadLettersAlarm(alarm, name, deadLetters.queue, `new dead letters of ${name}`, deadLetters.description);
  for (const [name, { metric, meaning }] of Object.entries(product.counted)) {
    alarm(name, metric, 1, `${meaning} One or more in five minutes.`);
  }
  for (const [name, spec] of Object.entries(product.thresholds)) {
    alarm(name, spec.metric, spec.threshold, spec.description, {
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      below: spec.below,
      missingBreaches: false,
    });
  }
  // Every period of the window without a run. CloudWatch evaluates at most a day of periods under an hour,
  // seven days of longer ones.
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
  for (const [name, spec] of Object.entries(product.scheduled)) {
    alarm(
      `${name}NotRunning`,
      spec.function.metricInvocations({ period: spec.period, statistic: 'Sum' }),
      1,
      spec.description,
      {
        evaluationPeriods: spec.evaluationPeriods,
        datapointsToAlarm: spec.evaluationPeriods,
        below: true,
      },
    );
  }
}
