"""End-to-end test of the published Python package `multi-az-failover-service`.

Run it with `bash test/python/run.sh`: the driver installs the freshly built wheel from dist/python
into a new virtual environment (dependencies from PyPI, nothing from the source tree), synthesizes
the TypeScript example with the CDK CLI and runs this file with that environment's interpreter.

  (a) examples/python/app.py synthesizes the same CloudFormation as examples/typescript/app.ts, and
      examples/python/multi_region.py the same three templates as examples/typescript/multi-region.ts;
  (b) the API as Python users write it: keyword arguments, Duration/Size, enums, static factories,
      exposed members;
  (c) invalid props raise in Python with the library's exact messages;
  (d) the wheel's metadata: name, version, dependencies, license, long description;
  (e) the Python example of docs/LANGUAGES.md is examples/python/app.py.
"""

import ast
import base64
import difflib
import gzip
import importlib.metadata
import json
import os
import pathlib
import re
import shlex
import subprocess
import sys
from types import SimpleNamespace

import pytest
from aws_cdk import App, Duration, Environment, Size, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template
from packaging.requirements import Requirement
from packaging.version import Version

import multi_az_failover_service
from multi_az_failover_service import FailoverPriority, ManagedRule, MultiAzFailoverService, WebAclOption

ROOT = pathlib.Path(__file__).resolve().parents[2]
DIST_NAME = "multi-az-failover-service"
STACK_ID = "PaymentApiFailover"
ZONE_ID = "Z0123456789EXAMPLEABC"
ZONE_NAME = "payments.example.com"


def required_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run this file through `bash test/python/run.sh`")
    return value


def new_stack(stack_id: str = "TestStack", region: str = "eu-west-1"):
    """GIVEN a stack with an explicit region and an imported hosted zone."""
    app = App()
    stack = Stack(app, stack_id, env=Environment(region=region))
    zone = route53.HostedZone.from_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id=ZONE_ID, zone_name=ZONE_NAME
    )
    return stack, zone


def logical_ids(template: Template, resource_type: str) -> set:
    return set(template.find_resources(resource_type))


def test_the_package_under_test_is_the_installed_wheel():
    # Nothing from the source tree: the module comes from the virtual environment's site-packages.
    module_file = pathlib.Path(multi_az_failover_service.__file__).resolve()
    assert pathlib.Path(sys.prefix).resolve() in module_file.parents
    assert ROOT / "src" not in module_file.parents


# ---------------------------------------------------------------------------------------------
# (a) The Python example synthesizes the TypeScript example's template.
# ---------------------------------------------------------------------------------------------


def synth_python_example(out_dir: pathlib.Path, program: str = "examples/python/app.py") -> None:
    # The CDK CLI runs both examples from the repository root, so both see the same cdk.json
    # context and the same CLI-provided context (path metadata, version reporting, ...).
    app = f"{shlex.quote(sys.executable)} {program}"
    result = subprocess.run(
        ["npx", "cdk", "synth", "--quiet", "--app", app, "-o", str(out_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"cdk synth of {program} failed:\n{result.stderr[-4000:]}"


RUNTIME_IN_ANALYTICS = re.compile(r"(?<=[,}])[^,{}!]+/v?[0-9][^,{}!]*(?=!jsii-runtime\.Runtime$)")


def comparable_template(path: pathlib.Path) -> dict:
    """The template with the one value that legitimately differs between a TypeScript and a Python
    app replaced by a placeholder.

    That value is the language runtime inside the `Analytics` property of the `CDKMetadata`
    resource (`AWS::CDK::Metadata`, the CDK's version report). `Analytics` is
    `v2:deflate64:<base64 of gzip>` of a list of the construct classes used, ending in
    `...,node.js/v20.20.2!jsii-runtime.Runtime` for the TypeScript app and
    `...,Python/3.11.7!jsii-runtime.Runtime` for the Python app. The runtime is replaced by
    `<runtime>`; the rest of the report (aws-cdk-lib version, construct classes) must be equal.

    Nothing else is removed or rewritten: every `Metadata.aws:cdk:path` (the construct tree),
    logical id, property, parameter, rule and the stack description must be identical. There is
    no `CDKMetadataAvailable` condition (the example's region is concrete) and there are no file
    assets, so no asset hashes, to take care of.
    """
    template = json.loads(path.read_text())
    metadata = template.get("Resources", {}).get("CDKMetadata")
    if metadata is not None:
        analytics = metadata["Properties"]["Analytics"]
        prefix, _, payload = analytics.rpartition(":")
        assert prefix == "v2:deflate64", f"unknown Analytics format in {path}: {analytics[:40]}"
        report = gzip.decompress(base64.b64decode(payload)).decode()
        normalized, count = RUNTIME_IN_ANALYTICS.subn("<runtime>", report)
        assert count == 1, f"no language runtime found in the Analytics of {path}: ...{report[-80:]}"
        metadata["Properties"]["Analytics"] = normalized
    return template


def comparable_annotations(path: pathlib.Path) -> dict:
    """The stack's metadata (logical ids, warnings, acknowledgements) without stack traces: the
    creation stacks (`aws:cdk:creationStack`) and the `trace` of each warning, which name
    JavaScript or Python source files by language. The messages themselves must be equal."""
    metadata = json.loads(path.read_text())
    kept = {
        construct_path: [
            {key: value for key, value in entry.items() if key != "trace"}
            for entry in entries
            if entry["type"] != "aws:cdk:creationStack"
        ]
        for construct_path, entries in metadata.items()
    }
    return {construct_path: entries for construct_path, entries in kept.items() if entries}


def short_diff(expected: dict, actual: dict, expected_name: str, actual_name: str, max_lines: int = 60) -> str:
    """Which top-level entries and resources differ, then the first lines of a unified diff."""
    summary = []
    for section in sorted(set(expected) | set(actual)):
        want, got = expected.get(section), actual.get(section)
        if want == got:
            continue
        if isinstance(want, dict) and isinstance(got, dict):
            keys = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
            summary.append(f"{section}: {len(keys)} differ: {', '.join(keys[:10])}{' ...' if len(keys) > 10 else ''}")
        else:
            summary.append(f"{section}: differs")
    lines = list(
        difflib.unified_diff(
            json.dumps(expected, indent=1, sort_keys=True).splitlines(),
            json.dumps(actual, indent=1, sort_keys=True).splitlines(),
            fromfile=expected_name,
            tofile=actual_name,
            lineterm="",
            n=1,
        )
    )
    more = [f"... {len(lines) - max_lines} more diff lines"] if len(lines) > max_lines else []
    return "\n".join(summary + lines[:max_lines] + more)


@pytest.fixture(scope="module")
def example_outputs():
    ts_dir = pathlib.Path(required_env("MAFS_TS_SYNTH_DIR"))
    py_dir = pathlib.Path(required_env("MAFS_PY_SYNTH_DIR"))
    assert (ts_dir / "manifest.json").exists(), f"no TypeScript synth output in {ts_dir}"
    synth_python_example(py_dir)
    return SimpleNamespace(ts=ts_dir, py=py_dir)


def test_python_example_synthesizes_the_same_stacks_as_the_typescript_example(example_outputs):
    ts_templates = sorted(p.name for p in example_outputs.ts.glob("*.template.json"))
    py_templates = sorted(p.name for p in example_outputs.py.glob("*.template.json"))
    assert ts_templates == [f"{STACK_ID}.template.json"]
    assert py_templates == ts_templates
    ts_stack = json.loads((example_outputs.ts / "manifest.json").read_text())["artifacts"][STACK_ID]
    py_stack = json.loads((example_outputs.py / "manifest.json").read_text())["artifacts"][STACK_ID]
    assert py_stack["environment"] == ts_stack["environment"] == "aws://unknown-account/eu-west-1"


def test_python_example_template_equals_the_typescript_example_template(example_outputs):
    name = f"{STACK_ID}.template.json"
    expected = comparable_template(example_outputs.ts / name)
    actual = comparable_template(example_outputs.py / name)
    assert len(expected["Resources"]) > 50  # the real stack, not an empty one
    if actual != expected:
        pytest.fail(
            "examples/python/app.py and examples/typescript/app.ts synthesize different templates:\n"
            + short_diff(expected, actual, f"typescript/{name}", f"python/{name}")
        )


def test_python_example_has_the_typescript_example_annotations(example_outputs):
    name = f"{STACK_ID}.metadata.json"
    expected = comparable_annotations(example_outputs.ts / name)
    actual = comparable_annotations(example_outputs.py / name)
    if actual != expected:
        pytest.fail(
            "the examples' stacks carry different metadata (warnings, acknowledgements, logical ids):\n"
            + short_diff(expected, actual, f"typescript/{name}", f"python/{name}")
        )


# The multi-Region example (docs/MULTI-REGION.md): two Regional stacks and the global one.
MULTI_REGION_STACKS = {
    "PaymentApiEu": "aws://unknown-account/eu-west-1",
    "PaymentApiUs": "aws://unknown-account/us-east-1",
    "PaymentApiGlobal": "aws://unknown-account/us-east-1",
}


@pytest.fixture(scope="module")
def multi_region_outputs():
    ts_dir = pathlib.Path(required_env("MAFS_TS_MULTI_REGION_SYNTH_DIR"))
    py_dir = pathlib.Path(required_env("MAFS_PY_MULTI_REGION_SYNTH_DIR"))
    assert (ts_dir / "manifest.json").exists(), f"no TypeScript multi-Region synth output in {ts_dir}"
    synth_python_example(py_dir, "examples/python/multi_region.py")
    return SimpleNamespace(ts=ts_dir, py=py_dir)


def test_python_multi_region_example_synthesizes_the_same_three_stacks(multi_region_outputs):
    expected_names = sorted(f"{stack_id}.template.json" for stack_id in MULTI_REGION_STACKS)
    assert sorted(p.name for p in multi_region_outputs.ts.glob("*.template.json")) == expected_names
    assert sorted(p.name for p in multi_region_outputs.py.glob("*.template.json")) == expected_names
    ts_artifacts = json.loads((multi_region_outputs.ts / "manifest.json").read_text())["artifacts"]
    py_artifacts = json.loads((multi_region_outputs.py / "manifest.json").read_text())["artifacts"]
    for stack_id, environment in MULTI_REGION_STACKS.items():
        assert py_artifacts[stack_id]["environment"] == ts_artifacts[stack_id]["environment"] == environment
        # The global stack is deployed after both Regional stacks (`cdk deploy --all`).
        assert sorted(py_artifacts[stack_id].get("dependencies", [])) == sorted(
            ts_artifacts[stack_id].get("dependencies", [])
        )


@pytest.mark.parametrize("stack_id", list(MULTI_REGION_STACKS))
def test_python_multi_region_template_equals_the_typescript_template(multi_region_outputs, stack_id):
    name = f"{stack_id}.template.json"
    expected = comparable_template(multi_region_outputs.ts / name)
    actual = comparable_template(multi_region_outputs.py / name)
    assert expected["Resources"]  # a real stack, not an empty one
    if actual != expected:
        pytest.fail(
            "examples/python/multi_region.py and examples/typescript/multi-region.ts synthesize different templates:\n"
            + short_diff(expected, actual, f"typescript/{name}", f"python/{name}")
        )


@pytest.mark.parametrize("stack_id", list(MULTI_REGION_STACKS))
def test_python_multi_region_stack_has_the_typescript_annotations(multi_region_outputs, stack_id):
    name = f"{stack_id}.metadata.json"
    expected = comparable_annotations(multi_region_outputs.ts / name)
    actual = comparable_annotations(multi_region_outputs.py / name)
    if actual != expected:
        pytest.fail(
            "the multi-Region examples' stacks carry different metadata (warnings, acknowledgements, logical ids):\n"
            + short_diff(expected, actual, f"typescript/{name}", f"python/{name}")
        )


# ---------------------------------------------------------------------------------------------
# (b) The API as Python users write it.
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def custom():
    """GIVEN a service with non-default props, passed as Python keyword arguments."""
    stack, zone = new_stack("CustomStack")
    service = MultiAzFailoverService(
        stack,
        "Service",
        hosted_zone=zone,
        record_name="pay",
        availability_zones=["eu-west-1a", "eu-west-1b"],
        instances_per_az=3,
        secondary_instances_per_az=1,
        instance_type=ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.LARGE),
        root_volume_size=Size.gibibytes(50),
        deregistration_delay=Duration.seconds(45),
        health_check_path="/ready",
        unhealthy_host_threshold_percent=50,
        latency_threshold=Duration.millis(500),
        ssl_policy=elbv2.SslPolicy.TLS13_12_PQ,
        deletion_protection=True,
        web_acl=WebAclOption.none(),
        access_log_retention=Duration.days(90),
        environment="staging",
        cost_center="payments-eu",
    )
    return SimpleNamespace(stack=stack, service=service, template=Template.from_stack(stack))


def test_instances_per_az_sets_each_tier_size(custom):
    groups = custom.template.find_resources("AWS::AutoScaling::AutoScalingGroup")
    sizes = sorted(
        (g["Properties"]["MinSize"], g["Properties"]["MaxSize"], g["Properties"]["DesiredCapacity"])
        for g in groups.values()
    )
    # Two zones: the primary tier runs 3 per zone, the secondary 1 per zone.
    assert sizes == [("1", "1", "1")] * 2 + [("3", "3", "3")] * 2


def test_instance_type_and_root_volume_size_reach_the_launch_templates(custom):
    # one per zone and tier (each one's user data signals its own zone's group): 2 zones × 2 tiers
    custom.template.resource_count_is("AWS::EC2::LaunchTemplate", 4)
    custom.template.all_resources_properties(
        "AWS::EC2::LaunchTemplate",
        {
            "LaunchTemplateData": Match.object_like(
                {
                    "InstanceType": "t3.large",
                    "BlockDeviceMappings": [Match.object_like({"Ebs": Match.object_like({"VolumeSize": 50})})],
                }
            )
        },
    )


def test_health_check_path_and_deregistration_delay_reach_target_groups_and_health_checks(custom):
    custom.template.all_resources_properties(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        {
            "HealthCheckPath": "/ready",
            "TargetGroupAttributes": Match.array_with(
                [{"Key": "deregistration_delay.timeout_seconds", "Value": "45"}]
            ),
        },
    )
    # every endpoint check (both tiers' and the record name's) calls the path; the capacity and
    # calculated checks have none
    custom.template.resource_properties_count_is(
        "AWS::Route53::HealthCheck",
        {"HealthCheckConfig": Match.object_like({"ResourcePath": "/ready"})},
        3,
    )


def test_ssl_policy_enum_reaches_both_https_listeners(custom):
    listeners = custom.template.find_resources(
        "AWS::ElasticLoadBalancingV2::Listener", {"Properties": {"Protocol": "HTTPS"}}
    )
    assert len(listeners) == 2
    assert {l["Properties"]["SslPolicy"] for l in listeners.values()} == {"ELBSecurityPolicy-TLS13-1-2-PQ-2025-09"}


def test_web_acl_option_none_creates_and_associates_no_web_acl(custom):
    custom.template.resource_count_is("AWS::WAFv2::WebACL", 0)
    custom.template.resource_count_is("AWS::WAFv2::WebACLAssociation", 0)
    assert custom.service.web_acl_arn is None


def test_deletion_protection_true_reaches_both_load_balancers(custom):
    custom.template.resource_count_is("AWS::ElasticLoadBalancingV2::LoadBalancer", 2)
    custom.template.all_resources_properties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "LoadBalancerAttributes": Match.array_with(
                [{"Key": "deletion_protection.enabled", "Value": "true"}]
            )
        },
    )


def test_access_log_retention_sets_the_log_buckets_expiration(custom):
    custom.template.all_resources_properties(
        "AWS::S3::Bucket",
        {
            "LifecycleConfiguration": {
                "Rules": Match.array_with([Match.object_like({"ExpirationInDays": 90})])
            }
        },
    )


def test_alarm_thresholds_follow_percent_and_latency(custom):
    # 2 zones x 3 instances x 50 % = 3; 2 zones x 1 instance x 50 % = 1.
    assert custom.service.primary.alarms.unhealthy_host_threshold == 3
    assert custom.service.secondary.alarms.unhealthy_host_threshold == 1
    # the alarm compares the share of unhealthy targets with the percent itself
    custom.template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {"Threshold": 50, "AlarmDescription": "More than 50% of the targets are unhealthy (3 of 6 at full capacity)"},
    )
    custom.template.has_resource_properties(
        "AWS::CloudWatch::Alarm", {"MetricName": "TargetResponseTime", "Threshold": 0.5}
    )


def test_record_name_makes_the_domain_name_and_the_failover_records(custom):
    assert custom.service.domain_name == f"pay.{ZONE_NAME}"
    for failover in ("PRIMARY", "SECONDARY"):
        custom.template.has_resource_properties(
            "AWS::Route53::RecordSet",
            {"Name": f"pay.{ZONE_NAME}.", "Type": "A", "Failover": failover, "HostedZoneId": ZONE_ID},
        )


def test_environment_and_cost_center_tag_the_resources(custom):
    custom.template.all_resources_properties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "Tags": Match.array_with(
                [{"Key": "CostCenter", "Value": "payments-eu"}, {"Key": "Environment", "Value": "staging"}]
            )
        },
    )


def test_exposed_members_are_the_created_resources(custom):
    stack, service, template = custom.stack, custom.service, custom.template

    assert service.primary.priority == FailoverPriority.PRIMARY
    assert service.secondary.priority == FailoverPriority.SECONDARY
    assert service.availability_zones == ["eu-west-1a", "eu-west-1b"]

    load_balancers = logical_ids(template, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    primary_lb = stack.resolve(service.primary.load_balancer.load_balancer_arn)
    secondary_lb = stack.resolve(service.secondary.load_balancer.load_balancer_arn)
    assert {primary_lb["Ref"], secondary_lb["Ref"]} == load_balancers

    groups = logical_ids(template, "AWS::AutoScaling::AutoScalingGroup")
    primary_groups = {stack.resolve(g.auto_scaling_group_name)["Ref"] for g in service.primary.auto_scaling_groups}
    secondary_groups = {
        stack.resolve(g.auto_scaling_group_name)["Ref"] for g in service.secondary.auto_scaling_groups
    }
    assert len(service.secondary.auto_scaling_groups) == 2  # one per zone
    assert primary_groups | secondary_groups == groups
    assert not primary_groups & secondary_groups

    assert stack.resolve(service.alarm_topic.topic_arn) == {"Ref": logical_ids(template, "AWS::SNS::Topic").pop()}
    # two keys: the data key (volumes, topic) is `encryption_key`, the logs key `shared.logs_encryption_key`
    data_keys = template.find_resources(
        "AWS::KMS::Key", {"Properties": {"Description": Match.string_like_regexp("^Volumes and alarm topic")}}
    )
    assert stack.resolve(service.encryption_key.key_arn) == {"Fn::GetAtt": [list(data_keys)[0], "Arn"]}
    logs_keys = template.find_resources(
        "AWS::KMS::Key", {"Properties": {"Description": Match.string_like_regexp("^Log groups")}}
    )
    assert stack.resolve(service.shared.logs_encryption_key.key_arn) == {"Fn::GetAtt": [list(logs_keys)[0], "Arn"]}


def test_members_are_concrete_classes_with_their_class_only_methods():
    # GIVEN a service with defaults (a Python user cannot cast an interface to its class)
    stack, zone = new_stack("ConcreteStack")
    service = MultiAzFailoverService(stack, "Service", hosted_zone=zone, web_acl=WebAclOption.none())

    # WHEN methods that only the classes have are called on the exposed members
    service.primary.load_balancer.set_attribute("routing.http.xff_header_processing.mode", "preserve")
    # anomaly mitigation works with weighted random only: turned off before another algorithm
    service.primary.target_group.set_attribute("load_balancing.algorithm.anomaly_mitigation", "off")
    service.primary.target_group.set_attribute("load_balancing.algorithm.type", "least_outstanding_requests")
    service.primary.auto_scaling_groups[0].scale_on_request_count("Requests", target_requests_per_minute=600)

    # THEN they reach the template
    template = Template.from_stack(stack)
    template.resource_properties_count_is(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "LoadBalancerAttributes": Match.array_with(
                [{"Key": "routing.http.xff_header_processing.mode", "Value": "preserve"}]
            )
        },
        1,
    )
    template.resource_properties_count_is(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        {
            "TargetGroupAttributes": Match.array_with(
                [{"Key": "load_balancing.algorithm.type", "Value": "least_outstanding_requests"}]
            )
        },
        1,
    )
    template.resource_count_is("AWS::AutoScaling::ScalingPolicy", 1)


def test_managed_rules_options_and_alarm_actions_from_python():
    # GIVEN
    stack, zone = new_stack("OptionsStack")
    extra = cw_actions.SnsAction(sns.Topic(stack, "PagerDuty"))

    # WHEN
    MultiAzFailoverService(
        stack,
        "Service",
        hosted_zone=zone,
        web_acl=WebAclOption.managed_rules(
            count_only=True,
            rate_limit_per_ip=500,
            count_rules=[ManagedRule(rule_group="AWSManagedRulesCommonRuleSet", rule_name="SizeRestrictions_BODY")],
        ),
        alarm_actions=[extra],
    )

    # THEN
    template = Template.from_stack(stack)
    acl = list(template.find_resources("AWS::WAFv2::WebACL").values())[0]
    rules = acl["Properties"]["Rules"]
    assert rules[0]["Statement"]["RateBasedStatement"]["Limit"] == 500
    assert rules[0]["Action"] == {"Count": {}}
    common = next(
        rule
        for rule in rules
        if rule["Statement"].get("ManagedRuleGroupStatement", {}).get("Name") == "AWSManagedRulesCommonRuleSet"
    )
    assert common["Statement"]["ManagedRuleGroupStatement"]["RuleActionOverrides"] == [
        {"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}
    ]
    template.resource_properties_count_is(
        "AWS::CloudWatch::Alarm",
        {"AlarmActions": Match.array_with([{"Ref": Match.string_like_regexp("^PagerDuty")}])},
        # per tier: six, the log-shipping alarm, the health alarm, and five per zone (three default
        # zones); shared: host-log and flow-log delivery, refused egress, AWS WAF blocked requests,
        # its log delivery and its 2 pinned versions' expiry
        2 * (6 + 1 + 1 + 3 * 5) + 5 + 2,
    )


def test_users_can_attach_to_exposed_members():
    # GIVEN a service with defaults
    stack, zone = new_stack("AttachStack")
    service = MultiAzFailoverService(stack, "Service", hosted_zone=zone, web_acl=WebAclOption.none())

    # WHEN an alarm on the exposed load balancer notifies the exposed topic
    alarm = cloudwatch.Alarm(
        stack,
        "Elb5xx",
        metric=service.primary.load_balancer.metrics.http_code_elb(elbv2.HttpCodeElb.ELB_5XX_COUNT),
        threshold=10,
        evaluation_periods=1,
    )
    alarm.add_alarm_action(cw_actions.SnsAction(service.alarm_topic))

    # THEN the alarm watches the primary load balancer and notifies the service's topic
    template = Template.from_stack(stack)
    topic = logical_ids(template, "AWS::SNS::Topic").pop()
    primary_lb = stack.resolve(service.primary.load_balancer.load_balancer_arn)["Ref"]
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "MetricName": "HTTPCode_ELB_5XX_Count",
            "Threshold": 10,
            "AlarmActions": [{"Ref": topic}],
            "Dimensions": [
                {"Name": "LoadBalancer", "Value": {"Fn::GetAtt": [primary_lb, "LoadBalancerFullName"]}}
            ],
        },
    )


# ---------------------------------------------------------------------------------------------
# (c) Invalid props raise in Python with the messages of src/private/validate.ts.
# ---------------------------------------------------------------------------------------------

INVALID_PROPS = [
    ({"instances_per_az": 0}, "`instancesPerAz` must be an integer from 1 to 100, got: 0"),
    ({"instances_per_az": 1.5}, "`instancesPerAz` must be an integer from 1 to 100, got: 1.5"),
    ({"secondary_instances_per_az": 101}, "`secondaryInstancesPerAz` must be an integer from 1 to 100, got: 101"),
    (
        {"deregistration_delay": Duration.seconds(3601)},
        "`deregistrationDelay` must be a whole number of seconds from 0 to 3600 seconds, got: 1 hour 1 second",
    ),
    (
        {"latency_threshold": Duration.hours(2)},
        "`latencyThreshold` must be a duration greater than 0 and at most 3600 seconds, got: 2 hours",
    ),
    (
        {"health_check_path": "health"},
        '`healthCheckPath` must be an absolute path of 1 to 255 printable characters without spaces, '
        'starting with "/", got: "health"',
    ),
    (
        {"availability_zones": ["eu-west-1a"]},
        '`availabilityZones` must list 2 to 6 Availability Zones, got 1: ["eu-west-1a"]',
    ),
    (
        {"availability_zones": ["eu-west-1a", "eu-west-1a"]},
        '`availabilityZones` must not repeat an Availability Zone, got "eu-west-1a" twice in '
        '["eu-west-1a","eu-west-1a"]',
    ),
    (
        {"notification_emails": ["payments-oncall"]},
        '`notificationEmails` must contain email addresses such as "ops@example.com", got: "payments-oncall"',
    ),
    (
        {"unhealthy_host_threshold_percent": 0},
        "`unhealthyHostThresholdPercent` must be a number greater than 0 and at most 100, got: 0",
    ),
    (
        {"root_volume_size": Size.gibibytes(4)},
        "`rootVolumeSize` must be a whole number of GiB from 8 to 16384, got: 4 GiB",
    ),
    (
        {"record_name": "api_v1"},
        "`recordName` must be one or more DNS labels relative to the hosted zone (letters, digits and hyphens, "
        'such as "api" or "pay.eu"), got: "api_v1"',
    ),
    (
        {"environment": "prod!"},
        '`environment` must be a tag value of 1 to 256 letters, digits, spaces and _ . : / = + - @, got: "prod!"',
    ),
    (
        {"access_log_retention": Duration.hours(36)},
        "`accessLogRetention` must be a whole number of days from 1 to 3650 days, got: 1 day 12 hours",
    ),
    (
        {"ssl_policy": elbv2.SslPolicy.TLS13_13},
        "`sslPolicy` must accept TLS 1.2: Route 53 HTTPS health checks connect with TLS 1.2 at most, so a TLS 1.3-only "
        "policy fails both health checks and disables failover (use ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 or "
        "another TLS13-1-2 policy), got: ELBSecurityPolicy-TLS13-1-3-2021-06",
    ),
    (
        {"ssl_policy": elbv2.SslPolicy.LEGACY},
        "`sslPolicy` must only allow TLS 1.2 and newer (for example ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09), "
        "got: ELBSecurityPolicy-TLS-1-0-2015-04",
    ),
]


def assert_raises_with_message(message: str, build) -> None:
    # jsii re-raises the JavaScript `Error` thrown in the constructor as a Python RuntimeError
    # whose text is exactly the JavaScript message.
    with pytest.raises(RuntimeError) as raised:
        build()
    assert str(raised.value) == message


def case_id(props: dict) -> str:
    (name, value), = props.items()
    return f"{name}={value!r}" if isinstance(value, (int, float, str, list)) else name


@pytest.mark.parametrize("props, message", INVALID_PROPS, ids=[case_id(props) for props, _ in INVALID_PROPS])
def test_invalid_prop_raises_with_a_message_naming_it(props, message):
    stack, zone = new_stack()
    assert_raises_with_message(message, lambda: MultiAzFailoverService(stack, "Service", hosted_zone=zone, **props))


def test_access_log_retention_with_an_own_bucket_raises():
    stack, zone = new_stack()
    bucket = s3.Bucket(stack, "Logs")
    assert_raises_with_message(
        "`accessLogRetention` only applies to the bucket this construct creates; set the lifecycle of your own "
        "`accessLogsBucket` instead, got: 30 days with an `accessLogsBucket`",
        lambda: MultiAzFailoverService(
            stack, "Service", hosted_zone=zone, access_logs_bucket=bucket, access_log_retention=Duration.days(30)
        ),
    )


def test_a_stack_without_a_region_raises():
    app = App()
    stack = Stack(app, "NoRegion")
    zone = route53.HostedZone.from_hosted_zone_attributes(stack, "Zone", hosted_zone_id=ZONE_ID, zone_name=ZONE_NAME)
    assert_raises_with_message(
        "`MultiAzFailoverService` needs a stack with a concrete `env.region` (ALB access logging names the "
        "region's load-balancing account in the bucket policy), got: an unresolved region token",
        lambda: MultiAzFailoverService(stack, "Service", hosted_zone=zone),
    )


# ---------------------------------------------------------------------------------------------
# (d) The wheel's metadata.
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def metadata():
    return importlib.metadata.metadata(DIST_NAME)


@pytest.fixture(scope="module")
def package_json():
    return json.loads((ROOT / "package.json").read_text())


def requirement(metadata, name: str) -> Requirement:
    matches = [Requirement(r) for r in metadata.get_all("Requires-Dist") or [] if Requirement(r).name == name]
    assert len(matches) == 1, f"Requires-Dist names {name} {len(matches)} times: {metadata.get_all('Requires-Dist')}"
    return matches[0]


def test_name_and_version_match_package_json(metadata, package_json):
    assert metadata["Name"] == DIST_NAME
    assert package_json["name"] == DIST_NAME
    # PEP 440 normalizes npm prereleases (1.0.0-rc.1 -> 1.0.0rc1).
    assert Version(metadata["Version"]) == Version(package_json["version"])


def just_below(version: str) -> str:
    major, minor, patch = Version(version).release[:3]
    return f"{major}.{minor}.{patch - 1}" if patch else f"{major}.{minor - 1}.999"


def test_requires_aws_cdk_lib_from_the_built_against_version_below_the_next_major(metadata, package_json):
    # package.json pins the exact aws-cdk-lib the TypeScript side builds with (CDK_VERSION in .projenrc.ts).
    built_against = package_json["devDependencies"]["aws-cdk-lib"]
    assert re.fullmatch(r"2\.\d+\.\d+", built_against), built_against
    cdk = requirement(metadata, "aws-cdk-lib")
    assert cdk.specifier.contains(built_against)
    assert not cdk.specifier.contains(just_below(built_against))
    assert cdk.specifier.contains("2.999.0")
    assert not cdk.specifier.contains("3.0.0")


def test_requires_constructs_and_jsii(metadata, package_json):
    built_against = package_json["devDependencies"]["constructs"]
    constructs = requirement(metadata, "constructs")
    assert constructs.specifier.contains(built_against)
    assert not constructs.specifier.contains(just_below(built_against))
    assert not constructs.specifier.contains("11.0.0")
    jsii = requirement(metadata, "jsii")
    assert jsii.specifier.contains(importlib.metadata.version("jsii"))
    assert not jsii.specifier.contains("2.0.0")


def test_the_environment_has_the_libraries_the_typescript_side_builds_with():
    # run.sh pins these to node_modules/aws-cdk-lib and node_modules/constructs, so the parity
    # test compares two synths of the same aws-cdk-lib.
    assert importlib.metadata.version("aws-cdk-lib") == required_env("MAFS_EXPECTED_CDK_VERSION")
    assert importlib.metadata.version("constructs") == required_env("MAFS_EXPECTED_CONSTRUCTS_VERSION")


def test_requires_python_admits_this_interpreter(metadata):
    from packaging.specifiers import SpecifierSet

    requires_python = metadata["Requires-Python"]
    assert requires_python
    assert SpecifierSet(requires_python).contains(".".join(map(str, sys.version_info[:3])))


def test_license_is_apache_2(metadata, package_json):
    assert package_json["license"] == "Apache-2.0"
    assert metadata["License"] == "Apache-2.0" or metadata["License-Expression"] == "Apache-2.0"


def headings_outside_code(markdown: str) -> list:
    without_code = re.sub(r"^```.*?^```[ \t]*$", "", markdown, flags=re.S | re.M)
    return [line for line in without_code.splitlines() if re.match(r"#{1,6} ", line)]


def test_long_description_is_the_readme(metadata):
    # jsii-pacmak renders the README for Python (rosetta translates its TypeScript examples, list
    # markers may change), so the text is not byte-equal; its headings and title are.
    readme = (ROOT / "README.md").read_text()
    description = metadata.get_payload()
    assert metadata["Description-Content-Type"] == "text/markdown"
    first_heading = headings_outside_code(readme)[0]
    assert first_heading == f"# {DIST_NAME}"
    assert description.lstrip().startswith(first_heading + "\n")
    assert headings_outside_code(description) == headings_outside_code(readme)


# ---------------------------------------------------------------------------------------------
# The README's Python example is the program this file runs.
# ---------------------------------------------------------------------------------------------


def program(source: str) -> str:
    """The program's syntax tree without its module docstring: comments and layout do not count."""
    tree = ast.parse(source)
    if ast.get_docstring(tree) is not None:
        tree.body = tree.body[1:]
    return ast.dump(tree)


def test_languages_python_example_is_examples_python_app():
    # The README's only Python program is its first app, which test/new-project/run.sh runs; the
    # bundled example app is shown in docs/LANGUAGES.md, and is the program this file synthesizes.
    doc = (ROOT / "docs" / "LANGUAGES.md").read_text()
    blocks = re.findall(r"^```python[ \t]*\n(.*?)^```[ \t]*$", doc, flags=re.S | re.M)
    assert len(blocks) == 1, (
        f"docs/LANGUAGES.md must have exactly one ```python example (the Python section), found {len(blocks)}; "
        "it is checked against examples/python/app.py, which this file synthesizes"
    )
    app = (ROOT / "examples" / "python" / "app.py").read_text()
    assert program(blocks[0]) == program(app), (
        "the ```python example in docs/LANGUAGES.md is not the program in examples/python/app.py "
        "(comments, layout and the module docstring may differ; code may not)"
    )
