import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MultiAzFailoverService, ZonalShiftRunbook } from '../src';
import { AZS, importedZone, logicalIdOf, newStack } from './util';

/** A service over three named zones (not yet synthesized). */
function newService(props: Partial<ConstructorParameters<typeof MultiAzFailoverService>[2]> = {}) {
  const stack = newStack();
  const service = new MultiAzFailoverService(stack, 'Service', {
    hostedZone: importedZone(stack),
    availabilityZones: AZS,
    ...props,
  });
  return { stack, service };
}

function documentOf(stack: Stack, runbook: ZonalShiftRunbook): any {
  const resources = Template.fromStack(stack).toJSON().Resources;
  return resources[stack.getLogicalId(runbook.document)];
}

/**
 * Runs the runbook's control flow the way Automation does (a step goes to `nextStep`, ends with
 * `isEnd`, else goes to the next step in order; `aws:branch` takes the first choice whose
 * `StringEquals` matches, else `Default`), with every step succeeding and `Find*` steps finding a
 * shift away from `zoneId`. Returns the `aws:executeAwsApi` steps run.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-branch.html
 */
function run(content: any, parameters: Record<string, string>, zoneId = 'euw1-az1'): any[] {
  const steps: any[] = content.mainSteps;
  const index = new Map(steps.map((s, i) => [s.name, i]));
  const values: Record<string, string> = { ...parameters, 'ResolveZoneId.ZoneId': zoneId };
  for (const step of steps.filter((s) => s.name.startsWith('Find'))) {
    values[`${step.name}.AwayFrom`] = zoneId;
  }
  const resolve = (v: any) =>
    typeof v === 'string' ? v.replace(/\{\{ *([\w.]+) *\}\}/g, (_, key) => values[key] ?? `<${key}>`) : v;
  const ran: any[] = [];
  let i = 0;
  for (let guard = 0; guard < 200; guard++) {
    const step = steps[i];
    if (step.action === 'aws:branch') {
      const choice = step.inputs.Choices.find((c: any) => resolve(c.Variable) === resolve(c.StringEquals));
      const next = choice?.NextStep ?? step.inputs.Default;
      expect(next).toBeDefined();
      i = index.get(next)!;
      continue;
    }
    if (step.action === 'aws:executeAwsApi') {
      ran.push(step);
    }
    if (step.isEnd) {
      return ran;
    }
    i = step.nextStep ? index.get(step.nextStep)! : i + 1;
    expect(i).toBeLessThan(steps.length);
  }
  throw new Error('the runbook loops');
}

const apiCalls = (steps: any[]) => steps.map((s) => `${s.inputs.Service}:${s.inputs.Api}`);

// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-zonal-shift.html: a group
// registered with zonal shift "treats the Availability Zone with an active zonal shift as impaired"
// when a zonal shift is started for it: a zonal shift of the load balancer does not reach it.
describe('one action moves the whole zone', () => {
  const { stack, service } = newService();
  const runbook = service.zonalShiftRunbook!;
  const content = () => documentOf(stack, runbook).Properties.Content;
  const groupArn = (tier: 'primary' | 'secondary', az: string) => {
    const fleet = service[tier].zonalFleets.find((f) => f.availabilityZone === az)!;
    return { 'Fn::GetAtt': [logicalIdOf(fleet.autoScalingGroup), 'AutoScalingGroupARN'] };
  };
  const lbArn = (tier: 'primary' | 'secondary') => ({ Ref: logicalIdOf(service[tier].loadBalancer) });

  test('the service has a runbook of type Automation, named by CloudFormation', () => {
    // THEN
    const document = documentOf(stack, runbook);
    expect(document.Properties.DocumentType).toBe('Automation');
    expect(document.Properties.Name).toBeUndefined();
    expect(stack.resolve(runbook.documentName)).toEqual({ Ref: stack.getLogicalId(runbook.document) });
  });

  test.each(AZS)("Start in %s shifts both load balancers, then that zone's group of each tier", (az) => {
    // WHEN
    const ran = run(content(), { Action: 'Start', AvailabilityZone: az });

    // THEN: the zone ID comes from ec2:DescribeAvailabilityZones; each resource gets one shift.
    expect(apiCalls(ran)).toEqual([
      'ec2:DescribeAvailabilityZones',
      ...Array(4).fill('arc-zonal-shift:StartZonalShift'),
    ]);
    expect(ran[0].inputs.ZoneNames).toEqual(['{{ AvailabilityZone }}']);
    expect(ran.slice(1).map((s) => s.inputs.resourceIdentifier)).toEqual([
      lbArn('primary'),
      lbArn('secondary'),
      groupArn('primary', az),
      groupArn('secondary', az),
    ]);
    for (const step of ran.slice(1)) {
      expect(step.inputs).toMatchObject({
        awayFrom: '{{ ResolveZoneId.ZoneId }}',
        expiresIn: '{{ ExpiresIn }}',
        comment: '{{ Comment }}',
      });
    }
  });

  // "If you are using zonal shift on both Auto Scaling groups and load balancers, cancel the zonal
  // shift on your Auto Scaling group first" (EC2 Auto Scaling zonal shift page).
  test.each(AZS)("Cancel in %s cancels the zone's groups first, then the load balancers", (az) => {
    // WHEN
    const ran = run(content(), { Action: 'Cancel', AvailabilityZone: az });

    // THEN
    const cancels = ran.filter((s) => s.inputs.Api === 'CancelZonalShift');
    const listedBefore = (cancel: any) => ran[ran.indexOf(cancel) - 1].inputs;
    expect(cancels.map((c) => listedBefore(c).resourceIdentifier)).toEqual([
      groupArn('primary', az),
      groupArn('secondary', az),
      lbArn('primary'),
      lbArn('secondary'),
    ]);
    for (const cancel of cancels) {
      expect(listedBefore(cancel)).toMatchObject({ Api: 'ListZonalShifts', status: 'ACTIVE' });
    }
    expect(apiCalls(ran).filter((c) => c.endsWith('StartZonalShift'))).toEqual([]);
  });

  test('Cancel leaves a load balancer alone whose active shift is away from another zone', () => {
    // WHEN
    const steps = content().mainSteps.filter((s: any) => s.name.startsWith('CheckPrimaryLoadBalancer'));

    // THEN
    expect(steps).toEqual([
      expect.objectContaining({
        action: 'aws:branch',
        inputs: {
          Choices: [
            {
              NextStep: 'CancelPrimaryLoadBalancer',
              Variable: '{{ FindPrimaryLoadBalancer.AwayFrom }}',
              StringEquals: '{{ ResolveZoneId.ZoneId }}',
            },
          ],
          Default: 'FindSecondaryLoadBalancer',
        },
      }),
    ]);
  });

  test('a resource without an active shift does not stop the cancel: its Find step fails over to the next', () => {
    // THEN
    const finds = content().mainSteps.filter((s: any) => s.name.startsWith('Find'));
    expect(finds).toHaveLength(8);
    for (const find of finds) {
      expect(find.isCritical).toBe(false);
      expect(find.onFailure).toMatch(/^step:(Find\w+|Done)$/);
    }
  });

  test("the operator chooses the action and one of the service's zones; expiry and comment have defaults", () => {
    // THEN
    const parameters = content().parameters;
    expect(parameters.Action.allowedValues).toEqual(['Start', 'Cancel']);
    expect(parameters.AvailabilityZone.allowedValues).toEqual(AZS);
    expect(parameters.ExpiresIn.default).toBe('2h');
    expect(parameters.Comment.default).toBeDefined();
  });

  // StartZonalShift `expiresIn`: "a whole number, and then ... m ... h", up to three days.
  // https://docs.aws.amazon.com/arc-zonal-shift/latest/api/API_StartZonalShift.html
  test.each([
    ['30m', true],
    ['2h', true],
    ['72h', true],
    ['4320m', true],
    ['1m', true],
    ['73h', false],
    ['99h', false],
    ['4321m', false],
    ['9999m', false],
    ['0h', false],
    ['2 h', false],
    ['3d', false],
    ['', false],
  ])('ExpiresIn %j accepted: %s', (value, accepted) => {
    // THEN
    expect(new RegExp(content().parameters.ExpiresIn.allowedPattern).test(value)).toBe(accepted);
  });

  test('the runbook runs as its own role, which only Automation in this account can assume', () => {
    // THEN
    const document = documentOf(stack, runbook);
    expect(document.Properties.Content.assumeRole).toEqual({ 'Fn::GetAtt': [logicalIdOf(runbook.role), 'Arn'] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'ssm.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':ssm:eu-west-1:',
                      { Ref: 'AWS::AccountId' },
                      ':automation-execution/*',
                    ],
                  ],
                },
              },
            },
          },
        ],
      },
    });
  });

  // https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_service-with-iam-zonal-shift.html:
  // scope zonal shift permissions to resources with `arc-zonal-shift:ResourceIdentifier`.
  test("the role may start and cancel zonal shifts of the service's two load balancers and six groups only", () => {
    // THEN
    const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy')).filter(
      (p: any) => p.Properties.Roles?.some((r: any) => r.Ref === logicalIdOf(runbook.role)),
    );
    expect(policies).toHaveLength(1);
    const statements = (policies[0] as any).Properties.PolicyDocument.Statement;
    expect(statements).toEqual([
      {
        Sid: 'ShiftThisServicesResourcesOnly',
        Effect: 'Allow',
        Action: 'arc-zonal-shift:StartZonalShift',
        Resource: '*',
        Condition: {
          StringEquals: {
            'arc-zonal-shift:ResourceIdentifier': [
              lbArn('primary'),
              lbArn('secondary'),
              ...AZS.flatMap((az) => [groupArn('primary', az), groupArn('secondary', az)]),
            ],
          },
        },
      },
      {
        Sid: 'CancelTheShiftsTheRunbookFound',
        Effect: 'Allow',
        Action: 'arc-zonal-shift:CancelZonalShift',
        Resource: '*',
      },
      {
        Sid: 'FindZoneIdAndActiveShifts',
        Effect: 'Allow',
        Action: ['arc-zonal-shift:ListZonalShifts', 'ec2:DescribeAvailabilityZones'],
        Resource: '*',
      },
    ]);
  });
});

describe('zones resolved at deploy time', () => {
  // Without `availabilityZones` and without a concrete account, the zones are `Fn::GetAZs` indexes:
  // the runbook's choices and its branches carry the same tokens, and its step names use positions.
  test('the zone parameter and the branches use the same Fn::GetAZs values', () => {
    // GIVEN
    const stack = newStack();
    const service = new MultiAzFailoverService(stack, 'Service', { hostedZone: importedZone(stack) });

    // WHEN
    const content = documentOf(stack, service.zonalShiftRunbook!).Properties.Content;

    // THEN
    const zones = [0, 1, 2].map((i) => ({ 'Fn::Select': [i, { 'Fn::GetAZs': '' }] }));
    expect(content.parameters.AvailabilityZone.allowedValues).toEqual(zones);
    const branch = content.mainSteps.find((s: any) => s.name === 'ChooseZoneToStart');
    expect(branch.inputs.Choices.map((c: any) => [c.StringEquals, c.NextStep])).toEqual(
      zones.map((zone, i) => [zone, `StartPrimaryZone${i + 1}Group`]),
    );
  });
});

describe('configuration', () => {
  test('no runbook with zonalShift: false', () => {
    // WHEN
    const { stack, service } = newService({ zonalShift: false });

    // THEN
    expect(service.zonalShiftRunbook).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::SSM::Document', 1); // the Session document only
  });

  test('the runbook refuses tiers whose groups are not registered with zonal shift', () => {
    // GIVEN
    const { stack, service } = newService({ zonalShift: false });

    // WHEN / THEN
    expect(() => new ZonalShiftRunbook(stack, 'Runbook', { tiers: [service.primary] })).toThrow(
      '`tiers` must all have `zonalShift` on (ARC shifts only the groups registered with it), got: TestStack/Service/Primary with zonalShift false',
    );
  });

  test('defaultExpiry sets the default of ExpiresIn', () => {
    // GIVEN
    const { stack, service } = newService();

    // WHEN
    const runbook = new ZonalShiftRunbook(stack, 'Runbook', {
      tiers: [service.primary],
      defaultExpiry: Duration.minutes(90),
    });

    // THEN
    expect(documentOf(stack, runbook).Properties.Content.parameters.ExpiresIn.default).toBe('90m');
  });

  // A zonal shift starts with an expiry of at most three days (72 hours).
  test.each([Duration.seconds(30), Duration.minutes(4321), Duration.hours(73)])(
    'defaultExpiry %s is refused',
    (expiry) => {
      // GIVEN
      const { stack, service } = newService();

      // WHEN / THEN
      expect(
        () => new ZonalShiftRunbook(stack, 'Runbook', { tiers: [service.primary], defaultExpiry: expiry }),
      ).toThrow(
        `\`defaultExpiry\` must be a whole number of minutes from 1 to 4320 minutes, got: ${expiry.toHumanString()}`,
      );
    },
  );
});
