/**
 * The docs stay true (issue 22): every relative link resolves, every number the docs take from a
 * template is the template's, the configuration page lists every prop of the compiled API, and the
 * programs the docs say a test synthesizes do synthesize.
 *
 * A template-derived number is written `<!-- fact:KEY -->8<!-- /fact -->` (the comment does not
 * render); FACTS below says how each KEY is computed. To change such a number, change the code: this
 * test then names every page that still says the old one.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ts from 'typescript';
import * as library from '../src';
import { MultiAzFailoverService } from '../src';
import { brokenReason, codeBlocks, docFiles, Fact, facts, links, numberIn, read, ROOT } from './lib/markdown';
import { acceleratorFrontBudget, dnsFrontBudget } from '../src/failover-budget';
import { INTERFACE_ENDPOINTS } from '../src/shared/endpoints';

type Resources = Record<string, { Type: string; Properties?: any; DeletionPolicy?: string }>;

/** The README's first app: the configuration the docs describe unless they say otherwise. */
function defaultService(): { service: MultiAzFailoverService; resources: Resources } {
  const stack = new Stack(new App(), 'PaymentApi', { env: { region: 'eu-west-1' } });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: 'Z0123456789EXAMPLEABC',
    zoneName: 'payments.example.com',
  });
  const service = new MultiAzFailoverService(stack, 'Service', {
    hostedZone,
    availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  });
  return { service, resources: Template.fromStack(stack).toJSON().Resources };
}

/** The committed snapshot of the integration test's stack (what a maintainer deploys). */
function integResources(): Resources {
  const file = path.join(ROOT, 'test', 'integ.failover.ts.snapshot', 'FailoverIntegStack.template.json');
  return JSON.parse(fs.readFileSync(file, 'utf-8')).Resources;
}

const ofType = (r: Resources, type: string) => Object.values(r).filter((x) => x.Type === type);
const interfaceEndpoints = (r: Resources) =>
  ofType(r, 'AWS::EC2::VPCEndpoint').filter((e) => e.Properties.VpcEndpointType === 'Interface');
/** `com.amazonaws.eu-west-1.ssm` is `ssm`. */
const endpointService = (e: { Properties?: any }) => String(e.Properties.ServiceName).split('.').slice(3).join('.');
const retained = (r: Resources, type: string) =>
  ofType(r, type).filter((x) => x.DeletionPolicy === 'Retain' || x.DeletionPolicy === 'RetainExceptOnCreate').length;

interface Sources {
  readonly service: MultiAzFailoverService;
  readonly resources: Resources;
  readonly integ: Resources;
}

/**
 * How each fact is checked: `expected` is what the code says; the doc's value is `read` from its text.
 * A number by default; a list where the doc lists names.
 */
const FACTS: Record<string, { expected: (s: Sources) => unknown; read?: (value: string) => unknown }> = {
  'interface-endpoints': { expected: (s) => interfaceEndpoints(s.resources).length },
  // The one list of endpoints (docs/NETWORK.md): its `Service` column, and its `Construct` column
  // against the construct ids of INTERFACE_ENDPOINTS.
  'interface-endpoint-list': {
    expected: (s) => ({
      services: interfaceEndpoints(s.resources).map(endpointService).sort(),
      constructs: INTERFACE_ENDPOINTS.map(([id]) => `Vpc/${id}`).sort(),
    }),
    read: (value) => {
      const rows = value
        .split('\n')
        .filter((l) => l.startsWith('| `'))
        .map((l) => l.split('|').map((c) => c.trim()));
      return {
        services: rows.map((c) => c[1].replace(/`/g, '')).sort(),
        constructs: rows.map((c) => c[2].replace(/`/g, '')).sort(),
      };
    },
  },
  // Standard-resolution alarms on one metric, outside us-east-1 (docs/COSTS.md prices us-east-1).
  'standard-alarms': {
    expected: (s) =>
      ofType(s.resources, 'AWS::CloudWatch::Alarm').filter((a) => a.Properties.Metrics === undefined).length,
  },
  'failover-budget': { expected: (s) => s.service.failoverBudget.worstCaseSeconds },
  // GlobalFailover's budget at the defaults, by the functions GlobalFailover itself calls on the
  // primary Region's budget (docs/MULTI-REGION.md, "Failover budget").
  'global-failover-budget:dns': { expected: (s) => dnsFrontBudget(s.service.failoverBudget).worstCaseSeconds },
  'global-failover-budget:accelerator': {
    expected: (s) => acceleratorFrontBudget(s.service.failoverBudget).worstCaseSeconds,
  },
  // The integration test's stack (README of CONTRIBUTING.md, "Integration test").
  'integ:instances': {
    expected: (s) =>
      ofType(s.integ, 'AWS::AutoScaling::AutoScalingGroup').reduce((n, g) => n + Number(g.Properties.MinSize), 0),
  },
  'integ:albs': { expected: (s) => ofType(s.integ, 'AWS::ElasticLoadBalancingV2::LoadBalancer').length },
  'integ:interface-endpoint-enis': {
    expected: (s) => interfaceEndpoints(s.integ).reduce((n, e) => n + e.Properties.SubnetIds.length, 0),
  },
  'integ:nat-gateways': { expected: (s) => ofType(s.integ, 'AWS::EC2::NatGateway').length },
  'integ:retained-kms-keys': { expected: (s) => retained(s.integ, 'AWS::KMS::Key') },
  'integ:retained-buckets': { expected: (s) => retained(s.integ, 'AWS::S3::Bucket') },
  'integ:retained-log-groups': { expected: (s) => retained(s.integ, 'AWS::Logs::LogGroup') },
};

/** The README's cost summary (`cost:a` ...) repeats the total of docs/COSTS.md's first table. */
function costTotal(id: string): string {
  const row = read('docs/COSTS.md')
    .split('\n')
    .find((l) => l.startsWith(`| (${id}) `));
  if (row === undefined) {
    throw new Error(`docs/COSTS.md has no summary row (${id})`);
  }
  const cells = row.split('|').map((c) => c.trim());
  // `**≈ $690**, plus ...` is `≈ $690`.
  return cells[cells.length - 2].replace(/\*\*/g, '').split(',')[0].trim();
}

/** The budget of the fast profile of docs/FAILOVER.md ("Shorter failover"), built once. */
let fastBudget: library.FailoverBudget | undefined;
function fastProfileBudget(): library.FailoverBudget {
  if (fastBudget === undefined) {
    const stack = new Stack(new App(), 'Fast', { env: { region: 'eu-west-1' } });
    fastBudget = new MultiAzFailoverService(stack, 'Service', {
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
        hostedZoneId: 'Z0123456789EXAMPLEABC',
        zoneName: 'payments.example.com',
      }),
      availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      healthCheckFailureThreshold: 2,
      failoverRecordTtl: Duration.seconds(10),
    }).failoverBudget;
  }
  return fastBudget;
}

function checkFact(fact: Fact, sources: Sources): { doc: unknown; code: unknown } {
  if (fact.key.startsWith('cost:')) {
    return { doc: fact.value, code: costTotal(fact.key.slice('cost:'.length)) };
  }
  // `failover-budget:capacityAlarm.worstCaseSeconds`: a field of `service.failoverBudget` at the
  // defaults; `failover-budget-fast:...` the same in the fast profile.
  const budgetField = /^(failover-budget|failover-budget-fast):([\w.]+)$/.exec(fact.key);
  if (budgetField) {
    const budget = budgetField[1] === 'failover-budget' ? sources.service.failoverBudget : fastProfileBudget();
    const code = budgetField[2].split('.').reduce((o: any, k) => o?.[k], budget);
    if (typeof code !== 'number') {
      throw new Error(`${fact.file}: fact:${fact.key} names no number of the failover budget`);
    }
    return { doc: numberIn(fact.value), code };
  }
  const rule = FACTS[fact.key];
  if (rule === undefined) {
    throw new Error(`${fact.file}: unknown fact key "${fact.key}" (add it to FACTS in test/docs.test.ts)`);
  }
  return { doc: (rule.read ?? numberIn)(fact.value), code: rule.expected(sources) };
}

describe('docs', () => {
  test('every relative link and anchor in the README and the docs resolves (offline)', () => {
    // GIVEN
    const all = docFiles().flatMap(links);

    // WHEN
    const broken = all
      .map((link) => ({ link, reason: brokenReason(link) }))
      .filter((b) => b.reason !== undefined)
      .map((b) => `${b.link.file}:${b.link.line}: (${b.link.target}) ${b.reason}`);

    // THEN
    expect(all.length).toBeGreaterThan(100);
    expect(broken).toEqual([]);
  });

  test('every template-derived number in the docs is the template’s', () => {
    // GIVEN
    const { service, resources } = defaultService();
    const sources = { service, resources, integ: integResources() };
    const all = docFiles().flatMap(facts);

    // WHEN
    const stale = all
      .map((fact) => ({ fact, ...checkFact(fact, sources) }))
      .filter((c) => JSON.stringify(c.doc) !== JSON.stringify(c.code))
      .map(
        (c) => `${c.fact.file}: fact:${c.fact.key} says ${JSON.stringify(c.doc)}, the code ${JSON.stringify(c.code)}`,
      );

    // THEN
    expect(stale).toEqual([]);
    // The facts the issue listed keep their markers (a removed marker would silently stop the check).
    expect([...new Set(all.map((f) => f.key.replace(/^cost:.*/, 'cost')))].sort()).toEqual(
      expect.arrayContaining([
        'cost',
        'failover-budget',
        'integ:interface-endpoint-enis',
        'integ:retained-kms-keys',
        'integ:retained-log-groups',
        'interface-endpoint-list',
        'interface-endpoints',
        'standard-alarms',
      ]),
    );
  });

  test.each([
    ['ci:test-command', '.ci/run'],
    ['new-project:typescript-steps', 'test/new-project/run.sh'],
    ['new-project:typescript-app', 'test/new-project/run.sh'],
    ['new-project:python-steps', 'test/new-project/run.sh'],
    ['new-project:python-app', 'test/new-project/run.sh'],
  ])('the README keeps the <!-- %s --> marker that %s reads, at the start of a line, before a code block', (marker) => {
    // GIVEN: the scripts' awk takes the first fenced block after the marker line
    const lines = read('README.md').split('\n');

    // WHEN
    const at = lines.findIndex((l) => l.startsWith(`<!-- ${marker} `));
    const fence = lines.findIndex((l, i) => i > at && l.startsWith('```'));

    // THEN: found once, and only blank lines between the marker and its block
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines.filter((l) => l.startsWith(`<!-- ${marker} `))).toHaveLength(1);
    expect(lines.slice(at + 1, fence).every((l) => l.trim() === '')).toBe(true);
  });

  test('the README’s plain-text picture and the mermaid diagram of docs/ARCHITECTURE.md draw the same parts', () => {
    // GIVEN: the README draws the picture in text too (for terminals); GitHub renders the mermaid
    // source in docs/ARCHITECTURE.md, and the README's image is rendered from it (next test). The
    // text is not generated: this keeps it from drifting.
    const picture = codeBlocks('README.md').find((b) => b.info === 'text')!.code;
    const mermaid = codeBlocks('docs/ARCHITECTURE.md').find((b) => b.info === 'mermaid')!.code;
    const parts = [
      'Route 53 failover records',
      'PRIMARY',
      'SECONDARY',
      'Primary tier',
      'Secondary tier',
      'WAF',
      'target group',
    ];

    // THEN: both name every part, and both draw one Auto Scaling group per zone of the default three
    expect(parts.filter((p) => !picture.includes(p) || !mermaid.includes(p))).toEqual([]);
    expect(/ASG zone a \| b \| c/.test(picture)).toBe(true);
    expect(mermaid.match(/\[ASG zone \d\]/g)).toHaveLength(6);
  });

  // npm and PyPI render no mermaid: the README shows docs/images/architecture.svg, rendered from the
  // mermaid source of docs/ARCHITECTURE.md by build-tools/render-architecture.sh, which writes the
  // source's SHA-256 into the image. A changed diagram without a new image fails here.
  test('the README’s image was rendered from the current mermaid source of docs/ARCHITECTURE.md', () => {
    // GIVEN: the source as the render script extracts it (the block's lines, each ending in a newline)
    const mermaid = codeBlocks('docs/ARCHITECTURE.md').find((b) => b.info === 'mermaid')!.code;
    const source = mermaid.endsWith('\n') ? mermaid : `${mermaid}\n`;
    const svg = read('docs/images/architecture.svg');

    // THEN
    const hash = crypto.createHash('sha256').update(source).digest('hex');
    expect(svg.match(/^<!-- mermaid-source-sha256: ([0-9a-f]{64}) /)?.[1]).toBe(hash);
    expect(read('README.md')).toContain(
      '](https://raw.githubusercontent.com/multi-az-failover-service/multi-az-failover-service/main/docs/images/architecture.svg)',
    );
  });

  test('the fact parser reads numbers in prose and the endpoint table', () => {
    // THEN
    expect(numberIn('about 1,130 WCU')).toBe(1130);
    expect(numberIn('96 s')).toBe(96);
    expect(
      FACTS['interface-endpoint-list'].read!(
        '| Service | Construct |\n| --- | --- |\n| `b` | `Vpc/B` |\n| `a` | `Vpc/A` |',
      ),
    ).toEqual({ services: ['a', 'b'], constructs: ['Vpc/A', 'Vpc/B'] });
  });

  test('docs/CONFIGURATION.md lists every prop of MultiAzFailoverServiceProps, and no other', () => {
    // GIVEN: the compiled API (`.jsii`, written by `npx projen compile`), inherited props included
    const jsii = path.join(ROOT, '.jsii');
    if (!fs.existsSync(jsii)) {
      throw new Error('no .jsii: run `npx projen compile` first');
    }
    const types = JSON.parse(fs.readFileSync(jsii, 'utf-8')).types;
    const props = (fqn: string): string[] => [
      ...(types[fqn].properties ?? []).map((p: { name: string }) => p.name),
      ...(types[fqn].interfaces ?? []).flatMap(props),
    ];
    const api = props('multi-az-failover-service.MultiAzFailoverServiceProps').sort();

    // WHEN: the first column of the table after `<!-- props-table -->` (`a` / `b` rows name two)
    const doc = read('docs/CONFIGURATION.md');
    const table = doc.slice(doc.indexOf('<!-- props-table -->')).split('\n').slice(1);
    const rows = table
      .slice(
        0,
        table.findIndex((l) => !l.startsWith('|')),
      )
      .slice(2);
    const listed = rows.flatMap((l) => [...l.split('|')[1].matchAll(/`(\w+)`/g)].map((m) => m[1])).sort();

    // THEN
    expect(api.filter((p) => !listed.includes(p))).toEqual([]);
    expect(listed.filter((p) => !api.includes(p))).toEqual([]);
  });
});

/**
 * Runs a ```ts block of the docs as the rosetta fixture would, and returns the fixture's stack (or,
 * for a `nofixture` program, what it exported as `app`).
 */
function runSnippet(file: string, marker: string): Stack {
  const block = codeBlocks(file).find((b) => b.marker === marker);
  if (block === undefined) {
    throw new Error(`${file}: no code block after <!-- docs-test:${marker} -->`);
  }
  const fixture = read('rosetta/default.ts-fixture')
    .replace('/// here', block.code)
    .replace("new Fixture(new App(), 'Fixture');", "module.exports = new Fixture(new App(), 'Fixture');");
  return runModule(fixture) as Stack;
}

/** Runs TypeScript as a CommonJS module, `multi-az-failover-service` being src/; returns its exports. */
function runModule(source: string): any {
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  const mod = { exports: {} as any };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const requireFromDocs = (name: string) => (name === 'multi-az-failover-service' ? library : require(name));
  new Function('require', 'module', 'exports', js)(requireFromDocs, mod, mod.exports);
  return mod.exports;
}

describe('docs/BRING-YOUR-APPLICATION.md', () => {
  // GIVEN: the page's example, run in the README's fixture (a stack in eu-west-1 with a hosted zone)
  const template = Template.fromStack(runSnippet('docs/BRING-YOUR-APPLICATION.md', 'bring-your-application'));

  test('the user data installs the artifact and starts the application', () => {
    // THEN: every zone's launch template carries the commands (user data is a Base64 of a join)
    const userData = JSON.stringify(template.findResources('AWS::EC2::LaunchTemplate'));
    expect(userData).toContain('dnf install -y java-21-amazon-corretto-headless');
    expect(userData).toContain('aws s3 cp s3://payments-artifacts-eu-west-1/payment-api/payment-api-1.4.2.tar.gz');
    expect(userData).toContain('systemctl enable --now payment-api.service');
  });

  test('both tiers may read the artifact and the secret, and the parameters under the prefix', () => {
    // THEN
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('payment-api/payment-api-1.4.2.tar.gz');
    expect(policies).toContain('secretsmanager:GetSecretValue');
    const managed = JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(managed).toContain('parameter/payments/api/*');
  });

  // The S3 gateway endpoint's policy refuses every bucket that is not AWS's or in `egressBuckets`
  // (docs/NETWORK.md): the example's download works only if its bucket is listed.
  test('the S3 gateway endpoint lets the instances read the artifact bucket', () => {
    // THEN
    const gateway = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).find(
      (e: any) => e.Properties.VpcEndpointType === 'Gateway',
    ) as any;
    expect(JSON.stringify(gateway.Properties.PolicyDocument)).toContain('payments-artifacts-eu-west-1');
  });

  test('the VPC gets a Secrets Manager endpoint, and the instances may reach the database on 5432 only', () => {
    // THEN
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.eu-west-1.secretsmanager',
      PrivateDnsEnabled: true,
    });
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')).filter(
      (r: any) => r.Properties.FromPort === 5432,
    );
    expect(egress).toHaveLength(2);
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).filter(
      (r: any) => r.Properties.FromPort === 5432,
    );
    expect(ingress).toHaveLength(2);
  });
});

describe('docs/OPERATIONS.md', () => {
  test('the us-east-1 alarm program synthesizes, with both alarms in us-east-1', () => {
    // GIVEN
    const block = codeBlocks('docs/OPERATIONS.md').find((b) => b.info === 'ts nofixture');
    expect(block).toBeDefined();

    // WHEN
    const assembly = runModule(block!.code.replace('app.synth();', 'module.exports = app.synth();'));

    // THEN
    const alarms = assembly.getStackByName('PaymentApiRoute53Alarms').template.Resources;
    const route53Alarms = Object.values(alarms).filter(
      (r: any) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.Namespace === 'AWS/Route53',
    );
    expect(route53Alarms).toHaveLength(2);
  });
});
