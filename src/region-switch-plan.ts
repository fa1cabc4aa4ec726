import { Duration, Names, Token, Validations } from 'aws-cdk-lib';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { acknowledge, awsSolutions } from './private/acknowledge';
import { show, validateInteger, validateMinutes } from './private/validate';

/*
 * An ARC Region switch plan (AWS::ARCRegionSwitch::Plan, the L1) for two Regions of a service:
 * https://docs.aws.amazon.com/r53recovery/latest/dg/region-switch.html. A room of its own: it
 * reads plain values (ARNs, Regions, the hosted zone, alarms) and knows no construct of ours, so
 * that GlobalFailover can build it from what each Regional service exposes.
 */

/** The service principal that runs Region switch plans (the plan execution role's trust policy). */
const REGION_SWITCH_PRINCIPAL = 'arc-region-switch.amazonaws.com';

/** A Region name as the plan's schema accepts it (`Regions`, `PrimaryRegion`, `Region` of a record set). */
const REGION_PATTERN = /^[a-z]{2}-[a-z-]+-\d+$/;

/**
 * The ARN of an Auto Scaling group as the EC2 Auto Scaling execution block accepts it: with the
 * group's id (a UUID), which only `Fn::GetAtt [Group, AutoScalingGroupARN]` or the API gives; the
 * wildcard form that aws-cdk-lib's `autoScalingGroupArn` renders does not match. The second group
 * is the Region, the third the group's name.
 */
const GROUP_ARN_PATTERN =
  /^arn:aws[a-zA-Z-]*:autoscaling:([a-z0-9-]+):\d{12}:autoScalingGroup:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:autoScalingGroupName\/(.{1,255})$/;

/** A plan's name: 1 to 32 letters, digits and hyphens, starting and ending with a letter or digit. */
const PLAN_NAME_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;

/**
 * One Auto Scaling group in each Region that the plan pairs (for example the same tier's group of
 * the same zone position): when the plan activates a Region, it raises that Region's group to
 * `capacityPercent` of the other's capacity. Each pair is one EC2 Auto Scaling execution block,
 * which takes exactly one group per Region
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/ec2-auto-scaling-block.html).
 */
export interface RegionSwitchGroupPair {
  /**
   * The ARN of the group in the primary Region, with the group's id: `Fn::GetAtt [Group,
   * AutoScalingGroupARN]` (`CfnAutoScalingGroup.attrAutoScalingGroupArn`), passed across Regions
   * as a value; not `AutoScalingGroup.autoScalingGroupArn`, whose id is a wildcard.
   */
  readonly primaryGroupArn: string;

  /** The ARN of the paired group in the standby Region, in the same form as `primaryGroupArn`. */
  readonly standbyGroupArn: string;
}

/**
 * Properties for {@link RegionSwitchPlan}.
 */
export interface RegionSwitchPlanProps {
  /** The Region that serves while healthy: the plan's `PrimaryRegion`. */
  readonly primaryRegion: string;

  /** The Region the plan activates when the primary is lost. */
  readonly standbyRegion: string;

  /**
   * The Auto Scaling groups to raise in the Region being activated before traffic moves, paired
   * across the two Regions. At least one pair; the blocks of all pairs run in parallel.
   */
  readonly groupPairs: RegionSwitchGroupPair[];

  /** The public hosted zone of the global records whose health checks the plan sets. */
  readonly hostedZone: route53.IHostedZone;

  /** The global records' full name (`api.pay.example.org`), the same in both Regions' records. */
  readonly recordName: string;

  /**
   * The set identifier of the global record that sends traffic to the primary Region. Region
   * switch maps each record to a Region by the Region's name in the record's value or set
   * identifier; name both records' identifiers when they do not contain the Region's name.
   *
   * @default - none: the set identifiers must contain the Regions' names (for example `eu-west-1`)
   */
  readonly primaryRecordSetIdentifier?: string;

  /**
   * The set identifier of the global record that sends traffic to the standby Region. Given
   * together with `primaryRecordSetIdentifier`.
   *
   * @default - none: the set identifiers must contain the Regions' names
   */
  readonly standbyRecordSetIdentifier?: string;

  /**
   * The primary Region's application health alarms (for example each tier's `healthAlarm`), shown
   * with the plan and read at each execution. Import an alarm of another stack with
   * `Alarm.fromAlarmArn`.
   *
   * @default - none
   */
  readonly primaryHealthAlarms?: cloudwatch.IAlarm[];

  /**
   * The standby Region's application health alarms.
   *
   * @default - none
   */
  readonly standbyHealthAlarms?: cloudwatch.IAlarm[];

  /**
   * A role whose principals approve the execution before anything changes: a manual approval step
   * runs first. The construct attaches a managed policy (`approvalPolicy`) that lets the role
   * approve steps of this plan only (`arc-region-switch:ApprovePlanExecutionStep`).
   *
   * @default - no approval step: the plan raises capacity as soon as it is executed
   */
  readonly approvalRole?: iam.IRole;

  /**
   * How long the approval step waits. Whole minutes from 1 to 1440.
   *
   * @default Duration.minutes(60)
   */
  readonly approvalTimeout?: Duration;

  /**
   * The share of the Region being left's capacity that each group of the Region being activated is
   * raised to before traffic moves: `ceil(percent × capacity)`, where capacity is the most
   * instances the other group ran in the last 24 hours (`sampledMaxInLast24Hours`). An integer from
   * 1 to 100. Each standby group's maximum must allow it.
   *
   * @default 100
   */
  readonly capacityPercent?: number;

  /**
   * How long the capacity step may take: it completes when every group's target groups report as
   * many healthy targets as its new desired capacity (`WaitELBTargetGroupHealthy`). Whole minutes
   * from 1 to 1440. A standby Region (`RegionMode.WARM_STANDBY`) returns a group above its floor to
   * the floor after 30 minutes without traffic: keep this step and the traffic step well within
   * them.
   *
   * @default Duration.minutes(20)
   */
  readonly capacityTimeout?: Duration;

  /**
   * How long the traffic step (the Route 53 health-check block) may take. Whole minutes from 1 to
   * 1440.
   *
   * @default Duration.minutes(10)
   */
  readonly trafficTimeout?: Duration;

  /**
   * The recovery time objective the plan's executions are measured against. Whole minutes from 1
   * to 10080.
   *
   * @default - none
   */
  readonly recoveryTimeObjective?: Duration;

  /**
   * The plan's name: 1 to 32 letters, digits and hyphens, starting and ending with a letter or
   * digit. CloudFormation requires one and cannot change it without replacing the plan.
   *
   * @default - derived from the construct's path, unique per stack instance
   */
  readonly planName?: string;
}

/**
 * Options of {@link RegionSwitchPlan.primaryRecordHealthCheck}.
 */
export interface PrimaryRecordHealthCheckOptions {
  /**
   * The id of the health check that the plan's Route 53 block created for the primary Region. The
   * plan creates its health checks after the plan exists and exposes their ids only in a read-only
   * attribute whose order is not documented, so the ids are read after the first deploy with
   * `aws arc-region-switch list-route53-health-checks --arn <planArn>` (each entry names its Region)
   * and passed in the second (see docs/REGION-SWITCH-PLAN.md).
   */
  readonly planHealthCheckId: string;

  /**
   * The health check the primary Region's global record uses without the plan (for example the
   * primary Region's routing health check), if any: the record then answers only while both are
   * healthy.
   *
   * @default - none: the record's only health check is the plan's (an alias record keeps
   * evaluating its target's health)
   */
  readonly automaticHealthCheck?: route53.IHealthCheck;
}

/**
 * An ARC Region switch plan that moves a service from its primary Region to a standby Region, in
 * order: an optional manual approval; the standby Region's Auto Scaling groups raised to the
 * primary's capacity, waiting until their target groups report the new capacity healthy (one EC2
 * Auto Scaling block per pair of groups, in parallel); then traffic moved by the Route 53
 * health-check block, whose health checks the global records carry (see
 * {@link RegionSwitchPlan.primaryRecordHealthCheck}). The plan is active/passive with a single
 * activation workflow, which serves both directions: executed to activate the standby it fails
 * over, executed to activate the primary it fails back
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/working-with-rs-workflows.html). It has no
 * trigger: an operator executes it, in the Region being activated.
 *
 * The plan runs with an execution role of its own, allowed only what its blocks and its evaluation
 * need, on these groups, this hosted zone, these alarms and this plan. No Lambda function, no
 * custom resource.
 */
export class RegionSwitchPlan extends Construct {
  /**
   * The health check for the primary Region's global record: the plan's health check for the
   * primary Region, combined with `automaticHealthCheck` when given into a CALCULATED health check
   * that is healthy only while both children are (`HealthThreshold` 2,
   * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html#health-checks-creating-values-calculated).
   * A record takes one health check, so the plan's check and the automatic one are combined, not
   * listed. The standby Region's record keeps its automatic health check alone: "when the secondary
   * resource record set is unhealthy, Route 53 responds to DNS queries with the applicable value from
   * the primary resource record set regardless of the health of the primary"
   * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html), so a
   * secondary that also required the plan would stop the automatic failover.
   *
   * Call it in the second deploy pass, with the id that `list-route53-health-checks` returned for
   * the primary Region.
   */
  public static primaryRecordHealthCheck(
    scope: Construct,
    id: string,
    options: PrimaryRecordHealthCheckOptions,
  ): route53.IHealthCheck {
    const planCheckId = options.planHealthCheckId;
    if (!Token.isUnresolved(planCheckId) && (planCheckId.length < 1 || planCheckId.length > 64)) {
      throw new Error(`\`planHealthCheckId\` must be 1 to 64 characters, got: ${show(planCheckId)}`);
    }
    const planCheck = route53.HealthCheck.fromHealthCheckId(scope, `${id}Plan`, planCheckId);
    if (options.automaticHealthCheck === undefined) {
      return planCheck;
    }
    return new route53.HealthCheck(scope, id, {
      type: route53.HealthCheckType.CALCULATED,
      childHealthChecks: [options.automaticHealthCheck, planCheck],
      healthThreshold: 2,
    });
  }

  /** The plan. */
  public readonly plan: arcregionswitch.CfnPlan;
  /** The plan's ARN: execute it with `aws arc-region-switch start-plan-execution --plan-arn`. */
  public readonly planArn: string;
  /** The plan's name. */
  public readonly planName: string;
  /** The role the plan runs with. */
  public readonly executionRole: iam.Role;
  /**
   * The managed policy that lets `approvalRole` approve this plan's steps, attached to it;
   * undefined without `approvalRole`.
   */
  public readonly approvalPolicy?: iam.ManagedPolicy;

  public constructor(scope: Construct, id: string, props: RegionSwitchPlanProps) {
    super(scope, id);
    validatePlanProps(props);
    const minutes = (value: Duration | undefined, fallback: number) => value?.toMinutes() ?? fallback;

    // https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_trust_policy.html
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      description: 'ARC Region switch runs and evaluates the plan with this role',
      assumedBy: new iam.ServicePrincipal(REGION_SWITCH_PRINCIPAL),
    });

    this.planName = props.planName ?? Names.uniqueResourceName(this, { maxLength: 32, separator: '-' });
    const groupArns = props.groupPairs.flatMap((p) => [p.primaryGroupArn, p.standbyGroupArn]);
    const alarms = [
      ...(props.primaryHealthAlarms ?? []).map((alarm, i) => ({ key: `PrimaryHealth${i + 1}`, alarm })),
      ...(props.standbyHealthAlarms ?? []).map((alarm, i) => ({ key: `StandbyHealth${i + 1}`, alarm })),
    ];

    // What the blocks do, each from its sample policy; the plan depends on it, so that the first
    // evaluation already finds it.
    const blocksPolicy = new iam.ManagedPolicy(this, 'BlocksPolicy', {
      description:
        'ARC Region switch plan blocks: raise these paired Auto Scaling groups, read this zone and these alarms',
      roles: [this.executionRole],
      statements: blockStatements(
        props.hostedZone,
        groupArns,
        alarms.map((a) => a.alarm.alarmArn),
      ),
    });

    const steps: arcregionswitch.CfnPlan.StepProperty[] = [];
    if (props.approvalRole) {
      steps.push({
        name: 'Approve',
        description: 'An operator approves the Region switch',
        executionBlockType: 'ManualApproval',
        executionBlockConfiguration: {
          executionApprovalConfig: {
            approvalRole: props.approvalRole.roleArn,
            timeoutMinutes: minutes(props.approvalTimeout, 60),
          },
        },
      });
    }
    const capacityBlock = (pair: RegionSwitchGroupPair, index: number): arcregionswitch.CfnPlan.StepProperty => ({
      name: `RaiseCapacity${index + 1}`,
      description: "Raise the activated Region's group to the other Region's capacity and wait for healthy targets",
      executionBlockType: 'EC2AutoScaling',
      executionBlockConfiguration: {
        ec2AsgCapacityIncreaseConfig: {
          asgs: [{ arn: pair.primaryGroupArn }, { arn: pair.standbyGroupArn }],
          capacityMonitoringApproach: 'sampledMaxInLast24Hours',
          targetPercent: props.capacityPercent ?? 100,
          timeoutMinutes: minutes(props.capacityTimeout, 20),
          waitElbTargetGroupHealthy: 'enabled',
        },
      },
    });
    const blocks = props.groupPairs.map(capacityBlock);
    steps.push(
      blocks.length === 1
        ? blocks[0]
        : {
            name: 'RaiseCapacity',
            description: 'Raise every group of the activated Region, in parallel, and wait for healthy targets',
            executionBlockType: 'Parallel',
            executionBlockConfiguration: { parallelConfig: { steps: blocks } },
          },
    );
    const recordSets =
      props.primaryRecordSetIdentifier !== undefined && props.standbyRecordSetIdentifier !== undefined
        ? [
            { recordSetIdentifier: props.primaryRecordSetIdentifier, region: props.primaryRegion },
            { recordSetIdentifier: props.standbyRecordSetIdentifier, region: props.standbyRegion },
          ]
        : undefined;
    steps.push({
      name: 'MoveTraffic',
      description: 'Set the Region switch health checks of the global records: DNS answers with the activated Region',
      executionBlockType: 'Route53HealthCheck',
      executionBlockConfiguration: {
        route53HealthCheckConfig: {
          hostedZoneId: props.hostedZone.hostedZoneId,
          recordName: props.recordName,
          recordSets,
          timeoutMinutes: minutes(props.trafficTimeout, 10),
        },
      },
    });

    this.plan = new arcregionswitch.CfnPlan(this, 'Plan', {
      name: this.planName,
      description: `Moves ${props.recordName} from ${props.primaryRegion} to ${props.standbyRegion} and back`,
      executionRole: this.executionRole.roleArn,
      recoveryApproach: 'activePassive',
      primaryRegion: props.primaryRegion,
      regions: [props.primaryRegion, props.standbyRegion],
      recoveryTimeObjectiveMinutes: props.recoveryTimeObjective?.toMinutes(),
      associatedAlarms:
        alarms.length > 0
          ? Object.fromEntries(
              alarms.map((a) => [a.key, { alarmType: 'applicationHealth', resourceIdentifier: a.alarm.alarmArn }]),
            )
          : undefined,
      workflows: [
        {
          workflowTargetAction: 'activate',
          workflowDescription: 'Activate a Region: capacity first, then traffic',
          steps,
        },
      ],
    });
    this.plan.node.addDependency(blocksPolicy);
    // aws-cdk-lib 2.275's own template validation does not know `WaitELBTargetGroupHealthy`, which
    // the CloudFormation registry schema (as cfn-lint 1.58 holds it) and the API
    // (https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Ec2AsgCapacityIncreaseConfiguration.html)
    // define: its warning is acknowledged here, cfn-lint still checks the property.
    Validations.of(this.plan).acknowledge({
      id: 'CloudFormation-Validate::F3018',
      reason:
        "WaitELBTargetGroupHealthy is in the AWS::ARCRegionSwitch::Plan registry schema and the Region switch API; aws-cdk-lib's bundled schema lags",
    });
    this.planArn = this.plan.attrArn;

    // Plan evaluation simulates the role's own policies and reads the plan and its executions
    // (the AWS managed AmazonApplicationRecoveryControllerRegionSwitchPlanExecutionPolicy grants
    // these on every role and plan; here on this role and this plan only). It names the plan, so
    // it is created after it.
    new iam.ManagedPolicy(this, 'EvaluationPolicy', {
      description: 'ARC Region switch plan evaluation: simulate this role, read this plan',
      roles: [this.executionRole],
      statements: [
        new iam.PolicyStatement({
          sid: 'SimulateThisRole',
          actions: ['iam:SimulatePrincipalPolicy'],
          resources: [this.executionRole.roleArn],
        }),
        new iam.PolicyStatement({
          sid: 'ReadThisPlan',
          actions: [
            'arc-region-switch:GetPlan',
            'arc-region-switch:GetPlanExecution',
            'arc-region-switch:ListPlanExecutions',
          ],
          resources: [this.planArn],
        }),
      ],
    });
    if (props.approvalRole) {
      this.approvalPolicy = new iam.ManagedPolicy(this, 'ApprovalPolicy', {
        description: 'Approve the steps of this ARC Region switch plan',
        roles: [props.approvalRole],
        statements: [
          new iam.PolicyStatement({
            sid: 'ApproveThisPlan',
            actions: ['arc-region-switch:ApprovePlanExecutionStep'],
            resources: [this.planArn],
          }),
        ],
      });
    }
    acknowledge(
      blocksPolicy,
      [awsSolutions('IAM5[Resource::*]')],
      'ARC Region switch execution blocks: autoscaling:DescribeAutoScalingGroups, cloudwatch:GetMetricStatistics (limited to the AWS/AutoScaling namespace) and elasticloadbalancing:DescribeTargetHealth have no resource-level permissions',
    );
  }
}

/**
 * The execution role's permissions for the blocks, from their sample policies:
 * EC2 Auto Scaling (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_ec2_autoscaling.html),
 * Route 53 health check (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_route53.html),
 * and the alarms' reads
 * (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_reports.html),
 * on these groups, this zone and these alarms only.
 */
function blockStatements(zone: route53.IHostedZone, groupArns: string[], alarmArns: string[]): iam.PolicyStatement[] {
  const statements = [
    new iam.PolicyStatement({
      sid: 'DescribeGroupsAndTargets',
      actions: ['autoscaling:DescribeAutoScalingGroups', 'elasticloadbalancing:DescribeTargetHealth'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'RaiseThesePairedGroups',
      actions: ['autoscaling:UpdateAutoScalingGroup'],
      resources: groupArns,
    }),
    new iam.PolicyStatement({
      sid: 'ReadGroupMetrics',
      actions: ['cloudwatch:GetMetricStatistics'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': 'AWS/AutoScaling' } },
    }),
    new iam.PolicyStatement({
      sid: 'ReadTheGlobalRecords',
      actions: ['route53:ListResourceRecordSets'],
      resources: [zone.hostedZoneArn],
    }),
  ];
  if (alarmArns.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'ReadTheHealthAlarms',
        actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
        resources: alarmArns,
      }),
    );
  }
  return statements;
}

/** Every prop the plan uses, in the shape `` `prop` must be ..., got: value ``; tokens pass. */
function validatePlanProps(props: RegionSwitchPlanProps): void {
  for (const [prop, region] of [
    ['primaryRegion', props.primaryRegion],
    ['standbyRegion', props.standbyRegion],
  ] as const) {
    if (Token.isUnresolved(region)) {
      throw new Error(
        `\`${prop}\` must be a concrete Region name (the plan's Regions cannot change after it exists), got: a token`,
      );
    }
    if (!REGION_PATTERN.test(region)) {
      throw new Error(`\`${prop}\` must be a Region name such as "eu-west-1", got: ${show(region)}`);
    }
  }
  if (props.primaryRegion === props.standbyRegion) {
    throw new Error(`\`standbyRegion\` must differ from \`primaryRegion\`, got: ${show(props.standbyRegion)} for both`);
  }
  if (props.groupPairs.length < 1) {
    throw new Error('`groupPairs` must name at least one pair of Auto Scaling groups, got: []');
  }
  props.groupPairs.forEach((pair, i) => {
    validateGroupArn(`groupPairs[${i}].primaryGroupArn`, pair.primaryGroupArn, props.primaryRegion);
    validateGroupArn(`groupPairs[${i}].standbyGroupArn`, pair.standbyGroupArn, props.standbyRegion);
  });
  if ((props.primaryRecordSetIdentifier === undefined) !== (props.standbyRecordSetIdentifier === undefined)) {
    const given =
      props.primaryRecordSetIdentifier === undefined ? 'standbyRecordSetIdentifier' : 'primaryRecordSetIdentifier';
    throw new Error(
      `\`primaryRecordSetIdentifier\` and \`standbyRecordSetIdentifier\` must be given together, got: only \`${given}\``,
    );
  }
  if (props.planName !== undefined && !Token.isUnresolved(props.planName) && !PLAN_NAME_PATTERN.test(props.planName)) {
    throw new Error(
      `\`planName\` must be 1 to 32 letters, digits and hyphens, starting and ending with a letter or digit, got: ${show(props.planName)}`,
    );
  }
  validateInteger('capacityPercent', props.capacityPercent, 1, 100);
  validateMinutes('approvalTimeout', props.approvalTimeout, 1, 1440);
  validateMinutes('capacityTimeout', props.capacityTimeout, 1, 1440);
  validateMinutes('trafficTimeout', props.trafficTimeout, 1, 1440);
  validateMinutes('recoveryTimeObjective', props.recoveryTimeObjective, 1, 10080);
  if (props.approvalTimeout !== undefined && props.approvalRole === undefined) {
    throw new Error(
      `\`approvalTimeout\` needs \`approvalRole\` (there is no approval step without it), got: ${props.approvalTimeout.toHumanString()}`,
    );
  }
}

/** A group's ARN: the block's pattern (with the group's id) and the Region it pairs for. */
function validateGroupArn(prop: string, arn: string, region: string): void {
  if (Token.isUnresolved(arn)) {
    // `AutoScalingGroup.autoScalingGroupArn` is a token (the partition) around a wildcard id.
    if (arn.includes(':autoScalingGroup:*:')) {
      throw new Error(
        `\`${prop}\` must be an Auto Scaling group ARN with the group's id (Fn::GetAtt AutoScalingGroupARN), got: an ARN with a wildcard id (AutoScalingGroup.autoScalingGroupArn)`,
      );
    }
    return;
  }
  const match = GROUP_ARN_PATTERN.exec(arn);
  if (!match) {
    throw new Error(
      `\`${prop}\` must be an Auto Scaling group ARN with the group's id (Fn::GetAtt AutoScalingGroupARN), got: ${show(arn)}`,
    );
  }
  if (match[1] !== region) {
    throw new Error(`\`${prop}\` must be a group in ${region}, got: a group in ${match[1]}`);
  }
}
