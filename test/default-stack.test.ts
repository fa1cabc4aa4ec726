import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { MultiAzFailoverService } from '../src';

// The one snapshot of the default stack. It never updates during `build` or `test` (jest runs
// with --ci): a change in what the construct synthesizes fails here until someone reviews the
// diff and runs `npx projen test:update` on purpose.
test('the default stack matches the reviewed snapshot', () => {
  // GIVEN
  const app = new App();
  const stack = new Stack(app, 'Default', { env: { region: 'eu-west-1' } });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: 'Z0123456789EXAMPLEABC',
    zoneName: 'payments.example.com',
  });

  // WHEN
  new MultiAzFailoverService(stack, 'Service', { hostedZone });

  // THEN
  expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
});
