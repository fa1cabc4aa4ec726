import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { IFailoverTarget } from './failover-target';
import { validateRecordName } from './private/validate';

/**
 * Properties for {@link FailoverDns}.
 */
export interface FailoverDnsProps {
  /**
   * The hosted zone that holds the records.
   */
  readonly hostedZone: route53.IHostedZone;

  /**
   * The record name relative to the zone (`api` gives `api.<zoneName>`).
   *
   * @default 'api'
   */
  readonly recordName?: string;

  /**
   * The tier that receives traffic while its health check passes.
   */
  readonly primary: IFailoverTarget;

  /**
   * The tier that receives traffic while the primary's health check fails.
   */
  readonly secondary: IFailoverTarget;
}

/**
 * Route 53 failover routing between two tiers: a PRIMARY and a SECONDARY alias A record for
 * the same name, each aliasing its tier's load balancer with target-health evaluation and
 * carrying its tier's health check.
 */
export class FailoverDns extends Construct {
  /**
   * The fully qualified name of the failover records: `recordName.zoneName`. The service uses it
   * for its certificate before the records exist.
   *
   * @param hostedZone the zone of the records
   * @param recordName the record name relative to the zone; 'api' when undefined
   */
  public static domainNameOf(hostedZone: route53.IHostedZone, recordName?: string): string {
    const name = recordName ?? 'api';
    validateRecordName('recordName', name, hostedZone.zoneName);
    return `${name}.${hostedZone.zoneName}`;
  }

  /** The fully qualified name that clients call, `recordName.zoneName`. */
  public readonly domainName: string;
  /** The PRIMARY failover record. */
  public readonly primaryRecord: route53.ARecord;
  /** The SECONDARY failover record. */
  public readonly secondaryRecord: route53.ARecord;

  public constructor(scope: Construct, id: string, props: FailoverDnsProps) {
    super(scope, id);
    this.domainName = FailoverDns.domainNameOf(props.hostedZone, props.recordName);

    const record = (recordId: string, failover: route53.Failover, tier: IFailoverTarget) =>
      new route53.ARecord(this, recordId, {
        zone: props.hostedZone,
        recordName: this.domainName,
        target: route53.RecordTarget.fromAlias(
          new targets.LoadBalancerTarget(tier.failoverLoadBalancer, { evaluateTargetHealth: true }),
        ),
        failover,
        setIdentifier: recordId.toLowerCase(),
        healthCheck: tier.failoverHealthCheck,
      });
    this.primaryRecord = record('Primary', route53.Failover.PRIMARY, props.primary);
    this.secondaryRecord = record('Secondary', route53.Failover.SECONDARY, props.secondary);
  }
}
