/**
 * Where the on-call reads what an alarm means and what to do: its section of docs/alarms.md, named as the alarm
 * is, or as its family (`<queue>DeadLetters`, `<function>Errors`). The address is GitHub's anchor of that
 * heading: lower case, without the characters it drops (`<`, `>`).
 */
const alarmPage = (section: string): string =>
  `docs/alarms.md#${section.toLowerCase().replace(/[^a-z0-9_-]/g, '')}`;

/**
 * CloudWatch's limit on an alarm's description.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
export const MAX_DESCRIPTION_LENGTH = 1024;

/**
 * An alarm's description as the e-mail shows it: what the alarm says, ending with its section's address, so
 * that the mail leads straight to what to do. One too long for CloudWatch fails the synth, not the deploy.
 */
export function describedAlarm(description: string, section: string): string {
  const described = `${description.trim()} What to do: ${alarmPage(section)}`;
  if (described.length > MAX_DESCRIPTION_LENGTH)
    throw new Error(
      `The alarm ${section}'s description is ${described.length} characters, over CloudWatch's ${MAX_DESCRIPTION_LENGTH}`,
    );
  return described;
}
