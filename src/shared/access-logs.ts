import { Annotations, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { guardRailExemptions } from './keys';
import { acknowledge, compliancePacks, controlTower } from '../private/acknowledge';

/**
 * The access-log bucket of both load balancers, and the bucket of its S3 server access logs.
 *
 * Both keep the default removal policy, RETAIN, also when a first create rolls back: their
 * names are generated, so a kept bucket never blocks a retry, and a non-empty bucket (ALB access
 * logging writes a test object as soon as it is configured) cannot be deleted by a rollback,
 * which would end in ROLLBACK_FAILED.
 *
 * The load balancers' logs are tamper-proof for `retention` (PCI DSS v4.0.1 10.3.2 to 10.3.4,
 * 10.5.1): S3 Object Lock (governance mode unless `lockMode` says compliance) keeps every version that long
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html), the lifecycle removes
 * each log a day after it (see the rules below), and the bucket policy denies deleting objects or versions, bypassing
 * governance retention and changing the bucket's policy, lifecycle, versioning or Object Lock
 * configuration to everyone but `logAdmin` and the stack's CloudFormation execution role.
 */
export function createAccessLogsBucket(
  scope: Construct,
  retention: Duration = Duration.days(365),
  logAdmin?: iam.IRole,
  lockMode: s3.ObjectLockMode = s3.ObjectLockMode.GOVERNANCE,
): s3.Bucket {
  const days = retention.toDays();
  const lifecycleRules: s3.LifecycleRule[] = [
    {
      id: 'RetainLogs',
      // Standard-IA keeps objects at least 30 days and Glacier Flexible Retrieval 90 days:
      // a transition only happens when the object stays there that long before it expires.
      transitions: [
        ...(days >= 60
          ? [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }]
          : []),
        ...(days >= 180 ? [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(90) }] : []),
      ],
      // Kept `retention` in total: the current version expires at `retention` (S3 adds a delete
      // marker and keeps it as noncurrent), and the noncurrent version one day later, when its
      // Object Lock retention (also `retention`, from its creation) has ended. NoncurrentDays
      // count from when a version became noncurrent
      // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html).
      expiration: Duration.days(days),
      noncurrentVersionExpiration: Duration.days(NONCURRENT_DAYS),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    },
    {
      // The delete markers left once their noncurrent version is gone. ExpiredObjectDeleteMarker
      // "cannot be specified with Days or Date in a Lifecycle Expiration Policy"
      // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html): a rule of its own.
      id: 'RemoveExpiredDeleteMarkers',
      expiredObjectDeleteMarker: true,
    },
  ];
  const hardened: s3.BucketProps = {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules,
  };
  const serverAccessLogs = new s3.Bucket(scope, 'ServerAccessLogsBucket', hardened);
  const accessLogs = new s3.Bucket(scope, 'AccessLogsBucket', {
    ...hardened,
    serverAccessLogsBucket: serverAccessLogs,
    serverAccessLogsPrefix: 'access-logs-bucket/',
    // Object Lock can only be turned on when a bucket is created.
    objectLockEnabled: true,
    // Governance by default: a failed first create leaves this bucket (RETAIN), and only in
    // governance mode can anyone (`logAdmin`, with s3:BypassGovernanceRetention) empty and delete
    // it before `retention` ends; in compliance mode "a protected object version can't be
    // overwritten or deleted by any user, including the root user"
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html).
    objectLockDefaultRetention:
      lockMode === s3.ObjectLockMode.COMPLIANCE
        ? s3.ObjectLockRetention.compliance(Duration.days(days))
        : s3.ObjectLockRetention.governance(Duration.days(days)),
  });
  denyLogTampering(accessLogs, logAdmin);
  acknowledge(
    serverAccessLogs.node.defaultChild!,
    [controlTower('s3_bucket_object_lock_enabled_check')],
    'S3 server access logging does not deliver to a target bucket with an Object Lock default retention (S3 user guide, "Enabling Amazon S3 server access logging"); this bucket only holds the access records of the access-log bucket, whose load-balancer logs are locked',
  );
  for (const bucket of [accessLogs, serverAccessLogs]) {
    const resource = bucket.node.defaultChild!;
    acknowledge(
      resource,
      [...compliancePacks('S3DefaultEncryptionKMS'), controlTower('s3_bucket_default_encryption_kms_check')],
      'ALB access logging and S3 server access logging only deliver to buckets encrypted with SSE-S3 (AES-256); SSE-KMS is not supported for these log destinations',
    );
    acknowledge(
      resource,
      compliancePacks('S3BucketReplicationEnabled'),
      'The construct is single-region; cross-region replication needs a destination bucket in another region. Pass your own accessLogsBucket with replication to meet it',
    );
  }
  acknowledge(
    accessLogs.node.defaultChild!,
    [controlTower('s3_event_notifications_enabled_check')],
    'Only AWS log delivery writes here. S3 event notifications in CDK need a Lambda-backed custom resource, which this construct avoids; the log archive owner can add them on their own bucket',
  );
  acknowledge(
    serverAccessLogs.node.defaultChild!,
    [controlTower('s3_event_notifications_enabled_check')],
    'Only S3 server access log delivery writes here; see the access-log bucket',
  );
  acknowledge(
    serverAccessLogs.node.defaultChild!,
    [controlTower('s3_bucket_logging_enabled_check')],
    'This bucket is the server access logging target of the access-log bucket; logging it into itself would loop',
  );
  return accessLogs;
}

/** How long a log version is kept once it is noncurrent: the day after its retention ended. */
export const NONCURRENT_DAYS = 1;

/** What no principal but the log administrators may do to the access logs. */
export const LOG_DELETION_ACTIONS = ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention'];
/** What only the log administrators and the stack's CloudFormation execution role may change. */
export const LOG_RETENTION_ACTIONS = [
  's3:PutLifecycleConfiguration',
  's3:PutBucketObjectLockConfiguration',
  's3:PutBucketVersioning',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
];

/**
 * Explicit Denies that no IAM permission overrides: deleting a log (or a version) and bypassing
 * governance retention are for `logAdmin` only; the bucket's policy, lifecycle, versioning and
 * Object Lock configuration are changed only by `logAdmin` and by the stack's own deployments
 * (the CloudFormation execution role), so that `accessLogRetention` can still change through code
 * review. Lifecycle expiration is not a request by a principal: the bucket policy does not stop
 * it, and Object Lock keeps it from removing a locked version early.
 */
function denyLogTampering(bucket: s3.Bucket, logAdmin: iam.IRole | undefined): void {
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyLogDeletionExceptLogAdministrators',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: LOG_DELETION_ACTIONS,
      resources: [bucket.arnForObjects('*')],
      conditions: logAdmin ? { ArnNotLike: { 'aws:PrincipalArn': [logAdmin.roleArn] } } : undefined,
    }),
  );
  const exempt = guardRailExemptions(bucket, logAdmin);
  if (exempt === undefined) {
    Annotations.of(bucket).addWarningV2(
      'multi-az-failover-service:logGuardRailsOff',
      'The stack does not deploy with the DefaultStackSynthesizer and no `logAdminRole` is set: the bucket policy cannot deny ' +
        'changes to the lifecycle, versioning, Object Lock and policy of the access-log bucket without locking CloudFormation out. ' +
        'Set `logAdminRole` to the role that deploys the stack.',
    );
    return;
  }
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyLogRetentionChangesExceptAdministrators',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: LOG_RETENTION_ACTIONS,
      resources: [bucket.bucketArn],
      conditions: { ArnNotLike: { 'aws:PrincipalArn': exempt } },
    }),
  );
}
