/**
 * Classifies JSON lines from stdin: `{"id": ..., "text": "..."}` in, one
 * `{"id", "category", "priority", "confidence", "inquiry", "triage", "model"}` line out per input, in order.
 * Streams line by line. A malformed line stops the run with a message on stderr (never the text itself)
 * and exit code 1, after the answers for the lines before it; blank lines and a leading BOM are skipped.
 */
import { createInterface } from 'node:readline';
import { classify } from '../lambdas/adapters/classifier-model.js';

class InputError extends Error {}

function parseLine(line: string, lineNumber: number): { id: unknown; text: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new InputError(`line ${lineNumber}: not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`line ${lineNumber}: expected a JSON object with "id" and "text"`);
  }
  const { id, text } = value as { id?: unknown; text?: unknown };
  if (id === undefined) throw new InputError(`line ${lineNumber}: missing "id"`);
  if (id === null) throw new InputError(`line ${lineNumber}: "id" is null; give each line an id of its own`);
  if (typeof text !== 'string') throw new InputError(`line ${lineNumber}: "text" must be a string`);
  return { id, text };
}

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let buffer = '';
  try {
    for await (const raw of lines) {
      lineNumber++;
      // Files saved by Windows editors may start with a byte order mark.
      const line = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      const { id, text } = parseLine(line, lineNumber);
      buffer += `${JSON.stringify({ id, ...classify(text) })}\n`;
      if (buffer.length > 64 * 1024) {
        if (!process.stdout.write(buffer))
          await new Promise((resolve) => process.stdout.once('drain', resolve));
        buffer = '';
      }
    }
  } finally {
    // What was classified before a malformed line is still answered, in order.
    process.stdout.write(buffer);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`classify: ${error instanceof InputError ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
