import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { RegionSwitchPlan, RegionSwitchPlanProps } from '../src';

// The plan lives in the global stack (us-east-1 in the example); the groups and alarms in
// the two Regional stacks, passed as values.
const PRIMARY = 'eu-west-1';
const STANDBY = 'us-east-1';
const ZONE_ID = 'Z0123456789EXAMPLEABC';

function groupArn(region: string, name: string, digit = '1'): string {
  return `arn:aws:autoscaling:${region}:111122223333:autoScalingGroup:0a1b2c3d-${digit.repeat(4)}-2222-3333-444455556666:autoScalingGroupName/${name}`;
}

const PAIRS = [
  { primaryGroupArn: groupArn(PRIMARY, 'pay-primary-a'), standbyGroupArn: groupArn(STANDBY, 'pay-primary-a') },
  {
    primaryGroupArn: groupArn(PRIMARY, 'pay-primary-b', '2'),
    standbyGroupArn: groupArn(STANDBY, 'pay-primary-b', '2'),
  },
];

function newPlan(props: (stack: Stack) => Partial<RegionSwitchPlanProps> = () => ({})): {
  stack: Stack;
  plan: RegionSwitchPlan;
  template: Template;
} {
  const stack = new Stack(new App(), 'Global', { env: { region: 'us-east-1' } });
  const plan = new RegionSwitchPlan(stack, 'RegionSwitch', {
    primaryRegion: PRIMARY,
    standbyRegion: STANDBY,
    groupPairs: PAIRS,
    hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
      hostedZoneId: ZONE_ID,
      zoneName: 'pay.example.org',
    }),
    recordName: 'api.pay.example.org',
    ...props(stack),
  });
  return { stack, plan, template: Template.fromStack(stack) };
}

function alarm(stack: Stack, id: string, region: string, name: string): cloudwatch.IAlarm {
  return cloudwatch.Alarm.fromAlarmArn(stack, id, `arn:aws:cloudwatch:${region}:111122223333:alarm:${name}`);
}

describe('RegionSwitchPlan with an approval, two group pairs and health alarms', () => {
  // GIVEN one plan over two pairs of groups, with an approval role and each Region's health alarm
  const { template } = newPlan((stack) => ({
    approvalRole: new iam.Role(stack, 'Operators', { assumedBy: new iam.AccountRootPrincipal() }),
    primaryHealthAlarms: [alarm(stack, 'PrimaryHealth', PRIMARY, 'primary-health')],
    standbyHealthAlarms: [alarm(stack, 'StandbyHealth', STANDBY, 'standby-health')],
  }));

  // https://docs.aws.amazon.com/r53recovery/latest/dg/working-with-rs-create-plan.html: active/passive,
  // exactly two Regions, the primary named.
  test('the plan is active/passive over the two Regions, the primary first', () => {
    template.hasResourceProperties('AWS::ARCRegionSwitch::Plan', {
      RecoveryApproach: 'activePassive',
      PrimaryRegion: PRIMARY,
      Regions: [PRIMARY, STANDBY],
    });
  });

  // https://docs.aws.amazon.com/r53recovery/latest/dg/working-with-rs-workflows.html: one activation
  // workflow serves both Regions of an active/passive plan (failover and failback).
  test('one activation workflow for both Regions: approval, capacity, then traffic', () => {
    const plan = Object.values(template.findResources('AWS::ARCRegionSwitch::Plan'))[0];
    const workflows = plan.Properties.Workflows;
    expect(workflows).toHaveLength(1);
    expect(workflows[0].WorkflowTargetAction).toBe('activate');
    expect(workflows[0].WorkflowTargetRegion).toBeUndefined();
    expect(workflows[0].Steps.map((s: any) => s.ExecutionBlockType)).toEqual([
      'ManualApproval',
      'Parallel',
      'Route53HealthCheck',
    ]);
  });

  // https://docs.aws.amazon.com/r53recovery/latest/dg/ec2-auto-scaling-block.html: one source and one
  // destination group per block; the step waits for the target groups' healthy targets
  // (https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Ec2AsgCapacityIncreaseConfiguration.html).
  test('one EC2 Auto Scaling block per pair, exactly one group per Region, waiting for healthy targets', () => {
    const plan = Object.values(template.findResources('AWS::ARCRegionSwitch::Plan'))[0];
    const parallel = plan.Properties.Workflows[0].Steps[1].ExecutionBlockConfiguration.ParallelConfig.Steps;
    expect(parallel).toEqual(
      PAIRS.map((pair) =>
        expect.objectContaining({
          ExecutionBlockType: 'EC2AutoScaling',
          ExecutionBlockConfiguration: {
            Ec2AsgCapacityIncreaseConfig: {
              Asgs: [{ Arn: pair.primaryGroupArn }, { Arn: pair.standbyGroupArn }],
              CapacityMonitoringApproach: 'sampledMaxInLast24Hours',
              TargetPercent: 100,
              TimeoutMinutes: 20,
              WaitELBTargetGroupHealthy: 'enabled',
            },
          },
        }),
      ),
    );
  });

  test('the traffic step sets the health checks of the global records in the zone', () => {
    template.hasResourceProperties('AWS::ARCRegionSwitch::Plan', {
      Workflows: [
        {
          Steps: Match.arrayWith([
            Match.objectLike({
              Name: 'MoveTraffic',
              ExecutionBlockConfiguration: {
                Route53HealthCheckConfig: {
                  HostedZoneId: ZONE_ID,
                  RecordName: 'api.pay.example.org',
                  TimeoutMinutes: 10,
                },
              },
            }),
          ]),
        },
      ],
    });
  });

  test("the plan's alarms are both Regions' health alarms", () => {
    template.hasResourceProperties('AWS::ARCRegionSwitch::Plan', {
      AssociatedAlarms: {
        PrimaryHealth1: {
          AlarmType: 'applicationHealth',
          ResourceIdentifier: `arn:aws:cloudwatch:${PRIMARY}:111122223333:alarm:primary-health`,
        },
        StandbyHealth1: {
          AlarmType: 'applicationHealth',
          ResourceIdentifier: `arn:aws:cloudwatch:${STANDBY}:111122223333:alarm:standby-health`,
        },
      },
      Triggers: Match.absent(),
    });
  });

  // https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_trust_policy.html
  test('the execution role trusts only Region switch', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'arc-region-switch.amazonaws.com' } },
        ],
      },
      Description: 'ARC Region switch runs and evaluates the plan with this role',
    });
  });

  // https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_ec2_autoscaling.html and
  // security_iam_region_switch_route53.html: the sample policies, scoped to these resources.
  test('the execution role may update only the paired groups, read only this zone and these alarms', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Sid: 'DescribeGroupsAndTargets',
            Action: ['autoscaling:DescribeAutoScalingGroups', 'elasticloadbalancing:DescribeTargetHealth'],
            Resource: '*',
          },
          {
            Sid: 'RaiseThesePairedGroups',
            Action: 'autoscaling:UpdateAutoScalingGroup',
            Resource: PAIRS.flatMap((p) => [p.primaryGroupArn, p.standbyGroupArn]),
          },
          {
            Sid: 'ReadGroupMetrics',
            Action: 'cloudwatch:GetMetricStatistics',
            Condition: { StringEquals: { 'cloudwatch:namespace': 'AWS/AutoScaling' } },
          },
          {
            Sid: 'ReadTheGlobalRecords',
            Action: 'route53:ListResourceRecordSets',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:route53:::hostedzone/${ZONE_ID}`]] },
          },
          {
            Sid: 'ReadTheHealthAlarms',
            Action: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
            Resource: [
              `arn:aws:cloudwatch:${PRIMARY}:111122223333:alarm:primary-health`,
              `arn:aws:cloudwatch:${STANDBY}:111122223333:alarm:standby-health`,
            ],
          },
        ].map((s) => Match.objectLike({ Effect: 'Allow', ...s })),
      },
    });
  });

  test('the plan exists only after its blocks may run (its first evaluation finds the permissions)', () => {
    const [planId] = Object.keys(template.findResources('AWS::ARCRegionSwitch::Plan'));
    const [blocksPolicyId] = Object.keys(template.findResources('AWS::IAM::ManagedPolicy')).filter((id) =>
      id.includes('BlocksPolicy'),
    );
    expect(template.toJSON().Resources[planId].DependsOn).toContain(blocksPolicyId);
  });

  test('the evaluation reads only this plan and simulates only this role', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Sid: 'SimulateThisRole', Action: 'iam:SimulatePrincipalPolicy' }),
          Match.objectLike({
            Sid: 'ReadThisPlan',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('RegionSwitchPlan'), 'Arn'] },
          }),
        ],
      },
    });
  });

  test('the approval role may approve steps of this plan only', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('Operators') }],
      PolicyDocument: {
        Statement: [
          {
            Sid: 'ApproveThisPlan',
            Action: 'arc-region-switch:ApprovePlanExecutionStep',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('RegionSwitchPlan'), 'Arn'] },
          },
        ],
      },
    });
  });

  test('no Lambda function and no custom resource', () => {
    const types = Object.values(template.toJSON().Resources).map((r: any) => r.Type);
    expect(types.filter((t) => t === 'AWS::Lambda::Function' || t.startsWith('Custom::'))).toEqual([]);
  });
});

describe('RegionSwitchPlan with one pair and no approval', () => {
  const { plan, template } = newPlan(() => ({
    groupPairs: [PAIRS[0]],
    primaryRecordSetIdentifier: 'pay-primary',
    standbyRecordSetIdentifier: 'pay-standby',
    capacityPercent: 80,
  }));

  test('the capacity block is the first step, without a parallel block', () => {
    const resource = Object.values(template.findResources('AWS::ARCRegionSwitch::Plan'))[0];
    const steps = resource.Properties.Workflows[0].Steps;
    expect(steps.map((s: any) => [s.Name, s.ExecutionBlockType])).toEqual([
      ['RaiseCapacity1', 'EC2AutoScaling'],
      ['MoveTraffic', 'Route53HealthCheck'],
    ]);
    expect(steps[0].ExecutionBlockConfiguration.Ec2AsgCapacityIncreaseConfig.TargetPercent).toBe(80);
  });

  // https://docs.aws.amazon.com/r53recovery/latest/dg/route53-health-check-block.html: record set
  // identifiers map the records to Regions when their names do not say the Region.
  test('the record set identifiers map each global record to its Region', () => {
    template.hasResourceProperties('AWS::ARCRegionSwitch::Plan', {
      Workflows: [
        {
          Steps: Match.arrayWith([
            Match.objectLike({
              ExecutionBlockConfiguration: {
                Route53HealthCheckConfig: Match.objectLike({
                  RecordSets: [
                    { RecordSetIdentifier: 'pay-primary', Region: PRIMARY },
                    { RecordSetIdentifier: 'pay-standby', Region: STANDBY },
                  ],
                }),
              },
            }),
          ]),
        },
      ],
    });
  });

  // https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Plan.html: 1 to 32 characters.
  test('the default name is unique per stack instance and within the API limits', () => {
    expect(plan.planName).toMatch(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/);
    template.hasResourceProperties('AWS::ARCRegionSwitch::Plan', { Name: plan.planName });
  });
});

describe('RegionSwitchPlan.primaryRecordHealthCheck (second deploy pass)', () => {
  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html#health-checks-creating-values-calculated:
  // a CALCULATED check is healthy when at least HealthThreshold children are.
  test('GIVEN an automatic check WHEN combined THEN a CALCULATED check healthy only while both are', () => {
    const stack = new Stack(new App(), 'Global', { env: { region: 'us-east-1' } });
    const automatic = route53.HealthCheck.fromHealthCheckId(stack, 'Automatic', 'automatic-check-id');
    const check = RegionSwitchPlan.primaryRecordHealthCheck(stack, 'PrimaryRecordCheck', {
      planHealthCheckId: 'plan-check-id',
      automaticHealthCheck: automatic,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53::HealthCheck', 1);
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'CALCULATED',
        ChildHealthChecks: ['automatic-check-id', 'plan-check-id'],
        HealthThreshold: 2,
      },
    });
    expect(stack.resolve(check.healthCheckId).Ref).toMatch(/^PrimaryRecordCheck/);
  });

  test("GIVEN no automatic check WHEN called THEN the record carries the plan's check itself", () => {
    const stack = new Stack(new App(), 'Global', { env: { region: 'us-east-1' } });
    const check = RegionSwitchPlan.primaryRecordHealthCheck(stack, 'PrimaryRecordCheck', {
      planHealthCheckId: 'plan-check-id',
    });
    expect(check.healthCheckId).toBe('plan-check-id');
    Template.fromStack(stack).resourceCountIs('AWS::Route53::HealthCheck', 0);
  });

  test('GIVEN an empty id THEN synth fails naming the prop', () => {
    const stack = new Stack(new App(), 'Global', { env: { region: 'us-east-1' } });
    expect(() => RegionSwitchPlan.primaryRecordHealthCheck(stack, 'Check', { planHealthCheckId: '' })).toThrow(
      '`planHealthCheckId` must be 1 to 64 characters, got: ""',
    );
  });
});

describe('RegionSwitchPlan validation', () => {
  test.each<[string, (stack: Stack) => Partial<RegionSwitchPlanProps>, string]>([
    [
      'a Region name',
      () => ({ primaryRegion: 'Europe' }),
      '`primaryRegion` must be a Region name such as "eu-west-1", got: "Europe"',
    ],
    [
      'two Regions',
      () => ({ standbyRegion: PRIMARY }),
      '`standbyRegion` must differ from `primaryRegion`, got: "eu-west-1" for both',
    ],
    ['a pair', () => ({ groupPairs: [] }), '`groupPairs` must name at least one pair of Auto Scaling groups, got: []'],
    [
      "the group's id in its ARN",
      () => ({
        groupPairs: [
          {
            primaryGroupArn: 'arn:aws:autoscaling:eu-west-1:111122223333:autoScalingGroup:*:autoScalingGroupName/pay',
            standbyGroupArn: PAIRS[0].standbyGroupArn,
          },
        ],
      }),
      '`groupPairs[0].primaryGroupArn` must be an Auto Scaling group ARN with the group\'s id (Fn::GetAtt AutoScalingGroupARN), got: "arn:aws:autoscaling:eu-west-1:111122223333:autoScalingGroup:*:autoScalingGroupName/pay"',
    ],
    [
      "the group's id, not aws-cdk-lib's wildcard ARN",
      (stack) => ({
        groupPairs: [
          {
            primaryGroupArn: autoscaling.AutoScalingGroup.fromAutoScalingGroupName(stack, 'Group', 'pay')
              .autoScalingGroupArn,
            standbyGroupArn: PAIRS[0].standbyGroupArn,
          },
        ],
      }),
      "`groupPairs[0].primaryGroupArn` must be an Auto Scaling group ARN with the group's id (Fn::GetAtt AutoScalingGroupARN), got: an ARN with a wildcard id (AutoScalingGroup.autoScalingGroupArn)",
    ],
    [
      'the standby group in the standby Region',
      () => ({
        groupPairs: [{ primaryGroupArn: PAIRS[0].primaryGroupArn, standbyGroupArn: PAIRS[0].primaryGroupArn }],
      }),
      '`groupPairs[0].standbyGroupArn` must be a group in us-east-1, got: a group in eu-west-1',
    ],
    [
      'both set identifiers',
      () => ({ primaryRecordSetIdentifier: 'pay-primary' }),
      '`primaryRecordSetIdentifier` and `standbyRecordSetIdentifier` must be given together, got: only `primaryRecordSetIdentifier`',
    ],
    [
      'a plan name the API accepts',
      () => ({ planName: 'pay_switch' }),
      '`planName` must be 1 to 32 letters, digits and hyphens, starting and ending with a letter or digit, got: "pay_switch"',
    ],
    ['a percent', () => ({ capacityPercent: 150 }), '`capacityPercent` must be an integer from 1 to 100, got: 150'],
    [
      'whole minutes',
      () => ({ capacityTimeout: Duration.seconds(90) }),
      '`capacityTimeout` must be a whole number of minutes from 1 to 1440 minutes, got: 1 minute 30 seconds',
    ],
    [
      'an approval role for an approval timeout',
      () => ({ approvalTimeout: Duration.minutes(5) }),
      '`approvalTimeout` needs `approvalRole` (there is no approval step without it), got: 5 minutes',
    ],
  ])('needs %s', (_what, props, message) => {
    expect(() => newPlan(props)).toThrow(message);
  });
});
