import type { AppConfig } from '../../lambdas/domain/config/schema.js';
import type { Inquiry } from '../../lambdas/domain/inquiry/inquiry.js';
import type { InquiryRepository } from '../../lambdas/domain/ports.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { classifiedDirectMessage } from './inquiries.js';
import { answeredByOperator } from './operator-answer.js';

/**
 * A citizen's direct message about rubbish not taken away, routed as the router routes it at `at` (its id
 * `<idPrefix>-<eventKey>`), then answered by an operator at `answeredAt`, unless that is not given; resolves
 * the inquiry as stored.
 */
export async function answeredWasteReport(options: {
  config: AppConfig;
  repository: InquiryRepository;
  idPrefix: string;
  peerId: number;
  eventKey: string;
  at: string;
  answeredAt?: string;
  text?: string;
}): Promise<Inquiry> {
  const { config, repository, at, answeredAt } = options;
  const router = createMessageRouter({
    config,
    inquiries: repository,
    clock: { now: () => new Date(at) },
    inquiryIdFor: (_groupId, key) => `${options.idPrefix}-${key}`,
  });
  const message = classifiedDirectMessage({
    peerId: options.peerId,
    eventKey: options.eventKey,
    at,
    text: options.text ?? 'Не вывозят мусор',
    category: 'waste',
  });
  const { inquiryId } = await router.routeCitizenMessage(message);
  const inquiry = await repository.getInquiry(inquiryId);
  const calendar = config.communities.find(({ groupId }) => groupId === inquiry?.groupId)?.calendar;
  if (!inquiry || !calendar) throw new Error(`no inquiry ${inquiryId}`);
  if (answeredAt === undefined) return inquiry;
  return answeredByOperator(repository, inquiry, {
    cause: `op:answer-${inquiryId}`,
    at: answeredAt,
    text: 'Вывезли',
    calendar,
  });
}
