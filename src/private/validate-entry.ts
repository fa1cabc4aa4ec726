import { Duration, Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { show } from './validate-values';

/*
 * Entry and health: the listener's TLS policy and host names, the access-log bucket, and what the
 * health checks request. Messages in the shape that validate.ts describes.
 */

/** The TLS policies whose minimum version is TLS 1.2 (policy names carry the minimum version). */
const ACCEPTS_TLS12_AT_MINIMUM = /^ELBSecurityPolicy-(TLS13-1-2|FS-1-2|TLS-1-2)-/;

/**
 * The listener's TLS policy must accept TLS 1.2 and nothing older. TLS 1.0 and 1.1 are refused
 * (PCI DSS). TLS 1.3-only policies are refused too: Route 53 HTTPS health checkers negotiate
 * TLS 1.2 at most (Route 53 API reference, `HealthCheckConfig`), so both health checks would
 * fail forever and Route 53 would answer with the primary whatever its state.
 */
export function validateSslPolicy(prop: string, policy: elbv2.SslPolicy | undefined): void {
  if (policy === undefined || Token.isUnresolved(policy)) {
    return;
  }
  if (/^ELBSecurityPolicy-TLS13-1-3-/.test(policy)) {
    throw new Error(
      `\`${prop}\` must accept TLS 1.2: Route 53 HTTPS health checks connect with TLS 1.2 at most, so a TLS 1.3-only policy fails both health checks and disables failover (use ${elbv2.SslPolicy.TLS13_12_RES_PQ} or another TLS13-1-2 policy), got: ${policy}`,
    );
  }
  if (!ACCEPTS_TLS12_AT_MINIMUM.test(policy)) {
    throw new Error(
      `\`${prop}\` must only allow TLS 1.2 and newer (for example ${elbv2.SslPolicy.TLS13_12_RES_PQ}), got: ${policy}`,
    );
  }
}

/**
 * Host names for an ALB host-header condition: 1 to 4 (the load balancer's own DNS name is the
 * fifth of the five values a condition takes), each up to 128 characters of letters, digits, `-`,
 * `.`, `*` and `?`
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html#host-conditions).
 */
export function validateHostNames(prop: string, names: string[] | undefined): void {
  if (names === undefined) {
    return;
  }
  if (names.length < 1 || names.length > 8) {
    throw new Error(`\`${prop}\` must list 1 to 8 host names, got ${names.length}: ${show(names)}`);
  }
  for (const name of names) {
    if (!Token.isUnresolved(name) && !/^[A-Za-z0-9*?.-]{1,128}$/.test(name)) {
      throw new Error(
        `\`${prop}\` must list host names of up to 128 letters, digits, -, ., * and ?, got: ${show(name)}`,
      );
    }
  }
  // "There is a limit of five wildcard characters per rule"
  // (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html).
  for (let start = 0; start < names.length; start += 3) {
    const rule = names.slice(start, start + 3);
    const wildcards = rule
      .filter((name) => !Token.isUnresolved(name))
      .join('')
      .replace(/[^*?]/g, '').length;
    if (wildcards > 5) {
      throw new Error(
        `\`${prop}\` must have at most 5 wildcards (* and ?) in each listener rule of 3 names, got ${wildcards} in: ${show(rule)}`,
      );
    }
  }
}

/** ALB access logging delivers only to buckets encrypted with SSE-S3. */
export function validateAccessLogsBucket(prop: string, bucket: s3.IBucket | undefined): void {
  if (bucket?.encryptionKey !== undefined) {
    throw new Error(
      `\`${prop}\` must use SSE-S3 encryption (S3-managed keys): ALB access logging supports no other encryption, got: a bucket encrypted with the KMS key ${show(bucket.encryptionKey.node.path)}`,
    );
  }
}

/** `accessLogRetention` sets the lifecycle of the bucket the construct creates, so not with a bucket passed in. */
export function validateRetentionWithoutBucket(retention: Duration | undefined, bucket: unknown): void {
  if (retention !== undefined && bucket !== undefined) {
    throw new Error(
      '`accessLogRetention` only applies to the bucket this construct creates; set the lifecycle of your own ' +
        `\`accessLogsBucket\` instead, got: ${retention.toHumanString()} with an \`accessLogsBucket\``,
    );
  }
}

/** `healthCheckPath`: an absolute HTTP path, at most 255 characters (the Route 53 limit). */
export function validateHealthCheckPath(prop: string, path: string | undefined): void {
  if (path === undefined || Token.isUnresolved(path)) {
    return;
  }
  if (!/^\/[\x21-\x7e]*$/.test(path) || path.length > 255) {
    throw new Error(
      `\`${prop}\` must be an absolute path of 1 to 255 printable characters without spaces, starting with "/", got: ${show(path)}`,
    );
  }
}

/** A Route 53 `SearchString`: 1 to 255 characters. */
export function validateSearchString(prop: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (value.length < 1 || value.length > 255) {
    throw new Error(`\`${prop}\` must be 1 to 255 characters long, got ${value.length}: ${show(value)}`);
  }
}
