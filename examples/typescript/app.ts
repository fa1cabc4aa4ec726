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

// The failover budget, as the construct computes it from the health checks and the records (README,
// "Failover behaviour and timing"). The other language examples write the same three outputs.
const budget = service.failoverBudget;
new CfnOutput(stack, 'FailoverDetectionSeconds', {
  description: 'Worst case until Route 53 declares the primary tier unhealthy (interval x threshold + probe timeouts)',
  value: budget.detectionSeconds.toFixed(0),
});
new CfnOutput(stack, 'FailoverDnsSeconds', {
  description: 'Worst case a resolver keeps answering with the primary tier (the failover records TTL)',
  value: budget.dnsSeconds.toFixed(0),
});
new CfnOutput(stack, 'FailoverWorstCaseSeconds', {
  description: 'Worst-case failover time: detection plus DNS, without resolvers or clients that ignore the TTL',
  value: budget.worstCaseSeconds.toFixed(0),
});

app.synth();
