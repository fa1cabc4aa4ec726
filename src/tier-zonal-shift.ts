import * as arczonalshift from 'aws-cdk-lib/aws-arczonalshift';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { FailoverTierProps } from './failover-tier';
import { uniqueAlarmName } from './private/alarm-name';
import { ZonalFleet } from './zonal-fleet';

/** The client keep-alive of a load balancer with zonal shift: ARC suggests the recovery time goal. */
const CLIENT_KEEP_ALIVE_SECONDS = 300;

/** What a tier's zonal shift acts on. */
export interface TierZonalShiftOptions {
  /** The load balancer that zonal shift moves traffic on. */
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The tier's zones, whose practice-run blocking alarms block autoshift practice runs. */
  readonly zonalFleets: ZonalFleet[];
  /** The alarm that tells ARC whether a practice run hurt the tier. */
  readonly healthAlarm: cloudwatch.IAlarm;
}

/**
 * The tier's ARC zonal shift (`zonalShift`, on by default) and zonal autoshift (`zonalAutoshift`):
 * the load balancer's attributes, and with autoshift the `AnyZoneImpaired` composite alarm and the
 * `ZonalAutoshift` configuration, created in `tier`, the FailoverTier itself. The zones' Auto
 * Scaling groups register with zonal shift in ZonalFleet.
 */
export function tierZonalShift(tier: Construct, props: FailoverTierProps, options: TierZonalShiftOptions): void {
  const alb = options.loadBalancer;
  if (props.zonalShift ?? true) {
    // ARC zonal shift: an operator (or AWS, with autoshift) moves traffic out of an impaired zone
    // without a DNS change; a short client keep-alive makes kept-alive connections leave it soon
    // (https://docs.aws.amazon.com/r53recovery/latest/dg/arc-zonal-shift.resource-types.app-load-balancers.html).
    alb.setAttribute('zonal_shift.config.enabled', 'true');
    alb.setAttribute('client_keep_alive.seconds', String(CLIENT_KEEP_ALIVE_SECONDS));
  }
  if (props.zonalAutoshift ?? false) {
    // Autoshift needs a practice run configuration: the outcome alarm tells ARC whether the
    // weekly practice shift hurt the tier; a zone alarm in ALARM blocks practice runs
    // (https://docs.aws.amazon.com/r53recovery/latest/dg/arc-zonal-autoshift.practice-run.html).
    const anyZoneImpaired = new cloudwatch.CompositeAlarm(tier, 'AnyZoneImpaired', {
      // Named with the stack first: alarm names are unique per account and region.
      compositeAlarmName: uniqueAlarmName(tier, 'AnyZoneImpaired'),
      alarmDescription: `A zone of the ${props.priority} tier is impaired (too few in-service instances, slow, or a 5xx outlier): zonal autoshift practice runs wait`,
      // Not the zones' `Impaired`, which includes their load-balancer healthy hosts: a blocking alarm
      // also "stops any practice runs in progress", and during a practice run the shifted zone's
      // targets are under an administrative override (ELB `AdministrativeOverride`,
      // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/zonal-shift.html); whether
      // `HealthyHostCount` still counts them is not documented. The zones' in-service counts come
      // from Auto Scaling, which the load balancer's shift does not touch; latency and the outlier
      // read no data in a zone without traffic, which they treat as not breaching.
      alarmRule: cloudwatch.AlarmRule.anyOf(...options.zonalFleets.flatMap((fleet) => fleet.practiceRunBlockingAlarms)),
    });
    new arczonalshift.CfnZonalAutoshiftConfiguration(tier, 'ZonalAutoshift', {
      resourceIdentifier: alb.loadBalancerArn,
      zonalAutoshiftStatus: 'ENABLED',
      practiceRunConfiguration: {
        outcomeAlarms: [{ alarmIdentifier: options.healthAlarm.alarmArn, type: 'CLOUDWATCH' }],
        // ARC takes one blocking alarm: any zone of the tier impaired.
        blockingAlarms: [{ alarmIdentifier: anyZoneImpaired.alarmArn, type: 'CLOUDWATCH' }],
      },
    });
  }
}
