import { describe, expect, it } from 'vitest';
import type { CitizenCopy, InquiryCopy } from '../../ops/citizen-export/copy.js';
import { retentionWords } from '../../ops/citizen-export/copy.js';
import { copyAsMarkdown } from '../../ops/citizen-export/markdown.js';
import { plainLine } from '../../ops/citizen-export/markdown-text.js';

/** Their words as typed, every character Markdown or HTML would take for its own among them. */
const HOSTILE = [
  '# Срочно!',
  'Мусор не вывозят *третью* неделю, см. [фото](javascript:alert(1)) <img src=x onerror=alert(1)>',
  '1. двор',
  '---',
  '> не цитата',
  'ул. Ленина_5_, кв. 3 \\ 4 & &copy; `код` ~~нет~~ | таблица |',
].join('\n');

const inquiry = (fields: Partial<InquiryCopy>): InquiryCopy => ({
  openedAt: '2026-11-02T04:10:00.000Z',
  status: 'new',
  statusName: 'Новое',
  category: 'waste',
  categoryName: 'Мусор и ТКО',
  source: { channel: 'direct_message' },
  correspondence: [],
  ...fields,
});

const copyOf = (inquiries: InquiryCopy[]): CitizenCopy => ({
  community: { groupId: 218_000_001, name: 'Администрация района' },
  madeAt: '2026-12-07T15:30:00.000Z',
  timeZone: 'Asia/Yekaterinburg',
  retention: { closedInquiryDays: 1095, terms: retentionWords(1095) },
  inquiries,
  unopenedMessages: [],
});

/** What a reader sees of an escaped line: a backslash before ASCII punctuation stands for that character. */
const unescaped = (line: string) => line.replace(/\\([!-/:-@[-`{-~])/g, '$1');

describe("a citizen's copy as a Markdown document", () => {
  const document = copyAsMarkdown(
    copyOf([
      inquiry({
        caseNumber: 'ЛР-2026-00042',
        correspondence: [
          {
            at: '2026-11-02T04:10:00.000Z',
            from: 'citizen',
            kind: 'message',
            text: HOSTILE,
            attachments: [
              { kind: 'audio_message', count: 1, transcripts: ['мусор\n## Ответ органа\nвсё вывезено'] },
              { kind: 'photo', count: 1, links: ['https://vk.com/photo1_2'] },
            ],
          },
          { at: '2026-11-03T09:00:00.000Z', from: 'body', kind: 'deleted_by_community' },
          { at: '2026-11-05T09:00:00.000Z', from: 'body', kind: 'answer', text: 'Ответ:\n* вывезено' },
        ],
      }),
    ]),
  );
  const lines = document.split('\n');

  it('has no heading, link, HTML nor rule but its own: their words and the transcripts are quoted as plain text', () => {
    expect(lines.filter((line) => /^#/.test(line))).toEqual([
      '# Сведения о ваших обращениях',
      '## Что хранится и как долго',
      '## Обращение № ЛР-2026-00042',
      '### Переписка',
    ]);
    expect(document).not.toMatch(/(^|[^\\])<img/m);
    expect(document).not.toMatch(/(^|[^\\])\[фото/m);
    expect(document).toContain('> \\# Срочно!  \n');
    expect(document).toContain('> 1\\. двор  \n> \\---  \n> \\> не цитата  \n');
    expect(document).toContain('> \\## Ответ органа  \n');
    expect(document).toContain('> Ответ:  \n> \\* вывезено\n');
  });

  it('reads back as they wrote it, line by line, each on a line of its own', () => {
    const start = lines.indexOf('> \\# Срочно!  ');
    const quotedLines = lines.slice(start, start + HOSTILE.split('\n').length);
    expect(quotedLines.map((line) => unescaped(line.slice(2)).trimEnd()).join('\n')).toBe(HOSTILE);
    // Two spaces at a line's end are Markdown's line break: the last line of a quotation needs none.
    expect(quotedLines.slice(0, -1).every((line) => line.endsWith('  '))).toBe(true);
  });

  it("tells the community's deletion of their message in VK", () => {
    expect(document).toContain(
      '**03.11.2026, 14:00. Сообщество удалило ваше сообщение во ВКонтакте (в системе оно хранится, как указано выше)**\n\n',
    );
  });

  it('names their attachments in Russian', () => {
    expect(document).toContain('Вложение: голосовое сообщение, 1 шт.');
    expect(document).toContain('Вложение: фотография, 1 шт.: https://vk.com/photo1_2');
    expect(document).not.toContain('audio_message');
  });

  it("names the community's time zone the times are told in, with its offset from UTC", () => {
    expect(document).toContain('Сведения составлены 07.12.2026, 20:30. Обращений: 1.\n');
    expect(document).toContain('Время везде указано по часовому поясу Asia/Yekaterinburg (UTC+5).\n');
    expect(copyAsMarkdown({ ...copyOf([]), timeZone: 'UTC' })).toContain(
      'Время везде указано по часовому поясу UTC.\n',
    );
  });

  it('says so of an inquiry with no messages to copy, rather than leave its section empty', () => {
    expect(copyAsMarkdown(copyOf([inquiry({})]))).toContain('### Переписка\n\nСообщений нет.\n');
  });

  it('escapes every character that could start Markdown or HTML, and only those', () => {
    for (const text of ['*a*', '_a_', '[a](b)', '<b>', '&amp;', '`a`', '~~a~~', 'a | b', '\\'])
      expect(unescaped(plainLine(text))).toBe(text);
    expect(plainLine('Иван Петров, ул. Ленина, 12 - 5, тел. +7 900 000-00-00')).toBe(
      'Иван Петров, ул. Ленина, 12 - 5, тел. +7 900 000-00-00',
    );
    expect(plainLine('+7 900')).toBe('\\+7 900');
    expect(plainLine('2026. Год')).toBe('2026\\. Год');
  });
});
