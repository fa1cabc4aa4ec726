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

/**
 * The OS users created for the operators: Linux user names that `useradd` accepts as they are
 * (lowercase letter or underscore first, then lowercase letters, digits, `_` or `-`, at most 32
 * characters), distinct, and none of the accounts that exist on Amazon Linux 2023 already or that
 * Session Manager does not allow: `root` ("Session Manager does not support using an operating
 * system's root user account", https://docs.aws.amazon.com/systems-manager/latest/userguide/session-preferences-run-as.html),
 * `ssm-user` (the shared account with sudo that Run As replaces) and `ec2-user` (the image's
 * default user, with passwordless sudo from cloud-init).
 */
export function validateOperatorUsers(prop: string, users: string[] | undefined): void {
  if (users === undefined || Token.isUnresolved(users)) {
    return;
  }
  const reserved = new Set(['root', 'ssm-user', 'ec2-user', 'nobody', 'bin', 'daemon', 'adm', 'sshd']);
  const seen = new Set<string>();
  for (const user of users) {
    if (Token.isUnresolved(user)) {
      continue;
    }
    if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user)) {
      throw new Error(
        `\`${prop}\` must be Linux user names (a lowercase letter or underscore, then up to 31 lowercase letters, digits, underscores or hyphens), got: ${show(user)}`,
      );
    }
    if (reserved.has(user)) {
      throw new Error(
        `\`${prop}\` must not name an account that exists on the image or that Session Manager refuses (root, ssm-user, ec2-user, nobody, bin, daemon, adm, sshd), got: ${show(user)}`,
      );
    }
    if (seen.has(user)) {
      throw new Error(`\`${prop}\` must not repeat a name, got: ${show(user)} twice`);
    }
    seen.add(user);
  }
}
