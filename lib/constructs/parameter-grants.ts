import { Stack } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * May read these SSM parameters (the configuration's secrets and tokens, named with their leading slash),
 * itself or through the Parameters and Secrets extension, which reads with the function's role
 * (house-function.ts). A parameter's ARN names it without that slash: `…:parameter/vk-inquiries/…`.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html
 */
export function grantParametersRead(scope: Construct, grantee: IGrantable, names: readonly string[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['ssm:GetParameter'],
      resources: names.map((name) =>
        Stack.of(scope).formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.slice(1) }),
      ),
    }),
  );
}
