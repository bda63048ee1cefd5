#!/usr/bin/env python3
"""Judges scalec's table of AWS field constraints against AWS's own
machine-readable rules: botocore's service models (what every AWS SDK is
generated from) for API members, and the CloudFormation resource schemas
that cfn-lint ships for template properties (and its schema of the
UpdatePolicy attribute).

For every row it finds the member or property and checks that the row is
at least as strict as the model: lengths, numeric ranges and list sizes
inside the model's, enum values among the model's, and the same kind of
value. Where the model or schema has a pattern, every witness of the
row's shape (values it accepts at its edges) and every value scalec emits
for the field must match it. Prints one JSON document: rows compared, rows
with no counterpart (and why), problems, the "one of these words" rows
whose field has no enum upstream, and how many patterns were compared.

    python3 constraints_oracle.py TABLE.json
"""
import json
import re
import sys

import botocore.session
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

SERVICES = {"autoscaling": "autoscaling", "application-autoscaling": "application-autoscaling", "cloudwatch": "cloudwatch", "sns": "sns"}
KINDS = {"text": {"string"}, "int": {"integer", "long"}, "number": {"double", "float"},
         "bool": {"boolean"}, "one_of": {"string"}, "list": {"list"}, "json": {"string"}}


def java_pattern(p):
    """A model's (Java) pattern as a Python one: the surrogate pair range
    `\\uD800\\uDC00-\\uDBFF\\uDFFF` means every supplementary code point, and
    Java's `\\p{Print}` is printable ASCII (space to tilde)."""
    return p.replace("\\uD800\\uDC00-\\uDBFF\\uDFFF", "\\U00010000-\\U0010FFFF").replace("\\p{Print}", "[\\x20-\\x7E]")


def compare_pattern(problems, row, pattern, where, whole):
    """Every witness of the row's shape and every value scalec emits for
    the field must match AWS's pattern: else AWS is stricter here. Service
    models' patterns are held to the whole value (as the services enforce
    them); resource schemas' are searched, as JSON Schema and cfn-lint do."""
    if not pattern:
        return False
    try:
        rx = re.compile(java_pattern(pattern))
    except re.error as e:
        problems.append(f"{row['api']} {row['field']}: {where} pattern {pattern!r} can't be read ({e})")
        return True
    for v in list(row.get("witnesses", [])) + list(row.get("samples", [])):
        if not (rx.fullmatch(v) if whole else rx.search(v)):
            problems.append(f"{row['api']} {row['field']}: `{v}`, which the table takes, fails {where} pattern {pattern!r}")
    return True


def looser(problems, row, what, ours, theirs):
    problems.append(f"{row['api']} {row['field']}: {what} {ours} is looser than {theirs}")


def compare_bounds(problems, row, lo, hi, model_lo, model_hi, what):
    if model_lo is not None and (lo is None or lo < model_lo):
        looser(problems, row, f"minimum {what}", lo, f"the model's {model_lo}")
    if model_hi is not None and (hi is None or hi > model_hi):
        looser(problems, row, f"maximum {what}", hi, f"the model's {model_hi}")


def api_shape(session, row):
    service, op = row["api"].split(":")
    model = session.get_service_model(SERVICES[service])
    shape = model.operation_model(op).input_shape
    for part in row["field"].split("."):
        item = part.endswith("[]")
        name = part[:-2] if item else part
        # A map's entry (`Attributes.DisplayName`): the map's value shape.
        shape = shape.value if shape.type_name == "map" else shape.members[name]
        if item:
            shape = shape.member
    return shape


def check_api(session, row, problems):
    shape = api_shape(session, row)
    rule = row["rule"]
    kind = rule["kind"]
    if shape.type_name not in KINDS[kind]:
        problems.append(f"{row['api']} {row['field']}: a {kind} row for a {shape.type_name} member")
        return
    meta = shape.metadata
    if kind in ("text", "one_of") and compare_pattern(problems, row, meta.get("pattern"), "the model's", True):
        row["_patterned"] = True
    if kind == "text":
        compare_bounds(problems, row, rule["min"], rule["max"], meta.get("min"), meta.get("max"), "length")
    elif kind == "int":
        compare_bounds(problems, row, rule["min"], rule["max"], meta.get("min"), meta.get("max"), "value")
        compare_bounds(problems, row, rule["min"], rule["max"], -2**31, 2**31 - 1, "value (32-bit)")
    elif kind == "list":
        compare_bounds(problems, row, rule["min"], rule["max"], meta.get("min"), meta.get("max"), "item count")
    elif kind == "one_of":
        enum = getattr(shape, "enum", None) or []
        if enum:
            extra = sorted(set(rule["values"]) - set(enum))
            if extra:
                problems.append(f"{row['api']} {row['field']}: {extra} are not among the model's values {enum}")
        else:
            row["_no_enum"] = True
        for v in rule["values"]:
            compare_bounds(problems, row, len(v), len(v), meta.get("min"), meta.get("max"), f"length of `{v}`")


def update_policy_schema(resource_type):
    """cfn-lint's schema of a resource's UpdatePolicy attribute, with the
    file's definitions, so that `cfn_property` can walk it."""
    import os
    import cfnlint
    path = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas", "other", "resources", "update_policy.json")
    doc = json.load(open(path))
    name = {"AWS::AutoScaling::AutoScalingGroup": "AutoScalingGroupUpdatePolicy"}[resource_type]
    root = dict(doc["definitions"][name])
    root["definitions"] = doc["definitions"]
    return root


def cfn_property(schema, field):
    """The schema of a property path, following $ref and items."""
    node = schema
    defs = schema.get("definitions", {})

    def deref(n):
        while "$ref" in n:
            n = defs[n["$ref"].split("/")[-1]]
        return n

    for part in field.split("."):
        item = part.endswith("[]")
        name = part[:-2] if item else part
        node = deref(node)
        node = deref(node["properties"][name])
        if item:
            node = deref(node["items"])
    return node


def check_cfn(row, problems):
    if row["field"].startswith("UpdatePolicy."):
        node = cfn_property(update_policy_schema(row["api"]), row["field"][len("UpdatePolicy."):])
    else:
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", row["api"]).schema
        node = cfn_property(schema, row["field"])
    rule = row["rule"]
    kind = rule["kind"]
    if kind in ("text", "one_of") and compare_pattern(problems, row, node.get("pattern"), "the schema's", False):
        row["_patterned"] = True
    types = node.get("type")
    types = set(types) if isinstance(types, list) else {types} if types else set()
    if kind == "text":
        compare_bounds(problems, row, rule["min"], rule["max"], node.get("minLength"), node.get("maxLength"), "length")
    elif kind == "int":
        # Sizes are strings of digits in templates; integers elsewhere.
        if types and not types & {"integer", "number", "string"}:
            problems.append(f"{row['api']} {row['field']}: an int row for a {types} property")
        compare_bounds(problems, row, rule["min"], rule["max"], node.get("minimum"), node.get("maximum"), "value")
    elif kind == "list":
        if types and "array" not in types:
            problems.append(f"{row['api']} {row['field']}: a list row for a {types} property")
        compare_bounds(problems, row, rule["min"], rule["max"], node.get("minItems"), node.get("maxItems"), "item count")
    elif kind == "one_of":
        enum = node.get("enum")
        if enum:
            extra = sorted(set(rule["values"]) - set(enum))
            if extra:
                problems.append(f"{row['api']} {row['field']}: {extra} are not among the schema's values {enum}")
        else:
            row["_no_enum"] = True
    elif kind == "bool" and types and "boolean" not in types:
        problems.append(f"{row['api']} {row['field']}: a bool row for a {types} property")


def main():
    rows = json.load(open(sys.argv[1]))
    session = botocore.session.get_session()
    problems, compared, uncompared = [], 0, []
    for row in rows:
        api = row["api"]
        try:
            if ":" in api and not api.startswith("AWS::"):
                check_api(session, row, problems)
            elif api == "AWS::CloudFormation::Template":
                uncompared.append(f"{api} {row['field']}: template structure, no resource schema")
                continue
            else:
                check_cfn(row, problems)
            compared += 1
        except KeyError as e:
            problems.append(f"{api} {row['field']}: no such member or property in AWS's model ({e})")
    # "One of these words" rows whose field has no list of values upstream:
    # only the words' lengths (and a pattern, if any) were compared.
    words_unchecked = sorted(f"{r['api']} {r['field']}" for r in rows if r.get("_no_enum"))
    patterned = sum(1 for r in rows if r.get("_patterned"))
    print(json.dumps({"compared": compared, "uncompared": uncompared, "problems": problems,
                      "words_without_enum": words_unchecked, "patterns_compared": patterned}, indent=2))


if __name__ == "__main__":
    main()
