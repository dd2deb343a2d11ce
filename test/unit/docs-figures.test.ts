import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The documents ops and developers read: README.md and docs/. */
const DOCUMENTS = [
  'README.md',
  ...readdirSync('docs')
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
];

describe('the figures the documents quote', () => {
  it("give the ingest handler's own time per event as last measured (bench/results/latest.json), or none", () => {
    const latest = JSON.parse(readFileSync('bench/results/latest.json', 'utf8')) as {
      ingest: { handler: { medianMs: number; p99Ms: number } };
    };
    const { medianMs, p99Ms } = latest.ingest.handler;
    const quoted = DOCUMENTS.flatMap((document) =>
      readFileSync(document, 'utf8')
        .split('\n')
        .filter((line) => /ingest(?: handler)?'s own (?:time|work)/i.test(line))
        .flatMap((line) =>
          [...line.matchAll(/(\d+\.\d+) ms\b/g)].map(([, figure]) => ({ document, figure: Number(figure) })),
        ),
    );
    // The two that keep them, so that the test reads something; any other that copies them must keep up.
    const quoting = new Set(quoted.map((each) => each.document));
    for (const document of ['docs/benchmarks.md', 'docs/ingestion.md']) expect(quoting).toContain(document);
    for (const each of quoted) expect([medianMs, p99Ms], each.document).toContain(each.figure);
  });

  it('name the machine of the latest results as bench/results/latest.json does', () => {
    const { cpu } = (
      JSON.parse(readFileSync('bench/results/latest.json', 'utf8')) as { machine: { cpu: string } }
    ).machine;
    const named = (text: string) => /Intel Xeon|AMD EPYC/.exec(text.replace(/\(R\)/g, ''))?.[0];
    // Each sentence that speaks of the latest figures: the first machine it names after saying so.
    const sentences = readFileSync('docs/benchmarks.md', 'utf8').replace(/\s+/g, ' ').split(/\.\s/);
    const machines = sentences.flatMap((sentence) => {
      const latest = sentence.search(/latest/i);
      const machine = latest < 0 ? undefined : named(sentence.slice(latest));
      return machine ? [machine] : [];
    });
    expect(machines.length).toBeGreaterThan(0);
    for (const machine of machines) expect(machine).toBe(named(cpu));
  });
});
