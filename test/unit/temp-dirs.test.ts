import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { unbundledApp } from '../support/cdk-app.js';
import { temporaryDirectory, temporaryFile } from '../support/temp-dir.js';

// The tests' temporary directories: a test here reads what the one before it left, so those describes keep
// their order even when a run shuffles tests (`--sequence.shuffle`).
describe('a temporary directory made in a test', { shuffle: false }, () => {
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

describe("a test app's cloud assembly", { shuffle: false }, () => {
  let assembly = '';
  it('is written in a temporary directory of the test', () => {
    const app = unbundledApp();
    new Topic(new Stack(app, 'Assembled'), 'Topic');
    Template.fromStack(app.node.findChild('Assembled') as Stack);
    assembly = app.outdir;
    expect(existsSync(`${assembly}/Assembled.template.json`)).toBe(true);
  });
  // Without an outdir, CDK keeps /tmp/cdk.outXXXXXX until the worker's process exits, which it does not cleanly.
  it('is gone once that test has finished', () => {
    expect(assembly).not.toBe('');
    expect(existsSync(assembly)).toBe(false);
  });
});
