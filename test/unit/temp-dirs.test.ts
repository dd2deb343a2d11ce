import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory, temporaryFile } from '../support/temp-dir.js';

// The tests' temporary directories: each test here reads what the one before it left.
describe('a temporary directory made in a test', () => {
  let made = '';
  it('is there, with its file, while the test runs', () => {
    const file = temporaryFile('temp-dir-test-', 'config.json', '{}');
    made = dirname(file);
    expect(readFileSync(file, 'utf8')).toBe('{}');
  });
  it('is gone once that test has finished', () => {
    expect(made).not.toBe('');
    expect(existsSync(made)).toBe(false);
  });
});

describe('a temporary directory made before the tests', () => {
  let made = '';
  beforeAll(() => {
    made = temporaryDirectory('temp-dir-test-');
  });
  it('stays for every test of the file', () => expect(existsSync(made)).toBe(true));
  it('still, for the next one', () => expect(existsSync(made)).toBe(true));
});
