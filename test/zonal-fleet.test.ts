import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fc from 'fast-check';
import { FailoverTier, FailoverTierProps, ZonalFleet } from '../src';
import { AZS, buildTier, launchTemplateUserDataText, logicalIdOf, newStack, newTier } from './util';
import { validateSurvivesAzLoss } from '../src/private/validate';

describe('releases (defaults)', () => {
  let tier: FailoverTier;
  let template: Template;
  let resources: Record<string, any>;
  beforeAll(() => {
    // GIVEN / WHEN
    ({ tier, template } = newTier());
    resources = template.toJSON().Resources;
  });

  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html: an instance
  // refresh replaces the instances inside the group, so the group keeps its size; a replacing update
  // would create a new group at its MinSize ("If you do not specify a desired capacity, the default is
  // the minimum size of the group", CreateAutoScalingGroup) and drop a scaled-out group to its floor.
  test('every group is released by an instance refresh that keeps capacity, and only its creation waits for signals', () => {
    // THEN
    for (const fleet of tier.zonalFleets) {
      const group = resources[logicalIdOf(fleet.autoScalingGroup)];
      expect(group.UpdatePolicy.AutoScalingReplacingUpdate).toBeUndefined();
      expect(group.UpdatePolicy.AutoScalingRollingUpdate).toBeUndefined();
      expect(group.UpdatePolicy.AutoScalingInstanceRefresh).toEqual({
        Strategy: 'Rolling',
        Preferences: {
          // launch before terminate: never below the current size, at most twice it
          MinHealthyPercentage: 100,
          MaxHealthyPercentage: 200,
          BakeTime: 300,
          AlarmSpecification: { Alarms: expect.any(Array) },
        },
      });
      expect(group.CreationPolicy).toEqual({
        AutoScalingCreationPolicy: { MinSuccessfulInstancesPercent: 100 },
        ResourceSignal: { Count: 2, Timeout: 'PT15M' },
      });
      // The launch template's version is what a release changes: a new version, a refresh.
      expect(group.Properties.LaunchTemplate.Version).toEqual({
        'Fn::GetAtt': [logicalIdOf(fleet.launchTemplate), 'LatestVersionNumber'],
      });
    }
  });

  // AlarmSpecification: "You can specify up to 10 alarms"; any alarm in ALARM fails the refresh
  // (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AlarmSpecification.html).
  test("a zone's release is failed by the zone's four alarms and the tier's 5xx and latency alarms, all in the stack", () => {
    // THEN
    for (const fleet of tier.zonalFleets) {
      const names =
        resources[logicalIdOf(fleet.autoScalingGroup)].UpdatePolicy.AutoScalingInstanceRefresh.Preferences
          .AlarmSpecification.Alarms;
      const expected = [...fleet.alarms, tier.alarms.target5xxAlarm, tier.alarms.latencyAlarm].map((alarm) => ({
        Ref: logicalIdOf(alarm),
      }));
      expect(names).toEqual(expected);
      expect(names.length).toBeLessThanOrEqual(10);
      for (const name of names) {
        expect(resources[name.Ref].Type).toBe('AWS::CloudWatch::Alarm');
      }
    }
  });

  test('scaling groups carry no DesiredCapacity: a deploy keeps the size their policies chose', () => {
    // WHEN
    const { template: scaling } = newTier(() => ({ maxInstancesPerAz: 4 }));

    // THEN
    for (const group of Object.values(scaling.findResources('AWS::AutoScaling::AutoScalingGroup'))) {
      expect(group.Properties.DesiredCapacity).toBeUndefined();
      expect(group.UpdatePolicy.AutoScalingInstanceRefresh.Preferences.MinHealthyPercentage).toBe(100);
    }
  });

  test('more than 10 release alarms fail synthesis with the zone named', () => {
    // GIVEN
    const stack = newStack();
    const t = buildTier(() => ({}), stack);
    const extra = Array.from(
      { length: 5 },
      (_, i) =>
        new cloudwatch.Alarm(stack, `Extra${i}`, {
          metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' }),
          threshold: 1,
          evaluationPeriods: 1,
        }),
    );

    // WHEN
    t.zonalFleets[0].addReleaseAlarms(extra);

    // THEN
    expect(() => Template.fromStack(stack)).toThrow(
      'A release of eu-west-1a is watched by at most 10 alarms (an instance refresh takes up to 10), got: 11',
    );
  });

  test('zones are released one at a time, in the order of availabilityZones', () => {
    // THEN
    const ids = tier.zonalFleets.map((fleet) => logicalIdOf(fleet.autoScalingGroup));
    expect(resources[ids[0]].DependsOn ?? []).not.toEqual(expect.arrayContaining([ids[1]]));
    expect(resources[ids[0]].DependsOn ?? []).not.toEqual(expect.arrayContaining([ids[2]]));
    expect(resources[ids[1]].DependsOn).toEqual(expect.arrayContaining([ids[0]]));
    expect(resources[ids[2]].DependsOn).toEqual(expect.arrayContaining([ids[1]]));
  });

  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-signal.html
  test("each zone's user data ends with a signal to its own group, sent once the health path answers", () => {
    // THEN
    for (const fleet of tier.zonalFleets) {
      const text = launchTemplateUserDataText(resources[logicalIdOf(fleet.launchTemplate)]);
      const agent = text.indexOf('amazon-cloudwatch-agent-ctl');
      const application = text.indexOf('HEALTH_PATH');
      const wait = text.indexOf(
        `until [ "$(curl --insecure --silent --output /dev/null --write-out '%{http_code}' --max-time 5 'https://localhost/health')" = 200 ]; do`,
      );
      const success = text.indexOf(
        `/opt/aws/bin/cfn-signal --exit-code 0 --stack '{"Ref":"AWS::StackName"}' --resource '${logicalIdOf(fleet.autoScalingGroup)}' --region '{"Ref":"AWS::Region"}'`,
      );
      expect(agent).toBeGreaterThan(0);
      expect(application).toBeGreaterThan(agent);
      expect(wait).toBeGreaterThan(application);
      expect(success).toBeGreaterThan(wait);
      // a failure signal when the deadline (a minute before the 15-minute timeout) passes first
      expect(text).toContain('deadline=$(( $(date +%s) + 840 ))');
      expect(text).toContain(
        `/opt/aws/bin/cfn-signal --exit-code 1 --stack '{"Ref":"AWS::StackName"}' --resource '${logicalIdOf(fleet.autoScalingGroup)}'`,
      );
      expect(text).toContain('[ -x /opt/aws/bin/cfn-signal ] || dnf install -y aws-cfn-bootstrap');
    }
  });

  test('by default every group has a fixed size: min = max = desired = instancesPerAz, and no scaling policy', () => {
    // THEN
    template.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', {
      MinSize: '2',
      MaxSize: '2',
      DesiredCapacity: '2',
    });
    template.resourceCountIs('AWS::AutoScaling::ScalingPolicy', 0);
  });

  // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/burstable-performance-instances-unlimited-mode.html
  test('burstable instances run with unlimited CPU credits, set explicitly', () => {
    // THEN
    template.allResourcesProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        CreditSpecification: { CpuCredits: 'unlimited' },
        InstanceType: 't3.medium',
      }),
    });
  });

  test('the default image warns that a new Amazon Linux 2023 reaches the instances without a deploy', () => {
    // THEN
    Annotations.fromStack(Stack.of(tier)).hasWarning(
      '/TestStack/Tier',
      Match.stringLikeRegexp(
        '^No `machineImage`: the primary tier runs the latest Amazon Linux 2023, which EC2 resolves from its public SSM parameter at every launch, so a new image reaches the instances without a deploy',
      ),
    );
  });
});

describe('releases (options)', () => {
  test('a pinned image does not warn; a non-burstable type sets no credit specification', () => {
    // GIVEN / WHEN
    const { stack, template } = newTier(() => ({
      machineImage: ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-0123456789abcdef0' }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.M5, ec2.InstanceSize.LARGE),
    }));

    // THEN
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('imageFromSsm'))).toEqual([]);
    template.allResourcesProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ CreditSpecification: Match.absent() }),
    });
  });

  test('signalTimeout sets the creation policy timeout and the failure deadline a minute before it', () => {
    // GIVEN / WHEN
    const { template } = newTier(() => ({ signalTimeout: Duration.minutes(30) }));

    // THEN
    for (const group of Object.values(template.findResources('AWS::AutoScaling::AutoScalingGroup'))) {
      expect(group.CreationPolicy.ResourceSignal).toEqual({ Count: 2, Timeout: 'PT30M' });
    }
    const lt = Object.values(template.findResources('AWS::EC2::LaunchTemplate'))[0];
    expect(launchTemplateUserDataText(lt)).toContain('deadline=$(( $(date +%s) + 1740 ))');
  });

  test('the signal step quotes the health path for the shell', () => {
    // GIVEN / WHEN
    const { template } = newTier(() => ({ healthCheckPath: "/it's" }));

    // THEN
    const lt = Object.values(template.findResources('AWS::EC2::LaunchTemplate'))[0];
    expect(launchTemplateUserDataText(lt)).toContain("'https://localhost/it'\\''s'");
  });
});

describe('capacity above the floor', () => {
  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html
  test('maxInstancesPerAz above the floor: min = floor, no desired capacity (kept across deploys), CPU tracking per zone', () => {
    // GIVEN / WHEN
    const { tier, template } = newTier(() => ({ maxInstancesPerAz: 5 }));

    // THEN
    template.allResourcesProperties('AWS::AutoScaling::AutoScalingGroup', {
      MinSize: '2',
      MaxSize: '5',
      DesiredCapacity: Match.absent(),
      DefaultInstanceWarmup: 180,
    });
    template.resourceCountIs('AWS::AutoScaling::ScalingPolicy', 3);
    for (const fleet of tier.zonalFleets) {
      template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
        AutoScalingGroupName: { Ref: logicalIdOf(fleet.autoScalingGroup) },
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' },
          TargetValue: 50,
        },
      });
    }
    // signals wait for the floor: a new group starts at its minimum
    for (const group of Object.values(template.findResources('AWS::AutoScaling::AutoScalingGroup'))) {
      expect(group.CreationPolicy.ResourceSignal.Count).toBe(2);
    }
  });

  test('targetRequestsPerInstance adds request-count tracking on the tier target group, per zone', () => {
    // GIVEN / WHEN
    const { template } = newTier(() => ({
      maxInstancesPerAz: 4,
      targetRequestsPerInstance: 600,
      targetCpuPercent: 40,
    }));

    // THEN
    template.resourcePropertiesCountIs(
      'AWS::AutoScaling::ScalingPolicy',
      {
        TargetTrackingConfiguration: Match.objectLike({
          PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }),
          TargetValue: 600,
        }),
      },
      3,
    );
    template.resourcePropertiesCountIs(
      'AWS::AutoScaling::ScalingPolicy',
      { TargetTrackingConfiguration: Match.objectLike({ TargetValue: 40 }) },
      3,
    );
  });

  test('the alarm behind the Route 53 capacity check keeps its threshold from the floor', () => {
    // GIVEN / WHEN
    const fixed = newTier().tier;
    const scaling = newTier(() => ({ maxInstancesPerAz: 10 })).tier;

    // THEN: 3 zones × floor 2 × 50 %
    expect(scaling.minHealthyHosts).toBe(3);
    expect(scaling.minHealthyHosts).toBe(fixed.minHealthyHosts);
  });

  test('scaling targets on a tier that does not scale warn that they have no effect', () => {
    // GIVEN / WHEN
    const { stack } = newTier(() => ({ targetCpuPercent: 60, targetRequestsPerInstance: 100 }));

    // THEN
    Annotations.fromStack(stack).hasWarning(
      '/TestStack/Tier',
      '`targetCpuPercent` and `targetRequestsPerInstance` have no effect on the primary tier: it does not scale by target tracking (`maxInstancesPerAz` 2 is not above its floor `instancesPerAz` 2). [ack: multi-az-failover-service:scalingTargetsUnused]',
    );
  });

  test.each<[string, Partial<FailoverTierProps>, string]>([
    [
      'max below the floor',
      { maxInstancesPerAz: 1 },
      '`maxInstancesPerAz` must be at least the floor `instancesPerAz` (2), got: 1',
    ],
    [
      'max not an integer',
      { maxInstancesPerAz: 2.5 },
      '`maxInstancesPerAz` must be an integer from 1 to 100, got: 2.5',
    ],
    ['max above 100', { maxInstancesPerAz: 101 }, '`maxInstancesPerAz` must be an integer from 1 to 100, got: 101'],
    [
      'CPU target 0',
      { targetCpuPercent: 0 },
      '`targetCpuPercent` must be a number greater than 0 and at most 100, got: 0',
    ],
    [
      'request target 0',
      { targetRequestsPerInstance: 0 },
      '`targetRequestsPerInstance` must be an integer from 1 to 1000000, got: 0',
    ],
    [
      'signal timeout below 5 minutes',
      { signalTimeout: Duration.seconds(90) },
      '`signalTimeout` must be a whole number of minutes from 5 to 60 minutes, got: 1 minute 30 seconds',
    ],
    [
      'signal timeout above an hour',
      { signalTimeout: Duration.hours(2) },
      '`signalTimeout` must be a whole number of minutes from 5 to 60 minutes, got: 2 hours',
    ],
    [
      'peak not an integer',
      { peakInstancesNeeded: 0 },
      '`peakInstancesNeeded` must be an integer from 1 to 10000, got: 0',
    ],
    [
      'peak above what survives a zone loss',
      { peakInstancesNeeded: 5 },
      "`peakInstancesNeeded` must be at most the floor the primary tier keeps after losing one of its 3 Availability Zones, 4 (`instancesPerAz` 2 × 2 zones), got: 5. Raise `instancesPerAz` to at least 3, or set `survivesAzLoss: false` to rely on scaling after a zone's loss",
    ],
    [
      'peak without the check',
      { survivesAzLoss: false, peakInstancesNeeded: 3 },
      '`peakInstancesNeeded` is only checked with `survivesAzLoss`, got: peakInstancesNeeded 3 with survivesAzLoss false',
    ],
  ])('%s is refused', (_name, props, message) => {
    // WHEN / THEN
    expect(() => newTier(() => props)).toThrow(message);
  });

  test('the floor that survives a zone loss passes; survivesAzLoss false accepts a smaller floor', () => {
    // WHEN / THEN
    expect(() => newTier(() => ({ peakInstancesNeeded: 4 }))).not.toThrow();
    expect(() => newTier(() => ({ instancesPerAz: 1, survivesAzLoss: false }))).not.toThrow();
  });

  test('static stability: for any zones and floor, the default peak passes and one instance more fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 100 }), (zones, floor) => {
        const remaining = floor * (zones - 1);
        // the default, floor total × (zones − 1) / zones
        validateSurvivesAzLoss('primary', zones, floor, undefined, (floor * zones * (zones - 1)) / zones);
        validateSurvivesAzLoss('primary', zones, floor, true, remaining);
        expect(() => validateSurvivesAzLoss('primary', zones, floor, true, remaining + 1)).toThrow(
          `after losing one of its ${zones} Availability Zones, ${remaining} (`,
        );
      }),
      { seed: 20261126, numRuns: 200 },
    );
  });
});

test('a ZonalFleet builds its own user data: launchTemplateProps.userData is refused', () => {
  // GIVEN
  const { stack, tier } = newTier();

  // WHEN / THEN
  expect(
    () =>
      new ZonalFleet(stack, 'Extra', {
        vpc: tier.loadBalancer.vpc!,
        availabilityZone: AZS[0],
        launchTemplateProps: { userData: ec2.UserData.forLinux() },
        userDataParts: [],
        healthCheckPath: '/health',
        instances: 1,
        targetGroup: tier.targetGroup,
        loadBalancer: tier.loadBalancer,
      }),
  ).toThrow(
    '`launchTemplateProps.userData` must be left out: pass the user data as `userDataParts`, which the fleet joins with its release signal, got: a UserData',
  );
});

test('a ZonalFleet refuses a maximum below its floor', () => {
  // GIVEN
  const { stack, tier } = newTier();

  // WHEN / THEN
  expect(
    () =>
      new ZonalFleet(stack, 'Extra', {
        vpc: tier.loadBalancer.vpc!,
        availabilityZone: AZS[0],
        launchTemplateProps: {},
        userDataParts: [],
        healthCheckPath: '/health',
        instances: 3,
        maxInstances: 2,
        targetGroup: tier.targetGroup,
        loadBalancer: tier.loadBalancer,
      }),
  ).toThrow('`maxInstances` must be at least `instances` (3), got: 2');
});

describe('health check grace period', () => {
  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/health-check-grace-period.html: Auto
  // Scaling ignores a new instance's failed health checks for the grace period; an instance refresh
  // warms instances up for it when the group has no default instance warmup
  // (https://docs.aws.amazon.com/autoscaling/ec2/userguide/understand-instance-refresh-default-values.html).
  test('defaults to 5 minutes and follows healthCheckGracePeriod', () => {
    // WHEN
    const { template: defaults } = newTier();
    const { template: custom } = newTier(() => ({ healthCheckGracePeriod: Duration.minutes(8) }));

    // THEN
    for (const [template, seconds] of [
      [defaults, 300],
      [custom, 480],
    ] as const) {
      const groups = Object.values(template.findResources('AWS::AutoScaling::AutoScalingGroup'));
      expect(groups.map((group) => group.Properties.HealthCheckGracePeriod)).toEqual([seconds, seconds, seconds]);
    }
  });

  test.each([
    [
      Duration.minutes(15),
      undefined,
      '`healthCheckGracePeriod` must be whole seconds from 0 and shorter than `signalTimeout` (15 minutes), got: 15 minutes',
    ],
    [
      Duration.minutes(6),
      Duration.minutes(5),
      '`healthCheckGracePeriod` must be whole seconds from 0 and shorter than `signalTimeout` (5 minutes), got: 6 minutes',
    ],
    [
      Duration.millis(1500),
      undefined,
      '`healthCheckGracePeriod` must be whole seconds from 0 and shorter than `signalTimeout` (15 minutes), got: 1 second 500 millis',
    ],
  ])(
    'healthCheckGracePeriod %s with signalTimeout %s is rejected',
    (healthCheckGracePeriod, signalTimeout, message) => {
      // WHEN / THEN
      expect(() => newTier(() => ({ healthCheckGracePeriod, signalTimeout }))).toThrow(message);
    },
  );
});

// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html:
// HealthyHostCount is "Reported if there are registered targets": a zone whose instances are all gone
// publishes no datapoint, which a not-breaching alarm would read as a quiet zone.
describe('an empty zone', () => {
  let tier: FailoverTier;
  let stack: Stack;
  let resources: Record<string, any>;
  beforeAll(() => {
    // GIVEN / WHEN
    let template: Template;
    ({ tier, stack, template } = newTier());
    resources = template.toJSON().Resources;
  });

  test("a zone's HealthyHosts reads a minute without data as 0 healthy hosts, and no data at all as breaching", () => {
    // THEN
    for (const fleet of tier.zonalFleets) {
      const alarm = resources[logicalIdOf(fleet.healthyHostsAlarm)];
      expect(alarm.Properties).toMatchObject({
        Metrics: [
          { Id: 'expr_1', Expression: 'FILL(healthy, 0)' },
          {
            Id: 'healthy',
            ReturnData: false,
            MetricStat: { Metric: { MetricName: 'HealthyHostCount' }, Period: 60, Stat: 'Minimum' },
          },
        ],
        Threshold: 2,
        ComparisonOperator: 'LessThanThreshold',
        EvaluationPeriods: 3,
        TreatMissingData: 'breaching',
      });
      // One of the release alarms, which the group's update policy names: it cannot also wait for
      // the group (a dependency cycle, test/deploy-rules.test.ts).
      expect(alarm.DependsOn ?? []).not.toContain(logicalIdOf(fleet.autoScalingGroup));
    }
  });

  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-metrics.html: group metrics
  // are sent every minute (1-minute granularity); the groups have them on.
  test("a zone's InService alarm counts the group's in-service instances, which a load balancer's zonal shift does not move", () => {
    // THEN
    for (const fleet of tier.zonalFleets) {
      expect(resources[logicalIdOf(fleet.inServiceAlarm)].Properties).toMatchObject({
        Namespace: 'AWS/AutoScaling',
        MetricName: 'GroupInServiceInstances',
        Dimensions: [
          { Name: 'AutoScalingGroupName', Value: stack.resolve(fleet.autoScalingGroup.autoScalingGroupName) },
        ],
        Statistic: 'Minimum',
        Period: 60,
        Threshold: 2,
        ComparisonOperator: 'LessThanThreshold',
        EvaluationPeriods: 3,
        TreatMissingData: 'breaching',
      });
    }
  });

  test.each<[string, (fleet: ZonalFleet) => cloudwatch.Alarm, string]>([
    ['HealthyHosts: an empty zone is what it watches', (fleet) => fleet.healthyHostsAlarm, 'breaching'],
    ['InService: the group publishes every minute while it exists', (fleet) => fleet.inServiceAlarm, 'breaching'],
    ['Target5xx: no request, no error', (fleet) => fleet.target5xxAlarm, 'notBreaching'],
    ['Latency: no request, no response time', (fleet) => fleet.latencyAlarm, 'notBreaching'],
    [
      'Outlier: no 5xx in the zone, no outlier (HealthyHosts fires for an empty zone)',
      (fleet) => fleet.outlierAlarm,
      'notBreaching',
    ],
  ])('missing data, %s', (_name, alarmOf, treatMissingData) => {
    // THEN
    for (const fleet of tier.zonalFleets) {
      expect(resources[logicalIdOf(alarmOf(fleet))].Properties.TreatMissingData).toBe(treatMissingData);
    }
  });

  // The release gate stays the zone's four alarms (plus the tier's two): a refresh launches before it
  // terminates (MinHealthyPercentage 100), so a release alone never empties a zone.
  test('the release gate is unchanged: the four zone alarms, not InService', () => {
    // THEN
    for (const fleet of tier.zonalFleets) {
      expect(fleet.releaseAlarms.slice(0, 4)).toEqual(fleet.alarms);
      expect(fleet.releaseAlarms).not.toContain(fleet.inServiceAlarm);
    }
  });
});
