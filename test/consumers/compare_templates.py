#!/usr/bin/env python3
"""Compare a consumer app's synthesized stack with the TypeScript example's, as parsed JSON.

  python3 test/consumers/compare_templates.py TS_CDK_OUT OTHER_CDK_OUT LANGUAGE [STACK_ID]

Used by test/java/run.sh, test/go/run.sh and test/new-project/run.sh (STACK_ID: default
PaymentApiFailover). The one value that legitimately differs between languages is normalised as test/python/test_python_package.py does (`comparable_template`): the
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


def main() -> None:
    ts_dir, other_dir, language = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
    stack_id = sys.argv[4] if len(sys.argv) > 4 else "PaymentApiFailover"
    names = {d: sorted(p.name for p in d.glob("*.template.json")) for d in (ts_dir, other_dir)}
    if names[ts_dir] != [f"{stack_id}.template.json"] or names[other_dir] != names[ts_dir]:
        sys.exit(f"expected exactly {stack_id}.template.json in both, got: typescript {names[ts_dir]}, {language} {names[other_dir]}")
    expected = comparable_template(ts_dir / f"{stack_id}.template.json")
    actual = comparable_template(other_dir / f"{stack_id}.template.json")
    if len(expected.get("Resources", {})) <= 50:
        sys.exit("the TypeScript template has 50 resources or fewer: not the example stack")
    if actual == expected:
        print(f"{language}: {stack_id}.template.json equals TypeScript's ({len(expected['Resources'])} resources)")
        return
    want, got = expected.get("Resources", {}), actual.get("Resources", {})
    differ = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
    diff = list(
        difflib.unified_diff(
            json.dumps(expected, indent=1, sort_keys=True).splitlines(),
            json.dumps(actual, indent=1, sort_keys=True).splitlines(),
            fromfile="typescript",
            tofile=language,
            lineterm="",
            n=1,
        )
    )
    print(f"{language} and TypeScript synthesize different templates; resources that differ: {differ[:10]}", file=sys.stderr)
    print("\n".join(diff[:60]), file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    main()
