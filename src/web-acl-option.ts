import { ArnFormat, Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { uniqueAlarmName } from './private/alarm-name';
import { notify } from './private/notify';
import {
  INCLUDED_WEB_ACL_CAPACITY,
  MANAGED_RULE_GROUPS,
  RATE_BASED_RULE_CAPACITY,
  STARTS_WITH_PATH_CAPACITY,
} from './private/web-acl-capacity';

/**
 * The static versions the web ACL pins by default. Only versions an AWS page names are pinned
 * here: `Version_1.19` of the core rule set ("AWS Managed Rules changelog", 2025-08-14) and
 * `Version_2.3` of the SQL database group (same changelog). No AWS page read for this change named
 * the current static version of the known bad inputs, Linux and POSIX groups (unverified), so they
 * follow AWS's default version unless `ruleGroupVersions` pins them: a version that does not exist
 * would fail the deployment.
 * https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-changelog.html
 */
const DEFAULT_VERSIONS: ManagedRuleGroupVersions = {
  commonRuleSet: 'Version_1.19',
  sqliRuleSet: 'Version_2.3',
};

/** The version-expiry alarm fires when a pinned version has fewer days left than this. */
const VERSION_EXPIRY_WARNING_DAYS = 30;

/** The rule of the anonymous IP group that counts by default (see `blockHostingProviders`). */
const HOSTING_PROVIDER_RULE = 'HostingProviderIPList';

/** The most paths `rateLimitedPaths` may list: the web ACL's capacity stays within 1,500 WCUs. */
const MAX_RATE_LIMITED_PATHS = Math.floor(
  (INCLUDED_WEB_ACL_CAPACITY -
    MANAGED_RULE_GROUPS.reduce((sum, group) => sum + group.capacity, 0) -
    2 * RATE_BASED_RULE_CAPACITY) /
    STARTS_WITH_PATH_CAPACITY,
);

/** The evaluation windows AWS WAF accepts for a rate-based rule, in seconds (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html). */
const RATE_WINDOWS_SECONDS = [60, 120, 300, 600];

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
   * `AWSManagedRulesAnonymousIpList`, `AWSManagedRulesCommonRuleSet`,
   * `AWSManagedRulesKnownBadInputsRuleSet`, `AWSManagedRulesSQLiRuleSet`,
   * `AWSManagedRulesLinuxRuleSet` and `AWSManagedRulesUnixRuleSet`.
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
 * The static versions of the versioned AWS managed rule groups of the web ACL, each a version name
 * such as `Version_1.19` (the console and `aws wafv2 list-available-managed-rule-group-versions`
 * list them). A pinned version changes only when you change it, through your change control; an
 * unpinned group follows the default version AWS sets. The IP reputation and anonymous IP groups
 * have no versions (https://docs.aws.amazon.com/waf/latest/developerguide/waf-managed-rule-groups-versioning.html).
 */
export interface ManagedRuleGroupVersions {
  /**
   * `AWSManagedRulesCommonRuleSet`.
   *
   * @default 'Version_1.19'
   */
  readonly commonRuleSet?: string;

  /**
   * `AWSManagedRulesKnownBadInputsRuleSet`.
   *
   * @default - AWS's default version (no AWS page read for this release named its current static version)
   */
  readonly knownBadInputsRuleSet?: string;

  /**
   * `AWSManagedRulesSQLiRuleSet`.
   *
   * @default 'Version_2.3'
   */
  readonly sqliRuleSet?: string;

  /**
   * `AWSManagedRulesLinuxRuleSet`.
   *
   * @default - AWS's default version (no AWS page read for this release named its current static version)
   */
  readonly linuxRuleSet?: string;

  /**
   * `AWSManagedRulesUnixRuleSet`.
   *
   * @default - AWS's default version (no AWS page read for this release named its current static version)
   */
  readonly unixRuleSet?: string;
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

  /**
   * URI paths of the payment operations (for example `/v1/payments`) that a second rate-based rule
   * limits across all clients together (`AggregateKeyType: CONSTANT`): card testing spread over
   * many addresses passes a per-IP limit, not this one. A request counts when its path starts with
   * one of these, byte for byte (no decoding or case folding, which would cost 10 WCUs each). At
   * most 10, so that the web ACL stays within the 1,500 WCUs its price includes.
   *
   * @default - no path-scoped rate rule
   */
  readonly rateLimitedPaths?: string[];

  /**
   * The most requests to `rateLimitedPaths`, from all clients together, in any
   * `rateLimitedPathsWindow`; above it the rule blocks further requests to those paths (counts,
   * with `countOnly`). 10 to 2,000,000,000. Set it from your busiest legitimate hour with headroom:
   * when it trips, every client of those paths is refused until the rate falls.
   *
   * @default - none: required with `rateLimitedPaths`
   */
  readonly rateLimitedPathsLimit?: number;

  /**
   * How far back the path-scoped rule counts: 1, 2, 5 or 10 minutes.
   *
   * @default Duration.minutes(5)
   */
  readonly rateLimitedPathsWindow?: Duration;

  /**
   * Whether `HostingProviderIPList` of `AWSManagedRulesAnonymousIpList` blocks. It matches the
   * address ranges of cloud and hosting providers other than AWS, where server-to-server payment
   * partners may run, so by default it only counts (read its matches in the WAF logs before
   * blocking it); the group's other rule, `AnonymousIPList` (VPNs, proxies, Tor), blocks.
   *
   * @default false
   */
  readonly blockHostingProviders?: boolean;

  /**
   * The static versions of the versioned managed rule groups. Each field you set replaces that
   * group's default; an alarm notifies the topic when a pinned version has fewer than 30 days
   * left before AWS expires it (docs/SECURITY-CONTROLS.md, "Upgrading a rule group version").
   *
   * @default - `Version_1.19` of the core rule set and `Version_2.3` of the SQL database group; the others follow AWS's default version
   */
  readonly ruleGroupVersions?: ManagedRuleGroupVersions;
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
   * A new regional web ACL, shared by both tiers: a per-IP rate-based rule, a rate-based rule over
   * all clients on `rateLimitedPaths` (if set), then the AWS managed rule groups
   * `AWSManagedRulesAmazonIpReputationList`, `AWSManagedRulesAnonymousIpList` (its
   * `HostingProviderIPList` rule counts unless `blockHostingProviders`),
   * `AWSManagedRulesCommonRuleSet`, `AWSManagedRulesKnownBadInputsRuleSet`,
   * `AWSManagedRulesSQLiRuleSet`, `AWSManagedRulesLinuxRuleSet` and `AWSManagedRulesUnixRuleSet`
   * (versions pinned by `ruleGroupVersions`, each pinned version with an expiry alarm), within
   * the 1,500 WCUs a web ACL's price includes; logging to an encrypted log group kept one year,
   * with the `authorization`, `cookie` and `x-api-key` headers and the query string redacted;
   * sampled requests are off (they are not redacted).
   *
   * @param options count-only mode, rules that count instead of block, the rate limits and the rule group versions
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
  private readonly rateLimitedPaths: string[];
  private readonly pathsLimit?: number;
  private readonly pathsWindowSeconds: number;
  private readonly blockHostingProviders: boolean;
  private readonly versions: ManagedRuleGroupVersions;

  public constructor(options: ManagedRulesOptions) {
    super();
    this.countOnly = options.countOnly ?? false;
    this.countRules = options.countRules ?? [];
    this.rateLimit = options.rateBasedRule === false ? undefined : (options.rateLimitPerIp ?? DEFAULT_RATE_LIMIT);
    this.rateLimitedPaths = options.rateLimitedPaths ?? [];
    this.pathsLimit = options.rateLimitedPathsLimit;
    this.pathsWindowSeconds = (options.rateLimitedPathsWindow ?? Duration.minutes(5)).toSeconds();
    this.blockHostingProviders = options.blockHostingProviders ?? false;
    this.versions = { ...DEFAULT_VERSIONS, ...options.ruleGroupVersions };
    if (options.rateBasedRule === false && options.rateLimitPerIp !== undefined) {
      throw new Error(
        `\`rateLimitPerIp\` needs the rate-based rule, got: ${options.rateLimitPerIp} with \`rateBasedRule: false\``,
      );
    }
    validateRateLimit('rateLimitPerIp', options.rateLimitPerIp);
    this.validateRateLimitedPaths(options);
    for (const rule of this.countRules) {
      if (!MANAGED_RULE_GROUPS.some((group) => group.name === rule.ruleGroup)) {
        throw new Error(
          `\`countRules\` must name rule groups of the web ACL (${MANAGED_RULE_GROUPS.map((group) => group.name).join(', ')}), got: ${JSON.stringify(rule.ruleGroup)}`,
        );
      }
      if (!/^[\w-]{1,128}$/.test(rule.ruleName)) {
        throw new Error(
          `\`countRules\` must name rules of 1 to 128 letters, digits, _ and -, got: ${JSON.stringify(rule.ruleName)}`,
        );
      }
    }
    for (const [field, version] of Object.entries(options.ruleGroupVersions ?? {})) {
      if (version !== undefined && !Token.isUnresolved(version) && !/^Version_\d+\.\d+$/.test(version)) {
        throw new Error(
          `\`ruleGroupVersions.${field}\` must be a static version name such as Version_1.19, got: ${JSON.stringify(version)}`,
        );
      }
    }
  }

  private validateRateLimitedPaths(options: ManagedRulesOptions): void {
    const paths = options.rateLimitedPaths;
    if (paths === undefined) {
      if (options.rateLimitedPathsLimit !== undefined || options.rateLimitedPathsWindow !== undefined) {
        throw new Error(
          `\`rateLimitedPathsLimit\` and \`rateLimitedPathsWindow\` need \`rateLimitedPaths\`, got: ${options.rateLimitedPathsLimit ?? options.rateLimitedPathsWindow?.toString()} without paths`,
        );
      }
      return;
    }
    if (paths.length < 1 || paths.length > MAX_RATE_LIMITED_PATHS) {
      throw new Error(
        `\`rateLimitedPaths\` must list 1 to ${MAX_RATE_LIMITED_PATHS} paths (the web ACL stays within ${INCLUDED_WEB_ACL_CAPACITY} WCUs), got: ${paths.length}`,
      );
    }
    for (const path of paths) {
      // A byte match's search string is 1 to 200 bytes
      // (https://docs.aws.amazon.com/waf/latest/APIReference/API_ByteMatchStatement.html).
      if (!Token.isUnresolved(path) && !/^\/[\x21-\x7e]{0,199}$/.test(path)) {
        throw new Error(
          `\`rateLimitedPaths\` must be URI paths that start with / (at most 200 printable ASCII characters, no spaces), got: ${JSON.stringify(path)}`,
        );
      }
    }
    if (options.rateLimitedPathsLimit === undefined) {
      throw new Error('`rateLimitedPathsLimit` must be set with `rateLimitedPaths`, got: undefined');
    }
    validateRateLimit('rateLimitedPathsLimit', options.rateLimitedPathsLimit);
    const window = options.rateLimitedPathsWindow;
    if (
      window !== undefined &&
      !Token.isUnresolved(window.toSeconds({ integral: false })) &&
      !RATE_WINDOWS_SECONDS.includes(window.toSeconds({ integral: false }))
    ) {
      throw new Error(`\`rateLimitedPathsWindow\` must be 1, 2, 5 or 10 minutes, got: ${window.toString()}`);
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
    const rateRules: wafv2.CfnWebACL.RuleProperty[] = [];
    if (this.rateLimit !== undefined) {
      rateRules.push({
        name: 'RateLimitPerIp',
        priority: 0,
        action: this.countOnly ? count : { block: {} },
        statement: { rateBasedStatement: { limit: this.rateLimit, aggregateKeyType: 'IP' } },
        visibilityConfig: visibility('RateLimitPerIp'),
      });
    }
    if (this.rateLimitedPaths.length > 0) {
      const pathStatements: wafv2.CfnWebACL.StatementProperty[] = this.rateLimitedPaths.map((path) => ({
        byteMatchStatement: {
          fieldToMatch: { uriPath: {} },
          positionalConstraint: 'STARTS_WITH',
          searchString: path,
          textTransformations: [{ priority: 0, type: 'NONE' }],
        },
      }));
      // Counts every request to the paths, whoever sends it (CONSTANT: one aggregate for all
      // clients; https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-aggregation-options.html).
      rateRules.push({
        name: 'RateLimitPaths',
        priority: rateRules.length,
        action: this.countOnly ? count : { block: {} },
        statement: {
          rateBasedStatement: {
            limit: this.pathsLimit!,
            evaluationWindowSec: this.pathsWindowSeconds,
            aggregateKeyType: 'CONSTANT',
            scopeDownStatement:
              pathStatements.length === 1 ? pathStatements[0] : { orStatement: { statements: pathStatements } },
          },
        },
        visibilityConfig: visibility('RateLimitPaths'),
      });
    }
    const managedRules = MANAGED_RULE_GROUPS.map((group, index): wafv2.CfnWebACL.RuleProperty => {
      const name = group.name;
      const counted = this.countRules.filter((rule) => rule.ruleGroup === name).map((rule) => rule.ruleName);
      if (
        name === 'AWSManagedRulesAnonymousIpList' &&
        !this.blockHostingProviders &&
        !counted.includes(HOSTING_PROVIDER_RULE)
      ) {
        counted.push(HOSTING_PROVIDER_RULE);
      }
      const version = group.versionField === undefined ? undefined : this.versions[group.versionField];
      return {
        name,
        priority: rateRules.length + index,
        overrideAction: this.countOnly ? count : { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name,
            version,
            ruleActionOverrides:
              counted.length > 0 ? counted.map((ruleName) => ({ name: ruleName, actionToUse: count })) : undefined,
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
    this.alarmOnVersionExpiry(scope, context.alarmTopic, context.alarmActions);

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
    notify([blocked, this.alarmOnLogSilence(scope, wafLogs)], context.alarmTopic, context.alarmActions);
    return webAcl.attrArn;
  }

  /**
   * The web ACL's log delivery (PCI DSS v4.0.1 10.7.2): AWS WAF logs every request the web ACL
   * evaluates (no logging filter here), and CloudWatch Logs publishes `IncomingLogEvents` for the
   * log group only while events arrive
   * (https://docs.aws.amazon.com/waf/latest/developerguide/logging.html,
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch-Logs-Monitoring-CloudWatch-Metrics.html).
   * So requests the web ACL allowed or blocked (`AllowedRequests`, `BlockedRequests`, Rule=ALL,
   * https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html) with no log event
   * arriving means the delivery stopped. Two half hours in a row, so that logs delivered late
   * across a period's end do not page: AWS WAF documents no delivery delay for CloudWatch Logs
   * (unverified). A web ACL that serves no request has nothing to log, and is not an alarm.
   */
  private alarmOnLogSilence(scope: Construct, wafLogs: logs.ILogGroup): cloudwatch.Alarm {
    const period = Duration.minutes(30);
    const requests = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/WAFV2',
        metricName,
        dimensionsMap: { WebACL: WEB_ACL_METRIC_NAME, Region: Stack.of(scope).region, Rule: 'ALL' },
        period,
        statistic: cloudwatch.Stats.SUM,
      });
    return new cloudwatch.Alarm(scope, 'WebAclLogsDelivery', {
      alarmName: uniqueAlarmName(scope, 'WebAclLogsDelivery'),
      alarmDescription:
        'The web ACL evaluated requests for an hour and no AWS WAF log event arrived: its logging stopped (docs/SECURITY-CONTROLS.md, "Log delivery")',
      metric: new cloudwatch.MathExpression({
        expression: 'IF(FILL(allowed, 0) + FILL(blocked, 0) > 0 AND FILL(incoming, 0) == 0, 1, 0)',
        usingMetrics: {
          allowed: requests('AllowedRequests'),
          blocked: requests('BlockedRequests'),
          incoming: new cloudwatch.Metric({
            namespace: 'AWS/Logs',
            metricName: 'IncomingLogEvents',
            dimensionsMap: { LogGroupName: wafLogs.logGroupName },
            period,
            statistic: cloudwatch.Stats.SUM,
          }),
        },
        period,
        label: 'Requests evaluated without a log event (1 when so)',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      // No request and no log event: nothing to deliver.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /**
   * AWS announces a pinned version's expiry through the countdown metric `DaysToExpiry`
   * (dimensions Region, ManagedRuleGroup, Vendor and Version); an expired version is evaluated as
   * the default version, and AWS WAF then refuses every update of the web ACL that does not move
   * the group to an unexpired version
   * (https://docs.aws.amazon.com/waf/latest/developerguide/waf-using-managed-rule-groups-expiration.html,
   * https://docs.aws.amazon.com/waf/latest/developerguide/waf-managed-rule-groups-versioning-lifecycle.html).
   * One alarm per pinned version notifies the topic 30 days ahead.
   */
  private alarmOnVersionExpiry(
    scope: Construct,
    topic: sns.ITopic | undefined,
    actions: cloudwatch.IAlarmAction[] | undefined,
  ): void {
    const region = Stack.of(scope).region;
    const alarms = MANAGED_RULE_GROUPS.flatMap((group) => {
      const version = group.versionField === undefined ? undefined : this.versions[group.versionField];
      if (version === undefined) {
        return [];
      }
      return [
        new cloudwatch.Alarm(scope, `WebAclVersionExpiry${group.name.replace(/^AWSManagedRules/, '')}`, {
          alarmDescription:
            `${group.name} ${version} expires in fewer than ${VERSION_EXPIRY_WARNING_DAYS} days: ` +
            'pin a newer version (docs/SECURITY-CONTROLS.md, "Upgrading a rule group version")',
          metric: new cloudwatch.Metric({
            // The namespace of AWS WAF's metrics (https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html);
            // the expiration page names the metric and its dimensions, not the namespace (unverified).
            namespace: 'AWS/WAFV2',
            metricName: 'DaysToExpiry',
            dimensionsMap: { Region: region, ManagedRuleGroup: group.name, Vendor: 'AWS', Version: version },
            period: Duration.days(1),
            statistic: cloudwatch.Stats.MINIMUM,
          }),
          threshold: VERSION_EXPIRY_WARNING_DAYS,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      ];
    });
    notify(alarms, topic, actions);
  }
}

/** Rate limits of AWS WAF rate-based rules: 10 to 2,000,000,000 (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html). */
function validateRateLimit(prop: string, limit: number | undefined): void {
  if (
    limit !== undefined &&
    !Token.isUnresolved(limit) &&
    (!Number.isInteger(limit) || limit < 10 || limit > 2_000_000_000)
  ) {
    throw new Error(`\`${prop}\` must be an integer from 10 to 2000000000, got: ${limit}`);
  }
}
