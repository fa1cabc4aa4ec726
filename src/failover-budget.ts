import { Duration, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';

/**
 * How long a failover from the primary to the secondary tier can take, in whole seconds, as the
 * synthesized configuration (the primary's Route 53 health check and the failover records)
 * allows. Read it from `MultiAzFailoverService.failoverBudget`.
 *
 * The worst case starts when the primary fails just after a passing health check: Route 53 then
 * needs `failureThreshold` failed checks `requestIntervalSeconds` apart, the last of which fails
 * only when its timeouts run out (`probeTimeoutSeconds`), and a resolver that cached the primary's
 * answer just before keeps it for the record's TTL (`dnsSeconds`). Not included, because no
 * configuration controls them: resolvers and clients that keep an answer longer than its TTL
 * (some JVMs, some ISPs' resolvers), connections that clients keep alive to the primary's load
 * balancer, and the time Route 53 takes to spread a status change to its name servers.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
 */
export interface FailoverBudget {
  /** Seconds between two checks of one Route 53 health checker: 10 or 30 (the tiers use 10). */
  readonly requestIntervalSeconds: number;

  /** Consecutive failed checks before the primary counts as unhealthy (`healthCheckFailureThreshold`). */
  readonly failureThreshold: number;

  /**
   * How long the last failing check can take: for HTTP and HTTPS checks, 4 s to connect plus 2 s
   * to receive the status code, and 2 s more to receive the body with a search string
   * (`healthCheckSearchString`); for TCP checks, 10 s to connect.
   */
  readonly probeTimeoutSeconds: number;

  /**
   * From the primary's failure until Route 53 considers it unhealthy:
   * `requestIntervalSeconds × failureThreshold + probeTimeoutSeconds`.
   */
  readonly detectionSeconds: number;

  /**
   * How long a resolver may keep answering with the primary: the failover records' TTL, which is
   * 60 s for alias records to a load balancer (fixed by Elastic Load Balancing) and
   * `failoverRecordTtl` for CNAME records.
   */
  readonly dnsSeconds: number;

  /** `detectionSeconds + dnsSeconds`. */
  readonly worstCaseSeconds: number;
}

/**
 * The TTL with which Route 53 serves an alias record to an Elastic Load Balancing load balancer:
 * the load balancer's own DNS TTL, which cannot be changed.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html
 * (an alias to an AWS resource takes that resource's TTL, which you cannot set) and
 * https://aws.amazon.com/route53/faqs/ (DNS failover for ELB endpoints uses alias records, "which
 * have a fixed TTL of 60 seconds").
 */
const LOAD_BALANCER_ALIAS_TTL_SECONDS = 60;

/**
 * The health-check timeouts of the Route 53 Developer Guide, "How Route 53 determines the status
 * of health checks that monitor an endpoint": HTTP(S) checks connect within 4 s and receive the
 * status code within 2 s after connecting; with string matching the body must follow within the
 * next 2 s; TCP checks connect within 10 s.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
 */
const PROBE_TIMEOUT_SECONDS: Record<string, number> = {
  HTTP: 4 + 2,
  HTTPS: 4 + 2,
  HTTP_STR_MATCH: 4 + 2 + 2,
  HTTPS_STR_MATCH: 4 + 2 + 2,
  TCP: 10,
};

/**
 * Route 53's defaults when a health check leaves them out (CloudFormation
 * `AWS::Route53::HealthCheck` `HealthCheckConfig`: `RequestInterval` 30, `FailureThreshold` 3).
 */
const DEFAULT_REQUEST_INTERVAL_SECONDS = 30;
const DEFAULT_FAILURE_THRESHOLD = 3;

/**
 * The failover budget of a primary endpoint health check and the failover records, read from
 * their CloudFormation resources (so from exactly what is synthesized). Not part of the public API
 * (`src/index.ts` exports only the struct): `MultiAzFailoverService` computes it once.
 *
 * @param healthCheck the primary tier's endpoint (HTTP, HTTPS or TCP) health check
 * @param records the failover records; the budget takes the longest TTL among them
 */
export function computeFailoverBudget(healthCheck: route53.HealthCheck, records: route53.RecordSet[]): FailoverBudget {
  const config = (healthCheck.node.defaultChild as route53.CfnHealthCheck)
    .healthCheckConfig as route53.CfnHealthCheck.HealthCheckConfigProperty;
  const type = concrete(config.type, 'the health check type');
  const probeTimeoutSeconds = PROBE_TIMEOUT_SECONDS[type];
  if (probeTimeoutSeconds === undefined) {
    throw new Error(
      `The failover budget needs an endpoint health check (HTTP, HTTPS or TCP) on the primary tier, got: a ${type} health check`,
    );
  }
  const requestIntervalSeconds = concrete(
    config.requestInterval ?? DEFAULT_REQUEST_INTERVAL_SECONDS,
    'the health check request interval',
  );
  const failureThreshold = concrete(
    config.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD,
    '`healthCheckFailureThreshold`',
  );
  const detectionSeconds = requestIntervalSeconds * failureThreshold + probeTimeoutSeconds;
  const dnsSeconds = Math.max(...records.map(recordTtlSeconds));
  return {
    requestIntervalSeconds,
    failureThreshold,
    probeTimeoutSeconds,
    detectionSeconds,
    dnsSeconds,
    worstCaseSeconds: detectionSeconds + dnsSeconds,
  };
}

/** The TTL a resolver may cache the record's answer for: its own, or its load balancer's for an alias. */
function recordTtlSeconds(record: route53.RecordSet): number {
  const cfn = record.node.defaultChild as route53.CfnRecordSet;
  if (cfn.aliasTarget !== undefined) {
    return LOAD_BALANCER_ALIAS_TTL_SECONDS;
  }
  return Number(concrete(cfn.ttl, '`failoverRecordTtl`'));
}

function concrete<T>(value: T | undefined, what: string): T {
  if (value === undefined || Token.isUnresolved(value)) {
    throw new Error(`The failover budget needs ${what} to be a concrete value, not a token, got: a token`);
  }
  return value;
}

/**
 * Throws when `maxFailoverTime` is shorter than the budget, naming what to change. Tokens and
 * `undefined` pass.
 *
 * @param maxFailoverTime the longest failover the user accepts
 * @param budget the computed budget
 * @param cnameRecords whether the failover records are CNAME records (`failoverRecordTtl` set)
 */
export function validateMaxFailoverTime(
  maxFailoverTime: Duration | undefined,
  budget: FailoverBudget,
  cnameRecords: boolean,
): void {
  if (maxFailoverTime === undefined || maxFailoverTime.isUnresolved()) {
    return;
  }
  if (maxFailoverTime.toMilliseconds({ integral: false }) >= budget.worstCaseSeconds * 1000) {
    return;
  }
  const fixes: string[] = [];
  if (budget.failureThreshold > 1) {
    fixes.push('lower `healthCheckFailureThreshold`');
  }
  if (!cnameRecords) {
    fixes.push('set `failoverRecordTtl`');
  } else if (budget.dnsSeconds > 0) {
    fixes.push('lower `failoverRecordTtl`');
  }
  const fix =
    fixes.length > 0
      ? fixes.join(' or ')
      : `raise \`maxFailoverTime\` (${budget.requestIntervalSeconds} s is the shortest interval Route 53 offers)`;
  const dns = cnameRecords
    ? `DNS ${budget.dnsSeconds} s: \`failoverRecordTtl\``
    : `DNS ${budget.dnsSeconds} s: the fixed TTL of alias records to a load balancer`;
  throw new Error(
    `\`maxFailoverTime\` must be at least the failover budget of ${budget.worstCaseSeconds} seconds ` +
      `(detection ${budget.detectionSeconds} s: ${budget.requestIntervalSeconds} s interval × ${budget.failureThreshold} failure${budget.failureThreshold === 1 ? '' : 's'} + ${budget.probeTimeoutSeconds} s timeouts; ${dns}): ` +
      `${fix}, got: ${maxFailoverTime.toHumanString()}`,
  );
}
