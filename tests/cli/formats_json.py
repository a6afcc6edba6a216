#!/usr/bin/env python3
"""crosswalk formats --json is JSON and holds everything formats -v shows:
every plugin (name, version, file, ABI), every format (capabilities,
extensions, aliases, MIME types, reader and writer options with their
defaults), every filter with its options, and which entries are shadowed.

Run with the fixture plugin named by --plugin and a copy of the CSL-JSON
plugin loaded first, so that the build tree's CSL-JSON formats are shadowed.

usage: formats_json.py CROSSWALK FIXTURE_PLUGIN CSLJSON_PLUGIN WORKDIR
"""
import json
import os
import re
import shutil
import subprocess
import sys


def run(exe, *args):
    return subprocess.run([exe, *args], capture_output=True, text=True, check=True).stdout


def parse_verbose(text):
    """The plugins of 'formats -v' as dicts shaped like the JSON's."""
    plugins = []
    entry = None  # the format or filter whose detail lines follow
    label = None  # "reads:", "writes:", "options:" while its lines continue
    for line in text.splitlines():
        if not line.startswith(" "):
            name, version, origin = re.match(r"(\S+) (\S*)  (.*)$", line).groups()
            plugins.append({"name": name, "version": version, "file": origin,
                            "formats": [], "filters": []})
            continue
        p = plugins[-1]
        m = re.match(r"    (\S+)\s+filter\s+(.*)$", line)
        if m:
            entry = {"name": m.group(1), "description": m.group(2), "options": []}
            p["filters"].append(entry)
            continue
        m = re.match(r"    (\S+) {1,}(read )? *(write)? *(.*)$", line)
        if m and not line.startswith("      "):
            desc = m.group(4)
            shadowed = desc.endswith(" [shadowed by an earlier plugin]")
            if shadowed:
                desc = desc[: -len(" [shadowed by an earlier plugin]")]
            entry = {"name": m.group(1), "read": bool(m.group(2)), "write": bool(m.group(3)),
                     "description": desc, "shadowed": shadowed, "extensions": [],
                     "aliases": [], "mime_types": [], "reader_options": [],
                     "writer_options": []}
            p["formats"].append(entry)
            continue
        m = re.match(r"      (extensions|aliases|mime types)\s+(.*)$", line)
        if m:
            key = m.group(1).replace(" ", "_")
            entry[key] = [w[1:] if key == "extensions" else w for w in m.group(2).split()]
            continue
        m = re.match(r"      (reads:|writes:|options:)?\s+--([a-z0-9-]+)(=\S*)?"
                     r"(?: \(default (.*)\))?$", line)
        if m:
            label = m.group(1) or label
            key = {"reads:": "reader_options", "writes:": "writer_options",
                   "options:": "options"}[label]
            entry[key].append({"name": m.group(2), "value": m.group(3),
                               "default": m.group(4)})
            continue
        if line.startswith("           ") and entry:
            key = {"reads:": "reader_options", "writes:": "writer_options",
                   "options:": "options"}[label]
            entry[key][-1]["description"] = line.strip()
            continue
        if line.startswith("  ") and not line.startswith("   "):
            p["description"] = line.strip()
            continue
        raise AssertionError(f"unexpected line in formats -v: {line!r}")
    return plugins


def check_options(where, shown, listed, fail):
    if [o["name"] for o in shown] != [o["name"] for o in listed]:
        fail(f"{where}: options {[o['name'] for o in listed]}, -v shows "
             f"{[o['name'] for o in shown]}")
        return
    for s, j in zip(shown, listed):
        if s["default"] != j["default"]:
            fail(f"{where} --{s['name']}: default {j['default']!r}, -v shows {s['default']!r}")
        if s.get("description", "") != (j["description"] or ""):
            fail(f"{where} --{s['name']}: description differs")
        if j["type"] not in ("bool", "string", "int", "enum"):
            fail(f"{where} --{s['name']}: type {j['type']!r}")
        value = {"bool": None, "int": "=N", "string": "=TEXT"}.get(j["type"])
        if j["type"] == "enum":
            value = "=" + "|".join(j["choices"])
        elif j["choices"] is not None:
            fail(f"{where} --{s['name']}: choices for a {j['type']} option")
        if s["value"] != value:
            fail(f"{where} --{s['name']}: -v shows {s['value']!r}, JSON says {value!r}")


def main():
    exe, fixture, csljson, work = sys.argv[1:5]
    os.makedirs(work, exist_ok=True)
    copy = os.path.join(work, "csljson-copy.so")
    shutil.copyfile(csljson, copy)
    args = ["--plugin", copy, "--plugin", fixture]
    doc = json.loads(run(exe, *args, "formats", "--json"))
    shown = parse_verbose(run(exe, *args, "formats", "-v"))
    errors = []
    fail = errors.append

    version = run(exe, "--version")
    if f"crosswalk {doc['crosswalk']} (plugin ABI {doc['abi']})" not in version:
        fail(f"version {doc['crosswalk']} ABI {doc['abi']}: --version says {version!r}")
    if [p["name"] for p in doc["plugins"]] != [p["name"] for p in shown]:
        fail(f"plugins {[p['name'] for p in doc['plugins']]}, -v shows "
             f"{[p['name'] for p in shown]}")
    for s, j in zip(shown, doc["plugins"]):
        where = j["file"]
        for key in ("name", "version", "file", "description"):
            if s.get(key) != j[key]:
                fail(f"{where}: {key} {j[key]!r}, -v shows {s.get(key)!r}")
        if not re.fullmatch(r"\d+\.\d+", j["abi"]):
            fail(f"{where}: abi {j['abi']!r}")
        if [f["name"] for f in s["formats"]] != [f["name"] for f in j["formats"]]:
            fail(f"{where}: formats differ")
        for sf, jf in zip(s["formats"], j["formats"]):
            w = f"{where}: {jf['name']}"
            for key in ("read", "write", "description", "extensions", "aliases", "mime_types"):
                if sf[key] != jf[key]:
                    fail(f"{w}: {key} {jf[key]!r}, -v shows {sf[key]!r}")
            if sf["shadowed"] != (jf["shadowed_by"] is not None):
                fail(f"{w}: shadowed_by {jf['shadowed_by']!r}, -v shows {sf['shadowed']}")
            check_options(w + " reader", sf["reader_options"], jf["reader_options"], fail)
            check_options(w + " writer", sf["writer_options"], jf["writer_options"], fail)
        if [f["name"] for f in s["filters"]] != [f["name"] for f in j["filters"]]:
            fail(f"{where}: filters differ")
        for sf, jf in zip(s["filters"], j["filters"]):
            if sf["description"] != jf["description"]:
                fail(f"{where}: filter {jf['name']}: description differs")
            check_options(f"{where}: filter {jf['name']}", sf["options"], jf["options"], fail)

    # the copy loaded first wins: the build tree's CSL-JSON is shadowed by it
    by_file = {p["file"]: p for p in doc["plugins"]}
    if by_file.get(copy, {}).get("formats", [{}])[0].get("shadowed_by", 0) is not None:
        fail(f"{copy}: its formats are not shadowed")
    shadowed = [f for p in doc["plugins"] if p["file"] == csljson for f in p["formats"]]
    if not shadowed or any(f["shadowed_by"] != {"plugin": "csljson", "file": copy}
                           for f in shadowed):
        fail(f"{csljson}: shadowed_by {[f['shadowed_by'] for f in shadowed]}")
    # the fixture brings filters with options, and formats that read or write only
    if not any(f["options"] for p in doc["plugins"] for f in p["filters"]):
        fail("no filter with options listed")

    names = run(exe, *args, "formats", "--names").split()
    want = sorted({f["name"] for p in doc["plugins"] for f in p["formats"]
                   if f["shadowed_by"] is None})
    if sorted(names) != want or len(names) != len(want):
        fail(f"--names: {names}, want {want}")
    filters = run(exe, *args, "formats", "--names=filters").split()
    if sorted(filters) != sorted({f["name"] for p in doc["plugins"] for f in p["filters"]
                                  if f["shadowed_by"] is None}):
        fail(f"--names=filters: {filters}")
    writers = set(run(exe, *args, "formats", "--names=writers").split())
    if writers != {f["name"] for p in doc["plugins"] for f in p["formats"]
                   if f["write"] and f["shadowed_by"] is None}:
        fail(f"--names=writers: {sorted(writers)}")

    for e in errors:
        print(e)
    if not errors:
        print(f"formats --json agrees with formats -v on {len(doc['plugins'])} plugins")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
