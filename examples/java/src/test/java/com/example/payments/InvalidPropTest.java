package com.example.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.multi_az_failover_service.MultiAzFailoverService;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.jsii.JsiiException;
import org.junit.jupiter.api.Test;

class InvalidPropTest {
  @Test
  void anInvalidPropFailsWithTheLibrarysExactMessage() {
    // GIVEN a stack with an explicit region and an imported hosted zone
    Stack stack = new Stack(new App(), "TestStack", StackProps.builder()
        .env(Environment.builder().region("eu-west-1").build())
        .build());
    var hostedZone = HostedZone.fromHostedZoneAttributes(stack, "Zone", HostedZoneAttributes.builder()
        .hostedZoneId("Z0123456789EXAMPLEABC")
        .zoneName("payments.example.com")
        .build());

    // WHEN the service gets zero instances per zone
    JsiiException error = assertThrows(JsiiException.class, () -> MultiAzFailoverService.Builder.create(stack, "PaymentApi")
        .hostedZone(hostedZone)
        .availabilityZones(List.of("eu-west-1a", "eu-west-1b"))
        .instancesPerAz(0)
        .build());

    // THEN the JavaScript error's message reaches Java unchanged, as the first line of the exception's
    // message (jsii appends the JavaScript stack trace on the following lines)
    assertEquals("`instancesPerAz` must be an integer from 1 to 100, got: 0", error.getMessage().split("\n", 2)[0]);
  }
}
