/**
 * Classifies JSON lines from stdin: `{"id": ..., "text": "..."}` in, one
 * `{"id", "category", "priority", "confidence", "inquiry", "triage", "model"}` line out per input, in order.
 * Streams line by line. A malformed line stops the run with a message on stderr (never the text itself)
 * and exit code 1, after the answers for the lines before it; blank lines and a leading BOM are skipped.
 */
import { classify } from '../lambdas/adapters/classifier-model.js';
import { CATEGORIES, PRIORITIES } from '../lambdas/domain/taxonomy.js';

const USAGE = `Classifies citizens' messages as the classifier function does, offline.

  npm run --silent classify < messages.jsonl > answers.jsonl

In: one JSON object a line (UTF-8), an id of any JSON kind but null (a string for a number beyond 2^53):
  {"id": "q1", "text": "Во дворе третий день не вывозят мусор"}
Out: one line per input line, in the same order, with the same id:
  {"id":"q1","category":"waste","priority":"high","confidence":0.915,"inquiry":true,"triage":false,"model":"…"}

  category    ${CATEGORIES.join(', ')}
  priority    ${PRIORITIES.join(', ')}
  confidence  0 to 1, the category's probability (0.9 for a rule's answer)
  inquiry     false for what is not an inquiry (a greeting, thanks): category other, priority normal
  triage      true when the classifier is unsure of the category: the community's triage department takes it
  model       the model's version (model/)

Blank lines and a leading byte order mark are skipped. A malformed line (not JSON, not UTF-8, no id, no text)
stops the run with its line number on stderr, never its text, and exit code 1, after the answers to the lines
before it. How the model is trained and measured: docs/classifier.md.`;

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
  // JSON numbers beyond 2^53 come back changed: the answer could not be joined to its line.
  if (typeof id === 'number' && Number.isInteger(id) && !Number.isSafeInteger(id))
    throw new InputError(
      `line ${lineNumber}: "id" is a number too large to keep exactly; give it as a string`,
    );
  if (typeof text !== 'string') throw new InputError(`line ${lineNumber}: "text" must be a string`);
  return { id, text };
}

/**
 * The lines of stdin, split on their bytes and decoded strictly: a file in another encoding (cp1251, as
 * Windows saves Russian text) is refused rather than classified as the gibberish a lenient decoder makes.
 */
async function* linesOf(input: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lineNumber = 0;
  const decode = (bytes: Buffer) => {
    lineNumber++;
    try {
      return decoder.decode(bytes).replace(/\r$/, '');
    } catch {
      throw new InputError(`line ${lineNumber}: not UTF-8 (save the file as UTF-8)`);
    }
  };
  let rest = Buffer.alloc(0);
  for await (const chunk of input) {
    let data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    for (let end = data.indexOf(0x0a); end !== -1; end = data.indexOf(0x0a)) {
      yield decode(data.subarray(0, end));
      data = data.subarray(end + 1);
    }
    rest = Buffer.from(data);
  }
  if (rest.length > 0) yield decode(rest);
}

async function main(): Promise<void> {
  let lineNumber = 0;
  let buffer = '';
  try {
    for await (const raw of linesOf(process.stdin)) {
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

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
} else if (args.length > 0) {
  process.stderr.write(`classify: unknown argument ${args[0]}: it reads stdin only\n\n${USAGE}\n`);
  process.exitCode = 2;
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`classify: ${error instanceof InputError ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
