import { type ConfigProblem, invalidConfiguration } from './config-error.js';
import { type SecretRef, SSM_PARAMETER_NAME, SSM_PARAMETER_NAME_RULE } from './secret-ref.js';
import { repeatedKeys, sharedParameters } from './unique-entries.js';

/** What ingest reads of a community: which VK group it is, and where its secrets and confirmation code are. */
export interface CallbackCommunity {
  groupId: number;
  callbackSecret: SecretRef;
  /** The secret VK signed with before the last rotation, accepted beside the current one. */
  previousCallbackSecret?: SecretRef;
  confirmationCode: SecretRef;
}

export interface CallbackConfig {
  communities: readonly CallbackCommunity[];
}

/** The type name zod's messages use for a JSON value. */
const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const expected = (type: string, value: unknown) =>
  `Invalid input: expected ${type}, received ${typeOf(value)}`;

/**
 * The part of the configuration ingest uses, read by ingest's function on its cold start: the communities'
 * group ids and secret references, by the rules of `appConfigSchema` (schema/app-config.ts) and with its
 * messages (test/unit/config/callback-config.test.ts holds the two to each other).
 *
 * The whole file is validated by `parseAppConfig` when `cdk synth` builds the stacks (the file bundled beside
 * each function is the one validated there), when the local runtime starts, and on every other function's
 * cold start. Ingest reads nothing else, so its cold start (VK waits for its answer) leaves out zod, the
 * calendars and the time zone database their check loads.
 */
export function parseCallbackConfig(raw: unknown, source: string): CallbackConfig {
  const problems: ConfigProblem[] = [];
  const problem = (path: PropertyKey[], message: string) => void problems.push({ path, message });

  const secretRef = (value: unknown, path: PropertyKey[]) => {
    if (!isRecord(value)) return problem(path, expected('object', value));
    const { parameter } = value;
    if (typeof parameter !== 'string') problem([...path, 'parameter'], expected('string', parameter));
    else if (!SSM_PARAMETER_NAME.test(parameter)) problem([...path, 'parameter'], SSM_PARAMETER_NAME_RULE);
    const unknown = Object.keys(value).filter((key) => key !== 'parameter');
    if (unknown.length > 0)
      problem(
        path,
        `Unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.map((key) => `"${key}"`).join(', ')}`,
      );
  };

  const groupId = (value: unknown, path: PropertyKey[]) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return problem(path, expected('number', value));
    if (!Number.isInteger(value)) return problem(path, 'Invalid input: expected int, received number');
    if (value > Number.MAX_SAFE_INTEGER)
      problem(path, `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}`);
    if (value < Number.MIN_SAFE_INTEGER)
      problem(path, `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}`);
    if (value <= 0) problem(path, 'Too small: expected number to be >0');
  };

  if (!isRecord(raw)) throw invalidConfiguration(source, [{ path: [], message: expected('object', raw) }]);
  const { communities } = raw;
  if (!Array.isArray(communities)) problem(['communities'], expected('array', communities));
  else if (communities.length === 0) problem(['communities'], 'Too small: expected array to have >=1 items');
  else
    for (const [index, community] of (communities as unknown[]).entries()) {
      const path = ['communities', index];
      if (!isRecord(community)) {
        problem(path, expected('object', community));
        continue;
      }
      groupId(community.groupId, [...path, 'groupId']);
      secretRef(community.callbackSecret, [...path, 'callbackSecret']);
      if (community.previousCallbackSecret !== undefined)
        secretRef(community.previousCallbackSecret, [...path, 'previousCallbackSecret']);
      secretRef(community.confirmationCode, [...path, 'confirmationCode']);
    }
  if (problems.length > 0) throw invalidConfiguration(source, problems);

  const read = (communities as Record<string, unknown>[]).map(
    (community): CallbackCommunity => ({
      groupId: community.groupId as number,
      callbackSecret: { parameter: (community.callbackSecret as SecretRef).parameter },
      ...(community.previousCallbackSecret !== undefined && {
        previousCallbackSecret: { parameter: (community.previousCallbackSecret as SecretRef).parameter },
      }),
      confirmationCode: { parameter: (community.confirmationCode as SecretRef).parameter },
    }),
  );
  const repeats = [
    ...repeatedKeys(read, 'communities', 'groupId', (community) => community.groupId),
    ...sharedParameters(read),
  ];
  if (repeats.length > 0) throw invalidConfiguration(source, repeats);
  return { communities: read };
}
