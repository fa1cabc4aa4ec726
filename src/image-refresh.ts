import { ArnFormat, Aws, CfnResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { acknowledge, awsSolutions } from './private/acknowledge';
import { validateConcrete, validateDays, validateInteger, validateMinutes } from './private/validate';
import { ZonalFleet } from './zonal-fleet';

/**
 * When the scheduled image refresh runs (see {@link ImageRefresh}).
 */
export interface ImageRefreshScheduleOptions {
  /**
   * Days between two refreshes of a zone: a whole number of days from 1 to 30. The runs fall on
   * days 1, 1 + interval, 1 + 2 × interval, ... of each month (cron `1/interval`), so two runs are
   * never more than `interval` days apart (the last run of a month is at most `interval` days before
   * the 1st of the next).
   *
   * @default Duration.days(7)
   */
  readonly interval?: Duration;

  /**
   * The hour (UTC, 0 to 23) at which the first zone of a run (the secondary's first zone) starts.
   *
   * @default 9
   */
  readonly startHourUtc?: number;

  /**
   * The time between the starts of two zones' refreshes in a run: the secondary's zones first, in
   * the order of `availabilityZones`, then the primary's. Whole minutes from 15 minutes to 12 hours;
   * the last zone must start before midnight UTC. Longer than one zone's refresh (about 15 minutes
   * at the defaults, see docs/RELEASING.md), so that one zone refreshes at a time.
   *
   * @default Duration.hours(1)
   */
  readonly zoneSpacing?: Duration;
}

/**
 * Whether and when the service refreshes its zones on a schedule (`imageRefresh`).
 */
export interface ImageRefreshOptions extends ImageRefreshScheduleOptions {
  /**
   * Whether EventBridge Scheduler starts an instance refresh of every zone on a schedule. With the
   * default image (resolved at each launch), a refresh replaces the instances with the newest
   * Amazon Linux 2023; with a pinned `machineImage`, it replaces them with new instances of the
   * same image, which run the user data again (useful only when your user data installs updates).
   *
   * @default - true for each tier that runs the default image, false for a tier with a
   * `machineImage` (the service's, or `secondaryRelease.machineImage` for the secondary)
   */
  readonly enabled?: boolean;
}

/**
 * Properties for {@link ImageRefresh}.
 */
export interface ImageRefreshProps extends ImageRefreshScheduleOptions {
  /**
   * The zones to refresh, in the order their refreshes start (for the service: the secondary's,
   * then the primary's). At least one.
   */
  readonly fleets: ZonalFleet[];
}

const DEFAULT_INTERVAL = Duration.days(7);
const DEFAULT_START_HOUR = 9;
const DEFAULT_ZONE_SPACING = Duration.hours(1);

/**
 * A new machine image reaches every zone on a schedule, without a deploy, through the same path as
 * a release: one EventBridge Scheduler schedule per zone calls Auto Scaling's `StartInstanceRefresh`
 * (a universal target, https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html)
 * with the preferences of the zone's release (the group's `AutoScalingInstanceRefresh` update
 * policy): launch before terminate (`MinHealthyPercentage` 100, `MaxHealthyPercentage` 200), the
 * zone's release alarms (`AlarmSpecification`: any of them in ALARM fails the refresh) and the bake
 * time. The zones start `zoneSpacing` apart, the secondary's first, so one zone refreshes at a time.
 *
 * - `SkipMatching: false`: with no desired configuration, skip matching "skips replacing instances
 *   that have the same launch template and instance types that the Auto Scaling group was using
 *   before the start of the instance refresh", which is every instance here (the launch template
 *   does not change when AWS publishes an image), so it would replace nothing
 *   (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html).
 * - `AutoRollback: false`: "A rollback is not supported when ... The Auto Scaling group has a launch
 *   template that uses an AWS Systems Manager parameter instead of an AMI ID for the ImageId
 *   property" (same page). A refresh that fails leaves the zone's replaced instances on the new
 *   image; the others keep the old one.
 * - No `DesiredConfiguration`: the refresh relaunches from the group's own launch template version,
 *   and each launch resolves the image parameter again.
 * - No retries (`MaximumRetryAttempts: 0`): a run that fails to start (for example because the group
 *   is already refreshing, `InstanceRefreshInProgress`,
 *   https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html) is
 *   skipped, not started late over the next zone's slot; the zone's next run is `interval` later,
 *   and the group's `maxInstanceLifetime` replaces every instance in any case.
 *
 * The schedules and their role are named by CloudFormation (no account-wide names). The role may
 * only start refreshes of these groups, and only Scheduler of this account may assume it.
 */
export class ImageRefresh extends Construct {
  /** The schedules, one per zone, in the order of `fleets`. */
  public readonly schedules: scheduler.CfnSchedule[];
  /** The role EventBridge Scheduler calls `StartInstanceRefresh` with. */
  public readonly role: iam.Role;
  /** The role's policy: `autoscaling:StartInstanceRefresh` on the groups of `fleets`. */
  public readonly policy: iam.ManagedPolicy;

  public constructor(scope: Construct, id: string, props: ImageRefreshProps) {
    super(scope, id);
    const interval = props.interval ?? DEFAULT_INTERVAL;
    const startHour = props.startHourUtc ?? DEFAULT_START_HOUR;
    const spacing = props.zoneSpacing ?? DEFAULT_ZONE_SPACING;
    // The schedule expressions are written at synth time: no tokens.
    validateConcrete('imageRefresh.interval', interval, 'the schedule expressions');
    validateConcrete('imageRefresh.startHourUtc', startHour, 'the schedule expressions');
    validateConcrete('imageRefresh.zoneSpacing', spacing, 'the schedule expressions');
    validateDays('imageRefresh.interval', interval, 1, 30);
    validateInteger('imageRefresh.startHourUtc', startHour, 0, 23);
    validateMinutes('imageRefresh.zoneSpacing', spacing, 15, 720);
    if (props.fleets.length === 0) {
      throw new Error('`fleets` must name at least one zone to refresh, got: none');
    }
    const spacingMinutes = spacing.toMinutes();
    const lastStart = startHour * 60 + (props.fleets.length - 1) * spacingMinutes;
    if (lastStart >= 24 * 60) {
      throw new Error(
        `\`imageRefresh.zoneSpacing\` must let the last of ${props.fleets.length} zones start before midnight UTC from \`startHourUtc\` ${startHour}, got: ${spacing.toHumanString()}`,
      );
    }

    const stack = Stack.of(this);
    // StartInstanceRefresh takes the autoScalingGroup resource type, whose ARN carries the group's
    // id, unknown to the template: the name part names the group, the id is a wildcard.
    const startRefresh = new iam.PolicyStatement({
      actions: ['autoscaling:StartInstanceRefresh'],
      resources: props.fleets.map((fleet) =>
        stack.formatArn({
          service: 'autoscaling',
          resource: 'autoScalingGroup',
          resourceName: `*:autoScalingGroupName/${fleet.autoScalingGroup.autoScalingGroupName}`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ),
    });
    // Starting a refresh is using the groups' launch templates: Auto Scaling checks that the caller
    // may launch what they describe ("You must grant anyone that will use a launch template the
    // permissions required to create and access the resources that are specified in the launch
    // template", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/permissions-for-launch-templates.html;
    // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html;
    // StartInstanceRefresh fails with "You are not authorized to use launch template" otherwise, as
    // reported in public code). So the role may run instances only from these launch templates,
    // pass only their instance roles to EC2, tag only what that launch creates, and read the
    // public image parameter the templates resolve at launch.
    const launchTemplateArns = props.fleets.map((fleet) =>
      stack.formatArn({
        service: 'ec2',
        resource: 'launch-template',
        resourceName: fleet.launchTemplate.launchTemplateId,
      }),
    );
    const instanceRoleArns = [
      ...new Set(
        props.fleets
          .map((fleet) => fleet.launchTemplate.role?.roleArn)
          .filter((arn): arn is string => arn !== undefined),
      ),
    ];
    const launchStatements = [
      new iam.PolicyStatement({
        sid: 'LaunchOnlyFromTheseLaunchTemplates',
        actions: ['ec2:RunInstances'],
        resources: ['*'],
        conditions: { ArnEquals: { 'ec2:LaunchTemplate': launchTemplateArns } },
      }),
      new iam.PolicyStatement({
        sid: 'TagWhatTheLaunchCreates',
        actions: ['ec2:CreateTags'],
        resources: ['instance/*', 'volume/*', 'network-interface/*'].map((resource) =>
          stack.formatArn({ service: 'ec2', resource }),
        ),
        conditions: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } },
      }),
      ...(instanceRoleArns.length === 0
        ? []
        : [
            new iam.PolicyStatement({
              sid: 'PassTheInstanceRolesToEc2',
              actions: ['iam:PassRole'],
              resources: instanceRoleArns,
              conditions: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
            }),
          ]),
      new iam.PolicyStatement({
        sid: 'ReadThePublicImageParameters',
        actions: ['ssm:GetParameters'],
        resources: [`arn:${Aws.PARTITION}:ssm:${stack.region}:*:parameter/aws/service/ami-amazon-linux-latest/*`],
      }),
    ];
    this.role = new iam.Role(this, 'Role', {
      // Only EventBridge Scheduler (https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role),
      // for a schedule of this account: the confused-deputy condition, as public templates write it;
      // that Scheduler sets aws:SourceAccount when it assumes the role is not on the pages read.
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      }),
      description: 'EventBridge Scheduler: starts the scheduled instance refreshes of the zones',
    });
    // A customer-managed policy, as every role of the construct has (no inline policy: cdk-nag's
    // IAMNoInlinePolicy in the PCI DSS, NIST and HIPAA packs).
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description:
        'EventBridge Scheduler: StartInstanceRefresh on the zones of this service, with their launch templates',
      roles: [this.role],
      statements: [startRefresh, ...launchStatements],
    });
    // cdk-nag names each wildcard resource, with the region and account as it prints them.
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    acknowledge(
      this.policy.node.defaultChild!,
      props.fleets.map((fleet) =>
        awsSolutions(
          `IAM5[Resource::arn:<AWS::Partition>:autoscaling:${region}:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/<${stack.getLogicalId(fleet.autoScalingGroup.node.defaultChild as CfnResource)}>]`,
        ),
      ),
      "The autoScalingGroup ARN starts with the group's id, which CloudFormation does not return: the wildcard stands for the id only, and the name part names exactly this stack's groups",
    );
    acknowledge(
      this.policy.node.defaultChild!,
      [
        awsSolutions('IAM5[Resource::*]'),
        ...['instance', 'volume', 'network-interface'].map((resource) =>
          awsSolutions(`IAM5[Resource::arn:<AWS::Partition>:ec2:${region}:<AWS::AccountId>:${resource}/*]`),
        ),
        awsSolutions(
          `IAM5[Resource::arn:<AWS::Partition>:ssm:${region}:*:parameter/aws/service/ami-amazon-linux-latest/*]`,
        ),
      ],
      'Auto Scaling checks that whoever starts a refresh may launch what the launch template describes: ec2:RunInstances touches resources that do not exist before the launch, so it is on * and allowed only through these launch templates (ec2:LaunchTemplate); tags only on the instances, volumes and interfaces a RunInstances creates (ec2:CreateAction); the public Amazon Linux image parameters the templates resolve at launch',
    );

    const days = interval.toDays();
    const dayOfMonth = days === 1 ? '*' : `1/${days}`;
    this.schedules = props.fleets.map((fleet, index) => {
      const start = startHour * 60 + index * spacingMinutes;
      return fleet.refreshOnSchedule(`cron(${start % 60} ${Math.floor(start / 60)} ${dayOfMonth} * ? *)`, this.role);
    });
  }
}
