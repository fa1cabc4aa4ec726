#!/usr/bin/env python3
"""The bundled example app, in Python: the same stack as examples/typescript/app.ts.

A realistic production configuration of MultiAzFailoverService, synthesized offline (no AWS
account, no credentials, no context lookups):

    pip install multi-az-failover-service aws-cdk-lib constructs
    npx cdk synth --app "python examples/python/app.py"

test/python/test_python_package.py synthesizes it from the published wheel and checks that its
CloudFormation template equals the TypeScript example's.
"""
from aws_cdk import App, CfnOutput, Environment, Stack
from aws_cdk import aws_route53 as route53
from multi_az_failover_service import MultiAzFailoverService

# App() writes to the output directory the CDK CLI passes in CDK_OUTDIR (cdk.out by default).
app = App()
stack = Stack(
    app,
    "PaymentApiFailover",
    env=Environment(region="eu-west-1"),
    description="Payment API: two ALB tiers over per-AZ Auto Scaling groups with Route 53 failover",
)

hosted_zone = route53.HostedZone.from_hosted_zone_attributes(
    stack,
    "Zone",
    hosted_zone_id="Z0123456789EXAMPLEABC",
    zone_name="payments.example.com",
)

service = MultiAzFailoverService(
    stack,
    "PaymentApi",
    hosted_zone=hosted_zone,
    record_name="api",
    availability_zones=["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    instances_per_az=2,
    notification_emails=["payments-oncall@example.com"],
    environment="production",
    cost_center="payments",
)

# The failover budget, as the construct computes it over both paths that move traffic
# (docs/FAILOVER.md, "The failover budget"): the same four outputs as the TypeScript example.
budget = service.failover_budget
CfnOutput(
    stack,
    "FailoverBestCaseSeconds",
    description="Fastest failover over both paths: a fault the HTTPS check sees at once, no cached answer",
    value=str(int(budget.best_case_seconds)),
)
CfnOutput(
    stack,
    "FailoverWorstCaseSeconds",
    description="Slowest failover over both paths, with the delays AWS does not document at assumed values",
    value=str(int(budget.worst_case_seconds)),
)
CfnOutput(
    stack,
    "FailoverHttpsCheckWorstCaseSeconds",
    description="Worst case through the Route 53 HTTPS check: detection, assumed propagation, records TTL",
    value=str(int(budget.https_check.worst_case_seconds)),
)
CfnOutput(
    stack,
    "FailoverCapacityAlarmWorstCaseSeconds",
    description="Worst case through the capacity alarm: target health, alarm periods, assumed delays, records TTL",
    value=str(int(budget.capacity_alarm.worst_case_seconds)),
)

app.synth()
