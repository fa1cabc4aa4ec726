import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, Duration, Lazy, Size, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  EgressMode,
  HealthCheckAlarm,
  MultiAzFailoverService,
  MultiAzFailoverServiceProps,
  SecondaryMode,
  WebAclOption,
} from '../src';
import {
  AZS,
  importedVpc,
  importedZone,
  logicalIdOf,
  newStack,
  privateSubnetId,
  publicSubnetId,
  ZONE_ID,
} from './util';

type ExtraProps = Partial<MultiAzFailoverServiceProps>;

/** Builds the service with the test hosted zone and `props` (which may create constructs in the stack). */
function newService(props: (stack: Stack) => ExtraProps = () => ({}), stack: Stack = newStack()) {
  const hostedZone = importedZone(stack);
  const service = new MultiAzFailoverService(stack, 'PaymentApi', { hostedZone, ...props(stack) });
  return { stack, service, template: Template.fromStack(stack) };
}

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111122223333:payment-alarms';
const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666';
const WEB_ACL_ARN =
  'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/payments/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

const AUTOSCALING_ROLE = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':iam::',
      { Ref: 'AWS::AccountId' },
      ':role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
    ],
  ],
};

const tag = (key: string, value: string) => ({ Key: key, Value: value });

describe('with default props', () => {
  let stack: Stack;
  let service: MultiAzFailoverService;
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN: one synthesis shared by the read-only assertions below
    ({ stack, service, template } = newService());
  });

  test.each([
    ['AWS::ElasticLoadBalancingV2::LoadBalancer', 2],
    ['AWS::ElasticLoadBalancingV2::TargetGroup', 2],
    // HTTPS only (no port 80 without httpRedirect)
    ['AWS::ElasticLoadBalancingV2::Listener', 2],
    ['AWS::AutoScaling::AutoScalingGroup', 6],
    // one per zone and tier: each one's user data signals its own zone's group
    ['AWS::EC2::LaunchTemplate', 6],
    // the data key (volumes, topic) and the logs key
    ['AWS::KMS::Key', 2],
    ['AWS::SNS::Topic', 1],
    ['AWS::SNS::Subscription', 0],
    // 3 per tier: unhealthy hosts, no healthy host, latency
    // per tier: 6 (availability and security detection), the health alarm, and 4 per zone; AWS
    // WAF blocked requests, log delivery and the expiry of its 2 pinned rule group versions;
    // host-log and flow-log delivery; refused egress; per tier, its hosts' log shipping
    ['AWS::CloudWatch::Alarm', 2 * (6 + 1 + 1 + 3 * 5) + 2 + 2 + 2 + 1],
    ['AWS::CloudWatch::InsightRule', 2],
    ['AWS::Logs::MetricFilter', 1],
    ['AWS::CloudWatch::CompositeAlarm', 2 * 3],
    // HTTPS and capacity per tier, the primary's calculated routing check, and the end-to-end check
    ['AWS::Route53::HealthCheck', 6],
    ['AWS::Route53::RecordSet', 2],
    ['AWS::CertificateManager::Certificate', 1],
    ['AWS::WAFv2::WebACL', 1],
    ['AWS::WAFv2::WebACLAssociation', 2],
    ['AWS::EC2::VPC', 1],
    // EgressMode.ENDPOINTS_ONLY: VPC endpoints (6 interface: ssm, ssmmessages, ec2messages, logs, kms,
    // cloudformation; 1 S3 gateway), no NAT gateway
    ['AWS::EC2::NatGateway', 0],
    ['AWS::EC2::VPCEndpoint', 7],
    ['AWS::EC2::FlowLog', 1],
    // the access-log bucket and the bucket of its server access logs
    ['AWS::S3::Bucket', 2],
  ])('creates %s × %d', (type, count) => {
    // THEN
    template.resourceCountIs(type, count);
  });

  test('every Auto Scaling group has a fixed size of 2 (min = max = desired)', () => {
    // THEN
    template.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', {
      MinSize: '2',
      MaxSize: '2',
      DesiredCapacity: '2',
    });
  });

  test('each Auto Scaling group runs in exactly one private subnet, a different one per zone', () => {
    // THEN
    for (const tier of [service.primary, service.secondary]) {
      const subnets = tier.autoScalingGroups.map((group) => {
        const zoneIdentifier = template.toJSON().Resources[logicalIdOf(group)].Properties.VPCZoneIdentifier;
        expect(zoneIdentifier).toHaveLength(1);
        return JSON.stringify(zoneIdentifier[0]);
      });
      expect(new Set(subnets).size).toBe(3);
    }
  });

  test('the Auto Scaling groups replace instances that fail the load balancer health check', () => {
    // THEN
    template.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', {
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: 300,
      NotificationConfigurations: [Match.objectLike({ TopicARN: stack.resolve(service.alarmTopic.topicArn) })],
    });
  });

  test('the KMS key rotates', () => {
    // THEN
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('the access-log bucket expires logs after 365 days, moving them to STANDARD_IA at 30 and GLACIER at 90', () => {
    // THEN
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(),
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            ExpirationInDays: 365,
            Transitions: [
              { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
              { StorageClass: 'GLACIER', TransitionInDays: 90 },
            ],
          }),
          Match.objectLike({ ExpiredObjectDeleteMarker: true }),
        ],
      },
    });
  });

  test('each tier has an HTTPS Route 53 health check on /health every 10 s, 3 failures, with latency', () => {
    // THEN
    template.resourcePropertiesCountIs(
      'AWS::Route53::HealthCheck',
      {
        HealthCheckConfig: {
          Type: 'HTTPS',
          Port: 443,
          ResourcePath: '/health',
          RequestInterval: 10,
          FailureThreshold: 3,
          MeasureLatency: true,
          EnableSNI: true,
        },
      },
      2,
    );
  });

  test.each([
    ['PRIMARY', 'primary'],
    ['SECONDARY', 'secondary'],
  ] as const)('a %s failover alias A record points at its tier, with its health check', (failover, tierName) => {
    // GIVEN
    const tier = tierName === 'primary' ? service.primary : service.secondary;

    // THEN
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: ZONE_ID,
      Name: 'api.payments.example.com.',
      Type: 'A',
      Failover: failover,
      SetIdentifier: tierName,
      HealthCheckId: stack.resolve(tier.routingHealthCheck.healthCheckId),
      AliasTarget: {
        EvaluateTargetHealth: true,
        HostedZoneId: stack.resolve(tier.loadBalancer.loadBalancerCanonicalHostedZoneId),
      },
    });
  });

  test('the certificate covers the record name and is validated through DNS in the hosted zone', () => {
    // THEN
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.payments.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'api.payments.example.com', HostedZoneId: ZONE_ID }],
    });
  });

  test('both HTTPS listeners use the certificate and the TLS 1.3/1.2 restricted policy', () => {
    // THEN
    template.resourcePropertiesCountIs(
      'AWS::ElasticLoadBalancingV2::Listener',
      {
        Port: 443,
        Protocol: 'HTTPS',
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
        Certificates: [{ CertificateArn: stack.resolve(service.certificate.certificateArn) }],
      },
      2,
    );
  });

  test('no load balancer listens on port 80', () => {
    // THEN
    template.resourcePropertiesCountIs('AWS::ElasticLoadBalancingV2::Listener', { Port: 80 }, 0);
  });

  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/disable-cross-zone.html: "Target
  // stickiness is not supported when cross-zone load balancing is off"; sticky requests also bypass
  // automatic target weights (edit-target-group-attributes.html#automatic-target-weights).
  test('the target groups use HTTPS with a 20 s deregistration delay, cross-zone off, no stickiness', () => {
    // THEN
    template.resourcePropertiesCountIs(
      'AWS::ElasticLoadBalancingV2::TargetGroup',
      {
        Port: 443,
        Protocol: 'HTTPS',
        TargetType: 'instance',
        TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '20' }]),
      },
      2,
    );
    for (const group of Object.values(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'))) {
      const attributes = Object.fromEntries(
        group.Properties.TargetGroupAttributes.map((a: { Key: string; Value: string }) => [a.Key, a.Value]),
      );
      expect(attributes['load_balancing.cross_zone.enabled']).toBe('false');
      expect(attributes['stickiness.enabled']).toBe('false');
      expect(Object.keys(attributes).filter((key) => key.startsWith('stickiness.lb_cookie'))).toEqual([]);
    }
  });

  test('the target groups health-check /health over HTTPS every 10 s and expect 200', () => {
    // THEN
    template.resourcePropertiesCountIs(
      'AWS::ElasticLoadBalancingV2::TargetGroup',
      {
        HealthCheckProtocol: 'HTTPS',
        HealthCheckPath: '/health',
        HealthCheckIntervalSeconds: 10,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 3,
        Matcher: { HttpCode: '200' },
      },
      2,
    );
  });

  // https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-restrict-access-examples.html:
  // Session Manager checks StartSession against the instance's tags (ssm:resourceTag/<key>).
  test("the operator policy reaches the instances of both tiers' groups, and only with the stack's Session document", () => {
    // GIVEN
    const { stack: s, service: own, template: t } = newService(() => ({ operatorUsers: ['alice'] }));

    // THEN
    const statements = s.resolve(own.operatorPolicy!.document.toJSON()).Statement;
    const onInstances = statements.find((st: any) => st.Sid === 'StartSessionsOnThisServicesInstancesAsOwnOsUser');
    const groups = [own.primary, own.secondary].flatMap((tier) =>
      tier.zonalFleets.map((fleet) => s.resolve(fleet.autoScalingGroup.autoScalingGroupName)),
    );
    expect(groups).toHaveLength(6);
    expect(onInstances.Condition).toEqual({
      BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' },
      StringEquals: {
        'ssm:resourceTag/aws:autoscaling:groupName': groups,
        'aws:PrincipalTag/SSMSessionRunAs': ['alice'],
      },
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Sid: 'StartSessionsOnThisServicesInstancesAsOwnOsUser' })]),
      }),
    });
  });

  test('the key policy lets the Auto Scaling service-linked role use the key', () => {
    // THEN
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
            Resource: '*',
            Condition: Match.objectLike({ ArnEquals: { 'aws:PrincipalArn': AUTOSCALING_ROLE } }),
          }),
        ]),
      },
    });
  });

  test('the key policy lets the Auto Scaling service-linked role create grants for AWS resources only', () => {
    // THEN
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'kms:CreateGrant',
            Condition: Match.objectLike({
              ArnEquals: { 'aws:PrincipalArn': AUTOSCALING_ROLE },
              Bool: { 'kms:GrantIsForAWSResource': true },
            }),
          }),
        ]),
      },
    });
  });

  test('the key policy lets CloudWatch alarms of this account publish to the encrypted topic', () => {
    // THEN
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  test('the launch templates require IMDSv2, enable detailed monitoring and encrypt a 20 GiB gp3 root volume', () => {
    // THEN
    template.resourcePropertiesCountIs(
      'AWS::EC2::LaunchTemplate',
      {
        LaunchTemplateData: {
          MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
          Monitoring: { Enabled: true },
          BlockDeviceMappings: [
            {
              DeviceName: '/dev/xvda',
              Ebs: {
                VolumeSize: 20,
                VolumeType: 'gp3',
                Encrypted: true,
                DeleteOnTermination: true,
                KmsKeyId: stack.resolve(service.encryptionKey.keyArn),
              },
            },
          ],
          NetworkInterfaces: [Match.objectLike({ AssociatePublicIpAddress: false })],
        },
      },
      6,
    );
  });

  test.each(['primary', 'secondary'] as const)(
    'the %s instances accept traffic only from their load balancer, on 443',
    (tierName) => {
      // GIVEN
      const tier = tierName === 'primary' ? service.primary : service.secondary;
      const instanceGroupId = stack.resolve(tier.instanceSecurityGroup.securityGroupId);

      // THEN
      const ingress = Object.values(
        template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: instanceGroupId } }),
      );
      expect(ingress.map((rule) => rule.Properties)).toEqual([
        expect.objectContaining({
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          SourceSecurityGroupId: stack.resolve(tier.loadBalancerSecurityGroup.securityGroupId),
        }),
      ]);
      const group = template.toJSON().Resources[logicalIdOf(tier.instanceSecurityGroup)];
      expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    },
  );

  test('no security group ingress rule opens the instances to 0.0.0.0/0', () => {
    // THEN
    template.resourcePropertiesCountIs('AWS::EC2::SecurityGroupIngress', { CidrIp: Match.anyValue() }, 0);
    template.resourcePropertiesCountIs(
      'AWS::EC2::SecurityGroup',
      {
        GroupDescription: Match.stringLikeRegexp('^Instances of the'),
        SecurityGroupIngress: Match.absent(),
      },
      2,
    );
  });

  test.each(['primary', 'secondary'] as const)(
    'the %s load balancer is internet-facing, without deletion protection (a failed first deploy can roll back), drops invalid headers and logs under its prefix',
    (tierName) => {
      // THEN
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internet-facing',
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'deletion_protection.enabled', Value: 'false' },
          { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
          { Key: 'access_logs.s3.enabled', Value: 'true' },
          { Key: 'access_logs.s3.bucket', Value: stack.resolve(service.accessLogsBucket.bucketName) },
          { Key: 'access_logs.s3.prefix', Value: tierName },
        ]),
        Tags: Match.arrayWith([tag('FailoverPriority', tierName)]),
      });
    },
  );

  test.each(['primary', 'secondary'] as const)('the web ACL is associated with the %s load balancer', (tierName) => {
    // GIVEN
    const tier = tierName === 'primary' ? service.primary : service.secondary;

    // THEN
    expect(stack.resolve(service.webAclArn)).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^PaymentApiSharedWebAcl/), 'Arn'],
    });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: stack.resolve(tier.loadBalancer.loadBalancerArn),
      WebACLArn: stack.resolve(service.webAclArn),
    });
  });

  test.each([
    ['AWS::KMS::Key', 'Tags'],
    ['AWS::S3::Bucket', 'Tags'],
    ['AWS::SNS::Topic', 'Tags'],
    ['AWS::EC2::VPC', 'Tags'],
    ['AWS::WAFv2::WebACL', 'Tags'],
    ['AWS::CertificateManager::Certificate', 'Tags'],
    ['AWS::ElasticLoadBalancingV2::LoadBalancer', 'Tags'],
    ['AWS::CloudWatch::Alarm', 'Tags'],
    ['AWS::Route53::HealthCheck', 'HealthCheckTags'],
  ])('no %s carries an Environment or CostCenter tag that nobody asked for', (type, tagsProperty) => {
    // THEN
    const tagged = Object.entries(template.findResources(type)).filter(([, resource]) =>
      (resource.Properties?.[tagsProperty] ?? []).some((t: { Key: string }) =>
        ['Environment', 'CostCenter'].includes(t.Key),
      ),
    );
    expect(tagged.map(([id]) => id)).toEqual([]);
  });

  test.each(['primary', 'secondary'])(
    'the %s Auto Scaling groups propagate all tags, FailoverPriority included, to their instances',
    (tierName) => {
      // THEN
      template.resourcePropertiesCountIs(
        'AWS::AutoScaling::AutoScalingGroup',
        {
          Tags: [{ Key: 'FailoverPriority', Value: tierName, PropagateAtLaunch: true }],
        },
        3,
      );
    },
  );

  test('shared resources carry no FailoverPriority tag', () => {
    // THEN
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::SNS::Topic', 'AWS::EC2::VPC', 'AWS::WAFv2::WebACL']) {
      template.resourcePropertiesCountIs(
        type,
        { Tags: Match.arrayWith([Match.objectLike({ Key: 'FailoverPriority' })]) },
        0,
      );
    }
  });

  test('the fixed-capacity warning of the Auto Scaling groups is acknowledged: only the placeholder, SSM image, default-zone and undelivered-alarms warnings remain', () => {
    // THEN
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue());
    expect(warnings.map((w) => String(w.entry.data).replace(/.*\[ack: (.*)\]$/, '$1')).sort()).toEqual([
      'multi-az-failover-service:alarmsUndelivered',
      'multi-az-failover-service:defaultAvailabilityZones',
      'multi-az-failover-service:egressAnyIpv4',
      'multi-az-failover-service:egressAnyIpv4',
      'multi-az-failover-service:imageFromSsm',
      'multi-az-failover-service:imageFromSsm',
      'multi-az-failover-service:placeholderApplication',
      'multi-az-failover-service:placeholderApplication',
    ]);
  });

  test('domainName is the record name in the hosted zone', () => {
    // THEN
    expect(service.domainName).toBe('api.payments.example.com');
    expect(service.dns.domainName).toBe('api.payments.example.com');
  });

  test('each tier exposes one Auto Scaling group per zone', () => {
    // THEN
    expect(service.availabilityZones).toHaveLength(3);
    expect(service.primary.autoScalingGroups).toHaveLength(3);
    expect(service.secondary.autoScalingGroups).toHaveLength(3);
    expect(service.primary.instanceCount).toBe(6);
  });

  test.each<[string, (s: MultiAzFailoverService) => string | undefined, string]>([
    [
      'primary.loadBalancer',
      (s) => s.primary.loadBalancer.loadBalancerArn,
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
    ],
    [
      'secondary.loadBalancer',
      (s) => s.secondary.loadBalancer.loadBalancerArn,
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
    ],
    ['primary.targetGroup', (s) => s.primary.targetGroup.targetGroupArn, 'AWS::ElasticLoadBalancingV2::TargetGroup'],
    ['primary.httpsListener', (s) => s.primary.httpsListener.listenerArn, 'AWS::ElasticLoadBalancingV2::Listener'],
    ['primary.healthCheck', (s) => s.primary.healthCheck.healthCheckId, 'AWS::Route53::HealthCheck'],
    [
      'primary.zonalFleets[0].launchTemplate',
      (s) => s.primary.zonalFleets[0].launchTemplate.launchTemplateId,
      'AWS::EC2::LaunchTemplate',
    ],
    ['primary.instanceRole', (s) => s.primary.instanceRole.roleArn, 'AWS::IAM::Role'],
    ['alarmTopic', (s) => s.alarmTopic.topicArn, 'AWS::SNS::Topic'],
    ['encryptionKey', (s) => s.encryptionKey.keyArn, 'AWS::KMS::Key'],
    ['accessLogsBucket', (s) => s.accessLogsBucket.bucketName, 'AWS::S3::Bucket'],
    ['certificate', (s) => s.certificate.certificateArn, 'AWS::CertificateManager::Certificate'],
    ['vpc', (s) => s.vpc.vpcId, 'AWS::EC2::VPC'],
    ['webAclArn', (s) => s.webAclArn, 'AWS::WAFv2::WebACL'],
    ['dns.primaryRecord', (s) => s.dns.primaryRecord.domainName, 'AWS::Route53::RecordSet'],
  ])('%s refers to a resource of type %s', (_member, read, type) => {
    // WHEN
    const reference = stack.resolve(read(service));

    // THEN
    const logicalId = reference.Ref ?? reference['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[logicalId].Type).toBe(type);
  });

  test('the two tiers have distinct load balancers, target groups and health checks', () => {
    // THEN
    expect(stack.resolve(service.primary.loadBalancer.loadBalancerArn)).not.toEqual(
      stack.resolve(service.secondary.loadBalancer.loadBalancerArn),
    );
    expect(stack.resolve(service.primary.targetGroup.targetGroupArn)).not.toEqual(
      stack.resolve(service.secondary.targetGroup.targetGroupArn),
    );
    expect(stack.resolve(service.primary.healthCheck.healthCheckId)).not.toEqual(
      stack.resolve(service.secondary.healthCheck.healthCheckId),
    );
  });

  test('the new VPC spans three zones resolved at deploy time (no context lookup)', () => {
    // THEN
    template.hasResourceProperties('AWS::EC2::Subnet', {
      AvailabilityZone: { 'Fn::Select': [2, { 'Fn::GetAZs': '' }] },
    });
    expect((stack.node.root as App).synth().manifest.missing).toBeUndefined();
  });
});

describe('resource counts per prop combination', () => {
  test.each<[string, ExtraProps, number, string, string, number]>([
    ['2 AZs × 3 instances', { availabilityZones: ['eu-west-1a', 'eu-west-1b'], instancesPerAz: 3 }, 4, '3', '3', 2],
    ['3 AZs, secondary smaller than primary', { instancesPerAz: 4, secondaryInstancesPerAz: 1 }, 6, '4', '1', 3],
    ['3 AZs, secondary larger than primary', { instancesPerAz: 1, secondaryInstancesPerAz: 2 }, 6, '1', '2', 3],
    [
      '4 AZs × 1 instance',
      { availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1d'], instancesPerAz: 1 },
      8,
      '1',
      '1',
      4,
    ],
    [
      '6 AZs (the maximum)',
      { availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1d', 'eu-west-1e', 'eu-west-1f'] },
      12,
      '2',
      '2',
      6,
    ],
  ])('%s', (_name, props, groups, primarySize, secondarySize, zones) => {
    // WHEN
    const { template } = newService(() => props);

    // THEN
    template.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', groups);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Subnet', zones * 2);
    // each interface endpoint has a network interface in every zone's private subnet
    template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 6);
    for (const endpoint of Object.values(
      template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }),
    )) {
      expect(endpoint.Properties.SubnetIds).toHaveLength(zones);
    }
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 2);
    template.resourceCountIs('AWS::EC2::LaunchTemplate', 2 * zones);
    for (const [priority, size] of [
      ['primary', primarySize],
      ['secondary', secondarySize],
    ]) {
      template.resourcePropertiesCountIs(
        'AWS::AutoScaling::AutoScalingGroup',
        {
          MinSize: size,
          MaxSize: size,
          DesiredCapacity: size,
          Tags: Match.arrayWith([Match.objectLike(tag('FailoverPriority', priority))]),
        },
        groups / 2,
      );
    }
  });
});

describe('unhealthy-host alarm threshold', () => {
  test.each<[string, ExtraProps, number, number]>([
    ['3 AZs × 2 instances at 50% (defaults)', {}, 3, 3],
    [
      '2 AZs × 1 instance at 75%',
      { availabilityZones: ['eu-west-1a', 'eu-west-1b'], instancesPerAz: 1, unhealthyHostThresholdPercent: 75 },
      1.5,
      1.5,
    ],
    ['3 AZs × 4 instances at 25%', { instancesPerAz: 4, unhealthyHostThresholdPercent: 25 }, 3, 3],
    ['3 AZs × 2 at 100%', { unhealthyHostThresholdPercent: 100 }, 6, 6],
    ['secondary sized on its own: 3 × 2 and 3 × 4 at 50%', { secondaryInstancesPerAz: 4 }, 3, 6],
  ])('%s', (_name, props, primaryThreshold, secondaryThreshold) => {
    // WHEN
    const { service, template } = newService(() => props);

    // THEN
    expect(service.primary.alarms.unhealthyHostThreshold).toBe(primaryThreshold);
    expect(service.secondary.alarms.unhealthyHostThreshold).toBe(secondaryThreshold);
    for (const [priority, threshold, tier] of [
      ['primary', primaryThreshold, service.primary],
      ['secondary', secondaryThreshold, service.secondary],
    ] as const) {
      const percent = props.unhealthyHostThresholdPercent ?? 50;
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: percent,
        AlarmDescription: `More than ${percent}% of the targets are unhealthy (${threshold} of ${tier.instanceCount} at full capacity)`,
        Tags: Match.arrayWith([tag('FailoverPriority', priority)]),
      });
    }
  });
});

describe('options', () => {
  test('deletionProtection: true turns deletion protection on for both load balancers', () => {
    // WHEN
    const { template } = newService(() => ({ deletionProtection: true }));

    // THEN
    template.resourcePropertiesCountIs(
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      { LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'true' }]) },
      2,
    );
  });

  test.each([elbv2.SslPolicy.TLS12, elbv2.SslPolicy.TLS13_RES, elbv2.SslPolicy.FORWARD_SECRECY_TLS12_RES_GCM])(
    'sslPolicy %s (TLS 1.2 or newer) is used by both HTTPS listeners',
    (sslPolicy) => {
      // WHEN
      const { template } = newService(() => ({ sslPolicy }));

      // THEN
      template.resourcePropertiesCountIs(
        'AWS::ElasticLoadBalancingV2::Listener',
        { Protocol: 'HTTPS', SslPolicy: sslPolicy },
        2,
      );
    },
  );

  test('recordName and healthCheckPath flow to the records, certificate, target groups and health checks', () => {
    // WHEN
    const { service, template } = newService(() => ({ recordName: 'pay.eu', healthCheckPath: '/ready' }));

    // THEN
    expect(service.domainName).toBe('pay.eu.payments.example.com');
    template.resourcePropertiesCountIs('AWS::Route53::RecordSet', { Name: 'pay.eu.payments.example.com.' }, 2);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'pay.eu.payments.example.com',
    });
    template.resourcePropertiesCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/ready' }, 2);
    template.resourcePropertiesCountIs(
      'AWS::Route53::HealthCheck',
      { HealthCheckConfig: Match.objectLike({ ResourcePath: '/ready' }) },
      // both tiers' checks and the end-to-end check of pay.eu.payments.example.com
      3,
    );
  });

  test('rootVolumeSize, deregistrationDelay and latencyThreshold reach both tiers', () => {
    // WHEN
    const { template } = newService(() => ({
      rootVolumeSize: Size.gibibytes(64),
      deregistrationDelay: Duration.seconds(0),
      latencyThreshold: Duration.millis(250),
    }));

    // THEN
    template.resourcePropertiesCountIs(
      'AWS::EC2::LaunchTemplate',
      {
        LaunchTemplateData: Match.objectLike({
          BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ VolumeSize: 64 }) })],
        }),
      },
      6,
    );
    template.resourcePropertiesCountIs(
      'AWS::ElasticLoadBalancingV2::TargetGroup',
      { TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '0' }]) },
      2,
    );
    template.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { MetricName: 'TargetResponseTime', Statistic: 'Average', Threshold: 0.25 },
      2,
    );
  });

  test('accessLogRetention sets the expiration of the new bucket', () => {
    // WHEN
    const { template } = newService(() => ({ accessLogRetention: Duration.days(90) }));

    // THEN
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(),
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            ExpirationInDays: 90,
            Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
          }),
          Match.objectLike({ ExpiredObjectDeleteMarker: true }),
        ],
      },
    });
  });

  test('environment and costCenter set the tags of shared and tier resources', () => {
    // WHEN
    const { template } = newService(() => ({ environment: 'production', costCenter: 'payments-eu' }));

    // THEN
    for (const type of ['AWS::KMS::Key', 'AWS::ElasticLoadBalancingV2::LoadBalancer']) {
      template.allResourcesProperties(type, {
        Tags: Match.arrayWith([tag('CostCenter', 'payments-eu'), tag('Environment', 'production')]),
      });
    }
    template.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', {
      Tags: Match.arrayWith([
        { Key: 'CostCenter', Value: 'payments-eu', PropagateAtLaunch: true },
        { Key: 'Environment', Value: 'production', PropagateAtLaunch: true },
      ]),
    });
  });

  test('dataClassification tags every resource, instances included, to mark the PCI scope', () => {
    // WHEN
    const { template } = newService(() => ({ dataClassification: 'pci-cde' }));

    // THEN
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::ElasticLoadBalancingV2::LoadBalancer']) {
      template.allResourcesProperties(type, { Tags: Match.arrayWith([tag('DataClassification', 'pci-cde')]) });
    }
    template.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', {
      Tags: Match.arrayWith([{ Key: 'DataClassification', Value: 'pci-cde', PropagateAtLaunch: true }]),
    });
  });

  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html#host-conditions;
  // Route 53 HTTPS health checks send the configured FQDN, the load balancer's DNS name, as Host.
  test("each listener forwards only the record name and the health checks' host, and answers 404 otherwise", () => {
    // WHEN
    const { stack, service, template } = newService();

    // THEN
    for (const tier of [service.primary, service.secondary]) {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        LoadBalancerArn: stack.resolve(tier.loadBalancer.loadBalancerArn),
        DefaultActions: [
          {
            Type: 'fixed-response',
            FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'Not Found' },
          },
        ],
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        ListenerArn: stack.resolve(tier.httpsListener.listenerArn),
        Priority: 1,
        Conditions: [
          {
            Field: 'host-header',
            HostHeaderConfig: {
              Values: ['api.payments.example.com', stack.resolve(tier.loadBalancer.loadBalancerDnsName)],
            },
          },
        ],
        Actions: [{ Type: 'forward', TargetGroupArn: stack.resolve(tier.targetGroup.targetGroupArn) }],
      });
    }
  });

  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-types.html: an endpoint
  // check of the record name measures what clients get, whichever tier answers.
  test('an HTTPS health check of the record name itself measures what clients see, and routes nothing', () => {
    // WHEN
    const { stack, service, template } = newService();

    // THEN
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({
        Type: 'HTTPS',
        FullyQualifiedDomainName: 'api.payments.example.com',
        ResourcePath: '/health',
        Port: 443,
        RequestInterval: 30,
        EnableSNI: true,
      }),
    });
    const id = stack.resolve(service.endToEndHealthCheck.healthCheckId);
    for (const record of Object.values(template.findResources('AWS::Route53::RecordSet'))) {
      expect(record.Properties.HealthCheckId).not.toEqual(id);
    }
    // outside us-east-1, no alarm on Route 53 metrics (they exist only in us-east-1)
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Route53' }, 0);
  });

  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html: Route 53
  // health-check metrics are published in us-east-1 only.
  test('in us-east-1, alarms tell a person that DNS failed over and that the record name does not answer', () => {
    // WHEN
    const stack = new Stack(new App(), 'UsEast1', { env: { region: 'us-east-1' } });
    const service = new MultiAzFailoverService(stack, 'Service', {
      hostedZone: importedZone(stack),
      availabilityZones: ['us-east-1a', 'us-east-1b'],
    });
    const template = Template.fromStack(stack);

    // THEN
    for (const check of [service.primary.routingHealthCheck, service.endToEndHealthCheck]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Route53',
        MetricName: 'HealthCheckStatus',
        Dimensions: [{ Name: 'HealthCheckId', Value: stack.resolve(check.healthCheckId) }],
        Statistic: 'Minimum',
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        AlarmActions: [stack.resolve(service.alarmTopic.topicArn)],
      });
    }
  });

  // Item "Alarms reach someone": the user's alarmActions go wherever the service notifies its topic.
  // In us-east-1, where the Route 53 alarms exist
  // (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html).
  // A CloudWatch alarm takes at most 5 actions per state
  // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
  test.each<[string, ExtraProps]>([
    ['the default service', {}],
    ['the service with drills', { drills: true }],
    ['the warm-standby service', { secondaryMode: SecondaryMode.WARM_STANDBY }],
  ])("in us-east-1, every alarm of %s that notifies the topic also takes the user's alarmActions", (_, extra) => {
    // GIVEN
    const stack = new Stack(new App(), 'UsEast1', { env: { region: 'us-east-1' } });
    const pager = new sns.Topic(stack, 'Pager');

    // WHEN
    const service = new MultiAzFailoverService(stack, 'Service', {
      hostedZone: importedZone(stack),
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      alarmActions: [new cw_actions.SnsAction(pager)],
      ...extra,
    });
    const template = Template.fromStack(stack);

    // THEN
    const topic = stack.resolve(service.alarmTopic.topicArn);
    const pagerRef = stack.resolve(pager.topicArn);
    const alarms = {
      ...template.findResources('AWS::CloudWatch::Alarm'),
      ...template.findResources('AWS::CloudWatch::CompositeAlarm'),
    };
    const notifying = Object.entries(alarms).filter(([, alarm]) =>
      (alarm.Properties.AlarmActions ?? []).some((action: unknown) => JSON.stringify(action) === JSON.stringify(topic)),
    );
    const missing = notifying
      .filter(
        ([, alarm]) =>
          !alarm.Properties.AlarmActions.some((action: unknown) => JSON.stringify(action) === JSON.stringify(pagerRef)),
      )
      .map(([id]) => id);
    expect(missing).toEqual([]);
    // the walk covers the Route 53, log-delivery and AWS WAF alarms
    const covered = notifying.map(([id]) => id).join(' ');
    for (const id of [
      'FailedOverAlarm',
      'EndToEndAlarm',
      'HostLogsDelivery',
      'FlowLogsDelivery',
      'WebAclBlockedRequests',
      'RefusedEgress',
      'PrimaryLogShippingAlarm',
      'SecondaryLogShippingAlarm',
      'WebAclLogsDelivery',
    ]) {
      expect(covered).toContain(id);
    }
  });

  test('a HealthCheckAlarm takes alarmActions after its topic', () => {
    // GIVEN
    const stack = new Stack(new App(), 'UsEast1', { env: { region: 'us-east-1' } });
    const healthCheck = route53.HealthCheck.fromHealthCheckId(stack, 'Check', 'abcdef01-2345-6789-abcd-ef0123456789');
    const topic = new sns.Topic(stack, 'Topic');
    const pager = new sns.Topic(stack, 'Pager');

    // WHEN
    new HealthCheckAlarm(stack, 'Alarm', {
      healthCheck,
      description: 'x',
      alarmTopic: topic,
      alarmActions: [new cw_actions.SnsAction(pager)],
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [stack.resolve(topic.topicArn), stack.resolve(pager.topicArn)],
      OKActions: [stack.resolve(topic.topicArn)],
    });
  });

  test('a HealthCheckAlarm rejects more than 4 alarmActions beside its topic', () => {
    // GIVEN
    const stack = new Stack(new App(), 'UsEast1', { env: { region: 'us-east-1' } });
    const healthCheck = route53.HealthCheck.fromHealthCheckId(stack, 'Check', 'abcdef01-2345-6789-abcd-ef0123456789');
    const alarmTopic = new sns.Topic(stack, 'Topic');
    const alarmActions = [1, 2, 3, 4, 5].map((i) => new cw_actions.SnsAction(new sns.Topic(stack, `Pager${i}`)));

    // WHEN / THEN
    expect(
      () => new HealthCheckAlarm(stack, 'Alarm', { healthCheck, description: 'x', alarmTopic, alarmActions }),
    ).toThrow(
      '`alarmActions` must list at most 4 actions: a CloudWatch alarm takes 5, and one is the alarm topic, got: 5',
    );
  });

  test('a HealthCheckAlarm outside us-east-1 is rejected', () => {
    // GIVEN
    const stack = newStack();
    const healthCheck = route53.HealthCheck.fromHealthCheckId(stack, 'Check', 'abcdef01-2345-6789-abcd-ef0123456789');

    // WHEN / THEN
    expect(() => new HealthCheckAlarm(stack, 'Alarm', { healthCheck, description: 'x' })).toThrow(
      '`HealthCheckAlarm` must be in a us-east-1 stack (Route 53 publishes health-check metrics only there), got: a stack in eu-west-1',
    );
  });

  test('notificationEmails subscribe each address to the alarm topic by email', () => {
    // WHEN
    const { stack, service, template } = newService(() => ({
      notificationEmails: ['oncall@example.com', 'payments-team@example.com'],
    }));

    // THEN
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    for (const endpoint of ['oncall@example.com', 'payments-team@example.com']) {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: endpoint,
        TopicArn: stack.resolve(service.alarmTopic.topicArn),
      });
    }
  });

  test('WebAclOption.fromWebAclArn associates that web ACL and creates none', () => {
    // WHEN
    const { service, template } = newService(() => ({ webAcl: WebAclOption.fromWebAclArn(WEB_ACL_ARN) }));

    // THEN
    expect(service.webAclArn).toBe(WEB_ACL_ARN);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourcePropertiesCountIs('AWS::WAFv2::WebACLAssociation', { WebACLArn: WEB_ACL_ARN }, 2);
  });

  test('WebAclOption.none() creates and associates no web ACL', () => {
    // WHEN
    const { service, template } = newService(() => ({ webAcl: WebAclOption.none() }));

    // THEN
    expect(service.webAclArn).toBeUndefined();
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });
});

describe('with your own VPC, key, topic, bucket and certificate', () => {
  let stack: Stack;
  let service: MultiAzFailoverService;
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    ({ stack, service, template } = newService((s) => ({
      vpc: importedVpc(s),
      encryptionKey: kms.Key.fromKeyArn(s, 'Key', KEY_ARN),
      alarmTopic: sns.Topic.fromTopicArn(s, 'Topic', TOPIC_ARN),
      accessLogsBucket: s3.Bucket.fromBucketName(s, 'Bucket', 'payment-alb-logs'),
      certificate: acm.Certificate.fromCertificateArn(s, 'Certificate', CERTIFICATE_ARN),
    })));
  });

  test.each([
    'AWS::EC2::VPC',
    'AWS::EC2::Subnet',
    'AWS::EC2::NatGateway',
    'AWS::EC2::FlowLog',
    'AWS::SNS::Topic',
    'AWS::S3::Bucket',
    'AWS::CertificateManager::Certificate',
  ])('creates no %s', (type) => {
    // THEN
    template.resourceCountIs(type, 0);
  });

  test('the tiers still exist in full', () => {
    // THEN
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 2);
    template.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 6);
    template.resourceCountIs('AWS::Route53::RecordSet', 2);
  });

  test('the members are the resources passed in', () => {
    // THEN
    expect(service.encryptionKey.keyArn).toBe(KEY_ARN);
    expect(service.alarmTopic.topicArn).toBe(TOPIC_ARN);
    expect(service.accessLogsBucket.bucketName).toBe('payment-alb-logs');
    expect(service.certificate.certificateArn).toBe(CERTIFICATE_ARN);
    expect(service.vpc.vpcId).toBe('vpc-0123456789abcdef0');
    expect(service.availabilityZones).toEqual(AZS);
  });

  test('the launch templates encrypt with the key, the listeners use the certificate', () => {
    // THEN
    template.resourcePropertiesCountIs(
      'AWS::EC2::LaunchTemplate',
      {
        LaunchTemplateData: Match.objectLike({
          BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ KmsKeyId: KEY_ARN }) })],
        }),
      },
      6,
    );
    template.resourcePropertiesCountIs(
      'AWS::ElasticLoadBalancingV2::Listener',
      { Certificates: [{ CertificateArn: CERTIFICATE_ARN }] },
      2,
    );
  });

  test('the load balancers log to the bucket and the groups notify the topic', () => {
    // THEN
    template.resourcePropertiesCountIs(
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      { LoadBalancerAttributes: Match.arrayWith([{ Key: 'access_logs.s3.bucket', Value: 'payment-alb-logs' }]) },
      2,
    );
    template.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', {
      NotificationConfigurations: [Match.objectLike({ TopicARN: TOPIC_ARN })],
    });
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [TOPIC_ARN], OKActions: [TOPIC_ARN] });
  });

  test('the load balancers use the public subnets and each group one private subnet of the VPC', () => {
    // THEN
    template.allResourcesProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Subnets: AZS.map(publicSubnetId),
    });
    for (const az of AZS) {
      template.resourcePropertiesCountIs(
        'AWS::AutoScaling::AutoScalingGroup',
        { VPCZoneIdentifier: [privateSubnetId(az)] },
        2,
      );
    }
  });

  test('a warning names each statement the imported key must already have', () => {
    // THEN
    const annotations = Annotations.fromStack(stack);
    for (const sid of [
      'AllowAutoScalingServiceLinkedRoleUseOfTheKey',
      'AllowAutoScalingServiceLinkedRoleAttachmentOfPersistentResources',
    ]) {
      annotations.hasWarning(
        '/TestStack/PaymentApi/Shared',
        `The key policy of the imported \`encryptionKey\` cannot be changed here; make sure it has the statement ${sid} [ack: multi-az-failover-service:importedKeyPolicy]`,
      );
    }
  });
});

describe('with your own VPC', () => {
  test('availabilityZones default to its first three zones', () => {
    // GIVEN
    const zones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1d'];

    // WHEN
    const { service, template } = newService((s) => ({ vpc: importedVpc(s, zones) }));

    // THEN
    expect(service.availabilityZones).toEqual(AZS);
    template.allResourcesProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Subnets: AZS.map(publicSubnetId),
    });
  });

  test('availabilityZones may pick a subset of its zones', () => {
    // WHEN
    const { template } = newService((s) => ({
      vpc: importedVpc(s),
      availabilityZones: ['eu-west-1a', 'eu-west-1c'],
    }));

    // THEN
    template.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 4);
    template.allResourcesProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Subnets: [publicSubnetId('eu-west-1a'), publicSubnetId('eu-west-1c')],
    });
    template.resourcePropertiesCountIs(
      'AWS::AutoScaling::AutoScalingGroup',
      { VPCZoneIdentifier: [privateSubnetId('eu-west-1b')] },
      0,
    );
  });

  test('a key defined in the same app gets the statements and no warning is raised', () => {
    // GIVEN
    const stack = newStack();
    const key = new kms.Key(stack, 'OwnKey');

    // WHEN
    const { template } = newService((s) => ({ vpc: importedVpc(s), encryptionKey: key }), stack);

    // THEN: the logs key is created next to it
    template.resourceCountIs('AWS::KMS::Key', 2);
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'AllowAutoScalingServiceLinkedRoleUseOfTheKey' }),
          Match.objectLike({ Sid: 'AllowAutoScalingServiceLinkedRoleAttachmentOfPersistentResources' }),
          Match.objectLike({ Sid: 'AllowCloudWatchAlarmsToPublishToTheEncryptedTopic' }),
        ]),
      },
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('importedKeyPolicy'));
  });
});

describe('validation', () => {
  const attempt = (props: (stack: Stack) => ExtraProps) => () => newService(props);

  test.each<[string, (stack: Stack) => ExtraProps, string]>([
    [
      'secondaryInstancesPerAz 0',
      () => ({ secondaryInstancesPerAz: 0 }),
      '`secondaryInstancesPerAz` must be an integer from 1 to 100, got: 0',
    ],
    [
      'secondaryInstancesPerAz 101',
      () => ({ secondaryInstancesPerAz: 101 }),
      '`secondaryInstancesPerAz` must be an integer from 1 to 100, got: 101',
    ],
    [
      'a VPC with a single zone',
      (stack) => ({ vpc: importedVpc(stack, ['eu-west-1a']) }),
      '`vpc` must span at least 2 Availability Zones, got: ["eu-west-1a"]',
    ],
    [
      'an empty environment',
      () => ({ environment: '' }),
      '`environment` must be a tag value of 1 to 256 letters, digits, spaces and _ . : / = + - @, got: ""',
    ],
    [
      'an environment with "#"',
      () => ({ environment: 'a#b' }),
      '`environment` must be a tag value of 1 to 256 letters, digits, spaces and _ . : / = + - @, got: "a#b"',
    ],
    [
      'a dataClassification with "#"',
      () => ({ dataClassification: 'pci#cde' }),
      '`dataClassification` must be a tag value of 1 to 256 letters, digits, spaces and _ . : / = + - @, got: "pci#cde"',
    ],
    [
      'an empty costCenter',
      () => ({ costCenter: '' }),
      '`costCenter` must be a tag value of 1 to 256 letters, digits, spaces and _ . : / = + - @, got: ""',
    ],
    [
      'a costCenter with "#"',
      () => ({ costCenter: 'a#b' }),
      '`costCenter` must be a tag value of 1 to 256 letters, digits, spaces and _ . : / = + - @, got: "a#b"',
    ],
  ])('rejects %s', (_name, props, message) => {
    // WHEN / THEN
    expect(attempt(props)).toThrow(message);
  });

  // Each part validates the props it uses (their tables are in the parts' tests); the service
  // user gets the part's message, naming the service's prop, unchanged.
  test.each<[string, (stack: Stack) => ExtraProps, string]>([
    ['a tier option', () => ({ instancesPerAz: 0 }), '`instancesPerAz` must be an integer from 1 to 100, got: 0'],
    [
      'an alarm option',
      () => ({ unhealthyHostThresholdPercent: 0 }),
      '`unhealthyHostThresholdPercent` must be a number greater than 0 and at most 100, got: 0',
    ],
    [
      'a shared-resource option',
      () => ({ notificationEmails: ['not-an-email'] }),
      '`notificationEmails` must contain email addresses such as "ops@example.com", got: "not-an-email"',
    ],
    [
      'a record option',
      () => ({ recordName: 'api.payments.example.com' }),
      '`recordName` must be relative to the hosted zone payments.example.com (for example "api", not "api.payments.example.com"), got: "api.payments.example.com", which would become "api.payments.example.com.payments.example.com"',
    ],
  ])('passes on the message of %s', (_name, props, message) => {
    // WHEN / THEN
    expect(attempt(props)).toThrow(message);
  });

  test('rejects a stack without a concrete region', () => {
    // GIVEN
    const stack = new Stack(new App(), 'NoEnv');

    // WHEN / THEN
    expect(() => newService(() => ({}), stack)).toThrow(
      "`MultiAzFailoverService` needs a stack with a concrete `env.region` (ALB access logging names the region's load-balancing account in the bucket policy), got: an unresolved region token",
    );
  });

  test.each<[string, (stack: Stack) => ExtraProps]>([
    ['instancesPerAz 1 and 100', () => ({ instancesPerAz: 1, secondaryInstancesPerAz: 100 })],
    ['deregistrationDelay 3600 s', () => ({ deregistrationDelay: Duration.seconds(3600) })],
    ['unhealthyHostThresholdPercent 0.5', () => ({ unhealthyHostThresholdPercent: 0.5 })],
    ['latencyThreshold 1 ms', () => ({ latencyThreshold: Duration.millis(1) })],
    ['latencyThreshold 3600 s', () => ({ latencyThreshold: Duration.hours(1) })],
    ['rootVolumeSize 8 GiB', () => ({ rootVolumeSize: Size.gibibytes(8) })],
    ['rootVolumeSize 16 TiB', () => ({ rootVolumeSize: Size.tebibytes(16) })],
    ['accessLogRetention of 48 hours (2 whole days)', () => ({ accessLogRetention: Duration.hours(48) })],
    ['accessLogRetention of 3650 days', () => ({ accessLogRetention: Duration.days(3650) })],
    ['a wildcard recordName', () => ({ recordName: '*' })],
    ['an environment with spaces and : / = + - @', () => ({ environment: 'Prod EU: a/b=c+d-e@f' })],
  ])('accepts the boundary value %s', (_name, props) => {
    // WHEN / THEN
    expect(attempt(props)).not.toThrow();
  });

  test.each<[string, (stack: Stack) => ExtraProps, string, Record<string, unknown>]>([
    [
      'deregistrationDelay from a CfnParameter',
      (stack) => ({
        deregistrationDelay: Duration.seconds(new CfnParameter(stack, 'Delay', { type: 'Number' }).valueAsNumber),
      }),
      'AWS::ElasticLoadBalancingV2::TargetGroup',
      {
        TargetGroupAttributes: Match.arrayWith([
          { Key: 'deregistration_delay.timeout_seconds', Value: { Ref: 'Delay' } },
        ]),
      },
    ],
    [
      'rootVolumeSize from a Lazy number below the minimum',
      () => ({ rootVolumeSize: Size.gibibytes(Token.asNumber(Lazy.number({ produce: () => 4 }))) }),
      'AWS::EC2::LaunchTemplate',
      {
        LaunchTemplateData: Match.objectLike({
          BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ VolumeSize: 4 }) })],
        }),
      },
    ],
    [
      'latencyThreshold from a CfnParameter',
      (stack) => ({
        latencyThreshold: Duration.seconds(new CfnParameter(stack, 'Latency', { type: 'Number' }).valueAsNumber),
      }),
      'AWS::CloudWatch::Alarm',
      { MetricName: 'TargetResponseTime', Threshold: { Ref: 'Latency' } },
    ],
    [
      'healthCheckPath from a CfnParameter',
      (stack) => ({ healthCheckPath: new CfnParameter(stack, 'Path').valueAsString }),
      'AWS::ElasticLoadBalancingV2::TargetGroup',
      { HealthCheckPath: { Ref: 'Path' } },
    ],
    [
      'recordName from a CfnParameter',
      (stack) => ({ recordName: new CfnParameter(stack, 'Name').valueAsString }),
      'AWS::Route53::RecordSet',
      { Name: { 'Fn::Join': ['', [{ Ref: 'Name' }, '.payments.example.com.']] } },
    ],
    [
      'environment from a CfnParameter',
      (stack) => ({ environment: new CfnParameter(stack, 'Env').valueAsString }),
      'AWS::KMS::Key',
      { Tags: Match.arrayWith([{ Key: 'Environment', Value: { Ref: 'Env' } }]) },
    ],
    [
      'a notification email from a CfnParameter',
      (stack) => ({ notificationEmails: [new CfnParameter(stack, 'Email').valueAsString] }),
      'AWS::SNS::Subscription',
      { Protocol: 'email', Endpoint: { Ref: 'Email' } },
    ],
  ])('does not range-check %s', (_name, props, type, expected) => {
    // WHEN
    const { template } = newService(props);

    // THEN
    template.hasResourceProperties(type, expected);
  });
});

describe('props the construct derives values from', () => {
  test.each<[string, (stack: Stack) => Partial<MultiAzFailoverServiceProps>, string]>([
    [
      'instancesPerAz',
      (stack) => ({ instancesPerAz: new CfnParameter(stack, 'N', { type: 'Number' }).valueAsNumber }),
      '`instancesPerAz` must be a concrete value, not a token (the construct derives the unhealthy-host alarm threshold from it at synth time), got: a token',
    ],
    [
      'secondaryInstancesPerAz',
      (stack) => ({ secondaryInstancesPerAz: new CfnParameter(stack, 'N', { type: 'Number' }).valueAsNumber }),
      '`secondaryInstancesPerAz` must be a concrete value, not a token (the construct derives the unhealthy-host alarm threshold from it at synth time), got: a token',
    ],
    [
      'maxInstancesPerAz',
      (stack) => ({ maxInstancesPerAz: new CfnParameter(stack, 'N', { type: 'Number' }).valueAsNumber }),
      '`maxInstancesPerAz` must be a concrete value, not a token (the construct derives whether the zones scale from it at synth time), got: a token',
    ],
    [
      'secondaryMaxInstancesPerAz',
      (stack) => ({ secondaryMaxInstancesPerAz: new CfnParameter(stack, 'N', { type: 'Number' }).valueAsNumber }),
      '`secondaryMaxInstancesPerAz` must be a concrete value, not a token (the construct derives whether the zones scale from it at synth time), got: a token',
    ],
    [
      'unhealthyHostThresholdPercent',
      (stack) => ({ unhealthyHostThresholdPercent: new CfnParameter(stack, 'P', { type: 'Number' }).valueAsNumber }),
      '`unhealthyHostThresholdPercent` must be a concrete value, not a token (the construct derives the unhealthy-host alarm threshold from it at synth time), got: a token',
    ],
    [
      'accessLogRetention',
      (stack) => ({
        accessLogRetention: Duration.days(new CfnParameter(stack, 'Retention', { type: 'Number' }).valueAsNumber),
      }),
      '`accessLogRetention` must be a concrete value, not a token (the construct derives the lifecycle transitions from it at synth time), got: a token',
    ],
  ])('rejects a token %s', (_name, props, message) => {
    // GIVEN
    const stack = newStack();

    // THEN
    expect(
      () => new MultiAzFailoverService(stack, 'Service', { hostedZone: importedZone(stack), ...props(stack) }),
    ).toThrow(message);
  });
});

describe('deploy readiness', () => {
  test('an ARM instance type gets the arm64 Amazon Linux 2023 image', () => {
    // WHEN
    const { template } = newService(() => ({
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
    }));

    // THEN: resolved at each launch (resolve:ssm:)
    template.allResourcesProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64',
      }),
    });
  });

  test('an x86 instance type keeps the x86_64 image', () => {
    // WHEN
    const { template } = newService();

    // THEN
    template.allResourcesProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64',
      }),
    });
  });

  test('with a concrete account, the default zones come from the CDK context, and its placeholders synthesize', () => {
    // GIVEN: no cdk.context.json, so aws-cdk-lib returns dummy1a... and records a missing lookup
    const stack = new Stack(new App(), 'WithAccount', { env: { account: '111122223333', region: 'eu-west-1' } });

    // WHEN
    const { service } = newService(() => ({}), stack);

    // THEN
    expect(service.availabilityZones).toEqual(['dummy1a', 'dummy1b', 'dummy1c']);
    const missing = (stack.node.root as App).synth().manifest.missing ?? [];
    expect(missing.map((m) => m.provider)).toContain('availability-zones');
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('defaultAvailabilityZones'));
  });

  test('with a concrete account, the cached zones key the subnets and groups by name', () => {
    // GIVEN: the zones the CDK CLI cached in cdk.context.json
    const app = new App({
      context: {
        'availability-zones:account=111122223333:region=eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      },
    });
    const stack = new Stack(app, 'WithAccount', { env: { account: '111122223333', region: 'eu-west-1' } });

    // WHEN
    const { service, template } = newService(() => ({}), stack);

    // THEN
    expect(service.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(Object.keys(template.findResources('AWS::AutoScaling::AutoScalingGroup')).sort()).toEqual([
      expect.stringMatching(/^PaymentApiPrimaryZoneEuWest1aAutoScalingGroup/),
      expect.stringMatching(/^PaymentApiPrimaryZoneEuWest1bAutoScalingGroup/),
      expect.stringMatching(/^PaymentApiPrimaryZoneEuWest1cAutoScalingGroup/),
      expect.stringMatching(/^PaymentApiSecondaryZoneEuWest1aAutoScalingGroup/),
      expect.stringMatching(/^PaymentApiSecondaryZoneEuWest1bAutoScalingGroup/),
      expect.stringMatching(/^PaymentApiSecondaryZoneEuWest1cAutoScalingGroup/),
    ]);
  });

  test('without a concrete account or zones, synth warns that the default zones can drift', () => {
    // WHEN
    const { stack } = newService();

    // THEN
    Annotations.fromStack(stack).hasWarning(
      '/TestStack/PaymentApi',
      Match.stringLikeRegexp(
        '^No `availabilityZones`: the zones are Fn::GetAZs indexes 0 to 2, resolved at every deploy',
      ),
    );
  });

  test('with availabilityZones, no default-zone warning', () => {
    // WHEN
    const { stack } = newService(() => ({ availabilityZones: AZS }));

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('defaultAvailabilityZones'));
  });

  test('a VPC whose zones are tokens is used with its zones when availabilityZones is not given', () => {
    // GIVEN
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'RegionOnlyVpc', { maxAzs: 3 });

    // WHEN
    const { service, template } = newService(() => ({ vpc }), stack);

    // THEN: two zones (aws-cdk-lib gives a region-only stack two), each with subnets
    expect(service.availabilityZones).toHaveLength(2);
    for (const group of Object.values(template.findResources('AWS::AutoScaling::AutoScalingGroup'))) {
      expect(group.Properties.VPCZoneIdentifier).toHaveLength(1);
    }
  });

  test('healthCheckSearchString makes every Route 53 endpoint check HTTPS_STR_MATCH with that string', () => {
    // WHEN
    const { template } = newService(() => ({ healthCheckSearchString: '"status":"UP"' }));

    // THEN: both tiers' checks and the end-to-end check
    template.resourcePropertiesCountIs(
      'AWS::Route53::HealthCheck',
      { HealthCheckConfig: Match.objectLike({ Type: 'HTTPS_STR_MATCH', SearchString: '"status":"UP"' }) },
      3,
    );
  });

  test('the instances of each zone start after that zone’s VPC endpoints exist (ENDPOINTS_ONLY, the default)', () => {
    // WHEN
    const { template } = newService(() => ({ availabilityZones: AZS }));

    // THEN
    const endpoints = Object.keys(template.findResources('AWS::EC2::VPCEndpoint'));
    expect(endpoints).toHaveLength(7);
    for (const group of Object.values(template.findResources('AWS::AutoScaling::AutoScalingGroup'))) {
      expect(group.DependsOn).toEqual(expect.arrayContaining(endpoints));
    }
  });

  test('the instances of each zone start after that zone’s route through its NAT gateway exists (INTERNET)', () => {
    // WHEN
    const { template } = newService(() => ({ availabilityZones: AZS, egress: EgressMode.INTERNET }));

    // THEN
    for (const [id, group] of Object.entries(template.findResources('AWS::AutoScaling::AutoScalingGroup'))) {
      const zone = /Zone(EuWest1[abc])/.exec(id)![1];
      expect(group.DependsOn).toEqual(
        expect.arrayContaining([
          expect.stringMatching(new RegExp(`^PaymentApiSharedVpcZone${zone}PrivateDefaultRoute`)),
        ]),
      );
    }
  });
});

describe('egress (PCI DSS v4.0.1 1.3.2)', () => {
  /** The egress rules of both tiers' instance security groups. */
  function instanceEgress(template: Template): unknown[][] {
    return Object.values(
      template.findResources('AWS::EC2::SecurityGroup', {
        Properties: { GroupDescription: Match.stringLikeRegexp('^Instances of the') },
      }),
    ).map((g) => g.Properties.SecurityGroupEgress);
  }

  test('by default both tiers reach only the VPC (its endpoints) and S3, and the VPC has no NAT gateway', () => {
    // WHEN
    const { service, stack, template } = newService();

    // THEN
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 7);
    const groups = instanceEgress(template);
    expect(groups).toHaveLength(2);
    for (const rules of groups) {
      expect(rules).toEqual([
        expect.objectContaining({ CidrIp: stack.resolve(service.vpc.vpcCidrBlock), FromPort: 443, ToPort: 443 }),
        expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 }),
      ]);
    }
    // the any-IPv4 rule leads only to S3: no private route table has a default route
    for (const route of Object.values(template.findResources('AWS::EC2::Route'))) {
      expect(route.Properties.RouteTableId.Ref).toMatch(/PublicRouteTable/);
    }
  });

  test('egressPrefixLists reach both tiers and remove the any-IPv4 rule', () => {
    // WHEN
    const { service, stack, template } = newService((s) => ({
      egressPrefixLists: [ec2.PrefixList.fromPrefixListId(s, 'S3', 'pl-0123456789abcdef0')],
    }));

    // THEN: one prefix-list rule per tier (a resource of its own), and no any-IPv4 rule left
    template.resourcePropertiesCountIs(
      'AWS::EC2::SecurityGroupEgress',
      { DestinationPrefixListId: 'pl-0123456789abcdef0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 },
      2,
    );
    for (const rules of instanceEgress(template)) {
      expect(rules).toEqual([
        expect.objectContaining({ CidrIp: stack.resolve(service.vpc.vpcCidrBlock), FromPort: 443, ToPort: 443 }),
      ]);
      expect(JSON.stringify(rules)).not.toContain('0.0.0.0/0');
    }
  });

  test('INTERNET gives the new VPC one NAT gateway per zone and both tiers HTTPS to anywhere', () => {
    // WHEN
    const { template } = newService(() => ({ egress: EgressMode.INTERNET }));

    // THEN
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 7);
    for (const rules of instanceEgress(template)) {
      expect(rules).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 })]);
    }
  });

  test('with your own vpc, no endpoints are created and ENDPOINTS_ONLY warns once', () => {
    // WHEN
    const { stack, template } = newService((s) => ({ vpc: importedVpc(s) }));

    // THEN
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('creates no VPC endpoints'));
    expect(warnings.map((w) => w.id)).toEqual(['/TestStack/PaymentApi/Shared']);
  });
});

describe('failover records and budget', () => {
  // A CNAME record has a TTL of its own; an alias record to a load balancer is served with the load
  // balancer's fixed 60 s (Route 53 FAQ, https://aws.amazon.com/route53/faqs/).
  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html
  test('failoverRecordTtl reaches the failover records, which become CNAMEs to the load balancers', () => {
    // GIVEN / WHEN
    const { stack, service, template } = newService(() => ({ failoverRecordTtl: Duration.seconds(10) }));

    // THEN
    for (const [failover, tier] of [
      ['PRIMARY', service.primary],
      ['SECONDARY', service.secondary],
    ] as const) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'api.payments.example.com.',
        Type: 'CNAME',
        TTL: '10',
        Failover: failover,
        ResourceRecords: [stack.resolve(tier.loadBalancer.loadBalancerDnsName)],
        HealthCheckId: stack.resolve(tier.routingHealthCheck.healthCheckId),
      });
    }
    expect(service.failoverBudget.recordTtlSeconds).toBe(10);
  });
});

describe('dashboard', () => {
  test('by default, one dashboard of both tiers, under the id Dashboard and named by CloudFormation', () => {
    // GIVEN / WHEN
    const { stack, service, template } = newService();

    // THEN
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(service.dashboard?.node.id).toBe('Dashboard');
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    for (const tier of [service.primary, service.secondary]) {
      expect(body).toContain(JSON.stringify(stack.resolve(tier.loadBalancer.loadBalancerFullName)));
      expect(body).toContain(JSON.stringify(stack.resolve(tier.routingHealthCheck.healthCheckId)));
    }
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: Match.absent() });
  });

  test('dashboard: false creates none', () => {
    // GIVEN / WHEN
    const { service, template } = newService(() => ({ dashboard: false }));

    // THEN
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(service.dashboard).toBeUndefined();
  });
});

describe('tier options reach both tiers', () => {
  // Every field of TierOptions, as the jsii assembly lists it, with a distinct value and where it
  // must show up once per tier. A TierOptions field added without a row here fails the first test;
  // a field the service stops forwarding fails its row.
  const rows: Record<string, [(stack: Stack) => ExtraProps, (template: Template) => void]> = {
    instanceType: [
      () => ({ instanceType: ec2.InstanceType.of(ec2.InstanceClass.M5, ec2.InstanceSize.LARGE) }),
      (t) =>
        perTier(t, 'AWS::EC2::LaunchTemplate', { LaunchTemplateData: Match.objectLike({ InstanceType: 'm5.large' }) }),
    ],
    machineImage: [
      () => ({ machineImage: ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-0123456789abcdef0' }) }),
      (t) =>
        perTier(t, 'AWS::EC2::LaunchTemplate', {
          LaunchTemplateData: Match.objectLike({ ImageId: 'ami-0123456789abcdef0' }),
        }),
    ],
    userData: [
      () => {
        const userData = ec2.UserData.forLinux();
        userData.addCommands('echo marker-user-data');
        return { userData };
      },
      (t) =>
        expect(
          Object.values(t.findResources('AWS::EC2::LaunchTemplate')).filter((lt) =>
            JSON.stringify(lt).includes('marker-user-data'),
          ),
        ).toHaveLength(6),
    ],
    rootVolumeSize: [
      () => ({ rootVolumeSize: Size.gibibytes(77) }),
      (t) =>
        perTier(t, 'AWS::EC2::LaunchTemplate', {
          LaunchTemplateData: Match.objectLike({
            BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ VolumeSize: 77 }) })],
          }),
        }),
    ],
    deregistrationDelay: [
      () => ({ deregistrationDelay: Duration.seconds(37) }),
      (t) =>
        perTier(t, 'AWS::ElasticLoadBalancingV2::TargetGroup', {
          TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '37' }]),
        }),
    ],
    healthCheckPath: [
      () => ({ healthCheckPath: '/marker' }),
      (t) => {
        perTier(t, 'AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/marker' });
        // both tiers' checks and the end-to-end check of the record name
        t.resourcePropertiesCountIs(
          'AWS::Route53::HealthCheck',
          { HealthCheckConfig: Match.objectLike({ ResourcePath: '/marker' }) },
          3,
        );
      },
    ],
    healthCheckSearchString: [
      () => ({ healthCheckSearchString: 'marker-up' }),
      // both tiers' checks and the end-to-end check of the record name
      (t) =>
        t.resourcePropertiesCountIs(
          'AWS::Route53::HealthCheck',
          { HealthCheckConfig: Match.objectLike({ SearchString: 'marker-up' }) },
          3,
        ),
    ],
    unhealthyHostThresholdPercent: [
      () => ({ unhealthyHostThresholdPercent: 17 }),
      (t) =>
        perTier(t, 'AWS::CloudWatch::Alarm', {
          Threshold: 17,
          AlarmDescription: Match.stringLikeRegexp('^More than 17% of the targets are unhealthy'),
        }),
    ],
    latencyThreshold: [
      () => ({ latencyThreshold: Duration.millis(777) }),
      (t) => {
        perTier(t, 'AWS::CloudWatch::Alarm', {
          MetricName: 'TargetResponseTime',
          Statistic: 'Average',
          Threshold: 0.777,
        });
        // and each zone's p99 alarm
        t.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { ExtendedStatistic: 'p99', Threshold: 0.777 }, 6);
      },
    ],
    maxInstanceLifetime: [
      () => ({ maxInstanceLifetime: Duration.days(9) }),
      // three groups per tier
      (t) => t.resourcePropertiesCountIs('AWS::AutoScaling::AutoScalingGroup', { MaxInstanceLifetime: 777600 }, 6),
    ],
    alarmActions: [
      (stack) => ({ alarmActions: [new cw_actions.SnsAction(new sns.Topic(stack, 'MarkerTopic'))] }),
      // per tier: six, the health alarm, the log-shipping alarm and five per zone; and the shared
      // host-log, flow-log, refused-egress and AWS WAF alarms (blocked requests, log delivery, and
      // the expiry of its 2 pinned rule group versions)
      (t) => {
        t.resourcePropertiesCountIs(
          'AWS::CloudWatch::Alarm',
          { AlarmActions: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^MarkerTopic') }]) },
          2 * (6 + 1 + 1 + 3 * 5) + 3 + 2 + 2,
        );
        t.resourcePropertiesCountIs(
          'AWS::CloudWatch::CompositeAlarm',
          { AlarmActions: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^MarkerTopic') }]) },
          6,
        );
      },
    ],
    sslPolicy: [
      () => ({ sslPolicy: elbv2.SslPolicy.TLS13_EXT1 }),
      (t) => perTier(t, 'AWS::ElasticLoadBalancingV2::Listener', { SslPolicy: elbv2.SslPolicy.TLS13_EXT1 }),
    ],
    httpRedirect: [
      () => ({ httpRedirect: true }),
      (t) => perTier(t, 'AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' }),
    ],
    egress: [
      () => ({ egress: EgressMode.INTERNET }),
      (t) => {
        perTier(t, 'AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('HTTPS out through NAT$') });
        // and SharedResources: NAT gateways in the new VPC
        t.resourceCountIs('AWS::EC2::NatGateway', 3);
      },
    ],
    operatorUsers: [
      () => ({ operatorUsers: ['alice'] }),
      (t) => {
        // Every zone's launch template creates the user, and the operator policy names it.
        const templates = Object.values(t.findResources('AWS::EC2::LaunchTemplate'));
        expect(templates.filter((lt) => JSON.stringify(lt).includes('useradd --create-home'))).toHaveLength(6);
        t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
          PolicyDocument: Match.objectLike({
            Statement: Match.arrayWith([
              Match.objectLike({
                Condition: Match.objectLike({
                  StringEquals: Match.objectLike({ 'aws:PrincipalTag/SSMSessionRunAs': ['alice'] }),
                }),
              }),
            ]),
          }),
        });
      },
    ],
    egressPrefixLists: [
      (stack) => ({
        egressPrefixLists: [ec2.PrefixList.fromPrefixListId(stack, 'MarkerList', 'pl-0123456789abcdef0')],
      }),
      (t) => perTier(t, 'AWS::EC2::SecurityGroupEgress', { DestinationPrefixListId: 'pl-0123456789abcdef0' }),
    ],
    deletionProtection: [
      () => ({ deletionProtection: true }),
      (t) =>
        perTier(t, 'AWS::ElasticLoadBalancingV2::LoadBalancer', {
          LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'true' }]),
        }),
    ],
    zonalShift: [
      () => ({ zonalShift: false }),
      (t) =>
        t.resourcePropertiesCountIs(
          'AWS::AutoScaling::AutoScalingGroup',
          { AvailabilityZoneImpairmentPolicy: Match.absent() },
          6,
        ),
    ],
    zonalAutoshift: [
      () => ({ zonalAutoshift: true }),
      (t) => t.resourceCountIs('AWS::ARCZonalShift::ZonalAutoshiftConfiguration', 2),
    ],
    minHealthyHostsPercent: [
      () => ({ minHealthyHostsPercent: 77 }),
      // 77 % of 6 instances, rounded up
      (t) =>
        perTier(t, 'AWS::CloudWatch::Alarm', {
          MetricName: 'HealthyHostCount',
          Threshold: 5,
          AlarmDescription: Match.stringLikeRegexp('\\(77%\\)'),
        }),
    ],
    healthCheckFailureThreshold: [
      () => ({ healthCheckFailureThreshold: 7 }),
      (t) => perTier(t, 'AWS::Route53::HealthCheck', { HealthCheckConfig: Match.objectLike({ FailureThreshold: 7 }) }),
    ],
    targetCpuPercent: [
      () => ({ maxInstancesPerAz: 3, targetCpuPercent: 37 }),
      (t) =>
        t.resourcePropertiesCountIs(
          'AWS::AutoScaling::ScalingPolicy',
          { TargetTrackingConfiguration: Match.objectLike({ TargetValue: 37 }) },
          6,
        ),
    ],
    targetRequestsPerInstance: [
      () => ({ maxInstancesPerAz: 3, targetRequestsPerInstance: 777 }),
      (t) =>
        t.resourcePropertiesCountIs(
          'AWS::AutoScaling::ScalingPolicy',
          {
            TargetTrackingConfiguration: Match.objectLike({
              PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }),
              TargetValue: 777,
            }),
          },
          6,
        ),
    ],
    healthCheckGracePeriod: [
      () => ({ healthCheckGracePeriod: Duration.minutes(7) }),
      (t) => t.resourcePropertiesCountIs('AWS::AutoScaling::AutoScalingGroup', { HealthCheckGracePeriod: 420 }, 6),
    ],
    signalTimeout: [
      () => ({ signalTimeout: Duration.minutes(20) }),
      (t) =>
        expect(
          Object.values(t.findResources('AWS::AutoScaling::AutoScalingGroup')).filter(
            (group) => group.CreationPolicy?.ResourceSignal?.Timeout === 'PT20M',
          ),
        ).toHaveLength(6),
    ],
    parameterPrefix: [
      () => ({ parameterPrefix: '/marker/prefix/' }),
      (t) =>
        expect(
          Object.values(t.findResources('AWS::IAM::ManagedPolicy')).filter((policy) =>
            JSON.stringify(policy).includes(':parameter/marker/prefix/*'),
          ),
        ).toHaveLength(2),
    ],
  };

  // Fields that change no resource, only what synth accepts: the tier's own message proves they arrive.
  const validatedRows: Record<string, [ExtraProps, string]> = {
    peakInstancesNeeded: [
      { peakInstancesNeeded: 5 },
      '`peakInstancesNeeded` must be at most the floor the primary tier keeps after losing one of its 3 Availability Zones, 4',
    ],
    survivesAzLoss: [
      { survivesAzLoss: false, peakInstancesNeeded: 5 },
      '`peakInstancesNeeded` is only checked with `survivesAzLoss`, got: peakInstancesNeeded 5 with survivesAzLoss false',
    ],
  };

  test.each(Object.keys(validatedRows))('%s', (field) => {
    // GIVEN
    const [props, message] = validatedRows[field];

    // WHEN / THEN
    expect(() => newService(() => props)).toThrow(message);
  });

  /** Exactly one resource of `type` per tier matches `props`. */
  function perTier(template: Template, type: string, props: Record<string, unknown>): void {
    // Launch templates are per zone: 3 zones per tier.
    template.resourcePropertiesCountIs(type, props, type === 'AWS::EC2::LaunchTemplate' ? 6 : 2);
  }

  test('every TierOptions field in the jsii assembly has a row', () => {
    // GIVEN: the assembly `npx projen compile` writes (the build compiles before it tests)
    const assemblyPath = path.join(__dirname, '..', '.jsii');
    if (!fs.existsSync(assemblyPath)) {
      throw new Error('no .jsii: run `npx projen compile` before this test');
    }
    const assembly = JSON.parse(fs.readFileSync(assemblyPath, 'utf-8'));

    // THEN
    const fields = assembly.types['multi-az-failover-service.TierOptions'].properties.map(
      (p: { name: string }) => p.name,
    );
    expect(fields.sort()).toEqual([...Object.keys(rows), ...Object.keys(validatedRows)].sort());
  });

  test.each(Object.keys(rows))('%s', (field) => {
    // GIVEN
    const [props, check] = rows[field];

    // WHEN
    const { template } = newService(props);

    // THEN
    check(template);
  });
});

describe('egress options reach the shared resources', () => {
  test('egressBuckets reaches the S3 gateway endpoint policy, and dnsFirewall: false leaves the DNS Firewall out', () => {
    // WHEN
    const { template } = newService((s) => ({
      egressBuckets: [s3.Bucket.fromBucketName(s, 'AppData', 'payments-app-data')],
      dnsFirewall: false,
    }));

    // THEN (docs/NETWORK.md, "Endpoint policies" and "DNS")
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ThisAccountToEgressBuckets',
            Resource: Match.arrayWith([
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::payments-app-data']] },
            ]),
          }),
        ]),
      }),
    });
    template.resourceCountIs('AWS::Route53Resolver::FirewallRuleGroupAssociation', 0);
  });

  test('by default the VPC the service creates has the DNS Firewall', () => {
    // WHEN
    const { template } = newService();

    // THEN
    template.resourceCountIs('AWS::Route53Resolver::FirewallRuleGroupAssociation', 1);
  });
});
