import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * Where Session Manager logs and encrypts sessions: what the account's Session Manager preferences
 * name, and what the instances need permission to use. {@link SharedResources.sessionLogs} gives
 * the one it creates, for other services in the same account and region to reuse.
 */
export interface SessionLogDestination {
  /** The log group the session logs stream to. */
  readonly logGroup: logs.ILogGroup;
  /** The key that encrypts session data (the `kmsKeyId` of the Session Manager preferences). */
  readonly encryptionKey: kms.IKey;
}
