import { expect, vi } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import type { DynamoInquiryRepository } from '../../lambdas/adapters/inquiry-table.js';
import type { Priority } from '../../lambdas/domain/taxonomy.js';
import { createMessageRouter } from '../../lambdas/router/route-message.js';
import { classifiedDirectMessage } from './inquiries.js';
import type { OperatorApiCall } from './operator-api.js';

/**
 * The scene of a priority raised by a citizen's follow-up and set back by an operator of housing, on
 * config/local.json (normal 9 working hours, high 4, critical an hour round the clock), in Perm (UTC+5): an
 * inquiry opened on Monday 14 December 2026 at 09:00 is due Tuesday at 10:00, the time its acknowledgement told.
 */
export const HOUSING_TOKEN = 'local-housing-token-change-me';
export const setbackConfig = readConfigFile('config/local.json');

/** Perm's wall time on Monday 14 (or `day`) December 2026 as an instant. */
export const at = (time: string, day = 14) => new Date(`2026-12-${day}T${time}:00.000+05:00`).toISOString();
/** The due time the first acknowledgement told. */
export const TOLD = at('10:00', 15);

/** Runs `act` with the system clock at `time`: the operator API's handler reads it. */
async function atTime<T>(time: string, act: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(time));
  try {
    return await act();
  } finally {
    vi.useRealTimers();
  }
}

export function priorityScene(repository: DynamoInquiryRepository, call: OperatorApiCall, idPrefix: string) {
  return {
    /** The citizen `peer` writes at `time`, classified housing at `priority`; the router routes it then. */
    async writes(peer: number, key: string, priority: Priority, time: string) {
      const message = classifiedDirectMessage({
        peerId: peer,
        eventKey: key,
        text: 'Течёт',
        category: 'housing',
        at: time,
      });
      message.classification.priority = priority;
      const router = createMessageRouter({
        config: setbackConfig,
        inquiries: repository,
        clock: { now: () => new Date(time) },
        inquiryIdFor: (_groupId, eventKey) => `${idPrefix}-${eventKey}`,
      });
      return (await router.routeCitizenMessage(message)).inquiryId;
    },

    /** An operator of housing sets the priority at `time`, giving `reason`. */
    setsPriority: (id: string, priority: Priority, time: string, reason = 'ошибка') =>
      atTime(time, async () => {
        const answer = await call('POST', `/api/v1/inquiries/${id}/move`, HOUSING_TOKEN, {
          priority,
          reason,
        });
        expect(answer.status).toBe(200);
        return answer.body;
      }),

    /** The `detail` of the inquiry's one `moved` entry, as the operator API's history gives it. */
    async movedDetail(id: string) {
      const { body } = await call('GET', `/api/v1/inquiries/${id}/history`, HOUSING_TOKEN);
      const moved = (body.history as { kind: string; detail: Record<string, unknown> }[]).filter(
        (entry) => entry.kind === 'moved',
      );
      expect(moved).toHaveLength(1);
      return moved[0]?.detail;
    },

    /** Whether the inquiry is in housing's `overdue=true` list at `time`. */
    overdue: (id: string, time: string) =>
      atTime(time, async () => {
        const { status, body } = await call(
          'GET',
          '/api/v1/inquiries?department=housing&overdue=true',
          HOUSING_TOKEN,
        );
        expect(status).toBe(200);
        return (body.items as { id: string }[]).some((item) => item.id === id);
      }),
  };
}
