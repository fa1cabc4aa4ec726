// The multi-Region example app in Java: the same three stacks as examples/typescript/multi-region.ts.
// The same payment API in eu-west-1 (primary) and us-east-1 (secondary), each a
// MultiAzFailoverService in its own stack, behind one global name in a third stack
// (docs/MULTI-REGION.md). Synthesized offline (no AWS account, no credentials, no context lookups):
//   npx cdk synth --app "mvn -q -f examples/java compile exec:java -Dexec.mainClass=com.example.payments.MultiRegionApp"
//   (or see test/java/run.sh)
package com.example.payments;

import io.github.multi_az_failover_service.GlobalFailover;
import io.github.multi_az_failover_service.GlobalFront;
import io.github.multi_az_failover_service.MultiAzFailoverService;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;

public final class MultiRegionApp {
  private static final String GLOBAL_NAME = "api.payments.example.com";

  public static void main(final String[] args) {
    App app = new App();
    MultiAzFailoverService eu = regional(app, "PaymentApiEu", "eu-west-1");
    MultiAzFailoverService us = regional(app, "PaymentApiUs", "us-east-1");

    // The global stack in us-east-1, where Route 53 publishes its health-check metrics.
    Stack globalStack = new Stack(app, "PaymentApiGlobal", StackProps.builder()
        .env(Environment.builder().region("us-east-1").build())
        .description("Payment API: one name in front of eu-west-1 (primary) and us-east-1 (secondary)")
        .build());
    GlobalFailover global = GlobalFailover.Builder.create(globalStack, "Global")
        .hostedZone(zone(globalStack))
        .recordName("api")
        .primary(eu)
        .secondary(us)
        // GlobalFront.accelerator() for two static IP addresses (docs/MULTI-REGION.md, "Which front").
        .front(GlobalFront.dns())
        .build();
    CfnOutput.Builder.create(globalStack, "GlobalName").value(global.getDomainName()).build();

    app.synth();
  }

  private static IHostedZone zone(final Stack stack) {
    return HostedZone.fromHostedZoneAttributes(stack, "Zone", HostedZoneAttributes.builder()
        .hostedZoneId("Z0123456789EXAMPLEABC")
        .zoneName("payments.example.com")
        .build());
  }

  // One service per Region, each under a record name of its own (api-eu-west-1, api-us-east-1) and
  // accepting the global name (certificate and listener rule).
  private static MultiAzFailoverService regional(final App app, final String id, final String region) {
    Stack stack = new Stack(app, id, StackProps.builder()
        .env(Environment.builder().region(region).build())
        .description("Payment API in " + region
            + ": two ALB tiers over per-AZ Auto Scaling groups with Route 53 failover")
        .build());
    return MultiAzFailoverService.Builder.create(stack, "PaymentApi")
        .hostedZone(zone(stack))
        .recordName(GlobalFailover.regionalRecordName("api", region))
        .globalDomainName(GLOBAL_NAME)
        .availabilityZones(Stream.of("a", "b", "c").map(letter -> region + letter).collect(Collectors.toList()))
        .notificationEmails(List.of("payments-oncall@example.com"))
        .environment("production")
        .costCenter("payments")
        .build();
  }

  private MultiRegionApp() {}
}
