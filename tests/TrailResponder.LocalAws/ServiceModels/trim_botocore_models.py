#!/usr/bin/env python3
"""Writes the trimmed snapshot of botocore's service models that the local AWS endpoint checks requests against.

Run it only to refresh the snapshot (see README.md beside it); the tests never run it. It needs nothing but
Python 3 and a botocore installation (pip's botocore or Debian's python3-botocore), or --botocore-data.
"""

import argparse
import gzip
import json
import os
import re
import shutil
import sys

# The one list to edit: per service (botocore's folder name), every operation our clients call and the local
# endpoint serves. Each service's handler in ../Services must serve exactly these (a test checks it).
OPERATIONS = {
    "s3": ["CreateBucket", "PutObject", "GetObject", "HeadObject", "ListObjectsV2"],
    "sns": ["Publish"],
    "ec2": ["DescribeSecurityGroupRules", "DescribeSecurityGroups", "ModifySecurityGroupRules", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress"],
    "securityhub": ["BatchImportFindings"],
    "cloudtrail": ["ListPublicKeys"],
}

# Prose and examples: botocore's largest part, and nothing the endpoint checks.
PROSE_KEYS = {"documentation", "documentationUrl", "examples"}

# An operation keeps its request side only: its output and error shapes are not checked, so they are not kept.
REQUEST_ONLY_DROPS = {"output", "errors"}

HERE = os.path.dirname(os.path.abspath(__file__))


def botocore_data_directory(explicit):
    if explicit:
        # botocore/data sits beside botocore/__init__.py, which names the release.
        init = os.path.join(os.path.dirname(os.path.abspath(explicit)), "__init__.py")
        version = re.search(r"^__version__ = ['\"]([^'\"]+)", open(init, encoding="utf-8").read(), re.MULTILINE) if os.path.exists(init) else None
        return explicit, "botocore " + version.group(1) if version else "botocore data at " + explicit
    try:
        import botocore
    except ImportError:
        sys.exit("botocore is not importable: install it (pip install botocore, or apt-get install python3-botocore) or pass --botocore-data DIR")
    return os.path.join(os.path.dirname(botocore.__file__), "data"), "botocore " + botocore.__version__


def newest_model(data, service):
    # The endpoint, like botocore, uses the newest API version of a service.
    folder = os.path.join(data, service)
    versions = sorted(v for v in os.listdir(folder)
                      if any(os.path.exists(os.path.join(folder, v, name)) for name in ("service-2.json", "service-2.json.gz")))
    if not versions:
        sys.exit(f"no service-2.json for {service} under {folder}")
    version = versions[-1]
    plain = os.path.join(folder, version, "service-2.json")
    if os.path.exists(plain):
        with open(plain, encoding="utf-8") as f:
            return version, json.load(f)
    with gzip.open(plain + ".gz", "rt", encoding="utf-8") as f:
        return version, json.load(f)


def shape_references(shape):
    for member in shape.get("members", {}).values():
        yield member["shape"]
    for key in ("member", "key", "value"):
        if key in shape:
            yield shape[key]["shape"]


def without_prose(node):
    if isinstance(node, dict):
        return {k: without_prose(v) for k, v in node.items() if k not in PROSE_KEYS}
    if isinstance(node, list):
        return [without_prose(v) for v in node]
    return node


def trim(model, service, wanted, source):
    missing = [name for name in wanted if name not in model["operations"]]
    if missing:
        sys.exit(f"{service}: {source} has no operation {', '.join(missing)}")

    operations = {}
    reached = set()
    pending = []
    for name in sorted(wanted):
        operation = {k: v for k, v in model["operations"][name].items() if k not in REQUEST_ONLY_DROPS}
        operations[name] = operation
        if "input" in operation:
            pending.append(operation["input"]["shape"])
    while pending:
        name = pending.pop()
        if name in reached:
            continue
        reached.add(name)
        pending.extend(shape_references(model["shapes"][name]))

    return without_prose({
        "snapshot": f"Trimmed from {source} by trim_botocore_models.py: only the operations listed there, their input shapes, "
                    "no documentation. Modified from the original; Apache-2.0, see LICENSE and NOTICE.",
        "version": model.get("version"),
        "metadata": model["metadata"],
        "operations": operations,
        "shapes": {name: model["shapes"][name] for name in sorted(reached)},
    })


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--botocore-data", help="botocore's data folder (default: that of the importable botocore)")
    args = parser.parse_args()
    data, source = botocore_data_directory(args.botocore_data)

    for entry in os.listdir(HERE):
        if os.path.isdir(os.path.join(HERE, entry)) and not entry.startswith((".", "__")):
            shutil.rmtree(os.path.join(HERE, entry))
    for service, wanted in OPERATIONS.items():
        version, model = newest_model(data, service)
        trimmed = trim(model, service, wanted, source)
        target = os.path.join(HERE, service, version)
        os.makedirs(target)
        with open(os.path.join(target, "service-2.json"), "w", encoding="utf-8", newline="\n") as f:
            json.dump(trimmed, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"{service} {version}: {len(trimmed['operations'])} operations, {len(trimmed['shapes'])} shapes")
    print(f"source: {source}")


if __name__ == "__main__":
    main()
