import { ArnFormat, Aws, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FailoverBudget } from './failover-budget';
import { FailoverTier } from './failover-tier';
import { acknowledge, awsSolutions } from './private/acknowledge';
import { Drill } from './private/fis-drill';
import { notify } from './private/notify';
import { show, validateInteger } from './private/validate';
import { zoneConstructId } from './private/zones';
import { ZonalFleet } from './zonal-fleet';

/**
 * One AWS Fault Injection Service experiment template of {@link FailoverDrills}: start it with
 * `aws fis start-experiment --experiment-template-id <experimentTemplateId>`.
 */
export interface DrillTemplate {
  /** The drill's name, as docs/DRILLS.md lists it (for example `PrimaryTierLost`, `ZoneLostEuWest1a`). */
  readonly name: string;
  /** The experiment template's id. */
  readonly experimentTemplateId: string;
  /**
   * What a passing drill looks like, in words: which alarms fire, in what order and roughly when,
   * what Auto Scaling does with the stopped instances, and whether DNS fails over.
   */
  readonly expectation: string;
}

/**
 * Properties for {@link FailoverDrills}.
 */
export interface FailoverDrillsProps {
  /** The tier that serves while healthy: the drills stop its instances. */
  readonly primary: FailoverTier;

  /**
   * The tier that takes over. Its `healthAlarm` is every drill's stop condition: a drill never
   * continues into a double failure.
   */
  readonly secondary: FailoverTier;

  /** The VPC both tiers run in: the zone drills cut the connectivity of its subnets in the zone. */
  readonly vpc: ec2.IVpc;

  /**
   * The log group of the experiments' logs (FIS experiment log schema version 2). Its key policy,
   * if encrypted, must let CloudWatch Logs use the key for it.
   */
  readonly logGroup: logs.ILogGroup;

  /**
   * The failover budget of the records in front of the tiers: the primary-tier drill expects DNS to
   * answer with the secondary within its worst case.
   *
   * @default - the expectation names no number of seconds
   */
  readonly failoverBudget?: FailoverBudget;

  /**
   * The customer-managed key of the instances' volumes: starting a stopped instance whose volumes
   * it encrypts creates a grant for EC2, which the drills' role may then do (only for AWS
   * resources).
   *
   * @default - no grant: the volumes are encrypted with a key the role needs no grant for
   */
  readonly volumeEncryptionKey?: kms.IKey;

  /**
   * Whether the tiers have ARC zonal autoshift (`zonalAutoshift`): the zone drills then also shift
   * away from the zone (`aws:arc:start-zonal-autoshift`) the zone's Auto Scaling groups of both
   * tiers and both load balancers, and end the groups' shift first.
   *
   * @default false
   */
  readonly zonalAutoshift?: boolean;

  /**
   * How long each fault lasts: the instances are started again, connectivity restored, launches
   * allowed and the autoshift ended after it. Whole minutes from 1 to 60 (FIS actions accept up
   * to 12 hours; a drill longer than an hour is an outage).
   *
   * @default Duration.minutes(10)
   */
  readonly faultDuration?: Duration;

  /**
   * The share of each primary zone's instances that the partial-fleet drill stops. FIS cannot
   * select less than one resource by percentage, so the drill stops a count per zone (selection
   * mode `COUNT(n)`): max(1, ⌊instances × percent / 100⌋) of the zone's floor. An integer from
   * 1 to 49: half of the tier is both the tier's default `minHealthyHostsPercent` floor and the
   * default unhealthy-host threshold, so the drill stays below both. Refused where a zone has a
   * single instance (the drill would empty it) or where the count would leave the primary below
   * its `minHealthyHosts` (the drill would fail over).
   *
   * @default 25
   */
  readonly partialFleetPercent?: number;

  /**
   * Whether to create the `PrimaryPartialFleet` drill. A primary tier of one instance per zone (the
   * primary tier of a standby Region, `RegionMode.WARM_STANDBY`) has no partial fleet to stop.
   *
   * @default true
   */
  readonly partialFleet?: boolean;

  /**
   * Whether to add the `RegionLost` drill: every instance of both tiers stopped and every group of
   * both unable to launch, for `faultDuration`, so that the Region is lost to the global records of
   * a `GlobalFailover` and the secondary Region must answer (see docs/DRILLS.md). Its stop
   * condition is `regionLostStopAlarm`, not the secondary tier's health alarm (which the drill
   * trips on purpose).
   *
   * @default false
   */
  readonly regionLost?: boolean;

  /**
   * The stop condition of the `RegionLost` drill: an alarm in this Region (FIS reads its stop
   * conditions in the experiment's Region).
   *
   * @default - a `RegionLostAbort` alarm on the metric `AbortRegionLost` (namespace
   * `MultiAzFailoverService/Drills`, dimension `Stack`: this stack's name), which fires when anyone
   * publishes a value of 1 or more: the operator watching the global stack's alarms in us-east-1
   * stops the drill with one `aws cloudwatch put-metric-data` in this Region
   */
  readonly regionLostStopAlarm?: cloudwatch.IAlarm;

  /**
   * The topic the default `RegionLostAbort` alarm notifies (on ALARM and on OK), so that everyone
   * on call learns that the drill was stopped.
   *
   * @default - the abort alarm notifies no one
   */
  readonly alarmTopic?: sns.ITopic;
}

/** The service principal of AWS FIS. */
const FIS_PRINCIPAL = 'fis.amazonaws.com';

/**
 * The instances the partial-fleet drill stops in a zone of `instances`: FIS "can't specify a
 * percentage that is less than one resource", and a target that selects nothing fails the
 * experiment (https://docs.aws.amazon.com/fis/latest/userguide/targets.html#target-selection-mode),
 * so a count, at least one.
 */
function partialCount(instances: number, percent: number): number {
  return Math.max(1, Math.floor((instances * percent) / 100));
}

/**
 * The partial-fleet drill must leave every primary zone serving and the primary at or above its
 * `minHealthyHosts` (below it, its `HealthAlarm` fails DNS over: no longer a partial loss).
 */
function validatePartialFleet(primary: FailoverTier, percent: number): void {
  for (const fleet of primary.zonalFleets) {
    if (fleet.floor < 2) {
      throw new Error(
        `\`instancesPerAz\` of the primary must be at least 2 for the partial-fleet drill (it stops max(1, ⌊instances × partialFleetPercent / 100⌋) of each zone and leaves the rest serving), got: ${fleet.floor} in ${fleet.availabilityZone}`,
      );
    }
  }
  const stopped = primary.zonalFleets.reduce((sum, f) => sum + partialCount(f.floor, percent), 0);
  const left = primary.instanceCount - stopped;
  if (left < primary.minHealthyHosts) {
    const first = primary.zonalFleets[0];
    throw new Error(
      `\`partialFleetPercent\` must leave the primary at least its \`minHealthyHosts\` (${primary.minHealthyHosts} of ${primary.instanceCount}), got: ${percent} (stops ${partialCount(first.floor, percent)} of ${first.floor} in each zone, leaving ${left})`,
    );
  }
}

/** `faultDuration`: whole minutes from 1 to 60 (tokens are not checked). */
function validateFaultDuration(value: Duration | undefined): void {
  if (value === undefined || value.isUnresolved()) {
    return;
  }
  const seconds = value.toSeconds();
  if (seconds % 60 !== 0 || seconds < 60 || seconds > 3600) {
    throw new Error(
      `\`faultDuration\` must be a whole number of minutes from 1 to 60, got: ${show(value.toHumanString())}`,
    );
  }
}

/**
 * Rehearsals of the failures the service is built to survive, as AWS Fault Injection Service
 * experiment templates (https://docs.aws.amazon.com/fis/latest/userguide/experiment-templates.html)
 * that an operator starts; nothing runs by itself. Built only from the tiers' public members:
 *
 * - `PrimaryTierLost`: every instance of the primary tier stopped (`aws:ec2:stop-instances`) and
 *   its groups unable to launch replacements (`aws:ec2:asg-insufficient-instance-capacity-error`).
 *   Route 53 fails over to the secondary, and back after the drill.
 * - `ZoneLost<Zone>`, one per zone: the zone's subnets cut off (`aws:network:disrupt-connectivity`),
 *   the zone's instances of both tiers stopped and their groups unable to launch, and, with
 *   `zonalAutoshift`, the zone's groups and both load balancers shifted away from the zone
 *   (`aws:arc:start-zonal-autoshift`). No DNS failover: the other zones serve.
 * - `PrimaryPartialFleet`: `partialFleetPercent` % of each primary zone's instances stopped, as a
 *   count per zone (at least one). The zones' healthy-host alarms fire; the tier stays at or above
 *   its floor; no DNS failover.
 *
 * Auto Scaling replaces stopped instances unless the zone is shifted: each template's
 * `expectation` says what it does, and which alarms fire in what order.
 *
 * Every template stops when the secondary tier's `healthAlarm` fires, lasts `faultDuration`, and
 * logs to `logGroup`. Targets are this service's own resources only: instances by the
 * `aws:autoscaling:groupName` tag that Auto Scaling puts on every instance it launches, with the
 * names of this service's groups; groups by this stack's `aws:cloudformation:stack-id` tag and
 * their names (also as zonal-shift managed resources); subnets and load balancers by ARN. See
 * docs/DRILLS.md.
 */
export class FailoverDrills extends Construct {
  /** The experiment templates, one entry per drill. */
  public readonly templates: DrillTemplate[];
  /** The role FIS assumes to run the drills: only the actions and resources the drills use (its managed policy `Policy`). */
  public readonly role: iam.Role;
  /** The stop condition of the `RegionLost` drill; undefined unless `regionLost` is true. */
  public readonly regionLostStopAlarm?: cloudwatch.IAlarm;

  public constructor(scope: Construct, id: string, props: FailoverDrillsProps) {
    super(scope, id);
    validateFaultDuration(props.faultDuration);
    const minutes = props.faultDuration?.toMinutes() ?? 10;
    const percent = props.partialFleetPercent ?? 25;
    validateInteger('partialFleetPercent', props.partialFleetPercent, 1, 49);
    const partialFleet = props.partialFleet ?? true;
    if (partialFleet) {
      validatePartialFleet(props.primary, percent);
    }
    const duration = `PT${minutes}M`;
    const stack = Stack.of(this);

    // https://docs.aws.amazon.com/fis/latest/userguide/getting-started-iam-service-role.html:
    // trust fis.amazonaws.com only for experiments of this account (aws:SourceAccount, aws:SourceArn).
    this.role = new iam.Role(this, 'Role', {
      description: 'AWS FIS runs the failover drills with this role',
      assumedBy: new iam.ServicePrincipal(FIS_PRINCIPAL, {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' }),
          },
        },
      }),
    });

    const primaryFleets = props.primary.zonalFleets;
    const secondaryFleets = props.secondary.zonalFleets;
    const allFleets = [...primaryFleets, ...secondaryFleets];
    this.grantDrillPermissions(props, allFleets);

    const common = {
      roleArn: this.role.roleArn,
      stopConditions: [{ source: 'aws:cloudwatch:alarm', value: props.secondary.healthAlarm.alarmArn }],
      logConfiguration: {
        logSchemaVersion: 2,
        // A JSON-typed property: CloudFormation's own casing (AWS::FIS::ExperimentTemplate CloudWatchLogsConfiguration).
        cloudWatchLogsConfiguration: { LogGroupArn: props.logGroup.logGroupArn },
      },
    };
    const budget = props.failoverBudget
      ? ` within the failover budget (${props.failoverBudget.worstCaseSeconds} s worst case)`
      : '';

    this.templates = [];
    const add = (
      name: string,
      description: string,
      expectation: string,
      drill: Drill,
      stopConditions: fis.CfnExperimentTemplate.ExperimentTemplateStopConditionProperty[] = common.stopConditions,
    ) => {
      const template = new fis.CfnExperimentTemplate(this, name, {
        ...common,
        stopConditions,
        description: description.slice(0, 512),
        targets: drill.targets,
        actions: drill.actions,
        tags: { Name: `${name} drill of ${this.node.scope?.node.path ?? this.node.path}`.slice(0, 256) },
      });
      this.templates.push({ name, experimentTemplateId: template.attrId, expectation });
    };

    // What Auto Scaling does meanwhile: a stopped instance is not running, so the group marks it
    // unhealthy and replaces it, terminating it first ("Auto Scaling groups may terminate stopped
    // EC2 instances under their control",
    // https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#stop-instances;
    // https://docs.aws.amazon.com/autoscaling/ec2/userguide/healthcheck.html).
    // The drills let it: that is what a real loss meets. See docs/DRILLS.md for why they do not
    // suspend Auto Scaling's processes.
    const alarmsOfZones = 'about 3 minutes in (3 one-minute periods)';

    // A. The primary tier lost.
    const a = new Drill();
    a.stopInstances('StopPrimary', groupsOf(primaryFleets), () => 'ALL', duration);
    a.noCapacity(
      'NoPrimaryCapacity',
      groupsOf(primaryFleets),
      primaryFleets.map((f) => f.availabilityZone),
      duration,
    );
    add(
      'PrimaryTierLost',
      `Stops every instance of the primary tier for ${minutes} minutes and makes its groups unable to launch replacements: Route 53 must fail over to the secondary.`,
      [
        `0 s: every primary instance stops and the primary's groups cannot launch. Route 53's HTTPS check of the primary fails and DNS answers with the secondary${budget}.`,
        `About 2 minutes in (2 one-minute periods) the primary's HealthAlarm and NoHealthyHosts fire; ${alarmsOfZones} each primary zone's HealthyHosts, and with it the zone's Impaired.`,
        `Auto Scaling marks the stopped instances unhealthy and terminates them; its launches fail until the fault ends after ${minutes} minutes. NoHealthyHosts and HealthyHosts stay in ALARM once the instances are deregistered: no HealthyHostCount is then published, which they count as 0.`,
        `Then the groups launch new instances (FIS finds none of the stopped ones left to start); once they pass their health checks the alarms return to OK and DNS fails back to the primary.`,
        `The secondary's alarms stay OK.`,
      ].join(' '),
      a,
    );

    // B. One zone lost, one template per zone (keyed by the zone, like the zonal fleets).
    const autoshift = props.zonalAutoshift ?? false;
    primaryFleets.forEach((fleet, index) => {
      const az = fleet.availabilityZone;
      const key = zoneConstructId(az, index).replace(/^Zone/, '');
      const inZone = allFleets.filter((f) => f.availabilityZone === az);
      const b = new Drill();
      b.disruptSubnets('CutZone', subnetArnsIn(props.vpc, az), az, duration);
      b.stopInstances('StopZone', groupsOf(inZone), () => 'ALL', duration);
      b.noCapacity('NoZoneCapacity', groupsOf(inZone), [az], duration);
      if (autoshift) {
        // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-zonal-shift.html:
        // "cancel the zonal shift on your Auto Scaling group first": the groups' shift outlasts the
        // fault by a minute (the instances are started again while the groups still ignore the
        // zone's unhealthy instances), the load balancers' by two.
        b.shiftGroups('ShiftGroups', groupsOf(inZone), az, `PT${minutes + 1}M`);
        b.autoshift(
          'Autoshift',
          [props.primary, props.secondary].map((t) => t.loadBalancer.loadBalancerArn),
          az,
          `PT${minutes + 2}M`,
        );
      }
      add(
        `ZoneLost${key}`,
        `Cuts the network of the zone's subnets, stops both tiers' instances in the zone and blocks launches there for ${minutes} minutes${autoshift ? ", and shifts the zone's groups and both load balancers away from it" : ''}.`,
        (autoshift
          ? [
              `0 s: the zone's subnets are cut off, both tiers' instances in it stop, launches there fail, and the zone's groups (for ${minutes + 1} minutes) and both load balancers (for ${minutes + 2} minutes) are shifted away from it.`,
              `${capitalized(alarmsOfZones)} the zone's HealthyHosts fires in both tiers, and with it the zone's Impaired. The tier's AnyZoneImpaired reads the zones' in-service instances, latency and 5xx outlier instead, so that a practice run's own shift does not trip it: it stays OK while the shifted groups keep the stopped instances in service.`,
              `In the shift the zone's groups do not replace its stopped instances (IgnoreUnhealthy), and FIS starts them again after ${minutes} minutes; the groups' shift ends a minute later, the load balancers' a minute after that, traffic returns to the zone and the alarms return to OK.`,
            ]
          : [
              `0 s: the zone's subnets are cut off, both tiers' instances in it stop and launches there fail.`,
              `${capitalized(alarmsOfZones)} the zone's HealthyHosts fires in both tiers, and with it the zone's Impaired.`,
              `Auto Scaling marks the zone's stopped instances unhealthy and terminates them, and the zone's InService fires 3 minutes later; HealthyHosts stays in ALARM while the zone has no registered target (no data counts as 0). The zone's groups cannot launch replacements until the fault ends after ${minutes} minutes, then launch new instances, and the alarms return to OK once they pass their health checks.`,
            ]
        )
          .concat(
            `No HealthAlarm fires while the other zones hold at least minHealthyHostsPercent of each tier's hosts; no DNS failover: the other zones serve.`,
          )
          .join(' '),
        b,
      );
    });

    // C. Part of the primary fleet: a count per zone (FIS selects no fraction of a resource).
    if (partialFleet) {
      this.addPartialFleetDrill(add, primaryFleets, percent, duration, minutes, alarmsOfZones);
    }

    // D. The Region lost: both tiers, every zone (opt-in: it takes the whole Regional service down).
    if (props.regionLost ?? false) {
      const stopAlarm = props.regionLostStopAlarm ?? this.regionLostAbortAlarm(props.alarmTopic);
      this.regionLostStopAlarm = stopAlarm;
      const d = new Drill();
      d.stopInstances('StopRegion', groupsOf(allFleets), () => 'ALL', duration);
      d.noCapacity(
        'NoRegionCapacity',
        groupsOf(allFleets),
        primaryFleets.map((f) => f.availabilityZone),
        duration,
      );
      add(
        'RegionLost',
        `Stops every instance of both tiers for ${minutes} minutes and makes all their groups unable to launch: the global name must answer from the secondary Region.`,
        [
          `0 s: every instance of both tiers stops and no group of either can launch. Route 53's checks of both tiers fail, the Regional failover records have no healthy answer, and the global records (GlobalFailover) answer from the secondary Region within GlobalFailover's failoverBudget worst case: watch the global stack's alarms in us-east-1, where Route 53 publishes its health-check metrics.`,
          `About 2 minutes in (2 one-minute periods) both tiers' HealthAlarm and NoHealthyHosts fire; ${alarmsOfZones} every zone's HealthyHosts and Impaired, in both tiers.`,
          `Auto Scaling marks the stopped instances unhealthy and terminates them; its launches fail until the fault ends after ${minutes} minutes, then the groups launch new instances (FIS finds none of the stopped ones left to start).`,
          `Once they pass their health checks the alarms return to OK and the global records fail back to this Region on their own, unless a Region switch plan activated the secondary Region meanwhile: then execute the plan to activate this Region (docs/DRILLS.md, failback).`,
          `The drill stops early when its stop alarm fires.`,
        ].join(' '),
        d,
        [{ source: 'aws:cloudwatch:alarm', value: stopAlarm.alarmArn }],
      );
    }
  }

  /** C. `PrimaryPartialFleet`: part of the primary fleet, a count per zone. */
  private addPartialFleetDrill(
    add: (name: string, description: string, expectation: string, drill: Drill) => void,
    primaryFleets: ZonalFleet[],
    percent: number,
    duration: string,
    minutes: number,
    alarmsOfZones: string,
  ): void {
    const c = new Drill();
    const perZone = primaryFleets.map((f) => partialCount(f.floor, percent));
    c.stopInstances('StopPrimaryShare', groupsOf(primaryFleets), (i) => `COUNT(${perZone[i]})`, duration);
    const first = primaryFleets[0];
    add(
      'PrimaryPartialFleet',
      `Stops ${percent}% of each primary zone's instances (at least one, COUNT(n) per zone) for ${minutes} minutes.`,
      [
        `0 s: ${perZone[0]} of each primary zone's ${first.floor} instances ${perZone[0] === 1 ? 'stops' : 'stop'} (${percent}%, at least one).`,
        `${capitalized(alarmsOfZones)} each primary zone's HealthyHosts fires, and with it the zone's Impaired.`,
        `Stopped targets are unused, not unhealthy, so UnhealthyHosts stays quiet; the primary keeps at least minHealthyHosts healthy, so its HealthAlarm stays quiet and DNS does not fail over.`,
        `Auto Scaling marks the stopped instances unhealthy and replaces them (launches are not blocked): once the new instances pass their health checks, HealthyHosts and Impaired return to OK, within the ${minutes}-minute drill if they boot in time; FIS then finds none of the stopped ones left to start.`,
      ].join(' '),
      c,
    );
  }

  /**
   * The default stop condition of `RegionLost`: an alarm in this Region that fires when a value of 1
   * or more is published to `AbortRegionLost` (the whole Region is down on purpose, so no metric of
   * this Region tells that the drill went wrong; what tells it, the global name, is measured in
   * us-east-1).
   */
  private regionLostAbortAlarm(topic: sns.ITopic | undefined): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, 'RegionLostAbort', {
      alarmDescription:
        'Stops the RegionLost drill: publish 1 to MultiAzFailoverService/Drills AbortRegionLost (dimension Stack) in this Region',
      metric: new cloudwatch.Metric({
        namespace: 'MultiAzFailoverService/Drills',
        metricName: 'AbortRegionLost',
        dimensionsMap: { Stack: Aws.STACK_NAME },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    notify([alarm], topic);
    return alarm;
  }

  /**
   * The role's permissions: exactly the actions of the FIS actions reference
   * (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html) for the actions
   * used, each on this service's resources where the action has resource-level permissions, and
   * the experiment logging permissions
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html#AWS-logs-infrastructure-CWL).
   */
  private grantDrillPermissions(props: FailoverDrillsProps, fleets: ZonalFleet[]): void {
    const stack = Stack.of(this);
    const groupNames = fleets.map((f) => f.autoScalingGroup.autoScalingGroupName);
    const ec2Arn = (resource: string, resourceName: string) =>
      stack.formatArn({ service: 'ec2', resource, resourceName });
    const vpcArn = ec2Arn('vpc', props.vpc.vpcId);
    const statements = [
      // aws:ec2:stop-instances: stop and start only instances of this service's groups; starting
      // an instance whose volumes are encrypted with a customer key creates a grant for EC2.
      new iam.PolicyStatement({
        sid: 'StopAndStartThisServicesInstances',
        actions: ['ec2:StopInstances', 'ec2:StartInstances'],
        resources: [ec2Arn('instance', '*')],
        conditions: { StringEquals: { 'aws:ResourceTag/aws:autoscaling:groupName': groupNames } },
      }),
      ...(props.volumeEncryptionKey
        ? [
            new iam.PolicyStatement({
              sid: 'GrantsForEncryptedVolumesOnStart',
              actions: ['kms:CreateGrant'],
              resources: [props.volumeEncryptionKey.keyArn],
              conditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
            }),
          ]
        : []),
      // aws:ec2:asg-insufficient-instance-capacity-error: only this action, only on this service's groups.
      new iam.PolicyStatement({
        sid: 'InsufficientCapacityOnThisServicesGroups',
        actions: ['ec2:InjectApiError'],
        resources: ['*'],
        conditions: {
          'ForAnyValue:StringEquals': { 'ec2:FisActionId': ['aws:ec2:asg-insufficient-instance-capacity-error'] },
          'ForAllValues:ArnLike': {
            'ec2:FisTargetArns': groupNames.map((name) =>
              stack.formatArn({
                service: 'autoscaling',
                resource: 'autoScalingGroup',
                resourceName: `*:autoScalingGroupName/${name}`,
                arnFormat: ArnFormat.COLON_RESOURCE_NAME,
              }),
            ),
          },
        },
      }),
      // aws:network:disrupt-connectivity: FIS swaps the subnets' network ACL for one it creates
      // (tagged managedByFIS=true) in this VPC, and swaps it back.
      new iam.PolicyStatement({
        sid: 'CreateFisNetworkAclsInThisVpc',
        actions: ['ec2:CreateNetworkAcl'],
        resources: [ec2Arn('network-acl', '*'), vpcArn],
        conditions: { StringEqualsIfExists: { 'aws:RequestTag/managedByFIS': 'true' } },
      }),
      new iam.PolicyStatement({
        sid: 'TagFisNetworkAcls',
        actions: ['ec2:CreateTags'],
        resources: [ec2Arn('network-acl', '*')],
        conditions: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkAcl', 'aws:RequestTag/managedByFIS': 'true' } },
      }),
      new iam.PolicyStatement({
        sid: 'ChangeAndDeleteFisNetworkAcls',
        actions: ['ec2:CreateNetworkAclEntry', 'ec2:DeleteNetworkAcl'],
        resources: [ec2Arn('network-acl', '*')],
        conditions: { StringEquals: { 'aws:ResourceTag/managedByFIS': 'true' } },
      }),
      new iam.PolicyStatement({
        sid: 'SwapNetworkAclsOfThisVpcsSubnets',
        actions: ['ec2:ReplaceNetworkAclAssociation'],
        resources: [
          ...props.vpc.publicSubnets.map((s) => ec2Arn('subnet', s.subnetId)),
          ...props.vpc.privateSubnets.map((s) => ec2Arn('subnet', s.subnetId)),
          ...props.vpc.isolatedSubnets.map((s) => ec2Arn('subnet', s.subnetId)),
          ec2Arn('network-acl', '*'),
        ],
      }),
      // Target resolution and the actions' reads: these API calls have no resource-level permissions.
      new iam.PolicyStatement({
        sid: 'DescribeTargets',
        actions: [
          'ec2:DescribeInstances',
          'ec2:DescribeSubnets',
          'ec2:DescribeVpcs',
          'ec2:DescribeNetworkAcls',
          'ec2:DescribeManagedPrefixLists',
          'ec2:GetManagedPrefixListEntries',
          'autoscaling:DescribeAutoScalingGroups',
          'tag:GetResources',
        ],
        resources: ['*'],
      }),
      // Experiment logging to CloudWatch Logs (vended logs): the role sets up the delivery.
      new iam.PolicyStatement({
        sid: 'ExperimentLogDelivery',
        actions: [
          'logs:CreateLogDelivery',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:DescribeLogGroups',
        ],
        resources: ['*'],
      }),
    ];
    if (props.zonalAutoshift ?? false) {
      // aws:arc:start-zonal-autoshift on the two load balancers and on this service's groups only.
      statements.push(
        new iam.PolicyStatement({
          sid: 'AutoshiftTheLoadBalancers',
          actions: [
            'arc-zonal-shift:StartZonalShift',
            'arc-zonal-shift:GetManagedResource',
            'arc-zonal-shift:UpdateZonalShift',
            'arc-zonal-shift:CancelZonalShift',
          ],
          resources: [props.primary.loadBalancer.loadBalancerArn, props.secondary.loadBalancer.loadBalancerArn],
        }),
        // The Service Authorization Reference has no resource type for groups in zonal shift: the
        // groups are scoped by arc-zonal-shift:ResourceIdentifier, their ARN
        // (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_service-with-iam-zonal-shift.html).
        new iam.PolicyStatement({
          sid: 'ShiftThisServicesGroups',
          actions: [
            'arc-zonal-shift:StartZonalShift',
            'arc-zonal-shift:GetManagedResource',
            'arc-zonal-shift:UpdateZonalShift',
            'arc-zonal-shift:CancelZonalShift',
          ],
          resources: ['*'],
          conditions: {
            StringLike: {
              'arc-zonal-shift:ResourceIdentifier': groupNames.map((name) =>
                stack.formatArn({
                  service: 'autoscaling',
                  resource: 'autoScalingGroup',
                  resourceName: `*:autoScalingGroupName/${name}`,
                  arnFormat: ArnFormat.COLON_RESOURCE_NAME,
                }),
              ),
            },
          },
        }),
        // Target resolution of zonal-shift managed resources (the groups by tag: autoscaling:DescribeTags).
        new iam.PolicyStatement({
          sid: 'ListZonalShiftResources',
          actions: ['arc-zonal-shift:ListManagedResources', 'autoscaling:DescribeTags'],
          resources: ['*'],
        }),
      );
    }
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'AWS FIS failover drills of one service: its instances, groups, subnets and load balancers only',
      roles: [this.role],
      statements,
    });
    // cdk-nag names each wildcard resource; the region and account as it prints them.
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const arnPrefix = `arn:<AWS::Partition>:ec2:${region}:<AWS::AccountId>`;
    acknowledge(
      policy.node.defaultChild!,
      [
        awsSolutions('IAM5[Resource::*]'),
        awsSolutions(`IAM5[Resource::${arnPrefix}:instance/*]`),
        awsSolutions(`IAM5[Resource::${arnPrefix}:network-acl/*]`),
      ],
      "FIS drills: instance ids are not known before launch (stop/start limited by the aws:autoscaling:groupName tag of this service's groups); FIS creates the network ACLs it swaps in (limited by its managedByFIS tag and this VPC); ec2:InjectApiError (limited by ec2:FisActionId and ec2:FisTargetArns) and the zonal shift of this service's groups (limited by arc-zonal-shift:ResourceIdentifier: the Service Authorization Reference has no resource type for groups) have no resource type to name, and the Describe/List calls and the experiment log delivery have no resource-level permissions",
    );
  }
}

/** `text` with its first letter capitalized. */
function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The Auto Scaling groups of fleets, by name and zone. */
function groupsOf(fleets: ZonalFleet[]): { name: string; availabilityZone: string }[] {
  return fleets.map((f) => ({ name: f.autoScalingGroup.autoScalingGroupName, availabilityZone: f.availabilityZone }));
}

/** The ARNs of every subnet of the VPC in `az`: a zone loss takes all of them. */
function subnetArnsIn(vpc: ec2.IVpc, az: string): string[] {
  const stack = Stack.of(vpc);
  return [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets]
    .filter((s) => s.availabilityZone === az)
    .map((s) => stack.formatArn({ service: 'ec2', resource: 'subnet', resourceName: s.subnetId }));
}
