import fc from 'fast-check';
import { allFixtureNames, fixture } from './fixtures.js';

/**
 * Recorded VK payloads (../shared/fixtures/vk) changed in the ways VK, an older API version or a sender might
 * change them: a field dropped, null or of another type, an unknown field, odd Unicode, huge or negative ids, a
 * date far off, an attachment of an unknown type, passed-on messages nested deep, a comment replying to one of
 * another post, a message without its text, forwarded messages enough to take the event past 256 KiB. The
 * payloads are read from there at run time, never copied.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = readonly (string | number)[];

/** Every path into a value, under `path`, the value's own first. */
function pathsOf(value: unknown, path: Path = []): Path[] {
  const paths: Path[] = [path];
  if (Array.isArray(value))
    for (const [index, item] of value.entries()) paths.push(...pathsOf(item, [...path, index]));
  else if (typeof value === 'object' && value !== null)
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...path, key]));
  return paths;
}

const clone = <T>(value: T): T => structuredClone(value);

function at(root: unknown, path: Path): unknown {
  let value = root;
  for (const step of path) value = (value as Record<string | number, unknown>)?.[step];
  return value;
}

/** Sets (or, for `undefined`, removes) the value at a non-empty path. */
function setAt(root: unknown, path: Path, value: unknown): void {
  const parent = at(root, path.slice(0, -1)) as Record<string | number, unknown>;
  const key = path.at(-1) as string | number;
  if (value !== undefined) parent[key] = value;
  else if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key];
}

/** The value as another JSON type, as a sender that types it wrong might send it. */
function retyped(value: unknown, choice: number): unknown {
  if (typeof value === 'number') return [String(value), [value], { value }, value !== 0][choice % 4];
  if (typeof value === 'string')
    return [Number(value) || value.length, [value], { text: value }, value !== ''][choice % 4];
  if (Array.isArray(value))
    return [Object.fromEntries(value.map((item, i) => [i, item])), value.length, ''][choice % 3];
  if (typeof value === 'object' && value !== null)
    return [Object.values(value), JSON.stringify(value), 1][choice % 3];
  if (typeof value === 'boolean') return [Number(value), String(value)][choice % 2];
  return [0, '', [], {}][choice % 4];
}

const ODD_TEXT = [
  '\ud800', // a lone high surrogate
  'яма\udc00у дома', // a lone low surrogate inside words
  '\u202eамя\u202c на дороге', // right-to-left override
  '\u200f\u200eТекст\u200b\u200c\u200d\u2060\ufeff', // marks and zero-width characters
  `Яма${'а'.repeat(20_000)}`, // one word of 20,000 letters
  '\u0000\u0001\u001f', // control characters
  '\ufffe\uffff', // noncharacters
  'e\u0301\u0301\u0301\u0301\u0301', // stacked combining marks
  '🏚️👨‍👩‍👧‍👦'.repeat(500),
  '',
];

const ODD_IDS = [0, -1, -(2 ** 31), 2 ** 31, 2 ** 53 - 1, 2 ** 53 + 2, -(2 ** 53) - 2, 1e20, -1e20, 1.5];
const ODD_DATES = [
  0,
  -1,
  -62_135_596_800,
  -8.64e12 - 1, // before the first instant a JavaScript date holds
  253_402_300_800, // the year 10000
  8.64e12 + 1, // after the last
  4_102_444_800,
  1e15,
];

/** A message passed on `depth` times over, each in the next, as `reply_message` or `fwd_messages`. */
function nested(depth: number, as: 'reply_message' | 'fwd_messages', text: string): Json {
  let message: Json = { date: 1_700_000_000, from_id: 7000001, text, attachments: [] };
  for (let level = 1; level < depth; level++) {
    const outer: { [key: string]: Json } = {
      date: 1_700_000_000 + level,
      from_id: 7000001 + level,
      text: `${level}`,
    };
    outer[as] = as === 'reply_message' ? message : [message];
    message = outer;
  }
  return message;
}

/** A long forwarded message with photos of every size VK gives: forty make an event over 256 KiB. */
function forwardedLong(index: number): Json {
  const photo = fixture('vknet/PhotoNewTest.json').object as Json;
  return {
    date: 1_733_300_000 + index,
    from_id: 200_000 + index,
    text: `${index} ${'Во дворе не убран мусор, контейнеры переполнены. '.repeat(80)}`,
    attachments: [1, 2, 3].map(() => ({ type: 'photo', photo })),
  };
}

/** The record holding a message's or comment's own fields: `object.message` of a newer `message_new`. */
function holderOf(object: Record<string, unknown>): Record<string, unknown> {
  const message = object.message;
  return typeof message === 'object' && message !== null && !Array.isArray(message)
    ? (message as Record<string, unknown>)
    : object;
}

/**
 * The mutations that may make an object unreadable: a field the product cannot do without dropped, null or of
 * another type, an id that is not whole or that no JavaScript number holds exactly. VK's objects do not come
 * so; an event that does is kept in the events dead-letter queue for a person (docs/ingestion.md). Every other
 * mutation must be read.
 */
export const MAY_BREAK_THE_OBJECT: ReadonlySet<Mutation['kind']> = new Set([
  'drop',
  'null',
  'retype',
  'odd_id',
]);

export type Mutation =
  | { kind: 'drop' | 'null' | 'retype'; at: number; choice: number }
  | { kind: 'unknown_field'; at: number; value: unknown }
  | { kind: 'odd_text'; at: number; text: number }
  | { kind: 'odd_id'; at: number; id: number }
  | { kind: 'odd_date'; date: number }
  | { kind: 'unknown_attachment'; type: string }
  | { kind: 'nested'; depth: number; as: 'reply_message' | 'fwd_messages' }
  | { kind: 'reply_to_other_post'; comment: number }
  | { kind: 'no_text' }
  | { kind: 'large'; messages: number };

/** `mutation` applied to a copy of the event's `object`; `at` picks among the paths of the right kind. */
export function mutated(object: unknown, mutation: Mutation): unknown {
  const root = { object: clone(object) };
  const pick = (paths: Path[], index: number) => paths[index % paths.length];
  const all = pathsOf(root.object, ['object']);
  const ofType = (type: string) => all.filter((path) => typeof at(root, path) === type && path.length > 1);
  const holder = () => {
    const value = root.object;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? holderOf(value as Record<string, unknown>)
      : undefined;
  };
  switch (mutation.kind) {
    case 'drop':
    case 'null':
    case 'retype': {
      const path = pick(all, mutation.at) as Path;
      const value =
        mutation.kind === 'drop'
          ? undefined
          : mutation.kind === 'null'
            ? null
            : retyped(at(root, path), mutation.choice);
      setAt(root, path, value);
      break;
    }
    case 'unknown_field': {
      const records = all.filter((path) => {
        const value = at(root, path);
        return typeof value === 'object' && value !== null && !Array.isArray(value);
      });
      const path = pick(records, mutation.at);
      if (path) setAt(root, [...path, 'field_vk_added_later'], mutation.value);
      break;
    }
    case 'odd_text': {
      // The words a citizen writes: a message's or comment's text, its own or one it passes on.
      const texts = all.filter((path) => path.at(-1) === 'text' && typeof at(root, path) === 'string');
      const path = pick(texts, mutation.at);
      if (path) setAt(root, path, ODD_TEXT[mutation.text % ODD_TEXT.length]);
      break;
    }
    case 'odd_id': {
      const path = pick(ofType('number'), mutation.at);
      if (path) setAt(root, path, ODD_IDS[mutation.id % ODD_IDS.length]);
      break;
    }
    case 'odd_date': {
      const message = holder();
      if (message) message.date = ODD_DATES[mutation.date % ODD_DATES.length];
      break;
    }
    case 'unknown_attachment': {
      const message = holder();
      if (message)
        message.attachments = [
          ...(Array.isArray(message.attachments) ? message.attachments : []),
          { type: mutation.type, [mutation.type]: { id: 1, owner_id: -1, url: 'https://vk.com/x' } },
        ];
      break;
    }
    case 'nested': {
      const message = holder();
      if (message) {
        const inner = nested(mutation.depth, mutation.as, 'Во дворе не вывозят мусор');
        message[mutation.as] = mutation.as === 'reply_message' ? inner : [inner];
      }
      break;
    }
    case 'reply_to_other_post': {
      const message = holder();
      if (message) {
        message.reply_to_comment = mutation.comment;
        message.parents_stack = [mutation.comment];
      }
      break;
    }
    case 'large': {
      // Past the 256 KiB that ingest queues as it came: the event is trimmed first (trim-event.ts).
      const message = holder();
      if (message)
        message.fwd_messages = Array.from({ length: mutation.messages }, (_, index) => forwardedLong(index));
      break;
    }
    case 'no_text': {
      const message = holder();
      if (message) delete message.text;
      break;
    }
  }
  return root.object;
}

/** The recorded payloads that are events (the confirmation is no event to queue). */
export const eventFixtureNames = () =>
  allFixtureNames().filter((name) => fixture(name).type !== 'confirmation');

const lightMutation = fc.oneof(
  fc.record({ kind: fc.constantFrom('drop', 'null', 'retype'), at: fc.nat(), choice: fc.nat() }),
  fc.record({ kind: fc.constant('unknown_field'), at: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('odd_text'), at: fc.nat(), text: fc.nat() }),
  fc.record({ kind: fc.constant('odd_id'), at: fc.nat(), id: fc.nat() }),
  fc.record({ kind: fc.constant('odd_date'), date: fc.nat() }),
  fc.record({
    kind: fc.constant('unknown_attachment'),
    type: fc.constantFrom('hologram', 'story', 'poll', 'podcast', 'article', 'mini_app', ''),
  }),
  fc.record({
    kind: fc.constant('nested'),
    depth: fc.integer({ min: 2, max: 60 }),
    as: fc.constantFrom('reply_message', 'fwd_messages'),
  }),
  fc.record({ kind: fc.constant('reply_to_other_post'), comment: fc.integer({ min: 1, max: 2 ** 31 }) }),
  fc.record({ kind: fc.constant('no_text') }),
);

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: lightMutation, weight: 39 },
  // Heavy, an event of 0.5 to 1.3 MB: one mutation in forty.
  {
    arbitrary: fc.record({ kind: fc.constant('large'), messages: fc.integer({ min: 40, max: 100 }) }),
    weight: 1,
  },
) as fc.Arbitrary<Mutation>;

/** A recorded payload's object with one to three mutations applied in turn. */
export const mutantArbitrary = fc
  .record({
    name: fc.constantFrom(...eventFixtureNames()),
    mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }),
  })
  .map(({ name, mutations }) => {
    const recorded = fixture(name);
    const object = mutations.reduce<unknown>((value, mutation) => mutated(value, mutation), recorded.object);
    return { name, mutations, type: String(recorded.type), object };
  });
export type Mutant = typeof mutantArbitrary extends fc.Arbitrary<infer T> ? T : never;
