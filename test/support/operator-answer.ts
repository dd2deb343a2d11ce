import localConfig from '../../config/local.json';
import { parseAppConfig } from '../../lambdas/domain/config/schema.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import { applyEvent, type TransitionContext } from '../../lambdas/domain/inquiry/state-machine.js';
import type { OperatorWords } from '../../lambdas/domain/inquiry/transitions/events.js';
import type { InquiryRepository } from '../../lambdas/domain/ports.js';

/** An operator's answer typed in the console: a test names what it checks, the rest is an operator's. */
export interface ConsoleAnswer extends Partial<Pick<OperatorWords, 'operatorId' | 'operatorName' | 'text'>> {
  cause: string;
  at: string;
  /** The local configuration's (the demo community's) unless given. */
  calendar?: TransitionContext['calendar'];
  /** The clock the change is made by: `at` unless given. */
  now?: Date;
}

/**
 * The inquiry answered by an operator through the console, as the operator API writes it: the state machine's
 * `final_answer`, stored over the version read; resolves the inquiry as stored then.
 */
export async function answeredByOperator(
  repository: InquiryRepository,
  inquiry: Inquiry,
  answer: ConsoleAnswer,
): Promise<Inquiry> {
  const {
    cause,
    at,
    calendar = demoCalendar(),
    operatorId = 'operator',
    operatorName,
    text = 'Сделано',
  } = answer;
  const result = applyEvent(
    inquiry,
    {
      type: 'final_answer',
      cause,
      at,
      operatorId,
      ...(operatorName !== undefined && { operatorName }),
      text,
      via: 'console',
    },
    { calendar, warnAtFraction: 0.8, now: answer.now ?? new Date(at) },
  );
  if (result.outcome !== 'changed') throw new Error(`${inquiry.id} not answered: ${result.outcome}`);
  await repository.update(result.inquiry, inquiry.version, result.history);
  const stored = await repository.getInquiry(inquiry.id);
  if (!stored) throw new Error(`no inquiry ${inquiry.id}`);
  return stored;
}

function demoCalendar(): TransitionContext['calendar'] {
  const calendar = parseAppConfig(localConfig, 'local').communities[0]?.calendar;
  if (!calendar) throw new Error('config/local.json names no community');
  return calendar;
}
