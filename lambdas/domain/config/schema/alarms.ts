import * as z from 'zod';
import { emailAddressSchema } from '../email-address.js';

/** Hours of a silent VK callback after which ops are told, unless a stage says otherwise (alarmsSchema). */
export const DEFAULT_CALLBACK_SILENCE_HOURS = 6;
/** A week of hourly periods: the most CloudWatch evaluates. */
export const MAX_CALLBACK_SILENCE_HOURS = 7 * 24;

/** Who hears of the ops alarms (queues, functions, the VK callback, deadline breaches). */
export const alarmsSchema = z.strictObject({
  /** E-mail addresses, each subscribed to the alarm topic; a recipient must confirm before mail arrives. */
  notify: z.array(emailAddressSchema).default([]),
  /**
   * Hours without a single request to the VK callback answered 200 (VK's) after which ops are told
   * (`CallbackNoRequests`), or false for none (a test stage whose community is quiet for days). VK pauses a
   * server after several failures in a row and then sends nothing, so every other alarm stays OK. Six by default: a regional centre's
   * communities send events (messages, comments, joins and leaves) every hour of the day, and a quiet night
   * rarely goes six hours without one, while six hours still tell the on-call of a server paused in the
   * evening by the next morning. Up to a week: CloudWatch evaluates hourly periods over seven days at most.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
   */
  callbackSilenceHours: z
    .union([z.number().int().min(1).max(MAX_CALLBACK_SILENCE_HOURS), z.literal(false)])
    .default(DEFAULT_CALLBACK_SILENCE_HOURS),
});
