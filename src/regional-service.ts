import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { FailoverBudget } from './failover-budget';

/**
 * What a global front ({@link GlobalFailover}) needs from one Regional service: its Region, its
 * own failover records (name, zone and type) for the DNS front, its load balancers for the
 * accelerator front, the global name it accepts, and its failover budget.
 * {@link MultiAzFailoverService} implements it; implement it to put `GlobalFailover` in front of
 * a Regional service of your own (its listeners must then accept the global name as a host, and
 * its certificate cover it).
 *
 * The members are those of the service's own public API, so that the global front reads the
 * service and never its tiers.
 */
export interface IRegionalService {
  /** The Region the service runs in, a concrete name such as `eu-west-1`. */
  readonly region: string;

  /** The public hosted zone that holds the service's own failover records. */
  readonly hostedZone: route53.IHostedZone;

  /**
   * The fully qualified name of the service's own failover records, `recordName.zoneName`. It
   * must differ per Region (see `GlobalFailover.regionalRecordName`): the DNS front aliases it.
   */
  readonly domainName: string;

  /**
   * The type of the service's own failover records: `A` for alias records to the load balancers,
   * `CNAME` with `failoverRecordTtl`. A global alias record must have the type of the record it
   * aliases.
   */
  readonly recordType: route53.RecordType;

  /**
   * The service's load balancers, in the order the Region prefers them (primary tier first): the
   * accelerator front's endpoints in this Region.
   */
  readonly loadBalancers: elbv2.IApplicationLoadBalancer[];

  /**
   * The global name that the service's listeners and certificate accept, as
   * `MultiAzFailoverServiceProps.globalDomainName` sets it; undefined when it accepts none.
   */
  readonly globalDomainName?: string;

  /** The service's own failover budget, from which the global front's budget is built. */
  readonly failoverBudget: FailoverBudget;

  /**
   * The ARNs, with the groups' ids (`CfnAutoScalingGroup.attrAutoScalingGroupArn`), of the Auto
   * Scaling groups that a Region switch plan raises before it moves traffic to this Region: the
   * primary tier's groups, one per zone, in zone order. Needed only with
   * `GlobalFailoverProps.regionSwitchPlan`.
   *
   * @default - none: a Region switch plan cannot be built over this service
   */
  readonly regionSwitchGroupArns?: string[];

  /**
   * The ARNs of the alarms that say the service in this Region cannot carry its load (for example
   * each tier's `healthAlarm`, `CfnAlarm.attrArn`): a Region switch plan shows them and reads them
   * at each execution.
   *
   * @default - none
   */
  readonly healthAlarmArns?: string[];
}
