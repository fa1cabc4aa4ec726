import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges scanner rules (cdk-nag packs, the Control Tower guard rules) on one construct,
 * the narrowest scope that carries the finding, with one reason for all of them. Rule ids are
 * qualified by the validation plugin that reports them (`Plugin::Rule`). Every rule
 * acknowledged here is listed with its reason in docs/COMPLIANCE.md (a test checks that).
 */
export function acknowledge(scope: IConstruct, ruleIds: string[], reason: string): void {
  Validations.of(scope).acknowledge(...ruleIds.map((id) => ({ id, reason })));
}

/** A cdk-nag AwsSolutions rule, e.g. `EC23`. */
export function awsSolutions(rule: string): string {
  return `AwsSolutions::AwsSolutions-${rule}`;
}

/** The same rule as named by each of the three compliance packs that share it (PCI DSS, NIST, HIPAA). */
export function compliancePacks(rule: string): string[] {
  return ['PCI.DSS.321', 'NIST.800.53.R5', 'HIPAA.Security'].map((pack) => `${pack}::${pack}-${rule}`);
}

/** An AWS Control Tower proactive control as checked by @cdklabs/cdk-validator-cfnguard. */
export function controlTower(rule: string): string {
  return `cdk-validator-cfnguard::${rule}`;
}
