import { Duration, Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { isPlaceholderZone } from './zones';

/**
 * Synth-time validation helpers. Every message names the prop, the value received and
 * what is allowed, in the shape `` `prop` must be ..., got: value ``. Values that are
 * tokens are not range-checked: they are only known at deploy time.
 */

/** Throws unless `value` is an integer in [min, max]. Tokens and `undefined` pass. */
export function validateInteger(prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`\`${prop}\` must be an integer from ${min} to ${max}, got: ${value}`);
  }
}

/** Throws unless `value` is a number with min < value <= max. Tokens and `undefined` pass. */
export function validatePercent(prop: string, value: number | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isFinite(value) || value <= 0 || value > 100) {
    throw new Error(`\`${prop}\` must be a number greater than 0 and at most 100, got: ${value}`);
  }
}

/**
 * Throws unless `value` is a whole number of seconds in [minSeconds, maxSeconds].
 * Tokens and `undefined` pass.
 */
export function validateSeconds(
  prop: string,
  value: Duration | undefined,
  minSeconds: number,
  maxSeconds: number,
): void {
  if (value === undefined || value.isUnresolved()) {
    return;
  }
  const ms = value.toMilliseconds({ integral: false });
  if (ms % 1000 !== 0 || ms < minSeconds * 1000 || ms > maxSeconds * 1000) {
    throw new Error(
      `\`${prop}\` must be a whole number of seconds from ${minSeconds} to ${maxSeconds} seconds, got: ${value.toHumanString()}`,
    );
  }
}

/**
 * Throws unless `value` is a positive duration in whole milliseconds, at most maxSeconds.
 * Tokens and `undefined` pass.
 */
export function validatePositiveDuration(prop: string, value: Duration | undefined, maxSeconds: number): void {
  if (value === undefined || value.isUnresolved()) {
    return;
  }
  const ms = value.toMilliseconds({ integral: false });
  if (!Number.isInteger(ms) || ms <= 0 || ms > maxSeconds * 1000) {
    throw new Error(
      `\`${prop}\` must be a duration greater than 0 and at most ${maxSeconds} seconds, got: ${value.toHumanString()}`,
    );
  }
}

/** Throws unless `value` is a whole number of days in [minDays, maxDays]. Tokens and `undefined` pass. */
export function validateDays(prop: string, value: Duration | undefined, minDays: number, maxDays: number): void {
  if (value === undefined || value.isUnresolved()) {
    return;
  }
  const ms = value.toMilliseconds({ integral: false });
  const days = ms / 86_400_000;
  if (!Number.isInteger(days) || days < minDays || days > maxDays) {
    throw new Error(
      `\`${prop}\` must be a whole number of days from ${minDays} to ${maxDays} days, got: ${value.toHumanString()}`,
    );
  }
}

/** Throws unless `value` is a whole number of minutes in [minMinutes, maxMinutes]. Tokens and `undefined` pass. */
/**
 * The health check grace period: whole seconds, shorter than the signal timeout (an instance not
 * healthy by the signal deadline fails the create or release anyway, so a longer grace period
 * would only keep Auto Scaling from replacing it).
 */
export function validateGracePeriod(prop: string, value: Duration, signalTimeout: Duration): void {
  if (value.isUnresolved() || signalTimeout.isUnresolved()) {
    return;
  }
  const seconds = value.toMilliseconds({ integral: false }) / 1000;
  if (!Number.isInteger(seconds) || seconds < 0 || seconds >= signalTimeout.toSeconds()) {
    throw new Error(
      `\`${prop}\` must be whole seconds from 0 and shorter than \`signalTimeout\` (${signalTimeout.toHumanString()}), got: ${value.toHumanString()}`,
    );
  }
}

/**
 * Endpoints a user adds: only to a VPC the construct creates, and none it creates already or twice
 * (two endpoints with private DNS for one service cannot exist in one VPC).
 */
export function validateAdditionalEndpoints(
  prop: string,
  endpoints: ec2.InterfaceVpcEndpointAwsService[] | undefined,
  ownVpc: boolean,
  defaults: string[],
): void {
  if (endpoints === undefined || endpoints.length === 0) {
    return;
  }
  const names = endpoints.map((endpoint) => endpoint.shortName);
  if (ownVpc) {
    throw new Error(
      `\`${prop}\` must be left out with \`vpc\`: the construct adds no endpoints to your own VPC, got: ${names.join(', ')}`,
    );
  }
  const repeated = names.filter((name, index) => defaults.includes(name) || names.indexOf(name) !== index);
  if (repeated.length > 0) {
    throw new Error(
      `\`${prop}\` must name endpoints other than the ones the VPC always gets (${defaults.join(', ')}), each once, got: ${names.join(', ')}`,
    );
  }
}

export function validateMinutes(
  prop: string,
  value: Duration | undefined,
  minMinutes: number,
  maxMinutes: number,
): void {
  if (value === undefined || value.isUnresolved()) {
    return;
  }
  const minutes = value.toMilliseconds({ integral: false }) / 60_000;
  if (!Number.isInteger(minutes) || minutes < minMinutes || minutes > maxMinutes) {
    throw new Error(
      `\`${prop}\` must be a whole number of minutes from ${minMinutes} to ${maxMinutes} minutes, got: ${value.toHumanString()}`,
    );
  }
}

/**
 * Static stability: the floor of the zones left after losing the largest one (all zones have the
 * same floor, `instancesPerAz`) must carry `peakInstancesNeeded`. Counts that are tokens pass.
 */
export function validateSurvivesAzLoss(
  tier: string,
  zones: number,
  instancesPerAz: number,
  survivesAzLoss: boolean | undefined,
  peakInstancesNeeded: number | undefined,
): void {
  if (survivesAzLoss === false) {
    if (peakInstancesNeeded !== undefined) {
      throw new Error(
        `\`peakInstancesNeeded\` is only checked with \`survivesAzLoss\`, got: peakInstancesNeeded ${peakInstancesNeeded} with survivesAzLoss false`,
      );
    }
    return;
  }
  if (
    peakInstancesNeeded === undefined ||
    Token.isUnresolved(peakInstancesNeeded) ||
    Token.isUnresolved(instancesPerAz)
  ) {
    return;
  }
  const remaining = instancesPerAz * (zones - 1);
  if (peakInstancesNeeded > remaining) {
    throw new Error(
      `\`peakInstancesNeeded\` must be at most the floor the ${tier} tier keeps after losing one of its ${zones} Availability Zones, ${remaining} (\`instancesPerAz\` ${instancesPerAz} × ${zones - 1} zones), got: ${peakInstancesNeeded}. Raise \`instancesPerAz\` to at least ${Math.ceil(peakInstancesNeeded / (zones - 1))}, or set \`survivesAzLoss: false\` to rely on scaling after a zone's loss`,
    );
  }
}

/** Renders a value for an error message: strings quoted, arrays as JSON. */
export function show(value: unknown): string {
  return JSON.stringify(value);
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

/**
 * 2 to 6 distinct Availability Zone names. With a concrete `region`, each name must be one of
 * that region's (`eu-west-1a`). Tokens are not checked, nor aws-cdk-lib's placeholders
 * (`dummy1a`), which the CDK CLI replaces with the real zones after its context lookup.
 */
export function validateAvailabilityZones(prop: string, azs: string[], region?: string): void {
  if (Token.isUnresolved(azs)) {
    throw new Error(`\`${prop}\` must be a list of 2 to 6 Availability Zone names, not a list token`);
  }
  if (azs.length < 2 || azs.length > 6) {
    throw new Error(`\`${prop}\` must list 2 to 6 Availability Zones, got ${azs.length}: ${show(azs)}`);
  }
  const concreteRegion = region !== undefined && !Token.isUnresolved(region) ? region : undefined;
  for (const az of azs) {
    if (Token.isUnresolved(az) || isPlaceholderZone(az)) {
      continue;
    }
    if (!/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(az)) {
      throw new Error(
        `\`${prop}\` must contain Availability Zone names such as "us-east-1a", got: ${show(az)} in ${show(azs)}`,
      );
    }
    if (concreteRegion !== undefined && !new RegExp(`^${concreteRegion}[a-z]$`).test(az)) {
      throw new Error(
        `\`${prop}\` must name Availability Zones of the stack's region ${concreteRegion} (such as "${concreteRegion}a"), got: ${show(az)} in ${show(azs)}`,
      );
    }
  }
  const seen = new Set<string>();
  for (const az of azs) {
    if (seen.has(az)) {
      throw new Error(`\`${prop}\` must not repeat an Availability Zone, got ${show(az)} twice in ${show(azs)}`);
    }
    seen.add(az);
  }
}

/**
 * Every zone must hold one of the VPC's public subnets (load balancer) and one of its private
 * subnets with egress (instances). A VPC whose zones are tokens (created in a stack without a
 * concrete account, without `availabilityZones`) cannot be matched with zone names at synth
 * time: its subnets would silently be left out, and the load balancer and the groups would get
 * no subnet at all.
 */
export function validateVpcHasZones(prop: string, vpc: ec2.IVpc, azs: string[]): void {
  if (vpc.privateSubnets.length === 0) {
    const isolated = vpc.isolatedSubnets.length > 0 ? ` (it has ${vpc.isolatedSubnets.length} isolated subnets)` : '';
    throw new Error(
      `\`vpc\` must have private subnets with egress (PRIVATE_WITH_EGRESS: the instances reach AWS APIs and package repositories through VPC endpoints or NAT) in every chosen Availability Zone, got: no private subnets with egress${isolated}`,
    );
  }
  for (const [kind, subnets] of [
    ['public', vpc.publicSubnets],
    ['private', vpc.privateSubnets],
  ] as const) {
    const zones = subnets.map((s) => s.availabilityZone);
    for (const az of azs) {
      if (Token.isUnresolved(az) || zones.includes(az)) {
        continue;
      }
      if (zones.some((z) => Token.isUnresolved(z))) {
        throw new Error(
          `\`${prop}\` names ${show(az)}, but the Availability Zones of \`vpc\` are unknown at synth time (a VPC created without \`availabilityZones\` in a stack without a concrete account): create the VPC with \`availabilityZones: ${show(azs)}\`, got zones: ${show(zones)}`,
        );
      }
      throw new Error(
        `\`${prop}\` must only name zones in which \`vpc\` has ${kind} subnets (${show(zones)}), got: ${show(az)}`,
      );
    }
  }
}

/** A whole number of GiB from 8 to 16384 (the gp3 limits, and room for the AMI). */
export function validateRootVolumeSize(prop: string, size: Size | undefined): void {
  if (size === undefined || size.isUnresolved()) {
    return;
  }
  const gib = size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(gib) || gib < 8 || gib > 16384) {
    throw new Error(`\`${prop}\` must be a whole number of GiB from 8 to 16384, got: ${gib} GiB`);
  }
}

/**
 * One or more DNS labels relative to the zone: letters, digits, hyphens, `*` as the first label.
 * A name that already ends with the zone's name would be doubled (`api.example.com.example.com`).
 */
export function validateRecordName(prop: string, name: string, zoneName?: string): void {
  if (Token.isUnresolved(name)) {
    return;
  }
  const label = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';
  const pattern = new RegExp(`^(\\*|${label})(\\.${label})*$`, 'i');
  if (!pattern.test(name) || name.length > 200) {
    throw new Error(
      `\`${prop}\` must be one or more DNS labels relative to the hosted zone (letters, digits and hyphens, such as "api" or "pay.eu"), got: ${show(name)}`,
    );
  }
  if (zoneName !== undefined && !Token.isUnresolved(zoneName)) {
    const zone = zoneName.replace(/\.$/, '').toLowerCase();
    const lower = name.toLowerCase();
    if (lower === zone || lower.endsWith(`.${zone}`)) {
      throw new Error(
        `\`${prop}\` must be relative to the hosted zone ${zone} (for example "api", not "api.${zone}"), got: ${show(name)}, which would become "${name}.${zone}"`,
      );
    }
  }
}

/** Each entry a plausible email address (SNS confirms the real one). */
export function validateEmails(prop: string, emails: string[] | undefined): void {
  if (emails === undefined || Token.isUnresolved(emails)) {
    return;
  }
  const seen = new Set<string>();
  for (const email of emails) {
    if (Token.isUnresolved(email)) {
      continue;
    }
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      throw new Error(`\`${prop}\` must contain email addresses such as "ops@example.com", got: ${show(email)}`);
    }
    if (seen.has(email)) {
      throw new Error(`\`${prop}\` must not repeat an address, got ${show(email)} twice in ${show(emails)}`);
    }
    seen.add(email);
  }
}

/** An AWS tag value: 1 to 256 characters of letters, digits, spaces and `_ . : / = + - @`. */
export function validateTagValue(prop: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u.test(value)) {
    throw new Error(
      `\`${prop}\` must be a tag value of 1 to 256 letters, digits, spaces and _ . : / = + - @, got: ${show(value)}`,
    );
  }
}

/**
 * Throws when `value` is a token: the construct derives other values from it at synth time
 * (an alarm threshold, lifecycle transitions), which a deploy-time value cannot give.
 */
export function validateConcrete(prop: string, value: number | Duration | undefined, derived: string): void {
  if (value === undefined) {
    return;
  }
  const unresolved = typeof value === 'number' ? Token.isUnresolved(value) : value.isUnresolved();
  if (unresolved) {
    throw new Error(
      `\`${prop}\` must be a concrete value, not a token (the construct derives ${derived} from it at synth time), got: a token`,
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

/** ALB access logging delivers only to buckets encrypted with SSE-S3. */
export function validateAccessLogsBucket(prop: string, bucket: s3.IBucket | undefined): void {
  if (bucket?.encryptionKey !== undefined) {
    throw new Error(
      `\`${prop}\` must use SSE-S3 encryption (S3-managed keys): ALB access logging supports no other encryption, got: a bucket encrypted with the KMS key ${show(bucket.encryptionKey.node.path)}`,
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

/**
 * A Parameter Store path: starts with `/`, slash-separated segments of letters, digits, `_`, `.`
 * and `-`, not the root alone, not under the reserved `/aws` and `/ssm` prefixes
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html).
 */
export function validateParameterPrefix(prop: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  const path = /^(\/[A-Za-z0-9_.-]+)+\/?$/;
  if (!path.test(value) || value.length > 1000 || /^\/(aws|ssm)(\/|$)/i.test(value)) {
    throw new Error(
      `\`${prop}\` must be a Parameter Store path such as /payments/api/ (slash-separated letters, digits, _, . and -, not under /aws or /ssm, at most 1000 characters), got: ${show(value)}`,
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
