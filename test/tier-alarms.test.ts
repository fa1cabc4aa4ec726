import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { TierAlarms, TierAlarmsProps } from '../src';
import { newStack } from './util';

const LOAD_BALANCER_ARN =
  'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/payments/50dc6c495c0c9188';
const TARGET_GROUP_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/payments/73e2d6bc24d8a067';

/** The dimensions of the imported target group's metrics. */
const DIMENSIONS = [
  { Name: 'LoadBalancer', Value: 'app/payments/50dc6c495c0c9188' },
  { Name: 'TargetGroup', Value: 'targetgroup/payments/73e2d6bc24d8a067' },
];

function newAlarms(props: (stack: Stack) => Partial<TierAlarmsProps> = () => ({}), stack: Stack = newStack()) {
  const targetGroup = elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'TargetGroup', {
    targetGroupArn: TARGET_GROUP_ARN,
    loadBalancerArns: LOAD_BALANCER_ARN,
  });
  const alarms = new TierAlarms(stack, 'Alarms', { targetGroup, instanceCount: 6, ...props(stack) });
  return { stack, alarms, template: Template.fromStack(stack) };
}

describe('with default props', () => {
  let alarms: TierAlarms;
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    ({ alarms, template } = newAlarms());
  });

  test('creates four alarms without a load balancer (unhealthy, no healthy host, latency, target 5xx)', () => {
    // THEN
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    expect(alarms.all).toHaveLength(4);
    expect(alarms.desyncAlarm).toBeUndefined();
  });

  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html: a share
  // of the targets, computed from both counts, stays right when the capacity changes.
  test('the unhealthy-host alarm fires when more than half of the targets are unhealthy for 2 minutes', () => {
    // THEN
    expect(alarms.unhealthyHostThreshold).toBe(3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      EvaluationPeriods: 2,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 50,
      TreatMissingData: 'notBreaching',
      AlarmDescription: 'More than 50% of the targets are unhealthy (3 of 6 at full capacity)',
      Metrics: [
        {
          Id: 'expr_1',
          Expression: 'IF(unhealthy + healthy > 0, 100 * unhealthy / (unhealthy + healthy), 0)',
          Label: 'Unhealthy targets (%)',
        },
        {
          Id: 'unhealthy',
          MetricStat: {
            Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'UnHealthyHostCount', Dimensions: DIMENSIONS },
            Period: 60,
            Stat: 'Maximum',
          },
          ReturnData: false,
        },
        {
          Id: 'healthy',
          MetricStat: {
            Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HealthyHostCount', Dimensions: DIMENSIONS },
            Period: 60,
            Stat: 'Minimum',
          },
          ReturnData: false,
        },
      ],
    });
  });

  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html:
  // HealthyHostCount is "Reported if there are registered targets", so an empty tier publishes none.
  test('the no-healthy-host alarm fires when no target is healthy, and when none is registered (no data reads 0)', () => {
    // THEN
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        { Id: 'expr_1', Expression: 'FILL(healthy, 0)', Label: 'Healthy targets (0 when none is registered)' },
        {
          Id: 'healthy',
          ReturnData: false,
          MetricStat: {
            Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HealthyHostCount', Dimensions: DIMENSIONS },
            Period: 60,
            Stat: 'Minimum',
          },
        },
      ],
      EvaluationPeriods: 2,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      AlarmDescription: 'The target group has no healthy target, or none registered: this tier cannot serve traffic',
    });
  });

  test('the latency alarm fires when the average response time is above 1 second for 3 minutes', () => {
    // THEN
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'TargetResponseTime',
      Dimensions: DIMENSIONS,
      Statistic: 'Average',
      Period: 60,
      EvaluationPeriods: 3,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmDescription: 'Average target response time above 1 second',
    });
  });

  test('without a topic the alarms have no actions', () => {
    // THEN
    template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: Match.absent(),
      OKActions: Match.absent(),
    });
  });
});

test.each<[number, number | undefined, number, string]>([
  [6, undefined, 3, 'More than 50% of the targets are unhealthy (3 of 6 at full capacity)'],
  [2, 75, 1.5, 'More than 75% of the targets are unhealthy (1.5 of 2 at full capacity)'],
  [10, 10, 1, 'More than 10% of the targets are unhealthy (1 of 10 at full capacity)'],
  [1, 100, 1, 'More than 100% of the targets are unhealthy (1 of 1 at full capacity)'],
  [600, 0.5, 3, 'More than 0.5% of the targets are unhealthy (3 of 600 at full capacity)'],
])(
  '%d instances at %s%% give an unhealthy-host threshold of %d',
  (instanceCount, unhealthyHostThresholdPercent, threshold, description) => {
    // WHEN
    const { alarms, template } = newAlarms(() => ({ instanceCount, unhealthyHostThresholdPercent }));

    // THEN
    expect(alarms.unhealthyHostThreshold).toBe(threshold);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: unhealthyHostThresholdPercent ?? 50,
      AlarmDescription: description,
    });
  },
);

test.each<[Duration, number, string]>([
  [Duration.millis(250), 0.25, 'Average target response time above 250 millis'],
  [Duration.seconds(2), 2, 'Average target response time above 2 seconds'],
  [Duration.hours(1), 3600, 'Average target response time above 1 hour'],
])('latencyThreshold %s sets the latency threshold in seconds', (latencyThreshold, threshold, description) => {
  // WHEN
  const { template } = newAlarms(() => ({ latencyThreshold }));

  // THEN
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'TargetResponseTime',
    Threshold: threshold,
    AlarmDescription: description,
  });
});

test('alarmTopic is notified when each alarm fires and when it recovers', () => {
  // WHEN
  const { template } = newAlarms((stack) => ({ alarmTopic: new sns.Topic(stack, 'Topic') }));

  // THEN
  const topic = { Ref: Match.stringLikeRegexp('^Topic') };
  template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: [topic], OKActions: [topic] }, 4);
});

test('alarmActions are added to the ALARM state of every alarm, after the topic', () => {
  // WHEN
  const { template } = newAlarms((stack) => ({
    alarmTopic: new sns.Topic(stack, 'Topic'),
    alarmActions: [
      new cw_actions.SnsAction(new sns.Topic(stack, 'PagerDuty')),
      new cw_actions.SnsAction(new sns.Topic(stack, 'Opsgenie')),
    ],
  }));

  // THEN
  const ref = (prefix: string) => ({ Ref: Match.stringLikeRegexp(`^${prefix}`) });
  template.resourcePropertiesCountIs(
    'AWS::CloudWatch::Alarm',
    { AlarmActions: [ref('Topic'), ref('PagerDuty'), ref('Opsgenie')], OKActions: [ref('Topic')] },
    4,
  );
});

test('alarmActions without a topic are the only actions', () => {
  // WHEN
  const { template } = newAlarms((stack) => ({
    alarmActions: [new cw_actions.SnsAction(new sns.Topic(stack, 'PagerDuty'))],
  }));

  // THEN
  template.resourcePropertiesCountIs(
    'AWS::CloudWatch::Alarm',
    { AlarmActions: [{ Ref: Match.stringLikeRegexp('^PagerDuty') }], OKActions: Match.absent() },
    4,
  );
});

// Security detection, PCI DSS v4.0.1 10.4.1.1 and 10.7.2; the metrics:
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
test('with the load balancer: its 5xx answers and any desync non-compliant request raise alarms', () => {
  // WHEN
  const { alarms, template } = newAlarms((stack) => ({
    loadBalancer: elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'Alb', {
      loadBalancerArn: LOAD_BALANCER_ARN,
      securityGroupId: 'sg-0123456789abcdef0',
    }),
  }));

  // THEN
  expect(alarms.all).toHaveLength(6);
  const lbDimensions = [{ Name: 'LoadBalancer', Value: 'app/payments/50dc6c495c0c9188' }];
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Namespace: 'AWS/ApplicationELB',
    MetricName: 'DesyncMitigationMode_NonCompliant_Request_Count',
    Dimensions: lbDimensions,
    Statistic: 'Sum',
    Period: 300,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
  });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'HTTPCode_ELB_5XX_Count',
    Dimensions: lbDimensions,
    Statistic: 'Sum',
    Threshold: 10,
  });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'HTTPCode_Target_5XX_Count',
    Dimensions: DIMENSIONS,
    Statistic: 'Sum',
    Threshold: 10,
  });
});

test('the alarms are exposed', () => {
  // WHEN
  const { stack, alarms } = newAlarms();

  // THEN
  for (const alarm of [alarms.unhealthyHostsAlarm, alarms.noHealthyHostsAlarm, alarms.latencyAlarm]) {
    expect(stack.resolve(alarm.alarmArn)).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
  }
});

describe('validation', () => {
  test.each<[string, Partial<TierAlarmsProps>, string]>([
    ['instanceCount 0', { instanceCount: 0 }, '`instanceCount` must be an integer from 1 to 600, got: 0'],
    ['instanceCount 601', { instanceCount: 601 }, '`instanceCount` must be an integer from 1 to 600, got: 601'],
    ['instanceCount 2.5', { instanceCount: 2.5 }, '`instanceCount` must be an integer from 1 to 600, got: 2.5'],
    [
      'unhealthyHostThresholdPercent 0',
      { unhealthyHostThresholdPercent: 0 },
      '`unhealthyHostThresholdPercent` must be a number greater than 0 and at most 100, got: 0',
    ],
    [
      'unhealthyHostThresholdPercent 100.5',
      { unhealthyHostThresholdPercent: 100.5 },
      '`unhealthyHostThresholdPercent` must be a number greater than 0 and at most 100, got: 100.5',
    ],
    [
      'unhealthyHostThresholdPercent NaN',
      { unhealthyHostThresholdPercent: NaN },
      '`unhealthyHostThresholdPercent` must be a number greater than 0 and at most 100, got: NaN',
    ],
    [
      'latencyThreshold 0 ms',
      { latencyThreshold: Duration.millis(0) },
      '`latencyThreshold` must be a duration greater than 0 and at most 3600 seconds, got: 0 millis',
    ],
    [
      'latencyThreshold 0.5 ms',
      { latencyThreshold: Duration.millis(0.5) },
      '`latencyThreshold` must be a duration greater than 0 and at most 3600 seconds, got: 0.5 millis',
    ],
    [
      'latencyThreshold 61 minutes',
      { latencyThreshold: Duration.minutes(61) },
      '`latencyThreshold` must be a duration greater than 0 and at most 3600 seconds, got: 1 hour 1 minute',
    ],
  ])('rejects %s', (_name, props, message) => {
    // WHEN / THEN
    expect(() => newAlarms(() => props)).toThrow(message);
  });
});

describe('validation of the alarm options', () => {
  test.each<[string, (stack: Stack) => Partial<TierAlarmsProps>, string]>([
    [
      'unhealthyHostThresholdPercent 101',
      () => ({ unhealthyHostThresholdPercent: 101 }),
      '`unhealthyHostThresholdPercent` must be a number greater than 0 and at most 100, got: 101',
    ],
    [
      'unhealthyHostThresholdPercent -5',
      () => ({ unhealthyHostThresholdPercent: -5 }),
      '`unhealthyHostThresholdPercent` must be a number greater than 0 and at most 100, got: -5',
    ],
    [
      'latencyThreshold 0 s',
      () => ({ latencyThreshold: Duration.seconds(0) }),
      '`latencyThreshold` must be a duration greater than 0 and at most 3600 seconds, got: 0 seconds',
    ],
    [
      'latencyThreshold 2 h',
      () => ({ latencyThreshold: Duration.hours(2) }),
      '`latencyThreshold` must be a duration greater than 0 and at most 3600 seconds, got: 2 hours',
    ],
  ])('rejects %s', (_name, props, message) => {
    // WHEN / THEN
    expect(() => newAlarms(props)).toThrow(message);
  });
});

// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html:
// "Reported if there are registered targets" (healthy-host counts), and request metrics only while
// requests flow. Each alarm says what no data means for it.
describe('missing data, alarm by alarm', () => {
  const { stack, alarms } = newAlarms((s) => ({
    loadBalancer: elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(s, 'Alb', {
      loadBalancerArn: LOAD_BALANCER_ARN,
      securityGroupId: 'sg-0123456789abcdef0',
    }),
  }));
  const cases: Array<[string, () => any, string]> = [
    ['NoHealthyHosts: an empty tier is the outage it watches', () => alarms.noHealthyHostsAlarm, 'breaching'],
    [
      'UnhealthyHosts: an empty tier has no share; NoHealthyHosts fires for it',
      () => alarms.unhealthyHostsAlarm,
      'notBreaching',
    ],
    ['Latency: no request, no response time', () => alarms.latencyAlarm, 'notBreaching'],
    ['Target5xx: no request, no error', () => alarms.target5xxAlarm, 'notBreaching'],
    ['LoadBalancer5xx: no request, no error', () => alarms.loadBalancer5xxAlarm, 'notBreaching'],
    ['Desync: no request, no smuggling', () => alarms.desyncAlarm, 'notBreaching'],
  ];
  test.each(cases)('%s', (_name, alarm, treatMissingData) => {
    // GIVEN the tier's alarms with a load balancer / WHEN synthesized
    const props =
      Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(alarm().node.defaultChild)].Properties;
    // THEN
    expect(props.TreatMissingData).toBe(treatMissingData);
  });
  test('every alarm of the tier is in the table', () => {
    expect(alarms.all).toHaveLength(cases.length);
  });
});
