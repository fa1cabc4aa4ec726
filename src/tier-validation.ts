import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { FailoverTierProps } from './failover-tier';
import { validateAlarmActions } from './private/notify';
import {
  validateAccessLogsBucket,
  validateAvailabilityZones,
  validateConcrete,
  validateDays,
  validateHealthCheckPath,
  validateHostNames,
  validateParameterPrefix,
  validatePercent,
  validateInteger,
  validateMinutes,
  validateOperatorUsers,
  validateRootVolumeSize,
  validateSearchString,
  validateSeconds,
  validateSslPolicy,
  validateSurvivesAzLoss,
  validateVpcHasZones,
} from './private/validate';

/**
 * Checks a tier's props before anything is built: throws on a value AWS or the construct refuses,
 * and warns (`multi-az-failover-service:scalingTargetsUnused`) about scaling targets that a tier
 * which does not scale ignores. `tier` is the FailoverTier, which the warning is attached to.
 */
export function checkTierProps(tier: Construct, props: FailoverTierProps): void {
  validateProps(Stack.of(tier).region, props);
  const instancesPerAz = props.instancesPerAz ?? 2;
  const scales = (props.maxInstancesPerAz ?? instancesPerAz) > instancesPerAz && (props.targetTracking ?? true);
  const unusedTargets = [
    ['targetCpuPercent', props.targetCpuPercent],
    ['targetRequestsPerInstance', props.targetRequestsPerInstance],
  ].filter(([, value]) => value !== undefined);
  if (!scales && unusedTargets.length > 0) {
    Annotations.of(tier).addWarningV2(
      'multi-az-failover-service:scalingTargetsUnused',
      `${unusedTargets.map(([name]) => `\`${name}\``).join(' and ')} have no effect on the ${props.priority} tier: it does not scale by target tracking (\`maxInstancesPerAz\` ${props.maxInstancesPerAz ?? instancesPerAz} is not above its floor \`instancesPerAz\` ${instancesPerAz}${props.targetTracking === false ? ', or `targetTracking` is false' : ''}).`,
    );
  }
}

function validateProps(region: string, props: FailoverTierProps): void {
  validateAlarmActions('alarmActions', props.alarmActions?.length, props.alarmTopic !== undefined);
  validateOperatorUsers('operatorUsers', props.operatorUsers);
  validateConcrete('instancesPerAz', props.instancesPerAz, 'the unhealthy-host alarm threshold');
  validateInteger('instancesPerAz', props.instancesPerAz, 1, 100);
  validateSeconds('deregistrationDelay', props.deregistrationDelay, 0, 3600);
  validateDays('maxInstanceLifetime', props.maxInstanceLifetime, 1, 365);
  validateHealthCheckPath('healthCheckPath', props.healthCheckPath);
  validateParameterPrefix('parameterPrefix', props.parameterPrefix);
  validateInteger('healthCheckFailureThreshold', props.healthCheckFailureThreshold, 1, 10);
  validateConcrete('maxInstancesPerAz', props.maxInstancesPerAz, 'whether the zones scale');
  validateInteger('maxInstancesPerAz', props.maxInstancesPerAz, 1, 100);
  const floor = props.instancesPerAz ?? 2;
  if (
    props.maxInstancesPerAz !== undefined &&
    !Token.isUnresolved(props.maxInstancesPerAz) &&
    !Token.isUnresolved(floor) &&
    props.maxInstancesPerAz < floor
  ) {
    throw new Error(
      `\`maxInstancesPerAz\` must be at least the floor \`instancesPerAz\` (${floor}), got: ${props.maxInstancesPerAz}`,
    );
  }
  validatePercent('targetCpuPercent', props.targetCpuPercent);
  validateInteger('targetRequestsPerInstance', props.targetRequestsPerInstance, 1, 1_000_000);
  validateInteger('peakInstancesNeeded', props.peakInstancesNeeded, 1, 10_000);
  validateMinutes('signalTimeout', props.signalTimeout, 5, 60);
  validateSurvivesAzLoss(
    props.priority,
    props.availabilityZones.length,
    floor,
    props.survivesAzLoss,
    props.peakInstancesNeeded,
  );
  validateHostNames('hostNames', props.hostNames);
  validatePercent('minHealthyHostsPercent', props.minHealthyHostsPercent);
  if (props.zonalAutoshift === true && props.zonalShift === false) {
    throw new Error('`zonalAutoshift` needs `zonalShift`, got: zonalAutoshift true with zonalShift false');
  }
  validateSearchString('healthCheckSearchString', props.healthCheckSearchString);
  validateAvailabilityZones('availabilityZones', props.availabilityZones, region);
  validateVpcHasZones('availabilityZones', props.vpc, props.availabilityZones);
  validateSslPolicy('sslPolicy', props.sslPolicy);
  validateRootVolumeSize('rootVolumeSize', props.rootVolumeSize);
  validateAccessLogsBucket('accessLogsBucket', props.accessLogsBucket);
  // The last word: whatever the zones are (names or tokens), never a load balancer or a group
  // without a subnet in one of them.
  for (const [kind, subnetType] of [
    ['public', ec2.SubnetType.PUBLIC],
    ['private', ec2.SubnetType.PRIVATE_WITH_EGRESS],
  ] as const) {
    for (const az of props.availabilityZones) {
      if (props.vpc.selectSubnets({ subnetType, availabilityZones: [az] }).subnets.length === 0) {
        throw new Error(
          `\`availabilityZones\` must only name zones in which \`vpc\` has ${kind} subnets, got: ${JSON.stringify(az)}, in which \`vpc\` has none (its zones: ${JSON.stringify(props.vpc.availabilityZones)})`,
        );
      }
    }
  }
}
