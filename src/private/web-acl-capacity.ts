// The capacity of the web ACL that `WebAclOption.managedRules()` creates: one table of the
// documented capacity of each AWS managed rule group it uses, with the page each number comes
// from, read by the web ACL's capacity check and by its test.

/** The web ACL capacity units (WCUs) a web ACL's basic price includes; AWS charges per request above them (https://aws.amazon.com/waf/pricing/, https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html). */
export const INCLUDED_WEB_ACL_CAPACITY = 1500;

/**
 * A managed rule group of the web ACL: its documented capacity (WCUs, fixed per group), the page
 * that states it, and the field of `ManagedRuleGroupVersions` (src/web-acl-option.ts) that pins it (none for the IP
 * reputation groups, which AWS does not version:
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-managed-rule-groups-versioning.html).
 */
interface ManagedRuleGroupSpec {
  readonly name: string;
  readonly capacity: number;
  readonly page: string;
  readonly versionField?: 'commonRuleSet' | 'knownBadInputsRuleSet' | 'sqliRuleSet' | 'linuxRuleSet' | 'unixRuleSet';
}

const BASELINE_PAGE = 'https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html';
const IP_REP_PAGE = 'https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-ip-rep.html';
const USE_CASE_PAGE = 'https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-use-case.html';

/**
 * The AWS managed rule groups of the web ACL that `WebAclOption.managedRules()` creates, in
 * priority order (after the rate-based rules), with their capacities: the one table the capacity
 * check and its test read.
 */
export const MANAGED_RULE_GROUPS: readonly ManagedRuleGroupSpec[] = [
  { name: 'AWSManagedRulesAmazonIpReputationList', capacity: 25, page: IP_REP_PAGE },
  { name: 'AWSManagedRulesAnonymousIpList', capacity: 50, page: IP_REP_PAGE },
  { name: 'AWSManagedRulesCommonRuleSet', capacity: 700, page: BASELINE_PAGE, versionField: 'commonRuleSet' },
  {
    name: 'AWSManagedRulesKnownBadInputsRuleSet',
    capacity: 200,
    page: BASELINE_PAGE,
    versionField: 'knownBadInputsRuleSet',
  },
  { name: 'AWSManagedRulesSQLiRuleSet', capacity: 200, page: USE_CASE_PAGE, versionField: 'sqliRuleSet' },
  { name: 'AWSManagedRulesLinuxRuleSet', capacity: 200, page: USE_CASE_PAGE, versionField: 'linuxRuleSet' },
  { name: 'AWSManagedRulesUnixRuleSet', capacity: 100, page: USE_CASE_PAGE, versionField: 'unixRuleSet' },
];

/**
 * Capacities of the rules the construct writes itself. A rate-based statement costs 2 WCUs plus
 * its scope-down statement
 * (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html);
 * a string match that starts with a string costs 2, plus 10 per text transformation (none here)
 * (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-string-match.html);
 * an OR statement costs what its statements cost
 * (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statements-logical.html).
 */
export const RATE_BASED_RULE_CAPACITY = 2;
export const STARTS_WITH_PATH_CAPACITY = 2;
