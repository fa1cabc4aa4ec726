import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import {
  EgressMode,
  GlobalFailover,
  GlobalFront,
  MultiAzFailoverService,
  RegionMode,
  RegionSwitchPlan,
  SecondaryMode,
  WebAclOption,
} from '../src';
import { handBuiltRegionalService } from './util';

// The compliance gate: cdk-nag (AwsSolutions, PCI DSS 3.2.1, NIST 800-53 rev 5, HIPAA Security)
// and the AWS Control Tower proactive controls (cfn-guard) run as CDK validation plugins while
// the app synthesizes. The gate is zero unacknowledged findings, errors and warnings alike.
// Every synthesized template is also written to test-reports/cfn-templates, where cfn-lint and the
// IAM check (build-tools/iam_check.py) read them: these stacks are the shapes those checks cover
// (default; bring-your-own VPC, key, topic, bucket, certificate and web ACL; drills; warm standby
// with NAT egress and scaling), besides the example app's.

const TEMPLATES_DIR = path.join(__dirname, '..', 'test-reports', 'cfn-templates');
const PLUGINS = ['AwsSolutions', 'PCI.DSS.321', 'NIST.800.53.R5', 'HIPAA.Security', 'cdk-validator-cfnguard'];

interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly paths: string[];
}

/** Synthesizes `build`'s stack with every scanner plugged in and returns the unacknowledged findings. */
function scan(name: string, build: (stack: Stack) => void, region = 'eu-west-1'): Finding[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'compliance-'));
  const app = new App({ outdir });
  // Registered before synthesis, so they see the finished construct tree and template.
  // cdk-nag and cdk-validator-cfnguard implement two versions of the plugin interface.
  const plugins: Array<{ readonly name: string; validate(context: any): any }> = [
    new AwsSolutionsChecks(app),
    new PCIDSS321Checks(app),
    new NIST80053R5Checks(app),
    new HIPAASecurityChecks(app),
    new CfnGuardValidator({}),
  ];
  // A scanner that did not run would pass silently: record which ones validated the app. (The
  // report only lists scanners that found something, acknowledged or not.)
  const ran = new Set<string>();
  for (const plugin of plugins) {
    const validate = plugin.validate.bind(plugin);
    plugin.validate = (context: any) => {
      ran.add(plugin.name);
      return validate(context);
    };
  }
  Validations.of(app).addPlugins(...(plugins as any[]));
  const stack = new Stack(app, name, { env: { region } });
  build(stack);
  try {
    app.synth();
  } catch (e) {
    // Findings fail the synthesis; anything that is not the scanners' report is a real error.
    if (!fs.existsSync(path.join(outdir, 'validation-report.json'))) {
      throw e;
    }
  }
  fs.mkdirSync(TEMPLATES_DIR, { recursive: true });
  fs.copyFileSync(path.join(outdir, `${name}.template.json`), path.join(TEMPLATES_DIR, `${name}.template.json`));
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8'));
  expect([...ran].sort()).toEqual([...PLUGINS].sort());
  return report.pluginReports.flatMap((r: any) =>
    r.violations.map((v: any) => ({
      plugin: r.pluginName,
      rule: v.ruleName,
      severity: v.severity,
      paths: v.violatingConstructs.map((c: any) => c.constructPath),
    })),
  );
}

function zone(stack: Stack): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: 'Z0123456789EXAMPLEABC',
    zoneName: 'payments.example.com',
  });
}

function defaultStack(stack: Stack): MultiAzFailoverService {
  return new MultiAzFailoverService(stack, 'Service', {
    hostedZone: zone(stack),
    notificationEmails: ['payments-oncall@example.com'],
  });
}

function bringYourOwnStack(stack: Stack): MultiAzFailoverService {
  const azs = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: azs,
    publicSubnetIds: ['subnet-0a000000000000001', 'subnet-0a000000000000002', 'subnet-0a000000000000003'],
    privateSubnetIds: ['subnet-0b000000000000001', 'subnet-0b000000000000002', 'subnet-0b000000000000003'],
  });
  return new MultiAzFailoverService(stack, 'Service', {
    hostedZone: zone(stack),
    vpc,
    encryptionKey: kms.Key.fromKeyArn(
      stack,
      'Key',
      'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ),
    alarmTopic: sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:eu-west-1:111122223333:payments-alarms'),
    accessLogsBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'payments-alb-logs-111122223333'),
    certificate: acm.Certificate.fromCertificateArn(
      stack,
      'Certificate',
      'arn:aws:acm:eu-west-1:111122223333:certificate/1234abcd-12ab-34cd-56ef-1234567890ab',
    ),
    webAcl: WebAclOption.fromWebAclArn(
      'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/payments/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    ),
  });
}

describe('compliance scanners', () => {
  test('the default stack has no unacknowledged finding', () => {
    expect(scan('ComplianceDefault', defaultStack)).toEqual([]);
  });

  test('a stack with egress through NAT to allow-listed prefix lists, scaling and a warm standby has no unacknowledged finding', () => {
    expect(
      scan('ComplianceInternetEgress', (stack) => {
        new MultiAzFailoverService(stack, 'Service', {
          hostedZone: zone(stack),
          egress: EgressMode.INTERNET,
          egressPrefixLists: [ec2.PrefixList.fromPrefixListId(stack, 'Partner', 'pl-0123456789abcdef0')],
          // target tracking on the primary, step scaling on the secondary
          maxInstancesPerAz: 4,
          targetRequestsPerInstance: 800,
          secondaryMode: SecondaryMode.WARM_STANDBY,
        });
      }),
    ).toEqual([]);
  });

  test('a stack with the failover drills (FIS templates and role) has no unacknowledged finding', () => {
    expect(
      scan('ComplianceDrills', (stack) => {
        new MultiAzFailoverService(stack, 'Service', {
          hostedZone: zone(stack),
          zonalAutoshift: true,
          drills: true,
        });
      }),
    ).toEqual([]);
  });

  test('a standby Region with the RegionLost drill has no unacknowledged finding', () => {
    expect(
      scan('ComplianceRegionStandby', (stack) => {
        new MultiAzFailoverService(stack, 'Service', {
          hostedZone: zone(stack),
          regionMode: RegionMode.WARM_STANDBY,
          secondaryMode: SecondaryMode.WARM_STANDBY,
          drills: true,
          regionLostDrill: true,
          regionStandbyInstancesPerAz: 1,
          instancesPerAz: 3,
        });
      }),
    ).toEqual([]);
  });

  test('a global stack with a Region switch plan has no unacknowledged finding', () => {
    const group = (region: string, name: string) =>
      `arn:aws:autoscaling:${region}:111122223333:autoScalingGroup:0a1b2c3d-1111-2222-3333-444455556666:autoScalingGroupName/${name}`;
    expect(
      scan('ComplianceRegionSwitchPlan', (stack) => {
        new RegionSwitchPlan(stack, 'RegionSwitch', {
          primaryRegion: 'eu-west-1',
          standbyRegion: 'us-east-1',
          groupPairs: [
            { primaryGroupArn: group('eu-west-1', 'pay-a'), standbyGroupArn: group('us-east-1', 'pay-a') },
            { primaryGroupArn: group('eu-west-1', 'pay-b'), standbyGroupArn: group('us-east-1', 'pay-b') },
          ],
          hostedZone: zone(stack),
          recordName: 'api.payments.example.com',
          approvalRole: new iam.Role(stack, 'Operators', { assumedBy: new iam.AccountRootPrincipal() }),
          primaryHealthAlarms: [
            cloudwatch.Alarm.fromAlarmArn(
              stack,
              'EuHealth',
              'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:eu-health',
            ),
          ],
        });
      }),
    ).toEqual([]);
  });

  // The global stack of a multi-Region app (docs/MULTI-REGION.md), with each front; its Regional
  // stacks are hand-built (imports only): the Regional services are scanned above.
  test.each([
    ['ComplianceGlobalDns', GlobalFront.dns()],
    ['ComplianceGlobalAccelerator', GlobalFront.accelerator()],
  ])('the global stack %s has no unacknowledged finding', (name, front) => {
    expect(
      scan(name, (stack) => {
        const app = stack.node.root as App;
        new GlobalFailover(stack, 'Global', {
          hostedZone: zone(stack),
          primary: handBuiltRegionalService(app, 'RegionalEu', 'eu-central-1'),
          secondary: handBuiltRegionalService(app, 'RegionalUs', 'us-east-1'),
          front,
        });
      }),
    ).toEqual([]);
  });

  test('a Regional stack behind a GlobalFailover (own record name, the global name in its certificate and rules) has no unacknowledged finding', () => {
    expect(
      scan('ComplianceRegionalGlobalName', (stack) => {
        new MultiAzFailoverService(stack, 'Service', {
          hostedZone: zone(stack),
          recordName: GlobalFailover.regionalRecordName('api', 'eu-west-1'),
          globalDomainName: 'api.payments.example.com',
        });
      }),
    ).toEqual([]);
  });

  // The multi-Region example's shape (examples/typescript/multi-region.ts), every stack of the app
  // scanned: eu-west-1 (this stack) and us-east-1 Regional services, and the global stack in
  // us-east-1 with its alarms and a Region switch plan.
  test('a whole multi-Region app (two Regions, the global stack with its alarms and a Region switch plan) has no unacknowledged finding', () => {
    expect(
      scan('ComplianceMultiRegionEu', (stack) => {
        const app = stack.node.root as App;
        const regional = (s: Stack, region: string) =>
          new MultiAzFailoverService(s, 'Service', {
            hostedZone: zone(s),
            recordName: GlobalFailover.regionalRecordName('api', region),
            globalDomainName: 'api.payments.example.com',
            notificationEmails: ['payments-oncall@example.com'],
          });
        const eu = regional(stack, 'eu-west-1');
        const usStack = new Stack(app, 'ComplianceMultiRegionUs', { env: { region: 'us-east-1' } });
        const us = regional(usStack, 'us-east-1');
        const globalStack = new Stack(app, 'ComplianceMultiRegionGlobal', { env: { region: 'us-east-1' } });
        new GlobalFailover(globalStack, 'Global', {
          hostedZone: zone(globalStack),
          primary: eu,
          secondary: us,
          regionSwitchPlan: true,
          // The us-east-1 service's encrypted topic, whose policy lets this account's alarms publish.
          alarmActions: [new cw_actions.SnsAction(us.alarmTopic)],
        });
      }),
    ).toEqual([]);
  });

  test('a us-east-1 global stack without alarmActions (its alarms acknowledged, synth warns) has no unacknowledged finding', () => {
    expect(
      scan(
        'ComplianceGlobalAlarmsUndelivered',
        (stack) => {
          const app = stack.node.root as App;
          new GlobalFailover(stack, 'Global', {
            hostedZone: zone(stack),
            primary: handBuiltRegionalService(app, 'RegionalEu', 'eu-central-1'),
            secondary: handBuiltRegionalService(app, 'RegionalUs', 'us-east-1'),
          });
        },
        'us-east-1',
      ),
    ).toEqual([]);
  });

  test('a stack that brings its own VPC, key, topic, bucket, certificate and web ACL has no unacknowledged finding', () => {
    expect(scan('ComplianceBringYourOwn', bringYourOwnStack)).toEqual([]);
  });

  // The gate must be able to fail: remove secure defaults through escape hatches and the
  // scanners must report exactly those.
  test('the gate fails when a secure default is removed', () => {
    // WHEN
    const findings = scan('ComplianceBroken', (stack) => {
      const service = defaultStack(stack);
      const alb = service.primary.loadBalancer.node.defaultChild as elbv2.CfnLoadBalancer;
      alb.loadBalancerAttributes = [{ key: 'routing.http.drop_invalid_header_fields.enabled', value: 'false' }];
      const key = service.encryptionKey.node.defaultChild as kms.CfnKey;
      key.enableKeyRotation = false;
    });

    // THEN
    const rules = findings.map((f) => f.rule);
    expect(rules).toEqual(
      expect.arrayContaining([
        'AwsSolutions-KMS5',
        'AwsSolutions-ELB2', // access logs are gone with the replaced attributes
        'PCI.DSS.321-ALBHttpDropInvalidHeaderEnabled',
        'HIPAA.Security-ALBHttpDropInvalidHeaderEnabled',
        'NIST.800.53.R5-KMSBackingKeyRotationEnabled',
        'alb_http_drop_invalid_header_enabled_check',
        'kms_key_rotation_enabled_check',
      ]),
    );
    expect(findings.every((f) => f.paths.some((p) => p.includes('/Service/')))).toBe(true);
  });

  test('every acknowledged rule is listed in docs/COMPLIANCE.md', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Docs', { env: { region: 'eu-west-1' } });
    defaultStack(stack);
    const drillsStack = new Stack(app, 'DocsDrills', { env: { region: 'eu-west-1' } });
    new MultiAzFailoverService(drillsStack, 'Service', {
      hostedZone: zone(drillsStack),
      availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      drills: true,
    });
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'COMPLIANCE.md'), 'utf-8');

    // WHEN
    const acknowledged = new Set<string>();
    for (const construct of app.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type === 'aws:cdk:acknowledged-rules') {
          // `Plugin::Rule`: the doc lists the rule as the scanner reports it. aws-cdk-lib makes
          // acknowledgements of its own (CloudFormation-Validate); only the scanners' count here.
          for (const id of Object.keys(entry.data)) {
            const [plugin, ...rule] = id.split('::');
            if (PLUGINS.includes(plugin)) {
              // Resource ARNs carry the stack's region; the doc writes `<region>`.
              // and a group's logical id (the scheduled image refresh names each group) `<group>`.
              acknowledged.add(
                rule
                  .join('::')
                  .split(':eu-west-1:')
                  .join(':<region>:')
                  .replace(/autoScalingGroupName\/<[A-Za-z0-9]+>/, 'autoScalingGroupName/<group>'),
              );
            }
          }
        }
      }
    }

    // THEN
    expect(acknowledged.size).toBeGreaterThan(10);
    expect([...acknowledged].filter((rule) => !doc.includes(`\`${rule}\``))).toEqual([]);
  });
});
