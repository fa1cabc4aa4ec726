import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, compliancePacks, controlTower } from '../private/acknowledge';

/**
 * The access-log bucket of both load balancers, and the bucket of its S3 server access logs.
 *
 * Both keep the default removal policy, RETAIN, also when a first create rolls back: their
 * names are generated, so a kept bucket never blocks a retry, and a non-empty bucket (ALB access
 * logging writes a test object as soon as it is configured) cannot be deleted by a rollback,
 * which would end in ROLLBACK_FAILED.
 */
export function createAccessLogsBucket(scope: Construct, retention: Duration = Duration.days(365)): s3.Bucket {
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
      expiration: Duration.days(days),
      noncurrentVersionExpiration: Duration.days(30),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
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
  });
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
    acknowledge(
      resource,
      [controlTower('s3_bucket_object_lock_enabled_check')],
      'Object Lock default retention is not supported on S3 server access logging target buckets and is left to the owner of the log archive; logs are versioned, TLS-only and kept by lifecycle. Pass your own accessLogsBucket with Object Lock to meet it',
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
