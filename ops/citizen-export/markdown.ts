import type { AttachmentSummary, Channel } from '../../lambdas/domain/vk/citizen-message.js';
import type { CitizenCopy, CorrespondenceEntry, InquiryCopy } from './copy.js';
import { plainLine, quoted } from './markdown-text.js';

/** Where the citizen wrote, in the words of a letter to them. */
const CHANNEL_NAMES: Record<Channel, string> = {
  direct_message: 'личное сообщение сообществу',
  wall_post: 'запись на стене сообщества',
  wall_comment: 'комментарий к записи на стене сообщества',
  board_comment: 'комментарий в обсуждении сообщества',
  photo_comment: 'комментарий к фотографии',
  video_comment: 'комментарий к видеозаписи',
  market_comment: 'комментарий к товару',
};

const ENTRY_NAMES: Record<CorrespondenceEntry['kind'], string> = {
  message: 'Ваше сообщение',
  edited: 'Вы изменили сообщение',
  deleted: 'Вы удалили сообщение',
  restored: 'Вы восстановили сообщение',
  acknowledgement: 'Уведомление о регистрации обращения',
  intermediate_answer: 'Промежуточный ответ',
  answer: 'Ответ',
  reply: 'Сообщение органа',
  deleted_by_community:
    'Сообщество удалило ваше сообщение во ВКонтакте (в системе оно хранится, как указано выше)',
};

/** A time of the copy, as the community's clock showed it: "12.01.2026, 09:00". */
const timeIn = (timeZone: string) => {
  const format = new Intl.DateTimeFormat('ru-RU', {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  return (iso: string) => format.format(new Date(iso));
};

/**
 * The time zone as a citizen reads it: its name and its offset from UTC when the copy was made
 * ("Asia/Yekaterinburg (UTC+5)"); Russia's zones keep one offset all year (no summer time since 2014).
 */
function zoneName(timeZone: string, at: string): string {
  const offset = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(new Date(at))
    .find(({ type }) => type === 'timeZoneName')
    ?.value.replace(/^GMT/, 'UTC')
    .replace(/^UTC[+-]0$/, 'UTC');
  return offset === undefined || offset === timeZone ? timeZone : `${timeZone} (${offset})`;
}

/**
 * VK's kinds of attachment (https://dev.vk.com/ru/reference/objects/attachments-message), and what ingest counts
 * beside them (vk/attachments.ts), in the words of a letter; a kind not named here is given as VK names it.
 */
const ATTACHMENT_NAMES: Readonly<Record<string, string>> = {
  photo: 'фотография',
  video: 'видеозапись',
  audio: 'аудиозапись',
  audio_message: 'голосовое сообщение',
  doc: 'документ',
  link: 'ссылка',
  market: 'товар',
  market_album: 'подборка товаров',
  wall: 'запись со стены',
  wall_reply: 'комментарий',
  sticker: 'стикер',
  gift: 'подарок',
  graffiti: 'граффити',
  poll: 'опрос',
  story: 'история',
  article: 'статья',
  podcast: 'подкаст',
  call: 'звонок',
  forwarded_messages: 'пересланные сообщения',
  reply_to_message: 'ответ на сообщение',
  geo: 'место на карте',
};

/** Their attachments, with the links VK gave, and what VK heard in their voice messages, quoted as their words. */
const attachmentLines = (attachments: readonly AttachmentSummary[] | undefined): string[] =>
  (attachments ?? []).flatMap(({ kind, count, links, transcripts }) => [
    `\nВложение: ${ATTACHMENT_NAMES[kind] ?? plainLine(kind)}, ${count} шт.` +
      (links && links.length > 0 ? `: ${links.join(', ')}` : ''),
    ...(transcripts ?? []).flatMap((transcript) => [
      '',
      'Расшифровка голосового сообщения:',
      '',
      ...quoted(transcript),
    ]),
  ]);

function entryLines(entry: CorrespondenceEntry, time: (iso: string) => string): string[] {
  const heading = `**${time(entry.at)}. ${ENTRY_NAMES[entry.kind]}**`;
  if (entry.kind === 'deleted_by_community') return [heading];
  if (entry.from === 'body')
    return [`${heading}${entry.notDelivered ? ' (не доставлено)' : ''}`, '', ...quoted(entry.text)];
  if (entry.kind !== 'message')
    return [
      heading,
      ...(entry.text !== undefined ? ['', ...quoted(entry.text)] : []),
      ...attachmentLines(entry.attachments),
    ];
  return [
    heading,
    '',
    ...quoted(entry.text),
    ...attachmentLines(entry.attachments),
    ...(entry.location
      ? [
          `\nМесто, которое вы указали: ${[entry.location.title && plainLine(entry.location.title.replace(/\s+/g, ' ')), entry.location.mapUrl].filter(Boolean).join(' ')}`,
        ]
      : []),
    ...(entry.passedOn ?? []).flatMap((passage) => [
      `\nВы переслали своё сообщение${passage.sentAt ? ` от ${time(passage.sentAt)}` : ''}:`,
      '',
      ...quoted(passage.text),
      ...(passage.link ? [`\n${passage.link}`] : []),
    ]),
    ...(entry.passagesOfOthers
      ? [`\nПереслано сообщений других лиц: ${entry.passagesOfOthers} (не приводятся).`]
      : []),
  ];
}

function inquiryLines(inquiry: InquiryCopy, time: (iso: string) => string): string[] {
  const title = inquiry.caseNumber
    ? `Обращение № ${inquiry.caseNumber}`
    : inquiry.status === 'rejected'
      ? 'Сообщение, не признанное обращением'
      : 'Обращение без номера';
  const facts = [
    `- Поступило: ${time(inquiry.openedAt)}`,
    ...(inquiry.answeredAt ? [`- Ответ дан: ${time(inquiry.answeredAt)}`] : []),
    ...(inquiry.closedAt ? [`- Закрыто: ${time(inquiry.closedAt)}`] : []),
    `- Статус: ${inquiry.statusName}`,
    `- Категория: ${inquiry.categoryName}`,
    ...(inquiry.department ? [`- Рассматривает: ${inquiry.department}`] : []),
    `- Откуда: ${CHANNEL_NAMES[inquiry.source.channel] ?? inquiry.source.channel}` +
      (inquiry.source.vkUrl ? `, ${inquiry.source.vkUrl}` : ''),
    inquiry.deletedAfter
      ? `- Будет удалено после: ${time(inquiry.deletedAfter)}`
      : '- Будет удалено: по истечении срока хранения после ответа или закрытия',
  ];
  return [
    `## ${title}`,
    '',
    ...facts,
    '',
    '### Переписка',
    '',
    ...(inquiry.correspondence.length > 0
      ? inquiry.correspondence.flatMap((entry) => [...entryLines(entry, time), ''])
      : ['Сообщений нет.', '']),
  ];
}

/** The copy as a document the body can print and hand over, or send by e-mail: Markdown, in Russian. */
export function copyAsMarkdown(copy: CitizenCopy): string {
  const time = timeIn(copy.timeZone);
  const community = copy.community.name ?? `сообщество ${copy.community.groupId}`;
  return [
    '# Сведения о ваших обращениях',
    '',
    `Сообщество ВКонтакте: ${community} (https://vk.com/club${copy.community.groupId}).`,
    `Сведения составлены ${time(copy.madeAt)}. Обращений: ${copy.inquiries.length}.`,
    `Время везде указано по часовому поясу ${zoneName(copy.timeZone, copy.madeAt)}.`,
    '',
    '## Что хранится и как долго',
    '',
    ...copy.retention.terms.flatMap((line) => [line, '']),
    ...copy.inquiries.flatMap((inquiry) => inquiryLines(inquiry, time)),
    ...(copy.unopenedMessages.length > 0
      ? [
          '## Сообщения, не зарегистрированные как обращение',
          '',
          ...copy.unopenedMessages.flatMap((entry) => [...entryLines(entry, time), '']),
        ]
      : []),
  ].join('\n');
}
