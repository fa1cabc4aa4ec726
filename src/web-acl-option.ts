import { ArnFormat, Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { notify } from './private/notify';

/** The AWS managed rule groups of the web ACL that `WebAclOption.managedRules()` creates, in priority order. */
const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
];

/** The CloudWatch metric name of the web ACL that `WebAclOption.managedRules()` creates. */
const WEB_ACL_METRIC_NAME = 'PaymentApiWebAcl';

/** The blocked-requests alarm fires above this many blocked requests in 5 minutes. */
const BLOCKED_REQUESTS_THRESHOLD = 100;

/** The default of `ManagedRulesOptions.rateLimitPerIp`: requests per client IP in any 5 minutes. */
const DEFAULT_RATE_LIMIT = 2000;

/**
 * A rule of an AWS managed rule group.
 */
export interface ManagedRule {
  /**
   * The rule group: one of `AWSManagedRulesAmazonIpReputationList`,
   * `AWSManagedRulesCommonRuleSet`, `AWSManagedRulesKnownBadInputsRuleSet` and
   * `AWSManagedRulesSQLiRuleSet`.
   */
  readonly ruleGroup: string;

  /**
   * The rule's name in the group, for example `SizeRestrictions_BODY` or `NoUserAgent_HEADER` in
   * `AWSManagedRulesCommonRuleSet` (see the AWS WAF developer guide, "AWS Managed Rules rule
   * groups list").
   */
  readonly ruleName: string;
}

/**
 * Options for {@link WebAclOption.managedRules}.
 */
export interface ManagedRulesOptions {
  /**
   * Count instead of block: every managed rule group and the rate-based rule only count the
   * requests they match (in the WAF logs and metrics), and block nothing. For a first rollout:
   * read the logs, set `countRules` for what legitimate clients trip, then turn it off.
   *
   * @default false
   */
  readonly countOnly?: boolean;

  /**
   * Rules of the managed rule groups that count instead of block. Legitimate payment clients can
   * trip `AWSManagedRulesCommonRuleSet` rules: `SizeRestrictions_BODY` blocks request bodies
   * over 8 KB, `NoUserAgent_HEADER` requests without a `User-Agent` (server-to-server clients).
   *
   * @default - every rule blocks
   */
  readonly countRules?: ManagedRule[];

  /**
   * A rate-based rule that blocks a client IP sending more than this many requests in any
   * 5 minutes (the classic abuse of a payment API is card testing: many small authorisations
   * from few addresses). 10 to 2,000,000,000. The default, 2,000 (about 6.7 requests a second),
   * is far above what Route 53's health checkers send: each checker address requests the health
   * path once every 10 seconds, 30 requests in 5 minutes. Set it from the request rates of your
   * busiest legitimate client (the WAF logs carry the client IP of every request).
   *
   * @default 2000
   */
  readonly rateLimitPerIp?: number;

  /**
   * Whether the web ACL has the per-IP rate-based rule.
   *
   * @default true
   */
  readonly rateBasedRule?: boolean;
}

/** What a web ACL option needs from the shared resources when it is bound. */
interface WebAclBindContext {
  /** The key of the log group the option creates. */
  readonly encryptionKey: kms.IKey;
  /** Lets CloudWatch Logs use that key for the log groups whose names match the pattern. */
  readonly allowLogsToUseKey: (logGroupNamePattern: string) => void;
  /** The topic of the web ACL's alarm, if any. */
  readonly alarmTopic?: sns.ITopic;
  /** The user's extra actions on the alarm's ALARM state. */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
}

/**
 * How the load balancers are protected by AWS WAF: a web ACL this construct creates with AWS
 * managed rule groups and a rate-based rule, one you manage, or none.
 */
export abstract class WebAclOption {
  /**
   * A new regional web ACL, shared by both tiers: a per-IP rate-based rule, then the AWS managed
   * rule groups `AWSManagedRulesAmazonIpReputationList`, `AWSManagedRulesCommonRuleSet`,
   * `AWSManagedRulesKnownBadInputsRuleSet` and `AWSManagedRulesSQLiRuleSet`, logging to an
   * encrypted log group kept one year, with the `authorization`, `cookie` and `x-api-key` headers
   * and the query string redacted; sampled requests are off (they are not redacted).
   *
   * @param options count-only mode, rules that count instead of block, and the rate limit
   */
  public static managedRules(options: ManagedRulesOptions = {}): WebAclOption {
    return new ManagedWebAcl(options);
  }

  /**
   * An existing regional web ACL that you manage, by ARN; it is associated with both load balancers.
   *
   * @param webAclArn the ARN of a `REGIONAL` AWS WAFv2 web ACL in the stack's region
   */
  public static fromWebAclArn(webAclArn: string): WebAclOption {
    if (
      !Token.isUnresolved(webAclArn) &&
      !/^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+\/.+$/.test(webAclArn)
    ) {
      throw new Error(
        '`webAclArn` must be the ARN of a REGIONAL AWS WAFv2 web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>), ' +
          `got: ${JSON.stringify(webAclArn)}`,
      );
    }
    return new ExistingWebAcl(webAclArn);
  }

  /**
   * No web ACL. Only for tests and for load balancers fronted by another WAF (for example
   * CloudFront): a public payment API should not face the internet without one.
   */
  public static none(): WebAclOption {
    return new NoWebAcl();
  }

  /**
   * Creates what the option needs in `scope` and returns the ARN of the web ACL to associate.
   *
   * @internal
   */
  public abstract _bind(scope: Construct, context: WebAclBindContext): string | undefined;
}

class ExistingWebAcl extends WebAclOption {
  public constructor(private readonly webAclArn: string) {
    super();
  }

  public _bind(): string | undefined {
    return this.webAclArn;
  }
}

class NoWebAcl extends WebAclOption {
  public _bind(): string | undefined {
    return undefined;
  }
}

/**
 * The managed web ACL and its logging.
 *
 * AWS WAF only logs to a log group whose name starts with `aws-waf-logs-`, so that log group
 * needs a physical name. The name ends with the web ACL's id, which AWS WAF generates for each
 * new web ACL: a retry after a failed create, a redeploy after `cdk destroy` (the log group is
 * retained) and turning the web ACL off and on again each get a new name, and two stacks never
 * share one. The log group is kept, with deletion protection on.
 */
class ManagedWebAcl extends WebAclOption {
  private readonly countOnly: boolean;
  private readonly countRules: ManagedRule[];
  private readonly rateLimit?: number;

  public constructor(options: ManagedRulesOptions) {
    super();
    this.countOnly = options.countOnly ?? false;
    this.countRules = options.countRules ?? [];
    this.rateLimit = options.rateBasedRule === false ? undefined : (options.rateLimitPerIp ?? DEFAULT_RATE_LIMIT);
    if (options.rateBasedRule === false && options.rateLimitPerIp !== undefined) {
      throw new Error(
        `\`rateLimitPerIp\` needs the rate-based rule, got: ${options.rateLimitPerIp} with \`rateBasedRule: false\``,
      );
    }
    const limit = options.rateLimitPerIp;
    if (
      limit !== undefined &&
      !Token.isUnresolved(limit) &&
      (!Number.isInteger(limit) || limit < 10 || limit > 2_000_000_000)
    ) {
      throw new Error(`\`rateLimitPerIp\` must be an integer from 10 to 2000000000, got: ${limit}`);
    }
    for (const rule of this.countRules) {
      if (!MANAGED_RULE_GROUPS.includes(rule.ruleGroup)) {
        throw new Error(
          `\`countRules\` must name rule groups of the web ACL (${MANAGED_RULE_GROUPS.join(', ')}), got: ${JSON.stringify(rule.ruleGroup)}`,
        );
      }
      if (!/^[\w-]{1,128}$/.test(rule.ruleName)) {
        throw new Error(
          `\`countRules\` must name rules of 1 to 128 letters, digits, _ and -, got: ${JSON.stringify(rule.ruleName)}`,
        );
      }
    }
  }

  public _bind(scope: Construct, context: WebAclBindContext): string {
    // Sampled requests are off: AWS WAF keeps them whole (headers, query string) for the console,
    // and logging redaction does not apply to them, so card-holder credentials would show there
    // (PCI DSS v4.0.1 3.5.1, 8.3.2). The logs below, with redaction, are the record instead.
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: false,
      metricName,
    });
    const count = { count: {} };
    const rateRules: wafv2.CfnWebACL.RuleProperty[] =
      this.rateLimit === undefined
        ? []
        : [
            {
              name: 'RateLimitPerIp',
              priority: 0,
              action: this.countOnly ? count : { block: {} },
              statement: { rateBasedStatement: { limit: this.rateLimit, aggregateKeyType: 'IP' } },
              visibilityConfig: visibility('RateLimitPerIp'),
            },
          ];
    const managedRules = MANAGED_RULE_GROUPS.map((name, index): wafv2.CfnWebACL.RuleProperty => {
      const countedRules = this.countRules.filter((rule) => rule.ruleGroup === name);
      return {
        name,
        priority: index + 1,
        overrideAction: this.countOnly ? count : { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name,
            ruleActionOverrides:
              countedRules.length > 0
                ? countedRules.map((rule) => ({ name: rule.ruleName, actionToUse: count }))
                : undefined,
          },
        },
        visibilityConfig: visibility(name),
      };
    });
    const webAcl = new wafv2.CfnWebACL(scope, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(WEB_ACL_METRIC_NAME),
      rules: [...rateRules, ...managedRules],
    });

    context.allowLogsToUseKey(`aws-waf-logs-${Aws.STACK_NAME}-*`);
    const logGroupName = `aws-waf-logs-${Aws.STACK_NAME}-${webAcl.attrId}`;
    const wafLogs = new logs.LogGroup(scope, 'WebAclLogs', {
      logGroupName,
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: context.encryptionKey,
      // Audit data: kept, also when a first create fails (deletion protection would make that
      // deletion fail), and protected from deletion (PCI DSS v4.0.1 10.3.2, 10.5.1).
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtectionEnabled: true,
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
      // Card-holder requests carry credentials: keep them out of the logs (the credentials headers,
      // API keys, and the query string, where clients put tokens).
      redactedFields: [
        { singleHeader: { Name: 'authorization' } },
        { singleHeader: { Name: 'cookie' } },
        { singleHeader: { Name: 'x-api-key' } },
        { queryString: {} },
      ],
    });
    logging.node.addDependency(wafLogs);

    // Security detection (PCI DSS v4.0.1 10.4.1.1): a burst of blocked requests is an attack in
    // progress, or a rule blocking legitimate clients. AWS WAF publishes BlockedRequests per web
    // ACL with the dimensions WebACL, Region and Rule=ALL
    // (https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html).
    const blocked = new cloudwatch.Alarm(scope, 'WebAclBlockedRequests', {
      alarmDescription: `AWS WAF blocked more than ${BLOCKED_REQUESTS_THRESHOLD} requests in 5 minutes`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensionsMap: { WebACL: WEB_ACL_METRIC_NAME, Region: Stack.of(scope).region, Rule: 'ALL' },
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.SUM,
      }),
      threshold: BLOCKED_REQUESTS_THRESHOLD,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    notify([blocked], context.alarmTopic, context.alarmActions);
    return webAcl.attrArn;
  }
}
