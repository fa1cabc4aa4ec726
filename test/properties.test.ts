import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as fc from 'fast-check';
import { MultiAzFailoverService } from '../src';
import { zoneConstructId } from '../src/private/zones';

/*
 * Property: for any combination of props, `MultiAzFailoverService` either synthesizes a template
 * whose counts and derived values follow from the props, or throws a plain `Error` whose message
 * names (in backticks) a prop that is invalid. Which props are invalid is decided here, from the
 * documented rules, independently of src/private/validate.ts.
 *
 * Reproduce a run with `FC_SEED=<seed> npx jest test/properties.test.ts`.
 */

// aws-cdk-lib's built-in CloudFormation template validation, which `test/lib/jest-setup.ts` turns off
// for the other test files, runs here over every generated case, with its findings as errors (see
// `newApp`).
process.env.CDK_VALIDATION = 'true';

const DEFAULT_SEED = 20261126;
const SEED = process.env.FC_SEED === undefined ? DEFAULT_SEED : Number(process.env.FC_SEED);
const NUM_RUNS = 600;
if (!Number.isSafeInteger(SEED)) {
  throw new Error(`FC_SEED must be an integer, got: ${process.env.FC_SEED}`);
}

const REGION = 'eu-west-1';
const ZONES = ['a', 'b', 'c', 'd', 'e', 'f'].map((letter) => `${REGION}${letter}`);
const EXTRA_VPC_ZONE = `${REGION}g`;
const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666';

// ---------------------------------------------------------------------------------------------
// The generated case: plain data, so that fast-check prints it and shrinks it, and a shrunk
// counterexample can be pasted into a unit test as it is.
// ---------------------------------------------------------------------------------------------

type TimeUnit = 'millis' | 'seconds' | 'minutes' | 'hours' | 'days';

/** A `Duration` as data: `Duration[unit](amount)`. */
interface DurationSpec {
  readonly amount: number;
  readonly unit: TimeUnit;
}

interface Case {
  /** `availabilityZones`; absent for the default. */
  readonly availabilityZones?: string[];
  /** The zones of a VPC imported with `Vpc.fromVpcAttributes` and passed as `vpc`; absent for the construct's VPC. */
  readonly vpcZones?: string[];
  readonly instancesPerAz?: number;
  readonly secondaryInstancesPerAz?: number;
  readonly unhealthyHostThresholdPercent?: number;
  readonly deregistrationDelay?: DurationSpec;
  readonly healthCheckGracePeriod?: DurationSpec;
  readonly latencyThreshold?: DurationSpec;
  readonly accessLogRetention?: DurationSpec;
  readonly notificationEmails?: string[];
  /** Pass a `kms.Key` defined in the stack as `encryptionKey`. */
  readonly encryptionKey?: boolean;
  /** Pass an `sns.Topic` defined in the stack as `alarmTopic`. */
  readonly alarmTopic?: boolean;
  /** Pass an `s3.Bucket` defined in the stack as `accessLogsBucket`. */
  readonly accessLogsBucket?: boolean;
  /** Pass `acm.Certificate.fromCertificateArn(CERTIFICATE_ARN)` as `certificate`. */
  readonly certificate?: boolean;
}

const UNIT_MS: Record<TimeUnit, number> = {
  millis: 1,
  seconds: 1_000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};

function toDuration(spec: DurationSpec | undefined): Duration | undefined {
  return spec === undefined ? undefined : Duration[spec.unit](spec.amount);
}

function msOf(spec: DurationSpec): number {
  return spec.amount * UNIT_MS[spec.unit];
}

// ---------------------------------------------------------------------------------------------
// The rules, as documented on MultiAzFailoverServiceProps.
// ---------------------------------------------------------------------------------------------

const ZONE_NAME = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isCount(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 100;
}

function isZoneList(zones: string[]): boolean {
  return (
    zones.length >= 2 &&
    zones.length <= 6 &&
    zones.every((z) => ZONE_NAME.test(z)) &&
    new Set(zones).size === zones.length
  );
}

/** The props a case gets wrong; the construct must reject the case naming at least one of them. */
function invalidProps(c: Case): string[] {
  const invalid = new Set<string>();
  if (c.availabilityZones !== undefined && !isZoneList(c.availabilityZones)) {
    invalid.add('availabilityZones');
  }
  if (c.vpcZones !== undefined) {
    if (c.availabilityZones === undefined && c.vpcZones.length < 2) {
      invalid.add('vpc');
    }
    if (c.availabilityZones !== undefined && !c.availabilityZones.every((z) => c.vpcZones!.includes(z))) {
      invalid.add('availabilityZones').add('vpc');
    }
  }
  for (const prop of ['instancesPerAz', 'secondaryInstancesPerAz'] as const) {
    if (c[prop] !== undefined && !isCount(c[prop])) {
      invalid.add(prop);
    }
  }
  const percent = c.unhealthyHostThresholdPercent;
  if (percent !== undefined && !(Number.isFinite(percent) && percent > 0 && percent <= 100)) {
    invalid.add('unhealthyHostThresholdPercent');
  }
  if (c.deregistrationDelay !== undefined) {
    const ms = msOf(c.deregistrationDelay);
    if (!(Number.isInteger(ms / 1000) && ms >= 0 && ms <= 3_600_000)) {
      invalid.add('deregistrationDelay');
    }
  }
  // Whole seconds, shorter than the signal timeout (15 minutes by default).
  if (c.healthCheckGracePeriod !== undefined) {
    const ms = msOf(c.healthCheckGracePeriod);
    if (!(Number.isInteger(ms / 1000) && ms >= 0 && ms < 900_000)) {
      invalid.add('healthCheckGracePeriod');
    }
  }
  if (c.latencyThreshold !== undefined) {
    const ms = msOf(c.latencyThreshold);
    if (!(Number.isInteger(ms) && ms > 0 && ms <= 3_600_000)) {
      invalid.add('latencyThreshold');
    }
  }
  if (c.accessLogRetention !== undefined) {
    const days = msOf(c.accessLogRetention) / UNIT_MS.days;
    if (!(Number.isInteger(days) && days >= 1 && days <= 3650)) {
      invalid.add('accessLogRetention');
    }
    if (c.accessLogsBucket) {
      invalid.add('accessLogRetention').add('accessLogsBucket');
    }
  }
  const emails = c.notificationEmails ?? [];
  if (!emails.every((e) => EMAIL.test(e)) || new Set(emails).size !== emails.length) {
    invalid.add('notificationEmails');
  }
  return [...invalid];
}

// ---------------------------------------------------------------------------------------------
// Arbitraries. Each prop is absent, valid, or (rarely) invalid, so that about half of the cases
// synthesize. Valid zone lists favour 2 zones: the cheapest synthesis that is still a real one.
// ---------------------------------------------------------------------------------------------

function field<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>, weights = { absent: 30, invalid: 6 }) {
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.constant(undefined), weight: weights.absent },
    { arbitrary: valid, weight: 100 - weights.absent - weights.invalid },
    { arbitrary: invalid, weight: weights.invalid },
  );
}

/** `ms` in `unit` when that is exact in binary floating point (quarter units), else in millis. */
function inUnit(ms: number, unit: TimeUnit): DurationSpec {
  const amount = ms / UNIT_MS[unit];
  return Number.isInteger(amount * 4) ? { amount, unit } : { amount: ms, unit: 'millis' };
}

function durationOf(msArb: fc.Arbitrary<number>, units: TimeUnit[]): fc.Arbitrary<DurationSpec> {
  return fc.tuple(msArb, fc.constantFrom(...units)).map(([ms, unit]) => inUnit(ms, unit));
}

const d = (amount: number, unit: TimeUnit): DurationSpec => ({ amount, unit });

const countArb = field(
  fc.integer({ min: 1, max: 100 }),
  fc.oneof(
    fc.constantFrom(0, -1, 101, 0.5, 1.5, 99.9, NaN, Infinity, -Infinity),
    fc.integer({ min: -1000, max: 0 }),
    fc.integer({ min: 101, max: 1_000_000 }),
    fc.double({ min: 0, max: 200, noInteger: true, noNaN: true }),
  ),
);

const percentArb = field(
  fc.oneof(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 100, minExcluded: true, noNaN: true })),
  fc.oneof(
    fc.constantFrom(0, -0, -1, 100.000001, 101, NaN, Infinity, -Infinity),
    fc.double({ min: -1e6, max: 0, noNaN: true }),
    fc.double({ min: 100, max: 1e6, minExcluded: true, noNaN: true }),
  ),
);

const deregistrationDelayArb = field(
  durationOf(
    fc.integer({ min: 0, max: 3600 }).map((s) => s * 1000),
    ['seconds', 'millis', 'minutes', 'hours'],
  ),
  fc.oneof(
    durationOf(
      fc.integer({ min: 3601, max: 1_000_000 }).map((s) => s * 1000),
      ['seconds', 'minutes', 'hours'],
    ),
    fc
      .integer({ min: 1, max: 3_600_000 })
      .filter((ms) => ms % 1000 !== 0)
      .map((ms) => d(ms, 'millis')),
    fc.constantFrom(d(0.5, 'seconds'), d(1.5, 'hours'), d(NaN, 'seconds'), d(Infinity, 'seconds')),
  ),
);

const healthCheckGracePeriodArb = field(
  durationOf(
    fc.integer({ min: 0, max: 899 }).map((s) => s * 1000),
    ['seconds', 'millis', 'minutes'],
  ),
  fc.oneof(
    durationOf(
      fc.integer({ min: 900, max: 100_000 }).map((s) => s * 1000),
      ['seconds', 'minutes', 'hours'],
    ),
    fc
      .integer({ min: 1, max: 899_999 })
      .filter((ms) => ms % 1000 !== 0)
      .map((ms) => d(ms, 'millis')),
    fc.constantFrom(d(15, 'minutes'), d(0.5, 'seconds'), d(NaN, 'seconds'), d(Infinity, 'seconds')),
  ),
);

const latencyThresholdArb = field(
  durationOf(fc.integer({ min: 1, max: 3_600_000 }), ['millis', 'seconds', 'minutes', 'hours']),
  fc.oneof(
    fc.constantFrom(d(0, 'seconds'), d(0, 'millis'), d(0.5, 'millis'), d(2, 'hours'), d(NaN, 'seconds')),
    fc.integer({ min: 3_600_001, max: 1e9 }).map((ms) => d(ms, 'millis')),
    fc.double({ min: 0, max: 3_600_000, noInteger: true, noNaN: true }).map((ms) => d(ms, 'millis')),
  ),
);

const accessLogRetentionArb = field(
  durationOf(
    fc.integer({ min: 1, max: 3650 }).map((days) => days * UNIT_MS.days),
    ['days', 'hours'],
  ),
  fc.oneof(
    fc.constantFrom(d(0, 'days'), d(1.5, 'days'), d(NaN, 'days')),
    fc.integer({ min: 3651, max: 100_000 }).map((days) => d(days, 'days')),
    fc
      .integer({ min: 1, max: 87_600 })
      .filter((h) => h % 24 !== 0)
      .map((h) => d(h, 'hours')),
  ),
);

const GOOD_EMAILS = ['ops@example.com', 'oncall@payments.example.com', 'sre+alerts@example.org'];
const BAD_EMAILS = ['ops', 'ops@localhost', 'ops @example.com', '@example.com', '', 'ops@example.com '];
const emailsArb = fc.option(
  fc.array(
    fc.oneof(
      { arbitrary: fc.constantFrom(...GOOD_EMAILS), weight: 12 },
      { arbitrary: fc.emailAddress(), weight: 6 },
      { arbitrary: fc.constantFrom(...BAD_EMAILS), weight: 1 },
    ),
    { maxLength: 3 },
  ),
  { nil: undefined, freq: 2 },
);

const MALFORMED_ZONES = ['eu-west-1', 'EU-WEST-1A', 'euw1-az1', 'eu-west-1ab', ' eu-west-1a', 'eu-west-a', ''];
const validZonesArb: fc.Arbitrary<string[]> = fc.oneof(
  { arbitrary: fc.shuffledSubarray(ZONES, { minLength: 2, maxLength: 2 }), weight: 3 },
  { arbitrary: fc.shuffledSubarray(ZONES, { minLength: 2, maxLength: 6 }), weight: 2 },
);
const invalidZonesArb: fc.Arbitrary<string[]> = fc.oneof(
  fc.constant<string[]>([]),
  fc.shuffledSubarray(ZONES, { minLength: 1, maxLength: 1 }),
  fc.constant<string[]>([...ZONES, EXTRA_VPC_ZONE]),
  fc.tuple(validZonesArb, fc.nat()).map(([zones, i]) => [...zones, zones[i % zones.length]]),
  fc
    .tuple(validZonesArb, fc.constantFrom(...MALFORMED_ZONES), fc.nat())
    .map(([zones, bad, i]) => zones.map((z, j) => (j === i % zones.length ? bad : z))),
);

/** Zones of an imported VPC: none (the construct's VPC), enough for `availabilityZones`, or any. */
function vpcZonesFor(availabilityZones: string[] | undefined): fc.Arbitrary<string[] | undefined> {
  const all = [...ZONES, EXTRA_VPC_ZONE];
  const others = all.filter((z) => !availabilityZones?.includes(z));
  const covering =
    availabilityZones !== undefined && isZoneList(availabilityZones)
      ? fc
          .shuffledSubarray(others, { maxLength: Math.min(2, others.length) })
          .map((extra) => [...availabilityZones, ...extra])
      : fc.shuffledSubarray(all, { minLength: 2 });
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 50 },
    { arbitrary: covering, weight: 45 },
    { arbitrary: fc.shuffledSubarray(all, { minLength: 1, maxLength: 7 }), weight: 5 },
  );
}

const placementArb = field(validZonesArb, invalidZonesArb, { absent: 35, invalid: 8 }).chain((availabilityZones) =>
  vpcZonesFor(availabilityZones).map((vpcZones) => ({ availabilityZones, vpcZones })),
);

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    placement: placementArb,
    instancesPerAz: countArb,
    secondaryInstancesPerAz: countArb,
    unhealthyHostThresholdPercent: percentArb,
    deregistrationDelay: deregistrationDelayArb,
    healthCheckGracePeriod: healthCheckGracePeriodArb,
    latencyThreshold: latencyThresholdArb,
    accessLogRetention: accessLogRetentionArb,
    notificationEmails: emailsArb,
    encryptionKey: fc.boolean(),
    alarmTopic: fc.boolean(),
    accessLogsBucket: fc.oneof(
      { arbitrary: fc.constant(false), weight: 3 },
      { arbitrary: fc.constant(true), weight: 1 },
    ),
    certificate: fc.boolean(),
  })
  .map(({ placement, ...rest }) => withoutUndefined({ ...placement, ...rest }));

/** Drops absent props and `false` flags, so that printed counterexamples only show what is set. */
function withoutUndefined(c: Record<string, unknown>): Case {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined && v !== false)) as Case;
}

// ---------------------------------------------------------------------------------------------
// Building and checking one case.
// ---------------------------------------------------------------------------------------------

let outdir: string;
beforeAll(() => {
  // One output directory for all apps: each synthesis overwrites the previous one.
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'properties-'));
});
afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

/** The hex digit of a zone in subnet ids: `eu-west-1a` gives 1, `eu-west-1g` gives 7. */
function zoneDigit(az: string): number {
  return az.charCodeAt(az.length - 1) - 'a'.charCodeAt(0) + 1;
}

function publicSubnetId(az: string): string {
  return `subnet-0000000000000${zoneDigit(az)}001`;
}

function privateSubnetId(az: string): string {
  return `subnet-0000000000000${zoneDigit(az)}002`;
}

interface Synthesized {
  readonly template: Template;
  /** Error-level annotations of the stack. */
  readonly errors: string[];
  /** What the passed-in resources resolve to, to compare with references in the template. */
  readonly refs: { key?: unknown; topic?: unknown; bucket?: unknown };
}

/** An app whose synthesis fails on any finding of aws-cdk-lib's built-in template validation. */
function newApp(): App {
  return new App({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
}

/** Builds the stack of a case and synthesizes it once. Throws what the construct or synthesis throws. */
function synthesize(c: Case): Synthesized {
  const app = newApp();
  const stack = new Stack(app, 'S', { env: { region: REGION } });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: 'Z0123456789EXAMPLEABC',
    zoneName: 'payments.example.com',
  });
  const vpc =
    c.vpcZones === undefined
      ? undefined
      : ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
          vpcId: 'vpc-0123456789abcdef0',
          availabilityZones: c.vpcZones,
          publicSubnetIds: c.vpcZones.map(publicSubnetId),
          privateSubnetIds: c.vpcZones.map(privateSubnetId),
        });
  const encryptionKey = c.encryptionKey ? new kms.Key(stack, 'Key') : undefined;
  const alarmTopic = c.alarmTopic ? new sns.Topic(stack, 'Topic') : undefined;
  const accessLogsBucket = c.accessLogsBucket ? new s3.Bucket(stack, 'Bucket') : undefined;
  const certificate = c.certificate
    ? acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN)
    : undefined;

  new MultiAzFailoverService(stack, 'Svc', {
    hostedZone,
    vpc,
    availabilityZones: c.availabilityZones,
    instancesPerAz: c.instancesPerAz,
    secondaryInstancesPerAz: c.secondaryInstancesPerAz,
    unhealthyHostThresholdPercent: c.unhealthyHostThresholdPercent,
    deregistrationDelay: toDuration(c.deregistrationDelay),
    healthCheckGracePeriod: toDuration(c.healthCheckGracePeriod),
    latencyThreshold: toDuration(c.latencyThreshold),
    accessLogRetention: toDuration(c.accessLogRetention),
    notificationEmails: c.notificationEmails,
    encryptionKey,
    alarmTopic,
    accessLogsBucket,
    certificate,
  });

  const artifact = app.synth().getStackArtifact(stack.artifactId);
  return {
    template: Template.fromJSON(artifact.template),
    errors: artifact.messages.filter((m) => m.level === 'error').map((m) => `${m.id}: ${String(m.entry.data)}`),
    refs: {
      key: encryptionKey && stack.resolve(encryptionKey.keyArn),
      topic: alarmTopic && stack.resolve(alarmTopic.topicArn),
      bucket: accessLogsBucket && stack.resolve(accessLogsBucket.bucketName),
    },
  };
}

type Resource = { readonly Properties: Record<string, any> };

/** The resources of a type whose logical id starts with `prefix` (construct paths become logical ids). */
function resources(template: Template, type: string, prefix = ''): Resource[] {
  return Object.entries(template.findResources(type))
    .filter(([id]) => id.startsWith(prefix))
    .map(([, r]) => r as Resource);
}

function one<T>(items: T[], what: string): T {
  if (items.length !== 1) {
    throw new Error(`expected exactly one ${what}, found ${items.length}`);
  }
  return items[0];
}

/** Checks everything the props determine in the template of a valid case. */
function checkTemplate(c: Case, { template, errors, refs }: Synthesized): void {
  expect(errors).toEqual([]);

  // Zones: the prop, else the VPC's first three, else three zones resolved at deploy time.
  const zones = c.availabilityZones ?? c.vpcZones?.slice(0, 3);
  const zoneCount = zones?.length ?? 3;
  const primaryPerAz = c.instancesPerAz ?? 2;
  const tiers = [
    { name: 'Primary', perAz: primaryPerAz },
    { name: 'Secondary', perAz: c.secondaryInstancesPerAz ?? primaryPerAz },
  ];
  const percent = c.unhealthyHostThresholdPercent ?? 50;
  const delaySeconds = c.deregistrationDelay ? msOf(c.deregistrationDelay) / 1000 : 20;
  const graceSeconds = c.healthCheckGracePeriod ? msOf(c.healthCheckGracePeriod) / 1000 : 300;
  const latencySeconds = c.latencyThreshold ? msOf(c.latencyThreshold) / 1000 : 1;
  const retentionDays = c.accessLogRetention ? msOf(c.accessLogRetention) / UNIT_MS.days : 365;
  const emails = c.notificationEmails ?? [];

  template.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 2 * zoneCount);
  for (const { name, perAz } of tiers) {
    const prefix = `Svc${name}`;
    const groups = resources(template, 'AWS::AutoScaling::AutoScalingGroup', prefix);
    expect(groups).toHaveLength(zoneCount);
    const subnets = new Set<string>();
    for (let i = 0; i < zoneCount; i++) {
      // Keyed by the zone's name (eu-west-1c: ZoneEuWest1c); zones resolved at deploy time by position.
      const zoneKey = zoneConstructId(zones?.[i] ?? Fn.select(i, Fn.getAzs()), i);
      const group = one(
        resources(template, 'AWS::AutoScaling::AutoScalingGroup', `${prefix}${zoneKey}AutoScalingGroup`),
        `${name} Auto Scaling group of zone ${zoneKey}`,
      ).Properties;
      expect([group.MinSize, group.MaxSize, group.DesiredCapacity]).toEqual([`${perAz}`, `${perAz}`, `${perAz}`]);
      expect(group.HealthCheckGracePeriod).toBe(graceSeconds);
      expect(group.VPCZoneIdentifier).toHaveLength(1);
      if (c.vpcZones) {
        expect(group.VPCZoneIdentifier).toEqual([privateSubnetId(zones![i])]);
      }
      subnets.add(JSON.stringify(group.VPCZoneIdentifier));
      if (refs.topic) {
        expect(group.NotificationConfigurations).toEqual([expect.objectContaining({ TopicARN: refs.topic })]);
      }
    }
    expect(subnets.size).toBe(zoneCount);
    expect(groups.reduce((sum, g) => sum + Number(g.Properties.DesiredCapacity), 0)).toBe(zoneCount * perAz);

    const loadBalancer = one(
      resources(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer', prefix),
      `${name} load balancer`,
    ).Properties;
    expect(loadBalancer.Subnets).toHaveLength(zoneCount);
    if (c.vpcZones) {
      expect([...loadBalancer.Subnets].sort()).toEqual(zones!.map(publicSubnetId).sort());
    }
    if (refs.bucket) {
      expect(loadBalancer.LoadBalancerAttributes).toContainEqual({ Key: 'access_logs.s3.bucket', Value: refs.bucket });
    }

    const targetGroup = one(
      resources(template, 'AWS::ElasticLoadBalancingV2::TargetGroup', prefix),
      `${name} target group`,
    ).Properties;
    expect(targetGroup.TargetGroupAttributes).toContainEqual({
      Key: 'deregistration_delay.timeout_seconds',
      Value: `${delaySeconds}`,
    });

    const https = one(
      resources(template, 'AWS::ElasticLoadBalancingV2::Listener', prefix).filter(
        (l) => l.Properties.Protocol === 'HTTPS',
      ),
      `${name} HTTPS listener`,
    ).Properties;
    if (c.certificate) {
      expect(https.Certificates).toEqual([{ CertificateArn: CERTIFICATE_ARN }]);
    }

    const alarms = resources(template, 'AWS::CloudWatch::Alarm', prefix);
    // A share of the targets (metric math), against the percent itself.
    const unhealthy = one(
      alarms.filter((a) => (a.Properties.Metrics ?? []).some((m: any) => m.Id === 'unhealthy')),
      `${name} unhealthy-host alarm`,
    ).Properties;
    expect(unhealthy.Threshold).toBeCloseTo(percent, 9);
    const latency = one(
      alarms.filter((a) => a.Properties.MetricName === 'TargetResponseTime' && a.Properties.Statistic === 'Average'),
      `${name} latency alarm`,
    ).Properties;
    expect(latency.Threshold).toBeCloseTo(latencySeconds, 9);
    if (refs.topic) {
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual([refs.topic]);
      }
    }

    if (refs.key) {
      // one launch template per zone
      const launchTemplates = resources(template, 'AWS::EC2::LaunchTemplate', prefix);
      expect(launchTemplates).toHaveLength(zoneCount);
      for (const launchTemplate of launchTemplates) {
        expect(launchTemplate.Properties.LaunchTemplateData.BlockDeviceMappings[0].Ebs.KmsKeyId).toEqual(refs.key);
      }
    }
  }

  // Shared resources: created unless passed in.
  // The data key (volumes, topic) and the logs key.
  template.resourceCountIs('AWS::KMS::Key', 2);
  template.resourceCountIs('AWS::SNS::Topic', 1);
  template.resourceCountIs('AWS::CertificateManager::Certificate', c.certificate ? 0 : 1);
  template.resourceCountIs('AWS::EC2::VPC', c.vpcZones ? 0 : 1);
  template.resourceCountIs('AWS::EC2::Subnet', c.vpcZones ? 0 : 2 * zoneCount);
  // EgressMode.ENDPOINTS_ONLY (the default): VPC endpoints in a new VPC, no NAT gateway anywhere
  template.resourceCountIs('AWS::EC2::NatGateway', 0);
  template.resourceCountIs('AWS::EC2::VPCEndpoint', c.vpcZones ? 0 : 7);
  const buckets = resources(template, 'AWS::S3::Bucket');
  if (c.accessLogsBucket) {
    expect(buckets).toHaveLength(1);
  } else {
    expect(buckets).toHaveLength(2);
    for (const bucket of buckets) {
      // Kept the retention in total: the noncurrent version a day after the current one expired.
      expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
        expect.objectContaining({
          ExpirationInDays: retentionDays,
          NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        }),
        expect.objectContaining({ ExpiredObjectDeleteMarker: true }),
      ]);
    }
  }
  const subscriptions = resources(template, 'AWS::SNS::Subscription');
  expect(subscriptions.map((s) => s.Properties.Endpoint).sort()).toEqual([...emails].sort());
  for (const subscription of subscriptions) {
    expect(subscription.Properties.Protocol).toBe('email');
  }
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.constructor.name}: ${err.message}` : `non-error ${String(err)}`;
}

/** Checks that a rejection is a plain `Error` that names one of `props` in backticks. */
function checkRejection(err: unknown, props: string[]): void {
  if (!(err instanceof Error) || err.constructor !== Error) {
    throw new Error(`expected a plain Error naming one of ${props.join(', ')}, got ${describeError(err)}`);
  }
  if (!props.some((p) => err.message.includes(`\`${p}\``))) {
    throw new Error(`expected the message to name one of ${props.join(', ')}, got: ${err.message}`);
  }
}

type Outcome = 'synthesized' | 'rejected';

/** Runs one case: a valid case must synthesize what its props say, an invalid one must be rejected. */
function check(c: Case): Outcome {
  const invalid = invalidProps(c);
  let synthesized: Synthesized;
  try {
    synthesized = synthesize(c);
  } catch (err) {
    if (invalid.length === 0) {
      throw new Error(`expected a template, got ${describeError(err)}`);
    }
    checkRejection(err, invalid);
    return 'rejected';
  }
  if (invalid.length > 0) {
    throw new Error(`expected an Error naming one of ${invalid.join(', ')}, got a template`);
  }
  checkTemplate(c, synthesized);
  return 'synthesized';
}

// ---------------------------------------------------------------------------------------------
// The property.
// ---------------------------------------------------------------------------------------------

test('every combination of props synthesizes what the props say or is rejected naming an invalid prop', () => {
  const outcomes: Record<Outcome, number> = { synthesized: 0, rejected: 0 };
  try {
    fc.assert(
      fc.property(caseArb, (c) => {
        outcomes[check(c)]++;
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  } catch (err) {
    process.stdout.write(`fast-check: FAILED, seed ${SEED} (reproduce with FC_SEED=${SEED})\n`);
    throw err;
  }
  process.stdout.write(
    `fast-check: ${NUM_RUNS} cases (${outcomes.synthesized} synthesized, ${outcomes.rejected} rejected), seed ${SEED}\n`,
  );
  // Both kinds of case are well represented, or the property proves little.
  expect(outcomes.synthesized).toBeGreaterThan(NUM_RUNS * 0.35);
  expect(outcomes.rejected).toBeGreaterThan(NUM_RUNS * 0.2);
}, 300_000);

test("the cases' synthesis fails on a template that CloudFormation's resource schemas reject", () => {
  // GIVEN: a property that the AWS::SNS::Topic schema does not have
  const app = newApp();
  const stack = new Stack(app, 'S', { env: { region: REGION } });
  new CfnResource(stack, 'Bad', { type: 'AWS::SNS::Topic', properties: { NotAProperty: 'x' } });

  // THEN: the validation runs in this file (not turned off) and its finding is an error
  expect(() => app.synth()).toThrow(/NotAProperty/);
});

// ---------------------------------------------------------------------------------------------
// Shrunk counterexamples of the property, kept as plain tests.
// ---------------------------------------------------------------------------------------------

describe('cases found by fast-check', () => {
  test('a notificationEmails address listed twice is rejected with a plain Error naming `notificationEmails`', () => {
    // GIVEN (seed 20261126, shrunk): before the fix, aws-cdk-lib threw its ValidationError
    // 'A subscription with id "ops@example.com" already exists under the scope S/Svc/Shared/AlarmTopic'
    const c: Case = { notificationEmails: ['ops@example.com', 'ops@example.com'] };

    // WHEN
    let error: unknown;
    try {
      synthesize(c);
    } catch (err) {
      error = err;
    }

    // THEN
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).constructor).toBe(Error);
    expect((error as Error).message).toBe(
      '`notificationEmails` must not repeat an address, got "ops@example.com" twice in ["ops@example.com","ops@example.com"]',
    );
  });
});
