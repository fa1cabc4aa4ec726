// The bundled example app in Java: the same stack as examples/typescript/app.ts, synthesized offline
// (no AWS account, no credentials, no context lookups):
//   npx cdk synth --app "mvn -q -f examples/java compile exec:java"   (or see test/java/run.sh)
package com.example.payments;

import io.github.multi_az_failover_service.FailoverBudget;
import io.github.multi_az_failover_service.MultiAzFailoverService;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;

public final class PaymentApiApp {
  public static void main(final String[] args) {
    App app = new App();
    Stack stack = new Stack(app, "PaymentApiFailover", StackProps.builder()
        .env(Environment.builder().region("eu-west-1").build())
        .description("Payment API: two ALB tiers over per-AZ Auto Scaling groups with Route 53 failover")
        .build());

    IHostedZone hostedZone = HostedZone.fromHostedZoneAttributes(stack, "Zone", HostedZoneAttributes.builder()
        .hostedZoneId("Z0123456789EXAMPLEABC")
        .zoneName("payments.example.com")
        .build());

    MultiAzFailoverService service = MultiAzFailoverService.Builder.create(stack, "PaymentApi")
        .hostedZone(hostedZone)
        .recordName("api")
        .availabilityZones(List.of("eu-west-1a", "eu-west-1b", "eu-west-1c"))
        .instancesPerAz(2)
        .notificationEmails(List.of("payments-oncall@example.com"))
        .environment("production")
        .costCenter("payments")
        .build();

    // The failover budget, as the construct computes it over both paths that move traffic
    // (docs/FAILOVER.md, "The failover budget"): the same four outputs as the TypeScript example.
    FailoverBudget budget = service.getFailoverBudget();
    CfnOutput.Builder.create(stack, "FailoverBestCaseSeconds")
        .description("Fastest failover over both paths: a fault the HTTPS check sees at once, no cached answer")
        .value(String.valueOf(budget.getBestCaseSeconds().longValue()))
        .build();
    CfnOutput.Builder.create(stack, "FailoverWorstCaseSeconds")
        .description("Slowest failover over both paths, with the delays AWS does not document at assumed values")
        .value(String.valueOf(budget.getWorstCaseSeconds().longValue()))
        .build();
    CfnOutput.Builder.create(stack, "FailoverHttpsCheckWorstCaseSeconds")
        .description("Worst case through the Route 53 HTTPS check: detection, assumed propagation, records TTL")
        .value(String.valueOf(budget.getHttpsCheck().getWorstCaseSeconds().longValue()))
        .build();
    CfnOutput.Builder.create(stack, "FailoverCapacityAlarmWorstCaseSeconds")
        .description("Worst case through the capacity alarm: target health, alarm periods, assumed delays, records TTL")
        .value(String.valueOf(budget.getCapacityAlarm().getWorstCaseSeconds().longValue()))
        .build();

    app.synth();
  }

  private PaymentApiApp() {}
}
