import { MalformedInquiryItem } from '../../adapters/inquiry-items.js';
import { atMostAtOnce } from '../../domain/concurrency.js';
import { mayAccess } from '../../domain/operator/access.js';
import {
  type ApiAnswer,
  type ApiRequest,
  answer,
  OPERATOR_API_TIMEOUT_SECONDS,
  type OperatorApiDeps,
  problem,
  type UseCase,
} from '../api.js';
import { FollowUpFailed } from '../change-inquiry.js';
import type { TextBody } from '../contract/changes.js';
import type { Problem } from '../contract/errors.js';
import type { RepliedInquiry, RepliesBody } from '../contract/replies.js';
import { changeKeyOf } from '../request-key.js';
import { reply } from './reply.js';

/**
 * How many inquiries are answered at a time: each reply is a few DynamoDB calls and one SQS send, one after the
 * other (some 10 ms each in AWS), so 8 at a time answer a request's 100 in about 1 s, and a dynalite of the
 * local runtime or a table's partition is not flooded.
 */
export const REPLIES_AT_ONCE = 8;

/**
 * The longest a reply begun may take to end, answered or failed: when the table stops answering one of its
 * calls, the SDK gives up after three attempts of 2 s and the backoff between them, some 6.3 s (the answers
 * queue's two, some 4.1 s), to which the reply's other calls and the answer add little
 * (adapters/sdk-timeouts.ts, aws-clients.ts). The reply begun last has it, so that the request answers its
 * 503 with the key rather than time out.
 */
const SLOWEST_REPLY_SECONDS = 7;

/**
 * How long replies are begun: the function's timeout less the time the reply begun last may take to end. 3 s,
 * still some three times what a full page of 100 takes in AWS (about 1 s). Past it, those not begun are left
 * for the request's repeat.
 */
export const REPLIES_BUDGET_SECONDS = OPERATOR_API_TIMEOUT_SECONDS - SLOWEST_REPLY_SECONDS;

/**
 * Some of the inquiries were answered, the others not begun: a reply failed (the table or the queue), or the
 * time ran out. The request, repeated with its `Idempotency-Key` (`idempotencyKey`), answers the rest, and
 * those answered as made, sending nothing twice.
 */
export class RepliesUnfinished extends Error {
  override name = 'RepliesUnfinished';

  constructor(
    message: string,
    readonly idempotencyKey: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

type ReplyResult = { id: string; status: number; inquiry?: RepliedInquiry; problem?: Problem };

/**
 * POST /api/v1/replies: one answer to many inquiries (an incident's: a burst main, a district without heating),
 * each inquiry answered exactly as `POST /api/v1/inquiries/{id}/reply` answers it alone (reply.ts): its access,
 * its holder, its case line and limit, the erased citizens' mentions, the answers queue. Each is a change of
 * its own, keyed by the request's `Idempotency-Key`, its words and the inquiry, so that a repeat, with fewer or
 * more inquiries or with `force`, answers none twice. One refused does not stop the others; a failure of the
 * table or the queue does, as does the time running out, once those begun have ended (RepliesUnfinished): the
 * handler answers 503 with the key, to repeat the request with.
 */
export const replyToMany: UseCase<RepliesBody> = async (request, deps) => {
  const { inquiries } = request.body;
  const results: ReplyResult[] = [];
  const started = deps.clock.now().getTime();
  const inTime = () => deps.clock.now().getTime() - started < REPLIES_BUDGET_SECONDS * 1000;
  let begun: number;
  try {
    begun = await atMostAtOnce(
      inquiries.map((id, index) => ({ id, index })),
      REPLIES_AT_ONCE,
      async ({ id, index }) => {
        results[index] = resultOf(id, await replyOrMalformed(request, id, deps));
      },
      inTime,
    );
  } catch (error) {
    // An answer saved and not queued (FollowUpFailed), or the table or the queue failing: the repeat ends it.
    throw new RepliesUnfinished(
      error instanceof FollowUpFailed
        ? 'an answer saved could not be queued: those not answered are left'
        : 'a reply failed: those not answered are left',
      request.repeatKey,
      { cause: error },
    );
  }
  if (begun < inquiries.length)
    throw new RepliesUnfinished(
      `the time ran out after ${begun} of ${inquiries.length} inquiries`,
      request.repeatKey,
    );
  const answered = results.filter((result) => result.status < 300).length;
  deps.logInfo?.('operator replies', {
    inquiries: inquiries.length,
    answered,
    refused: inquiries.length - answered,
  });
  return answer(200, { answered, refused: inquiries.length - answered, results });
};

/**
 * The reply to one of the inquiries, or, its item not reading as an inquiry, what the handler answers a reply
 * alone then (500 `stored_item_malformed` to whom may be told, else 404): that inquiry's result, not the
 * request's failure, which its repeat would meet again. Ops are told by its id and attributes, as of a reply
 * alone (docs/runbook.md, "A malformed inquiry item").
 */
async function replyOrMalformed(
  request: ApiRequest<RepliesBody>,
  id: string,
  deps: OperatorApiDeps,
): Promise<ApiAnswer> {
  try {
    return await reply(replyTo(request, id), deps);
  } catch (error) {
    if (!(error instanceof MalformedInquiryItem)) throw error;
    deps.logWarning?.('operator replies: a malformed inquiry item was not answered', {
      inquiryId: error.inquiryId,
      attributes: error.attributes,
    });
    return mayAccess(request.operator, error.department)
      ? problem(
          500,
          'stored_item_malformed',
          `the stored inquiry is malformed (${error.attributes.join(', ')}): ops are told`,
        )
      : problem(404, 'not_found', 'no such inquiry');
  }
}

/**
 * The reply to one of the inquiries, as its own request: the same operator, the words and `force`, and a key
 * of its own, made from the request's `Idempotency-Key`, the words and the inquiry (never the list, so that a
 * repeat naming more or fewer inquiries still finds each answer made). A 503 gives back the request's key.
 */
function replyTo(request: ApiRequest<RepliesBody>, id: string): ApiRequest<TextBody> {
  const { text, force } = request.body;
  const repeatKey = request.repeatKey ?? request.idempotencyKey;
  return {
    operator: request.operator,
    params: { id },
    query: {},
    body: { text, ...(force !== undefined && { force }) },
    idempotencyKey: changeKeyOf(request.operator.id, 'replies', repeatKey, { text, inquiry: id }),
    repeatKey,
  };
}

/**
 * What the reply to one inquiry answered: its status, and of the inquiry (200) what a console acts on, or why
 * not (an error).
 */
const resultOf = (id: string, { status, body }: ApiAnswer): ReplyResult =>
  status === 200
    ? { id, status, inquiry: repliedOf(body as RepliedInquiry) }
    : status === 204
      ? { id, status }
      : { id, status, problem: body as Problem };

/** The inquiry's view, as a reply alone answers it, cut to what one of many replies gives of it. */
const repliedOf = ({ caseNumber, status, version, outboxId }: RepliedInquiry): RepliedInquiry => ({
  ...(caseNumber !== undefined && { caseNumber }),
  status,
  version,
  ...(outboxId !== undefined && { outboxId }),
});
