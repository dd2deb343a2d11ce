/**
 * The placeholders a community's acknowledgement template may use: `caseNumber`, the inquiry's case number
 * (`2026-004217`, its community's sequence of the year: case-number.ts), what operators look it up by when the
 * citizen calls or writes again; `department`, the department's name; `dueAt`, the first-response deadline.
 */
export const ACKNOWLEDGEMENT_PLACEHOLDERS = ['caseNumber', 'department', 'dueAt'] as const;

/**
 * What an acknowledgement says once its deadline has passed, unless its community words it
 * (`acknowledgement.templateOnceDue`): the case number and the department, no time already gone.
 */
export const DEFAULT_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE =
  'Здравствуйте! Ваше обращение зарегистрировано под номером {caseNumber}. Его рассматривает {department}.';

/**
 * The time is that of the first response, often "we are working on it", not of the final answer: "we will
 * answer you by", not "the answer will be given by".
 */
export const DEFAULT_ACKNOWLEDGEMENT_TEMPLATE = `${DEFAULT_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE} Мы ответим Вам до {dueAt}.`;

/**
 * What a reopening's acknowledgement says once its deadline has passed, unless its community words it
 * (`acknowledgement.reopened.templateOnceDue`): the citizen, who wrote again after the answer, learns their
 * message was taken, and under which number.
 */
export const DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE =
  'Здравствуйте! Ваше сообщение добавлено к обращению под номером {caseNumber}.';

/** A reopening's acknowledgement, unless its community words it (`acknowledgement.reopened.template`). */
export const DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE = `${DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE} Мы ответим Вам до {dueAt}.`;

/**
 * What the acknowledgement of a reopening by the citizen's edit of a message the answer covered says once its
 * deadline has passed, unless its community words it (`acknowledgement.reopenedByEdit.templateOnceDue`): the
 * edited message was part of the case already, so not "добавлено к обращению", but the addition received.
 */
export const DEFAULT_EDIT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE =
  'Здравствуйте! Ваше дополнение к обращению № {caseNumber} получено.';

/**
 * The acknowledgement of a reopening by an edit, unless its community words it
 * (`acknowledgement.reopenedByEdit.template`).
 */
export const DEFAULT_EDIT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE = `${DEFAULT_EDIT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE} Мы ответим Вам до {dueAt}.`;

/**
 * What the acknowledgement of a follow-up that raised its inquiry's priority says once its deadline has passed,
 * or once the department has responded, unless its community words it (`acknowledgement.raised.templateOnceDue`):
 * the message was taken, and under which number.
 */
export const DEFAULT_RAISED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE =
  DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE;

/**
 * The acknowledgement of a follow-up that raised its inquiry's priority (a danger reported in an open case),
 * unless its community words it (`acknowledgement.raised.template`): the sooner time it is answered by.
 */
export const DEFAULT_RAISED_ACKNOWLEDGEMENT_TEMPLATE = `${DEFAULT_RAISED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE} Мы ответим Вам раньше — до {dueAt}.`;

/**
 * What the acknowledgement of a raise by the citizen's edit of one of the inquiry's messages says once its
 * deadline has passed, or once the department has responded, unless its community words it
 * (`acknowledgement.raisedByEdit.templateOnceDue`): the addition received, as for a reopening by an edit.
 */
export const DEFAULT_EDIT_RAISED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE =
  DEFAULT_EDIT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE;

/**
 * The acknowledgement of a raise by an edit, unless its community words it
 * (`acknowledgement.raisedByEdit.template`): the sooner time it is answered by.
 */
export const DEFAULT_EDIT_RAISED_ACKNOWLEDGEMENT_TEMPLATE = `${DEFAULT_EDIT_RAISED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE} Мы ответим Вам раньше — до {dueAt}.`;

/**
 * The line every acknowledgement of a `critical` inquiry begins with, unless its community words it
 * (`acknowledgement.critical`): we answer in hours, and a danger to life cannot wait for that. 112 is the
 * single emergency number, 104 the gas emergency service's.
 */
export const DEFAULT_CRITICAL_NOTICE =
  'Если есть угроза жизни, здоровью или имуществу, звоните 112 (при запахе газа — 104).';

/** The placeholders a template uses that are not known: each is a configuration error. */
export function unknownPlaceholders(template: string): string[] {
  const known: readonly string[] = ACKNOWLEDGEMENT_PLACEHOLDERS;
  return [...template.matchAll(/\{([^{}\s]+)\}/gu)]
    .map((match) => match[1] ?? '')
    .filter((name) => !known.includes(name));
}

export function renderAcknowledgement(
  template: string,
  values: Record<(typeof ACKNOWLEDGEMENT_PLACEHOLDERS)[number], string>,
): string {
  return template.replace(/\{([^{}\s]+)\}/gu, (whole, name: string) =>
    name in values ? values[name as keyof typeof values] : whole,
  );
}
