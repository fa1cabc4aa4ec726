import { CfnElement, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ImageRefresh, ImageRefreshScheduleOptions, MultiAzFailoverService, MultiAzFailoverServiceProps } from '../src';
import { AZS, buildTier, importedZone, logicalIdOf, newStack } from './util';

/** The service with the test hosted zone and `props`. */
function newService(props: Partial<MultiAzFailoverServiceProps> = {}) {
  const stack = newStack();
  const service = new MultiAzFailoverService(stack, 'PaymentApi', {
    hostedZone: importedZone(stack),
    availabilityZones: AZS,
    ...props,
  });
  return { stack, service, template: Template.fromStack(stack) };
}

/**
 * The StartInstanceRefresh request of a schedule's `Input`, parsed: each intrinsic (a `Ref` or
 * `Fn::GetAtt` inside a JSON string) becomes the text `<` + its JSON, with `'` for `"`, + `>`.
 */
function inputOf(schedule: any): any {
  const input = schedule.Properties.Target.Input;
  const parts: any[] = typeof input === 'string' ? [input] : input['Fn::Join'][1];
  return JSON.parse(
    parts.map((part) => (typeof part === 'string' ? part : `<${JSON.stringify(part).replace(/"/g, "'")}>`)).join(''),
  );
}

/** How {@link inputOf} shows a token. */
function shown(stack: Stack, token: string): string {
  return `<${JSON.stringify(stack.resolve(token)).replace(/"/g, "'")}>`;
}

const PINNED = ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-0123456789abcdef0' });

describe('the default service', () => {
  const { stack, service, template } = newService();
  const schedules = template.findResources('AWS::Scheduler::Schedule');
  const idOf = (element: unknown) => stack.getLogicalId(element as CfnElement);

  test('the default image is resolved by EC2 at each launch, not by CloudFormation at deploy', () => {
    // THEN: "update your Auto Scaling groups to use new AMI IDs without needing to create new launch
    // templates or new versions" (https://docs.aws.amazon.com/autoscaling/ec2/userguide/using-systems-manager-parameters.html)
    template.allResourcesProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64',
      }),
    });
    expect(Object.keys(template.toJSON().Parameters ?? {}).filter((p) => p.startsWith('SsmParameterValue'))).toEqual(
      [],
    );
  });

  test('one schedule per zone, the secondary first, one hour apart from 09:00 UTC, every 7 days', () => {
    // THEN
    const fleets = [...service.secondary.zonalFleets, ...service.primary.zonalFleets];
    expect(service.imageRefresh!.schedules.map(idOf)).toEqual(
      fleets.map((fleet) => idOf(fleet.node.findChild('ImageRefreshSchedule'))),
    );
    expect(service.imageRefresh!.schedules.map((s) => s.scheduleExpression)).toEqual([
      'cron(0 9 1/7 * ? *)',
      'cron(0 10 1/7 * ? *)',
      'cron(0 11 1/7 * ? *)',
      'cron(0 12 1/7 * ? *)',
      'cron(0 13 1/7 * ? *)',
      'cron(0 14 1/7 * ? *)',
    ]);
    expect(Object.keys(schedules)).toHaveLength(6);
  });

  test('each schedule calls StartInstanceRefresh through the universal target, without retries', () => {
    // THEN (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html)
    expect(Object.keys(schedules)).toHaveLength(6);
    for (const schedule of Object.values(schedules)) {
      expect(schedule.Properties).toEqual(
        expect.objectContaining({
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          State: 'ENABLED',
          Target: expect.objectContaining({
            Arn: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:::aws-sdk:autoscaling:startInstanceRefresh'],
              ],
            },
            RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
          }),
        }),
      );
      // CloudFormation names the schedule: no account-wide name.
      expect(schedule.Properties.Name).toBeUndefined();
    }
  });

  test('a scheduled refresh has the preferences of a release, skip matching and rollback off', () => {
    // GIVEN: the first zone of the secondary and its release (the group's update policy)
    const fleet = service.secondary.zonalFleets[0];
    const schedule = schedules[idOf(fleet.node.findChild('ImageRefreshSchedule'))];
    const release =
      template.toJSON().Resources[logicalIdOf(fleet.autoScalingGroup)].UpdatePolicy.AutoScalingInstanceRefresh
        .Preferences;

    // WHEN
    const input = inputOf(schedule);

    // THEN: SkipMatching false, since without a desired configuration skip matching skips every
    // instance of the same launch template; AutoRollback false, since "A rollback is not supported
    // when ... [the] launch template ... uses an AWS Systems Manager parameter instead of an AMI ID"
    // (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html)
    expect(input).toEqual({
      AutoScalingGroupName: shown(stack, fleet.autoScalingGroup.autoScalingGroupName),
      Strategy: 'Rolling',
      Preferences: {
        MinHealthyPercentage: release.MinHealthyPercentage,
        MaxHealthyPercentage: release.MaxHealthyPercentage,
        BakeTime: release.BakeTime,
        SkipMatching: false,
        AutoRollback: false,
        // the same alarms as the release, in the same order
        AlarmSpecification: { Alarms: fleet.releaseAlarms.map((alarm) => shown(stack, alarm.alarmName)) },
      },
    });
    expect(release.AlarmSpecification.Alarms).toHaveLength(6);
  });

  test('Scheduler of this account alone may assume the role, which may only start refreshes of these groups', () => {
    // THEN (https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role)
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
    const policy = template.toJSON().Resources[logicalIdOf(service.imageRefresh!.policy)];
    expect(policy.Properties.Roles).toEqual([{ Ref: logicalIdOf(service.imageRefresh!.role) }]);
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toHaveLength(5);
    expect(statements[0].Action).toBe('autoscaling:StartInstanceRefresh');
    expect(statements[0].Resource).toHaveLength(6);
    for (const [index, fleet] of [...service.secondary.zonalFleets, ...service.primary.zonalFleets].entries()) {
      expect(statements[0].Resource[index]).toEqual({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':autoscaling:eu-west-1:',
            { Ref: 'AWS::AccountId' },
            ':autoScalingGroup:*:autoScalingGroupName/',
            { Ref: logicalIdOf(fleet.autoScalingGroup) },
          ],
        ],
      });
    }
  });
});

// Starting a refresh uses the groups' launch templates: the caller must be allowed to launch what
// they describe (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/permissions-for-launch-templates.html).
test('the Scheduler role may launch only from the zones’ launch templates, pass only the instance roles and tag only what a launch creates', () => {
  // GIVEN
  const { service, template } = newService();

  // THEN
  const policy = template.toJSON().Resources[logicalIdOf(service.imageRefresh!.policy)];
  const bySid = Object.fromEntries(
    policy.Properties.PolicyDocument.Statement.filter((st: any) => st.Sid).map((st: any) => [st.Sid, st]),
  );
  const templates = [...service.secondary.zonalFleets, ...service.primary.zonalFleets].map((fleet) =>
    logicalIdOf(fleet.launchTemplate),
  );
  expect(bySid.LaunchOnlyFromTheseLaunchTemplates).toMatchObject({ Action: 'ec2:RunInstances', Resource: '*' });
  const allowed = JSON.stringify(bySid.LaunchOnlyFromTheseLaunchTemplates.Condition.ArnEquals['ec2:LaunchTemplate']);
  for (const id of templates) expect(allowed).toContain(id);
  expect(bySid.TagWhatTheLaunchCreates.Condition).toEqual({ StringEquals: { 'ec2:CreateAction': 'RunInstances' } });
  expect(bySid.PassTheInstanceRolesToEc2).toMatchObject({
    Action: 'iam:PassRole',
    Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
  });
  expect(bySid.PassTheInstanceRolesToEc2.Resource).toHaveLength(2);
  expect(bySid.ReadThePublicImageParameters.Action).toBe('ssm:GetParameters');
});

describe('a pinned image', () => {
  test('with a pinned machineImage, no tier is refreshed and the launch templates name the AMI', () => {
    // GIVEN / WHEN
    const { service, template } = newService({ machineImage: PINNED });

    // THEN
    expect(service.imageRefresh).toBeUndefined();
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    template.allResourcesProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ ImageId: 'ami-0123456789abcdef0' }),
    });
  });

  test('with the secondary pinned to its last good image, only the primary is refreshed', () => {
    // GIVEN / WHEN
    const { service } = newService({ secondaryRelease: { machineImage: PINNED } });

    // THEN
    expect(service.imageRefresh!.schedules.map((s) => s.node.scope)).toEqual(service.primary.zonalFleets);
  });

  test('enabled: true refreshes a pinned tier anyway (its user data runs again)', () => {
    // GIVEN / WHEN
    const { template } = newService({ machineImage: PINNED, imageRefresh: { enabled: true } });

    // THEN
    template.resourceCountIs('AWS::Scheduler::Schedule', 6);
  });

  test('enabled: false turns it off for the default image', () => {
    // GIVEN / WHEN
    const { service, template } = newService({ imageRefresh: { enabled: false } });

    // THEN
    expect(service.imageRefresh).toBeUndefined();
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
  });
});

describe('the schedule', () => {
  test.each<[string, Partial<ImageRefreshScheduleOptions>, string[]]>([
    ['every day', { interval: Duration.days(1) }, ['cron(0 9 * * ? *)', 'cron(0 10 * * ? *)', 'cron(0 11 * * ? *)']],
    [
      'every 30 days from midnight, 90 minutes apart',
      { interval: Duration.days(30), startHourUtc: 0, zoneSpacing: Duration.minutes(90) },
      ['cron(0 0 1/30 * ? *)', 'cron(30 1 1/30 * ? *)', 'cron(0 3 1/30 * ? *)'],
    ],
  ])('%s', (_label, options, expressions) => {
    // GIVEN
    const stack = newStack();
    const tier = buildTier(undefined, stack);

    // WHEN
    const refresh = new ImageRefresh(stack, 'Refresh', { ...options, fleets: tier.zonalFleets });

    // THEN
    expect(refresh.schedules.map((s) => s.scheduleExpression)).toEqual(expressions);
  });

  test.each<[Partial<ImageRefreshScheduleOptions>, string]>([
    [
      { interval: Duration.days(31) },
      '`imageRefresh.interval` must be a whole number of days from 1 to 30 days, got: 31 days',
    ],
    [
      { interval: Duration.hours(36) },
      '`imageRefresh.interval` must be a whole number of days from 1 to 30 days, got: 1 day 12 hours',
    ],
    [{ startHourUtc: 24 }, '`imageRefresh.startHourUtc` must be an integer from 0 to 23, got: 24'],
    [
      { interval: Duration.days(Lazy.number({ produce: () => 7 })) },
      '`imageRefresh.interval` must be a concrete value, not a token (the construct derives the schedule expressions from it at synth time), got: a token',
    ],
    [
      { zoneSpacing: Duration.minutes(10) },
      '`imageRefresh.zoneSpacing` must be a whole number of minutes from 15 to 720 minutes, got: 10 minutes',
    ],
    [
      { startHourUtc: 20, zoneSpacing: Duration.hours(2) },
      '`imageRefresh.zoneSpacing` must let the last of 6 zones start before midnight UTC from `startHourUtc` 20, got: 2 hours',
    ],
  ])('refused: %#', (imageRefresh, message) => {
    // GIVEN / WHEN / THEN
    expect(() => newService({ imageRefresh })).toThrow(message);
  });

  test('a refresh of no zone is refused', () => {
    // GIVEN
    const stack = newStack();

    // WHEN / THEN
    expect(() => new ImageRefresh(stack, 'Refresh', { fleets: [] })).toThrow(
      '`fleets` must name at least one zone to refresh, got: none',
    );
  });
});
