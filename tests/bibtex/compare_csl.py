#!/usr/bin/env python3
"""Compares crosswalk's CSL-JSON (argv[1]) with a project's expected CSL-JSON
(argv[2]) item by item, on the fields both converters are meant to agree on.
Prints one line per difference: "<id> <field>: ours=<..> theirs=<..>".
Exit status 0; the caller counts lines."""
import json
import sys

FIELDS = ["type", "title", "container-title", "collection-title", "publisher",
          "publisher-place", "volume", "issue", "page", "edition", "DOI", "URL",
          "ISBN", "ISSN", "number", "genre", "event-title", "note"]
NAMES = ["author", "editor", "translator", "container-author"]


def norm_names(v):
    out = []
    for n in v or []:
        if "literal" in n:
            out.append(("lit", n["literal"]))
        else:
            out.append((n.get("non-dropping-particle", "") + " " + n.get("family", "")).strip()
                       + "|" + n.get("given", "") + "|" + n.get("suffix", ""))
    return out


def date(v):
    if not v:
        return None
    return v.get("date-parts") or v.get("literal") or v.get("raw")


def main():
    ours = {i.get("id"): i for i in json.load(open(sys.argv[1]))}
    theirs = json.load(open(sys.argv[2]))
    for t in theirs:
        i = t.get("id")
        o = ours.get(i)
        if o is None:
            print(f"{i} (item): missing")
            continue
        for f in FIELDS:
            a, b = o.get(f), t.get(f)
            if isinstance(b, (int, float)):
                b = str(b)
            if a != b:
                print(f"{i} {f}: ours={a!r} theirs={b!r}")
        for f in NAMES:
            a, b = norm_names(o.get(f)), norm_names(t.get(f))
            if a != b:
                print(f"{i} {f}: ours={a!r} theirs={b!r}")
        for f in ["issued", "accessed", "event-date", "original-date"]:
            a, b = date(o.get(f)), date(t.get(f))
            if a != b:
                print(f"{i} {f}: ours={a!r} theirs={b!r}")


main()
