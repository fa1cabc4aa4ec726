import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FailoverDrills, MultiAzFailoverService, MultiAzFailoverServiceProps, RegionMode } from '../src';
import { AZS, importedVpc, importedZone, newStack, privateSubnetId, publicSubnetId } from './util';

/**
 * A service over a new VPC in the three test zones, with `props` (plain data). Synthesized once per
 * `props`: the tests only read what it returns.
 */
const synthesized = new Map<string, ReturnType<typeof build>>();
function synth(props: Partial<MultiAzFailoverServiceProps> = {}) {
  const key = JSON.stringify(props);
  if (!synthesized.has(key)) {
    synthesized.set(key, build(props));
  }
  return synthesized.get(key)!;
}

function build(props: Partial<MultiAzFailoverServiceProps>) {
  const stack = newStack();
  const service = new MultiAzFailoverService(stack, 'Service', {
    hostedZone: importedZone(stack),
    availabilityZones: AZS,
    ...props,
  });
  const template = Template.fromStack(stack);
  const templates = template.findResources('AWS::FIS::ExperimentTemplate');
  return { stack, service, template, templates: Object.entries(templates) };
}

/** The logical id of the resource a `{ Ref }` or `{ Fn::GetAtt }` points to. */
function refOf(value: any): string | undefined {
  return value?.Ref ?? value?.['Fn::GetAtt']?.[0];
}

describe('FailoverDrills', () => {
  // Drills stop production instances: they exist only when asked for.
  test('no experiment template, role or drill log group without `drills`', () => {
    // GIVEN / WHEN
    const { service, template } = synth();

    // THEN
    template.resourceCountIs('AWS::FIS::ExperimentTemplate', 0);
    expect(service.drills).toBeUndefined();
    expect(service.drillTemplates).toEqual([]);
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    expect(JSON.stringify(roles)).not.toContain('fis.amazonaws.com');
  });

  test('with `drills: true`: the primary-tier drill, one zone drill per zone and the partial-fleet drill', () => {
    // GIVEN / WHEN
    const { service, templates } = synth({ drills: true });

    // THEN
    expect(service.drillTemplates.map((d) => d.name)).toEqual([
      'PrimaryTierLost',
      'ZoneLostEuWest1a',
      'ZoneLostEuWest1b',
      'ZoneLostEuWest1c',
      'PrimaryPartialFleet',
    ]);
    expect(templates).toHaveLength(5);
    for (const drill of service.drillTemplates) {
      expect(drill.expectation.length).toBeGreaterThan(40);
    }
  });

  // https://docs.aws.amazon.com/fis/latest/userguide/targets.html: targets are found by ARN or by
  // tag. Every target here is this service's own: its groups' instances by the
  // aws:autoscaling:groupName tag (never FailoverPriority, which every service carries), its
  // groups by this stack's id and their names, its subnets and load balancers by ARN.
  test('every target is scoped to this service instance’s own resources', () => {
    // GIVEN
    const { stack, service, templates } = synth({ drills: true, zonalAutoshift: true });
    const groupIds = [...service.primary.zonalFleets, ...service.secondary.zonalFleets].map((f) =>
      stack.getLogicalId(f.autoScalingGroup.node.defaultChild as any),
    );
    const subnetIds = service.vpc.publicSubnets
      .concat(service.vpc.privateSubnets)
      .map((s) => stack.getLogicalId(s.node.defaultChild as any));

    // THEN
    for (const [, resource] of templates) {
      for (const target of Object.values<any>(resource.Properties.Targets)) {
        const tags = target.ResourceTags ?? {};
        expect(Object.keys(tags)).not.toContain('FailoverPriority');
        switch (target.ResourceType) {
          case 'aws:ec2:instance':
            expect(Object.keys(tags)).toEqual(['aws:autoscaling:groupName']);
            expect(groupIds).toContain(refOf(tags['aws:autoscaling:groupName']));
            break;
          case 'aws:ec2:autoscaling-group':
            expect(tags).toEqual({ 'aws:cloudformation:stack-id': { Ref: 'AWS::StackId' } });
            expect(target.Filters).toHaveLength(1);
            expect(target.Filters[0].Path).toBe('AutoScalingGroupName');
            for (const name of target.Filters[0].Values) {
              expect(groupIds).toContain(refOf(name));
            }
            break;
          case 'aws:ec2:subnet':
            expect(target.ResourceArns.length).toBeGreaterThan(0);
            for (const arn of target.ResourceArns) {
              expect(subnetIds).toContain(refOf(arn['Fn::Join'][1][5]));
            }
            break;
          case 'aws:arc:zonal-shift-managed-resource':
            if (target.ResourceArns) {
              expect(target.ResourceArns.map(refOf)).toEqual([
                stack.getLogicalId(service.primary.loadBalancer.node.defaultChild as any),
                stack.getLogicalId(service.secondary.loadBalancer.node.defaultChild as any),
              ]);
            } else {
              expect(tags).toEqual({ 'aws:cloudformation:stack-id': { Ref: 'AWS::StackId' } });
              expect(target.Filters).toHaveLength(1);
              expect(target.Filters[0].Path).toBe('Name');
              for (const name of target.Filters[0].Values) {
                expect(groupIds).toContain(refOf(name));
              }
            }
            break;
          default:
            throw new Error(`unexpected target type ${target.ResourceType}`);
        }
      }
    }
  });

  test('the zone drill cuts exactly that zone’s subnets and stops only that zone’s groups, in both tiers', () => {
    // GIVEN
    const { stack, service, templates } = synth({ drills: true });
    const zoneB = templates.find(([id]) => id.includes('ZoneLostEuWest1b'))![1];
    const inB = [service.primary, service.secondary].map((tier) =>
      stack.getLogicalId(
        tier.zonalFleets.find((f) => f.availabilityZone === 'eu-west-1b')!.autoScalingGroup.node.defaultChild as any,
      ),
    );

    // THEN
    const targets = Object.values<any>(zoneB.Properties.Targets);
    const subnets = targets.find((t) => t.ResourceType === 'aws:ec2:subnet');
    expect(subnets.ResourceArns).toHaveLength(2);
    const instances = targets.filter((t) => t.ResourceType === 'aws:ec2:instance');
    expect(instances.map((t) => refOf(t.ResourceTags['aws:autoscaling:groupName'])).sort()).toEqual(inB.sort());
    const capacity = Object.values<any>(zoneB.Properties.Actions).find(
      (a) => a.ActionId === 'aws:ec2:asg-insufficient-instance-capacity-error',
    );
    expect(capacity.Parameters.availabilityZoneIdentifiers).toBe('eu-west-1b');
  });

  test('the subnets of an imported VPC are targeted by their ARNs', () => {
    // GIVEN
    const stack = newStack();
    const vpc = importedVpc(stack);
    new MultiAzFailoverService(stack, 'Service', {
      hostedZone: importedZone(stack),
      vpc,
      availabilityZones: AZS,
      drills: true,
    });
    const templates = Object.entries(Template.fromStack(stack).findResources('AWS::FIS::ExperimentTemplate'));

    // THEN
    const zoneA = templates.find(([id]) => id.includes('ZoneLostEuWest1a'))![1];
    const subnets = Object.values<any>(zoneA.Properties.Targets).find((t) => t.ResourceType === 'aws:ec2:subnet');
    expect(JSON.stringify(subnets.ResourceArns)).toContain(`:subnet/${publicSubnetId('eu-west-1a')}`);
    expect(JSON.stringify(subnets.ResourceArns)).toContain(`:subnet/${privateSubnetId('eu-west-1a')}`);
    expect(JSON.stringify(subnets.ResourceArns)).not.toContain('1b00');
  });

  // https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html: stop-instances
  // restarts after startInstancesAfterDuration; the other actions take a duration (ISO 8601). The
  // zonal shifts outlast the fault: the groups' by a minute, the load balancers' by two.
  test('every action has its duration', () => {
    // GIVEN
    const { templates } = synth({ drills: true, zonalAutoshift: true });

    // THEN
    const actions = templates.flatMap(([, r]) => Object.values<any>(r.Properties.Actions));
    expect(new Set(actions.map((a) => a.ActionId))).toEqual(
      new Set([
        'aws:ec2:stop-instances',
        'aws:ec2:asg-insufficient-instance-capacity-error',
        'aws:network:disrupt-connectivity',
        'aws:arc:start-zonal-autoshift',
      ]),
    );
    for (const action of actions) {
      const duration =
        action.ActionId === 'aws:ec2:stop-instances'
          ? action.Parameters.startInstancesAfterDuration
          : action.Parameters.duration;
      const expected =
        action.ActionId !== 'aws:arc:start-zonal-autoshift'
          ? 'PT10M'
          : action.Parameters.managedResourceTypes === 'ASG'
            ? 'PT11M'
            : 'PT12M';
      expect({ action: action.ActionId, duration }).toEqual({ action: action.ActionId, duration: expected });
    }
  });

  test('the autoshift action exists only with `zonalAutoshift`', () => {
    // GIVEN / WHEN
    const { templates } = synth({ drills: true });

    // THEN
    expect(JSON.stringify(templates)).not.toContain('aws:arc:start-zonal-autoshift');
    expect(JSON.stringify(templates)).not.toContain('arc-zonal-shift:');
  });

  // https://docs.aws.amazon.com/fis/latest/userguide/stop-conditions.html
  test('every drill stops when the secondary tier’s health alarm fires', () => {
    // GIVEN
    const { stack, service, templates } = synth({ drills: true });
    const alarm = stack.getLogicalId(service.secondary.healthAlarm.node.defaultChild as any);

    // THEN
    for (const [, resource] of templates) {
      expect(resource.Properties.StopConditions).toEqual([
        { Source: 'aws:cloudwatch:alarm', Value: { 'Fn::GetAtt': [alarm, 'Arn'] } },
      ]);
    }
  });

  // https://docs.aws.amazon.com/fis/latest/userguide/targets.html#target-selection-mode: "You can't
  // specify a percentage that is less than one resource", and "if the scope that you specify
  // identifies no resources, the experiment fails": PERCENT(25) of a 2-instance zone selects
  // nothing. The drill derives a count per zone, max(1, floor(instances x percent / 100)).
  test.each([
    [{}, 'COUNT(1)'],
    [{ instancesPerAz: 8 }, 'COUNT(2)'],
    [{ instancesPerAz: 3 }, 'COUNT(1)'],
    [{ instancesPerAz: 10, maxInstancesPerAz: 12 }, 'COUNT(2)'],
  ])('the partial-fleet drill stops a count of each primary zone’s instances: %j gives %s', (props, mode) => {
    // GIVEN
    const { stack, service, templates } = synth({ drills: true, ...props });
    const partial = templates.find(([id]) => id.includes('PrimaryPartialFleet'))![1];
    const primaryGroups = service.primary.zonalFleets.map((f) =>
      stack.getLogicalId(f.autoScalingGroup.node.defaultChild as any),
    );

    // THEN
    const targets = Object.values<any>(partial.Properties.Targets);
    expect(targets.map((t) => t.SelectionMode)).toEqual([mode, mode, mode]);
    expect(targets.map((t) => refOf(t.ResourceTags['aws:autoscaling:groupName']))).toEqual(primaryGroups);
  });

  test.each([
    [
      { instancesPerAz: 1 },
      '`instancesPerAz` of the primary must be at least 2 for the partial-fleet drill (it stops max(1, ⌊instances × partialFleetPercent / 100⌋) of each zone and leaves the rest serving), got: 1 in eu-west-1a',
    ],
    [
      { minHealthyHostsPercent: 75 },
      '`partialFleetPercent` must leave the primary at least its `minHealthyHosts` (5 of 6), got: 25 (stops 1 of 2 in each zone, leaving 3)',
    ],
  ])('the drills refuse a partial-fleet drill that empties a zone or fails the tier over: %j', (props, message) => {
    // GIVEN
    const stack = newStack();

    // WHEN / THEN
    expect(
      () =>
        new MultiAzFailoverService(stack, 'Service', {
          hostedZone: importedZone(stack),
          availabilityZones: AZS,
          drills: true,
          ...props,
        }),
    ).toThrow(message);
  });

  // https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html: each action's
  // "Permissions" list (ec2:InjectApiError is tested with its conditions above).
  test.each([
    ['aws:ec2:stop-instances', ['ec2:StopInstances', 'ec2:StartInstances', 'ec2:DescribeInstances']],
    [
      'aws:ec2:asg-insufficient-instance-capacity-error',
      ['ec2:InjectApiError', 'autoscaling:DescribeAutoScalingGroups'],
    ],
    [
      'aws:network:disrupt-connectivity',
      [
        'ec2:CreateNetworkAcl',
        'ec2:CreateNetworkAclEntry',
        'ec2:CreateTags',
        'ec2:DeleteNetworkAcl',
        'ec2:DescribeManagedPrefixLists',
        'ec2:DescribeNetworkAcls',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcs',
        'ec2:GetManagedPrefixListEntries',
        'ec2:ReplaceNetworkAclAssociation',
      ],
    ],
    [
      'aws:arc:start-zonal-autoshift',
      [
        'arc-zonal-shift:StartZonalShift',
        'arc-zonal-shift:GetManagedResource',
        'arc-zonal-shift:UpdateZonalShift',
        'arc-zonal-shift:CancelZonalShift',
        'arc-zonal-shift:ListManagedResources',
        'autoscaling:DescribeTags',
        'tag:GetResources',
      ],
    ],
  ])('the role has every permission the FIS actions reference lists for %s', (actionId, permissions) => {
    // GIVEN
    const { templates, template } = synth({ drills: true, zonalAutoshift: true });
    const [policy] = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy')).filter((p) =>
      JSON.stringify(p).includes('ec2:StopInstances'),
    );
    const granted = new Set((policy.Properties.PolicyDocument.Statement as any[]).flatMap((s) => [s.Action].flat()));

    // THEN
    expect(JSON.stringify(templates)).toContain(`"${actionId}"`);
    expect(permissions.filter((p) => !granted.has(p))).toEqual([]);
  });

  // https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html: the managed
  // resources of aws:arc:start-zonal-autoshift include "Amazon EC2 Auto Scaling groups", chosen
  // by managedResourceTypes (ASG) and zonalAutoshiftStatus (default ENABLED: the groups have no
  // autoshift configuration, hence ANY). In a zonal shift a group with IgnoreUnhealthy does not
  // replace the zone's instances
  // (https://docs.aws.amazon.com/r53recovery/latest/dg/arc-zonal-shift.resource-types.ec2-auto-scaling-groups.html),
  // and "cancel the zonal shift on your Auto Scaling group first"
  // (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-zonal-shift.html).
  test('with `zonalAutoshift` the zone drill shifts the zone’s groups of both tiers, and ends their shift before the load balancers’', () => {
    // GIVEN
    const { stack, service, templates } = synth({ drills: true, zonalAutoshift: true });
    const zoneB = templates.find(([id]) => id.includes('ZoneLostEuWest1b'))![1];
    const inB = [service.primary, service.secondary].map((tier) =>
      stack.getLogicalId(
        tier.zonalFleets.find((f) => f.availabilityZone === 'eu-west-1b')!.autoScalingGroup.node.defaultChild as any,
      ),
    );
    const actions = Object.values<any>(zoneB.Properties.Actions).filter(
      (a) => a.ActionId === 'aws:arc:start-zonal-autoshift',
    );
    const groupsShift = actions.find((a) => a.Parameters.managedResourceTypes === 'ASG');
    const loadBalancersShift = actions.find((a) => a.Parameters.managedResourceTypes !== 'ASG');

    // THEN
    expect(groupsShift.Parameters).toEqual({
      availabilityZoneIdentifier: 'eu-west-1b',
      duration: 'PT11M',
      managedResourceTypes: 'ASG',
      zonalAutoshiftStatus: 'ANY',
    });
    const target = zoneB.Properties.Targets[groupsShift.Targets.ManagedResources];
    expect(target.ResourceType).toBe('aws:arc:zonal-shift-managed-resource');
    expect(target.ResourceTags).toEqual({ 'aws:cloudformation:stack-id': { Ref: 'AWS::StackId' } });
    expect(target.Filters).toHaveLength(1);
    expect(target.Filters[0].Path).toBe('Name');
    expect(target.Filters[0].Values.map(refOf).sort()).toEqual(inB.sort());
    expect(loadBalancersShift.Parameters.duration).toBe('PT12M');
  });

  // https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_service-with-iam-zonal-shift.html:
  // zonal shift permissions are scoped to resources by the arc-zonal-shift:ResourceIdentifier key
  // (the Service Authorization Reference lists only load balancers as resource types).
  test('the role may shift only this service’s groups', () => {
    // GIVEN
    const { stack, service, template } = synth({ drills: true, zonalAutoshift: true });
    const groupIds = [...service.primary.zonalFleets, ...service.secondary.zonalFleets].map((f) =>
      stack.getLogicalId(f.autoScalingGroup.node.defaultChild as any),
    );
    const [policy] = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy')).filter((p) =>
      JSON.stringify(p).includes('ec2:StopInstances'),
    );
    const shift = (policy.Properties.PolicyDocument.Statement as any[]).find(
      (s) => s.Sid === 'ShiftThisServicesGroups',
    );

    // THEN
    expect(shift.Action).toEqual([
      'arc-zonal-shift:StartZonalShift',
      'arc-zonal-shift:GetManagedResource',
      'arc-zonal-shift:UpdateZonalShift',
      'arc-zonal-shift:CancelZonalShift',
    ]);
    expect(shift.Resource).toBe('*');
    const patterns: any[] = shift.Condition.StringLike['arc-zonal-shift:ResourceIdentifier'];
    expect(patterns.map((p) => JSON.stringify(p).match(/"Ref":"(\w+)"\}\]\]\}$/)?.[1])).toEqual(groupIds);
    expect(JSON.stringify(patterns[0])).toContain(':autoScalingGroup:*:autoScalingGroupName/');
  });

  // https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html (stop-instances):
  // "Auto Scaling groups may terminate stopped EC2 instances under their control". The
  // expectations say what Auto Scaling does, and name the alarms in the order they fire.
  test.each([
    [
      'PrimaryTierLost',
      ['HealthAlarm', 'NoHealthyHosts', "zone's HealthyHosts", 'Impaired', 'terminates', 'fails back'],
    ],
    ['ZoneLostEuWest1a', ["zone's HealthyHosts", 'Impaired', 'terminates']],
    ['PrimaryPartialFleet', ["zone's HealthyHosts", 'Impaired', 'replaces', 'OK']],
  ])('the %s expectation names, in order, %j', (name, words) => {
    // GIVEN
    const { service } = synth({ drills: true });
    const expectation = service.drillTemplates.find((d) => d.name === name)!.expectation;

    // THEN
    const positions = words.map((w) => expectation.indexOf(w));
    expect(positions.filter((p) => p < 0)).toEqual([]);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  test('docs/DRILLS.md gives each drill’s expectation as the template says it', () => {
    // GIVEN
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'DRILLS.md'), 'utf-8');
    const normal = (text: string) => text.replace(/\d+ s worst case/g, 'N s worst case');
    const expectations = [
      ...synth({ drills: true }).service.drillTemplates,
      ...synth({ drills: true, zonalAutoshift: true }).service.drillTemplates.filter((d) => d.name.startsWith('Zone')),
    ]
      .filter((d) => !/^ZoneLostEuWest1[bc]$/.test(d.name))
      .map((d) => normal(d.expectation));

    // THEN
    expect(expectations).toHaveLength(4);
    expect(expectations.filter((e) => !normal(doc).includes(e))).toEqual([]);
  });

  // https://docs.aws.amazon.com/fis/latest/userguide/monitoring-logging.html
  test('experiments log to a log group encrypted with the logs key, kept 365 days', () => {
    // GIVEN
    const { stack, service, template, templates } = synth({ drills: true });
    const logGroupId = stack.getLogicalId(service.node.findChild('DrillLogs').node.defaultChild as any);

    // THEN
    for (const [, resource] of templates) {
      expect(resource.Properties.LogConfiguration).toEqual({
        LogSchemaVersion: 2,
        CloudWatchLogsConfiguration: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
      });
    }
    const logGroup = template.toJSON().Resources[logGroupId];
    expect(logGroup.Properties.RetentionInDays).toBe(365);
    expect(logGroup.Properties.KmsKeyId).toEqual({
      'Fn::GetAtt': [stack.getLogicalId(service.shared.logsEncryptionKey.node.defaultChild as any), 'Arn'],
    });
  });

  // https://docs.aws.amazon.com/fis/latest/userguide/getting-started-iam-service-role.html
  test('the role trusts FIS only for experiments of this account', () => {
    // GIVEN
    const { template } = synth({ drills: true });

    // THEN
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'fis.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':fis:eu-west-1:', { Ref: 'AWS::AccountId' }, ':experiment/*'],
                  ],
                },
              },
            },
          },
        ],
      },
    });
  });

  test('the role may stop and start only instances of this service’s groups, and inject errors only into them', () => {
    // GIVEN
    const { stack, service, template } = synth({ drills: true });
    const groupIds = [...service.primary.zonalFleets, ...service.secondary.zonalFleets].map((f) =>
      stack.getLogicalId(f.autoScalingGroup.node.defaultChild as any),
    );
    const [policy] = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy')).filter((p) =>
      JSON.stringify(p).includes('ec2:StopInstances'),
    );
    const statements: any[] = policy.Properties.PolicyDocument.Statement;
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid);

    // THEN
    const stop = bySid('StopAndStartThisServicesInstances');
    expect(stop.Condition.StringEquals['aws:ResourceTag/aws:autoscaling:groupName'].map(refOf)).toEqual(groupIds);
    const inject = bySid('InsufficientCapacityOnThisServicesGroups');
    expect(inject.Condition['ForAnyValue:StringEquals']).toEqual({
      'ec2:FisActionId': ['aws:ec2:asg-insufficient-instance-capacity-error'],
    });
    expect(inject.Condition['ForAllValues:ArnLike']['ec2:FisTargetArns']).toHaveLength(groupIds.length);
    // Only the documented experiment-logging permissions, and nothing account-wide that writes.
    expect(bySid('ExperimentLogDelivery').Action).toEqual([
      'logs:CreateLogDelivery',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ]);
    const unscoped = statements.filter((s) => JSON.stringify(s.Resource) === '"*"' && !s.Condition);
    const writes = unscoped.flatMap((s) => [s.Action].flat()).filter((a: string) => !/:(Describe|Get|List)/.test(a));
    expect(writes).toEqual(['logs:CreateLogDelivery', 'logs:PutResourcePolicy']);
  });

  // The logs key lets CloudWatch Logs encrypt only log groups under the shared resources' prefix
  // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html): the
  // drill log group is named under it, next to the host logs.
  test('the drill log group is named under the prefix the logs key allows', () => {
    // GIVEN
    const { stack, service, template } = synth({ drills: true });
    const nameOf = (construct: any) =>
      JSON.stringify(
        template.toJSON().Resources[stack.getLogicalId(construct.node.defaultChild)].Properties.LogGroupName,
      );
    const drillLogs = service.node.findChild('DrillLogs');
    const hostLogs = service.shared.hostLogGroup;

    // THEN
    expect(nameOf(drillLogs)).toBe(nameOf(hostLogs).replace('/host/', '/drills/'));
  });

  test.each([
    [
      { faultDuration: Duration.seconds(90) },
      '`faultDuration` must be a whole number of minutes from 1 to 60, got: "1 minute 30 seconds"',
    ],
    [
      { faultDuration: Duration.hours(2) },
      '`faultDuration` must be a whole number of minutes from 1 to 60, got: "2 hours"',
    ],
    [{ partialFleetPercent: 50 }, '`partialFleetPercent` must be an integer from 1 to 49, got: 50'],
    [{ partialFleetPercent: 0 }, '`partialFleetPercent` must be an integer from 1 to 49, got: 0'],
  ])('rejects %j', (props, message) => {
    // GIVEN
    const stack = newStack();
    const service = new MultiAzFailoverService(stack, 'Service', {
      hostedZone: importedZone(stack),
      availabilityZones: AZS,
    });

    // THEN
    expect(
      () =>
        new FailoverDrills(stack, 'Drills', {
          primary: service.primary,
          secondary: service.secondary,
          vpc: service.vpc,
          logGroup: service.shared.hostLogGroup,
          ...props,
        }),
    ).toThrow(message);
  });

  test('docs/DRILLS.md names every template', () => {
    // GIVEN
    const { service } = synth({ drills: true });
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'DRILLS.md'), 'utf-8');

    // THEN
    const names = service.drillTemplates.map((d) => d.name.replace(/^ZoneLost.*/, 'ZoneLost<Zone>'));
    expect(names.filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
  });
});

describe('the RegionLost drill (the primary Region of a GlobalFailover)', () => {
  // GIVEN / WHEN
  const built = () => synth({ drills: true, regionLostDrill: true });
  const regionLost = () => {
    const { stack, service, template } = built();
    const drill = service.drillTemplates.find((d) => d.name === 'RegionLost')!;
    const [, resource] = Object.entries(template.findResources('AWS::FIS::ExperimentTemplate')).find(
      ([id]) => id === stack.resolve(drill.experimentTemplateId)['Fn::GetAtt'][0],
    )!;
    return { stack, service, template, drill, properties: resource.Properties };
  };

  test('exists only when asked for, after the other drills', () => {
    // THEN
    expect(synth({ drills: true }).service.drillTemplates.map((d) => d.name)).not.toContain('RegionLost');
    expect(
      built()
        .service.drillTemplates.map((d) => d.name)
        .slice(-1),
    ).toEqual(['RegionLost']);
  });

  // https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#stop-instances and
  // #asg-insufficient-instance-capacity-error: as the tier drill does, for both tiers.
  test('stops every instance of both tiers and blocks launches in every group of both, in every zone', () => {
    // THEN
    const { stack, service, properties } = regionLost();
    const groups = [...service.primary.zonalFleets, ...service.secondary.zonalFleets].map((f) =>
      stack.resolve(f.autoScalingGroup.autoScalingGroupName),
    );
    const stopTargets = Object.values(properties.Targets).filter((t: any) => t.ResourceType === 'aws:ec2:instance');
    expect(stopTargets.map((t: any) => t.ResourceTags['aws:autoscaling:groupName'])).toEqual(groups);
    expect(stopTargets.every((t: any) => t.SelectionMode === 'ALL')).toBe(true);
    const groupTarget: any = Object.values(properties.Targets).find(
      (t: any) => t.ResourceType === 'aws:ec2:autoscaling-group',
    );
    expect(groupTarget.Filters[0].Values).toEqual(groups);
    const noCapacity: any = Object.values(properties.Actions).find(
      (a: any) => a.ActionId === 'aws:ec2:asg-insufficient-instance-capacity-error',
    );
    expect(noCapacity.Parameters.availabilityZoneIdentifiers).toBe(AZS.join(','));
  });

  // https://docs.aws.amazon.com/fis/latest/userguide/stop-conditions.html: the secondary tier's health
  // alarm fires on purpose here; the stop condition is an alarm of this Region that only an operator trips.
  test('stops on its own abort alarm in this Region, not on the secondary tier’s health alarm', () => {
    // THEN
    const { stack, service, template, properties } = regionLost();
    const abort = stack.resolve(service.drills!.regionLostStopAlarm!.alarmArn);
    expect(properties.StopConditions).toEqual([{ Source: 'aws:cloudwatch:alarm', Value: abort }]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'MultiAzFailoverService/Drills',
      MetricName: 'AbortRegionLost',
      Dimensions: [{ Name: 'Stack', Value: { Ref: 'AWS::StackName' } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  test('its abort alarm notifies the alarm topic, so that on-call learns the drill was stopped', () => {
    // THEN
    const { stack, service, template } = regionLost();
    const topic = stack.resolve(service.alarmTopic.topicArn);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AbortRegionLost',
      AlarmActions: [topic],
      OKActions: [topic],
    });
  });

  test('a standby Region (one primary instance per zone) gets the Region drill but no partial-fleet drill', () => {
    // GIVEN / WHEN
    const { service } = synth({ drills: true, regionLostDrill: true, regionMode: RegionMode.WARM_STANDBY });

    // THEN
    expect(service.drillTemplates.map((d) => d.name)).toEqual([
      'PrimaryTierLost',
      'ZoneLostEuWest1a',
      'ZoneLostEuWest1b',
      'ZoneLostEuWest1c',
      'RegionLost',
    ]);
  });

  test('docs/DRILLS.md gives its expectation as the template says it', () => {
    // THEN
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'DRILLS.md'), 'utf-8');
    expect(doc).toContain(regionLost().drill.expectation);
    expect(doc).toContain('`RegionLost`');
  });

  test('is refused without the drills', () => {
    // THEN
    expect(() => build({ regionLostDrill: true })).toThrow(
      '`regionLostDrill` needs `drills: true` (it is one of the drills), got: true with drills false',
    );
  });
});
