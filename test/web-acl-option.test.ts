import { Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ManagedRulesOptions, WebAclOption } from '../src';
import { newStack } from './util';

const WEB_ACL_ARN =
  'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/payments/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

const GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
];

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

  test('then the four AWS managed rule groups, in this order, blocking', () => {
    // WHEN
    const { template } = bind(WebAclOption.managedRules());

    // THEN
    expect(rulesOf(template).slice(1)).toEqual(
      GROUPS.map((name, index) => ({
        Name: name,
        Priority: index + 1,
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: name } },
        VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: false, MetricName: name },
      })),
    );
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
    const { template } = bind(WebAclOption.managedRules({ countOnly: true }));

    // THEN
    const rules = rulesOf(template);
    expect(rules[0].Action).toEqual({ Count: {} });
    expect(rules.slice(1).map((rule) => rule.OverrideAction)).toEqual(GROUPS.map(() => ({ Count: {} })));
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
      [
        { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
        { Name: 'NoUserAgent_HEADER', ActionToUse: { Count: {} } },
      ],
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
      { countRules: [{ ruleGroup: 'AWSManagedRulesLinuxRuleSet', ruleName: 'LFI_URIPATH' }] },
      '`countRules` must name rule groups of the web ACL (AWSManagedRulesAmazonIpReputationList, AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesSQLiRuleSet), got: "AWSManagedRulesLinuxRuleSet"',
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
