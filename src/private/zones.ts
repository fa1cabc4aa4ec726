import { Token } from 'aws-cdk-lib';

/**
 * Per-zone keys. A zone's resources (subnets, NAT gateway, route tables, Auto Scaling groups)
 * are keyed by the zone's name, never by its position in the list, so that adding, removing or
 * replacing a zone leaves every kept zone's resources untouched. Only zones that are tokens
 * (`Fn::GetAZs`, resolved at deploy time) are keyed by position: there is nothing else to key
 * them by.
 */

/** The placeholder zones aws-cdk-lib returns before the CDK CLI has looked the real ones up. */
const PLACEHOLDER_ZONE = /^dummy\d[a-z]$/;

/** The last zone letter that has a CIDR slot (see {@link zoneCidrSlot}). */
const LAST_ZONE_LETTER = 'o';

/** Whether `az` is one of aws-cdk-lib's context placeholders (`dummy1a`, ...). */
export function isPlaceholderZone(az: string): boolean {
  return !Token.isUnresolved(az) && PLACEHOLDER_ZONE.test(az);
}

/**
 * The construct id of a zone's namespace: `eu-west-1a` gives `ZoneEuWest1a`; a token at
 * position `index` gives `Zone1`, `Zone2`, ...
 */
export function zoneConstructId(az: string, index: number): string {
  if (Token.isUnresolved(az)) {
    return `Zone${index + 1}`;
  }
  return (
    'Zone' +
    az
      .split('-')
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('')
  );
}

/**
 * The zone's CIDR slot, 0 to 14: its letter (`a` = 0) where the name is concrete, its position
 * where it is a token. The slot fixes the zone's subnet ranges, so a kept zone keeps them.
 */
export function zoneCidrSlot(az: string, index: number): number {
  if (Token.isUnresolved(az)) {
    return index;
  }
  const letter = az.charAt(az.length - 1);
  if (!/^[a-z]$/.test(letter) || letter > LAST_ZONE_LETTER) {
    throw new Error(
      `\`availabilityZones\` must end in a zone letter from "a" to "${LAST_ZONE_LETTER}" (each letter has a fixed address range), got: ${JSON.stringify(az)}`,
    );
  }
  return letter.charCodeAt(0) - 'a'.charCodeAt(0);
}
