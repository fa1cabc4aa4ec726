// The bundled example app in Java: the same stack as examples/typescript/app.ts, synthesized offline
// (no AWS account, no credentials, no context lookups):
//   npx cdk synth --app "mvn -q -f examples/java compile exec:java"   (or see test/java/run.sh)
package com.example.payments;

import io.github.multi_az_failover_service.MultiAzFailoverService;
import java.util.List;
import software.amazon.awscdk.App;
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

    MultiAzFailoverService.Builder.create(stack, "PaymentApi")
        .hostedZone(hostedZone)
        .recordName("api")
        .availabilityZones(List.of("eu-west-1a", "eu-west-1b", "eu-west-1c"))
        .instancesPerAz(2)
        .notificationEmails(List.of("payments-oncall@example.com"))
        .environment("production")
        .costCenter("payments")
        .build();

    app.synth();
  }

  private PaymentApiApp() {}
}
