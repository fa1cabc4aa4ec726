/**
 * Who makes sure that an operator signed in with a second factor before opening a shell on the
 * instances (PCI DSS v4.0.1 8.4.2: MFA for all access into the cardholder data environment).
 */
export enum OperatorMfa {
  /**
   * The operator policy denies `ssm:StartSession` on the service's instances unless
   * `aws:MultiFactorAuthPresent` is true: the operators are IAM users, or roles assumed by IAM
   * users who signed in with MFA and passed it to `sts:AssumeRole`. AWS sets that key only for
   * such credentials; federated sessions (SAML, OIDC, IAM Identity Center) do not carry it, so
   * with this choice they are denied
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent).
   */
  REQUIRED_IN_IAM = 'REQUIRED_IN_IAM',

  /**
   * The operators' roles are assumed only through an identity provider (SAML, OIDC or IAM
   * Identity Center) that enforces MFA at sign-in: the policy carries no MFA condition, and
   * enforcing it is the identity provider's job (and the user's, for PCI DSS 8.4.2).
   */
  ENFORCED_BY_IDENTITY_PROVIDER = 'ENFORCED_BY_IDENTITY_PROVIDER',
}
