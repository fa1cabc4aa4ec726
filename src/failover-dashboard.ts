import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { FailoverTier } from './failover-tier';
import { show } from './private/validate';

/**
 * Properties for {@link FailoverDashboard}.
 */
export interface FailoverDashboardProps {
  /**
   * The tiers to show, one block of rows each, in this order (for example the primary, then the
   * secondary). At least one.
   */
  readonly tiers: FailoverTier[];

  /**
   * The dashboard's name: up to 255 letters, digits, `-` and `_`, unique in the account and
   * region.
   *
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;
}

/**
 * The region that holds the metrics of every Route 53 health check, whichever region the checked
 * endpoint is in (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-cloudwatch.html);
 * `HealthCheckStatus` is 1 while healthy, 0 while unhealthy
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html).
 */
const ROUTE53_METRICS_REGION = 'us-east-1';

/** CloudWatch dashboards are 24 grid units wide. */
const FULL_WIDTH = 24;

/** The graphs' period: the load balancer publishes its metrics every 60 s. */
const PERIOD = Duration.minutes(1);

/** A dashboard name: 1 to 255 of A-Z, a-z, 0-9, `-` and `_` (CloudWatch PutDashboard). */
const DASHBOARD_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * A CloudWatch dashboard of failover tiers, built only from their public members. For each tier,
 * a title row, then the zones side by side (one line per Availability Zone in each graph, so that
 * a zone that differs from the others stands out): healthy hosts (Minimum), target 5xx (Sum),
 * p99 target response time and request count (Sum), per minute; then the status of the tier's
 * Route 53 health checks (HTTPS, capacity and, for a primary, the calculated routing check),
 * read from us-east-1, where Route 53 publishes them; and the state of the tier's alarms and of
 * every zone's alarms, the zone-impaired composites first.
 *
 * `MultiAzFailoverService` creates one for its two tiers (`dashboard`); build your own for tiers
 * you compose yourself.
 */
export class FailoverDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  public constructor(scope: Construct, id: string, props: FailoverDashboardProps) {
    super(scope, id);
    validateProps(props);

    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    for (const tier of props.tiers) {
      this.dashboard.addWidgets(...tierWidgets(tier));
    }
  }
}

/** The rows of one tier: a title, the per-zone graphs, the health checks and the alarms. */
function tierWidgets(tier: FailoverTier): cloudwatch.IWidget[] {
  const name = tier.priority.charAt(0).toUpperCase() + tier.priority.slice(1);
  const perZone = (title: string, metricName: string, statistic: string) =>
    new cloudwatch.GraphWidget({
      title: `${name}: ${title} per zone`,
      width: FULL_WIDTH / 4,
      height: 6,
      left: tier.zonalFleets.map((fleet) =>
        fleet.metric(metricName, { statistic, period: PERIOD, label: fleet.availabilityZone }),
      ),
      leftYAxis: { min: 0, showUnits: false },
      legendPosition: cloudwatch.LegendPosition.BOTTOM,
    });
  const checks: [string, route53.IHealthCheck][] = [
    ['HTTPS', tier.healthCheck],
    ['Capacity', tier.capacityHealthCheck],
  ];
  if (tier.routingHealthCheck !== tier.healthCheck) {
    checks.push(['Routing (both)', tier.routingHealthCheck]);
  }
  return [
    new cloudwatch.TextWidget({
      markdown: `## ${name} tier`,
      width: FULL_WIDTH,
      height: 1,
    }),
    new cloudwatch.Row(
      perZone('healthy hosts', 'HealthyHostCount', cloudwatch.Stats.MINIMUM),
      perZone('target 5xx', 'HTTPCode_Target_5XX_Count', cloudwatch.Stats.SUM),
      perZone('p99 latency (s)', 'TargetResponseTime', cloudwatch.Stats.percentile(99)),
      perZone('requests', 'RequestCount', cloudwatch.Stats.SUM),
    ),
    new cloudwatch.Row(
      new cloudwatch.GraphWidget({
        title: `${name}: Route 53 health checks (1 = healthy, ${ROUTE53_METRICS_REGION})`,
        region: ROUTE53_METRICS_REGION,
        width: FULL_WIDTH / 3,
        height: 6,
        left: checks.map(
          ([label, check]) =>
            new cloudwatch.Metric({
              namespace: 'AWS/Route53',
              metricName: 'HealthCheckStatus',
              dimensionsMap: { HealthCheckId: check.healthCheckId },
              statistic: cloudwatch.Stats.MINIMUM,
              period: PERIOD,
              region: ROUTE53_METRICS_REGION,
              label,
            }),
        ),
        leftYAxis: { min: 0, max: 1, showUnits: false },
        legendPosition: cloudwatch.LegendPosition.BOTTOM,
      }),
      new cloudwatch.AlarmStatusWidget({
        title: `${name}: alarms`,
        width: (FULL_WIDTH * 2) / 3,
        height: 6,
        alarms: [
          ...tier.zonalFleets.map((fleet) => fleet.impairedAlarm),
          tier.healthAlarm,
          ...tier.alarms.all,
          ...tier.zonalFleets.flatMap((fleet) => fleet.alarms),
        ],
      }),
    ),
  ];
}

function validateProps(props: FailoverDashboardProps): void {
  if (props.tiers.length === 0) {
    throw new Error('`tiers` must contain at least one tier, got: []');
  }
  if (
    props.dashboardName !== undefined &&
    !Token.isUnresolved(props.dashboardName) &&
    !DASHBOARD_NAME.test(props.dashboardName)
  ) {
    throw new Error(
      `\`dashboardName\` must be 1 to 255 letters, digits, "-" and "_", got: ${show(props.dashboardName)}`,
    );
  }
}
