import { Duration } from 'aws-cdk-lib';

/*
 * Durations: whole seconds, minutes or days within a range, and the health check grace period.
 * Messages in the shape that validate.ts describes.
 */

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
