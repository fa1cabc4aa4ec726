import { Duration } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';

/** What differs between the construct's HTTPS health checks. */
export interface HttpsHealthCheckOptions {
  /** The name Route 53 connects to, sends as SNI and as the `Host` header. */
  readonly fqdn: string;
  /** The path requested on port 443. */
  readonly path: string;
  /** A string the first 5,120 bytes of the body must contain (an `HTTPS_STR_MATCH` check). */
  readonly searchString?: string;
  /** 10 or 30 seconds between requests of each checker. */
  readonly requestInterval: Duration;
  /** Consecutive results that change the status. */
  readonly failureThreshold: number;
  /** Whether Route 53 measures the latency (a paid option, for the dashboard). */
  readonly measureLatency?: boolean;
}

/**
 * A Route 53 HTTPS health check of `fqdn` on 443 with SNI: an `HTTPS_STR_MATCH` check when a
 * search string is given (Route 53 counts any 2xx or 3xx as healthy otherwise), else `HTTPS`.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-types.html
 */
export function httpsHealthCheck(scope: Construct, id: string, options: HttpsHealthCheckOptions): route53.HealthCheck {
  return new route53.HealthCheck(scope, id, {
    type: options.searchString === undefined ? route53.HealthCheckType.HTTPS : route53.HealthCheckType.HTTPS_STR_MATCH,
    searchString: options.searchString,
    fqdn: options.fqdn,
    port: 443,
    resourcePath: options.path,
    requestInterval: options.requestInterval,
    failureThreshold: options.failureThreshold,
    measureLatency: options.measureLatency,
    enableSNI: true,
  });
}
