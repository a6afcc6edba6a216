#!/usr/bin/python3
"""Validates CSL-JSON files against the CSL data schema (draft-07).

usage: validate_csl.py SCHEMA FILE...
Prints one line per invalid file and exits 1 if any is invalid, 2 if the
jsonschema module is missing (install python3-jsonschema; run with
/usr/bin/python3).
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate_csl.py: python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(2)


def main(argv):
    schema = json.load(open(argv[1], encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    bad = 0
    for path in argv[2:]:
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{path}: not JSON: {e}")
            bad += 1
            continue
        err = next(iter(validator.iter_errors(data)), None)
        if err is not None:
            where = "/".join(str(p) for p in err.absolute_path)
            print(f"{path}: {where}: {err.message[:300]}")
            bad += 1
    print(f"validate_csl.py: {len(argv) - 2 - bad} valid, {bad} invalid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
