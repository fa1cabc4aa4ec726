import { Duration, Fn, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EgressMode, FailoverPriority, FailoverTier, FailoverTierProps, IFailoverTarget } from '../src';
import {
  AZS,
  buildTier,
  CERTIFICATE_ARN,
  logicalIdOf,
  newStack,
  newTier,
  privateSubnetId,
  publicSubnetId,
  userDataText,
} from './util';

/** The name of the test's host log group. */
function hostLogGroupName(stack: Stack): string {
  return (stack.node.findChild('HostLogs') as logs.LogGroup).logGroupName;
}

const WEB_ACL_ARN =
  'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/payments/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

type ExtraProps = Partial<FailoverTierProps>;

describe('with default props', () => {
  let stack: Stack;
  let tier: FailoverTier;
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    ({ stack, tier, template } = newTier());
  });

  test.each([
    ['AWS::ElasticLoadBalancingV2::LoadBalancer', 1],
    ['AWS::ElasticLoadBalancingV2::TargetGroup', 1],
    // HTTPS only: no port-80 listener without httpRedirect
    ['AWS::ElasticLoadBalancingV2::Listener', 1],
    ['AWS::AutoScaling::AutoScalingGroup', 3],
    // one per zone: each one's user data signals its own zone's group
    ['AWS::EC2::LaunchTemplate', 3],
    // unhealthy hosts, no healthy host, latency, target 5xx, load balancer 5xx, desync; the health
    // alarm; the hosts' log shipping; five per zone
    ['AWS::CloudWatch::Alarm', 6 + 1 + 1 + 3 * 5],
    // the count of the hosts whose log-shipping heartbeat arrives
    ['AWS::CloudWatch::InsightRule', 1],
    // one "zone impaired" composite per zone
    ['AWS::CloudWatch::CompositeAlarm', 3],
    // HTTPS, capacity (CloudWatch metric) and the calculated routing check
    ['AWS::Route53::HealthCheck', 3],
    ['AWS::WAFv2::WebACLAssociation', 0],
    ['AWS::Route53::RecordSet', 0],
  ])('creates %s × %d', (type, count) => {
    // THEN
    template.resourceCountIs(type, count);
  });

  test('instanceCount is zones × instances per zone', () => {
    // THEN
    expect(tier.instanceCount).toBe(6);
    expect(tier.priority).toBe(FailoverPriority.PRIMARY);
  });

  test.each(AZS.map((az, index) => [index, az]))(
    'autoScalingGroups[%d] runs 2 instances in the private subnet of %s',
    (index, az) => {
      // THEN
      const group = template.toJSON().Resources[logicalIdOf(tier.autoScalingGroups[index])];
      expect(group.Properties).toEqual(
        expect.objectContaining({
          VPCZoneIdentifier: [privateSubnetId(az)],
          MinSize: '2',
          MaxSize: '2',
          DesiredCapacity: '2',
        }),
      );
    },
  );

  test('the Auto Scaling groups register in the target group and use the ELB health check with a 90 s grace', () => {
    // THEN
    for (const fleet of tier.zonalFleets) {
      expect(template.toJSON().Resources[logicalIdOf(fleet.autoScalingGroup)].Properties).toMatchObject({
        TargetGroupARNs: [stack.resolve(tier.targetGroup.targetGroupArn)],
        HealthCheckType: 'ELB',
        HealthCheckGracePeriod: 300,
        MetricsCollection: [{ Granularity: '1Minute' }],
        LaunchTemplate: { LaunchTemplateId: stack.resolve(fleet.launchTemplate.launchTemplateId) },
      });
    }
  });

  test('without alarmTopic the groups send no notifications and the alarms have no actions', () => {
    // THEN
    template.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', {
      NotificationConfigurations: Match.absent(),
    });
    template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: Match.absent(),
      OKActions: Match.absent(),
    });
  });

  test('the load balancer is internet-facing in the public subnets of the zones', () => {
    // THEN
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      Subnets: AZS.map(publicSubnetId),
      SecurityGroups: [stack.resolve(tier.loadBalancerSecurityGroup.securityGroupId)],
    });
  });

  test('the load balancer logs to the bucket under the priority as prefix', () => {
    // THEN
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.bucket', Value: { Ref: Match.stringLikeRegexp('^Bucket') } },
        { Key: 'access_logs.s3.prefix', Value: 'primary' },
      ]),
    });
  });

  // PCI DSS v4.0.1 4.2.1: no cleartext. An API client calling http:// would have sent its request
  // before any redirect came back, so port 80 is closed: no listener, no ingress rule.
  test('the load balancer security group accepts only 443 from anywhere', () => {
    // THEN
    const group = template.toJSON().Resources[logicalIdOf(tier.loadBalancerSecurityGroup)];
    expect(group.Properties.SecurityGroupIngress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
  });

  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/header-modification.html
  test('every HTTPS response carries an HSTS header of one year', () => {
    // THEN
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTPS',
      ListenerAttributes: [
        {
          Key: 'routing.http.response.strict_transport_security.header_value',
          Value: 'max-age=31536000; includeSubDomains',
        },
      ],
    });
  });

  test('the load balancer may only send traffic to the instances, on 443', () => {
    // THEN
    const group = template.toJSON().Resources[logicalIdOf(tier.loadBalancerSecurityGroup)];
    expect(group.Properties.SecurityGroupEgress).toBeUndefined();
    template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: stack.resolve(tier.loadBalancerSecurityGroup.securityGroupId),
      DestinationSecurityGroupId: stack.resolve(tier.instanceSecurityGroup.securityGroupId),
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
    });
  });

  test('the instances accept only the load balancer on 443 and send only HTTPS out', () => {
    // THEN
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: stack.resolve(tier.instanceSecurityGroup.securityGroupId),
      SourceSecurityGroupId: stack.resolve(tier.loadBalancerSecurityGroup.securityGroupId),
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
    });
    const group = template.toJSON().Resources[logicalIdOf(tier.instanceSecurityGroup)];
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    expect(group.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
  });

  test('the launch template has no public IP, IMDSv2 with hop limit 1 and the instance role', () => {
    // THEN
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: {
        InstanceType: 't3.medium',
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        Monitoring: { Enabled: true },
        NetworkInterfaces: [
          Match.objectLike({
            AssociatePublicIpAddress: false,
            Groups: [stack.resolve(tier.instanceSecurityGroup.securityGroupId)],
          }),
        ],
        IamInstanceProfile: Match.anyValue(),
      },
    });
  });

  // PCI DSS 2.2.2/8.2.2: no SSH key pair, so no shared key opens a shell; EC2 puts a key on an
  // instance only from the launch template's KeyName
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ec2-launchtemplate-launchtemplatedata.html).
  test('no launch template names an SSH key pair', () => {
    // THEN
    const templates = Object.values(template.findResources('AWS::EC2::LaunchTemplate'));
    expect(templates.length).toBeGreaterThan(0);
    for (const launchTemplate of templates) {
      expect(launchTemplate.Properties.LaunchTemplateData.KeyName).toBeUndefined();
    }
  });

  test('the root volume is a 20 GiB gp3 volume encrypted with the key', () => {
    // THEN
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: {
        BlockDeviceMappings: [
          {
            DeviceName: '/dev/xvda',
            Ebs: {
              VolumeSize: 20,
              VolumeType: 'gp3',
              Encrypted: true,
              DeleteOnTermination: true,
              KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
            },
          },
        ],
      },
    });
  });

  test('the default machine image is the latest Amazon Linux 2023, resolved from its public SSM parameter at each launch', () => {
    // THEN: EC2 resolves `resolve:ssm:` at launch, so a new image needs no new launch template
    // version (https://docs.aws.amazon.com/autoscaling/ec2/userguide/using-systems-manager-parameters.html)
    template.allResourcesProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64',
      }),
    });
    // and no CloudFormation parameter resolves it at deploy
    expect(Object.keys(template.toJSON().Parameters ?? {}).filter((p) => p.startsWith('SsmParameterValue'))).toEqual(
      [],
    );
  });

  test('the placeholder user data starts an HTTPS server on 443 that answers /health', () => {
    // THEN
    expect(userDataText(template)).toMatch(/HEALTH_PATH = "\/health"[\s\S]*ThreadingHTTPServer\(\('0\.0\.0\.0', 443\)/);
  });

  // PCI DSS v4.0.1 10.2.1, 10.3.3: host logs leave the host. The CloudWatch agent is installed and
  // configured first, in a part of its own, then the application's user data runs.
  test('the user data ships the host logs with the CloudWatch agent before the application starts', () => {
    // THEN
    const text = userDataText(template);
    const agent = text.indexOf('dnf install -y amazon-cloudwatch-agent rsyslog');
    const application = text.indexOf('HEALTH_PATH');
    expect(text).toMatch(/^Content-Type: multipart\/mixed/);
    expect(agent).toBeGreaterThan(0);
    expect(application).toBeGreaterThan(agent);
    expect(text).toContain('amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:');
    for (const file of ['/var/log/secure', '/var/log/messages', '/var/log/audit/audit.log']) {
      expect(text).toContain(`"file_path": "${file}"`);
    }
    expect(text).toContain(`"log_group_name": "${JSON.stringify(stack.resolve(hostLogGroupName(stack)))}"`);
  });

  // PCI DSS v4.0.1 8.2.2, 10.2.1.2: "Logging isn't available for Session Manager sessions that
  // connect through port forwarding or SSH"
  // (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-logging.html):
  // the host setup stops and masks sshd, first, and removes the shared ssm-user's sudo.
  test('the host setup masks sshd and removes the ssm-user sudoers drop-in before anything else', () => {
    // THEN
    const text = userDataText(template);
    const mask = text.indexOf('systemctl mask sshd.service sshd.socket');
    expect(mask).toBeGreaterThan(0);
    expect(mask).toBeLessThan(text.indexOf('dnf install -y amazon-cloudwatch-agent'));
    expect(text).toContain('systemctl disable --now sshd.service sshd.socket');
    expect(text).toContain('rm -f /etc/sudoers.d/ssm-agent-users');
    expect(text).not.toContain('useradd');
  });

  // PCI DSS v4.0.1 7.2.5: AmazonSSMManagedInstanceCore allows ssm:GetParameter(s) on every
  // parameter and CloudWatchAgentServerPolicy logs:PutRetentionPolicy and CreateLogGroup on every
  // log group (AWS managed policy reference). Neither, nor any other AWS managed policy, may come back.
  test('the instance role has no AWS managed policy and no wildcard read of parameters or write of log settings', () => {
    // THEN
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    expect(roles).toHaveLength(1);
    expect(roles[0].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'ec2.amazonaws.com' } }),
    ]);
    expect(JSON.stringify(roles[0].Properties.ManagedPolicyArns ?? [])).not.toContain(':iam::aws:policy/');
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const statements: any[] = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement,
    );
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(
      actions.filter((a) => /^ssm:GetParameter|^logs:(PutRetentionPolicy|CreateLogGroup|Delete)|\*$/.test(a)),
    ).toEqual([]);
    // Resource * only for actions without a resource type in the Service Authorization Reference
    expect(statements.filter((s) => s.Resource === '*').map((s) => s.Action)).toEqual([
      [
        'ssmmessages:CreateControlChannel',
        'ssmmessages:CreateDataChannel',
        'ssmmessages:OpenControlChannel',
        'ssmmessages:OpenDataChannel',
      ],
      ['ssm:PutInventory', 'ssm:GetDeployablePatchSnapshotForInstance'],
    ]);
  });

  // https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-iam-instance-profile.html
  test('the instance policy allows Session Manager, writing the host log streams and signalling this stack, nothing more', () => {
    // THEN
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: logicalIdOf(tier.instanceRole) }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: 'ssm:UpdateInstanceInformation' }),
          Match.objectLike({ Action: Match.arrayWith(['ssmmessages:OpenDataChannel']), Resource: '*' }),
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HostLogs'), 'Arn'] },
          },
          // the release signals, on this stack only
          { Effect: 'Allow', Action: 'cloudformation:SignalResource', Resource: { Ref: 'AWS::StackId' } },
          Match.objectLike({ Sid: 'ReportInventoryAndPatchState' }),
          Match.objectLike({ Sid: 'ReportAssociationsOfThisAccountsInstances' }),
          Match.objectLike({ Sid: 'ReadAndReportThisAccountsAssociations' }),
          Match.objectLike({ Sid: 'ReadSystemsManagerBuckets' }),
          Match.objectLike({ Sid: 'ReadTheReportingDocuments' }),
        ],
      },
    });
  });

  // PCI DSS v4.0.1 6.3.2, 6.3.3, 11.3.1: the account's inventory and patch-scan associations
  // (Quick Setup, patch policies, Amazon Inspector) run through the SSM agent with the instance's
  // credentials; these are the inventory and patch actions of AmazonSSMManagedInstanceCore
  // (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html),
  // each on the resource types of the Service Authorization Reference
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html).
  test('the instances may report inventory and patch state, on this account’s instances and associations and the two AWS documents', () => {
    // THEN
    const statements: any[] = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement,
    );
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid);
    const arn = (service: string, resource: string, account: any = { Ref: 'AWS::AccountId' }) => ({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, `:${service}:eu-west-1:`, account, `:${resource}`].filter(
          (part) => part !== '',
        ),
      ],
    });
    expect(bySid('ReportInventoryAndPatchState')).toEqual({
      Sid: 'ReportInventoryAndPatchState',
      Effect: 'Allow',
      Action: ['ssm:PutInventory', 'ssm:GetDeployablePatchSnapshotForInstance'],
      Resource: '*',
    });
    expect(bySid('ReportAssociationsOfThisAccountsInstances')).toMatchObject({
      Action: ['ssm:ListInstanceAssociations', 'ssm:PutComplianceItems', 'ssm:UpdateInstanceAssociationStatus'],
      Resource: arn('ec2', 'instance/*'),
    });
    expect(bySid('ReadAndReportThisAccountsAssociations')).toMatchObject({
      Action: ['ssm:DescribeAssociation', 'ssm:UpdateInstanceAssociationStatus'],
      Resource: arn('ssm', 'association/*'),
    });
    expect(JSON.stringify(bySid('ReadTheReportingDocuments').Resource)).toEqual(
      expect.stringContaining(':*:document/AWS-RunPatchBaseline'),
    );
    expect(bySid('ReadTheReportingDocuments')).toMatchObject({ Action: ['ssm:GetDocument', 'ssm:DescribeDocument'] });
  });

  // Through a VPC endpoint, SSM Agent reads AWS's buckets with the instance's credentials: "you must
  // provide explicit permission in an Amazon EC2 instance profile ... Otherwise, your resources can't
  // access these public buckets"
  // (https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html).
  test('the instances may read the objects of the AWS-owned buckets SSM Agent reads, and no other bucket', () => {
    // THEN
    const statements: any[] = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement,
    );
    const s3 = statements.filter((s) => JSON.stringify(s.Action).includes('s3:'));
    expect(s3).toHaveLength(1);
    expect(s3[0].Sid).toBe('ReadSystemsManagerBuckets');
    expect(s3[0].Action).toBe('s3:GetObject');
    const buckets = s3[0].Resource.map((arn: any) =>
      arn['Fn::Join'][1]
        .map((part: any) => (typeof part === 'string' ? part : part.Ref === 'AWS::Region' ? '<region>' : '')) // the partition dropped
        .join(''),
    );
    expect(buckets).toEqual([
      'arn::s3:::amazon-ssm-<region>/*',
      'arn::s3:::aws-ssm-<region>/*',
      'arn::s3:::aws-ssm-document-attachments-<region>/*',
      'arn::s3:::patch-baseline-snapshot-<region>/*',
      'arn::s3:::patch-baseline-snapshot-me-south-1-uduvl7q8/*',
      'arn::s3:::patch-baseline-snapshot-af-south-1-tbxdb5b9/*',
    ]);
  });

  test('the HTTPS listener forwards to the target group with the certificate', () => {
    // THEN
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: CERTIFICATE_ARN }],
      SslPolicy: elbv2.SslPolicy.TLS13_12_RES_PQ,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: stack.resolve(tier.targetGroup.targetGroupArn) }],
    });
    expect(stack.resolve(tier.httpsListener.listenerArn)).toEqual({ Ref: logicalIdOf(tier.httpsListener) });
  });

  test('the Route 53 health check requests the load balancer over HTTPS with SNI', () => {
    // THEN
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'HTTPS',
        FullyQualifiedDomainName: stack.resolve(tier.loadBalancer.loadBalancerDnsName),
        Port: 443,
        ResourcePath: '/health',
        RequestInterval: 10,
        FailureThreshold: 3,
        MeasureLatency: true,
        EnableSNI: true,
      },
    });
  });

  // PCI DSS v4.0.1 6.3.3 (patches within a month): every instance is replaced onto the current
  // image within 30 days, launching the replacement first so that capacity never dips.
  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-max-instance-lifetime.html
  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-instance-maintenance-policy.html
  test('instances live at most 30 days and are replaced launch-before-terminate', () => {
    // THEN
    template.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', {
      MaxInstanceLifetime: 2592000,
      InstanceMaintenancePolicy: { MinHealthyPercentage: 100, MaxHealthyPercentage: 200 },
    });
  });

  // AWS ELB best practices (HTTP desync mitigation): strictest refuses every request that is not
  // RFC 7230 compliant.
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#desync-mitigation-mode
  test('the load balancer refuses requests that are not RFC 7230 compliant (desync mitigation strictest)', () => {
    // THEN
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'routing.http.desync_mitigation_mode', Value: 'strictest' }]),
    });
  });

  test('it is the failover target of its own load balancer and health check', () => {
    // WHEN
    const target: IFailoverTarget = tier;

    // THEN
    expect(target.failoverLoadBalancer).toBe(tier.loadBalancer);
    expect(target.failoverHealthCheck).toBe(tier.routingHealthCheck);
  });

  test('the fixed-capacity warning is acknowledged: only the any-IPv4 egress, placeholder and SSM image warnings remain', () => {
    // THEN
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue());
    expect(warnings.map((w) => String(w.entry.data))).toEqual([
      expect.stringContaining('[ack: multi-az-failover-service:egressAnyIpv4]'),
      expect.stringContaining('[ack: multi-az-failover-service:placeholderApplication]'),
      expect.stringContaining('[ack: multi-az-failover-service:imageFromSsm]'),
    ]);
  });
});

describe('options', () => {
  // Route 53 changes an endpoint's status after this many consecutive failed (or passed) checks:
  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html
  test.each([1, 2, 10])('healthCheckFailureThreshold %d becomes the health check failure threshold', (threshold) => {
    // GIVEN / WHEN
    const { template: t } = newTier(() => ({ healthCheckFailureThreshold: threshold }));

    // THEN
    t.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({ RequestInterval: 10, FailureThreshold: threshold }),
    });
  });

  test('availabilityZones may be a subset of the VPC zones', () => {
    // WHEN
    const { tier, template } = newTier(() => ({ availabilityZones: ['eu-west-1a', 'eu-west-1c'] }));

    // THEN
    expect(tier.autoScalingGroups).toHaveLength(2);
    expect(tier.instanceCount).toBe(4);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Subnets: [publicSubnetId('eu-west-1a'), publicSubnetId('eu-west-1c')],
    });
    for (const az of ['eu-west-1a', 'eu-west-1c']) {
      template.resourcePropertiesCountIs(
        'AWS::AutoScaling::AutoScalingGroup',
        { VPCZoneIdentifier: [privateSubnetId(az)] },
        1,
      );
    }
  });

  test('zones that are tokens (a new VPC in an environment-agnostic account) are accepted', () => {
    // GIVEN
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'NewVpc', { maxAzs: 2 });

    // WHEN
    const { tier } = newTier(() => ({ vpc, availabilityZones: vpc.availabilityZones }), stack);

    // THEN
    expect(tier.autoScalingGroups).toHaveLength(2);
  });

  test('instancesPerAz sizes every group', () => {
    // WHEN
    const { template } = newTier(() => ({ instancesPerAz: 5 }));

    // THEN
    template.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', {
      MinSize: '5',
      MaxSize: '5',
      DesiredCapacity: '5',
    });
  });

  test('a secondary tier describes itself as secondary and logs under "secondary"', () => {
    // WHEN
    const { template } = newTier(() => ({ priority: FailoverPriority.SECONDARY }));

    // THEN
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Internet-facing ALB of the secondary tier: HTTPS only',
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription:
        'Instances of the secondary tier: HTTPS from the tier ALB only, HTTPS out to VPC endpoints and S3',
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'access_logs.s3.prefix', Value: 'secondary' }]),
    });
  });

  test('httpRedirect opens port 80 to a listener that only redirects to HTTPS on 443', () => {
    // WHEN
    const { stack, tier, template } = newTier(() => ({ httpRedirect: true }));

    // THEN
    template.resourcePropertiesCountIs(
      'AWS::ElasticLoadBalancingV2::Listener',
      {
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [
          { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
        ],
      },
      1,
    );
    const group = template.toJSON().Resources[logicalIdOf(tier.loadBalancerSecurityGroup)];
    expect(group.Properties.SecurityGroupIngress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80 }),
    ]);
    expect(group.Properties.GroupDescription).toBe(
      'Internet-facing ALB of the primary tier: HTTPS, and HTTP for the redirect',
    );
    expect(stack.resolve(tier.loadBalancer.loadBalancerArn)).toEqual({ Ref: logicalIdOf(tier.loadBalancer) });
  });

  test('accessLogsPrefix overrides the log prefix', () => {
    // WHEN
    const { template } = newTier(() => ({ accessLogsPrefix: 'payments/eu' }));

    // THEN
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'access_logs.s3.prefix', Value: 'payments/eu' }]),
    });
  });

  test('alarmTopic receives the Auto Scaling notifications and the alarm and OK actions', () => {
    // WHEN
    const { tier, template } = newTier((s) => ({ alarmTopic: new sns.Topic(s, 'Topic') }));

    // THEN
    const topic = { Ref: Match.stringLikeRegexp('^Topic') };
    template.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', {
      NotificationConfigurations: [
        {
          TopicARN: topic,
          NotificationTypes: [
            'autoscaling:EC2_INSTANCE_LAUNCH',
            'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
            'autoscaling:EC2_INSTANCE_TERMINATE',
            'autoscaling:EC2_INSTANCE_TERMINATE_ERROR',
          ],
        },
      ],
    });
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topic], OKActions: [topic] });
    const latencyAlarms = template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: 'TargetResponseTime', Statistic: 'Average' },
    });
    template.allResourcesProperties('AWS::CloudWatch::CompositeAlarm', { AlarmActions: [topic], OKActions: [topic] });
    expect(Object.keys(latencyAlarms)).toEqual([logicalIdOf(tier.alarms.latencyAlarm)]);
  });

  test('webAclArn associates the web ACL with the load balancer', () => {
    // WHEN
    const { stack, tier, template } = newTier(() => ({ webAclArn: WEB_ACL_ARN }));

    // THEN
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: stack.resolve(tier.loadBalancer.loadBalancerArn),
      WebACLArn: WEB_ACL_ARN,
    });
  });

  test('deletionProtection: true turns it on', () => {
    // WHEN
    const { template } = newTier(() => ({ deletionProtection: true }));

    // THEN
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'true' }]),
    });
  });

  test('instanceType, machineImage and rootVolumeSize reach the launch template', () => {
    // WHEN
    const { template } = newTier(() => ({
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.M5, ec2.InstanceSize.LARGE),
      machineImage: ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-0123456789abcdef0' }),
      rootVolumeSize: Size.gibibytes(100),
    }));

    // THEN
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        InstanceType: 'm5.large',
        ImageId: 'ami-0123456789abcdef0',
        BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ VolumeSize: 100 }) })],
      }),
    });
  });

  test('healthCheckPath reaches the target group, the health check and the placeholder server', () => {
    // WHEN
    const { template } = newTier(() => ({ healthCheckPath: '/ready' }));

    // THEN
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/ready' });
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({ ResourcePath: '/ready' }),
    });
    expect(userDataText(template)).toContain('HEALTH_PATH = "/ready"');
  });

  // Session Manager refuses a Run As session whose OS user does not exist on the node
  // (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-preferences-run-as.html).
  test("operatorUsers creates each operator's OS user without a password and without sudo", () => {
    // GIVEN / WHEN
    const { template } = newTier(() => ({ operatorUsers: ['alice', 'bob'] }));

    // THEN
    const text = userDataText(template);
    for (const user of ['alice', 'bob']) {
      expect(text).toContain(
        `id -u ${user} >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --groups systemd-journal ${user}`,
      );
    }
    expect(text).not.toMatch(/wheel|NOPASSWD|chpasswd|--password/);
  });

  test('operatorUsers is validated by the tier too', () => {
    expect(() => newTier(() => ({ operatorUsers: ['root'] }))).toThrow(
      '`operatorUsers` must not name an account that exists on the image or that Session Manager refuses (root, ssm-user, ec2-user, nobody, bin, daemon, adm, sshd), got: "root"',
    );
  });

  test('userData replaces the placeholder server', () => {
    // GIVEN
    const userData = ec2.UserData.forLinux();
    userData.addCommands('systemctl start payment-api');

    // WHEN
    const { template } = newTier(() => ({ userData }));

    // THEN: the application's part, after the host-logging part; the object itself is unchanged
    const text = userDataText(template);
    expect(text).toContain('#!/bin/bash\nsystemctl start payment-api\n');
    expect(text).not.toContain('HEALTH_PATH');
    expect(userData.render()).toBe('#!/bin/bash\nsystemctl start payment-api');
  });

  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html:
  // AlarmActions "Maximum number of 5 items"; every alarm of the tier also notifies the topic.
  test.each([
    [
      true,
      5,
      '`alarmActions` must list at most 4 actions: a CloudWatch alarm takes 5, and one is the alarm topic, got: 5',
    ],
    [false, 6, '`alarmActions` must list at most 5 actions: a CloudWatch alarm takes 5, got: 6'],
  ])('with a topic %s, %d alarmActions are rejected', (withTopic, count, message) => {
    // WHEN / THEN
    expect(() =>
      newTier((stack) => ({
        alarmTopic: withTopic ? new sns.Topic(stack, 'Topic') : undefined,
        alarmActions: Array.from(
          { length: count },
          (_, i) =>
            new cw_actions.SnsAction(
              sns.Topic.fromTopicArn(stack, `Pager${i}`, `arn:aws:sns:eu-west-1:111122223333:p${i}`),
            ),
        ),
      })),
    ).toThrow(message);
  });

  test('without hostNames, the listener forwards every request', () => {
    // WHEN
    const { template } = newTier();

    // THEN
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
  });

  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html:
  // "You can specify up to three match evaluations per condition", and a rule has at most one
  // host-header condition: the names and the load balancer's own go into rules of three.
  test('hostNames and the load balancer name are split into listener rules of three host values', () => {
    // WHEN
    const { template } = newTier(() => ({
      hostNames: ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com'],
    }));

    // THEN
    const rules = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'));
    expect(
      rules.map((rule) => [rule.Properties.Priority, rule.Properties.Conditions[0].HostHeaderConfig.Values]),
    ).toEqual([
      [1, ['a.example.com', 'b.example.com', 'c.example.com']],
      [2, ['d.example.com', { 'Fn::GetAtt': [expect.stringMatching(/^TierLoadBalancer/), 'DNSName'] }]],
    ]);
  });

  test.each([
    [[], '`hostNames` must list 1 to 8 host names, got 0: []'],
    [
      Array.from({ length: 9 }, (_, i) => `h${i}.example.com`),
      '`hostNames` must list 1 to 8 host names, got 9: ["h0.example.com","h1.example.com","h2.example.com","h3.example.com","h4.example.com","h5.example.com","h6.example.com","h7.example.com","h8.example.com"]',
    ],
    [
      ['api.example.com/path'],
      '`hostNames` must list host names of up to 128 letters, digits, -, ., * and ?, got: "api.example.com/path"',
    ],
    [
      ['*.?.*.example.com', '*.*.example.org', '*.example.net'],
      '`hostNames` must have at most 5 wildcards (* and ?) in each listener rule of 3 names, got 6 in: ["*.?.*.example.com","*.*.example.org","*.example.net"]',
    ],
  ])('hostNames %j is rejected', (hostNames, message) => {
    // WHEN / THEN
    expect(() => newTier(() => ({ hostNames }))).toThrow(message);
  });

  test('parameterPrefix lets the instances read the parameters under that path only', () => {
    // WHEN
    const { template } = newTier(() => ({ parameterPrefix: '/payments/api' }));

    // THEN
    const arn = (name: string) => ({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':ssm:eu-west-1:', { Ref: 'AWS::AccountId' }, `:parameter/${name}`],
      ],
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
            Resource: [arn('payments/api'), arn('payments/api/*')],
          },
        ]),
      },
    });
  });

  test.each([
    ['payments/api', '"payments/api"'],
    ['/', '"/"'],
    ['/aws/service', '"/aws/service"'],
    ['/payments api', '"/payments api"'],
  ])('parameterPrefix %s is rejected', (parameterPrefix, shown) => {
    // WHEN / THEN
    expect(() => newTier(() => ({ parameterPrefix }))).toThrow(
      `\`parameterPrefix\` must be a Parameter Store path such as /payments/api/ (slash-separated letters, digits, _, . and -, not under /aws or /ssm, at most 1000 characters), got: ${shown}`,
    );
  });

  // https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-iam-instance-profile.html
  // ("Creating a role with permissions for Session Manager and CloudWatch Logs", KMS encryption).
  test('sessionLogs lets the instances stream sessions to that log group and decrypt with the session key', () => {
    // WHEN
    const { template } = newTier((s) => ({
      sessionLogs: { logGroup: new logs.LogGroup(s, 'SessionLogs'), encryptionKey: new kms.Key(s, 'SessionKey') },
    }));

    // THEN
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SessionLogs'), 'Arn'] },
          },
          // No resource type in the Service Authorization Reference: `*`, in its own statement.
          { Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
          {
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SessionKey'), 'Arn'] },
          },
        ]),
      },
    });
  });

  test('deregistrationDelay, unhealthyHostThresholdPercent and latencyThreshold are applied', () => {
    // WHEN
    const { tier, template } = newTier(() => ({
      deregistrationDelay: Duration.seconds(120),
      unhealthyHostThresholdPercent: 25,
      latencyThreshold: Duration.millis(500),
    }));

    // THEN
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '120' }]),
    });
    expect(tier.alarms.unhealthyHostThreshold).toBe(1.5);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 25,
      AlarmDescription: 'More than 25% of the targets are unhealthy (1.5 of 6 at full capacity)',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'TargetResponseTime', Threshold: 0.5 });
  });

  test('sslPolicy sets the HTTPS listener policy', () => {
    // WHEN
    const { template } = newTier(() => ({ sslPolicy: elbv2.SslPolicy.FIPS_TLS13_12 }));

    // THEN
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
    });
  });
});

describe('validation', () => {
  const sevenZones = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((letter) => `eu-west-1${letter}`);

  test.each<[string, (stack: Stack) => ExtraProps, string]>([
    // Route 53 accepts a failure threshold from 1 to 10:
    // https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html
    [
      'healthCheckFailureThreshold 0',
      () => ({ healthCheckFailureThreshold: 0 }),
      '`healthCheckFailureThreshold` must be an integer from 1 to 10, got: 0',
    ],
    [
      'healthCheckFailureThreshold 11',
      () => ({ healthCheckFailureThreshold: 11 }),
      '`healthCheckFailureThreshold` must be an integer from 1 to 10, got: 11',
    ],
    [
      'healthCheckFailureThreshold 2.5',
      () => ({ healthCheckFailureThreshold: 2.5 }),
      '`healthCheckFailureThreshold` must be an integer from 1 to 10, got: 2.5',
    ],
    ['instancesPerAz 0', () => ({ instancesPerAz: 0 }), '`instancesPerAz` must be an integer from 1 to 100, got: 0'],
    [
      'instancesPerAz 2.5',
      () => ({ instancesPerAz: 2.5 }),
      '`instancesPerAz` must be an integer from 1 to 100, got: 2.5',
    ],
    [
      'deregistrationDelay 2 hours',
      () => ({ deregistrationDelay: Duration.hours(2) }),
      '`deregistrationDelay` must be a whole number of seconds from 0 to 3600 seconds, got: 2 hours',
    ],
    [
      'healthCheckPath "health"',
      () => ({ healthCheckPath: 'health' }),
      '`healthCheckPath` must be an absolute path of 1 to 255 printable characters without spaces, starting with "/", got: "health"',
    ],
    [
      'a single zone',
      () => ({ availabilityZones: ['eu-west-1a'] }),
      '`availabilityZones` must list 2 to 6 Availability Zones, got 1: ["eu-west-1a"]',
    ],
    [
      'a zone without public subnets',
      () => ({ availabilityZones: ['eu-west-1a', 'eu-west-1f'] }),
      '`availabilityZones` must only name zones in which `vpc` has public subnets (["eu-west-1a","eu-west-1b","eu-west-1c"]), got: "eu-west-1f"',
    ],
    [
      'a VPC without private subnets',
      (stack) => ({
        vpc: ec2.Vpc.fromVpcAttributes(stack, 'PublicOnlyVpc', {
          vpcId: 'vpc-0123456789abcdef1',
          availabilityZones: ['eu-west-1a', 'eu-west-1b'],
          publicSubnetIds: ['subnet-0000000000000a001', 'subnet-0000000000000b001'],
          publicSubnetRouteTableIds: ['rtb-0000000000000a001', 'rtb-0000000000000b001'],
        }),
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      }),
      '`vpc` must have private subnets with egress (PRIVATE_WITH_EGRESS: the instances reach AWS APIs and package repositories through VPC endpoints or NAT) in every chosen Availability Zone, got: no private subnets with egress',
    ],
    [
      'sslPolicy TLS11',
      () => ({ sslPolicy: elbv2.SslPolicy.TLS11 }),
      '`sslPolicy` must only allow TLS 1.2 and newer (for example ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09), got: ELBSecurityPolicy-TLS-1-1-2017-01',
    ],
    [
      'sslPolicy FIPS_TLS13_10',
      () => ({ sslPolicy: elbv2.SslPolicy.FIPS_TLS13_10 }),
      '`sslPolicy` must only allow TLS 1.2 and newer (for example ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09), got: ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04',
    ],
    [
      'rootVolumeSize 7 GiB',
      () => ({ rootVolumeSize: Size.gibibytes(7) }),
      '`rootVolumeSize` must be a whole number of GiB from 8 to 16384, got: 7 GiB',
    ],
    [
      'unhealthyHostThresholdPercent 150',
      () => ({ unhealthyHostThresholdPercent: 150 }),
      '`unhealthyHostThresholdPercent` must be a number greater than 0 and at most 100, got: 150',
    ],
    [
      'latencyThreshold 0 s',
      () => ({ latencyThreshold: Duration.seconds(0) }),
      '`latencyThreshold` must be a duration greater than 0 and at most 3600 seconds, got: 0 seconds',
    ],
    [
      'instancesPerAz 1.5',
      () => ({ instancesPerAz: 1.5 }),
      '`instancesPerAz` must be an integer from 1 to 100, got: 1.5',
    ],
    [
      'instancesPerAz 101',
      () => ({ instancesPerAz: 101 }),
      '`instancesPerAz` must be an integer from 1 to 100, got: 101',
    ],
    [
      'deregistrationDelay 3601 s',
      () => ({ deregistrationDelay: Duration.seconds(3601) }),
      '`deregistrationDelay` must be a whole number of seconds from 0 to 3600 seconds, got: 1 hour 1 second',
    ],
    [
      'deregistrationDelay 1500 ms',
      () => ({ deregistrationDelay: Duration.millis(1500) }),
      '`deregistrationDelay` must be a whole number of seconds from 0 to 3600 seconds, got: 1 second 500 millis',
    ],
    [
      'healthCheckPath "has space"',
      () => ({ healthCheckPath: 'has space' }),
      '`healthCheckPath` must be an absolute path of 1 to 255 printable characters without spaces, starting with "/", got: "has space"',
    ],
    [
      'healthCheckPath "/has space"',
      () => ({ healthCheckPath: '/has space' }),
      '`healthCheckPath` must be an absolute path of 1 to 255 printable characters without spaces, starting with "/", got: "/has space"',
    ],
    [
      'healthCheckPath of 256 characters',
      () => ({ healthCheckPath: `/${'a'.repeat(255)}` }),
      `\`healthCheckPath\` must be an absolute path of 1 to 255 printable characters without spaces, starting with "/", got: "/${'a'.repeat(255)}"`,
    ],
    [
      'rootVolumeSize 4 GiB',
      () => ({ rootVolumeSize: Size.gibibytes(4) }),
      '`rootVolumeSize` must be a whole number of GiB from 8 to 16384, got: 4 GiB',
    ],
    [
      'rootVolumeSize 17 TiB',
      () => ({ rootVolumeSize: Size.tebibytes(17) }),
      '`rootVolumeSize` must be a whole number of GiB from 8 to 16384, got: 17408 GiB',
    ],
    [
      'rootVolumeSize not a whole number of GiB',
      () => ({ rootVolumeSize: Size.mebibytes(10240 + 512) }),
      '`rootVolumeSize` must be a whole number of GiB from 8 to 16384, got: 10.5 GiB',
    ],
    [
      'seven Availability Zones',
      () => ({ availabilityZones: sevenZones }),
      `\`availabilityZones\` must list 2 to 6 Availability Zones, got 7: ${JSON.stringify(sevenZones)}`,
    ],
    [
      'an empty list of Availability Zones',
      () => ({ availabilityZones: [] }),
      '`availabilityZones` must list 2 to 6 Availability Zones, got 0: []',
    ],
    [
      'a repeated Availability Zone',
      () => ({ availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1a'] }),
      '`availabilityZones` must not repeat an Availability Zone, got "eu-west-1a" twice in ["eu-west-1a","eu-west-1b","eu-west-1a"]',
    ],
    [
      'a region name instead of a zone name',
      () => ({ availabilityZones: ['eu-west-1', 'eu-west-1b'] }),
      '`availabilityZones` must contain Availability Zone names such as "us-east-1a", got: "eu-west-1" in ["eu-west-1","eu-west-1b"]',
    ],
    [
      'a list token as availabilityZones',
      () => ({ availabilityZones: Fn.getAzs() }),
      '`availabilityZones` must be a list of 2 to 6 Availability Zone names, not a list token',
    ],
    [
      'a zone the VPC has no subnets in',
      () => ({ availabilityZones: ['eu-west-1a', 'eu-west-1d'] }),
      '`availabilityZones` must only name zones in which `vpc` has public subnets (["eu-west-1a","eu-west-1b","eu-west-1c"]), got: "eu-west-1d"',
    ],
    [
      'sslPolicy LEGACY (TLS 1.0)',
      () => ({ sslPolicy: elbv2.SslPolicy.LEGACY }),
      '`sslPolicy` must only allow TLS 1.2 and newer (for example ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09), got: ELBSecurityPolicy-TLS-1-0-2015-04',
    ],
    [
      'sslPolicy TLS13_11 (TLS 1.1)',
      () => ({ sslPolicy: elbv2.SslPolicy.TLS13_11 }),
      '`sslPolicy` must only allow TLS 1.2 and newer (for example ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09), got: ELBSecurityPolicy-TLS13-1-1-2021-06',
    ],
    [
      'sslPolicy RECOMMENDED (TLS 1.0)',
      () => ({ sslPolicy: elbv2.SslPolicy.RECOMMENDED }),
      '`sslPolicy` must only allow TLS 1.2 and newer (for example ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09), got: ELBSecurityPolicy-2016-08',
    ],
    [
      'sslPolicy FORWARD_SECRECY_TLS11',
      () => ({ sslPolicy: elbv2.SslPolicy.FORWARD_SECRECY_TLS11 }),
      '`sslPolicy` must only allow TLS 1.2 and newer (for example ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09), got: ELBSecurityPolicy-FS-1-1-2019-08',
    ],
    [
      'zones of another region',
      () => ({ availabilityZones: ['us-east-1a', 'us-east-1b'] }),
      '`availabilityZones` must name Availability Zones of the stack\'s region eu-west-1 (such as "eu-west-1a"), got: "us-east-1a" in ["us-east-1a","us-east-1b"]',
    ],
    [
      'a misspelt zone',
      () => ({ availabilityZones: ['eu-west-1a', 'eu-wset-1b'] }),
      '`availabilityZones` must name Availability Zones of the stack\'s region eu-west-1 (such as "eu-west-1a"), got: "eu-wset-1b" in ["eu-west-1a","eu-wset-1b"]',
    ],
    [
      'a VPC whose zones are tokens, with zone names',
      (stack) => ({
        vpc: new ec2.Vpc(stack, 'RegionOnlyVpc', { maxAzs: 3 }),
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      }),
      '`availabilityZones` names "eu-west-1a", but the Availability Zones of `vpc` are unknown at synth time (a VPC created without `availabilityZones` in a stack without a concrete account): create the VPC with `availabilityZones: ["eu-west-1a","eu-west-1b"]`',
    ],
    [
      'a VPC with isolated subnets only',
      (stack) => ({
        vpc: new ec2.Vpc(stack, 'IsolatedVpc', {
          availabilityZones: ['eu-west-1a', 'eu-west-1b'],
          natGateways: 0,
          subnetConfiguration: [
            { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
            { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
          ],
        }),
      }),
      '`vpc` must have private subnets with egress (PRIVATE_WITH_EGRESS: the instances reach AWS APIs and package repositories through VPC endpoints or NAT) in every chosen Availability Zone, got: no private subnets with egress (it has 2 isolated subnets)',
    ],
    [
      'an empty healthCheckSearchString',
      () => ({ healthCheckSearchString: '' }),
      '`healthCheckSearchString` must be 1 to 255 characters long, got 0: ""',
    ],
    [
      'maxInstanceLifetime of 0 days',
      () => ({ maxInstanceLifetime: Duration.days(0) }),
      '`maxInstanceLifetime` must be a whole number of days from 1 to 365 days, got: 0 days',
    ],
    [
      'maxInstanceLifetime of 366 days',
      () => ({ maxInstanceLifetime: Duration.days(366) }),
      '`maxInstanceLifetime` must be a whole number of days from 1 to 365 days, got: 366 days',
    ],
  ])('rejects %s', (_name, props, message) => {
    // WHEN / THEN
    expect(() => newTier(props)).toThrow(message);
  });
});

describe('egress (PCI DSS v4.0.1 1.3.2)', () => {
  const S3_LIST = 'pl-0123456789abcdef0';
  const PARTNER_LIST = 'pl-0fedcba9876543210';

  /** The imported test VPC, with its CIDR known. */
  function vpcWithCidr(stack: Stack): ec2.IVpc {
    return ec2.Vpc.fromVpcAttributes(stack, 'CidrVpc', {
      vpcId: 'vpc-0123456789abcdef0',
      vpcCidrBlock: '10.1.0.0/16',
      availabilityZones: AZS,
      publicSubnetIds: AZS.map(publicSubnetId),
      privateSubnetIds: AZS.map(privateSubnetId),
    });
  }

  /**
   * The egress rules of the tier's instance security group: inline ones (CIDR peers) first, then
   * the `AWS::EC2::SecurityGroupEgress` resources aws-cdk-lib makes for prefix-list peers.
   */
  function instanceEgress(tier: FailoverTier, template: Template): unknown[] {
    const groupId = logicalIdOf(tier.instanceSecurityGroup);
    const standalone = Object.values(
      template.findResources('AWS::EC2::SecurityGroupEgress', {
        Properties: { GroupId: { 'Fn::GetAtt': [groupId, 'GroupId'] } },
      }),
    ).map((r) => r.Properties);
    return [...template.toJSON().Resources[groupId].Properties.SecurityGroupEgress, ...standalone];
  }

  const https = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443 };

  test('ENDPOINTS_ONLY (the default): HTTPS to the VPC (its interface endpoints) and to S3, nothing else', () => {
    // WHEN
    const { tier, template } = newTier((s) => ({ vpc: vpcWithCidr(s) }));

    // THEN: S3 has no CloudFormation-readable prefix list id, so its rule is 443 to any IPv4
    // address, which the construct's VPC routes only to the S3 gateway endpoint
    expect(instanceEgress(tier, template)).toEqual([
      expect.objectContaining({ ...https, CidrIp: '10.1.0.0/16' }),
      expect.objectContaining({ ...https, CidrIp: '0.0.0.0/0' }),
    ]);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription:
        'Instances of the primary tier: HTTPS from the tier ALB only, HTTPS out to VPC endpoints and S3',
    });
  });

  test('ENDPOINTS_ONLY with the S3 prefix list: the security group itself allows only the VPC and S3', () => {
    // WHEN
    const { tier, template } = newTier((s) => ({
      vpc: vpcWithCidr(s),
      egressPrefixLists: [ec2.PrefixList.fromPrefixListId(s, 'S3', S3_LIST)],
    }));

    // THEN
    expect(instanceEgress(tier, template)).toEqual([
      expect.objectContaining({ ...https, CidrIp: '10.1.0.0/16' }),
      expect.objectContaining({ ...https, DestinationPrefixListId: S3_LIST }),
    ]);
  });

  test.each<[string, EgressMode, string]>([
    [
      'ENDPOINTS_ONLY',
      EgressMode.ENDPOINTS_ONLY,
      "only the VPC's routes (no route off the VPC but the S3 gateway endpoint's) keep it to S3",
    ],
    ['INTERNET', EgressMode.INTERNET, 'through the NAT gateways, anywhere on the internet'],
  ])(
    '%s without egressPrefixLists: synth warns that the group allows 0.0.0.0/0 (egressAnyIpv4)',
    (_, egress, where) => {
      // WHEN
      const { stack } = newTier((s) => ({ vpc: vpcWithCidr(s), egress }));

      // THEN: the S3 prefix list id cannot be read from CloudFormation
      // (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html: "You can reference the
      // ID of the prefix list for Amazon S3 in security group rules"; its id differs per Region)
      const warnings = Annotations.fromStack(stack).findWarning(
        '*',
        Match.stringLikeRegexp('allows HTTPS to 0.0.0.0/0'),
      );
      expect(warnings).toHaveLength(1);
      expect(String(warnings[0].entry.data)).toContain(where);
      expect(String(warnings[0].entry.data)).toContain('[ack: multi-az-failover-service:egressAnyIpv4]');
    },
  );

  test('with egressPrefixLists, no egressAnyIpv4 warning', () => {
    // WHEN
    const { stack } = newTier((s) => ({
      vpc: vpcWithCidr(s),
      egressPrefixLists: [ec2.PrefixList.fromPrefixListId(s, 'S3', S3_LIST)],
    }));

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('allows HTTPS to 0.0.0.0/0'));
  });

  test('ENDPOINTS_ONLY in a VPC imported without its CIDR: one rule, 443 to any IPv4 address', () => {
    // WHEN
    const { tier, template } = newTier();

    // THEN
    expect(instanceEgress(tier, template)).toEqual([expect.objectContaining({ ...https, CidrIp: '0.0.0.0/0' })]);
  });

  test('INTERNET: HTTPS to any IPv4 address through NAT, as before egress modes existed', () => {
    // WHEN
    const { tier, template } = newTier((s) => ({ vpc: vpcWithCidr(s), egress: EgressMode.INTERNET }));

    // THEN: the description is the old one, so the group is not replaced
    expect(instanceEgress(tier, template)).toEqual([
      expect.objectContaining({
        ...https,
        CidrIp: '0.0.0.0/0',
        Description: 'HTTPS to AWS APIs and package repositories',
      }),
    ]);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Instances of the primary tier: HTTPS from the tier ALB only, HTTPS out through NAT',
    });
  });

  test('INTERNET with allow-listed prefix lists: only the VPC and those lists', () => {
    // WHEN
    const { tier, template } = newTier((s) => ({
      vpc: vpcWithCidr(s),
      egress: EgressMode.INTERNET,
      egressPrefixLists: [
        ec2.PrefixList.fromPrefixListId(s, 'S3', S3_LIST),
        ec2.PrefixList.fromPrefixListId(s, 'Partner', PARTNER_LIST),
      ],
    }));

    // THEN
    expect(instanceEgress(tier, template)).toEqual([
      expect.objectContaining({ ...https, CidrIp: '10.1.0.0/16' }),
      expect.objectContaining({ ...https, DestinationPrefixListId: S3_LIST }),
      expect.objectContaining({ ...https, DestinationPrefixListId: PARTNER_LIST }),
    ]);
  });

  test('the Auto Scaling groups depend on their zone’s way out in either mode', () => {
    // GIVEN: a VPC with NAT (aws-cdk-lib's default) in the tier's zones
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'NatVpc', { availabilityZones: AZS });

    // WHEN
    const { template } = newTier(() => ({ vpc }), stack);

    // THEN
    for (const group of Object.values(template.findResources('AWS::AutoScaling::AutoScalingGroup'))) {
      expect(group.DependsOn).toEqual(
        expect.arrayContaining([expect.stringMatching(/^NatVpcPrivateSubnet\dDefaultRoute/)]),
      );
    }
  });

  test.each<[string, (stack: Stack) => ExtraProps, string]>([
    [
      'an empty egressPrefixLists',
      () => ({ egressPrefixLists: [] }),
      '`egressPrefixLists` must name at least one prefix list (leave it out for the default), got: []',
    ],
    [
      'egressPrefixLists in a VPC imported without its CIDR',
      (s) => ({ egressPrefixLists: [ec2.PrefixList.fromPrefixListId(s, 'S3', S3_LIST)] }),
      '`egressPrefixLists` needs a `vpc` whose CIDR is known, so that the instances can still reach its VPC endpoints (import it with `vpcCidrBlock`), got: a VPC without `vpcCidrBlock`',
    ],
  ])('%s is refused', (_name, props, message) => {
    expect(() => newTier(props)).toThrow(message);
  });
});

describe('zonal resilience', () => {
  let stack: Stack;
  let tier: FailoverTier;
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    ({ stack, tier, template } = newTier());
  });

  test("one zonal fleet per zone, keyed by the zone name, owns that zone's group", () => {
    // THEN
    expect(tier.zonalFleets.map((fleet) => fleet.availabilityZone)).toEqual(AZS);
    expect(tier.zonalFleets.map((fleet) => fleet.node.id)).toEqual(['ZoneEuWest1a', 'ZoneEuWest1b', 'ZoneEuWest1c']);
    expect(tier.autoScalingGroups).toEqual(tier.zonalFleets.map((fleet) => fleet.autoScalingGroup));
    // the group's construct id is unchanged: Tier/ZoneEuWest1a/AutoScalingGroup
    expect(tier.zonalFleets[0].autoScalingGroup.node.path).toBe('TestStack/Tier/ZoneEuWest1a/AutoScalingGroup');
  });

  // https://docs.aws.amazon.com/r53recovery/latest/dg/arc-zonal-shift.resource-types.app-load-balancers.html
  test('zonal shift is on for the load balancer, with a 300-second client keep-alive', () => {
    // THEN
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'zonal_shift.config.enabled', Value: 'true' },
        { Key: 'client_keep_alive.seconds', Value: '300' },
      ]),
    });
  });

  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-zonal-shift.html:
  // IgnoreUnhealthy keeps Auto Scaling from replacing instances in a zone with an active shift.
  test('every group is registered with zonal shift and ignores unhealthy instances in a shifted zone', () => {
    // THEN
    template.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', {
      AvailabilityZoneImpairmentPolicy: { ZonalShiftEnabled: true, ImpairedZoneHealthCheckBehavior: 'IgnoreUnhealthy' },
    });
  });

  // Zonal shift moves traffic between the zones of one target group: the tier has exactly one,
  // registered in every zone.
  test('one target group spans every zone of the tier', () => {
    // THEN
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
    template.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', {
      TargetGroupARNs: [stack.resolve(tier.targetGroup.targetGroupArn)],
    });
  });

  test('each zone has its alarms on the AvailabilityZone dimension and a composite "impaired" alarm', () => {
    // THEN
    for (const fleet of tier.zonalFleets) {
      const dimensions = [
        { Name: 'AvailabilityZone', Value: fleet.availabilityZone },
        { Name: 'LoadBalancer', Value: stack.resolve(tier.loadBalancer.loadBalancerFullName) },
        { Name: 'TargetGroup', Value: stack.resolve(tier.targetGroup.targetGroupFullName) },
      ];
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: Match.arrayWith([
          Match.objectLike({
            Id: 'healthy',
            MetricStat: {
              Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HealthyHostCount', Dimensions: dimensions },
              Period: 60,
              Stat: 'Minimum',
            },
          }),
        ]),
        Threshold: 2,
        ComparisonOperator: 'LessThanThreshold',
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'HTTPCode_Target_5XX_Count',
        Dimensions: dimensions,
        Statistic: 'Sum',
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'TargetResponseTime',
        Dimensions: dimensions,
        ExtendedStatistic: 'p99',
      });
      const outlier = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find(
        (alarm) =>
          alarm.Properties.AlarmDescription ===
          `${fleet.availabilityZone} answers a share of the tier's target 5xx more than 30 points above its share of healthy hosts`,
      );
      expect(outlier?.Properties.Metrics[0].Expression).toBe(
        'IF(tier5xx >= 10 AND tierHealthy > 0, 100 * zone5xx / tier5xx - 100 * zoneHealthy / tierHealthy, 0)',
      );
      const rule = JSON.stringify(
        template.findResources('AWS::CloudWatch::CompositeAlarm')[logicalIdOf(fleet.impairedAlarm)].Properties
          .AlarmRule,
      );
      for (const alarm of [fleet.healthyHostsAlarm, fleet.latencyAlarm, fleet.outlierAlarm]) {
        expect(rule).toContain(logicalIdOf(alarm));
      }
    }
  });

  test('the health alarm fires below minHealthyHostsPercent of the tier, and the primary routes on HTTPS and capacity', () => {
    // THEN
    expect(tier.minHealthyHosts).toBe(3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'HealthyHostCount',
      Dimensions: Match.arrayWith([
        { Name: 'TargetGroup', Value: stack.resolve(tier.targetGroup.targetGroupFullName) },
      ]),
      Statistic: 'Minimum',
      Threshold: 3,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'missing',
    });
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'CLOUDWATCH_METRIC',
        AlarmIdentifier: { Name: stack.resolve(tier.healthAlarm.alarmName), Region: 'eu-west-1' },
        InsufficientDataHealthStatus: 'LastKnownStatus',
      },
    });
    // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-types.html: a calculated
    // check is healthy while at least HealthThreshold of its children are.
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'CALCULATED',
        ChildHealthChecks: [
          stack.resolve(tier.healthCheck.healthCheckId),
          stack.resolve(tier.capacityHealthCheck.healthCheckId),
        ],
        HealthThreshold: 2,
      },
    });
    expect(tier.failoverHealthCheck).toBe(tier.routingHealthCheck);
  });

  test('the secondary tier routes on its HTTPS check alone', () => {
    // WHEN
    const { tier: secondary } = newTier(() => ({ priority: FailoverPriority.SECONDARY }));

    // THEN
    expect(secondary.routingHealthCheck).toBe(secondary.healthCheck);
  });

  test('minHealthyHostsPercent sets the floor, rounded up', () => {
    // WHEN
    const { tier: custom } = newTier(() => ({ minHealthyHostsPercent: 70 }));

    // THEN: 70 % of 6 is 4.2
    expect(custom.minHealthyHosts).toBe(5);
  });

  test('zonalShift: false leaves the attributes and the impairment policy out', () => {
    // WHEN
    const { template: off } = newTier(() => ({ zonalShift: false }));

    // THEN
    off.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.not(Match.arrayWith([{ Key: 'zonal_shift.config.enabled', Value: 'true' }])),
    });
    off.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', {
      AvailabilityZoneImpairmentPolicy: Match.absent(),
    });
    off.resourceCountIs('AWS::ARCZonalShift::ZonalAutoshiftConfiguration', 0);
  });

  // https://docs.aws.amazon.com/r53recovery/latest/dg/arc-zonal-autoshift.practice-run.html: autoshift
  // needs a practice run configuration with an outcome alarm; blocking alarms stop practice runs.
  test('zonalAutoshift configures autoshift with practice runs judged by the health alarm and blocked by the zones', () => {
    // WHEN
    const { stack: s, tier: t, template: on } = newTier(() => ({ zonalAutoshift: true }));

    // THEN
    on.hasResourceProperties('AWS::ARCZonalShift::ZonalAutoshiftConfiguration', {
      ResourceIdentifier: s.resolve(t.loadBalancer.loadBalancerArn),
      ZonalAutoshiftStatus: 'ENABLED',
      PracticeRunConfiguration: {
        OutcomeAlarms: [{ AlarmIdentifier: s.resolve(t.healthAlarm.alarmArn), Type: 'CLOUDWATCH' }],
        // https://docs.aws.amazon.com/r53recovery/latest/arc-zonal-shift/api/API_PracticeRunConfiguration.html:
        // one blocking alarm at most, so a composite of the zones' impaired alarms
        BlockingAlarms: [
          {
            AlarmIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TierAnyZoneImpaired'), 'Arn'] },
            Type: 'CLOUDWATCH',
          },
        ],
      },
    });
    const anyZone = Object.entries(on.findResources('AWS::CloudWatch::CompositeAlarm')).find(([id]) =>
      id.startsWith('TierAnyZoneImpaired'),
    )![1];
    // The zones' in-service, latency and outlier alarms, not their Impaired composite (see below).
    const rule = JSON.stringify(anyZone.Properties.AlarmRule);
    for (const fleet of t.zonalFleets) {
      for (const alarm of [fleet.inServiceAlarm, fleet.latencyAlarm, fleet.outlierAlarm]) {
        expect(rule).toContain(logicalIdOf(alarm));
      }
    }
  });

  // https://docs.aws.amazon.com/r53recovery/latest/dg/arc-zonal-autoshift.practice-run.html: a blocking
  // alarm in ALARM also stops a practice run in progress; during the run the shifted zone's targets are
  // under an administrative override (ELB AdministrativeOverride,
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/zonal-shift.html), and whether
  // HealthyHostCount still counts them is not documented. The blocking alarm reads Auto Scaling's
  // in-service count instead, which the load balancer's shift does not change.
  test("the practice runs' blocking alarm does not read the load balancer's healthy hosts, which the run itself shifts", () => {
    // WHEN
    const { tier: t, template: on } = newTier(() => ({ zonalAutoshift: true }));

    // THEN
    const anyZone = Object.entries(on.findResources('AWS::CloudWatch::CompositeAlarm')).find(([id]) =>
      id.startsWith('TierAnyZoneImpaired'),
    )![1];
    const rule = JSON.stringify(anyZone.Properties.AlarmRule);
    for (const fleet of t.zonalFleets) {
      expect(rule).not.toContain(logicalIdOf(fleet.healthyHostsAlarm));
      expect(rule).not.toContain(logicalIdOf(fleet.impairedAlarm));
    }
  });

  test.each<[string, ExtraProps, string]>([
    [
      'minHealthyHostsPercent 0',
      { minHealthyHostsPercent: 0 },
      '`minHealthyHostsPercent` must be a number greater than 0 and at most 100, got: 0',
    ],
    [
      'zonalAutoshift without zonalShift',
      { zonalAutoshift: true, zonalShift: false },
      '`zonalAutoshift` needs `zonalShift`, got: zonalAutoshift true with zonalShift false',
    ],
  ])('%s is rejected', (_name, props, message) => {
    // WHEN / THEN
    expect(() => newTier(() => props)).toThrow(message);
  });
});

describe('routing inside a zone', () => {
  const attributesOf = (template: Template) =>
    Object.fromEntries(
      Object.values(
        template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'),
      )[0].Properties.TargetGroupAttributes.map((a: { Key: string; Value: string }) => [a.Key, a.Value]),
    );

  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/disable-cross-zone.html: with
  // cross-zone off each load balancer node sends only to its zone's targets, so a zone's request
  // metrics are its targets' own; "Target stickiness is not supported when cross-zone load balancing is off".
  test('cross-zone load balancing is off on the target group, and no request is sticky', () => {
    // WHEN
    const { template } = newTier();

    // THEN
    const attributes = attributesOf(template);
    expect(attributes['load_balancing.cross_zone.enabled']).toBe('false');
    expect(attributes['stickiness.enabled']).toBe('false');
    expect(Object.keys(attributes).filter((key) => key.startsWith('stickiness.lb_cookie'))).toEqual([]);
  });

  // SkipZonalShiftValidation: "If you enable zonal shift with cross-zone disabled load balancers,
  // capacity could become imbalanced across Availability Zones. To skip the validation, specify true"
  // (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html). Each
  // group here has one zone.
  test('zonal-shift groups skip the cross-zone validation; groups without zonal shift do not set it', () => {
    // WHEN
    const { template: on } = newTier();
    const { template: off } = newTier(() => ({ zonalShift: false }));

    // THEN
    on.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', { SkipZonalShiftValidation: true });
    off.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', { SkipZonalShiftValidation: Match.absent() });
  });

  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#automatic-target-weights:
  // weighted random routing with anomaly mitigation moves traffic away from a target that answers
  // errors while its health check passes; detection needs at least 3 healthy targets.
  test('weighted random routing with anomaly mitigation at 3 targets and more', () => {
    // WHEN
    const { template } = newTier(() => ({ instancesPerAz: 1 }));

    // THEN (3 zones × 1)
    const attributes = attributesOf(template);
    expect(attributes['load_balancing.algorithm.type']).toBe('weighted_random');
    expect(attributes['load_balancing.algorithm.anomaly_mitigation']).toBe('on');
  });

  test('below 3 targets the tier keeps round robin, where anomaly detection has too few peers', () => {
    // WHEN
    const { template } = newTier(() => ({ availabilityZones: AZS.slice(0, 2), instancesPerAz: 1 }));

    // THEN
    const attributes = attributesOf(template);
    expect(attributes['load_balancing.algorithm.type']).toBeUndefined();
    expect(attributes['load_balancing.algorithm.anomaly_mitigation']).toBeUndefined();
  });

  test.each<[string, Array<[string, string]>, string]>([
    [
      'least outstanding requests with anomaly mitigation left on',
      [['load_balancing.algorithm.type', 'least_outstanding_requests']],
      '`targetGroup` attribute `load_balancing.algorithm.type` must be `weighted_random` while `load_balancing.algorithm.anomaly_mitigation` is `on` (set it to `off` first), got: least_outstanding_requests',
    ],
    [
      'slow start with weighted random',
      [['slow_start.duration_seconds', '60']],
      '`targetGroup` attribute `slow_start.duration_seconds` must be 0 with the `weighted_random` algorithm, got: 60',
    ],
    [
      'stickiness with cross-zone off',
      [['stickiness.enabled', 'true']],
      '`targetGroup` attribute `stickiness.enabled` must be `false` while `load_balancing.cross_zone.enabled` is `false` (target stickiness is not supported with cross-zone load balancing off), got: true',
    ],
  ])('%s is refused at synth', (_name, attributes, message) => {
    // GIVEN
    const stack = newStack();
    const tier = buildTier(() => ({}), stack);

    // WHEN
    for (const [key, value] of attributes) {
      tier.targetGroup.setAttribute(key, value);
    }

    // THEN
    expect(() => Template.fromStack(stack)).toThrow(message);
  });

  test('the README way to least outstanding requests (mitigation off first) synthesizes', () => {
    // GIVEN
    const stack = newStack();
    const tier = buildTier(() => ({}), stack);

    // WHEN
    tier.targetGroup.setAttribute('load_balancing.algorithm.anomaly_mitigation', 'off');
    tier.targetGroup.setAttribute('load_balancing.algorithm.type', 'least_outstanding_requests');

    // THEN
    expect(attributesOf(Template.fromStack(stack))['load_balancing.algorithm.type']).toBe('least_outstanding_requests');
  });
});

// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html:
// HealthyHostCount is "Reported if there are registered targets"; NoHealthyHosts breaches on no data.
test("the tier's NoHealthyHosts is created after every zone's group has signalled, so a new stack does not page", () => {
  // WHEN
  const { tier, template } = newTier();

  // THEN
  const alarm = template.toJSON().Resources[logicalIdOf(tier.alarms.noHealthyHostsAlarm)];
  for (const fleet of tier.zonalFleets) {
    expect(alarm.DependsOn).toContain(logicalIdOf(fleet.autoScalingGroup));
  }
});

// PCI DSS v4.0.1 10.7.2: a host that stops shipping its logs is noticed, per instance, within 15
// minutes, including instances that Auto Scaling launches after the deploy. Contributor Insights
// counts the instances whose heartbeat arrives
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-GraphReportData.html:
// UniqueContributors), Auto Scaling counts the instances in service
// (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-metrics.html).
describe('silent hosts', () => {
  let stack: Stack;
  let tier: FailoverTier;
  let template: Template;
  let pager: sns.Topic;
  beforeAll(() => {
    stack = newStack();
    pager = new sns.Topic(stack, 'Pager');
    ({ tier, template } = newTier(
      (s) => ({ alarmTopic: new sns.Topic(s, 'Topic'), alarmActions: [new cw_actions.SnsAction(pager)] }),
      stack,
    ));
  });

  test('every instance appends a heartbeat with its instance id each minute, while rsyslog, auditd and the agent run, and ships it', () => {
    // THEN
    const text = userDataText(template);
    expect(text).toContain('"file_path": "/var/log/log-heartbeat.log"');
    expect(text).toContain('"log_stream_name": "{instance_id}/heartbeat"');
    expect(text).toContain('http://169.254.169.254/latest/meta-data/instance-id');
    expect(text).toMatch(
      /printf '\{"heartbeat":"%s","source":"TestStack-Tier-[0-9A-F]{8}"\}\\n' "\$instance_id" > \/etc\/log-heartbeat\.json/,
    );
    expect(text).toContain(
      'for unit in rsyslog auditd amazon-cloudwatch-agent; do systemctl is-active --quiet "$unit" || exit 0; done',
    );
    expect(text).toContain('cat /etc/log-heartbeat.json >> /var/log/log-heartbeat.log');
    expect(text).toMatch(/OnUnitActiveSec=60\nAccuracySec=1s/);
    expect(text).toContain('systemctl enable --now log-heartbeat.timer');
    // after the agent starts
    expect(text.indexOf('log-heartbeat.timer')).toBeGreaterThan(text.indexOf('amazon-cloudwatch-agent-ctl'));
  });

  test('a Contributor Insights rule counts the instances of this tier whose heartbeat reached the host log group', () => {
    // THEN
    const rules = Object.values(template.findResources('AWS::CloudWatch::InsightRule'));
    expect(rules).toHaveLength(1);
    const [rule] = rules;
    expect(rule.Properties.RuleState).toBe('ENABLED');
    const body = JSON.parse(
      (rule.Properties.RuleBody['Fn::Join'][1] as unknown[])
        .map((part) => (typeof part === 'string' ? part : 'HOST_LOG_GROUP'))
        .join(''),
    );
    const heartbeat = userDataText(template).match(/"source":"([^"]+)"/)![1];
    expect(body).toEqual({
      Schema: { Name: 'CloudWatchLogRule', Version: 1 },
      LogGroupNames: ['HOST_LOG_GROUP'],
      LogFormat: 'JSON',
      Contribution: { Keys: ['$.heartbeat'], Filters: [{ Match: '$.source', In: [heartbeat] }] },
      AggregateOn: 'Count',
    });
    expect(JSON.stringify(rule.Properties.RuleBody)).toContain(JSON.stringify(stack.resolve(hostLogGroupName(stack))));
  });

  test("the alarm fires when in-service instances outnumber the heartbeats for 3 periods of 3 minutes, notifying the topic and the user's alarmActions", () => {
    // THEN
    const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((a) =>
      JSON.stringify(a.Properties.Metrics ?? []).includes('INSIGHT_RULE_METRIC'),
    )!;
    expect(alarm).toBeDefined();
    expect(stack.resolve(tier.logShippingAlarm.alarmArn)).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/LogShippingAlarm/), 'Arn'],
    });
    expect(alarm.Properties).toMatchObject({
      EvaluationPeriods: 3,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [expect.anything(), stack.resolve(pager.topicArn)],
    });
    const metrics: any[] = alarm.Properties.Metrics;
    const result = metrics.find((m) => m.ReturnData !== false);
    expect(result.Expression).toBe('inservice0 + inservice1 + inservice2 - FILL(shipping, 0)');
    const shipping = metrics.find((m) => m.Id === 'shipping');
    expect(shipping.Period).toBe(180);
    expect(JSON.stringify(shipping.Expression)).toContain("', 'UniqueContributors')");
    expect(JSON.stringify(shipping.Expression)).toMatch(/INSIGHT_RULE_METRIC\('.*LogShippingRule.*RuleName/);
    const groups = tier.autoScalingGroups.map((group) => stack.resolve(group.autoScalingGroupName));
    const counted = metrics
      .filter((m) => m.MetricStat?.Metric.MetricName === 'GroupInServiceInstances')
      .map((m) => {
        expect(m.MetricStat).toMatchObject({ Stat: 'Minimum', Period: 180 });
        return m.MetricStat.Metric.Dimensions[0].Value;
      });
    expect(counted).toEqual(groups);
  });
});
