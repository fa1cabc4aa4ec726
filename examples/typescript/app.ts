// The bundled example app: a realistic production configuration of MultiAzFailoverService,
// synthesized offline (no AWS account, no credentials, no context lookups) with `npx cdk synth`.
// A consumer imports from 'multi-az-failover-service'; this example imports the source tree.
import { App, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { MultiAzFailoverService } from '../../src';

const app = new App();
const stack = new Stack(app, 'PaymentApiFailover', {
  env: { region: 'eu-west-1' },
  description: 'Payment API: two ALB tiers over per-AZ Auto Scaling groups with Route 53 failover',
});

const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
  hostedZoneId: 'Z0123456789EXAMPLEABC',
  zoneName: 'payments.example.com',
});

new MultiAzFailoverService(stack, 'PaymentApi', {
  hostedZone,
  recordName: 'api',
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  instancesPerAz: 2,
  notificationEmails: ['payments-oncall@example.com'],
  environment: 'production',
  costCenter: 'payments',
});

app.synth();
