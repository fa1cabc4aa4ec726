/*
 * Synth-time validation helpers, one file per topic, imported from here. Every message names the
 * prop, the value received and what is allowed, in the shape `` `prop` must be ..., got: value ``.
 * Values that are tokens are not range-checked: they are only known at deploy time.
 */
export { show, validateInteger, validatePercent, validateConcrete } from './validate-values';
export {
  validateSeconds,
  validatePositiveDuration,
  validateDays,
  validateMinutes,
  validateGracePeriod,
} from './validate-durations';
export { validateSurvivesAzLoss, validateRootVolumeSize } from './validate-capacity';
export { validateAvailabilityZones, validateVpcHasZones, validateAdditionalEndpoints } from './validate-network';
export {
  validateSslPolicy,
  validateHostNames,
  validateAccessLogsBucket,
  validateRetentionWithoutBucket,
  validateHealthCheckPath,
  validateSearchString,
} from './validate-entry';
export {
  validateRecordName,
  validateEmails,
  validateTagValue,
  validateParameterPrefix,
  validateOperatorUsers,
} from './validate-names';
