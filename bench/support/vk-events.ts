import { readFileSync } from 'node:fs';
import { parseAppConfig } from '../../lambdas/domain/config/schema.js';

export const CONFIG_FILE = 'config/local.json';
export const SECRETS_FILE = 'config/local.secrets.json';

/** The demo community of config/local.json, with its callback secret: what every benchmark posts as. */
export function demoCommunity() {
  const config = parseAppConfig(JSON.parse(readFileSync(CONFIG_FILE, 'utf8')), CONFIG_FILE);
  const secrets = JSON.parse(readFileSync(SECRETS_FILE, 'utf8')) as Record<string, string>;
  const community = config.communities[0];
  if (!community) throw new Error(`${CONFIG_FILE} has no community`);
  return {
    config,
    secrets,
    groupId: community.groupId,
    secret: secrets[community.callbackSecret.parameter] ?? '',
  };
}

const TEXTS = [
  'Во дворе дома {n} третий день не вывозят мусор, контейнеры переполнены',
  'На остановке у школы №{n} нет расписания, автобус ходит раз в час',
  'В подъезде {n} не горит свет, батареи еле тёплые, управляющая компания не отвечает',
];

/** The event_id of the n-th benchmark event: 40 hex digits, as VK's are. */
export const eventIdOf = (n: number) => n.toString(16).padStart(40, '0');

/**
 * A message_new as VK sends it (API 5.199), about 600 bytes, each with its own event_id and its own
 * conversation (peer), so that every event opens one inquiry.
 */
export const messageNewBody = (n: number, groupId: number, secret: string) =>
  JSON.stringify({
    type: 'message_new',
    event_id: eventIdOf(n),
    v: '5.199',
    group_id: groupId,
    secret,
    object: {
      message: {
        id: n,
        // Written now, as VK sends a message live: a message days old would be a late one (a replay, a backlog).
        date: Math.floor(Date.now() / 1000),
        peer_id: 5_000_000 + n,
        from_id: 5_000_000 + n,
        out: 0,
        conversation_message_id: n,
        text: (TEXTS[n % TEXTS.length] ?? '').replace('{n}', String(n)),
        attachments: [],
        fwd_messages: [],
      },
      client_info: { keyboard: true, lang_id: 0, button_actions: ['text'] },
    },
  });
