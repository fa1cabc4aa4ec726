import { Token } from 'aws-cdk-lib';
import { show } from './validate-values';

/*
 * Names: the record name, email addresses, tag values and Parameter Store paths. Messages in the
 * shape that validate.ts describes.
 */

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
