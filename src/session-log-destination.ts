import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * Where Session Manager logs and encrypts sessions: what a Session document names, and what the
 * instances need permission to use. {@link SharedResources.sessionLogs} gives the one it creates,
 * for other services to reuse.
 */
export interface SessionLogDestination {
  /** The log group the session logs stream to. */
  readonly logGroup: logs.ILogGroup;
  /** The key that encrypts session data (the `kmsKeyId` of the Session document). */
  readonly encryptionKey: kms.IKey;
  /**
   * The name of the Session document (type `Session`, `Standard_Stream`) that logs to this
   * destination: a service that reuses the destination lets its operators start sessions with this
   * document instead of creating its own.
   *
   * @default - none: a service that reuses the destination creates a Session document of its own
   * that logs to it
   */
  readonly documentName?: string;
}
