import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;
const run = (input: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/classify.ts'], {
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
});
