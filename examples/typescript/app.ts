// The bundled example app: a realistic production configuration of MultiAzFailoverService,
// synthesized offline (no AWS account, no credentials, no context lookups) with `npx cdk synth`.
// A consumer imports from 'multi-az-failover-service'; this example imports the source tree.
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
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

const service = new MultiAzFailoverService(stack, 'PaymentApi', {
  hostedZone,
  recordName: 'api',
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  instancesPerAz: 2,
  notificationEmails: ['payments-oncall@example.com'],
  environment: 'production',
  costCenter: 'payments',
});

// The failover budget, as the construct computes it over both paths that move traffic
// (docs/FAILOVER.md, "The failover budget"). The other language examples write the same four outputs.
const budget = service.failoverBudget;
new CfnOutput(stack, 'FailoverBestCaseSeconds', {
  description: 'Fastest failover over both paths: a fault the HTTPS check sees at once, no cached answer',
  value: budget.bestCaseSeconds.toFixed(0),
});
new CfnOutput(stack, 'FailoverWorstCaseSeconds', {
  description: 'Slowest failover over both paths, with the delays AWS does not document at assumed values',
  value: budget.worstCaseSeconds.toFixed(0),
});
new CfnOutput(stack, 'FailoverHttpsCheckWorstCaseSeconds', {
  description: 'Worst case through the Route 53 HTTPS check: detection, assumed propagation, records TTL',
  value: budget.httpsCheck.worstCaseSeconds.toFixed(0),
});
new CfnOutput(stack, 'FailoverCapacityAlarmWorstCaseSeconds', {
  description: 'Worst case through the capacity alarm: target health, alarm periods, assumed delays, records TTL',
  value: budget.capacityAlarm.worstCaseSeconds.toFixed(0),
});

app.synth();
