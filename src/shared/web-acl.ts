import { ArnFormat, Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** The AWS managed rule groups of the web ACL this construct creates, in priority order. */
const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
];

/**
 * A regional web ACL with the AWS managed rule groups, logging to an encrypted log group kept
 * one year.
 *
 * AWS WAF only logs to a log group whose name starts with `aws-waf-logs-`, so that log group
 * needs a physical name. The name ends with the web ACL's id, which AWS WAF generates for each
 * new web ACL: a retry after a failed create, a redeploy after `cdk destroy` (the log group is
 * retained) and turning the web ACL off and on again each get a new name, and two stacks never
 * share one. The log group is removed when the create that made it fails (RetainExceptOnCreate)
 * and kept otherwise.
 */
export function createManagedWebAcl(scope: Construct, encryptionKey: kms.IKey): wafv2.CfnWebACL {
  const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
    cloudWatchMetricsEnabled: true,
    sampledRequestsEnabled: true,
    metricName,
  });
  const webAcl = new wafv2.CfnWebACL(scope, 'WebAcl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: visibility('PaymentApiWebAcl'),
    rules: MANAGED_RULE_GROUPS.map((name, priority) => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name),
    })),
  });

  const logGroupName = `aws-waf-logs-${Aws.STACK_NAME}-${webAcl.attrId}`;
  const wafLogs = new logs.LogGroup(scope, 'WebAclLogs', {
    logGroupName,
    retention: logs.RetentionDays.ONE_YEAR,
    encryptionKey,
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });
  const logging = new wafv2.CfnLoggingConfiguration(scope, 'WebAclLogging', {
    resourceArn: webAcl.attrArn,
    // The log group's ARN without the `:*` suffix of its `Arn` attribute, as AWS WAF expects.
    logDestinationConfigs: [
      Stack.of(scope).formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: logGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    ],
    // Card-holder requests carry credentials: keep them out of the logs.
    redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
  });
  logging.node.addDependency(wafLogs);
  return webAcl;
}
