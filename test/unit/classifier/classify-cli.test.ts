import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;
const run = (input: string | Buffer, args: string[] = []) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/classify.ts', ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
  });

describe('classify CLI', () => {
  it('answers every line in order with the documented fields, and prints nothing else', () => {
    const texts = [
      'Пахнет газом в подъезде',
      'Спасибо!',
      'Не вывозят мусор со двора',
      'Когда отремонтируют дорогу?',
    ];
    const input = texts.map((text, i) => JSON.stringify({ id: `q${i}`, text })).join('\n');
    const result = run(`${input}\n\n`);
    expect(result.status).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.id)).toEqual(['q0', 'q1', 'q2', 'q3']);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(
        expect.arrayContaining(['id', 'category', 'priority', 'confidence', 'inquiry']),
      );
    }
    expect(lines[0].priority).toBe('critical');
    expect(lines[1].inquiry).toBe(false);
  });

  it('describes its input and output lines with --help, classifying nothing', () => {
    const result = run('{"id": 1, "text": "яма на дороге"}\n', ['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('{"id": "q1", "text": ');
    for (const field of ['category', 'priority', 'confidence', 'inquiry', 'triage', 'model'])
      expect(result.stdout).toMatch(new RegExp(`^  ${field} `, 'm'));
    expect(result.stdout).not.toMatch(/"id":1,/);
  });

  it('refuses an argument it does not know, with its usage, rather than wait on stdin', () => {
    const result = run('', ['messages.jsonl']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown argument messages\.jsonl/);
    expect(result.stderr).toContain('npm run --silent classify < messages.jsonl');
  });

  it('stops with a clear error and a non-zero exit on a malformed line', () => {
    const result = run('{"id": 1, "text": "яма на дороге"}\n{"id": 2, "text": \n');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/line 2: not valid JSON/);
    expect(result.stderr).not.toMatch(/яма/);
    // The line before it is still answered, and nothing after the error.
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual([1]);
  });

  it('reads input that starts with a byte order mark and has Windows line ends', () => {
    const result = run('\uFEFF{"id": 1, "text": "Нет света в подъезде"}\r\n{"id": 2, "text": "Спасибо"}\r\n');
    expect(result.status).toBe(0);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual([1, 2]);
  });

  it('rejects a line without text', () => {
    const result = run('{"id": 1}\n');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/line 1: "text" must be a string/);
  });

  it('rejects a line without an id, or with a null one, and says which', () => {
    expect(run('{"text": "яма"}\n').stderr).toMatch(/line 1: missing "id"/);
    const result = run('{"id": 1, "text": "яма"}\n{"id": null, "text": "яма"}\n');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/line 2: "id" is null/);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a file in another encoding rather than classifying gibberish, after the lines before it', () => {
    // "Прорвало трубу" in cp1251, as Windows saves Russian text: bytes that are no UTF-8.
    const cp1251 = Buffer.from([
      0xcf, 0xf0, 0xee, 0xf0, 0xe2, 0xe0, 0xeb, 0xee, 0x20, 0xf2, 0xf0, 0xf3, 0xe1, 0xf3,
    ]);
    const input = Buffer.concat([
      Buffer.from('{"id": 1, "text": "Прорвало трубу, заливает подвал"}\n{"id": 2, "text": "'),
      cp1251,
      Buffer.from('"}\n'),
    ]);
    const result = run(input);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/line 2: not UTF-8/);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    // A replacement character written as UTF-8 is text like any other.
    expect(run('{"id": 3, "text": "проездно\uFFFD"}\n').status).toBe(0);
  });

  it('refuses a numeric id too large to come back unchanged', () => {
    const result = run('{"id": 12345678901234567891, "text": "яма"}\n');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/line 1: "id" is a number too large to keep exactly; give it as a string/);
    expect(JSON.parse(run('{"id": 9007199254740991, "text": "яма"}\n').stdout).id).toBe(9007199254740991);
  });
});
