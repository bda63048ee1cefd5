"""Validates JSON documents against a JSON Schema (draft 2020-12) with the
pinned `jsonschema` package, for tests/it/plan.rs.

    python3 validate_json.py SCHEMA.json DOC.json [DOC.json ...]

Prints one line per problem (`DOC: path: message`) and exits 1 if there is
any, 0 if every document is valid.
"""
import json
import sys

import jsonschema


def main():
    schema = json.load(open(sys.argv[1]))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    problems = 0
    for path in sys.argv[2:]:
        doc = json.load(open(path))
        errors = list(validator.iter_errors(doc))
        if errors:
            # The error that says most (inside a oneOf, the branch that
            # came closest), at its path.
            e = jsonschema.exceptions.best_match(errors)
            while e.context:
                e = jsonschema.exceptions.best_match(e.context)
            where = "/".join(str(p) for p in e.absolute_path) or "(root)"
            print(f"{path}: {where}: {e.message}")
            problems += 1
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
