import { Duration, Token } from 'aws-cdk-lib';

/*
 * Values: numbers, percentages, and values that must be concrete at synth time; `show` renders a
 * value for a message. Messages in the shape that validate.ts describes.
 */

/** Renders a value for an error message: strings quoted, arrays as JSON. */
export function show(value: unknown): string {
  return JSON.stringify(value);
}

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
