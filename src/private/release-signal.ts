import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** Where the aws-cfn-bootstrap package of Amazon Linux installs cfn-signal. */
const CFN_SIGNAL = '/opt/aws/bin/cfn-signal';

/** What the signal step needs to know: which resource of which stack, and what "healthy" is. */
export interface ReleaseSignalOptions {
  /** The stack's name (`AWS::StackName`). */
  readonly stackName: string;
  /** The logical id of the Auto Scaling group whose creation policy waits for the signal. */
  readonly resource: string;
  /** The stack's region (`AWS::Region`). */
  readonly region: string;
  /** The application's health path, requested over HTTPS on this instance (port 443). */
  readonly healthCheckPath: string;
  /** How long the step waits for the health path to answer 200 before it signals failure. */
  readonly deadlineSeconds: number;
}

/**
 * The last user-data step of every instance: it waits until the application answers its health
 * path on this instance with 200, the target group's matcher (HTTPS on 443, the certificate not
 * verified: it is the application's own),
 * then sends a success signal to the instance's Auto Scaling group with cfn-signal; when the
 * deadline passes first, it sends a failure signal, which makes CloudFormation fail the group's
 * creation or replacement at once and roll back, instead of waiting for the signal timeout
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-signal.html).
 *
 * cfn-signal needs no credentials (CloudFormation checks that the instance belongs to the stack),
 * only a way to the CloudFormation API: the `cloudformation` interface endpoint of a VPC the
 * construct creates, or NAT. It is installed from the Amazon Linux repository when the image
 * lacks it. An instance launched outside a create or update (a replacement, a scale-out) signals
 * a resource that waits for nothing: CloudFormation refuses that signal, and nothing else happens.
 */
export function releaseSignalUserData(options: ReleaseSignalOptions): ec2.UserData {
  const signal = (exitCode: number) =>
    `${CFN_SIGNAL} --exit-code ${exitCode} --stack '${options.stackName}' --resource '${options.resource}' --region '${options.region}'`;
  const userData = ec2.UserData.forLinux();
  userData.addCommands(
    `[ -x ${CFN_SIGNAL} ] || dnf install -y aws-cfn-bootstrap`,
    `deadline=$(( $(date +%s) + ${options.deadlineSeconds} ))`,
    `until [ "$(curl --insecure --silent --output /dev/null --write-out '%{http_code}' --max-time 5 ${shellQuote(`https://localhost${options.healthCheckPath}`)})" = 200 ]; do`,
    '  if [ "$(date +%s)" -ge "$deadline" ]; then',
    `    echo ${shellQuote(`the application did not answer ${options.healthCheckPath} in time: signalling failure`)}`,
    `    ${signal(1)}`,
    '    exit 1',
    '  fi',
    '  sleep 5',
    'done',
    signal(0),
  );
  return userData;
}

/** `value` as one single-quoted shell word. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}
