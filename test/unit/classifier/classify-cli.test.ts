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
  });

  it('rejects a line without text', () => {
    const result = run('{"id": 1}\n');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/line 1: "text" must be a string/);
  });
});
