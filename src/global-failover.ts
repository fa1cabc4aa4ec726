/*
 * GlobalFailover: one name in front of two Regional services (each in its own stack and Region),
 * in a stack of its own. It reads each service through IRegionalService (regional-service.ts) and
 * never reaches into its tiers. Its front is a GlobalFront: Route 53 failover records (dns) or an
 * AWS Global Accelerator (accelerator). Every value that crosses a stack is a weak reference
 * (Fn::GetStackOutput): no stack of the app gets a Lambda function or a custom resource.
 */
import { Annotations, CfnOutput, Duration, Fn, ReferenceStrength, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ga from 'aws-cdk-lib/aws-globalaccelerator';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import {
  acceleratorFrontBudget,
  dnsFrontBudget,
  GlobalFailoverBudget,
  validateGlobalMaxFailoverTime,
} from './failover-budget';
import { FailoverDns } from './failover-dns';
import { HealthCheckAlarm } from './health-check-alarm';
import { acknowledge, controlTower } from './private/acknowledge';
import { httpsHealthCheck } from './private/https-health-check';
import { validateAlarmActions } from './private/notify';
import { show, validateSeconds } from './private/validate';
import { RegionSwitchPlan } from './region-switch-plan';
import { IRegionalService } from './regional-service';

/**
 * Properties for {@link GlobalFailover}.
 */
export interface GlobalFailoverProps {
  /**
   * The public hosted zone of the global name: the zone that holds both Regional services'
   * failover records (an alias record can only target a record in its own hosted zone).
   */
  readonly hostedZone: route53.IHostedZone;

  /**
   * The global name relative to the zone: clients call `recordName.zoneName`. Each Regional
   * service must accept it (`globalDomainName`) and have a record name of its own (see
   * {@link GlobalFailover.regionalRecordName}).
   *
   * @default 'api'
   */
  readonly recordName?: string;

  /** The Region that takes traffic while it is healthy. */
  readonly primary: IRegionalService;

  /** The Region that takes traffic while the primary is not healthy. */
  readonly secondary: IRegionalService;

  /**
   * How clients reach the Regions: Route 53 failover records, or an AWS Global Accelerator with
   * two static IP addresses (see docs/MULTI-REGION.md, "Which front").
   *
   * @default GlobalFront.dns()
   */
  readonly front?: GlobalFront;

  /**
   * The longest failover from the primary to the secondary Region you accept: synth fails when
   * `failoverBudget.worstCaseSeconds` is longer. Whole seconds from 1 to 3600.
   *
   * @default - no limit
   */
  readonly maxFailoverTime?: Duration;

  /**
   * An ARC Region switch plan ({@link RegionSwitchPlan}) that an operator runs to move traffic
   * between the Regions: it raises the activated Region's primary-tier groups to the other
   * Region's capacity, waits for healthy targets, then moves traffic through the plan's health
   * check on the primary global record (see `regionSwitchPlanHealthCheckId`, and
   * docs/REGION-SWITCH-PLAN.md). Only with `GlobalFront.dns()`: a plan has no Global Accelerator
   * execution block. Both services must give `regionSwitchGroupArns` with as many groups.
   *
   * @default false
   */
  readonly regionSwitchPlan?: boolean;

  /**
   * The id of the health check that the Region switch plan created for the primary Region, read
   * after the first deploy with `aws arc-region-switch list-route53-health-checks` (the second
   * deploy pass, docs/REGION-SWITCH-PLAN.md): the primary global record then carries it, so that
   * executing the plan moves traffic. Only with `regionSwitchPlan`.
   *
   * @default - none: the plan raises capacity but moves no traffic until the second pass
   */
  readonly regionSwitchPlanHealthCheckId?: string;

  /**
   * A role whose principals must approve each execution of the Region switch plan before it
   * changes anything. Only with `regionSwitchPlan`.
   *
   * @default - no approval step
   */
  readonly regionSwitchApprovalRole?: iam.IRole;

  /**
   * The path both Regional services answer with 200 over HTTPS: the global health checks request
   * it from the global name and from the primary Region's own name.
   *
   * @default '/health'
   */
  readonly healthCheckPath?: string;

  /**
   * Where the global alarms (`endToEndAlarm`, `regionFailedOverAlarm`) notify, for example an
   * `SnsAction` of a topic in us-east-1. At most 5. The alarms exist only when this stack is in
   * us-east-1, where Route 53 publishes health-check metrics.
   *
   * @default - none: the alarms show their state, notify nobody, and synth warns
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
}

/** What a front needs to build itself. */
interface GlobalFrontContext {
  readonly hostedZone: route53.IHostedZone;
  readonly domainName: string;
  readonly primary: IRegionalService;
  readonly secondary: IRegionalService;
  /** A health check for the primary global record (the Region switch plan's, second pass). */
  readonly primaryHealthCheck?: route53.IHealthCheck;
}

/** What a front built. */
interface GlobalFrontResult {
  readonly budget: GlobalFailoverBudget;
  readonly primaryRecord?: route53.RecordSet;
  readonly secondaryRecord?: route53.RecordSet;
  readonly accelerator?: ga.Accelerator;
}

/**
 * How clients reach the Regions behind a {@link GlobalFailover}.
 */
export abstract class GlobalFront {
  /**
   * Route 53 failover records for the global name: PRIMARY aliases the primary Region's own
   * failover record, SECONDARY the secondary's, both in the same zone with target-health
   * evaluation. The global PRIMARY turns unhealthy only when the primary Region's record has no
   * healthy tier left, so the tier failover inside the Region comes first, unchanged. Nothing
   * here calls a control plane at failover time.
   */
  public static dns(): GlobalFront {
    return new DnsFront();
  }

  /**
   * An AWS Global Accelerator with two static IP addresses: a TCP listener on 443, one endpoint
   * group per Region holding both of its tiers' load balancers (equal weights, client IP
   * preservation on, health from the load balancers' target groups), traffic dials 100 (primary)
   * and 0 (secondary), and the global name an alias A record to the accelerator. The static IPs
   * are stack outputs.
   */
  public static accelerator(): GlobalFront {
    return new AcceleratorFront();
  }

  /**
   * The front's name in messages: `GlobalFront.dns()` or `GlobalFront.accelerator()`.
   *
   * @internal
   */
  public abstract readonly _name: string;

  /**
   * Builds the front in `scope`.
   *
   * @internal
   */
  public abstract _bind(scope: Construct, context: GlobalFrontContext): GlobalFrontResult;
}

/**
 * An alias target that is another record in the same hosted zone, named by a plain string: no
 * token of the Regional stack crosses into the global stack.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-alias-common.html
 */
class RecordInZoneTarget implements route53.IAliasRecordTarget {
  public constructor(private readonly dnsName: string) {}

  public bind(_record: route53.IRecordSet, zone?: route53.IHostedZone): route53.AliasRecordTargetConfig {
    return { dnsName: this.dnsName, hostedZoneId: zone!.hostedZoneId, evaluateTargetHealth: true };
  }
}

class DnsFront extends GlobalFront {
  public readonly _name = 'GlobalFront.dns()';

  public _bind(scope: Construct, context: GlobalFrontContext): GlobalFrontResult {
    const record = (
      id: string,
      failover: route53.Failover,
      service: IRegionalService,
      healthCheck?: route53.IHealthCheck,
    ) =>
      new route53.RecordSet(scope, id, {
        zone: context.hostedZone,
        recordName: context.domainName,
        // An alias record has the type of the record it aliases.
        // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-failover-alias.html
        recordType: service.recordType,
        target: route53.RecordTarget.fromAlias(new RecordInZoneTarget(service.domainName)),
        failover,
        setIdentifier: id.toLowerCase(),
        // An alias record with a health check is healthy only while the check and the alias
        // target both are (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-complex-configs.html).
        healthCheck,
      });
    return {
      budget: dnsFrontBudget(context.primary.failoverBudget),
      primaryRecord: record('Primary', route53.Failover.PRIMARY, context.primary, context.primaryHealthCheck),
      secondaryRecord: record('Secondary', route53.Failover.SECONDARY, context.secondary),
    };
  }
}

/**
 * A load balancer of another Region's stack as an accelerator endpoint, by a weak reference to
 * its ARN (Fn::GetStackOutput), with client IP preservation.
 * https://docs.aws.amazon.com/global-accelerator/latest/dg/preserve-client-ip-address.html
 */
class RegionalLoadBalancerEndpoint implements ga.IEndpoint {
  private readonly endpointId: string;

  public constructor(
    public readonly region: string,
    loadBalancerArn: string,
  ) {
    // Made once: each call makes a new reference token, and the one CDK resolves before synthesis
    // must be the one the template renders. A literal ARN (a hand-built service) needs none.
    this.endpointId = weak(loadBalancerArn);
  }

  public renderEndpointConfiguration(): any {
    return { endpointId: this.endpointId, weight: ACCELERATOR_ENDPOINT_WEIGHT, clientIpPreservationEnabled: true };
  }
}

/**
 * A value of a Regional stack as the global stack reads it: a weak reference
 * (`Fn::GetStackOutput`) for a token, the value itself for a literal (a hand-built service).
 * Made once per value: each call makes a new reference token.
 */
function weak(value: string): string {
  return Token.isUnresolved(value) ? Stack.consumeReference(value, ReferenceStrength.WEAK) : value;
}

/**
 * Every load balancer of a Region gets the same weight, Global Accelerator's default: both tiers
 * take traffic, and when one has no healthy target the other takes all of the Region's. A weight
 * of 0 would receive no traffic even while healthy, so a standby tier cannot be expressed.
 * https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoints-endpoint-weights.html
 */
const ACCELERATOR_ENDPOINT_WEIGHT = 128;

class AcceleratorFront extends GlobalFront {
  public readonly _name = 'GlobalFront.accelerator()';

  public _bind(scope: Construct, context: GlobalFrontContext): GlobalFrontResult {
    const accelerator = new ga.Accelerator(scope, 'Accelerator');
    const listener = accelerator.addListener('Https', {
      portRanges: [{ fromPort: 443 }],
      protocol: ga.ConnectionProtocol.TCP,
    });
    // Traffic dials: all to the primary Region, none to the secondary, which still takes traffic
    // when the primary's group has no healthy endpoint (failover ignores the dial).
    // https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoints-endpoint-weights.unhealthy-endpoints.html
    const group = (id: string, service: IRegionalService, trafficDialPercentage: number) =>
      listener.addEndpointGroup(id, {
        region: service.region,
        trafficDialPercentage,
        endpoints: service.loadBalancers.map(
          (lb) => new RegionalLoadBalancerEndpoint(service.region, lb.loadBalancerArn),
        ),
      });
    group('Primary', context.primary, 100);
    group('Secondary', context.secondary, 0);
    new route53.ARecord(scope, 'Record', {
      zone: context.hostedZone,
      recordName: context.domainName,
      target: route53.RecordTarget.fromAlias(new targets.GlobalAcceleratorTarget(accelerator)),
    });
    const cfn = accelerator.node.defaultChild as ga.CfnAccelerator;
    new CfnOutput(scope, 'StaticIp1', {
      description: 'The first static IPv4 address of the accelerator (for partners that allow-list IPs)',
      value: Fn.select(0, cfn.attrIpv4Addresses),
    });
    new CfnOutput(scope, 'StaticIp2', {
      description: 'The second static IPv4 address of the accelerator',
      value: Fn.select(1, cfn.attrIpv4Addresses),
    });
    return { budget: acceleratorFrontBudget(context.primary.failoverBudget), accelerator };
  }
}

/**
 * One name in front of two Regional services, each in its own stack and Region, in a stack of
 * its own: Route 53 failover records that alias each Region's own failover records
 * (`GlobalFront.dns()`, the default), or an AWS Global Accelerator with two static IP addresses
 * (`GlobalFront.accelerator()`). Failover between the Regions happens on the data plane; see
 * docs/MULTI-REGION.md.
 */
export class GlobalFailover extends Construct {
  /**
   * A record name for a Regional service that differs per Region: `recordName-region`, for
   * example `api-eu-west-1`. Two services in one zone with the same record name would write the
   * same failover records.
   *
   * @param recordName the global record name, for example `api`
   * @param region the Regional service's Region, for example `eu-west-1`
   */
  public static regionalRecordName(recordName: string, region: string): string {
    return `${recordName}-${region}`;
  }

  /** The fully qualified global name, `recordName.zoneName`. */
  public readonly domainName: string;
  /**
   * How long a failover from the primary to the secondary Region can take with this front, best
   * and worst case, per path, from the primary Region's own failover budget (see
   * docs/MULTI-REGION.md, "Failover budget"). Also the stack outputs `FailoverBestCaseSeconds` and
   * `FailoverWorstCaseSeconds`.
   */
  public readonly failoverBudget: GlobalFailoverBudget;
  /** The global PRIMARY failover record; undefined with `GlobalFront.accelerator()`. */
  public readonly primaryRecord?: route53.RecordSet;
  /** The global SECONDARY failover record; undefined with `GlobalFront.accelerator()`. */
  public readonly secondaryRecord?: route53.RecordSet;
  /** The accelerator; undefined with `GlobalFront.dns()`. */
  public readonly accelerator?: ga.Accelerator;
  /** The ARC Region switch plan; undefined without `regionSwitchPlan`. */
  public readonly regionSwitchPlan?: RegionSwitchPlan;
  /** Route 53's HTTPS check of the global name: what clients see, whichever Region answers. */
  public readonly endToEndHealthCheck: route53.HealthCheck;
  /** Route 53's HTTPS check of the primary Region's own name: unhealthy while that Region cannot serve. */
  public readonly primaryRegionHealthCheck: route53.HealthCheck;
  /** Fires when the global name does not answer; only in a us-east-1 stack. */
  public readonly endToEndAlarm?: cloudwatch.Alarm;
  /**
   * Fires when the primary Region does not answer its own name, so that the global name answers
   * from the secondary Region (the `RegionLost` drill's expected alarm); only in a us-east-1 stack.
   */
  public readonly regionFailedOverAlarm?: cloudwatch.Alarm;

  public constructor(scope: Construct, id: string, props: GlobalFailoverProps) {
    super(scope, id);
    const front = props.front ?? GlobalFront.dns();
    this.domainName = FailoverDns.domainNameOf(props.hostedZone, props.recordName);
    validateSeconds('maxFailoverTime', props.maxFailoverTime, 1, 3600);
    if (props.regionSwitchPlan && front instanceof AcceleratorFront) {
      throw new Error(
        '`regionSwitchPlan` must be left out with `GlobalFront.accelerator()`, because an ARC Region switch plan has no ' +
          'Global Accelerator execution block (and a custom Lambda block would add Lambda to the stacks): the accelerator ' +
          'fails over on its own; move traffic by hand with its traffic dials (see docs/MULTI-REGION.md), got: true',
      );
    }
    this.validateRegions(props);
    for (const [role, service] of [
      ['primary', props.primary],
      ['secondary', props.secondary],
    ] as const) {
      this.validateService(role, service, props.hostedZone, front);
      // Deploy the Regional stacks first: the DNS front aliases their records, the accelerator
      // reads their load balancers' ARNs through Fn::GetStackOutput.
      const regional = Stack.of(service.loadBalancers[0] ?? service.hostedZone);
      if (regional !== Stack.of(this)) {
        Stack.of(this).addStackDependency(regional, `${this.node.path} fronts the service of ${service.region}`);
      }
    }

    if (!props.regionSwitchPlan) {
      for (const prop of ['regionSwitchPlanHealthCheckId', 'regionSwitchApprovalRole'] as const) {
        if (props[prop] !== undefined) {
          throw new Error(
            `\`${prop}\` needs \`regionSwitchPlan: true\`, got: ${show(props[prop])} with regionSwitchPlan ${show(props.regionSwitchPlan ?? false)}`,
          );
        }
      }
    }
    this.regionSwitchPlan = props.regionSwitchPlan ? this.buildRegionSwitchPlan(props) : undefined;
    const built = front._bind(this, {
      hostedZone: props.hostedZone,
      domainName: this.domainName,
      primary: props.primary,
      secondary: props.secondary,
      primaryHealthCheck:
        props.regionSwitchPlanHealthCheckId === undefined
          ? undefined
          : RegionSwitchPlan.primaryRecordHealthCheck(this, 'PrimaryRecordCheck', {
              planHealthCheckId: props.regionSwitchPlanHealthCheckId,
            }),
    });
    this.failoverBudget = built.budget;
    this.primaryRecord = built.primaryRecord;
    this.secondaryRecord = built.secondaryRecord;
    this.accelerator = built.accelerator;
    validateGlobalMaxFailoverTime(props.maxFailoverTime, this.failoverBudget, front._name);

    // What clients see, and whether the primary Region serves, measured by Route 53 (not used for
    // routing). Route 53 publishes health-check metrics only in us-east-1
    // (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html).
    const path = props.healthCheckPath ?? '/health';
    const check = (checkId: string, fqdn: string) =>
      httpsHealthCheck(this, checkId, { fqdn, path, requestInterval: Duration.seconds(30), failureThreshold: 3 });
    this.endToEndHealthCheck = check('EndToEndHealthCheck', this.domainName);
    this.primaryRegionHealthCheck = check('PrimaryRegionHealthCheck', props.primary.domainName);
    validateAlarmActions('alarmActions', props.alarmActions?.length, false);
    const region = Stack.of(this).region;
    if (region === 'us-east-1') {
      const alarm = (alarmId: string, healthCheck: route53.IHealthCheck, description: string) =>
        new HealthCheckAlarm(this, alarmId, { healthCheck, description, alarmActions: props.alarmActions }).alarm;
      this.endToEndAlarm = alarm(
        'EndToEndAlarm',
        this.endToEndHealthCheck,
        `${this.domainName} does not answer its health path over HTTPS`,
      );
      this.regionFailedOverAlarm = alarm(
        'RegionFailedOverAlarm',
        this.primaryRegionHealthCheck,
        `${props.primary.region} does not answer ${props.primary.domainName}: ${this.domainName} answers from ${props.secondary.region}`,
      );
      if ((props.alarmActions ?? []).length === 0) {
        Annotations.of(this).addWarningV2(
          'multi-az-failover-service:globalAlarmsUndelivered',
          'The global alarms (EndToEndAlarm, RegionFailedOverAlarm) notify nobody: pass `alarmActions` (for example an SnsAction of a us-east-1 topic with a subscriber).',
        );
        for (const a of [this.endToEndAlarm, this.regionFailedOverAlarm]) {
          acknowledge(
            a,
            [
              'NIST.800.53.R5::NIST.800.53.R5-CloudWatchAlarmAction',
              'HIPAA.Security::HIPAA.Security-CloudWatchAlarmAction',
              controlTower('cloudwatch_alarm_action_check'),
            ],
            'The global stack has no topic of its own: the alarm notifies the actions the user passes in alarmActions, and without them synth warns (globalAlarmsUndelivered); its state is still what the RegionLost drill observes',
          );
        }
      }
    } else if (!Token.isUnresolved(region)) {
      Annotations.of(this).addWarningV2(
        'multi-az-failover-service:globalAlarmsOutsideUsEast1',
        `The global stack is in ${region}: Route 53 publishes health-check metrics only in us-east-1, so it has no global alarms. Put it in us-east-1, or add HealthCheckAlarms for endToEndHealthCheck and primaryRegionHealthCheck to a us-east-1 stack.`,
      );
    }
    new CfnOutput(this, 'FailoverBestCaseSeconds', {
      description: `The fastest failover between the Regions with ${front._name}, in seconds`,
      value: String(this.failoverBudget.bestCaseSeconds),
    });
    new CfnOutput(this, 'FailoverWorstCaseSeconds', {
      description: `The slowest failover between the Regions with ${front._name}, in seconds (assumptions included)`,
      value: String(this.failoverBudget.worstCaseSeconds),
    });
  }

  /**
   * The Region switch plan over the two services: each zone's primary-tier group of one Region
   * paired with the same zone position's of the other, the services' health alarms, the global
   * records' set identifiers. Every value of a Regional stack arrives as a weak reference
   * (Fn::GetStackOutput), so that no stack gets a cross-Region custom resource.
   */
  private buildRegionSwitchPlan(props: GlobalFailoverProps): RegionSwitchPlan {
    const [primaryArns, secondaryArns] = [props.primary, props.secondary].map((service, i) => {
      const arns = service.regionSwitchGroupArns ?? [];
      if (arns.length === 0) {
        throw new Error(
          `\`${i === 0 ? 'primary' : 'secondary'}\` must give \`regionSwitchGroupArns\` (the groups a Region switch plan raises) for \`regionSwitchPlan\`, got: none`,
        );
      }
      return arns.map((arn) => weak(arn));
    });
    if (primaryArns.length !== secondaryArns.length) {
      throw new Error(
        `\`secondary\` must have as many \`regionSwitchGroupArns\` as \`primary\` (${primaryArns.length}: the plan pairs them zone by zone), got: ${secondaryArns.length}`,
      );
    }
    const alarms = (role: string, service: IRegionalService) =>
      (service.healthAlarmArns ?? []).map((arn, i) =>
        cloudwatch.Alarm.fromAlarmArn(this, `${role}HealthAlarm${i + 1}`, weak(arn)),
      );
    return new RegionSwitchPlan(this, 'RegionSwitchPlan', {
      primaryRegion: props.primary.region,
      standbyRegion: props.secondary.region,
      groupPairs: primaryArns.map((primaryGroupArn, i) => ({ primaryGroupArn, standbyGroupArn: secondaryArns[i] })),
      hostedZone: props.hostedZone,
      recordName: this.domainName,
      primaryRecordSetIdentifier: 'primary',
      standbyRecordSetIdentifier: 'secondary',
      primaryHealthAlarms: alarms('Primary', props.primary),
      standbyHealthAlarms: alarms('Secondary', props.secondary),
      approvalRole: props.regionSwitchApprovalRole,
    });
  }

  /** Two Regions, concrete and distinct. */
  private validateRegions(props: GlobalFailoverProps): void {
    for (const [role, service] of [
      ['primary', props.primary],
      ['secondary', props.secondary],
    ] as const) {
      if (Token.isUnresolved(service.region)) {
        throw new Error(
          `\`${role}\` must run in a stack with a concrete \`env.region\`, got: an unresolved region token`,
        );
      }
    }
    if (props.primary.region === props.secondary.region) {
      throw new Error(
        `\`secondary\` must run in another Region than \`primary\` (${props.primary.region}), got: ${props.secondary.region}`,
      );
    }
    const [primaryName, secondaryName] = [props.primary.domainName, props.secondary.domainName];
    if (
      !Token.isUnresolved(primaryName) &&
      !Token.isUnresolved(secondaryName) &&
      primaryName.toLowerCase() === secondaryName.toLowerCase()
    ) {
      throw new Error(
        `\`secondary\` must have a record name of its own, not the primary's ${primaryName} (both services would write the same failover records; for example \`recordName: GlobalFailover.regionalRecordName('api', '${props.secondary.region}')\`), got: ${show(secondaryName)}`,
      );
    }
    // The DNS front's two global records are one failover group: one name and one type, and a CNAME cannot share
    // its name with a record of another type.
    // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-failover-alias.html
    if (!(props.front instanceof AcceleratorFront) && props.primary.recordType !== props.secondary.recordType) {
      throw new Error(
        `\`secondary\` must have failover records of the primary's type (${props.primary.recordType}), because the global records alias them with one type: give both services the same \`failoverRecordTtl\` choice, got: ${props.secondary.recordType}`,
      );
    }
  }

  /**
   * A Regional service fits the front when its records are in the global name's zone (an alias
   * can only target a record in its own zone), under a name of its own, and when it accepts the
   * global name (its listeners' host rule and its certificate).
   */
  private validateService(
    role: 'primary' | 'secondary',
    service: IRegionalService,
    hostedZone: route53.IHostedZone,
    front: GlobalFront,
  ): void {
    const zoneId = hostedZone.hostedZoneId;
    const serviceZoneId = service.hostedZone.hostedZoneId;
    if (!Token.isUnresolved(zoneId) && !Token.isUnresolved(serviceZoneId) && zoneId !== serviceZoneId) {
      // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-alias-common.html
      throw new Error(
        `\`${role}\` must have its failover records in \`hostedZone\` (${zoneId}), because an alias record can only target a record in its own hosted zone, got: ${serviceZoneId}`,
      );
    }
    if (!Token.isUnresolved(service.domainName) && service.domainName.toLowerCase() === this.domainName.toLowerCase()) {
      throw new Error(
        `\`${role}\` must have a record name of its own, not the global name ${this.domainName} (for example \`recordName: GlobalFailover.regionalRecordName('api', '${service.region}')\`), got: ${show(service.domainName)}`,
      );
    }
    if (service.globalDomainName?.toLowerCase() !== this.domainName.toLowerCase()) {
      throw new Error(
        `\`${role}\` must accept the global name: set \`globalDomainName: '${this.domainName}'\` on its service (its certificate and listener rule), got: ${show(service.globalDomainName)}`,
      );
    }
    if (front instanceof AcceleratorFront && service.loadBalancers.length === 0) {
      throw new Error(`\`${role}\` must have at least one load balancer for \`GlobalFront.accelerator()\`, got: none`);
    }
    if (front instanceof AcceleratorFront && (service as { warmStandby?: unknown }).warmStandby !== undefined) {
      Annotations.of(this).addWarningV2(
        `multi-az-failover-service:acceleratorWarmStandby:${role}`,
        `\`${role}\` runs its secondary tier as a warm standby, but \`GlobalFront.accelerator()\` sends half of the Region's traffic to each tier: use \`SecondaryMode.FULL\` (see docs/MULTI-REGION.md).`,
      );
    }
  }
}
