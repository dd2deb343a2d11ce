import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { temporaryFile } from '../../support/temp-dir.js';

const root = new URL('../../../', import.meta.url).pathname;
const run = (script: 'train' | 'eval', args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
    cwd: root,
    encoding: 'utf8',
  });
/** What each script writes: neither may be touched by a run that reads no dataset. */
const written = { train: 'model/classifier.json', eval: 'docs/classifier.md' } as const;
const modified = (path: string) => statSync(new URL(path, `file://${root}`)).mtimeMs;

describe.each(['train', 'eval'] as const)('npm run %s', (script) => {
  it('prints its usage with --help, on stdout, and reads and writes nothing', () => {
    const before = modified(written[script]);
    const result = run(script, ['--help']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`npm run ${script} [-- <appeals.csv>]`);
    expect(result.stdout).toContain(written[script]);
    expect(result.stdout).toMatch(/row_id, text, topic_group and topic/);
    expect(modified(written[script])).toBe(before);
  });

  it('names a dataset that is not there, without a stack trace, and writes nothing', () => {
    const before = modified(written[script]);
    const result = run(script, ['no-such-appeals.csv']);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `${script}: no appeals file at no-such-appeals.csv: give the CSV's path (--help)`,
    );
    expect(result.stdout).toBe('');
    expect(modified(written[script])).toBe(before);
  });

  it('refuses an option it does not know, with its usage', () => {
    const result = run(script, ['--dataset', 'appeals.csv']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^${script}: Unknown option '--dataset'`));
    expect(result.stderr).toContain(`npm run ${script} [-- <appeals.csv>]`);
  });

  /** Appeals files of the wrong shape: each stops the script with one line naming it (exit 1), writing nothing. */
  const COLUMNS = 'expected a CSV with the columns row_id, text, topic_group, topic';
  it.each([
    {
      shape: 'no row_id column',
      csv: 'id,text,topic_group,topic\n1,Яма на дороге,Дороги,\n',
      message: (file: string) => `${file} has no column row_id: ${COLUMNS}`,
    },
    {
      shape: 'an unknown topic_group',
      csv: 'row_id,text,topic_group,topic\n7,Яма на дороге,Марс,\n',
      message: (file: string) =>
        `${file}: the appeal with row_id 7 has an unknown topic_group "Марс" (the known ones: scripts/classifier/dataset.ts, TOPIC_GROUP_CATEGORY)`,
    },
    { shape: 'an empty file', csv: '', message: (file: string) => `${file} is empty: ${COLUMNS}` },
    {
      shape: 'no labelled row',
      csv: 'row_id,text,topic_group,topic\n1,Спасибо,,\n',
      message: (file: string) => `${file} has no appeal with a topic_group: nothing to learn from`,
    },
  ])('stops on $shape with one line naming it, no stack trace, and writes nothing', ({ csv, message }) => {
    const file = temporaryFile('appeals-', 'appeals.csv', csv);
    const before = modified(written[script]);
    const result = run(script, [file]);
    expect(result.stderr.trim()).toBe(`${script}: ${message(file)}`);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(modified(written[script])).toBe(before);
  });
});

describe('npm run eval', () => {
  it('refuses a file whose validation split is too small to measure on, and leaves the report as it is', () => {
    // 40 labelled appeals: the split holds a handful, whose figures would replace the report's.
    const rows = Array.from({ length: 40 }, (_, row) => `${row + 1},Яма на дороге у дома ${row},Дороги,`);
    const csv = `row_id,text,topic_group,topic\n${rows.join('\n')}\n`;
    const file = temporaryFile('appeals-', 'appeals.csv', csv);
    const before = modified(written.eval);
    const result = run('eval', [file]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^eval: the validation split holds \d labelled rows, too few to measure on \(at least 100\)/,
    );
    expect(result.stdout).toBe('');
    expect(modified(written.eval)).toBe(before);
  });
});
