import { CfnOutput, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolEmail,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { Department, OperatorMail } from '../../lambdas/domain/config/schema.js';
import { ADMIN_GROUP, departmentGroup } from '../../lambdas/domain/operator/access.js';

export interface OperatorAccountsProps {
  stage: string;
  departments: readonly Department[];
  removalPolicy: RemovalPolicy;
  /** Cognito refuses to delete the pool while it is on (a stage that keeps its data). */
  deletionProtection: boolean;
  /** Omitted: Cognito's own sender (no-reply@verificationemail.com, English, 50 mails a day per account). */
  mail?: OperatorMail;
}

/**
 * The operators' accounts: a Cognito user pool (made by admins, MFA required, threat protection on) with a
 * group per department and one for admins, and the app client the operators' console signs in through. Kept
 * with the data: a new pool would lose every account, password, MFA device and group membership.
 */
export class OperatorAccounts extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, props: OperatorAccountsProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Operators', {
      userPoolName: `vk-inquiries-operators-${props.stage}`,
      // Accounts are made by admins, never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // Threat protection (formerly advanced security) blocks compromised credentials and risky sign-ins.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // The invitations (temporary passwords) and password resets: through SES when the configuration names
      // a verified identity. Cognito's own sender allows 50 mails a day for the whole account, and a custom
      // invitation only with SES: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
      ...(props.mail && {
        email: UserPoolEmail.withSES({
          fromEmail: props.mail.from,
          fromName: props.mail.fromName,
          replyTo: props.mail.replyTo,
          sesVerifiedDomain: props.mail.sesVerifiedDomain,
          sesRegion: props.mail.sesRegion,
        }),
        ...(props.mail.invitation && {
          userInvitation: {
            emailSubject: props.mail.invitation.subject,
            emailBody: props.mail.invitation.body,
          },
        }),
      }),
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });
    // The console signs in with SRP (InitiateAuth) and sends the ID token; nothing goes through the OAuth
    // endpoints. Left on, CDK's default OAuth settings (implicit and code grants, callback https://example.com)
    // would go live the day the pool got a domain.
    this.client = this.userPool.addClient('Console', {
      authFlows: { userSrp: true },
      disableOAuth: true,
      generateSecret: false,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      preventUserExistenceErrors: true,
      // An operator must not rename themselves (nor change their e-mail): `name`, else `email`, is who
      // colleagues read they are in the history and on what they take (access.ts), so only admins set them
      // (`operators:add`, AdminUpdateUserAttributes). Cognito takes no write attributes (an empty list too) for
      // every standard one, so the client may write `locale` alone, which nothing reads:
      // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html
      writeAttributes: new ClientAttributes().withStandardAttributes({ locale: true }),
    });
    new UserPoolGroup(this, 'Admins', {
      userPool: this.userPool,
      groupName: ADMIN_GROUP,
      description: 'See and work every department’s inquiries',
    });
    for (const department of props.departments)
      new UserPoolGroup(this, `Department-${department.id}`, {
        userPool: this.userPool,
        groupName: departmentGroup(department.id),
        description: department.name.slice(0, 2048),
      });

    const stack = Stack.of(this);
    new CfnOutput(stack, 'OperatorUserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(stack, 'OperatorUserPoolClientId', { value: this.client.userPoolClientId });
  }
}
