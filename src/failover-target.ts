import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';

/**
 * What a failover DNS record needs from a tier: the load balancer to alias and the Route 53
 * health check that decides whether the tier receives traffic. {@link FailoverTier} implements
 * it; implement it to put `FailoverDns` in front of a tier of your own.
 *
 * The members are named for DNS (`failover...`) so that a tier can expose its own resources
 * under their concrete classes (`FailoverTier.loadBalancer` is an `ApplicationLoadBalancer`).
 */
export interface IFailoverTarget {
  /** The load balancer that the failover record aliases, with target-health evaluation. */
  readonly failoverLoadBalancer: elbv2.ILoadBalancerV2;
  /** The Route 53 health check that the failover record carries. */
  readonly failoverHealthCheck: route53.IHealthCheck;
}
