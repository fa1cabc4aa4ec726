import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import type { FailoverTierProps } from './failover-tier';
import { httpsHealthCheck } from './private/https-health-check';
import { notify } from './private/notify';

/** What a tier's health is judged on, besides its props. */
export interface TierHealthOptions {
  /** The load balancer that Route 53 calls. */
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The target group whose healthy hosts the health alarm counts. */
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The path Route 53 requests. */
  readonly healthCheckPath: string;
  /** Instances in the whole tier. */
  readonly instanceCount: number;
  /**
   * Whether the failover record also needs enough healthy hosts (a `CALCULATED` check of the HTTPS
   * and capacity checks): the primary's. Else the HTTPS check alone decides.
   */
  readonly routeOnCapacity: boolean;
}

/** How Route 53 and CloudWatch judge a tier. */
export interface TierHealth {
  /** The Route 53 HTTPS health check of the load balancer. */
  readonly healthCheck: route53.HealthCheck;
  /** The healthy hosts below which `healthAlarm` fires. */
  readonly minHealthyHosts: number;
  /** Fires when fewer than `minHealthyHosts` targets are healthy. */
  readonly healthAlarm: cloudwatch.Alarm;
  /** The Route 53 health check of `healthAlarm`. */
  readonly capacityHealthCheck: route53.HealthCheck;
  /** The health check of the tier's failover record. */
  readonly routingHealthCheck: route53.HealthCheck;
}

/**
 * Creates the tier's health in `tier`, the FailoverTier itself, so that the construct paths are the
 * tier's: the Route 53 HTTPS check (`HealthCheck`), the capacity alarm (`HealthAlarm`) and its
 * Route 53 check (`CapacityHealthCheck`), and, with `routeOnCapacity`, the `RoutingHealthCheck`
 * that needs both.
 */
export function tierHealth(tier: Construct, props: FailoverTierProps, options: TierHealthOptions): TierHealth {
  // Route 53 sends `Host: <fqdn>`, the load balancer's DNS name, and the SNI of that name.
  const healthCheck = httpsHealthCheck(tier, 'HealthCheck', {
    fqdn: options.loadBalancer.loadBalancerDnsName,
    path: options.healthCheckPath,
    searchString: props.healthCheckSearchString,
    requestInterval: Duration.seconds(10),
    failureThreshold: props.healthCheckFailureThreshold ?? 3,
    measureLatency: true,
  });
  // Tier health that sees a half-dead tier: healthy hosts below minHealthyHostsPercent of the
  // tier, a single-metric alarm that Route 53 can read (standard resolution, a plain statistic:
  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-types.html).
  const minHealthyPercent = props.minHealthyHostsPercent ?? 50;
  const minHealthyHosts = Math.max(1, Math.ceil((options.instanceCount * minHealthyPercent) / 100));
  const healthAlarm = new cloudwatch.Alarm(tier, 'HealthAlarm', {
    alarmDescription: `Fewer than ${minHealthyHosts} of ${options.instanceCount} targets (${minHealthyPercent}%) are healthy: the ${props.priority} tier cannot carry its load`,
    metric: options.targetGroup.metrics.healthyHostCount({
      period: Duration.minutes(1),
      statistic: cloudwatch.Stats.MINIMUM,
    }),
    threshold: minHealthyHosts,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 2,
    treatMissingData: cloudwatch.TreatMissingData.MISSING,
  });
  notify([healthAlarm], props.alarmTopic, props.alarmActions);
  const capacityHealthCheck = new route53.HealthCheck(tier, 'CapacityHealthCheck', {
    type: route53.HealthCheckType.CLOUDWATCH_METRIC,
    alarmIdentifier: { name: healthAlarm.alarmName, region: Stack.of(tier).region },
    // No data (for example the alarm's first minutes) keeps the last status, never flaps to unhealthy.
    insufficientDataHealthStatus: route53.InsufficientDataHealthStatusEnum.LAST_KNOWN_STATUS,
  });
  // The primary receives traffic only while it answers HTTPS and has enough healthy hosts; the
  // secondary is judged by its HTTPS check alone (failing over into it is the last resort).
  const routingHealthCheck = options.routeOnCapacity
    ? new route53.HealthCheck(tier, 'RoutingHealthCheck', {
        type: route53.HealthCheckType.CALCULATED,
        childHealthChecks: [healthCheck, capacityHealthCheck],
        healthThreshold: 2,
      })
    : healthCheck;
  return { healthCheck, minHealthyHosts, healthAlarm, capacityHealthCheck, routingHealthCheck };
}
