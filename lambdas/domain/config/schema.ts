import * as z from 'zod';
import { productionCalendars } from '../../../config/calendars/index.js';
import { SLA_CLOCKS } from '../inquiry/deadline.js';
import {
  ACKNOWLEDGEMENT_PLACEHOLDERS,
  DEFAULT_ACKNOWLEDGEMENT_TEMPLATE,
  DEFAULT_EDIT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE,
  DEFAULT_RAISED_ACKNOWLEDGEMENT_TEMPLATE,
  DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE,
  unknownPlaceholders,
} from '../outbox/acknowledgement.js';
import { ANSWER_PREFIX_PLACEHOLDERS } from '../outbox/answer-prefix.js';
import { MAX_MESSAGE_LENGTH } from '../outbox/outbox-message.js';
import { communityCalendarSchema } from '../sla/index.js';
import { CATEGORIES, PRIORITIES } from '../taxonomy.js';
import { ConfigError, invalidConfiguration } from './config-error.js';
import { emailAddressSchema } from './email-address.js';
import { SSM_PARAMETER_NAME, SSM_PARAMETER_NAME_RULE } from './secret-ref.js';
import { repeatedKeys, sharedParameters } from './unique-entries.js';

export { ConfigError };

/**
 * The product's configuration: communities, departments, routing and deadlines. One schema, checked when
 * `cdk synth` builds the stacks and again when a function or the local runtime starts.
 */

/** A reference to a value kept in a secret store (SSM Parameter Store SecureString), never the value itself. */
const secretRefSchema = z.strictObject({
  parameter: z.string().regex(SSM_PARAMETER_NAME, SSM_PARAMETER_NAME_RULE),
});

/** An AWS region's name: eu-central-1, us-gov-west-1, ap-southeast-5. */
export const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

const departmentIdSchema = z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes');

/** A community's triage department, which every community needs: said so when it is left out. */
const triageDepartmentSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'required: the id of the department (one of departments[]) that gets the inquiries no routing rule matches and those the classifier is not sure of'
        : undefined,
  })
  .regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes');

/**
 * A community's working calendar, as config/calendars/README.md describes it: time zone, weekly hours, the
 * shared production calendar it follows, and its own extra dates. Deadlines count working time of it.
 */
const calendarSchema = communityCalendarSchema(productionCalendars);

/**
 * The longest critical line: with a template (half of a VK message) and what its placeholders become, an
 * acknowledgement stays well within VK's limit.
 */
const CRITICAL_NOTICE_MAX_LENGTH = 1000;

/** An acknowledgement's words: up to half of a VK message, with the known placeholders only. */
const acknowledgementText = (rule: (text: string) => string[]) =>
  z
    .string()
    .min(1)
    .max(MAX_MESSAGE_LENGTH / 2)
    .superRefine((text, context) => {
      for (const name of unknownPlaceholders(text))
        context.addIssue({
          code: 'custom',
          message: `unknown placeholder {${name}}: use ${ACKNOWLEDGEMENT_PLACEHOLDERS.map((known) => `{${known}}`).join(', ')}`,
        });
      for (const message of rule(text)) context.addIssue({ code: 'custom', message });
    });

/**
 * The text sent instead of `template` once the {dueAt} it names has passed (a routing replayed from the dead
 * letters, VK down for hours), so that no one is promised a time gone: the case number the citizen quotes,
 * and no {dueAt}.
 */
const templateOnceDueSchema = acknowledgementText((text) => [
  ...(text.includes('{caseNumber}') ? [] : ['must name {caseNumber}, the number the citizen quotes']),
  ...(text.includes('{dueAt}') ? ['must not name {dueAt}: it is sent once that time has passed'] : []),
]);

/**
 * The acknowledgement of a citizen's message that reopened their answered or closed inquiry (docs/answering-citizens.md,
 * "Acknowledgement"), with the same placeholders and rules as that of a new inquiry.
 */
const reopenedAcknowledgementSchema = z.strictObject({
  /** false: a reopening is not acknowledged (a new inquiry still is). */
  enabled: z.boolean().default(true),
  template: acknowledgementText(() => []).default(DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE),
  /** Omitted: DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE. */
  templateOnceDue: templateOnceDueSchema.optional(),
});

/**
 * The acknowledgement of a reopening by the citizen's edit of a message the answer covered (docs/answering-citizens.md,
 * "Acknowledgement"), with the same placeholders and rules; sent, or not, as `reopened.enabled` says.
 */
const reopenedByEditAcknowledgementSchema = z.strictObject({
  template: acknowledgementText(() => []).default(DEFAULT_EDIT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE),
  /** Omitted: DEFAULT_EDIT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE. */
  templateOnceDue: templateOnceDueSchema.optional(),
});

/**
 * The acknowledgement of a citizen's follow-up that raised the priority of their open inquiry (a danger
 * reported later: docs/answering-citizens.md, "Acknowledgement"), with the same placeholders and rules as that of a new inquiry.
 */
const raisedAcknowledgementSchema = z.strictObject({
  /** false: a raise is not acknowledged (a new inquiry, and a reopening, still are). */
  enabled: z.boolean().default(true),
  template: acknowledgementText(() => []).default(DEFAULT_RAISED_ACKNOWLEDGEMENT_TEMPLATE),
  /** Omitted: DEFAULT_RAISED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE. */
  templateOnceDue: templateOnceDueSchema.optional(),
});

/** The automatic acknowledgement of a routed inquiry, in the community's words. */
const acknowledgementSchema = z.strictObject({
  /** false: the community acknowledges nothing automatically, neither a new inquiry nor a reopening. */
  enabled: z.boolean().default(true),
  /**
   * The text, with {caseNumber} (the inquiry's case number, `2026-004217`: the community's sequence of the
   * year, which operators find the inquiry by; an inquiry opened before case numbers shows its id),
   * {department} (its `publicName`, or `name`) and {dueAt} (in the community's time zone, said so).
   */
  template: acknowledgementText(() => []).default(DEFAULT_ACKNOWLEDGEMENT_TEMPLATE),
  /** Omitted: DEFAULT_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE. */
  templateOnceDue: templateOnceDueSchema.optional(),
  /** Omitted: a reopening is acknowledged in the default words for it. */
  reopened: reopenedAcknowledgementSchema.optional(),
  /** Omitted: a reopening by an edit is acknowledged in the default words for it. */
  reopenedByEdit: reopenedByEditAcknowledgementSchema.optional(),
  /** Omitted: a follow-up that raised the priority is acknowledged in the default words for it. */
  raised: raisedAcknowledgementSchema.optional(),
  /**
   * The line every acknowledgement of a `critical` inquiry begins with, on a line of its own: where to call when
   * life is at risk. The same placeholders; "" for none. Omitted: DEFAULT_CRITICAL_NOTICE.
   */
  critical: z
    .string()
    .max(CRITICAL_NOTICE_MAX_LENGTH)
    .superRefine((text, context) => {
      for (const name of unknownPlaceholders(text))
        context.addIssue({ code: 'custom', message: `unknown placeholder {${name}}` });
    })
    .optional(),
  /**
   * How `{dueAt}` names the community's clock when it is not Moscow time ("по пермскому времени"), before its
   * difference from Moscow ("(МСК+2)"). Omitted: "по местному времени".
   */
  localTimeName: z.string().trim().min(1).max(100).optional(),
});

/**
 * Who may use the operator API locally, where no Cognito user pool issues tokens: each bearer token (kept in
 * the secret store, by reference) stands for a user with the claims Cognito would give (`sub`, groups).
 */
const localOperatorSchema = z.strictObject({
  sub: z.string().min(1),
  name: z.string().min(1),
  groups: z.array(z.string().min(1)).min(1),
  token: secretRefSchema,
});

export const communitySchema = z.strictObject({
  groupId: z.number().int().positive(),
  name: z.string().min(1),
  /** The community's working time: its time zone, weekly hours and special dates. */
  calendar: calendarSchema,
  /** Where inquiries go that no rule matches or that the classifier is not sure of. */
  triageDepartment: triageDepartmentSchema,
  /** The secret key set for our callback server in VK, checked on every request. */
  callbackSecret: secretRefSchema,
  /**
   * The secret VK signed with before the last rotation, accepted beside `callbackSecret` so that a rotation
   * refuses nothing; vk:connect keeps it (docs/runbook.md). Omitted: only `callbackSecret` is accepted.
   */
  previousCallbackSecret: secretRefSchema.optional(),
  /** The string VK expects back on a `confirmation` request. */
  confirmationCode: secretRefSchema,
  /**
   * The community's VK access tokens, by reference: a community token, and a community admin's user token
   * (board, photo, video and market comments accept replies from a user token only).
   */
  tokens: z
    .strictObject({ community: secretRefSchema.optional(), user: secretRefSchema.optional() })
    .optional(),
  /** Omitted: acknowledged with the default template. */
  acknowledgement: acknowledgementSchema.optional(),
  /**
   * The line an operator's words to the citizen begin with, naming the case they answer, with {caseNumber}
   * only; "" for none. Omitted: DEFAULT_ANSWER_PREFIX ("По обращению № {caseNumber}:"). Short: it counts
   * against VK's limit for the message, and so against what an operator may write.
   */
  answerPrefix: z
    .string()
    .trim()
    .max(200)
    .superRefine((text, context) => {
      for (const name of [...text.matchAll(/\{([^{}\s]+)\}/gu)].map((match) => match[1] ?? ''))
        if (!(ANSWER_PREFIX_PLACEHOLDERS as readonly string[]).includes(name))
          context.addIssue({ code: 'custom', message: `unknown placeholder {${name}}: use {caseNumber}` });
    })
    .optional(),
});

export const departmentSchema = z
  .strictObject({
    id: departmentIdSchema,
    name: z.string().min(1),
    /**
     * What acknowledgements tell the citizen of it (`{department}`), when its `name` is the product's own
     * (a triage queue's): the body's public name. Omitted: its `name`.
     */
    publicName: z.string().min(1).optional(),
    /**
     * Who is told of its deadlines near and missed: e-mail addresses, each subscribed to the deadline topic,
     * at least one (a department no one hears of would be warned and escalated into the void). Trimmed: an
     * address copied from a mail client often ends in a space.
     */
    notify: z.array(z.string()).default([]),
  })
  .transform((department, context) => {
    const { id, notify } = department;
    if (notify.length === 0)
      context.addIssue({
        code: 'custom',
        path: ['notify'],
        message: `department "${id}" names no e-mail address: its deadline notices would reach no one`,
      });
    // As subscribed: trimmed, the domain in ASCII; each that is no address named with its department.
    const addresses = notify.map((address, index) => {
      const parsed = emailAddressSchema.safeParse(address);
      if (parsed.success) return parsed.data;
      context.addIssue({
        code: 'custom',
        path: ['notify', index],
        message: `department "${id}": ${parsed.error.issues[0]?.message ?? 'not an e-mail address'}`,
      });
      return address;
    });
    return { ...department, notify: addresses };
  });

const patternSchema = z
  .string()
  .min(1)
  .superRefine((pattern, context) => {
    try {
      new RegExp(pattern, 'iu');
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: `"${pattern}" is not a valid pattern: ${(error as Error).message}`,
      });
    }
  });

export const routingRuleSchema = z.strictObject({
  /** Omitted: any community. */
  community: z.number().int().positive().optional(),
  /** Omitted: any category. */
  category: z.enum(CATEGORIES).optional(),
  /** Omitted: any priority. */
  priority: z.enum(PRIORITIES).optional(),
  /**
   * Omitted: any text. Otherwise the rule matches when at least one pattern is found in the message text:
   * case-insensitive regular expressions, e.g. a district ("Мотовилих"), a street ("ул\\.? ?Ленина"), a
   * keyword ("светофор"). "ё" and "е" are treated alike.
   */
  patterns: z.array(patternSchema).min(1).optional(),
  department: departmentIdSchema,
});

const hoursSchema = z
  .number()
  .positive()
  .max(24 * 365);

/**
 * How a term's hours count: `working_hours` (the default), in working time of the community's calendar, or
 * `round_the_clock`, every hour of every day and night, holidays too: for a threat to life, health or property.
 */
const slaClockSchema = z.enum(SLA_CLOCKS, {
  error: `clock must be ${SLA_CLOCKS.map((clock) => `"${clock}"`).join(' or ')}`,
});

/** The share of a term after which the department is warned (0.8: at 80 % of the time). */
const warnAtFractionSchema = z.number().gt(0).lt(1);

/**
 * Hours to the first response and to the resolution (the final answer after an intermediate one), and, for
 * a priority that wants an earlier warning than `sla.warnAtFraction` (critical: an hour's term warned at 48
 * minutes leaves 12 to act), its own share.
 */
const slaTermsSchema = z.strictObject({
  firstResponseHours: hoursSchema,
  resolutionHours: hoursSchema,
  clock: slaClockSchema.default('working_hours'),
  warnAtFraction: warnAtFractionSchema.optional(),
});

const slaOverrideSchema = z
  .strictObject({
    /** Omitted: any category. */
    category: z.enum(CATEGORIES).optional(),
    /** Omitted: any priority. */
    priority: z.enum(PRIORITIES).optional(),
    firstResponseHours: hoursSchema.optional(),
    resolutionHours: hoursSchema.optional(),
    /** Omitted: as the priority's defaults count. */
    clock: slaClockSchema.optional(),
  })
  .refine(
    (override) =>
      override.firstResponseHours !== undefined ||
      override.resolutionHours !== undefined ||
      override.clock !== undefined,
    { message: 'an override must set at least one of firstResponseHours, resolutionHours, clock' },
  );

export const slaSchema = z.strictObject({
  /** The terms per priority, in working hours of the community's calendar unless they count round the clock. */
  defaults: z.strictObject(
    Object.fromEntries(PRIORITIES.map((priority) => [priority, slaTermsSchema])) as Record<
      (typeof PRIORITIES)[number],
      typeof slaTermsSchema
    >,
  ),
  /** Per category and/or priority, in order: the first override that matches a term wins. */
  overrides: z.array(slaOverrideSchema).default([]),
  /** The share of a term after which the department is warned, unless its priority's defaults set one. */
  warnAtFraction: warnAtFractionSchema.default(0.8),
});

/** Hours of a silent VK callback after which ops are told, unless a stage says otherwise (alarmsSchema). */
export const DEFAULT_CALLBACK_SILENCE_HOURS = 6;
/** A week of hourly periods: the most CloudWatch evaluates. */
export const MAX_CALLBACK_SILENCE_HOURS = 7 * 24;

/** Who hears of the ops alarms (queues, functions, the VK callback, deadline breaches). */
const alarmsSchema = z.strictObject({
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

/** Who hears of deadlines beyond the departments. */
const escalationSchema = z.strictObject({
  /**
   * E-mail addresses (a regional duty officer's) subscribed to every department's e-mails that hold a critical
   * inquiry (filter on the `kind` message attribute): each such e-mail whole, as its department gets it.
   */
  criticalNotify: z.array(emailAddressSchema).default([]),
});

/** The placeholder of `operatorConsoleUrl` that the inquiry's id replaces. */
export const CONSOLE_URL_PLACEHOLDER = '{inquiryId}';

/**
 * Where operators open an inquiry, e.g. `https://console.example.org/inquiries/{inquiryId}`: the deadline
 * e-mails link each inquiry there.
 */
const operatorConsoleUrlSchema = z.string().superRefine((template, context) => {
  const problem = (message: string) => context.addIssue({ code: 'custom', message });
  if (!template.includes(CONSOLE_URL_PLACEHOLDER))
    return problem(`must contain ${CONSOLE_URL_PLACEHOLDER}, which the inquiry's id replaces`);
  let protocol: string | undefined;
  try {
    protocol = new URL(template.replaceAll(CONSOLE_URL_PLACEHOLDER, 'x')).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'https:' && protocol !== 'http:')
    problem(`an http(s) address such as https://console.example.org/inquiries/${CONSOLE_URL_PLACEHOLDER}`);
});

/** Host names of the developer's own machine: the only ones a console may be served from over plain http. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A web origin as a browser sends it in `Origin` (https://console.example.gov.ru): scheme, host and port, no
 * path, no trailing slash, lower case, punycode. API Gateway and the local runtime compare it as text, so
 * anything else would never match; a wildcard is refused, each console is named. Plain http only on the
 * developer's machine: a page served over http could be changed on the way to read the operator's token.
 */
const originSchema = z.string().superRefine((origin, context) => {
  const refuse = (message: string) =>
    context.addIssue({ code: 'custom', message: `"${origin}": ${message}` });
  if (origin.includes('*'))
    return refuse('no wildcard: name each origin, e.g. https://console.example.gov.ru');
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return refuse('not an origin such as https://console.example.gov.ru');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)))
    return refuse('https only (http only for localhost, 127.0.0.1 or [::1])');
  if (url.origin !== origin) return refuse(`write it as a browser sends it: "${url.origin}"`);
});

/** Web pages of other origins that may call the operator API (CORS). */
export const operatorApiSchema = z.strictObject({
  /**
   * The origins of the operators' console, exact. Empty (the default): CORS is off, no page of another origin
   * may call the API, which is what a console served from the API's own origin needs.
   */
  allowedOrigins: z
    .array(originSchema)
    .default([])
    .refine((origins) => new Set(origins).size === origins.length, { message: 'an origin is listed twice' }),
});

/** What Cognito requires an invitation to hold: the user's name in the pool and the temporary password. */
export const INVITATION_PLACEHOLDERS = ['{username}', '{####}'] as const;

/**
 * How the operators' user pool mails them (the invitation with a temporary password, a password reset): omitted,
 * Cognito's own sender, from no-reply@verificationemail.com, in English, and at most 50 messages a day for the
 * whole AWS account; with it, SES, from an identity SES has verified (docs/runbook.md). Read by `cdk synth` only.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
 */
const operatorMailSchema = z
  .strictObject({
    /** The sender: an address SES has verified, or one of `sesVerifiedDomain`. ASCII before the @ (Cognito's rule). */
    from: z.email(),
    /** The sender's name as the mail shows it ("Администрация района"): Cyrillic is sent encoded. */
    fromName: z.string().min(1).max(100).optional(),
    /** Where replies go; omitted, `from`. */
    replyTo: z.email().optional(),
    /** The domain SES has verified, when the `from` address is not an identity of its own. */
    sesVerifiedDomain: z
      .string()
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a domain name such as example.org')
      .optional(),
    /** The region of the SES identity, when it is not the stage's (Cognito allows only some such pairs). */
    sesRegion: z.string().regex(AWS_REGION, 'an AWS region such as eu-central-1').optional(),
    /**
     * The invitation, in the operators' language; Cognito allows it only with SES. Omitted, Cognito's English
     * one. Its limits are Cognito's: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cognito-userpool-invitemessagetemplate.html
     */
    invitation: z
      .strictObject({
        subject: z.string().min(1).max(140),
        /** With {username} and {####} (the temporary password), both of which Cognito requires; HTML is allowed. */
        body: z
          .string()
          .min(6)
          .max(20_000)
          .superRefine((body, context) => {
            for (const placeholder of INVITATION_PLACEHOLDERS)
              if (!body.includes(placeholder))
                context.addIssue({ code: 'custom', message: `the invitation must hold ${placeholder}` });
          }),
      })
      .optional(),
  })
  .superRefine((mail, context) => {
    if (mail.sesVerifiedDomain !== undefined && mail.from.split('@').pop() !== mail.sesVerifiedDomain)
      context.addIssue({
        code: 'custom',
        path: ['from'],
        message: `the sender must be an address of ${mail.sesVerifiedDomain}, the domain SES verified`,
      });
  });

export const threadingSchema = z.strictObject({
  /**
   * A citizen who writes again within this many hours (calendar hours) of their inquiry's answer, or of its
   * closing, reopens it; later, the message opens a new inquiry. (The name predates the answer counting too.)
   */
  reopenClosedWithinHours: z
    .number()
    .nonnegative()
    .max(24 * 365),
  /**
   * Within that window, a message the classifier is sure is an inquiry of another category than the answered
   * or closed inquiry's opens a new inquiry, routed on its own, instead of reopening the old one in the old
   * department (inquiry/threading.ts). false: every message within the window reopens, as before.
   */
  newMatterOpensInquiry: z.boolean().default(true),
});

/**
 * How long citizens' data is kept once their inquiry is finished (lambdas/domain/inquiry/retention.ts). The
 * default, 1826 days (five years with a leap day), is the period bodies commonly keep citizens' appeals for:
 * set the one your body's file nomenclature (номенклатура дел) sets.
 */
export const retentionSchema = z.strictObject({
  /** Days after an inquiry is answered, closed or rejected (its `finishedAt`) before it is deleted. */
  closedInquiryDays: z
    .number()
    .int()
    .positive()
    .max(365 * 100),
});

export const DEFAULT_RETENTION = { closedInquiryDays: 1826 } as const;

/**
 * How long a dead-letter queue keeps a message (lib/resources.ts, DEAD_LETTER_RETENTION_DAYS: SQS's longest),
 * so how late one may be replayed (`dlq:replay`): a citizen's word that reopens an inquiry, or an answer to
 * it, must still find it then. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 */
export const DEAD_LETTER_DAYS = 14;

export const appConfigSchema = z
  .strictObject({
    /**
     * The AWS region the stage is deployed to, where citizens' data is kept; `cdk synth` needs it here or as
     * `-c region=…`. The functions do not read it.
     */
    region: z.string().regex(AWS_REGION, 'an AWS region such as eu-central-1').optional(),
    /**
     * true: the stage's data may go with its stacks (a developer's or a test stage): the table, the queues,
     * the keys and the operators' user pool are deleted with them, the table and the pool have no deletion
     * protection, logs are kept a month and ingest reserves no concurrency. Omitted or false (every stage
     * that holds citizens' data, whatever its name): all of it is retained and protected, and logs are kept a
     * year. Read by `cdk synth` only.
     */
    disposable: z
      .boolean({
        error:
          'true or false: true only for a stage whose data may be lost (dev, test); omit it for one that keeps data',
      })
      .default(false),
    communities: z.array(communitySchema).min(1),
    departments: z.array(departmentSchema).min(1),
    routing: z.array(routingRuleSchema),
    sla: slaSchema,
    threading: threadingSchema.default({ reopenClosedWithinHours: 72, newMatterOpensInquiry: true }),
    retention: retentionSchema.default(DEFAULT_RETENTION),
    /** Omitted: the deadline e-mails give no link, and write each inquiry's id beside its case number. */
    operatorConsoleUrl: operatorConsoleUrlSchema.optional(),
    /** Read by `cdk synth` only. */
    alarms: alarmsSchema.default({ notify: [], callbackSilenceHours: DEFAULT_CALLBACK_SILENCE_HOURS }),
    /** Read by `cdk synth` (the topic's subscriptions) and by the escalator (whom an e-mail names). */
    escalation: escalationSchema.default({ criticalNotify: [] }),
    /** Omitted: Cognito's own sender, in English, 50 mails a day; see operatorMailSchema. */
    operatorMail: operatorMailSchema.optional(),
    /**
     * An existing inquiry table the functions use instead of the Stateful stack's own: one restored from
     * point-in-time recovery, which always comes back as a new table (docs/runbook.md). Read by `cdk synth`
     * only. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/pointintimerecovery_restores.html
     */
    inquiryTable: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name: 3 to 255 letters, digits, _ . or -')
      .optional(),
    /** Read by `cdk synth` (API Gateway's CORS configuration) and by the local runtime, which answers the same. */
    operatorApi: operatorApiSchema.default({ allowedOrigins: [] }),
    /** The local runtime's stand-in for the Cognito user pool: never used in AWS. */
    localOperators: z.array(localOperatorSchema).optional(),
  })
  .superRefine((config, context) => {
    const departments = new Set(config.departments.map((department) => department.id));
    const communities = new Set(config.communities.map((community) => community.groupId));
    const problem = (path: readonly PropertyKey[], message: string) =>
      context.addIssue({ code: 'custom', path: [...path], message });
    for (const repeat of [
      ...repeatedKeys(config.departments, 'departments', 'id', (department) => department.id),
      ...repeatedKeys(config.communities, 'communities', 'groupId', (community) => community.groupId),
      ...sharedParameters(config.communities),
    ])
      problem(repeat.path, repeat.message);
    // SNS keeps one subscription of an address to a topic, with one filter: a department's address filters on
    // its department, a duty address on the kind of notice. https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
    const departmental = new Set(
      config.departments.flatMap((department) => department.notify.map((address) => address.toLowerCase())),
    );
    config.escalation.criticalNotify.forEach((address, index) => {
      if (departmental.has(address.toLowerCase()))
        problem(
          ['escalation', 'criticalNotify', index],
          `${address} is a department's notify address too: one address is one subscription to the deadline topic, with one filter; name it in one place (or use another mailbox for the critical notices)`,
        );
    });
    config.communities.forEach((community, index) => {
      if (!departments.has(community.triageDepartment))
        problem(
          ['communities', index, 'triageDepartment'],
          `unknown department "${community.triageDepartment}"`,
        );
    });
    // A citizen may still reopen an inquiry within the window, and their message, or an answer to them, may
    // come back from a dead-letter queue up to its retention later: one deleted before would lose their case,
    // or be sent to them after it (and leave its records behind).
    const { reopenClosedWithinHours } = config.threading;
    if (config.retention.closedInquiryDays * 24 <= DEAD_LETTER_DAYS * 24 + reopenClosedWithinHours)
      problem(
        ['retention', 'closedInquiryDays'],
        `must be longer than the ${DEAD_LETTER_DAYS} days a dead-letter queue keeps a message plus threading.reopenClosedWithinHours (${reopenClosedWithinHours} hours), within which a citizen reopens a finished inquiry: a message replayed from a dead-letter queue must still find its inquiry`,
      );
    config.routing.forEach((rule, index) => {
      if (!departments.has(rule.department))
        problem(['routing', index, 'department'], `unknown department "${rule.department}"`);
      if (rule.community !== undefined && !communities.has(rule.community))
        problem(['routing', index, 'community'], `unknown community ${rule.community}`);
      // The first rule that matches wins (routing.ts): one after a rule that takes all it would is dead, most
      // often a community's own rule put after the rules for every community (docs/runbook.md).
      const before = config.routing.slice(0, index).findIndex((earlier) => takesAllOf(earlier, rule));
      if (before >= 0)
        problem(
          ['routing', index],
          `can never match: routing[${before}] comes first and takes every inquiry it would; put the narrower rule first`,
        );
    });
  });

export type AppConfig = z.infer<typeof appConfigSchema>;
export type Community = z.infer<typeof communitySchema>;
export type Department = z.infer<typeof departmentSchema>;
export type RoutingRule = z.infer<typeof routingRuleSchema>;

/**
 * Whether `earlier` matches every inquiry `later` does: it has no patterns (whose reach cannot be compared),
 * and each of its community, category and priority is left open or is the later rule's.
 */
function takesAllOf(earlier: RoutingRule, later: RoutingRule): boolean {
  return (
    earlier.patterns === undefined &&
    (earlier.community === undefined || earlier.community === later.community) &&
    (earlier.category === undefined || earlier.category === later.category) &&
    (earlier.priority === undefined || earlier.priority === later.priority)
  );
}
export type SlaPolicy = z.infer<typeof slaSchema>;
export type OperatorMail = z.infer<typeof operatorMailSchema>;
export type Retention = z.infer<typeof retentionSchema>;

/** Validates raw configuration; the error names every problem with its path, e.g. `routing[2].department`. */
export function parseAppConfig(raw: unknown, source: string): AppConfig {
  const result = appConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw invalidConfiguration(source, result.error.issues);
}
