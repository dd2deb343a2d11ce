/** The name of an SSM parameter, which a secret reference holds instead of the secret itself. */
export const SSM_PARAMETER_NAME = /^\/[\w.\-/]+$/;
export const SSM_PARAMETER_NAME_RULE = 'an SSM parameter name';

/** A reference to a value kept in a secret store (SSM Parameter Store SecureString), never the value itself. */
export interface SecretRef {
  parameter: string;
}
