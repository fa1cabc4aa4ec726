#!/usr/bin/env python3
"""Compare a consumer app's synthesized stack with the TypeScript example's, as parsed JSON.

  python3 test/consumers/compare_templates.py TS_CDK_OUT OTHER_CDK_OUT LANGUAGE [STACK_ID...]

Used by test/java/run.sh, test/go/run.sh and test/new-project/run.sh (STACK_ID: default
PaymentApiFailover; the multi-Region example passes its three, PaymentApiEu PaymentApiUs
PaymentApiGlobal). Both assemblies must hold exactly the templates of the stacks named, and each
pair must be equal. The one value that legitimately differs between languages is normalised as test/python/test_python_package.py does (`comparable_template`): the
language runtime inside the `Analytics` property of the `CDKMetadata` resource
(`...,node.js/v22.23.3!jsii-runtime.Runtime` against `...,Java/17.0.15!jsii-runtime.Runtime` or
`...,go1.26.8/linux/amd64!jsii-runtime.Runtime`) becomes `<runtime>`. Everything else (every construct
path, logical id, property, the stack description, the rest of the version report) must be equal.
Exits 1 with the differing resources and the start of a diff.
"""

import base64
import difflib
import gzip
import json
import pathlib
import re
import sys

# The last entry before `!jsii-runtime.Runtime`: `node.js/v22.23.3`, `Java/17.0.15`, `go1.26.8/linux/amd64`.
RUNTIME_IN_ANALYTICS = re.compile(r"(?<=[,}])[^,{}!]+(?=!jsii-runtime\.Runtime$)")


def comparable_template(path: pathlib.Path) -> dict:
    template = json.loads(path.read_text())
    metadata = template.get("Resources", {}).get("CDKMetadata")
    if metadata is not None:
        prefix, _, payload = metadata["Properties"]["Analytics"].rpartition(":")
        if prefix != "v2:deflate64":
            sys.exit(f"unknown Analytics format in {path}")
        report = gzip.decompress(base64.b64decode(payload)).decode()
        normalized, count = RUNTIME_IN_ANALYTICS.subn("<runtime>", report)
        if count != 1:
            sys.exit(f"no language runtime found in the Analytics of {path}: ...{report[-80:]}")
        metadata["Properties"]["Analytics"] = normalized
    return template


def differences(expected: dict, actual: dict, name: str, language: str) -> str:
    """The top-level sections and the resources that differ, then the start of a unified diff."""
    sections = sorted(k for k in set(expected) | set(actual) if expected.get(k) != actual.get(k))
    want, got = expected.get("Resources", {}), actual.get("Resources", {})
    differ = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
    diff = list(
        difflib.unified_diff(
            json.dumps(expected, indent=1, sort_keys=True).splitlines(),
            json.dumps(actual, indent=1, sort_keys=True).splitlines(),
            fromfile=f"typescript/{name}",
            tofile=f"{language}/{name}",
            lineterm="",
            n=1,
        )
    )
    return "\n".join([f"{name}: sections that differ: {sections}; resources that differ: {differ[:10]}", *diff[:60]])


def main() -> None:
    ts_dir, other_dir, language = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
    stack_ids = sys.argv[4:] or ["PaymentApiFailover"]
    wanted = sorted(f"{stack_id}.template.json" for stack_id in stack_ids)
    names = {d: sorted(p.name for p in d.glob("*.template.json")) for d in (ts_dir, other_dir)}
    if names[ts_dir] != wanted or names[other_dir] != wanted:
        sys.exit(f"expected exactly {wanted} in both, got: typescript {names[ts_dir]}, {language} {names[other_dir]}")
    pairs = {name: (comparable_template(ts_dir / name), comparable_template(other_dir / name)) for name in wanted}
    total = sum(len(expected.get("Resources", {})) for expected, _ in pairs.values())
    if total <= 50:
        sys.exit(f"the TypeScript templates have {total} resources, 50 or fewer: not the example stacks")
    failures = [differences(expected, actual, name, language) for name, (expected, actual) in pairs.items() if actual != expected]
    for name, (expected, actual) in pairs.items():
        if actual == expected:
            print(f"{language}: {name} equals TypeScript's ({len(expected.get('Resources', {}))} resources)")
    if failures:
        print(f"{language} and TypeScript synthesize different templates:", *failures, sep="\n", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
