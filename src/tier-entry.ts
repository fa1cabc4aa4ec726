import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { FailoverTierProps } from './failover-tier';
import { acknowledge, compliancePacks, controlTower } from './private/acknowledge';

/** The Strict-Transport-Security header of every HTTPS response: one year, subdomains included. */
const HSTS = 'max-age=31536000; includeSubDomains';

/** The healthy targets ALB anomaly detection needs in a target group to compare a target with its peers. */
export const MIN_ANOMALY_TARGETS = 3;

/** The values an ALB host-header condition takes, and so one listener rule of `hostNames`. */
const HOST_VALUES_PER_RULE = 3;

/** What a tier's entry is built from, besides its props. */
export interface TierEntryOptions {
  /** The load balancer's security group (see `tierSecurityGroups`). */
  readonly securityGroup: ec2.SecurityGroup;
  /** The path the target group's health check requests. */
  readonly healthCheckPath: string;
}

/** A tier's entry: where its traffic comes in. */
export interface TierEntry {
  /** The internet-facing load balancer. */
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The HTTPS target group the zones' Auto Scaling groups register in. */
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The HTTPS listener on port 443. */
  readonly httpsListener: elbv2.ApplicationListener;
}

/**
 * Creates the tier's entry in `tier`, the FailoverTier itself, so that the construct paths are the
 * tier's: the load balancer (`LoadBalancer`, with its access logs), the target group
 * (`TargetGroup`), the HTTPS listener (`LoadBalancer/Https`, with HSTS and the `KnownHosts` rules of
 * `hostNames`), the port-80 redirect with `httpRedirect`, and the web ACL association
 * (`WebAclAssociation`) with `webAclArn`.
 */
export function tierEntry(tier: Construct, props: FailoverTierProps, options: TierEntryOptions): TierEntry {
  const alb = new elbv2.ApplicationLoadBalancer(tier, 'LoadBalancer', {
    vpc: props.vpc,
    internetFacing: true,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC, availabilityZones: props.availabilityZones },
    securityGroup: options.securityGroup,
    dropInvalidHeaderFields: true,
    // AWS ELB best practice for HTTP desync: refuse every request that is not RFC 7230 compliant.
    desyncMitigationMode: elbv2.DesyncMitigationMode.STRICTEST,
    deletionProtection: props.deletionProtection ?? false,
  });
  if (!(props.deletionProtection ?? false)) {
    acknowledge(
      alb.node.defaultChild!,
      [
        ...['NIST.800.53.R5', 'HIPAA.Security'].map((pack) => `${pack}::${pack}-ELBDeletionProtectionEnabled`),
        controlTower('elbv2_deletion_protection_enabled_check'),
      ],
      'Off by default: with deletion protection on, a first deploy that fails after the load balancers exist cannot roll back (ROLLBACK_FAILED). Turn it on with deletionProtection: true after the first deploy, and protect the stack with termination protection',
    );
  }
  alb.logAccessLogs(props.accessLogsBucket, props.accessLogsPrefix ?? props.priority);

  // Gray failure inside a zone: weighted random routing with automatic target weights (anomaly
  // mitigation) sends less traffic to a target that answers errors or times out while its health
  // check passes (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#automatic-target-weights).
  // Detection compares a target with its peers and needs at least 3 healthy targets in the target
  // group (issue 20; the page's ATW section was not readable here: unverified): below that floor (a
  // small warm standby) the tier keeps round robin. Slow start is refused with weighted random
  // (aws-cdk-lib's own validation), and no stickiness is set (below).
  const floorTargets = props.availabilityZones.length * (props.instancesPerAz ?? 2);
  const anomalyMitigation = floorTargets >= MIN_ANOMALY_TARGETS;
  const targetGroup = new elbv2.ApplicationTargetGroup(tier, 'TargetGroup', {
    vpc: props.vpc,
    port: 443,
    protocol: elbv2.ApplicationProtocol.HTTPS,
    targetType: elbv2.TargetType.INSTANCE,
    deregistrationDelay: props.deregistrationDelay ?? Duration.seconds(20),
    // Availability Zone independence: each load balancer node sends requests only to the targets
    // of its own zone, so a zone's request metrics (AvailabilityZone dimension) are its targets'
    // own, and an impaired zone does not reach the others
    // (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/disable-cross-zone.html,
    // https://aws.github.io/aws-elb-best-practices/reliability/workload_architecture/). Every zone
    // has its own group with the same floor; a zone whose targets are all unhealthy is taken out of
    // the load balancer's DNS (target group health, DNS failover threshold 1 by default).
    crossZoneEnabled: false,
    // No stickiness: "Target stickiness is not supported when cross-zone load balancing is off"
    // (same page), and sticky requests would bypass automatic target weights (unverified). A server-to-server payment
    // API keeps no session on an instance, so nothing needs the one-day lb_cookie it had.
    ...(anomalyMitigation
      ? {
          loadBalancingAlgorithmType: elbv2.TargetGroupLoadBalancingAlgorithmType.WEIGHTED_RANDOM,
          enableAnomalyMitigation: true,
        }
      : {}),
    healthCheck: {
      protocol: elbv2.Protocol.HTTPS,
      path: options.healthCheckPath,
      interval: Duration.seconds(10),
      timeout: Duration.seconds(5),
      healthyThresholdCount: 2,
      unhealthyThresholdCount: 3,
      healthyHttpCodes: '200',
    },
  });

  acknowledge(
    targetGroup.node.defaultChild!,
    [controlTower('elbv2_target_group_cross_zone_check')],
    'Cross-zone load balancing is off on purpose (Availability Zone independence): each zone has its own Auto Scaling group with the same floor, its alarms read its own targets, and a zone with no healthy target leaves the load balancer DNS (docs/CAPACITY.md, Routing inside a zone)',
  );
  targetGroup.node.addValidation({ validate: () => refusedRoutingCombinations(targetGroup) });

  const httpsListener = alb.addListener('Https', {
    port: 443,
    protocol: elbv2.ApplicationProtocol.HTTPS,
    certificates: [props.certificate],
    sslPolicy: props.sslPolicy ?? elbv2.SslPolicy.TLS13_12_RES_PQ,
    ...(props.hostNames === undefined
      ? { defaultTargetGroups: [targetGroup] }
      : {
          defaultAction: elbv2.ListenerAction.fixedResponse(404, {
            contentType: 'text/plain',
            messageBody: 'Not Found',
          }),
        }),
  });
  if (props.hostNames !== undefined) {
    // A host-header condition takes at most 3 values, and a rule has one host-header condition
    // (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html):
    // the names, then the load balancer's own, go into rules of 3, `KnownHosts` first.
    const hosts = [...props.hostNames, alb.loadBalancerDnsName];
    for (let rule = 0; rule * HOST_VALUES_PER_RULE < hosts.length; rule++) {
      httpsListener.addTargetGroups(rule === 0 ? 'KnownHosts' : `KnownHosts${rule + 1}`, {
        priority: rule + 1,
        conditions: [
          elbv2.ListenerCondition.hostHeaders(
            hosts.slice(rule * HOST_VALUES_PER_RULE, (rule + 1) * HOST_VALUES_PER_RULE),
          ),
        ],
        targetGroups: [targetGroup],
      });
    }
  }
  // HSTS on every HTTPS response: a browser or HSTS-aware client never tries http:// again.
  (httpsListener.node.defaultChild as elbv2.CfnListener).listenerAttributes = [
    { key: 'routing.http.response.strict_transport_security.header_value', value: HSTS },
  ];
  // No port 80 by default (PCI DSS v4.0.1 4.2.1): a client that calls http:// has already sent
  // its headers and body in cleartext when a redirect comes back, so an API refuses the
  // connection instead (no listener, no ingress rule).
  if (props.httpRedirect ?? false) {
    const redirect = alb.addRedirect({
      sourcePort: 80,
      sourceProtocol: elbv2.ApplicationProtocol.HTTP,
      targetPort: 443,
      targetProtocol: elbv2.ApplicationProtocol.HTTPS,
    });
    acknowledge(
      redirect.node.defaultChild!,
      compliancePacks('ELBv2ACMCertificateRequired'),
      'The port-80 listener serves nothing: it only answers 301 redirects to HTTPS on 443, which uses the ACM certificate',
    );
  }

  if (props.webAclArn !== undefined) {
    new wafv2.CfnWebACLAssociation(tier, 'WebAclAssociation', {
      resourceArn: alb.loadBalancerArn,
      webAclArn: props.webAclArn,
    });
  }
  return { loadBalancer: alb, targetGroup, httpsListener };
}

/**
 * The target group attribute combinations that Elastic Load Balancing refuses or ignores, after the
 * user's own `setAttribute` calls: anomaly mitigation only with the weighted random algorithm, no
 * slow start with it, and no stickiness with cross-zone load balancing off.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html
 */
function refusedRoutingCombinations(targetGroup: elbv2.ApplicationTargetGroup): string[] {
  const resolved = Stack.of(targetGroup).resolve(
    (targetGroup.node.defaultChild as elbv2.CfnTargetGroup).targetGroupAttributes,
  ) as Array<{ key: string; value: unknown }> | undefined;
  const attributes = new Map<string, unknown>((resolved ?? []).map((a) => [a.key, a.value]));
  const value = (key: string) => attributes.get(key);
  const algorithm = value('load_balancing.algorithm.type') ?? 'round_robin';
  const errors: string[] = [];
  if (value('load_balancing.algorithm.anomaly_mitigation') === 'on' && algorithm !== 'weighted_random') {
    errors.push(
      `\`targetGroup\` attribute \`load_balancing.algorithm.type\` must be \`weighted_random\` while \`load_balancing.algorithm.anomaly_mitigation\` is \`on\` (set it to \`off\` first), got: ${algorithm}`,
    );
  }
  const slowStart = value('slow_start.duration_seconds');
  if (algorithm === 'weighted_random' && slowStart !== undefined && String(slowStart) !== '0') {
    errors.push(
      `\`targetGroup\` attribute \`slow_start.duration_seconds\` must be 0 with the \`weighted_random\` algorithm, got: ${slowStart}`,
    );
  }
  if (value('load_balancing.cross_zone.enabled') === 'false' && value('stickiness.enabled') === 'true') {
    errors.push(
      '`targetGroup` attribute `stickiness.enabled` must be `false` while `load_balancing.cross_zone.enabled` is `false` (target stickiness is not supported with cross-zone load balancing off), got: true',
    );
  }
  return errors;
}
