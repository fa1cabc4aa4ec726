import { Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';

/*
 * Capacity: a floor that survives the loss of a zone, and the instances' root volume. Messages in
 * the shape that validate.ts describes.
 */

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
