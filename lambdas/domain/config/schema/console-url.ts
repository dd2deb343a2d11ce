import * as z from 'zod';

/** The placeholder of `operatorConsoleUrl` that the inquiry's id replaces. */
export const CONSOLE_URL_PLACEHOLDER = '{inquiryId}';

/**
 * Where operators open an inquiry, e.g. `https://console.example.org/inquiries/{inquiryId}`: the deadline
 * e-mails link each inquiry there.
 */
export const operatorConsoleUrlSchema = z.string().superRefine((template, context) => {
  const problem = (message: string) => context.addIssue({ code: 'custom', message });
  if (!template.includes(CONSOLE_URL_PLACEHOLDER))
    return problem(`must contain ${CONSOLE_URL_PLACEHOLDER}, which the inquiry's id replaces`);
  let protocol: string | undefined;
  try {
    protocol = new URL(template.replaceAll(CONSOLE_URL_PLACEHOLDER, 'x')).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'https:' && protocol !== 'http:')
    problem(`an http(s) address such as https://console.example.org/inquiries/${CONSOLE_URL_PLACEHOLDER}`);
});
