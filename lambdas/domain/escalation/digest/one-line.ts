/** Control characters and line breaks out, runs of spaces joined: one line of plain text. */
export const oneLine = (text: string) => text.replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ').trim();
