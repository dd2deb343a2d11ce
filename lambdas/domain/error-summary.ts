/**
 * JSON.parse's errors quote the start of the text they could not read (`Unexpected token 'В', "Во дворе "...
 * is not valid JSON`), and that text may be a citizen's words: everything from the first quote to the last
 * goes (with the ellipsis after it), or to the end when only one is left.
 */
const QUOTED = /['"][\s\S]*['"](?:\.\.\.)?|['"][\s\S]*$/;

/**
 * An error as a log may carry it: its name and the start of its message, never its fields, since an SDK error
 * may hold the request, and with it a citizen's words; a syntax error's message without what it quotes.
 */
export const errorSummary = (error: unknown): { name: string; message?: string } =>
  error instanceof Error
    ? {
        name: error.name,
        message: (error instanceof SyntaxError ? error.message.replace(QUOTED, '…') : error.message).slice(
          0,
          300,
        ),
      }
    : { name: typeof error };
