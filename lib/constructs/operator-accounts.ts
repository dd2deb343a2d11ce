import { CfnOutput, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { Department } from '../../lambdas/domain/config/schema.js';
import { ADMIN_GROUP, departmentGroup } from '../../lambdas/domain/operator/access.js';

export interface OperatorAccountsProps {
  stage: string;
  departments: readonly Department[];
  removalPolicy: RemovalPolicy;
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
      deletionProtection: props.stage === 'prod',
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
