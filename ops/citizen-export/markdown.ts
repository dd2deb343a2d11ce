import type { AttachmentSummary, Channel } from '../../lambdas/domain/vk/citizen-message.js';
import type { CitizenCopy, CorrespondenceEntry, InquiryCopy } from './copy.js';

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

/** Words set apart as a quotation, line by line, so that a line of theirs never reads as a heading. */
const quoted = (text: string): string[] =>
  text === '' ? ['> (без текста)'] : text.split(/\r?\n/).map((line) => `> ${line}`.trimEnd());

const attachmentLines = (attachments: readonly AttachmentSummary[] | undefined): string[] =>
  (attachments ?? []).flatMap(({ kind, count, links, transcripts }) => [
    `Вложение: ${kind}, ${count} шт.${links && links.length > 0 ? `: ${links.join(', ')}` : ''}`,
    ...(transcripts ?? []).map((transcript) => `Расшифровка голосового сообщения: ${transcript}`),
  ]);

function entryLines(entry: CorrespondenceEntry, time: (iso: string) => string): string[] {
  const heading = `**${time(entry.at)}. ${ENTRY_NAMES[entry.kind]}**`;
  if (entry.from === 'body')
    return [`${heading}${entry.notDelivered ? ' (не доставлено)' : ''}`, '', ...quoted(entry.text)];
  if (entry.kind !== 'message')
    return [
      heading,
      ...(entry.text !== undefined ? ['', ...quoted(entry.text)] : []),
      ...attachmentLines(entry.attachments).map((line) => `\n${line}`),
    ];
  return [
    heading,
    '',
    ...quoted(entry.text),
    ...attachmentLines(entry.attachments).map((line) => `\n${line}`),
    ...(entry.location
      ? [
          `\nМесто, которое вы указали: ${[entry.location.title, entry.location.mapUrl].filter(Boolean).join(' ')}`,
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
    ...inquiry.correspondence.flatMap((entry) => [...entryLines(entry, time), '']),
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
    `Сведения составлены ${time(copy.madeAt)} (время ${copy.timeZone}). Обращений: ${copy.inquiries.length}.`,
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
