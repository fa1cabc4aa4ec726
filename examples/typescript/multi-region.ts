// The multi-Region example app: the same payment API in eu-west-1 (primary) and us-east-1
// (secondary), each a MultiAzFailoverService in its own stack, behind one global name in a third
// stack (docs/MULTI-REGION.md). Synthesized offline in CI (`synth:example:multi-region`): three
// templates, no Lambda function and no custom resource in any of them.
// A consumer imports from 'multi-az-failover-service'; this example imports the source tree.
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { GlobalFailover, GlobalFront, MultiAzFailoverService } from '../../src';

const app = new App();
const zone = (stack: Stack) =>
  route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: 'Z0123456789EXAMPLEABC',
    zoneName: 'payments.example.com',
  });
const globalName = 'api.payments.example.com';

// One service per Region, each under a record name of its own (api-eu-west-1, api-us-east-1) and
// accepting the global name (certificate and listener rule).
const regional = (id: string, region: string) => {
  const stack = new Stack(app, id, {
    env: { region },
    description: `Payment API in ${region}: two ALB tiers over per-AZ Auto Scaling groups with Route 53 failover`,
  });
  return new MultiAzFailoverService(stack, 'PaymentApi', {
    hostedZone: zone(stack),
    recordName: GlobalFailover.regionalRecordName('api', region),
    globalDomainName: globalName,
    availabilityZones: ['a', 'b', 'c'].map((letter) => `${region}${letter}`),
    notificationEmails: ['payments-oncall@example.com'],
    environment: 'production',
    costCenter: 'payments',
  });
};
const eu = regional('PaymentApiEu', 'eu-west-1');
const us = regional('PaymentApiUs', 'us-east-1');

// The global stack in us-east-1, where Route 53 publishes its health-check metrics.
const globalStack = new Stack(app, 'PaymentApiGlobal', {
  env: { region: 'us-east-1' },
  description: 'Payment API: one name in front of eu-west-1 (primary) and us-east-1 (secondary)',
});
const global = new GlobalFailover(globalStack, 'Global', {
  hostedZone: zone(globalStack),
  recordName: 'api',
  primary: eu,
  secondary: us,
  // GlobalFront.accelerator() for two static IP addresses (docs/MULTI-REGION.md, "Which front").
  front: GlobalFront.dns(),
});
new CfnOutput(globalStack, 'GlobalName', { value: global.domainName });

app.synth();
