import { Duration, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { IFailoverTarget } from './failover-target';
import { show, validateRecordName, validateSeconds } from './private/validate';

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

  /**
   * Make the PRIMARY and SECONDARY records CNAME records to the load balancers' DNS names with
   * this TTL, instead of alias records, which Route 53 serves with the load balancer's fixed 60 s
   * TTL. Resolvers then drop a cached answer after this TTL, so failover reaches clients sooner.
   * The records carry the same health checks. CNAME queries are billed (alias queries to a load
   * balancer are not), and target-health evaluation exists only for alias records. A CNAME cannot
   * be the zone apex, and switching a deployed stack between alias and CNAME records fails (see
   * docs/FAILOVER.md, "Shorter failover"). A whole number of seconds from 0 to 60.
   *
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html
   * @default - alias A records to the load balancers, with target-health evaluation
   */
  readonly failoverRecordTtl?: Duration;
}

/**
 * Route 53 failover routing between two tiers: a PRIMARY and a SECONDARY alias A record for
 * the same name, each aliasing its tier's load balancer with target-health evaluation and
 * carrying its tier's health check. With `failoverRecordTtl`, the two records are CNAME records
 * to the load balancers' DNS names with that TTL instead.
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
  /**
   * The PRIMARY failover record: an alias `ARecord`, or a `CnameRecord` with `failoverRecordTtl`.
   */
  public readonly primaryRecord: route53.RecordSet;
  /**
   * The SECONDARY failover record: an alias `ARecord`, or a `CnameRecord` with `failoverRecordTtl`.
   */
  public readonly secondaryRecord: route53.RecordSet;

  public constructor(scope: Construct, id: string, props: FailoverDnsProps) {
    super(scope, id);
    const ttl = props.failoverRecordTtl;
    if (ttl !== undefined) {
      validateCnameRecordName(props.hostedZone, props.recordName, ttl);
      validateSeconds('failoverRecordTtl', ttl, 0, 60);
    }
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
    // With a TTL: a CNAME to the load balancer's name, with that TTL instead of the alias's fixed
    // 60 s, and otherwise the same record (name, failover role, set identifier, health check).
    // Allowed because the record is never the zone apex (validateCnameRecordName).
    // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-alias-common.html
    const cnameRecord = (recordId: string, failover: route53.Failover, tier: IFailoverTarget) =>
      new route53.CnameRecord(this, recordId, {
        zone: props.hostedZone,
        recordName: this.domainName,
        domainName: tier.failoverLoadBalancer.loadBalancerDnsName,
        ttl,
        failover,
        setIdentifier: recordId.toLowerCase(),
        healthCheck: tier.failoverHealthCheck,
      });
    const create = ttl ? cnameRecord : record;
    this.primaryRecord = create('Primary', route53.Failover.PRIMARY, props.primary);
    this.secondaryRecord = create('Secondary', route53.Failover.SECONDARY, props.secondary);
  }
}

/**
 * A CNAME record cannot have the zone's own name (the apex holds the SOA and NS records), so
 * `failoverRecordTtl` is refused for a `recordName` that names the apex, before the record
 * name's own checks, so that the message says why.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html
 */
function validateCnameRecordName(hostedZone: route53.IHostedZone, recordName: string | undefined, ttl: Duration): void {
  if (recordName === undefined || Token.isUnresolved(recordName) || Token.isUnresolved(hostedZone.zoneName)) {
    return;
  }
  const zone = hostedZone.zoneName.replace(/\.$/, '').toLowerCase();
  const name = recordName.replace(/\.$/, '').toLowerCase();
  if (name === '' || name === '@' || name === zone) {
    throw new Error(
      `\`failoverRecordTtl\` must be left out when \`recordName\` names the zone apex (${zone}), because a CNAME record cannot have the zone's own name: use alias records there, got: ${ttl.toHumanString()} with \`recordName\` ${show(recordName)}`,
    );
  }
}
