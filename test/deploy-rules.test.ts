import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { MultiAzFailoverService, MultiAzFailoverServiceProps, SecondaryMode, WebAclOption } from '../src';
import { importedVpc, newTier, REGION, ZONE_ID, ZONE_NAME } from './util';
import {
  MANAGED_RULE_GROUPS,
  RATE_BASED_RULE_CAPACITY,
  STARTS_WITH_PATH_CAPACITY,
} from '../src/private/web-acl-capacity';
import { zoneConstructId } from '../src/private/zones';

// Deploy rules: facts about how AWS accepts and honours a stack that cdk-nag, cfn-guard and
// cfn-lint do not check. Each rule cites the AWS page it comes from and runs over the two
// shapes of the construct: everything created by it (`default`) and everything brought by the
// user (`byo`: VPC, key, topic, bucket, certificate and web ACL imported).

type Shape = 'default' | 'byo';
const SHAPES: Shape[] = ['default', 'byo'];
const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

/** The service of one shape in a new app, in a stack with an explicit region and `stackName`. */
function synth(
  shape: Shape,
  options: { stackName?: string; availabilityZones?: string[]; props?: Partial<MultiAzFailoverServiceProps> } = {},
) {
  const app = new App();
  const stack = new Stack(app, 'PaymentApi', { env: { region: REGION }, stackName: options.stackName });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: ZONE_ID,
    zoneName: ZONE_NAME,
  });
  const availabilityZones = options.availabilityZones ?? ZONES;
  const byo: Partial<MultiAzFailoverServiceProps> =
    shape === 'byo'
      ? {
          vpc: importedVpc(stack, ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1d']),
          encryptionKey: kms.Key.fromKeyArn(
            stack,
            'Key',
            'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          ),
          alarmTopic: sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:eu-west-1:111122223333:payment-alarms'),
          accessLogsBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'payment-alb-logs'),
          certificate: acm.Certificate.fromCertificateArn(
            stack,
            'Certificate',
            'arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666',
          ),
          webAcl: WebAclOption.fromWebAclArn(
            'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/payments/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
          ),
        }
      : {};
  const service = new MultiAzFailoverService(stack, 'Service', {
    hostedZone,
    availabilityZones,
    ...byo,
    ...options.props,
  });
  return { stack, service, template: Template.fromStack(stack) };
}

/** `synth(shape)` without options, synthesized once per shape: the tests that use it only read it. */
const synthesizedShapes = new Map<Shape, ReturnType<typeof synth>>();
function synthShape(shape: Shape): ReturnType<typeof synth> {
  if (!synthesizedShapes.has(shape)) {
    synthesizedShapes.set(shape, synth(shape));
  }
  return synthesizedShapes.get(shape)!;
}

type Resources = Record<string, { Type: string; Properties?: any; DeletionPolicy?: string; DependsOn?: string[] }>;

function resourcesOf(template: Template): Resources {
  return template.toJSON().Resources;
}

describe.each(SHAPES)('%s shape', (shape) => {
  // https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
  // https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
  // A topic policy replaces SNS's default policy: unless a statement allows
  // cloudwatch.amazonaws.com to sns:Publish, every alarm action fails with "is not authorized to
  // perform: SNS:Publish". A Deny-only policy (what `enforceSSL` alone creates) silences alarms.
  test('every topic policy allows this account’s CloudWatch alarms to publish, and denies only requests without TLS', () => {
    // GIVEN
    const { template } = synthShape(shape);
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy'));

    // THEN
    if (shape === 'byo') {
      // A user's topic is used as it is: the construct does not replace its policy.
      expect(policies).toHaveLength(0);
      return;
    }
    expect(policies).toHaveLength(1);
    for (const policy of policies) {
      const statements: any[] = policy.Properties.PolicyDocument.Statement;
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: {
              'aws:SourceArn': {
                'Fn::Join': [
                  '',
                  ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:${REGION}:`, { Ref: 'AWS::AccountId' }, ':alarm:*'],
                ],
              },
            },
          },
        }),
      );
      // Auto Scaling notifications are published by this account's service-linked role, allowed by
      // its IAM policy: no Deny may catch it (a Deny wins over any Allow).
      for (const deny of statements.filter((s) => s.Effect === 'Deny')) {
        expect(deny.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
      }
    }
  });

  // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html (compatibility between
  // event sources from AWS services and encrypted topics): publishers to an encrypted topic need
  // kms:GenerateDataKey* and kms:Decrypt, granted in the key policy without conditions that
  // CloudWatch does not set on its KMS requests.
  test('the key of an encrypted alarm topic lets CloudWatch encrypt, with no condition it cannot meet', () => {
    // GIVEN
    const { template } = synthShape(shape);
    const keys = template.findResources('AWS::KMS::Key');
    const topics = Object.values(template.findResources('AWS::SNS::Topic'));

    // THEN
    expect(topics).toHaveLength(shape === 'default' ? 1 : 0);
    for (const topic of topics) {
      const keyId = topic.Properties.KmsMasterKeyId?.['Fn::GetAtt']?.[0];
      expect(keys[keyId]).toBeDefined();
      const statements: any[] = keys[keyId].Properties.KeyPolicy.Statement;
      const cloudwatch = statements.filter(
        (s) => s.Effect === 'Allow' && JSON.stringify(s.Principal) === '{"Service":"cloudwatch.amazonaws.com"}',
      );
      expect(cloudwatch).toEqual([
        expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' }),
      ]);
      expect(cloudwatch[0].Condition).toBeUndefined();
    }
  });

  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
  // DeletionPolicy Retain also holds when a first create rolls back: a kept resource with a fixed
  // physical name makes the retry fail with "already exists". RetainExceptOnCreate removes it on a
  // failed create, but keeps it on delete, so a name it has must still be unique per stack
  // instance (a redeploy after destroy reuses the stack name). A name built from the stack id
  // (new for every created stack) or from an attribute AWS generates for each new resource
  // (Fn::GetAtt) is never reused, whatever the deletion policy.
  test('nothing kept after a failed create or a delete holds a name that a retry or a redeploy would reuse', () => {
    // GIVEN
    const { template } = synthShape(shape);

    // THEN
    for (const [id, resource] of Object.entries(resourcesOf(template))) {
      const name = physicalName(resource);
      if (name === undefined) {
        continue;
      }
      if (resource.DeletionPolicy === 'Retain' && !/Fn::GetAtt|AWS::StackId/.test(JSON.stringify(name))) {
        throw new Error(
          `${id} (${resource.Type}) is retained on a failed create and has the fixed name ${JSON.stringify(name)}`,
        );
      }
      if (resource.DeletionPolicy === 'RetainExceptOnCreate') {
        // Unique per stack instance: built from an attribute that AWS generates for each new
        // resource (Fn::GetAtt) or from the stack id.
        expect({ id, name: JSON.stringify(name) }).toEqual({
          id,
          name: expect.stringMatching(/Fn::GetAtt|AWS::StackId/),
        });
      }
    }
  });

  // AWS names are unique per account and region (KMS alias names, CloudWatch Logs log group names:
  // https://docs.aws.amazon.com/kms/latest/developerguide/alias-about.html,
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html):
  // two deployments of one app under different stack names must not claim the same one.
  test('no physical name is shared by two stacks of the same app with different stack names', () => {
    // GIVEN
    const names = (stackName: string) =>
      Object.entries(resourcesOf(synth(shape, { stackName }).template)).flatMap(([id, resource]) => {
        const name = physicalName(resource);
        return name === undefined
          ? []
          : [`${id}: ${JSON.stringify(name).split('{"Ref":"AWS::StackName"}').join(stackName)}`];
      });

    // WHEN
    const blue = names('PaymentsBlue');
    const green = new Set(names('PaymentsGreen'));

    // THEN
    expect(blue.filter((name) => green.has(name))).toEqual([]);
  });

  // A Session document of a fixed name must never be replaced (CloudFormation creates the
  // replacement before deleting the original, and the name is taken): UpdateMethod NewVersion
  // updates it in place
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ssm-document.html#cfn-ssm-document-updatemethod).
  // None is kept after a failed create or a delete, so none blocks a retry; the account's default
  // document is written only on request (accountSessionPreferences).
  test('every Session document is updated in place and never kept; the account preferences only on request', () => {
    // GIVEN
    const { template } = synthShape(shape);
    const { template: withPreferences } = synth(shape, { props: { accountSessionPreferences: true } });
    const { template: without } = synth(shape, { props: { sessionLogging: false } });

    // THEN
    const sessionDocuments = (t: Template) =>
      Object.values(t.findResources('AWS::SSM::Document', { Properties: { DocumentType: 'Session' } }));
    for (const t of [template, withPreferences]) {
      for (const document of sessionDocuments(t)) {
        expect(document.Properties).toMatchObject({ DocumentType: 'Session', UpdateMethod: 'NewVersion' });
        expect(document.DeletionPolicy).toBeUndefined();
      }
    }
    expect(sessionDocuments(template)).toHaveLength(1);
    withPreferences.hasResourceProperties('AWS::SSM::Document', { Name: 'SSM-SessionManagerRunShell' });
    expect(sessionDocuments(without)).toHaveLength(0);
  });

  // Operator access is attributed (PCI DSS v4.0.1 8.2.2, 10.2.1.2): with Run As a session runs as the
  // principal's SSMSessionRunAs user and never falls back on the shared ssm-user
  // (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-preferences-run-as.html);
  // sessions through SSH are not logged
  // (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-logging.html), so
  // every launch template masks sshd, and every statement that allows ssm:StartSession on instances
  // requires the principal's SSMSessionRunAs tag.
  test('every Session document runs sessions as the operator, every host masks sshd, every session allow needs the run-as tag', () => {
    // GIVEN
    const { template } = synth(shape, { props: { operatorUsers: ['alice'], accountSessionPreferences: true } });
    const resources = Object.values(resourcesOf(template));

    // THEN
    const documents = resources.filter(
      (r) => r.Type === 'AWS::SSM::Document' && r.Properties.DocumentType === 'Session',
    );
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) {
      expect(document.Properties.Content.inputs).toMatchObject({ runAsEnabled: true, runAsDefaultUser: '' });
    }
    const launchTemplates = resources.filter((r) => r.Type === 'AWS::EC2::LaunchTemplate');
    expect(launchTemplates.length).toBeGreaterThan(0);
    for (const launchTemplate of launchTemplates) {
      expect(JSON.stringify(launchTemplate.Properties.LaunchTemplateData.UserData)).toContain(
        'systemctl mask sshd.service sshd.socket',
      );
    }
    const sessionAllows = resources
      .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy')
      .flatMap((r) => r.Properties.PolicyDocument.Statement)
      .filter(
        (st: any) =>
          st.Effect === 'Allow' &&
          [st.Action].flat().includes('ssm:StartSession') &&
          JSON.stringify(st.Resource).includes(':instance/'),
      );
    expect(sessionAllows.length).toBeGreaterThan(0);
    for (const st of sessionAllows) {
      expect(st.Condition.StringEquals['aws:PrincipalTag/SSMSessionRunAs']).toEqual(['alice']);
    }
  });

  // The zonal shift runbook (an Automation document) has no fixed name: CloudFormation names it, so
  // a replacement (its content names each group's ARN) creates the new one beside the old under a
  // new name, and no stack instance collides with another's.
  test('every other document is named by CloudFormation and never kept', () => {
    // GIVEN
    const { template } = synthShape(shape);

    // THEN
    const others = Object.values(template.findResources('AWS::SSM::Document')).filter(
      (d: any) => d.Properties.DocumentType !== 'Session',
    );
    expect(others.map((d: any) => d.Properties.DocumentType)).toEqual(['Automation']);
    for (const document of others) {
      expect(document.Properties.Name).toBeUndefined();
      expect(document.DeletionPolicy).toBeUndefined();
    }
  });

  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-bypass-policy-lockout-safety-check:
  // CreateKey and PutKeyPolicy fail when the new policy would not let the caller change it again.
  // CloudFormation calls them as the stack's execution role, so a Deny on kms:PutKeyPolicy must
  // exempt that role, or the key could never be created.
  test('the guard rails of every new key exempt the CloudFormation execution role', () => {
    // GIVEN
    const { template } = synthShape(shape);

    // THEN
    for (const key of Object.values(template.findResources('AWS::KMS::Key'))) {
      const denies = key.Properties.KeyPolicy.Statement.filter(
        (s: any) => s.Effect === 'Deny' && [s.Action].flat().includes('kms:PutKeyPolicy'),
      );
      expect(denies).toEqual([
        expect.objectContaining({
          Condition: {
            ArnNotLike: {
              'aws:PrincipalArn': [
                {
                  'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-\${AWS::AccountId}-${REGION}`,
                },
              ],
            },
          },
        }),
      ]);
    }
  });

  // https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html: "If you
  // specify HTTPS for the value of Type, the endpoint must support TLS v1.0, v1.1, or v1.2." A
  // TLS 1.3-only listener fails both health checks forever, and with both failing Route 53
  // answers with the primary: failover is off.
  test.each(Object.values(elbv2.SslPolicy).filter((policy) => policy.includes('TLS13-1-3')))(
    'the TLS 1.3-only policy %s is refused',
    (sslPolicy) => {
      expect(() => synth(shape, { props: { sslPolicy } })).toThrow(
        `\`sslPolicy\` must accept TLS 1.2: Route 53 HTTPS health checks connect with TLS 1.2 at most, so a TLS 1.3-only policy fails both health checks and disables failover (use ${elbv2.SslPolicy.TLS13_12_RES_PQ} or another TLS13-1-2 policy), got: ${sslPolicy}`,
      );
    },
  );

  test('every HTTPS listener accepts TLS 1.2, so that Route 53 health checks can connect', () => {
    // GIVEN
    const { template } = synthShape(shape);

    // THEN
    const https = Object.values(
      template.findResources('AWS::ElasticLoadBalancingV2::Listener', {
        Properties: { Protocol: 'HTTPS' },
      }),
    );
    expect(https).toHaveLength(2);
    for (const listener of https) {
      expect(listener.Properties.SslPolicy).toMatch(/^ELBSecurityPolicy-TLS13-1-2-/);
    }
  });

  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-subnet.html:
  // changing AvailabilityZone or CidrBlock replaces a subnet, and the replacement is created
  // before the old one is deleted, so it fails on the CIDR the old one still holds
  // (aws/aws-cdk#6683). A zone's resources must therefore be keyed by its name: a kept zone's
  // subnets, routes, NAT gateway and Auto Scaling groups stay the same logical resources with
  // the same properties when other zones are replaced, removed or added.
  test.each([
    ['replacing a zone', ['eu-west-1a', 'eu-west-1b', 'eu-west-1d'], ['eu-west-1a', 'eu-west-1b']],
    ['removing the first zone', ['eu-west-1b', 'eu-west-1c'], ['eu-west-1b', 'eu-west-1c']],
    ['adding a zone', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1d'], ZONES],
  ])('%s leaves every kept zone’s resources untouched', (_change, after, kept) => {
    // GIVEN
    const before = resourcesOf(synthShape(shape).template);

    // WHEN
    const changed = resourcesOf(synth(shape, { availabilityZones: after }).template);

    // THEN
    // Releases go zone by zone, so each zone's group depends on the group released before it, and
    // that neighbour changes with the zone list. A DependsOn change orders operations; it is not a
    // property change and updates nothing, so it is left out of the comparison
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html).
    // Likewise the start time of a zone's scheduled image refresh is its place in the refresh
    // order (ImageRefresh): it moves with the zone list, an update without interruption
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-scheduler-schedule.html).
    const withoutReleaseOrder = (resource: any) => {
      const dependsOn = (resource.DependsOn ?? []).filter((id: string) => !/AutoScalingGroupASG/.test(id));
      const { DependsOn: _d, ...rest } = resource;
      if (rest.Type === 'AWS::Scheduler::Schedule') {
        const { ScheduleExpression: _s, ...properties } = rest.Properties;
        rest.Properties = properties;
      }
      return dependsOn.length > 0 ? { ...rest, DependsOn: dependsOn } : rest;
    };
    const zonal = (resources: Resources, zone: string) => {
      const key = zoneConstructId(zone, 0);
      return Object.fromEntries(
        Object.entries(resources)
          .filter(([id]) => id.includes(key))
          .map(([id, resource]) => [id, withoutReleaseOrder(resource)]),
      );
    };
    for (const zone of kept) {
      const mine = zonal(before, zone);
      // the VPC's subnets, route tables, their associations and the public default route (default
      // shape; no NAT gateway under the default EgressMode.ENDPOINTS_ONLY), and one Auto Scaling
      // group per tier
      expect(Object.keys(mine).length).toBeGreaterThanOrEqual(shape === 'default' ? 9 : 2);
      expect(zonal(changed, zone)).toEqual(mine);
    }
    // and no two subnets ever share an address range
    const cidrs = Object.values(changed)
      .filter((r) => r.Type === 'AWS::EC2::Subnet')
      .map((r) => r.Properties.CidrBlock);
    expect(new Set(cidrs).size).toBe(cidrs.length);
  });

  // A scheduled image refresh is a release without CloudFormation: it must be gated like one. For
  // every schedule that starts an instance refresh, its request
  // (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html) carries
  // the preferences of its group's AutoScalingInstanceRefresh update policy, the same alarms, and
  // skip matching off, which with no desired configuration would skip every instance
  // (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html).
  test('every scheduled instance refresh has its group’s release preferences and alarms, and skip matching off', () => {
    // GIVEN
    const resources = resourcesOf(synthShape(shape).template);
    const refreshes = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::Scheduler::Schedule' &&
        JSON.stringify(r.Properties.Target.Arn).includes(':aws-sdk:autoscaling:startInstanceRefresh'),
    );

    // THEN
    expect(refreshes.length).toBeGreaterThan(0);
    for (const schedule of refreshes) {
      // The request is JSON with the group's name and the alarms' names as intrinsics in it.
      const input = schedule.Properties.Target.Input;
      const parts: any[] = typeof input === 'string' ? [input] : input['Fn::Join'][1];
      const request = JSON.parse(
        parts.map((part) => (typeof part === 'string' ? part : `@${JSON.stringify(part).replace(/"/g, "'")}`)).join(''),
      );
      const group = resources[JSON.parse(request.AutoScalingGroupName.slice(1).replace(/'/g, '"')).Ref];
      const release = (group as any).UpdatePolicy.AutoScalingInstanceRefresh.Preferences;
      expect(request.Preferences).toEqual({
        MinHealthyPercentage: release.MinHealthyPercentage,
        MaxHealthyPercentage: release.MaxHealthyPercentage,
        BakeTime: release.BakeTime,
        SkipMatching: false,
        AutoRollback: false,
        AlarmSpecification: {
          Alarms: release.AlarmSpecification.Alarms.map((alarm: any) => `@${JSON.stringify(alarm).replace(/"/g, "'")}`),
        },
      });
    }
  });

  // Placeholder instances pass every health check: a deploy without the application must say so.
  test('without userData, synth warns that the instances run a placeholder', () => {
    // GIVEN
    const { stack } = synthShape(shape);

    // THEN
    const warnings = Annotations.fromStack(stack).findWarning(
      '*',
      Match.stringLikeRegexp('placeholder HTTPS server that answers /health with 200'),
    );
    expect(warnings.map((w) => w.id)).toEqual(['/PaymentApi/Service/Primary', '/PaymentApi/Service/Secondary']);
    expect(JSON.stringify(warnings)).toContain('multi-az-failover-service:placeholderApplication');
  });

  test('with userData, no placeholder warning', () => {
    // GIVEN
    const userData = ec2.UserData.forLinux();
    userData.addCommands('systemctl start payment-api');
    const { stack } = synth(shape, { props: { userData } });

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('placeholder'));
  });
});

/**
 * The physical name a resource sets, if any: the property that names the resource in AWS
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html).
 */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::AutoScaling::AutoScalingGroup': 'AutoScalingGroupName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::CompositeAlarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  // Contributor Insights rules are named (RuleName is required): unique per account and Region.
  'AWS::CloudWatch::InsightRule': 'RuleName',
  'AWS::EC2::LaunchTemplate': 'LaunchTemplateName',
  'AWS::EC2::SecurityGroup': 'GroupName',
  'AWS::Events::Rule': 'Name',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Name',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'Name',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Logs::MetricFilter': 'FilterName',
  // DNS Firewall (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-route53resolver-firewallrulegroup.html).
  'AWS::Route53Resolver::FirewallDomainList': 'Name',
  'AWS::Route53Resolver::FirewallRuleGroup': 'Name',
  'AWS::Route53Resolver::FirewallRuleGroupAssociation': 'Name',
  'AWS::S3::Bucket': 'BucketName',
  // Schedule names are unique per schedule group: left to CloudFormation
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-scheduler-schedule.html).
  'AWS::Scheduler::Schedule': 'Name',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SSM::Document': 'Name',
  'AWS::WAFv2::WebACL': 'Name',
};

function physicalName(resource: { Type: string; Properties?: any }): unknown {
  const property = NAME_PROPERTIES[resource.Type];
  return property === undefined ? undefined : resource.Properties?.[property];
}

test('every resource type the construct creates is known to the physical-name rules', () => {
  // A new resource type must be added to NAME_PROPERTIES (or to the list of types without a
  // name property) so that the name rules above cover it.
  const withoutName = new Set([
    'AWS::ARCZonalShift::ZonalAutoshiftConfiguration',
    'AWS::CertificateManager::Certificate',
    'AWS::CloudWatch::Alarm',
    'AWS::EC2::EIP',
    'AWS::EC2::FlowLog',
    'AWS::EC2::InternetGateway',
    'AWS::EC2::NatGateway',
    'AWS::EC2::Route',
    'AWS::EC2::RouteTable',
    'AWS::EC2::SecurityGroupEgress',
    'AWS::EC2::SecurityGroupIngress',
    'AWS::EC2::Subnet',
    'AWS::EC2::SubnetRouteTableAssociation',
    'AWS::EC2::VPC',
    'AWS::EC2::VPCEndpoint',
    'AWS::EC2::VPCGatewayAttachment',
    'AWS::ElasticLoadBalancingV2::Listener',
    'AWS::ElasticLoadBalancingV2::ListenerRule',
    // Named by its `Name` tag only (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-fis-experimenttemplate.html).
    'AWS::FIS::ExperimentTemplate',
    'AWS::KMS::Key',
    'AWS::Route53::HealthCheck',
    'AWS::Route53::RecordSet',
    'AWS::S3::BucketPolicy',
    'AWS::SNS::Subscription',
    'AWS::SNS::TopicPolicy',
    'AWS::WAFv2::LoggingConfiguration',
    'AWS::WAFv2::WebACLAssociation',
  ]);
  for (const shape of SHAPES) {
    const types = new Set(
      Object.values(
        resourcesOf(
          synth(shape, { props: { notificationEmails: ['ops@example.com'], drills: true, zonalAutoshift: true } })
            .template,
        ),
      ).map((r) => r.Type),
    );
    for (const type of types) {
      expect({ type, known: type in NAME_PROPERTIES || withoutName.has(type) }).toEqual({ type, known: true });
    }
  }
});

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpoint.html: an interface
// endpoint's subnets (AddSubnetId, RemoveSubnetId) and a gateway endpoint's route tables
// (AddRouteTableId, RemoveRouteTableId) are changed on the endpoint in place. So a change of
// zones must keep every VPC endpoint (same logical id, same service) and change only its subnets
// or route tables: a replaced endpoint would first be created next to the old one, and two
// endpoints with private DNS for one service cannot exist in one VPC.
test.each([
  ['removing the first zone', ['eu-west-1b', 'eu-west-1c']],
  ['adding a zone', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'eu-west-1d']],
])('%s keeps every VPC endpoint and changes only its subnets or route tables', (_change, after) => {
  // GIVEN
  const endpoints = (availabilityZones?: string[]) =>
    synth('default', { availabilityZones }).template.findResources('AWS::EC2::VPCEndpoint');
  const before = endpoints();

  // WHEN
  const changed = endpoints(after);

  // THEN
  expect(Object.keys(changed).sort()).toEqual(Object.keys(before).sort());
  expect(Object.keys(before)).toHaveLength(7);
  for (const [id, endpoint] of Object.entries(before)) {
    const { SubnetIds: _s, RouteTableIds: _r, ...kept } = endpoint.Properties;
    const { SubnetIds: s, RouteTableIds: r, ...keptAfter } = changed[id].Properties;
    expect(keptAfter).toEqual(kept);
    expect((s ?? r).length).toBe(after.length);
  }
});

/** The longest stack name CloudFormation accepts (CreateStack: up to 128 characters). */
const LONGEST_STACK_NAME = `Payments${'x'.repeat(120)}`;

/** As many host names as a tier takes. */
const MANY_HOST_NAMES = Array.from({ length: 8 }, (_, i) => `*.api${i}.payments.example.com`);

// Rules over whole classes of resources, run over every configuration of the test templates: the
// two shapes, and everything the construct can add (drills, autoshift, warm standby, email
// subscriptions). A new resource is covered without anyone remembering to add it here.
const CONFIGURATIONS: Array<[string, () => { template: Template }]> = [
  ['default', () => synthShape('default')],
  ['byo', () => synthShape('byo')],
  [
    'everything on',
    () =>
      synth('default', {
        props: {
          notificationEmails: ['ops@example.com'],
          drills: true,
          zonalAutoshift: true,
          secondaryMode: SecondaryMode.WARM_STANDBY,
          maxInstancesPerAz: 4,
        },
      }),
  ],
  // The longest stack name CloudFormation takes (128 characters), autoshift's composite alarm, and
  // as many alarm actions as an alarm takes beside the topic.
  [
    'longest names, most actions',
    () =>
      synth('default', {
        stackName: LONGEST_STACK_NAME,
        props: {
          zonalAutoshift: true,
          alarmActions: [1, 2, 3, 4].map(
            (n) =>
              new cw_actions.SnsAction(
                sns.Topic.fromTopicArn(
                  new Stack(new App(), `T${n}`),
                  'T',
                  `arn:aws:sns:eu-west-1:111122223333:pager-${n}`,
                ),
              ),
          ),
        },
      }),
  ],
  // A Regional service behind GlobalFailover (docs/MULTI-REGION.md): its own record name and the
  // global name, in its certificate and its listener rule.
  [
    'service with a global name',
    () =>
      synth('default', {
        props: { recordName: 'api-eu-west-1', globalDomainName: `api.${ZONE_NAME}` },
      }),
  ],
  // A tier as users build it themselves, with the most host names it takes.
  ['tier with many host names', () => newTier(() => ({ hostNames: MANY_HOST_NAMES }))],
];
const configurations = new Map<string, { template: Template }>();
function configuration(name: string): Resources {
  if (!configurations.has(name)) {
    configurations.set(name, CONFIGURATIONS.find(([n]) => n === name)![1]());
  }
  return resourcesOf(configurations.get(name)!.template);
}

/** Every value under a `Principal` key anywhere in `node`, with the path to it. */
function principalsIn(node: unknown, path: string, found: Array<[string, unknown]> = []): Array<[string, unknown]> {
  if (Array.isArray(node)) {
    node.forEach((child, index) => principalsIn(child, `${path}[${index}]`, found));
  } else if (node !== null && typeof node === 'object') {
    for (const [key, child] of Object.entries(node)) {
      if (key === 'Principal' || key === 'NotPrincipal') {
        found.push([`${path}.${key}`, child]);
      } else {
        principalsIn(child, `${path}.${key}`, found);
      }
    }
  }
  return found;
}

/** A name as CloudFormation renders it: `Fn::Join` of strings and `AWS::StackName`, the other tokens as `x`. */
function renderName(node: unknown, stackName: string): string {
  if (typeof node === 'string') {
    return node;
  }
  const value = node as any;
  if (value?.Ref === 'AWS::StackName') {
    return stackName;
  }
  if (Array.isArray(value?.['Fn::Join'])) {
    return value['Fn::Join'][1].map((part: unknown) => renderName(part, stackName)).join(value['Fn::Join'][0]);
  }
  return 'x';
}

/** The logical ids of the `AWS::KMS::Key`s that `node` refers to (Ref or Fn::GetAtt). */
function keysReferredToBy(node: unknown, keys: Set<string>): string[] {
  const text = JSON.stringify(node ?? null);
  return [...keys].filter((id) => text.includes(`{"Ref":"${id}"}`) || text.includes(`{"Fn::GetAtt":["${id}",`));
}

describe.each(CONFIGURATIONS.map(([name]) => name))('every resource of the %s configuration', (name) => {
  // https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html: "The principals in the
  // key policy must exist and be visible to AWS KMS" (likewise SNS, S3 and VPC endpoint policies
  // validate principals when the policy is written). A service-linked role exists only after its
  // service first created it in the account (EC2 Auto Scaling: with the first group,
  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html),
  // so no policy may name one as a principal: conditions on `aws:PrincipalArn` may.
  // A role the same stack creates is visible to KMS only after IAM has propagated it ("When you
  // create a new AWS principal, you might need to enforce a delay before including the new
  // principal in a key policy", same page): grants to it go in its own policy, not the key's.
  test('no policy names a service-linked role as a principal (it may not exist yet), no key policy a role of the stack', () => {
    const resources = configuration(name);
    const roles = Object.keys(resources).filter((id) => resources[id].Type === 'AWS::IAM::Role');
    const offenders = Object.entries(resources).flatMap(([id, resource]) =>
      principalsIn(resource.Properties, id)
        .filter(([, principal]) => {
          const text = JSON.stringify(principal);
          return (
            text.includes('role/aws-service-role/') ||
            (resource.Type === 'AWS::KMS::Key' && roles.some((role) => text.includes(`"${role}"`)))
          );
        })
        .map(([path]) => path),
    );
    expect(offenders).toEqual([]);
  });

  // Session Manager reads the account's preferences from the document `SSM-SessionManagerRunShell`,
  // which it creates itself "when you configure Session Manager for your AWS account or when you
  // change session preferences in the Systems Manager console"
  // (https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-default-session-document.html):
  // a stack that creates it fails wherever it exists, and deletes the account's preferences when it
  // goes. Every other physical name must be unique per stack (stack name, stack id, or an attribute).
  test('no resource claims an account-wide name: every physical name is unique per stack', () => {
    const fixed = Object.entries(configuration(name)).flatMap(([id, resource]) => {
      const physical = physicalName(resource);
      return physical !== undefined && !/AWS::StackName|AWS::StackId|Fn::GetAtt/.test(JSON.stringify(physical))
        ? [`${id}: ${JSON.stringify(physical)}`]
        : [];
    });
    expect(fixed).toEqual([]);
  });

  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html:
  // "You can specify up to three match evaluations per condition. You can specify up to five match
  // evaluations per rule." "There is a limit of five wildcard characters per rule." A rule over a
  // limit fails to create.
  test('every listener rule has at most 3 values per condition, 5 per rule and 5 wildcards', () => {
    for (const [id, rule] of Object.entries(configuration(name)).filter(
      ([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule',
    )) {
      const counts = (rule.Properties.Conditions as any[]).map((condition) => {
        const config = Object.entries(condition).find(([key]) => key.endsWith('Config'))?.[1] as any;
        return (config?.Values ?? config?.QueryStrings ?? condition.Values ?? []).length;
      });
      const wildcards = JSON.stringify(rule.Properties.Conditions).replace(/[^*?]/g, '').length;
      expect({
        id,
        perCondition: Math.max(...counts) <= 3,
        perRule: counts.reduce((a, b) => a + b, 0) <= 5,
        wildcards: wildcards <= 5,
      }).toEqual({ id, perCondition: true, perRule: true, wildcards: true });
    }
  });

  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html:
  // CloudFormation orders resources by DependsOn and by every Ref and Fn::GetAtt (also those in
  // UpdatePolicy and CreationPolicy), and refuses a template whose dependencies form a cycle
  // ("Circular dependency between resources"). aws-cdk-lib finds cycles among construct
  // dependencies, not among references written into an update policy: this rule finds them all.
  test('no resource depends on itself through DependsOn, Ref or Fn::GetAtt', () => {
    const resources = configuration(name);
    const edges = new Map<string, Set<string>>();
    for (const [id, resource] of Object.entries(resources)) {
      const text = JSON.stringify({ ...resource, Type: undefined });
      const targets = new Set<string>([...(resource.DependsOn ?? [])]);
      for (const other of Object.keys(resources)) {
        if (text.includes(`{"Ref":"${other}"}`) || text.includes(`{"Fn::GetAtt":["${other}",`)) {
          targets.add(other);
        }
      }
      targets.delete(id);
      edges.set(id, targets);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (id: string, path: string[]): void => {
      if (state.get(id) === 'done') {
        return;
      }
      if (state.get(id) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(id)), id].join(' -> '));
        return;
      }
      state.set(id, 'visiting');
      for (const next of edges.get(id) ?? []) {
        visit(next, [...path, id]);
      }
      state.set(id, 'done');
    };
    for (const id of edges.keys()) {
      visit(id, []);
    }
    expect(cycles).toEqual([]);
  });

  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html and
  // API_PutCompositeAlarm.html: AlarmName "Length Constraints: Minimum length of 1. Maximum length of
  // 255"; AlarmActions and OKActions "Maximum number of 5 items". Names are measured with the stack's
  // own name in place of AWS::StackName (the longest configuration uses a 128-character one).
  test('every alarm name fits 255 characters and every alarm has at most 5 actions per state', () => {
    const resources = configuration(name);
    const stackName = name === 'longest names, most actions' ? LONGEST_STACK_NAME : 'PaymentApi';
    const problems = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm' || r.Type === 'AWS::CloudWatch::CompositeAlarm')
      .flatMap(([id, alarm]) => {
        const found: string[] = [];
        const alarmName = alarm.Properties.AlarmName;
        if (alarmName !== undefined) {
          const text = renderName(alarmName, stackName);
          if (text.length > 255) {
            found.push(`${id}: AlarmName of ${text.length} characters`);
          }
        }
        for (const key of ['AlarmActions', 'OKActions', 'InsufficientDataActions']) {
          if ((alarm.Properties[key] ?? []).length > 5) {
            found.push(`${id}: ${alarm.Properties[key].length} ${key}`);
          }
        }
        return found;
      });
    expect(problems).toEqual([]);
  });

  // https://aws.amazon.com/waf/pricing/: a web ACL's price includes 1,500 WCUs, above which AWS WAF
  // charges per request; capacities per rule group in src/private/web-acl-capacity.ts (with their
  // pages), 2 per rate-based rule plus its scope-down statement, 2 per starts-with string match and
  // 10 per text transformation
  // (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-string-match.html).
  // A pinned managed rule group version expires: AWS WAF then evaluates the default version and
  // refuses web ACL updates, so each pinned version has a DaysToExpiry alarm
  // (https://docs.aws.amazon.com/waf/latest/developerguide/waf-using-managed-rule-groups-expiration.html).
  test('every web ACL stays within the 1,500 WCUs included, and every pinned rule group version has an expiry alarm', () => {
    const resources = configuration(name);
    const byGroup = new Map(MANAGED_RULE_GROUPS.map((group) => [group.name, group.capacity]));
    const statementCost = (statement: any): number => {
      if (statement.ByteMatchStatement) {
        const transformations = statement.ByteMatchStatement.TextTransformations.filter((t: any) => t.Type !== 'NONE');
        return STARTS_WITH_PATH_CAPACITY + 10 * transformations.length;
      }
      if (statement.OrStatement) {
        return statement.OrStatement.Statements.reduce((sum: number, s: any) => sum + statementCost(s), 0);
      }
      if (statement.ManagedRuleGroupStatement) {
        const capacity = byGroup.get(statement.ManagedRuleGroupStatement.Name);
        if (capacity === undefined) {
          throw new Error(`no documented capacity for ${statement.ManagedRuleGroupStatement.Name}`);
        }
        return capacity;
      }
      if (statement.RateBasedStatement) {
        const scopeDown = statement.RateBasedStatement.ScopeDownStatement;
        return RATE_BASED_RULE_CAPACITY + (scopeDown ? statementCost(scopeDown) : 0);
      }
      throw new Error(`no capacity known for ${JSON.stringify(statement).slice(0, 80)}`);
    };
    const alarms = Object.values(resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === 'DaysToExpiry',
    );
    const problems = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::WAFv2::WebACL')
      .flatMap(([id, acl]) => {
        const found: string[] = [];
        const total = acl.Properties.Rules.reduce((sum: number, rule: any) => sum + statementCost(rule.Statement), 0);
        if (total > 1500) {
          found.push(`${id}: ${total} WCUs`);
        }
        for (const rule of acl.Properties.Rules) {
          const group = rule.Statement.ManagedRuleGroupStatement;
          const watched = alarms.some(
            (alarm) =>
              alarm.Properties.Dimensions.some((d: any) => d.Name === 'Version' && d.Value === group?.Version) &&
              alarm.Properties.Dimensions.some((d: any) => d.Name === 'ManagedRuleGroup' && d.Value === group?.Name),
          );
          if (group?.Version !== undefined && !watched) {
            found.push(`${id}: ${group.Name} ${group.Version} has no DaysToExpiry alarm`);
          }
        }
        return found;
      });
    expect(problems).toEqual([]);
  });

  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html:
  // RetainExceptOnCreate "retains the resource ... except when the stack fails to create, in which
  // case the resource is deleted" (a KMS key: scheduled for deletion). Whatever a failed create
  // keeps (Retain) must stay readable, so the key that encrypts it must be kept as well.
  test('whatever a failed create keeps is encrypted only by keys it keeps too', () => {
    const resources = configuration(name);
    const keys = new Set(Object.keys(resources).filter((id) => resources[id].Type === 'AWS::KMS::Key'));
    const orphaned = Object.entries(resources).flatMap(([id, resource]) =>
      resource.DeletionPolicy === 'Retain'
        ? keysReferredToBy(resource.Properties, keys)
            .filter((key) => resources[key].DeletionPolicy !== 'Retain')
            .map((key) => `${id} is kept, its key ${key} is ${resources[key].DeletionPolicy ?? 'Delete'}`)
        : [],
    );
    expect(orphaned).toEqual([]);
  });
});

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions:
// EventBridge publishes to a topic only if the topic policy allows events.amazonaws.com; a topic
// policy replaces SNS's default policy, so a rule whose topic policy does not name it delivers
// nothing, silently. Over every EventBridge rule of the default shape that targets a topic of the
// stack (an imported topic's policy is the user's).
test('every EventBridge rule that targets a topic of the stack is allowed by that topic’s policy, by its ARN', () => {
  // GIVEN
  const { template } = synthShape('default');
  const resources = resourcesOf(template);
  const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy'));

  // THEN
  const rules = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Events::Rule');
  expect(rules.length).toBeGreaterThan(0);
  for (const [id, rule] of rules) {
    for (const target of rule.Properties.Targets as Array<{ Arn: any }>) {
      const topicId = target.Arn?.Ref;
      if (topicId === undefined || resources[topicId]?.Type !== 'AWS::SNS::Topic') {
        continue;
      }
      const allowed = policies
        .filter((p) => JSON.stringify(p.Properties.Topics).includes(topicId))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as any[])
        .some(
          (st) =>
            st.Effect === 'Allow' &&
            st.Principal?.Service === 'events.amazonaws.com' &&
            JSON.stringify(st.Condition?.ArnEquals?.['aws:SourceArn'] ?? []).includes(`"${id}"`),
        );
      expect({ rule: id, allowed }).toEqual({ rule: id, allowed: true });
    }
  }
});

// PCI DSS v4.0.1 1.3.2 as a class rule: "the default endpoint policy grants full access to the
// endpoint" (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html), so every
// statement of every endpoint policy must hold its callers to this account, except the two
// exceptions that cannot (anonymous reads of AWS-owned buckets by dnf, and cfn-signal without
// credentials, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-signal.html); and a
// DNS Firewall rule group is only ever associated with a VPC of the template, never a user's own.
describe.each(CONFIGURATIONS.map(([name]) => name))('egress of the %s configuration', (name) => {
  test('every endpoint policy statement is held to this account, or is one of the two documented exceptions', () => {
    const resources = configuration(name);
    const offenders = Object.entries(resources)
      .filter(([, resource]) => resource.Type === 'AWS::EC2::VPCEndpoint')
      .flatMap(([id, resource]) =>
        (resource.Properties?.PolicyDocument?.Statement ?? []).map((statement: any) => [id, statement] as const),
      )
      .filter(([, statement]) => {
        const held =
          JSON.stringify(statement.Condition?.StringEquals?.['aws:PrincipalAccount']) ===
          JSON.stringify({ Ref: 'AWS::AccountId' });
        const awsOwnedReads = statement.Sid === 'ReadAwsOwnedBuckets' && statement.Action === 's3:GetObject';
        const signals =
          statement.Action === 'cloudformation:SignalResource' &&
          JSON.stringify(statement.Resource) === JSON.stringify({ Ref: 'AWS::StackId' });
        return statement.Effect === 'Allow' && !held && !awsOwnedReads && !signals;
      })
      .map(([id, statement]) => `${id}/${statement.Sid}`);
    expect(offenders).toEqual([]);
  });

  test('a DNS Firewall rule group is associated only with a VPC of this template', () => {
    const resources = configuration(name);
    const vpcs = Object.keys(resources).filter((id) => resources[id].Type === 'AWS::EC2::VPC');
    const offenders = Object.entries(resources)
      .filter(([, resource]) => resource.Type === 'AWS::Route53Resolver::FirewallRuleGroupAssociation')
      .filter(([, resource]) => !vpcs.includes(resource.Properties?.VpcId?.Ref))
      .map(([id]) => id);
    expect(offenders).toEqual([]);
  });
});
