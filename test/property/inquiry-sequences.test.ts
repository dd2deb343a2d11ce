/**
 * A model-based test of the inquiry's state machine: random sequences of the citizen's messages and edits, the
 * operators' actions (with and without `force`, by two operators and by hand in VK), the responder's outcomes
 * (words refused, kept in the dead letters, refused on replay, dropped, delivered late) and the escalator's
 * checks, some events delivered twice and some late, with the invariants docs/inquiries.md,
 * docs/deadlines.md, docs/escalation.md, docs/answering-citizens.md and the code's comments state checked after
 * every stored change. Every invariant reads the same sequences; a failure names the invariant broken, the
 * seed, fast-check's shrunk counterexample and the events applied, each with the status it left.
 *
 * By default, as CI runs it, one fixed seed and 10,000 sequences: the same sequences every run, in a few
 * seconds. Another seed, or more sequences, from the environment (a failure's seed replays it):
 *   SEED=7 RUNS=100000 npx vitest run test/property/inquiry-sequences.test.ts
 * STATS=1 also prints how often each kind of event was applied, found a duplicate or refused (and why): what
 * the sequences reach, to check after a change of the generator.
 */
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { editAfterAnswer } from '../../lambdas/domain/inquiry/edit-after-answer.js';
import {
  type HistoryEntry,
  type Inquiry,
  isFinished,
  isOpen,
  openInquiry,
} from '../../lambdas/domain/inquiry/inquiry.js';
import {
  applyEvent,
  deadlineOf,
  deliveredLateCause,
  deliveryFailedCause,
  type InquiryEvent,
  refusedOnReplayCause,
  type TransitionContext,
  type TransitionResult,
} from '../../lambdas/domain/inquiry/state-machine.js';
import { watchedClocks } from '../../lambdas/domain/inquiry/transitions/clock-checks.js';
import {
  DROPPED_FROM_DEAD_LETTERS,
  droppedFromDeadLettersCause,
} from '../../lambdas/domain/outbox/dropped-dead-letter.js';
import { outboxIdFor } from '../../lambdas/domain/outbox/outbox-message.js';
import type { Priority } from '../../lambdas/domain/taxonomy.js';
import { perm } from '../unit/sla/calendars.js';

const SEED = Number(process.env.SEED ?? 20260316);
const RUNS = Number(process.env.RUNS ?? 10_000);

/** The shipped terms' hours, in working time of Perm's calendar. */
const TERMS: Record<Priority, { firstResponseHours: number; resolutionHours: number }> = {
  normal: { firstResponseHours: 9, resolutionHours: 120 },
  high: { firstResponseHours: 4, resolutionHours: 56 },
  critical: { firstResponseHours: 1, resolutionHours: 8 },
};
const OPERATORS = [
  { id: 'op-a', name: 'Анна' },
  { id: 'op-b', name: 'Борис' },
] as const;
const DEPARTMENTS = ['housing', 'roads'] as const;
const TRIAGE = 'triage';
const AUTHOR = 5;

type Operator = 0 | 1;
type Department = 0 | 1;
/**
 * One step of a sequence. `words` and `back` pick, modulo their count, the operators' words queued so far (for
 * the responder's outcomes) and an event applied before (delivered again).
 */
type Step =
  | { kind: 'message'; priority: Priority; inquiry: boolean }
  | { kind: 'take'; operator: Operator; force: boolean }
  | { kind: 'release'; operator: Operator; admin: boolean }
  | {
      kind: 'intermediate_answer' | 'final_answer' | 'reply_noted';
      operator: Operator;
      typedInVk: boolean;
      force: boolean;
    }
  | { kind: 'close' | 'reopen' | 'reject'; operator: Operator; force: boolean }
  | { kind: 'route'; operator: Operator; priority: Priority; department: Department }
  | { kind: 'move'; operator: Operator; force: boolean; department?: Department; priority?: Priority }
  | { kind: 'edit' | 'delete_by_citizen' | 'delete_by_community' }
  | { kind: 'warn' | 'breach'; clock?: 'first_response' | 'resolution' }
  | { kind: 'delivery_failed' | 'delivered_late' | 'refused_on_replay' | 'dropped'; words: number }
  | { kind: 'redeliver'; back: number };

const operatorArb = fc.constantFrom<Operator>(0, 1);
const departmentArb = fc.constantFrom<Department>(0, 1);
const priorityArb = fc.constantFrom<Priority>('normal', 'high', 'critical');
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('message' as const),
      priority: priorityArb,
      inquiry: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('take' as const), operator: operatorArb, force: fc.boolean() }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom('intermediate_answer' as const, 'final_answer' as const, 'reply_noted' as const),
      operator: operatorArb,
      typedInVk: fc.boolean(),
      force: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom('close' as const, 'reopen' as const),
      operator: operatorArb,
      force: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('release' as const),
      operator: operatorArb,
      admin: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reject' as const),
      operator: operatorArb,
      force: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('route' as const),
      operator: operatorArb,
      priority: priorityArb,
      department: departmentArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        kind: fc.constant('move' as const),
        operator: operatorArb,
        force: fc.boolean(),
        department: departmentArb,
        priority: priorityArb,
      },
      { requiredKeys: ['kind', 'operator', 'force'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom('edit' as const, 'delete_by_citizen' as const, 'delete_by_community' as const),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        kind: fc.constantFrom('warn' as const, 'breach' as const),
        clock: fc.constantFrom('first_response' as const, 'resolution' as const),
      },
      { requiredKeys: ['kind'] },
    ),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'delivery_failed' as const,
        'delivered_late' as const,
        'refused_on_replay' as const,
        'dropped' as const,
      ),
      words: fc.nat(20),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('redeliver' as const), back: fc.nat(20) }) },
);
/** Minutes from one step to the next: mostly minutes, sometimes hours or days (deadlines pass). */
const gapArb = fc.oneof(
  fc.integer({ min: 0, max: 30 }),
  fc.integer({ min: 30, max: 600 }),
  fc.integer({ min: 600, max: 4000 }),
);
/**
 * An inquiry opened (mostly as an inquiry, sometimes as a "спасибо" rejected at once), then the steps, each
 * with the minutes since the step before and whether it is delayed: a citizen's message that reaches us
 * 90 minutes after it was written (routed behind others, replayed), a failure recorded 90 minutes back (the
 * dead-letter queue's record of an earlier try).
 */
const scenarioArb = fc.record({
  start: fc.record({
    priority: priorityArb,
    inquiry: fc.oneof(
      { weight: 4, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constant(false) },
    ),
    department: departmentArb,
  }),
  steps: fc.array(fc.tuple(stepArb, gapArb, fc.boolean()), { minLength: 3, maxLength: 30, size: 'max' }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** Words an operator queued from the console: the responder may refuse them, or deliver them late. */
type QueuedWords = { purpose: 'answer' | 'intermediate_answer'; cause: string; at: string };

const T0 = Date.parse('2026-03-16T04:00:00.000Z');
const DELAY_MS = 90 * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const contextAt = (now: number): TransitionContext => ({
  calendar: perm,
  warnAtFraction: 0.8,
  now: new Date(now),
});

const citizenMessage = (cause: string, at: string, text: string) => ({
  groupId: 1,
  channel: 'direct_message' as const,
  replyTo: { channel: 'direct_message' as const, peerId: AUTHOR },
  messageRef: `dm:5:${cause}`,
  conversationKey: 'dm:5',
  authorId: AUTHOR,
  text,
  attachments: [],
  sentAt: at,
});

/** What the invariants read besides the inquiry: what happened to it so far. */
interface Model {
  inquiry: Inquiry;
  /** Every history entry stored so far, by key. */
  entries: Map<string, HistoryEntry>;
  /** The operators' words queued so far, oldest first. */
  queued: QueuedWords[];
  /** The events stored so far, which a step may deliver again. */
  applied: InquiryEvent[];
  /** Every department the inquiry was in. */
  departments: Set<string>;
  /** Operators (by id) who acted on the inquiry since it last changed department. */
  actedSinceMove: Set<string>;
  /** The first responses counted (`first_response` effects) in each cycle (cycleOf). */
  firstResponses: Map<number, number>;
  /** The events applied, each with its outcome: the failure's story. */
  trail: string[];
}

/** Which cycle the inquiry is in: one more for each cycle it ended (reopened, or rejected and routed back). */
const cycleOf = (inquiry: Inquiry) => inquiry.earlierCycles?.length ?? 0;

/** The event step `n` makes at `now`, the model as it is; undefined for a step with nothing to act on. */
function eventOf(
  step: Step,
  n: number,
  now: number,
  model: Model,
  delayed: boolean,
): InquiryEvent | undefined {
  const at = iso(delayed ? now - DELAY_MS : now);
  const cause = `c${n}`;
  const by = (operator: Operator) => ({
    operatorId: OPERATORS[operator].id,
    operatorName: OPERATORS[operator].name,
  });
  const force = (sent: { force: boolean }) => (sent.force ? { force: true } : {});
  const { inquiry } = model;
  switch (step.kind) {
    case 'message':
      return {
        type: 'citizen_message',
        cause,
        receivedAt: at,
        message: citizenMessage(cause, at, step.inquiry ? `Всё ещё не вывезли мусор ${n}` : 'Спасибо'),
        classification: {
          category: 'waste',
          priority: step.priority,
          confidence: 0.9,
          inquiry: step.inquiry,
          triage: false,
          model: 't',
        },
        terms: TERMS[step.priority],
      };
    case 'take':
      return { type: 'take', cause, at, ...by(step.operator), ...force(step) };
    case 'release':
      return {
        type: 'release',
        cause,
        at,
        reason: 'moved to another department',
        ...by(step.operator),
        ...(step.admin && { admin: true }),
      };
    case 'intermediate_answer':
    case 'final_answer':
    case 'reply_noted': {
      const purpose =
        step.kind === 'final_answer'
          ? 'answer'
          : step.kind === 'intermediate_answer'
            ? 'intermediate_answer'
            : undefined;
      const from = step.typedInVk
        ? { operatorId: 777, via: 'vk' as const }
        : {
            ...by(step.operator),
            via: 'console' as const,
            ...(purpose && { outboxId: outboxIdFor(inquiry.id, purpose, cause) }),
          };
      return {
        type: step.kind,
        cause,
        at,
        text: `ответ ${n}`,
        ...from,
        ...force(step),
      } as InquiryEvent;
    }
    case 'close':
      return { type: 'close', cause, at, reason: 'by phone', ...by(step.operator), ...force(step) };
    case 'reopen':
      return { type: 'reopen', cause, at, reason: 'missed the point', ...by(step.operator), ...force(step) };
    case 'reject':
      return {
        type: 'reject',
        cause,
        at,
        reason: 'spam',
        department: TRIAGE,
        ...by(step.operator),
        ...force(step),
      };
    case 'route':
      return {
        type: 'route',
        cause,
        at,
        reason: 'is an inquiry',
        ...by(step.operator),
        department: DEPARTMENTS[step.department],
        category: 'waste',
        priority: step.priority,
        terms: TERMS[step.priority],
      };
    case 'move':
      if (step.department === undefined && step.priority === undefined) return undefined;
      return {
        type: 'move',
        cause,
        at,
        reason: 'move',
        ...by(step.operator),
        ...force(step),
        ...(step.department !== undefined && { department: DEPARTMENTS[step.department] }),
        ...(step.priority !== undefined && { priority: step.priority, terms: TERMS[step.priority] }),
      };
    case 'edit': {
      const text = `Мусор не вывозят уже неделю во дворе дома ${n}`;
      const afterAnswer = editAfterAnswer(
        inquiry,
        { reachedAt: inquiry.createdAt, at, before: inquiry.text, after: text },
        { reopenClosedWithinHours: 72 },
      );
      return {
        type: 'message_changed',
        cause,
        at,
        messageRef: 'dm:5:e:1',
        change: 'edited',
        text,
        previousText: inquiry.text,
        opening: true,
        ...(afterAnswer && { afterAnswer }),
      };
    }
    case 'delete_by_citizen':
    case 'delete_by_community':
      return {
        type: 'message_changed',
        cause,
        at,
        messageRef: 'dm:5:e:1',
        change: 'deleted',
        text: '',
        opening: true,
        actorId: step.kind === 'delete_by_citizen' ? AUTHOR : 99,
      };
    case 'warn':
    case 'breach':
      return { type: step.kind, now: iso(now), ...(step.clock && { clock: step.clock }) };
    case 'delivery_failed':
    case 'refused_on_replay':
    case 'dropped':
    case 'delivered_late': {
      const words = model.queued[step.words % Math.max(1, model.queued.length)];
      if (!words) return undefined;
      const outboxId = outboxIdFor(inquiry.id, words.purpose, words.cause);
      if (step.kind === 'delivered_late')
        return {
          type: 'delivered_late',
          cause: deliveredLateCause(outboxId),
          at,
          outboxId,
          purpose: words.purpose,
        };
      // As the responder records each: its last try failed, VK refused the replay, ops dropped the letter.
      const recorded = {
        delivery_failed: {
          cause: deliveryFailedCause,
          reason: 'VK error 10 on every try: kept in the dead-letter queue',
        },
        refused_on_replay: { cause: refusedOnReplayCause, reason: 'VK error 901' },
        dropped: { cause: droppedFromDeadLettersCause, reason: DROPPED_FROM_DEAD_LETTERS },
      }[step.kind];
      return {
        type: 'delivery_failed',
        cause: recorded.cause(outboxId),
        at,
        outboxId,
        purpose: words.purpose,
        requestedAt: words.at,
        reason: recorded.reason,
      };
    }
    case 'redeliver':
      return model.applied[model.applied.length - 1 - (step.back % Math.max(1, model.applied.length))];
  }
}

/** The words an event queues for the citizen, if any: those from the console. */
function queuedBy(event: InquiryEvent): QueuedWords | undefined {
  if (event.type !== 'intermediate_answer' && event.type !== 'final_answer') return undefined;
  if (event.via !== 'console') return undefined;
  const purpose = event.type === 'final_answer' ? 'answer' : 'intermediate_answer';
  return { purpose, cause: event.cause, at: event.at };
}

const describeEvent = (event: InquiryEvent) => {
  const parts: string[] = [event.type];
  if ('cause' in event) parts.push(event.cause);
  if ('operatorId' in event) parts.push(String(event.operatorId));
  if ('force' in event && event.force) parts.push('force');
  if ('purpose' in event) parts.push(event.purpose);
  if (event.type === 'move') parts.push(`${event.department ?? ''}/${event.priority ?? ''}`);
  if (event.type === 'citizen_message')
    parts.push(`${event.classification.priority}${event.classification.inquiry ? '' : ' thanks'}`);
  if (event.type === 'warn' || event.type === 'breach') parts.push(event.now, event.clock ?? '');
  if ('at' in event) parts.push(event.at);
  return parts.join(' ');
};

/** What an invariant reads: the model before the change, the change stored, its event and when it applied. */
type Invariant = (
  before: Model,
  after: Extract<TransitionResult, { outcome: 'changed' }>,
  event: InquiryEvent,
  now: number,
) => string | undefined;

/**
 * The invariants, each named: one returns what is wrong with a stored change, or nothing. `before` is the model
 * before it, `after` the change.
 */
const INVARIANTS: Record<string, Invariant> = {
  'version rises by one per stored change': (before, after) =>
    after.inquiry.version === before.inquiry.version + 1
      ? undefined
      : `version ${before.inquiry.version} → ${after.inquiry.version}`,
  'a finished inquiry has no running clock': (_, after) =>
    isFinished(after.inquiry.status) && after.inquiry.clock !== undefined
      ? `${after.inquiry.status} with ${after.inquiry.clock.kind} clock`
      : undefined,
  'open work in a department with terms is watched by a clock or flagged': (_, after) =>
    isOpen(after.inquiry.status) &&
    after.inquiry.terms !== undefined &&
    deadlineOf(after.inquiry) === undefined &&
    after.inquiry.undelivered === undefined
      ? `${after.inquiry.status} with no clock and no flag`
      : undefined,
  'answeredAt/closedAt agree with the status': (_, after) => {
    const { status, answeredAt, closedAt } = after.inquiry;
    if (status === 'answered' && answeredAt === undefined) return 'answered without answeredAt';
    if (status === 'closed' && closedAt === undefined) return 'closed without closedAt';
    if (isOpen(status) && closedAt !== undefined) return `${status} with closedAt`;
    if (isOpen(status) && answeredAt !== undefined) return `${status} with answeredAt`;
    return undefined;
  },
  'finishedAt is set exactly while finished': (_, after) =>
    isFinished(after.inquiry.status) !== (after.inquiry.finishedAt !== undefined)
      ? `${after.inquiry.status}, finishedAt ${after.inquiry.finishedAt}`
      : undefined,
  'a first-response clock runs only while the first response is owed': (_, after) =>
    after.inquiry.clock?.kind === 'first_response' && after.inquiry.firstRespondedAt !== undefined
      ? `first_response clock running, responded at ${after.inquiry.firstRespondedAt}`
      : undefined,
  'a running clock belongs to the current count': (_, after) =>
    after.inquiry.clock && after.inquiry.clock.cycle > after.inquiry.clockCount
      ? `clock cycle ${after.inquiry.clock.cycle} > clockCount ${after.inquiry.clockCount}`
      : undefined,
  'counts never go back': (before, after) =>
    after.inquiry.clockCount < before.inquiry.clockCount ||
    after.inquiry.reopenCount < before.inquiry.reopenCount ||
    after.inquiry.messageCount < before.inquiry.messageCount
      ? 'a count went back'
      : undefined,
  'a breached clock of the cycle means escalated': (_, after) =>
    isOpen(after.inquiry.status) &&
    watchedClocks(after.inquiry).some((clock) => clock.breached) &&
    !after.inquiry.escalated
      ? 'a watched clock is breached but the inquiry is not escalated'
      : undefined,
  'history keys are new or rewrite the same entry': (before, after) => {
    const seen = new Set<string>();
    for (const entry of after.history) {
      if (seen.has(entry.key)) return `two entries of one change under ${entry.key}`;
      seen.add(entry.key);
      const old = before.entries.get(entry.key);
      if (old && JSON.stringify(old) !== JSON.stringify(entry))
        return `entry ${entry.key} (${old.kind}) overwritten by a different ${entry.kind}`;
    }
    return undefined;
  },
  'applying the same event twice changes nothing the second time': (_, after, event, now) => {
    const again = applyEvent(after.inquiry, event, contextAt(now));
    // A check that names no clock is of the first one due: a second clock also due is a check of its own.
    const clockOf = (history: HistoryEntry[]) =>
      history.find((entry) => entry.kind === 'escalated' || entry.kind === 'warning')?.detail.clock;
    if (
      (event.type === 'warn' || event.type === 'breach') &&
      again.outcome === 'changed' &&
      clockOf(again.history) !== clockOf(after.history)
    )
      return undefined;
    return again.outcome === 'changed'
      ? `the second application stored a change (${after.inquiry.status} → ${again.inquiry.status})`
      : undefined;
  },
  'a pending notification names a department the inquiry is or was in': (before, after) => {
    const notice = after.inquiry.pendingNotification;
    if (!notice?.department) return undefined;
    const known = new Set(before.departments);
    if (after.inquiry.department) known.add(after.inquiry.department);
    return known.has(notice.department) ? undefined : `notice for ${notice.department}, never the inquiry's`;
  },
  'a pending notification does not go to triage for a rejected message': (_, after) =>
    after.inquiry.pendingNotification?.department === TRIAGE
      ? `${after.inquiry.pendingNotification.kind} notice for triage`
      : undefined,
  'the assignee acted on it in its department': (before, after, event) => {
    const assignee = after.inquiry.assignee;
    if (!assignee) return undefined;
    const acted = new Set(
      after.inquiry.department === before.inquiry.department ? before.actedSinceMove : [],
    );
    if ('operatorId' in event && typeof event.operatorId === 'string') acted.add(event.operatorId);
    return acted.has(assignee.id)
      ? undefined
      : `assignee ${assignee.id} has not acted on it in ${after.inquiry.department}`;
  },
  'a rejected inquiry is no one’s work': (_, after) =>
    after.inquiry.status === 'rejected' && after.inquiry.assignee
      ? `rejected, held by ${after.inquiry.assignee.id}`
      : undefined,
  'priority goes down only by an operator’s hand': (before, after, event) => {
    const order = ['critical', 'high', 'normal'];
    if (order.indexOf(after.inquiry.priority) <= order.indexOf(before.inquiry.priority)) return undefined;
    return (event.type === 'move' && event.priority !== undefined) || event.type === 'route'
      ? undefined
      : `${before.inquiry.priority} → ${after.inquiry.priority} by ${event.type}`;
  },
  'the terms are those of the priority': (_, after) =>
    after.inquiry.terms &&
    JSON.stringify(after.inquiry.terms) !== JSON.stringify(TERMS[after.inquiry.priority])
      ? `${after.inquiry.priority} with terms ${JSON.stringify(after.inquiry.terms)}`
      : undefined,
  'a first response is counted at most once per cycle': (before, after) => {
    const cycle = cycleOf(after.inquiry);
    const n =
      after.effects.filter((effect) => effect.type === 'first_response').length +
      (before.firstResponses.get(cycle) ?? 0);
    return n > 1 ? `${n} first responses counted in cycle ${cycle}` : undefined;
  },
  'a recorded first response was counted': (_, after) =>
    after.inquiry.firstRespondedAt !== undefined && !after.inquiry.firstResponseCounted
      ? 'firstRespondedAt without firstResponseCounted'
      : undefined,
  'reopened effect iff the reopen count rises': (before, after) => {
    const effects = after.effects.filter((effect) => effect.type === 'reopened').length;
    const rise = after.inquiry.reopenCount - before.inquiry.reopenCount;
    return effects === rise ? undefined : `${effects} reopened effects, reopenCount +${rise}`;
  },
  'an escalated flag comes with a breach': (before, after) =>
    after.inquiry.escalated &&
    !before.inquiry.escalated &&
    !after.history.some((entry) => entry.kind === 'escalated')
      ? 'escalated with no escalated entry'
      : undefined,
};

/** What each kind of event came to (STATS=1), over every sequence run. */
const outcomes = new Map<string, number>();
const tally = (event: InquiryEvent, result: TransitionResult) => {
  const outcome = result.outcome === 'refused' ? `refused: ${result.reason.slice(0, 60)}` : result.outcome;
  const key = `${event.type}: ${outcome}`;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
};

function opened(scenario: Scenario): { inquiry: Inquiry; history: HistoryEntry[] } {
  const { start } = scenario;
  return openInquiry({
    id: 'i1',
    eventKey: 'e:1',
    message: citizenMessage('e:1', iso(T0), start.inquiry ? 'Не вывозят мусор' : 'Спасибо'),
    classification: {
      category: 'waste',
      priority: start.priority,
      confidence: 0.9,
      inquiry: start.inquiry,
      triage: false,
      model: 't',
    },
    routing: { department: DEPARTMENTS[start.department], rule: 1 },
    deadlines: { terms: TERMS[start.priority], context: { calendar: perm, warnAtFraction: 0.8 } },
    triageDepartment: TRIAGE,
    receivedAt: new Date(T0),
    now: new Date(T0),
  });
}

/** Plays the scenario; returns the first invariant broken, with the events that led there, or nothing. */
function brokenInvariant(scenario: Scenario): string | undefined {
  const { inquiry, history } = opened(scenario);
  const { start } = scenario;
  const model: Model = {
    inquiry,
    entries: new Map(history.map((entry) => [entry.key, entry])),
    queued: [],
    applied: [],
    departments: new Set([inquiry.department ?? TRIAGE]),
    actedSinceMove: new Set(),
    firstResponses: new Map(),
    trail: [`open ${start.priority}${start.inquiry ? '' : ' thanks'} → ${inquiry.status}`],
  };
  let now = T0;
  for (const [n, [step, gap, delayed]] of scenario.steps.entries()) {
    now += gap * 60_000;
    // Only a message, or the record of a failed delivery, comes late.
    const event = eventOf(
      step,
      n,
      now,
      model,
      delayed && (step.kind === 'message' || step.kind === 'delivery_failed'),
    );
    if (!event) continue;
    const result = applyEvent(model.inquiry, event, contextAt(now));
    if (process.env.STATS) tally(event, result);
    model.trail.push(
      `${describeEvent(event)} ⇒ ${result.outcome === 'changed' ? result.inquiry.status : result.outcome}`,
    );
    if (result.outcome !== 'changed') continue;
    for (const [name, invariant] of Object.entries(INVARIANTS)) {
      const broken = invariant(model, result, event, now);
      if (broken) return `${name}: ${broken}\n  ${model.trail.join('\n  ')}`;
    }
    advance(model, result, event);
  }
  return undefined;
}

/** The model after a change stored. */
function advance(
  model: Model,
  result: Extract<TransitionResult, { outcome: 'changed' }>,
  event: InquiryEvent,
): void {
  const next = result.inquiry;
  if (next.department !== model.inquiry.department) model.actedSinceMove = new Set();
  if ('operatorId' in event && typeof event.operatorId === 'string')
    model.actedSinceMove.add(event.operatorId);
  if (next.department) model.departments.add(next.department);
  const counted = result.effects.filter((effect) => effect.type === 'first_response').length;
  model.firstResponses.set(cycleOf(next), (model.firstResponses.get(cycleOf(next)) ?? 0) + counted);
  for (const entry of result.history) model.entries.set(entry.key, entry);
  model.applied.push(event);
  // Words refused by the state machine were never queued; a redelivered event queues nothing new.
  const words = queuedBy(event);
  if (words && !model.queued.some((queued) => queued.cause === words.cause)) model.queued.push(words);
  model.inquiry = next;
}

describe('the inquiry under random sequences of events', () => {
  it(`keeps every invariant after every stored change (seed ${SEED}, ${RUNS} sequences)`, () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const broken = brokenInvariant(scenario);
        if (broken) throw new Error(broken);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  afterAll(() => {
    if (!process.env.STATS) return;
    const lines = [...outcomes.entries()].sort((a, b) => b[1] - a[1]);
    console.log(lines.map(([outcome, count]) => `${count}\t${outcome}`).join('\n'));
  });
});
