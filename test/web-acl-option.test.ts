import { Duration, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ManagedRulesOptions, WebAclOption } from '../src';
import { newStack } from './util';
import {
  MANAGED_RULE_GROUPS,
  RATE_BASED_RULE_CAPACITY,
  STARTS_WITH_PATH_CAPACITY,
} from '../src/private/web-acl-capacity';

const WEB_ACL_ARN =
  'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/payments/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

// In priority order, after the rate-based rules. Capacities: the AWS Managed Rules rule groups list
// (https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html).
const GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesAnonymousIpList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
  'AWSManagedRulesLinuxRuleSet',
  'AWSManagedRulesUnixRuleSet',
];

/** The versions pinned by default (https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-changelog.html). */
const DEFAULT_VERSIONS: Record<string, string | undefined> = {
  AWSManagedRulesCommonRuleSet: 'Version_1.19',
  AWSManagedRulesSQLiRuleSet: 'Version_2.3',
};

/** HostingProviderIPList counts by default: it matches cloud platforms where payment partners run. */
const HOSTING_COUNT = [{ Name: 'HostingProviderIPList', ActionToUse: { Count: {} } }];

/** Binds `option` in a new stack, as SharedResources does, and returns what it made. */
function bind(option: WebAclOption) {
  const stack = newStack();
  const key = new kms.Key(stack, 'Key');
  const allowLogsToUseKey = jest.fn();
  const arn = option._bind(stack, { encryptionKey: key, allowLogsToUseKey });
  return { stack, key, arn, allowLogsToUseKey, template: Template.fromStack(stack) };
}

function rulesOf(template: Template): any[] {
  const acls = Object.values(template.findResources('AWS::WAFv2::WebACL'));
  expect(acls).toHaveLength(1);
  return acls[0].Properties.Rules;
}

describe('managedRules()', () => {
  test('a regional web ACL that allows by default, with metrics, whose ARN is returned', () => {
    // WHEN
    const { stack, arn, template } = bind(WebAclOption.managedRules());

    // THEN
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: {
        CloudWatchMetricsEnabled: true,
        SampledRequestsEnabled: false,
        MetricName: 'PaymentApiWebAcl',
      },
    });
    expect(stack.resolve(arn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^WebAcl/), 'Arn'] });
  });

  test('first a per-IP rate-based rule that blocks above 2000 requests in 5 minutes', () => {
    // WHEN
    const { template } = bind(WebAclOption.managedRules());

    // THEN
    expect(rulesOf(template)[0]).toEqual({
      Name: 'RateLimitPerIp',
      Priority: 0,
      Action: { Block: {} },
      Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP' } },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: false, MetricName: 'RateLimitPerIp' },
    });
  });

  // https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-use-case.html (Linux, POSIX),
  // https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-ip-rep.html (anonymous IP list)
  test('then the seven AWS managed rule groups, in this order, blocking, versions pinned where known', () => {
    // WHEN
    const { template } = bind(WebAclOption.managedRules());

    // THEN
    expect(rulesOf(template).slice(1)).toEqual(
      GROUPS.map((name, index) => ({
        Name: name,
        Priority: index + 1,
        OverrideAction: { None: {} },
        Statement: {
          ManagedRuleGroupStatement: {
            VendorName: 'AWS',
            Name: name,
            ...(DEFAULT_VERSIONS[name] ? { Version: DEFAULT_VERSIONS[name] } : {}),
            ...(name === 'AWSManagedRulesAnonymousIpList' ? { RuleActionOverrides: HOSTING_COUNT } : {}),
          },
        },
        VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: false, MetricName: name },
      })),
    );
  });

  test('blockHostingProviders: HostingProviderIPList blocks like the rest of its group', () => {
    // WHEN
    const { template } = bind(WebAclOption.managedRules({ blockHostingProviders: true }));

    // THEN
    const anonymous = rulesOf(template).find((rule) => rule.Name === 'AWSManagedRulesAnonymousIpList');
    expect(anonymous.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toBeUndefined();
  });

  test('ruleGroupVersions pins each versioned group and replaces only the defaults it sets', () => {
    // WHEN
    const { template } = bind(
      WebAclOption.managedRules({
        ruleGroupVersions: { knownBadInputsRuleSet: 'Version_1.22', linuxRuleSet: 'Version_2.6' },
      }),
    );

    // THEN
    const versions = Object.fromEntries(
      rulesOf(template)
        .slice(1)
        .map((rule) => [rule.Name, rule.Statement.ManagedRuleGroupStatement.Version]),
    );
    expect(versions).toEqual({
      AWSManagedRulesAmazonIpReputationList: undefined,
      AWSManagedRulesAnonymousIpList: undefined,
      AWSManagedRulesCommonRuleSet: 'Version_1.19',
      AWSManagedRulesKnownBadInputsRuleSet: 'Version_1.22',
      AWSManagedRulesSQLiRuleSet: 'Version_2.3',
      AWSManagedRulesLinuxRuleSet: 'Version_2.6',
      AWSManagedRulesUnixRuleSet: undefined,
    });
  });

  // An expired version is evaluated as the default version and blocks updates of the web ACL;
  // AWS WAF counts down with DaysToExpiry (dimensions Region, ManagedRuleGroup, Vendor, Version):
  // https://docs.aws.amazon.com/waf/latest/developerguide/waf-using-managed-rule-groups-expiration.html
  test('each pinned version has an alarm on its expiry countdown, 30 days ahead, that notifies the topic', () => {
    // GIVEN
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Topic');

    // WHEN
    WebAclOption.managedRules({ ruleGroupVersions: { unixRuleSet: 'Version_1.3' } })._bind(stack, {
      encryptionKey: new kms.Key(stack, 'Key'),
      allowLogsToUseKey: () => {},
      alarmTopic: topic,
    });

    // THEN
    const template = Template.fromStack(stack);
    const expiry = Object.values(
      template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { MetricName: 'DaysToExpiry' },
      }),
    ).map((alarm) => alarm.Properties);
    expect(expiry.map((alarm) => alarm.Dimensions)).toEqual(
      [
        ['AWSManagedRulesCommonRuleSet', 'Version_1.19'],
        ['AWSManagedRulesSQLiRuleSet', 'Version_2.3'],
        ['AWSManagedRulesUnixRuleSet', 'Version_1.3'],
      ].map(([group, version]) => [
        { Name: 'ManagedRuleGroup', Value: group },
        { Name: 'Region', Value: 'eu-west-1' },
        { Name: 'Vendor', Value: 'AWS' },
        { Name: 'Version', Value: version },
      ]),
    );
    for (const alarm of expiry) {
      expect(alarm).toMatchObject({
        Namespace: 'AWS/WAFV2',
        Statistic: 'Minimum',
        Period: 86400,
        Threshold: 30,
        ComparisonOperator: 'LessThanThreshold',
        AlarmActions: [{ Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }],
      });
    }
  });

  // Capacities: https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html;
  // rate-based rule 2 + its scope-down statement; starts-with string match 2, + 10 per transformation
  // (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-string-match.html);
  // a web ACL's price includes 1,500 WCUs (https://aws.amazon.com/waf/pricing/).
  test.each<[string, ManagedRulesOptions]>([
    ['the defaults', {}],
    [
      'the most rate-limited paths',
      { rateLimitedPaths: Array.from({ length: 10 }, (_, i) => `/v1/p${i}`), rateLimitedPathsLimit: 100 },
    ],
  ])('the web ACL stays within the 1,500 WCUs included, with %s', (_name, options) => {
    // WHEN
    const { template } = bind(WebAclOption.managedRules(options));

    // THEN
    const byGroup = Object.fromEntries(MANAGED_RULE_GROUPS.map((group) => [group.name, group.capacity]));
    const statementCost = (statement: any): number => {
      if (statement.ByteMatchStatement) {
        return (
          STARTS_WITH_PATH_CAPACITY +
          10 * statement.ByteMatchStatement.TextTransformations.filter((t: any) => t.Type !== 'NONE').length
        );
      }
      if (statement.OrStatement) {
        return statement.OrStatement.Statements.reduce((sum: number, s: any) => sum + statementCost(s), 0);
      }
      throw new Error(`no capacity known for ${JSON.stringify(statement)}`);
    };
    const ruleCost = (rule: any): number => {
      const statement = rule.Statement;
      if (statement.ManagedRuleGroupStatement) {
        return byGroup[statement.ManagedRuleGroupStatement.Name];
      }
      const rate = statement.RateBasedStatement;
      return RATE_BASED_RULE_CAPACITY + (rate.ScopeDownStatement ? statementCost(rate.ScopeDownStatement) : 0);
    };
    const total = rulesOf(template).reduce((sum, rule) => sum + ruleCost(rule), 0);
    expect(total).toBeLessThanOrEqual(1500);
  });

  test('the documented capacities of the seven groups sum to 1,475 WCUs', () => {
    expect(MANAGED_RULE_GROUPS.map((group) => group.name)).toEqual(GROUPS);
    expect(MANAGED_RULE_GROUPS.reduce((sum, group) => sum + group.capacity, 0)).toBe(1475);
  });

  // CONSTANT aggregates every request that matches the scope-down statement, whoever sends it:
  // https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-aggregation-options.html
  test('rateLimitedPaths: a second rate-based rule counts the requests to those paths across all clients', () => {
    // WHEN
    const { template } = bind(
      WebAclOption.managedRules({
        rateLimitedPaths: ['/v1/payments', '/v1/refunds'],
        rateLimitedPathsLimit: 500,
        rateLimitedPathsWindow: Duration.minutes(1),
      }),
    );

    // THEN
    const rules = rulesOf(template);
    const match = (path: string) => ({
      ByteMatchStatement: {
        FieldToMatch: { UriPath: {} },
        PositionalConstraint: 'STARTS_WITH',
        SearchString: path,
        TextTransformations: [{ Priority: 0, Type: 'NONE' }],
      },
    });
    expect(rules[0].Name).toBe('RateLimitPerIp');
    expect(rules[1]).toEqual({
      Name: 'RateLimitPaths',
      Priority: 1,
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: {
          Limit: 500,
          EvaluationWindowSec: 60,
          AggregateKeyType: 'CONSTANT',
          ScopeDownStatement: { OrStatement: { Statements: [match('/v1/payments'), match('/v1/refunds')] } },
        },
      },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: false, MetricName: 'RateLimitPaths' },
    });
    expect(rules.slice(2).map((rule) => [rule.Name, rule.Priority])).toEqual(GROUPS.map((name, i) => [name, i + 2]));
  });

  test('rateLimitedPaths: one path is the scope-down statement itself, in a 5-minute window by default', () => {
    // WHEN
    const { template } = bind(
      WebAclOption.managedRules({ rateLimitedPaths: ['/v1/payments'], rateLimitedPathsLimit: 500 }),
    );

    // THEN
    const rate = rulesOf(template)[1].Statement.RateBasedStatement;
    expect(rate.EvaluationWindowSec).toBe(300);
    expect(rate.ScopeDownStatement.ByteMatchStatement.SearchString).toBe('/v1/payments');
  });

  // PCI DSS v4.0.1 10.4.1.1; https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html
  test('an alarm watches the blocked requests of the whole web ACL', () => {
    // WHEN
    const { template } = bind(WebAclOption.managedRules());

    // THEN
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/WAFV2',
      MetricName: 'BlockedRequests',
      Dimensions: [
        { Name: 'Region', Value: 'eu-west-1' },
        { Name: 'Rule', Value: 'ALL' },
        { Name: 'WebACL', Value: 'PaymentApiWebAcl' },
      ],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 100,
    });
  });

  // PCI DSS v4.0.1 10.7.2: AWS WAF logs every request it evaluates
  // (https://docs.aws.amazon.com/waf/latest/developerguide/logging.html), and IncomingLogEvents
  // exists only while events arrive
  // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch-Logs-Monitoring-CloudWatch-Metrics.html).
  test('an alarm fires when the web ACL evaluated requests for an hour and no WAF log event arrived', () => {
    // WHEN
    const { template } = bind(WebAclOption.managedRules());

    // THEN
    const [logGroupId] = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((a) =>
      JSON.stringify(a.Properties.Metrics ?? []).includes('IncomingLogEvents'),
    )!;
    expect(alarm).toBeDefined();
    expect(alarm.Properties).toMatchObject({
      EvaluationPeriods: 2,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    const metrics: any[] = alarm.Properties.Metrics;
    expect(metrics.find((m) => m.Expression).Expression).toBe(
      'IF(FILL(allowed, 0) + FILL(blocked, 0) > 0 AND FILL(incoming, 0) == 0, 1, 0)',
    );
    const stat = (id: string) => metrics.find((m) => m.Id === id).MetricStat;
    const webAcl = [
      { Name: 'Region', Value: 'eu-west-1' },
      { Name: 'Rule', Value: 'ALL' },
      { Name: 'WebACL', Value: 'PaymentApiWebAcl' },
    ];
    expect(stat('allowed')).toEqual({
      Metric: { Namespace: 'AWS/WAFV2', MetricName: 'AllowedRequests', Dimensions: webAcl },
      Period: 1800,
      Stat: 'Sum',
    });
    expect(stat('blocked').Metric).toEqual({
      Namespace: 'AWS/WAFV2',
      MetricName: 'BlockedRequests',
      Dimensions: webAcl,
    });
    expect(stat('incoming')).toEqual({
      Metric: {
        Namespace: 'AWS/Logs',
        MetricName: 'IncomingLogEvents',
        Dimensions: [{ Name: 'LogGroupName', Value: { Ref: logGroupId } }],
      },
      Period: 1800,
      Stat: 'Sum',
    });
  });

  test('logs to an encrypted aws-waf-logs- log group kept one year, without credentials', () => {
    // WHEN
    const { stack, key, arn, allowLogsToUseKey, template } = bind(WebAclOption.managedRules());

    // THEN
    // for the WAF log groups of this stack only
    expect(allowLogsToUseKey).toHaveBeenCalledTimes(1);
    expect(stack.resolve(allowLogsToUseKey.mock.calls[0][0])).toEqual({
      'Fn::Join': ['', ['aws-waf-logs-', { Ref: 'AWS::StackName' }, '-*']],
    });
    template.hasResource('AWS::Logs::LogGroup', {
      // Retain, also on a failed create: deletion protection would make that deletion fail. Its
      // name ends with the web ACL's id, new for each created web ACL, so a retry does not collide.
      DeletionPolicy: 'Retain',
      Properties: {
        // AWS WAF requires the aws-waf-logs- prefix; the web ACL's generated id makes it unique per stack instance
        LogGroupName: {
          'Fn::Join': [
            '',
            ['aws-waf-logs-', { Ref: 'AWS::StackName' }, '-', { 'Fn::GetAtt': [Match.anyValue(), 'Id'] }],
          ],
        },
        KmsKeyId: stack.resolve(key.keyArn),
        RetentionInDays: 365,
        DeletionProtectionEnabled: true,
      },
    });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: stack.resolve(arn),
      LogDestinationConfigs: [
        {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':logs:eu-west-1:',
              { Ref: 'AWS::AccountId' },
              ':log-group:aws-waf-logs-',
              { Ref: 'AWS::StackName' },
              '-',
              { 'Fn::GetAtt': [Match.anyValue(), 'Id'] },
            ],
          ],
        },
      ],
      // PCI DSS v4.0.1 3.5.1 / 8.3.2: no credentials in the logs; AWS WAF redacts these fields
      // (https://docs.aws.amazon.com/waf/latest/developerguide/logging-management.html)
      RedactedFields: [
        { SingleHeader: { Name: 'authorization' } },
        { SingleHeader: { Name: 'cookie' } },
        { SingleHeader: { Name: 'x-api-key' } },
        { QueryString: {} },
      ],
    });
  });

  // Logging redaction does not apply to sampled requests, which AWS WAF keeps whole for the console
  // (https://docs.aws.amazon.com/waf/latest/developerguide/logging-management.html): sampling is
  // off for the web ACL and every rule, so credentials never show there (PCI DSS v4.0.1 3.5.1).
  test('no rule and not the web ACL keeps sampled requests', () => {
    // WHEN
    const { template } = bind(WebAclOption.managedRules());

    // THEN
    const acl = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0].Properties;
    const configs = [acl.VisibilityConfig, ...acl.Rules.map((rule: any) => rule.VisibilityConfig)];
    expect(configs.map((config) => config.SampledRequestsEnabled)).toEqual(configs.map(() => false));
  });

  test('countOnly: every rule group and the rate-based rule count instead of block', () => {
    // WHEN
    const { template } = bind(
      WebAclOption.managedRules({ countOnly: true, rateLimitedPaths: ['/v1/payments'], rateLimitedPathsLimit: 100 }),
    );

    // THEN
    const rules = rulesOf(template);
    expect(rules[0].Action).toEqual({ Count: {} });
    expect(rules[1].Action).toEqual({ Count: {} });
    expect(rules.slice(2).map((rule) => rule.OverrideAction)).toEqual(GROUPS.map(() => ({ Count: {} })));
  });

  test('countRules: those rules count, in their group only', () => {
    // WHEN
    const { template } = bind(
      WebAclOption.managedRules({
        countRules: [
          { ruleGroup: 'AWSManagedRulesCommonRuleSet', ruleName: 'SizeRestrictions_BODY' },
          { ruleGroup: 'AWSManagedRulesCommonRuleSet', ruleName: 'NoUserAgent_HEADER' },
        ],
      }),
    );

    // THEN
    const overrides = rulesOf(template).map((rule) => rule.Statement.ManagedRuleGroupStatement?.RuleActionOverrides);
    expect(overrides).toEqual([
      undefined, // the rate-based rule
      undefined,
      HOSTING_COUNT,
      [
        { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
        { Name: 'NoUserAgent_HEADER', ActionToUse: { Count: {} } },
      ],
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  test('rateLimitPerIp sets the limit', () => {
    // WHEN
    const { template } = bind(WebAclOption.managedRules({ rateLimitPerIp: 10 }));

    // THEN
    expect(rulesOf(template)[0].Statement.RateBasedStatement.Limit).toBe(10);
  });

  test('rateBasedRule: false leaves it out and keeps the managed groups', () => {
    // WHEN
    const { template } = bind(WebAclOption.managedRules({ rateBasedRule: false }));

    // THEN
    expect(rulesOf(template).map((rule) => rule.Name)).toEqual(GROUPS);
  });

  test.each<[string, ManagedRulesOptions, string]>([
    [
      'a rate limit under 10',
      { rateLimitPerIp: 9 },
      '`rateLimitPerIp` must be an integer from 10 to 2000000000, got: 9',
    ],
    [
      'a fractional rate limit',
      { rateLimitPerIp: 100.5 },
      '`rateLimitPerIp` must be an integer from 10 to 2000000000, got: 100.5',
    ],
    [
      'a rate limit without the rule',
      { rateBasedRule: false, rateLimitPerIp: 100 },
      '`rateLimitPerIp` needs the rate-based rule, got: 100 with `rateBasedRule: false`',
    ],
    [
      'a rule group the web ACL does not have',
      { countRules: [{ ruleGroup: 'AWSManagedRulesPHPRuleSet', ruleName: 'PHPHighRiskMethodsVariables_BODY' }] },
      '`countRules` must name rule groups of the web ACL (AWSManagedRulesAmazonIpReputationList, AWSManagedRulesAnonymousIpList, AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesSQLiRuleSet, AWSManagedRulesLinuxRuleSet, AWSManagedRulesUnixRuleSet), got: "AWSManagedRulesPHPRuleSet"',
    ],
    [
      'rate-limited paths without a limit',
      { rateLimitedPaths: ['/v1/payments'] },
      '`rateLimitedPathsLimit` must be set with `rateLimitedPaths`, got: undefined',
    ],
    [
      'a paths limit under 10',
      { rateLimitedPaths: ['/v1/payments'], rateLimitedPathsLimit: 9 },
      '`rateLimitedPathsLimit` must be an integer from 10 to 2000000000, got: 9',
    ],
    [
      'a paths limit without paths',
      { rateLimitedPathsLimit: 100 },
      '`rateLimitedPathsLimit` and `rateLimitedPathsWindow` need `rateLimitedPaths`, got: 100 without paths',
    ],
    [
      'no rate-limited paths',
      { rateLimitedPaths: [], rateLimitedPathsLimit: 100 },
      '`rateLimitedPaths` must list 1 to 10 paths (the web ACL stays within 1500 WCUs), got: 0',
    ],
    [
      'more paths than the capacity allows',
      { rateLimitedPaths: Array.from({ length: 11 }, (_, i) => `/p${i}`), rateLimitedPathsLimit: 100 },
      '`rateLimitedPaths` must list 1 to 10 paths (the web ACL stays within 1500 WCUs), got: 11',
    ],
    [
      'a path without a leading slash',
      { rateLimitedPaths: ['v1/payments'], rateLimitedPathsLimit: 100 },
      '`rateLimitedPaths` must be URI paths that start with / (at most 200 printable ASCII characters, no spaces), got: "v1/payments"',
    ],
    [
      'a path longer than 200 characters',
      { rateLimitedPaths: ['/' + 'a'.repeat(200)], rateLimitedPathsLimit: 100 },
      `\`rateLimitedPaths\` must be URI paths that start with / (at most 200 printable ASCII characters, no spaces), got: "/${'a'.repeat(200)}"`,
    ],
    [
      'an evaluation window AWS WAF does not offer',
      { rateLimitedPaths: ['/v1/payments'], rateLimitedPathsLimit: 100, rateLimitedPathsWindow: Duration.minutes(3) },
      '`rateLimitedPathsWindow` must be 1, 2, 5 or 10 minutes, got: Duration.minutes(3)',
    ],
    [
      'a version that is not a version name',
      { ruleGroupVersions: { linuxRuleSet: '2.6' } },
      '`ruleGroupVersions.linuxRuleSet` must be a static version name such as Version_1.19, got: "2.6"',
    ],
    [
      'an empty rule name',
      { countRules: [{ ruleGroup: 'AWSManagedRulesCommonRuleSet', ruleName: '' }] },
      '`countRules` must name rules of 1 to 128 letters, digits, _ and -, got: ""',
    ],
  ])('rejects %s', (_name, options, message) => {
    expect(() => WebAclOption.managedRules(options)).toThrow(message);
  });
});

describe('fromWebAclArn()', () => {
  test('returns the ARN and creates nothing', () => {
    // WHEN
    const { arn, allowLogsToUseKey, template } = bind(WebAclOption.fromWebAclArn(WEB_ACL_ARN));

    // THEN
    expect(arn).toBe(WEB_ACL_ARN);
    expect(allowLogsToUseKey).not.toHaveBeenCalled();
    expect(Object.keys(template.toJSON().Resources)).toEqual([expect.stringMatching(/^Key/)]);
  });

  test.each([
    'arn:aws:wafv2:eu-west-1:111122223333:global/webacl/payments/a1b2c3d4',
    'arn:aws:wafv2:eu-west-1:111122223333:regional/ipset/payments/a1b2c3d4',
    'payments-web-acl',
  ])('rejects %s, which is not a regional web ACL ARN', (arn) => {
    expect(() => WebAclOption.fromWebAclArn(arn)).toThrow(
      '`webAclArn` must be the ARN of a REGIONAL AWS WAFv2 web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>), ' +
        `got: ${JSON.stringify(arn)}`,
    );
  });

  test('does not check a token', () => {
    const token = Token.asString({ Ref: 'WebAclArn' });
    expect(bind(WebAclOption.fromWebAclArn(token)).arn).toBe(token);
  });
});

describe('none()', () => {
  test('returns no ARN and creates nothing', () => {
    // WHEN
    const { arn, allowLogsToUseKey, template } = bind(WebAclOption.none());

    // THEN
    expect(arn).toBeUndefined();
    expect(allowLogsToUseKey).not.toHaveBeenCalled();
    expect(Object.keys(template.toJSON().Resources)).toEqual([expect.stringMatching(/^Key/)]);
  });
});
