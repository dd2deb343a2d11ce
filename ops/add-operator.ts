import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import * as z from 'zod';
import { readConfigFile } from '../lambdas/adapters/config.js';
import type { AppConfig } from '../lambdas/domain/config/schema.js';
import { ADMIN_GROUP, departmentGroup } from '../lambdas/domain/operator/access.js';
import { type Failure, failureOf, requiredOptions, runAsCommand } from './command-line.js';

const USAGE = `Creates an operator's account in the stage's user pool, or finds it, and puts it in the groups of the
departments given (and of the admins with --admin). Run again, it adds only the groups missing and says which
it found; it never sets or sends a new password unless told to with --resend-invitation.

  npm run operators:add -- --stage <stage> --email <address> [--name "<first and last name>"]
                           --department <id>[,<id>…] [--admin] [--remove-department <id>[,<id>…]] [--remove-admin] [--resend-invitation]
                           [--config <file>] [--user-pool-id <id>]

--stage              the stage whose pool takes the account, required, with no default: the one its Stateful
                     stack's output OperatorUserPoolId names (or --user-pool-id), in its configuration's region.
--name               the operator's name, as colleagues read it in an inquiry's history and on the inquiries
                     they take (without it, their e-mail address); given for an existing account, it is changed.
--department         a department of the configuration; may be repeated. Its group is dept-<id>.
--admin              the admins' group: sees and works every department's inquiries.
--remove-department  takes the account out of those departments' groups (any id, even one the configuration
                     no longer names); --remove-admin out of the admins'.
--resend-invitation  for an account whose owner has not signed in yet (its temporary password has a validity
                     of days): Cognito mails a new temporary password, and the old one stops working.
--config             the stage's configuration (default config/<stage>.json, of the --stage given): its region
                     and departments.
--user-pool-id       the pool, instead of the Stateful stack's output OperatorUserPoolId.

A new account is made with the e-mail address, in lower case, as its sign-in name, marked verified (password
resets go there); Cognito mails it the invitation with a temporary password. Set AWS credentials that may call
cognito-idp (DescribeUserPool, AdminGetUser, AdminCreateUser, AdminListGroupsForUser, AdminAddUserToGroup,
AdminRemoveUserFromGroup, AdminUpdateUserAttributes) and cloudformation:DescribeStacks in the configuration's region.`;

/** A mistake in the command line: the usage follows it, and the exit code is 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface OperatorRequest {
  email: string;
  /** The account's `name`: the ID token carries it, and it names the operator to colleagues. */
  name?: string;
  /** Group names to be in. */
  groups: string[];
  /** Group names to be out of. */
  removeGroups: string[];
  resendInvitation: boolean;
}

export interface OperatorOptions extends OperatorRequest {
  stage: string;
  configFile: string;
  userPoolId?: string;
}

const emailSchema = z.email();
const listed = (values: readonly string[] | undefined) =>
  (values ?? [])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);

const OPTIONS = {
  stage: { type: 'string' },
  email: { type: 'string' },
  name: { type: 'string' },
  department: { type: 'string', multiple: true },
  admin: { type: 'boolean', default: false },
  'remove-department': { type: 'string', multiple: true },
  'remove-admin': { type: 'boolean', default: false },
  'resend-invitation': { type: 'boolean', default: false },
  config: { type: 'string' },
  'user-pool-id': { type: 'string' },
} as const;

/** The command line, checked against the configuration's departments; throws UsageError. */
export function parseOperatorArgs(
  args: string[],
  departmentsOf: (configFile: string) => readonly string[],
): OperatorOptions {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
  try {
    ({ values } = parseArgs({ args, options: OPTIONS }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { stage, email } = values;
  // No default stage: the pool, its region and its departments follow the one named.
  if (!stage || !email) throw new UsageError(requiredOptions('--stage', '--email'));
  if (!/^[a-z][a-z0-9]{0,15}$/.test(stage)) throw new UsageError(`stage "${stage}" is not a stage's name`);
  // Lower case: the pool tells sign-in names apart by case (CDK's signInCaseSensitive, on by default), so
  // one person given once as Ivan@… and once as ivan@… would get two accounts.
  const address = email.trim().toLowerCase();
  if (!emailSchema.safeParse(address).success) throw new UsageError(`"${email}" is not an e-mail address`);
  const configFile = values.config ?? `config/${stage}.json`;
  const departments = listed(values.department);
  const known = new Set(departmentsOf(configFile));
  const unknown = departments.filter((department) => !known.has(department));
  if (unknown.length > 0)
    throw new UsageError(
      `not a department of ${configFile}: ${unknown.join(', ')} (it names ${[...known].join(', ')})`,
    );
  const groups = [...new Set([...departments.map(departmentGroup), ...(values.admin ? [ADMIN_GROUP] : [])])];
  const removeGroups = [
    ...new Set([
      ...listed(values['remove-department']).map(departmentGroup),
      ...(values['remove-admin'] ? [ADMIN_GROUP] : []),
    ]),
  ];
  const both = groups.filter((group) => removeGroups.includes(group));
  if (both.length > 0) throw new UsageError(`both added and removed: ${both.join(', ')}`);
  const name = values.name?.trim().replace(/\s+/g, ' ');
  if (name !== undefined && (name.length === 0 || name.length > 200))
    throw new UsageError('--name takes 1 to 200 characters');
  if (groups.length === 0 && removeGroups.length === 0 && !values['resend-invitation'] && !name)
    throw new UsageError(
      'give --department or --admin: an operator in no group sees no inquiry (or --remove-department, --remove-admin, --resend-invitation)',
    );
  return {
    stage,
    email: address,
    ...(name && { name }),
    groups,
    removeGroups,
    resendInvitation: values['resend-invitation'],
    configFile,
    ...(values['user-pool-id'] && { userPoolId: values['user-pool-id'] }),
  };
}

/** The region a user pool id names: `eu-central-1_AbCdEf123`. */
export const regionOfUserPoolId = (id: string): string | undefined =>
  /^([a-z0-9-]+)_[0-9A-Za-z]+$/.exec(id)?.[1];

/** The Stateful stack's output OperatorUserPoolId. */
export async function userPoolIdOfStage(
  cloudFormation: CloudFormationClient,
  stage: string,
): Promise<string> {
  const stackName = `VkInquiries-${stage}-Stateful`;
  let outputs: { OutputKey?: string; OutputValue?: string }[] | undefined;
  try {
    const described = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    outputs = described.Stacks?.[0]?.Outputs;
  } catch (error) {
    // CloudFormation answers a missing stack with a ValidationError "Stack with id … does not exist".
    if ((error as Error).name === 'ValidationError')
      throw new Error(
        `no stack ${stackName} in the configuration's region: deploy the stage first, or give --user-pool-id`,
      );
    throw error;
  }
  const id = outputs?.find((output) => output.OutputKey === 'OperatorUserPoolId')?.OutputValue;
  if (!id) throw new Error(`${stackName} has no output OperatorUserPoolId: give --user-pool-id`);
  return id;
}

export interface OperatorResult {
  created: boolean;
  /** The account's status in Cognito: FORCE_CHANGE_PASSWORD until the first sign-in, then CONFIRMED. */
  status: string;
  invitationSent: boolean;
  added: string[];
  alreadyIn: string[];
  removed: string[];
  notIn: string[];
}

const userNotFound = (error: unknown) => (error as Error).name === 'UserNotFoundException';

/**
 * Makes the account if there is none, then puts it in and out of the groups; each step says what it did with
 * `say`. Never changes the password of an account that exists, unless `resendInvitation` asks for a new
 * temporary one, which only an account not yet signed in to can get.
 */
export async function addOperator(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  request: OperatorRequest,
  say: (line: string) => void = console.log,
): Promise<OperatorResult> {
  const { email } = request;
  const pool = (await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }))).UserPool;
  // The pool of lib/constructs/operator-accounts.ts signs in by e-mail address (signInAliases email only),
  // which makes the address the name an account is made and found by.
  if (!pool?.UsernameAttributes?.includes('email'))
    throw new Error(`user pool ${userPoolId} does not sign in by e-mail address: is it the operators'?`);

  const result: OperatorResult = {
    created: false,
    status: '',
    invitationSent: false,
    added: [],
    alreadyIn: [],
    removed: [],
    notIn: [],
  };
  let existing: { UserStatus?: string; Enabled?: boolean } | undefined;
  try {
    existing = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
  } catch (error) {
    if (!userNotFound(error)) throw error;
  }

  if (existing) {
    result.status = existing.UserStatus ?? 'UNKNOWN';
    say(`${email}: the account exists (${result.status}); its password is left as it is`);
    if (existing.Enabled === false)
      say(
        `${email}: the account is disabled and cannot sign in: aws cognito-idp admin-enable-user --user-pool-id ${userPoolId} --username ${email}`,
      );
    if (request.name) {
      await cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: userPoolId,
          Username: email,
          UserAttributes: [{ Name: 'name', Value: request.name }],
        }),
      );
      say(`${email}: named "${request.name}" (their next ID token carries it)`);
    }
    if (request.resendInvitation) {
      if (result.status !== 'FORCE_CHANGE_PASSWORD')
        throw new Error(
          `${email} has signed in and set a password: no invitation to send again (a forgotten password is reset from the console's sign-in)`,
        );
      await cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: email,
          MessageAction: 'RESEND',
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      result.invitationSent = true;
      say(
        `${email}: the invitation is sent again, with a new temporary password; the old one no longer works`,
      );
    }
  } else {
    if (request.groups.length === 0)
      throw new Error(`${email} has no account: nothing to remove or send again`);
    const created = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: email,
        // Verified: the admin vouches for the address, where password resets go (account recovery by e-mail).
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
          ...(request.name ? [{ Name: 'name', Value: request.name }] : []),
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    result.created = true;
    result.invitationSent = true;
    result.status = created.User?.UserStatus ?? 'FORCE_CHANGE_PASSWORD';
    say(`${email}: account created (${result.status}); Cognito mails the invitation`);
  }

  const current = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await cognito.send(
      new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: email, NextToken: nextToken }),
    );
    for (const group of page.Groups ?? []) if (group.GroupName) current.add(group.GroupName);
    nextToken = page.NextToken;
  } while (nextToken);

  for (const group of request.groups) {
    if (current.has(group)) {
      result.alreadyIn.push(group);
      say(`${email}: already in ${group}`);
      continue;
    }
    try {
      await cognito.send(
        new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: group }),
      );
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException')
        throw new Error(
          `the pool has no group ${group}: deploy the configuration that names its department first`,
        );
      throw error;
    }
    result.added.push(group);
    say(`${email}: added to ${group}`);
  }
  for (const group of request.removeGroups) {
    if (!current.has(group)) {
      result.notIn.push(group);
      say(`${email}: not in ${group}`);
      continue;
    }
    await cognito.send(
      new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: group }),
    );
    result.removed.push(group);
    say(`${email}: removed from ${group}`);
  }
  if (result.invitationSent) say(whatComesNext(email, pool));
  else if (result.added.length > 0 || result.removed.length > 0)
    // The groups travel in the ID token (cognito:groups), which the console renews hourly.
    say(
      `${email}: the change reaches the console with their next token: within the hour, or at their next sign-in`,
    );
  return result;
}

/** What the new operator does next, as the pool is set up: its sender, the password's validity, MFA. */
export function whatComesNext(email: string, pool: UserPoolType): string {
  const mail = pool.EmailConfiguration;
  const sender =
    mail?.EmailSendingAccount === 'DEVELOPER'
      ? `from ${mail.From ?? mail.SourceArn?.split('/').pop()} (SES)`
      : "from no-reply@verificationemail.com, in English (Cognito's own sender: 50 mails a day for the whole account; ask them to look in spam)";
  const days = pool.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ?? 7;
  const mfa =
    pool.MfaConfiguration === 'ON'
      ? ' and, since the pool requires MFA, register an authenticator app (a TOTP code at every sign-in)'
      : '';
  return [
    `Next: ${email} gets a mail ${sender} with a temporary password, valid ${days} days.`,
    `At the first sign-in to the operators' console they give this address, as written here, and that password, then set their own password${mfa}.`,
    'If the mail does not come, or the days pass, run this again with --resend-invitation.',
  ].join('\n');
}

const fail: Failure = failureOf('operators:add');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) return void console.log(USAGE);
  let config: AppConfig | undefined;
  let options: OperatorOptions;
  try {
    options = parseOperatorArgs(args, (file) => {
      config = readConfigFile(file);
      return config.departments.map((department) => department.id);
    });
  } catch (error) {
    if (error instanceof UsageError) fail(`${error.message}\n\n${USAGE}`, 2);
    throw error;
  }
  config ??= readConfigFile(options.configFile);
  // The stage's region, not the profile's: the pool is where the stacks are.
  const region = config.region;
  if (!region) fail(`${options.configFile} names no region: the pool is in the stage's region`);
  if (options.userPoolId && regionOfUserPoolId(options.userPoolId) !== region)
    fail(`user pool ${options.userPoolId} is not in ${region}, the region of ${options.configFile}`, 2);
  const userPoolId =
    options.userPoolId ?? (await userPoolIdOfStage(new CloudFormationClient({ region }), options.stage));
  await addOperator(new CognitoIdentityProviderClient({ region }), userPoolId, options);
}

runAsCommand(import.meta.url, main, fail);
