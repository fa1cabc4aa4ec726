#!/usr/bin/env python3
"""The multi-Region example app, in Python: the same three stacks as examples/typescript/multi-region.ts.

The same payment API in eu-west-1 (primary) and us-east-1 (secondary), each a
MultiAzFailoverService in its own stack, behind one global name in a third stack
(docs/MULTI-REGION.md). Synthesized offline (no AWS account, no credentials, no context lookups):

    pip install multi-az-failover-service aws-cdk-lib constructs
    npx cdk synth --app "python examples/python/multi_region.py"

test/python/test_python_package.py synthesizes it from the published wheel and checks that its
three CloudFormation templates equal the TypeScript example's.
"""
from aws_cdk import App, CfnOutput, Environment, Stack
from aws_cdk import aws_route53 as route53
from multi_az_failover_service import GlobalFailover, GlobalFront, MultiAzFailoverService

app = App()


def zone(stack: Stack) -> route53.IHostedZone:
    return route53.HostedZone.from_hosted_zone_attributes(
        stack,
        "Zone",
        hosted_zone_id="Z0123456789EXAMPLEABC",
        zone_name="payments.example.com",
    )


global_name = "api.payments.example.com"


# One service per Region, each under a record name of its own (api-eu-west-1, api-us-east-1) and
# accepting the global name (certificate and listener rule).
def regional(stack_id: str, region: str) -> MultiAzFailoverService:
    stack = Stack(
        app,
        stack_id,
        env=Environment(region=region),
        description=f"Payment API in {region}: two ALB tiers over per-AZ Auto Scaling groups with Route 53 failover",
    )
    return MultiAzFailoverService(
        stack,
        "PaymentApi",
        hosted_zone=zone(stack),
        record_name=GlobalFailover.regional_record_name("api", region),
        global_domain_name=global_name,
        availability_zones=[f"{region}{letter}" for letter in ("a", "b", "c")],
        notification_emails=["payments-oncall@example.com"],
        environment="production",
        cost_center="payments",
    )


eu = regional("PaymentApiEu", "eu-west-1")
us = regional("PaymentApiUs", "us-east-1")

# The global stack in us-east-1, where Route 53 publishes its health-check metrics.
global_stack = Stack(
    app,
    "PaymentApiGlobal",
    env=Environment(region="us-east-1"),
    description="Payment API: one name in front of eu-west-1 (primary) and us-east-1 (secondary)",
)
global_failover = GlobalFailover(
    global_stack,
    "Global",
    hosted_zone=zone(global_stack),
    record_name="api",
    primary=eu,
    secondary=us,
    # GlobalFront.accelerator() for two static IP addresses (docs/MULTI-REGION.md, "Which front").
    front=GlobalFront.dns(),
)
CfnOutput(global_stack, "GlobalName", value=global_failover.domain_name)

app.synth()
