import { Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { OperatorMfa } from '../operator-mfa';
import { acknowledge, awsSolutions } from '../private/acknowledge';

/**
 * The condition that makes Session Manager check the caller's permission on the Session document
 * of the session: "With this condition element set to true, explicit access to a Session document
 * must be granted in the IAM policy", and a session that names no document is checked against the
 * default `SSM-SessionManagerRunShell`
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-sessiondocumentaccesscheck.html).
 */
export const SESSION_DOCUMENT_ACCESS_CHECK = { BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' } };

/**
 * The AWS-owned Session documents that open a session that Session Manager does not log: SSH, port
 * forwarding and interactive or non-interactive commands. "Logging isn't available for Session
 * Manager sessions that connect through port forwarding or SSH"
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-logging.html);
 * the names are those of the port-forwarding, SSH and interactive-command pages
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-sessions-start.html);
 * `AWS-StartPortForwardingSessionToSocket` and `AWS-StartNonInteractiveCommand` are listed as
 * unverified (not read on those pages): denying a document that does not exist denies nothing.
 */
export const UNLOGGED_SESSION_DOCUMENTS = [
  'AWS-StartSSHSession',
  'AWS-StartPortForwardingSession',
  'AWS-StartPortForwardingSessionToRemoteHost',
  'AWS-StartPortForwardingSessionToSocket',
  'AWS-StartInteractiveCommand',
  'AWS-StartNonInteractiveCommand',
];

/** The principal tag that names the OS user of a Run As session (session-preferences-run-as.html). */
export const RUN_AS_TAG = 'SSMSessionRunAs';

/**
 * The operators' managed policy: shell sessions on the instances of the Auto Scaling groups added
 * with {@link OperatorAccess.addSessionTargets}, only with the Session documents named here, and
 * what such a session needs besides
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-restrict-access-quickstart.html):
 * - `ssm:StartSession` on the instances, by the `aws:autoscaling:groupName` tag that Auto Scaling
 *   sets (a tag no principal can set: the `aws:` prefix is reserved), and on the documents, both
 *   with `ssm:SessionDocumentAccessCheck`;
 * - `ssm:TerminateSession` and `ssm:ResumeSession` on the operator's own sessions, by the session's
 *   `aws:ssmmessages:session-id` tag (the form AWS gives for roles and federated users,
 *   https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-restrict-access-examples.html);
 * - `ssmmessages:OpenDataChannel` (as in AWS's sample end-user policy; no resource type);
 * - `kms:GenerateDataKey` on the session key, which encrypts the session data;
 * - the read-only calls with which the CLI and the console find instances and sessions.
 *
 * Sessions on the instances are allowed only to principals whose `SSMSessionRunAs` tag names one of
 * `operatorUsers`, so that every shell runs as its operator's own OS user
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-preferences-run-as.html).
 * Explicit Denies, which no other policy of the operator overrides: the AWS-owned SSH,
 * port-forwarding and command documents, whose sessions are not logged; EC2 Instance Connect
 * keys pushed to these instances; and, with {@link OperatorMfa.REQUIRED_IN_IAM}, sessions without
 * MFA.
 */
export class OperatorAccess {
  public readonly policy: iam.ManagedPolicy;
  private readonly groupNames: string[] = [];

  public constructor(
    scope: Construct,
    id: string,
    documentNames: string[],
    sessionKey: kms.IKey,
    private readonly operatorUsers: string[],
    private readonly mfa: OperatorMfa,
  ) {
    const stack = Stack.of(scope);
    this.policy = new iam.ManagedPolicy(scope, id, {
      description: `Operators of ${scope.node.path}: Session Manager shells on its instances, logged by its Session document`,
      statements: [
        new iam.PolicyStatement({
          sid: 'StartSessionsOnlyWithTheLoggedSessionDocument',
          actions: ['ssm:StartSession'],
          resources: documentNames.map((name) =>
            stack.formatArn({ service: 'ssm', resource: 'document', resourceName: name }),
          ),
          conditions: SESSION_DOCUMENT_ACCESS_CHECK,
        }),
        new iam.PolicyStatement({
          sid: 'EndOrResumeOwnSessions',
          actions: ['ssm:TerminateSession', 'ssm:ResumeSession'],
          resources: [stack.formatArn({ service: 'ssm', resource: 'session', resourceName: '*' })],
          conditions: { StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': ['${aws:userid}'] } },
        }),
        // The session-manager-plugin opens the session's data channel as the operator (AWS's sample
        // end-user policy grants it, quickstart page above). The pinned Service Authorization
        // Reference lists no resource type for it, so a session ARN would match no request: `*`.
        // Opening a channel needs the token that the operator's own StartSession returned.
        new iam.PolicyStatement({
          sid: 'OpenSessionDataChannels',
          actions: ['ssmmessages:OpenDataChannel'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'EncryptSessionData',
          actions: ['kms:GenerateDataKey'],
          resources: [sessionKey.keyArn],
        }),
        new iam.PolicyStatement({
          sid: 'DenyUnloggedSessionDocuments',
          effect: iam.Effect.DENY,
          actions: ['ssm:StartSession'],
          resources: UNLOGGED_SESSION_DOCUMENTS.map((name) =>
            stack.formatArn({ service: 'ssm', region: '*', account: '*', resource: 'document', resourceName: name }),
          ),
        }),
        new iam.PolicyStatement({
          sid: 'FindInstancesAndSessions',
          actions: [
            'ec2:DescribeInstances',
            'ssm:DescribeInstanceProperties',
            'ssm:DescribeSessions',
            'ssm:GetConnectionStatus',
          ],
          resources: ['*'],
        }),
      ],
    });
    const region = stack.resolve(stack.region);
    const arnPrefix = (service: string) =>
      `arn:<AWS::Partition>:${service}:${typeof region === 'string' ? region : '<AWS::Region>'}:<AWS::AccountId>`;
    acknowledge(
      this.policy.node.defaultChild!,
      [
        awsSolutions('IAM5[Resource::*]'),
        awsSolutions(`IAM5[Resource::${arnPrefix('ec2')}:instance/*]`),
        awsSolutions(`IAM5[Resource::${arnPrefix('ssm')}:session/*]`),
      ],
      "Wildcards only where a condition narrows them or AWS allows nothing narrower: instances are named by their Auto Scaling group's aws:autoscaling:groupName tag (instance ids are not known before launch); sessions by the caller's own session-id tag; ssmmessages:OpenDataChannel has no resource type (and needs the token of the caller's own StartSession); ec2:DescribeInstances, ssm:DescribeInstanceProperties and ssm:DescribeSessions are read-only and have no resource type, and ssm:GetConnectionStatus only reads whether an instance can take a session",
    );
  }

  /** Lets the operators start sessions on the instances of these groups. */
  public addSessionTargets(groupNames: string[]): void {
    if (this.groupNames.length === 0) {
      const stack = Stack.of(this.policy);
      const instances = stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' });
      const groups = Lazy.list({ produce: () => this.groupNames });
      if (this.operatorUsers.length > 0) {
        this.policy.addStatements(
          new iam.PolicyStatement({
            sid: 'StartSessionsOnThisServicesInstancesAsOwnOsUser',
            actions: ['ssm:StartSession'],
            resources: [instances],
            conditions: {
              ...SESSION_DOCUMENT_ACCESS_CHECK,
              StringEquals: {
                'ssm:resourceTag/aws:autoscaling:groupName': groups,
                [`aws:PrincipalTag/${RUN_AS_TAG}`]: this.operatorUsers,
              },
            },
          }),
        );
      }
      // EC2 Instance Connect pushes a key for SSH (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-connect-methods.html):
      // sshd is masked on these instances, and the Deny keeps it so if a user's own setup starts it.
      this.policy.addStatements(
        new iam.PolicyStatement({
          sid: 'DenyInstanceConnectKeys',
          effect: iam.Effect.DENY,
          actions: ['ec2-instance-connect:SendSSHPublicKey'],
          resources: [instances],
          conditions: { StringEquals: { 'aws:ResourceTag/aws:autoscaling:groupName': groups } },
        }),
      );
      if (this.mfa === OperatorMfa.REQUIRED_IN_IAM) {
        // BoolIfExists false: denied when the key is false or absent (long-term keys, federated
        // sessions), https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
        this.policy.addStatements(
          new iam.PolicyStatement({
            sid: 'DenySessionsWithoutMfa',
            effect: iam.Effect.DENY,
            actions: ['ssm:StartSession'],
            resources: [instances],
            conditions: {
              StringEquals: { 'ssm:resourceTag/aws:autoscaling:groupName': groups },
              BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' },
            },
          }),
        );
      }
    }
    this.groupNames.push(...groupNames);
  }
}
