import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { MultiAzFailoverService, MultiAzFailoverServiceProps, RegionMode, SecondaryMode } from '../src';
import { importedZone, logicalIdOf, newStack } from './util';

/** The service over the test hosted zone, with `props`. */
function newService(props: Partial<MultiAzFailoverServiceProps> = {}, stack: Stack = newStack()) {
  const service = new MultiAzFailoverService(stack, 'PaymentApi', { hostedZone: importedZone(stack), ...props });
  return { stack, service, template: Template.fromStack(stack) };
}

describe('a warm-standby secondary', () => {
  let stack: Stack;
  let service: MultiAzFailoverService;
  let template: Template;
  let resources: Record<string, any>;
  beforeAll(() => {
    // GIVEN / WHEN
    ({ stack, service, template } = newService({ secondaryMode: SecondaryMode.WARM_STANDBY }));
    resources = template.toJSON().Resources;
  });

  test('idles at one instance per zone, may grow to the primary floor, and does not track targets', () => {
    // THEN
    for (const fleet of service.secondary.zonalFleets) {
      expect(resources[logicalIdOf(fleet.autoScalingGroup)].Properties).toMatchObject({ MinSize: '1', MaxSize: '2' });
      expect(resources[logicalIdOf(fleet.autoScalingGroup)].Properties.DesiredCapacity).toBeUndefined();
    }
    for (const fleet of service.primary.zonalFleets) {
      expect(resources[logicalIdOf(fleet.autoScalingGroup)].Properties).toMatchObject({
        MinSize: '2',
        MaxSize: '2',
        DesiredCapacity: '2',
      });
    }
    template.resourcePropertiesCountIs('AWS::AutoScaling::ScalingPolicy', { PolicyType: 'TargetTrackingScaling' }, 0);
  });

  test("its health floor follows its own size: the secondary's health alarm wants 2 of its 3 hosts", () => {
    // THEN
    expect(service.secondary.minHealthyHosts).toBe(2);
    expect(service.primary.minHealthyHosts).toBe(3);
  });

  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/US_AlarmAutoScalingAction.html:
  // a metric alarm invokes a step scaling policy by its ARN; composite alarms cannot.
  test('each secondary zone takes over at the primary floor when the primary loses capacity or traffic arrives', () => {
    // THEN
    expect(service.warmStandby!.takeOverAlarms).toHaveLength(3);
    service.secondary.zonalFleets.forEach((fleet, index) => {
      const group = { Ref: logicalIdOf(fleet.autoScalingGroup) };
      const policies = Object.entries(
        template.findResources('AWS::AutoScaling::ScalingPolicy', {
          Properties: { AutoScalingGroupName: group, PolicyType: 'StepScaling', AdjustmentType: 'ExactCapacity' },
        }),
      );
      expect(policies.map(([, p]) => p.Properties.StepAdjustments[0].ScalingAdjustment).sort()).toEqual([1, 2]);
      const takeOverPolicy = policies.find(([, p]) => p.Properties.StepAdjustments[0].ScalingAdjustment === 2)![0];
      const standDownPolicy = policies.find(([, p]) => p.Properties.StepAdjustments[0].ScalingAdjustment === 1)![0];
      const takeOver = resources[logicalIdOf(service.warmStandby!.takeOverAlarms[index])].Properties;
      expect(takeOver).toMatchObject({
        AlarmActions: [{ Ref: takeOverPolicy }],
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      const expression = takeOver.Metrics.find((m: any) => m.Expression).Expression;
      expect(expression).toBe('IF((FILL(activeHealthy, 0) < 3 OR FILL(standbyRequests, 0) > 1000), 1, 0)');
      const metricNames = takeOver.Metrics.filter((m: any) => m.MetricStat).map((m: any) => [
        m.Id,
        m.MetricStat.Metric.MetricName,
        m.MetricStat.Stat,
        m.MetricStat.Period,
      ]);
      expect(metricNames.sort()).toEqual([
        ['activeHealthy', 'HealthyHostCount', 'Minimum', 60],
        ['standbyRequests', 'RequestCount', 'Sum', 60],
      ]);
      const standDown = resources[logicalIdOf(service.warmStandby!.standDownAlarms[index])].Properties;
      expect(standDown).toMatchObject({ AlarmActions: [{ Ref: standDownPolicy }], EvaluationPeriods: 15 });
      expect(standDown.Metrics.find((m: any) => m.Expression).Expression).toBe(
        'IF((FILL(activeHealthy, 0) < 3 OR FILL(standbyRequests, 0) > 1000), 0, 1)',
      );
    });
  });

  test('the standby alarms read the primary target group and the secondary target group', () => {
    // THEN
    const takeOver = resources[logicalIdOf(service.warmStandby!.takeOverAlarms[0])].Properties;
    const dims = (id: string) =>
      JSON.stringify(takeOver.Metrics.find((m: any) => m.Id === id).MetricStat.Metric.Dimensions);
    expect(dims('activeHealthy')).toContain(logicalIdOf(service.primary.targetGroup));
    expect(dims('standbyRequests')).toContain(logicalIdOf(service.secondary.targetGroup));
    expect(stack.resolve(service.secondary.zonalFleets[0].floor)).toBe(1);
  });
});

describe('warm standby options and validation', () => {
  test('takeoverRequestsPerMinute and secondaryMaxInstancesPerAz set the threshold and the takeover size', () => {
    // GIVEN / WHEN
    const { template } = newService({
      secondaryMode: SecondaryMode.WARM_STANDBY,
      secondaryMaxInstancesPerAz: 3,
      takeoverRequestsPerMinute: 5000,
    });

    // THEN
    template.resourcePropertiesCountIs('AWS::AutoScaling::AutoScalingGroup', { MinSize: '1', MaxSize: '3' }, 3);
    template.resourcePropertiesCountIs(
      'AWS::AutoScaling::ScalingPolicy',
      { StepAdjustments: [Match.objectLike({ ScalingAdjustment: 3 })] },
      3,
    );
    template.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { Metrics: Match.arrayWith([Match.objectLike({ Expression: Match.stringLikeRegexp('> 5000\\), 1, 0\\)$') })]) },
      3,
    );
  });

  test('the secondary is not held to survivesAzLoss in warm standby (its floor is small on purpose)', () => {
    // WHEN / THEN: 3 zones × 1 would keep 2 after a zone loss, less than 4
    expect(() => newService({ secondaryMode: SecondaryMode.WARM_STANDBY, peakInstancesNeeded: 4 })).not.toThrow();
    expect(() => newService({ secondaryInstancesPerAz: 1, peakInstancesNeeded: 4 })).toThrow(
      '`peakInstancesNeeded` must be at most the floor the secondary tier keeps after losing one of its 3 Availability Zones, 2',
    );
  });

  test.each<[string, Partial<MultiAzFailoverServiceProps>, string]>([
    [
      'a takeover size equal to the floor',
      { secondaryMode: SecondaryMode.WARM_STANDBY, instancesPerAz: 1 },
      "`secondaryMode: SecondaryMode.WARM_STANDBY` needs `secondaryMaxInstancesPerAz` above the secondary's floor `secondaryInstancesPerAz` (1), the size it takes over at, got: 1",
    ],
    [
      'takeoverRequestsPerMinute without warm standby',
      { takeoverRequestsPerMinute: 100 },
      '`takeoverRequestsPerMinute` needs `secondaryMode: SecondaryMode.WARM_STANDBY` or `regionMode: RegionMode.WARM_STANDBY`, got: 100 with secondaryMode full',
    ],
    [
      'takeoverRequestsPerMinute of 0',
      { secondaryMode: SecondaryMode.WARM_STANDBY, takeoverRequestsPerMinute: 0 },
      '`takeoverRequestsPerMinute` must be an integer from 1 to 1000000, got: 0',
    ],
    [
      'a secondary maximum below its floor',
      { secondaryInstancesPerAz: 3, secondaryMaxInstancesPerAz: 2 },
      "`secondaryMaxInstancesPerAz` must be at least the secondary's floor `secondaryInstancesPerAz` (3), got: 2",
    ],
    [
      'a secondary maximum that is not an integer',
      { secondaryMaxInstancesPerAz: 2.5 },
      '`secondaryMaxInstancesPerAz` must be an integer from 1 to 100, got: 2.5',
    ],
  ])('%s is refused', (_name, props, message) => {
    // WHEN / THEN
    expect(() => newService(props)).toThrow(message);
  });
});

describe('a warm-standby Region (the secondary Region of a GlobalFailover)', () => {
  let service: MultiAzFailoverService;
  let template: Template;
  let resources: Record<string, any>;
  beforeAll(() => {
    // GIVEN / WHEN: both tiers of the standby Region at one instance per zone
    ({ service, template } = newService({
      regionMode: RegionMode.WARM_STANDBY,
      secondaryMode: SecondaryMode.WARM_STANDBY,
      maxInstancesPerAz: 3,
    }));
    resources = template.toJSON().Resources;
  });

  test("the primary tier idles at one instance per zone and may grow to the primary Region's size", () => {
    // THEN: MaxSize is also what a Region switch plan's capacity block may raise it to
    // (https://docs.aws.amazon.com/r53recovery/latest/dg/ec2-auto-scaling-block.html)
    for (const fleet of [...service.primary.zonalFleets, ...service.secondary.zonalFleets]) {
      expect(resources[logicalIdOf(fleet.autoScalingGroup)].Properties).toMatchObject({ MinSize: '1' });
    }
    for (const fleet of service.primary.zonalFleets) {
      expect(resources[logicalIdOf(fleet.autoScalingGroup)].Properties).toMatchObject({ MaxSize: '3' });
    }
    template.resourcePropertiesCountIs('AWS::AutoScaling::ScalingPolicy', { PolicyType: 'TargetTrackingScaling' }, 0);
  });

  // The other Region's tiers are not in this stack: the only signal is requests arriving here.
  test('each primary zone takes over at its full size when requests arrive on the primary tier', () => {
    // THEN
    expect(service.regionStandby!.takeOverAlarms).toHaveLength(3);
    service.primary.zonalFleets.forEach((fleet, index) => {
      const takeOver = resources[logicalIdOf(service.regionStandby!.takeOverAlarms[index])].Properties;
      expect(takeOver.Metrics.find((m: any) => m.Expression).Expression).toBe(
        'IF((FILL(standbyRequests, 0) > 1000), 1, 0)',
      );
      const metrics = takeOver.Metrics.filter((m: any) => m.MetricStat);
      expect(metrics.map((m: any) => m.Id)).toEqual(['standbyRequests']);
      expect(JSON.stringify(metrics[0].MetricStat.Metric.Dimensions)).toContain(
        logicalIdOf(service.primary.targetGroup),
      );
      const [policy] = Object.entries(
        template.findResources('AWS::AutoScaling::ScalingPolicy', {
          Properties: {
            AutoScalingGroupName: { Ref: logicalIdOf(fleet.autoScalingGroup) },
            StepAdjustments: [Match.objectLike({ ScalingAdjustment: 3 })],
          },
        }),
      );
      expect(takeOver.AlarmActions).toEqual([{ Ref: policy[0] }]);
      // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html: an Auto
      // Scaling action repeats every minute while its alarm stays in ALARM, so the stand-down must
      // not be in ALARM while the Region idles at its floor, nor undo a Region switch plan's raise
      // before traffic arrives: it needs the group above its floor, without traffic, for 30 minutes.
      const standDown = resources[logicalIdOf(service.regionStandby!.standDownAlarms[index])].Properties;
      expect(standDown.EvaluationPeriods).toBe(30);
      expect(standDown.Metrics.find((m: any) => m.Expression).Expression).toBe(
        'IF(FILL(desired, 1) > 1 AND FILL(standbyRequests, 0) <= 1000, 1, 0)',
      );
      const desired = standDown.Metrics.find((m: any) => m.Id === 'desired').MetricStat.Metric;
      expect(desired).toEqual({
        Namespace: 'AWS/AutoScaling',
        MetricName: 'GroupDesiredCapacity',
        Dimensions: [{ Name: 'AutoScalingGroupName', Value: { Ref: logicalIdOf(fleet.autoScalingGroup) } }],
      });
    });
  });

  test("the secondary's own warm standby still watches this Region's primary tier", () => {
    // THEN
    const takeOver = resources[logicalIdOf(service.warmStandby!.takeOverAlarms[0])].Properties;
    expect(takeOver.Metrics.find((m: any) => m.Expression).Expression).toBe(
      `IF((FILL(activeHealthy, 0) < ${service.primary.minHealthyHosts} OR FILL(standbyRequests, 0) > 1000), 1, 0)`,
    );
  });

  test.each<[string, Partial<MultiAzFailoverServiceProps>, string]>([
    [
      'a standby floor outside a standby Region',
      { regionStandbyInstancesPerAz: 1 },
      '`regionStandbyInstancesPerAz` needs `regionMode: RegionMode.WARM_STANDBY`, got: 1 with regionMode active',
    ],
    [
      'a standby floor at the takeover size',
      { regionMode: RegionMode.WARM_STANDBY, regionStandbyInstancesPerAz: 2 },
      '`regionStandbyInstancesPerAz` must be below the size the Region takes over at (`maxInstancesPerAz`, default `instancesPerAz`: 2), got: 2',
    ],
    [
      'a standby floor of 0',
      { regionMode: RegionMode.WARM_STANDBY, regionStandbyInstancesPerAz: 0 },
      '`regionStandbyInstancesPerAz` must be an integer from 1 to 100, got: 0',
    ],
  ])('%s is refused', (_name, props, message) => {
    // WHEN / THEN
    expect(() => newService(props)).toThrow(message);
  });
});

describe('releases of the service', () => {
  let service: MultiAzFailoverService;
  let resources: Record<string, any>;
  beforeAll(() => {
    // GIVEN / WHEN
    const built = newService({
      maxInstancesPerAz: 4,
      secondaryRelease: { machineImage: ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-0aaaaaaaaaaaaaaaa' }) },
    });
    service = built.service;
    resources = built.template.toJSON().Resources;
  });

  test("the secondary is released first: the primary's first zone waits for the secondary's last", () => {
    // THEN
    const primaryIds = service.primary.zonalFleets.map((f) => logicalIdOf(f.autoScalingGroup));
    const secondaryIds = service.secondary.zonalFleets.map((f) => logicalIdOf(f.autoScalingGroup));
    expect(resources[primaryIds[0]].DependsOn).toEqual(expect.arrayContaining([secondaryIds[2]]));
    for (const id of secondaryIds) {
      expect(resources[id].DependsOn ?? []).not.toEqual(expect.arrayContaining(primaryIds));
    }
    expect(resources[logicalIdOf(service.primary.httpsListener)].DependsOn).toEqual(
      expect.arrayContaining([logicalIdOf(service.secondary.httpsListener)]),
    );
  });

  test('secondaryRelease keeps the secondary on its own image while the primary follows machineImage', () => {
    // THEN
    for (const fleet of service.secondary.zonalFleets) {
      expect(resources[logicalIdOf(fleet.launchTemplate)].Properties.LaunchTemplateData.ImageId).toBe(
        'ami-0aaaaaaaaaaaaaaaa',
      );
    }
    for (const fleet of service.primary.zonalFleets) {
      expect(resources[logicalIdOf(fleet.launchTemplate)].Properties.LaunchTemplateData.ImageId).not.toBe(
        'ami-0aaaaaaaaaaaaaaaa',
      );
    }
  });

  test('maxInstancesPerAz reaches both tiers: the secondary scales as far as the primary', () => {
    // THEN
    for (const fleet of [...service.primary.zonalFleets, ...service.secondary.zonalFleets]) {
      expect(resources[logicalIdOf(fleet.autoScalingGroup)].Properties).toMatchObject({ MinSize: '2', MaxSize: '4' });
    }
  });

  test('a smaller secondary without maxInstancesPerAz keeps a fixed size', () => {
    // GIVEN / WHEN
    const { template } = newService({ secondaryInstancesPerAz: 1 });

    // THEN
    template.resourcePropertiesCountIs(
      'AWS::AutoScaling::AutoScalingGroup',
      { MinSize: '1', MaxSize: '1', DesiredCapacity: '1' },
      3,
    );
  });
});
