/**
 * An error as a log may carry it: its name and the start of its message, never its fields, since an SDK error
 * may hold the request, and with it a citizen's words.
 */
export const errorSummary = (error: unknown): { name: string; message?: string } =>
  error instanceof Error
    ? { name: error.name, message: error.message.slice(0, 300) }
    : { name: typeof error };
