import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { show } from './validate-values';
import { isPlaceholderZone } from './zones';

/*
 * Network: Availability Zones, the VPC's subnets in them, and the VPC endpoints a user adds.
 * Messages in the shape that validate.ts describes.
 */

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
