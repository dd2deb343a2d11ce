/**
 * VK reads our answer's body as a command: `ok` acknowledges, the confirmation code confirms the server,
 * but `remove` deletes the server and `version 5.xxx` changes its API version
 * (https://dev.vk.com/ru/api/callback/getting-started). A confirmation code that reads like either is
 * never sent.
 */
export function isSafeConfirmationCode(code: string): boolean {
  const command = code.trim().toLowerCase();
  return command.length > 0 && command !== 'remove' && !command.startsWith('version');
}
