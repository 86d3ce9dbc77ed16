#!/usr/bin/env python3
"""The JSON Schema (`assure schema`) agrees with the loader.

Every example and every check case (files the loader accepts) must pass the schema, and every
broken file in tests/errors/ marked `# schema: fails` must fail it. The YAML is read with YAML
1.2 core rules (true/false only as booleans; dates stay text), as an editor's language server
reads it.

usage: schema_test.py ASSURE SOURCE_DIR
"""
import json
import pathlib
import re
import subprocess
import sys

import jsonschema
import yaml


class CoreLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core scalars: no yes/no/on/off booleans, no timestamps."""


CoreLoader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", list("-+0123456789")),
    ("tag:yaml.org,2002:float", r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$",
     list("-+0123456789.")),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    CoreLoader.add_implicit_resolver(tag, re.compile(pattern), first)


def main():
    assure, source = sys.argv[1], pathlib.Path(sys.argv[2])
    schema = json.loads(subprocess.run([assure, "schema"], check=True, capture_output=True,
                                       text=True).stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = []
    valid = sorted((source / "examples").glob("*.yaml")) + sorted(
        (source / "tests/cases").rglob("*.yaml"))
    for path in valid:
        document = yaml.load(path.read_text(), Loader=CoreLoader)
        errors = list(validator.iter_errors(document))
        if errors:
            failures.append(f"{path}: accepted by the loader but not by the schema: "
                            f"{errors[0].message} at {list(errors[0].path)}")
    judged = 0
    for path in sorted((source / "tests/errors").glob("*.yaml")):
        text = path.read_text()
        if not re.search(r"^#\s*schema:\s*fails\s*$", text, re.M):
            continue
        judged += 1
        try:
            document = yaml.load(text, Loader=CoreLoader)
        except yaml.YAMLError:
            continue  # unreadable YAML fails any schema
        if validator.is_valid(document):
            failures.append(f"{path}: refused by the loader, but the schema accepts it")
    for f in failures:
        print(f)
    print(f"schema: {len(valid)} valid files pass, {judged} broken files judged")
    if not valid:
        print("no valid files found")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
