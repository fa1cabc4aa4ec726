import { Annotations, Aws, DefaultStackSynthesizer, Fn, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The principals that may still change what the guard rails protect (a key's policy, state and
 * deletion; the audit bucket's policy and retention): the administrator role the user names, and
 * the CloudFormation execution role of the stack's bootstrap (DefaultStackSynthesizer), which
 * creates and updates these resources. Undefined when the stack deploys with another
 * synthesizer and no administrator is named: then nobody could be exempted safely, and a Deny
 * on `kms:PutKeyPolicy` would fail the key's creation (the KMS policy lockout safety check,
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-bypass-policy-lockout-safety-check).
 */
export function guardRailExemptions(scope: Construct, admin: iam.IRole | undefined): string[] | undefined {
  const synthesizer = Stack.of(scope).synthesizer;
  const deployer =
    synthesizer instanceof DefaultStackSynthesizer ? [Fn.sub(synthesizer.cloudFormationExecutionRoleArn)] : [];
  const exempt = [...deployer, ...(admin ? [admin.roleArn] : [])];
  return exempt.length > 0 ? exempt : undefined;
}

/** Options of {@link createGuardedKey}. */
export interface GuardedKeyOptions {
  /** The construct id. */
  readonly id: string;
  /** What the key protects (its description). */
  readonly purpose: string;
  /** What the alias adds to the construct's unique name (`''` for the data key, `-logs`). */
  readonly aliasSuffix: string;
  /** The break-glass administrator, exempt from the guard rails. */
  readonly admin?: iam.IRole;
  /**
   * Whether the key encrypts resources that a failed create keeps (the audit log groups): then the
   * key is kept too (RETAIN), or what is kept could never be read. Otherwise it is kept after the
   * stack (it decrypts retained data) but scheduled for deletion when the create that made it fails
   * (RETAIN_ON_UPDATE_OR_DELETE).
   */
  readonly keptAfterFailedCreate: boolean;
}

/**
 * A customer-managed key with rotation, a stack-unique alias and guard rails:
 * - grants only for AWS resources (EBS volumes launched by Auto Scaling), never ad hoc;
 * - no principal but the key administrator and the stack's CloudFormation execution role may
 *   schedule its deletion, disable it, turn off its rotation or replace its policy, whatever
 *   their IAM permissions say (PCI DSS v4.0.1 3.6.1). The account statement that CDK puts in
 *   every key policy would otherwise let any principal with `kms:*` in IAM do all of that.
 */
export function createGuardedKey(scope: Construct, options: GuardedKeyOptions): kms.Key {
  const key = new kms.Key(scope, options.id, {
    description: `${options.purpose} of ${scope.node.path}`,
    enableKeyRotation: true,
    // Unique per stack: two deployments of one app under different stack names in one account
    // and region must not claim the same alias (alias names are unique per region).
    alias: `alias/${Aws.STACK_NAME}/${Names.uniqueResourceName(scope, { maxLength: 100, separator: '-' })}${options.aliasSuffix}`,
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
    removalPolicy: options.keptAfterFailedCreate ? RemovalPolicy.RETAIN : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyGrantsNotForAwsResources',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: {
        BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
      },
    }),
  );
  const exempt = guardRailExemptions(scope, options.admin);
  if (exempt === undefined) {
    Annotations.of(key).addWarningV2(
      'multi-az-failover-service:guardRailsOff',
      'The stack does not deploy with the DefaultStackSynthesizer and no `keyAdminRole` is set: the key policy cannot deny ' +
        'kms:ScheduleKeyDeletion, kms:DisableKey and kms:PutKeyPolicy to everyone else without locking CloudFormation out. ' +
        'Set `keyAdminRole` to the role that deploys the stack.',
    );
    return key;
  }
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyKeyLifecycleChangesExceptKeyAdministrators',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: KEY_LIFECYCLE_ACTIONS,
      resources: ['*'],
      conditions: { ArnNotLike: { 'aws:PrincipalArn': exempt } },
    }),
  );
  // Who administers the key, named in its policy (PCI DSS v4.0.1 3.6.1.2): the same principals,
  // with the key administrators' actions of KMS's default key policy
  // (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators).
  // Named by `aws:PrincipalArn` under `Principal: *`, like the Auto Scaling role: a principal named
  // in a key policy must exist when the policy is written
  // (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html), a condition need not.
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowKeyAdministratorsToAdministerTheKey',
      principals: [new iam.AnyPrincipal()],
      actions: KEY_ADMINISTRATION_ACTIONS,
      resources: ['*'],
      conditions: {
        ArnLike: { 'aws:PrincipalArn': exempt },
        StringEquals: { 'kms:CallerAccount': Aws.ACCOUNT_ID },
      },
    }),
  );
  return key;
}

/**
 * The key administrators' actions of KMS's default key policy ("Allows key administrators to
 * administer the KMS key"), without the cryptographic operations: administrators manage the key,
 * they do not use it.
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

/** The key-policy actions only key administrators may call. */
export const KEY_LIFECYCLE_ACTIONS = [
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:PutKeyPolicy',
];
