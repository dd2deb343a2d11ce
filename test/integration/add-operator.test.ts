import { CloudFormationClient, CloudFormationServiceException } from '@aws-sdk/client-cloudformation';
import {
  CognitoIdentityProviderClient,
  ResourceNotFoundException,
  UserNotFoundException,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import {
  addOperator,
  type OperatorRequest,
  parseOperatorArgs,
  regionOfUserPoolId,
  UsageError,
  userPoolIdOfStage,
} from '../../ops/add-operator.js';
import { runTsx } from '../support/cli.js';

/**
 * Cognito has no local emulator here (nothing among the devDependencies stands in for it, as dynalite and
 * fauxqs do for DynamoDB and SQS), so `operators:add` is tested through the real AWS SDK client with a
 * middleware in place of the service: it records each command the client would send, with its input, and
 * answers as a user pool of lib/constructs/operator-accounts.ts would. What Cognito itself then does (the
 * invitation mail, the first sign-in) is not tested here.
 */

const POOL_ID = 'eu-central-1_Operators1';
const departments = readConfigFile('config/local.json').departments.map((department) => department.id);

interface Account {
  status: string;
  groups: Set<string>;
}

/** The pool the CDK construct makes: e-mail sign-in, MFA required, temporary passwords of 3 days. */
const OPERATORS_POOL: UserPoolType = {
  Id: POOL_ID,
  UsernameAttributes: ['email'],
  MfaConfiguration: 'ON',
  Policies: { PasswordPolicy: { TemporaryPasswordValidityDays: 3 } },
  EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT' },
};

// biome-ignore lint/suspicious/noExplicitAny: a command's input, as the SDK hands it to middleware
type Input = Record<string, any>;

/**
 * A Cognito client whose requests never leave the process: `sent` records each command and its input, and
 * the answers come from `accounts` (by e-mail) and `groups`, the pool's groups.
 */
function cognitoStandIn(options: { accounts?: Record<string, Account>; pool?: UserPoolType } = {}) {
  const accounts = new Map(Object.entries(options.accounts ?? {}));
  const groups = new Set(['admins', ...departments.map((id) => `dept-${id}`)]);
  const sent: { command: string; input: Input }[] = [];
  const client = new CognitoIdentityProviderClient({
    region: 'eu-central-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const metadata = { $metadata: {} };
  const noUser = () => new UserNotFoundException({ message: 'User does not exist.', ...metadata });
  const answer = (command: string, input: Input): object => {
    const account = accounts.get(input.Username);
    switch (command) {
      case 'DescribeUserPoolCommand':
        return { UserPool: options.pool ?? OPERATORS_POOL };
      case 'AdminGetUserCommand':
        if (!account) throw noUser();
        return { Username: 'a-generated-uuid', UserStatus: account.status, Enabled: true };
      case 'AdminCreateUserCommand':
        if (input.MessageAction === 'RESEND') return { User: { UserStatus: 'FORCE_CHANGE_PASSWORD' } };
        accounts.set(input.Username, { status: 'FORCE_CHANGE_PASSWORD', groups: new Set() });
        return { User: { UserStatus: 'FORCE_CHANGE_PASSWORD' } };
      case 'AdminListGroupsForUserCommand':
        if (!account) throw noUser();
        return { Groups: [...account.groups].map((GroupName) => ({ GroupName })) };
      case 'AdminAddUserToGroupCommand':
        if (!groups.has(input.GroupName))
          throw new ResourceNotFoundException({ message: 'Group not found.', ...metadata });
        account?.groups.add(input.GroupName);
        return {};
      case 'AdminRemoveUserFromGroupCommand':
        account?.groups.delete(input.GroupName);
        return {};
      case 'AdminUpdateUserAttributesCommand':
        if (!account) throw noUser();
        return {};
      default:
        throw new Error(`not expected: ${command}`);
    }
  };
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      const command = String(context.commandName);
      const input = args.input as Input;
      sent.push({ command, input });
      return { output: { ...answer(command, input), ...metadata }, response: {} } as never;
    },
    { step: 'initialize', name: 'cognitoStandIn' },
  );
  return { client, sent, accounts, commands: () => sent.map((call) => call.command.replace(/Command$/, '')) };
}

const request = (changes: Partial<OperatorRequest> = {}): OperatorRequest => ({
  email: 'ivanova@example.org',
  groups: ['dept-roads'],
  removeGroups: [],
  resendInvitation: false,
  ...changes,
});

/** What addOperator said, line by line. */
async function said(call: (say: (line: string) => void) => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  await call((line) => lines.push(line));
  return lines.join('\n');
}

describe('a new operator', () => {
  it('is created with the e-mail address as sign-in name, verified, invited by mail, then put in the groups', async () => {
    const cognito = cognitoStandIn();
    const output = await said((say) =>
      addOperator(cognito.client, POOL_ID, request({ groups: ['dept-roads', 'admins'] }), say),
    );

    expect(cognito.commands()).toEqual([
      'DescribeUserPool',
      'AdminGetUser',
      'AdminCreateUser',
      'AdminListGroupsForUser',
      'AdminAddUserToGroup',
      'AdminAddUserToGroup',
    ]);
    const [, , create, , roads, admins] = cognito.sent;
    // No TemporaryPassword (Cognito makes one and mails it) and no MessageAction (the invitation goes out).
    expect(create?.input).toEqual({
      UserPoolId: POOL_ID,
      Username: 'ivanova@example.org',
      UserAttributes: [
        { Name: 'email', Value: 'ivanova@example.org' },
        { Name: 'email_verified', Value: 'true' },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    });
    expect(roads?.input).toEqual({
      UserPoolId: POOL_ID,
      Username: 'ivanova@example.org',
      GroupName: 'dept-roads',
    });
    expect(admins?.input).toMatchObject({ GroupName: 'admins' });
    expect(output).toContain('ivanova@example.org: account created (FORCE_CHANGE_PASSWORD)');
    expect(output).toContain('added to dept-roads');
    // What comes next, as the pool is set up.
    expect(output).toMatch(/from no-reply@verificationemail\.com.* temporary password, valid 3 days/s);
    expect(output).toMatch(
      /set their own password and, since the pool requires MFA, register an authenticator app/,
    );
    expect(output).toContain('--resend-invitation');
  });

  it('names the SES sender when the pool mails through SES', async () => {
    const cognito = cognitoStandIn({
      pool: {
        ...OPERATORS_POOL,
        EmailConfiguration: {
          EmailSendingAccount: 'DEVELOPER',
          From: 'Администрация <ops@mail.example.org>',
        },
      },
    });
    const output = await said((say) => addOperator(cognito.client, POOL_ID, request(), say));
    expect(output).toContain('gets a mail from Администрация <ops@mail.example.org> (SES)');
  });

  it('is not created without a group to put it in', async () => {
    const cognito = cognitoStandIn();
    await expect(
      addOperator(cognito.client, POOL_ID, request({ groups: [], removeGroups: ['dept-roads'] }), () => {}),
    ).rejects.toThrow('ivanova@example.org has no account');
    expect(cognito.commands()).toEqual(['DescribeUserPool', 'AdminGetUser']);
  });
});

describe('an operator who has an account', () => {
  const confirmed = () => ({
    'ivanova@example.org': { status: 'CONFIRMED', groups: new Set(['dept-roads']) },
  });

  it('is given the name colleagues read, when one is given, and an existing account is renamed', async () => {
    const fresh = cognitoStandIn();
    await said((say) => addOperator(fresh.client, POOL_ID, request({ name: 'Анна Иванова' }), say));
    expect(fresh.sent[2]?.input.UserAttributes).toContainEqual({ Name: 'name', Value: 'Анна Иванова' });

    const existing = cognitoStandIn({ accounts: confirmed() });
    const output = await said((say) =>
      addOperator(existing.client, POOL_ID, request({ name: 'Анна Петрова', groups: [] }), say),
    );
    expect(existing.commands()).toContain('AdminUpdateUserAttributes');
    expect(existing.sent.find((call) => call.command === 'AdminUpdateUserAttributesCommand')?.input).toEqual({
      UserPoolId: POOL_ID,
      Username: 'ivanova@example.org',
      UserAttributes: [{ Name: 'name', Value: 'Анна Петрова' }],
    });
    expect(output).toContain('named "Анна Петрова"');
  });

  it('gets only the groups missing, and its password is left alone', async () => {
    const cognito = cognitoStandIn({ accounts: confirmed() });
    const output = await said((say) =>
      addOperator(cognito.client, POOL_ID, request({ groups: ['dept-roads', 'dept-housing'] }), say),
    );
    expect(cognito.commands()).toEqual([
      'DescribeUserPool',
      'AdminGetUser',
      'AdminListGroupsForUser',
      'AdminAddUserToGroup',
    ]);
    expect(cognito.sent[3]?.input).toMatchObject({ GroupName: 'dept-housing' });
    expect(output).toContain('the account exists (CONFIRMED); its password is left as it is');
    expect(output).toContain('already in dept-roads');
    expect(output).toContain('added to dept-housing');
    expect(output).toContain('within the hour, or at their next sign-in');
    expect(output).not.toContain('temporary password');
    expect([...(cognito.accounts.get('ivanova@example.org')?.groups ?? [])].sort()).toEqual([
      'dept-housing',
      'dept-roads',
    ]);
  });

  it('changes nothing when it is in every group given', async () => {
    const cognito = cognitoStandIn({ accounts: confirmed() });
    const output = await said((say) => addOperator(cognito.client, POOL_ID, request(), say));
    expect(cognito.commands()).toEqual(['DescribeUserPool', 'AdminGetUser', 'AdminListGroupsForUser']);
    expect(output).toContain('already in dept-roads');
  });

  it('leaves the groups it is told to leave, and says which it was not in', async () => {
    const cognito = cognitoStandIn({ accounts: confirmed() });
    const output = await said((say) =>
      addOperator(
        cognito.client,
        POOL_ID,
        request({ groups: [], removeGroups: ['dept-roads', 'admins'] }),
        say,
      ),
    );
    expect(cognito.commands()).toEqual([
      'DescribeUserPool',
      'AdminGetUser',
      'AdminListGroupsForUser',
      'AdminRemoveUserFromGroup',
    ]);
    expect(cognito.sent[3]?.input).toMatchObject({ GroupName: 'dept-roads' });
    expect(output).toContain('removed from dept-roads');
    expect(output).toContain('not in admins');
  });

  it('is sent a new invitation only when told to, and only before its first sign-in', async () => {
    const waiting = cognitoStandIn({
      accounts: {
        'ivanova@example.org': { status: 'FORCE_CHANGE_PASSWORD', groups: new Set(['dept-roads']) },
      },
    });
    const output = await said((say) =>
      addOperator(waiting.client, POOL_ID, request({ resendInvitation: true }), say),
    );
    expect(waiting.sent[2]).toEqual({
      command: 'AdminCreateUserCommand',
      input: {
        UserPoolId: POOL_ID,
        Username: 'ivanova@example.org',
        MessageAction: 'RESEND',
        DesiredDeliveryMediums: ['EMAIL'],
      },
    });
    expect(output).toContain('the invitation is sent again, with a new temporary password');

    const signedIn = cognitoStandIn({ accounts: confirmed() });
    await expect(
      addOperator(signedIn.client, POOL_ID, request({ resendInvitation: true }), () => {}),
    ).rejects.toThrow('has signed in and set a password');
    expect(signedIn.commands()).toEqual(['DescribeUserPool', 'AdminGetUser']);
  });
});

describe('a pool that cannot take the operator', () => {
  it('without the department’s group says to deploy the configuration first', async () => {
    const cognito = cognitoStandIn();
    await expect(
      addOperator(cognito.client, POOL_ID, request({ groups: ['dept-parks'] }), () => {}),
    ).rejects.toThrow('the pool has no group dept-parks: deploy the configuration');
  });

  it('that does not sign in by e-mail is refused before anything changes', async () => {
    const cognito = cognitoStandIn({ pool: { ...OPERATORS_POOL, UsernameAttributes: [] } });
    await expect(addOperator(cognito.client, POOL_ID, request(), () => {})).rejects.toThrow(
      'does not sign in by e-mail address',
    );
    expect(cognito.commands()).toEqual(['DescribeUserPool']);
  });
});

describe('the pool of a stage', () => {
  const cloudFormation = (answer: () => object) => {
    const client = new CloudFormationClient({
      region: 'eu-central-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const asked: Input[] = [];
    client.middlewareStack.add(
      () => async (args) => {
        asked.push(args.input as Input);
        return { output: { ...answer(), $metadata: {} }, response: {} } as never;
      },
      { step: 'initialize', name: 'cloudFormationStandIn' },
    );
    return { client, asked };
  };

  it('is the Stateful stack’s output OperatorUserPoolId', async () => {
    const { client, asked } = cloudFormation(() => ({
      Stacks: [{ Outputs: [{ OutputKey: 'OperatorUserPoolId', OutputValue: POOL_ID }] }],
    }));
    expect(await userPoolIdOfStage(client, 'prod')).toBe(POOL_ID);
    expect(asked).toEqual([{ StackName: 'VkInquiries-prod-Stateful' }]);
  });

  it('of a stage not deployed is asked for with --user-pool-id', async () => {
    const { client } = cloudFormation(() => {
      throw new CloudFormationServiceException({
        name: 'ValidationError',
        $fault: 'client',
        message: 'Stack with id VkInquiries-prod-Stateful does not exist',
        $metadata: {},
      });
    });
    await expect(userPoolIdOfStage(client, 'prod')).rejects.toThrow(
      "no stack VkInquiries-prod-Stateful in the configuration's region: deploy the stage first, or give --user-pool-id",
    );
  });
});

describe('the command line', () => {
  const parse = (...args: string[]) => parseOperatorArgs(args, () => departments);

  it('takes departments repeated or comma-separated, and the address in lower case', () => {
    expect(
      parse(
        '--stage',
        'prod',
        '--email',
        ' Ivanova@Example.org ',
        '--department',
        'roads,housing',
        '--department',
        'roads',
        '--admin',
      ),
    ).toEqual({
      stage: 'prod',
      email: 'ivanova@example.org',
      groups: ['dept-roads', 'dept-housing', 'admins'],
      removeGroups: [],
      resendInvitation: false,
      configFile: 'config/prod.json',
    });
    expect(
      parse(
        '--stage',
        'dev',
        '--email',
        'a@example.org',
        '--remove-department',
        'gone',
        '--config',
        'c.json',
        '--user-pool-id',
        POOL_ID,
      ),
    ).toMatchObject({ groups: [], removeGroups: ['dept-gone'], configFile: 'c.json', userPoolId: POOL_ID });
  });

  it.each([
    [['--email', 'a@example.org', '--department', 'roads'], '--stage and --email are required'],
    [['--stage', 'prod', '--email', 'not an address', '--department', 'roads'], 'is not an e-mail address'],
    [
      ['--stage', 'prod', '--email', 'a@example.org', '--department', 'parks'],
      'not a department of config/prod.json: parks',
    ],
    [['--stage', 'prod', '--email', 'a@example.org'], 'an operator in no group sees no inquiry'],
    [
      ['--stage', 'prod', '--email', 'a@example.org', '--admin', '--remove-admin'],
      'both added and removed: admins',
    ],
    [['--stage', 'prod', '--email', 'a@example.org', '--group', 'roads'], "Unknown option '--group'"],
  ])('refuses %j', (args, message) => {
    expect(() => parse(...args)).toThrow(UsageError);
    expect(() => parse(...args)).toThrow(message);
  });

  it('reads the region a pool id names', () => {
    expect(regionOfUserPoolId('eu-central-1_AbC123')).toBe('eu-central-1');
    expect(regionOfUserPoolId('not-a-pool')).toBeUndefined();
  });

  it('prints the usage on a mistake and exits 2', async () => {
    const result = await runTsx('ops/add-operator.ts', ['--stage', 'local', '--email', 'a@example.org']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('operators:add: give --department or --admin');
    expect(result.stderr).toContain('npm run operators:add -- --stage <stage> --email <address>');
    // No default stage: the pool, its region and its departments follow the one named.
    const stageless = await runTsx('ops/add-operator.ts', [
      '--email',
      'a@example.org',
      '--department',
      'roads',
    ]);
    expect(stageless.code).toBe(2);
    expect(stageless.stderr).toContain('operators:add: --stage and --email are required');
    expect(stageless.stdout).toBe('');
  }, 60_000);

  it('gets as far as asking the stage’s stack for its pool, without the SDK’s Node.js notice', async () => {
    // CloudFormation out of reach: the command gets as far as its first call and says why it stopped.
    const result = await runTsx(
      'ops/add-operator.ts',
      ['--stage', 'local', '--email', 'a@example.org', '--department', 'roads'],
      undefined,
      {
        AWS_ENDPOINT_URL_CLOUDFORMATION: 'http://127.0.0.1:9',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_MAX_ATTEMPTS: '1',
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^operators:add: .*ECONNREFUSED/m);
    expect(result.stderr).not.toContain('NodeVersionSupportWarning');
    expect(result.stdout).toBe('');
  }, 60_000);

  it('refuses a pool id of another region than the configuration’s before any call', async () => {
    const result = await runTsx('ops/add-operator.ts', [
      '--stage',
      'local',
      '--email',
      'a@example.org',
      '--department',
      'roads',
      '--user-pool-id',
      'us-east-1_Operators1',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'user pool us-east-1_Operators1 is not in eu-central-1, the region of config/local.json',
    );
  }, 60_000);
});
