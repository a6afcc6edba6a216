#!/usr/bin/env python3
"""The exit statuses crosswalk --help lists are the ones docs/user-guide.md
and docs/crosswalk.1 document, with the same meaning; README.md names each
of them; and the user guide's example of a located JSON error is what
crosswalk prints.

usage: exit_codes_doc.py CROSSWALK SOURCE_DIR
"""
import re
import os
import subprocess
import sys
import tempfile


def norm(text):
    text = text.replace("`", "").replace("\\-", "-").strip()
    return re.sub(r"\s+", " ", text).rstrip(".").lower()


def from_help(exe):
    out = subprocess.run([exe, "--help"], capture_output=True, text=True, check=True).stdout
    part = out.split("exit status:\n", 1)[1].split("\n\n", 1)[0]
    codes = {}
    code = None
    for line in part.splitlines():
        m = re.match(r"  (\d+(?:\+n)?)\s+(.*)", line)
        if m:
            code = m.group(1)
            codes[code] = norm(m.group(2))
        elif code and line.startswith("        "):
            codes[code] = norm(codes[code] + " " + line)  # a meaning on two lines
    return codes


def from_guide(path):
    text = open(path, encoding="utf-8").read()
    part = text.split("## Exit status", 1)[1].split("\n## ", 1)[0]
    codes = {}
    for m in re.finditer(r"^\| (\d+(?:\+n)?) \| (.*) \|$", part, re.M):
        codes[m.group(1)] = norm(m.group(2))
    return codes


def roff_line(line):
    """The text of one man page line: .B/.BR/.I arguments joined as printed."""
    if not line.startswith("."):
        return line
    m = re.match(r"\.(B|I|BR|RB|BI|IB|IR|RI)\s+(.*)", line)
    if not m:
        return None
    args = re.findall(r'"[^"]*"|\S+', m.group(2))
    args = [a.strip('"') for a in args]
    return ("" if len(m.group(1)) > 1 else " ").join(args)


def from_man(path):
    text = open(path, encoding="utf-8").read()
    part = text.split(".SH EXIT STATUS", 1)[1].split("\n.SH ", 1)[0]
    codes = {}
    for entry in part.split(".TP\n")[1:]:
        lines = entry.split("\n.PP", 1)[0].strip().splitlines()
        code = roff_line(lines[0]).strip()
        words = [w for w in (roff_line(l) for l in lines[1:]) if w is not None]
        codes[code] = norm(" ".join(words))
    return codes


def from_readme(path):
    text = open(path, encoding="utf-8").read()
    part = text.split("Exit status:", 1)[1].split("\n\n", 1)[0]
    return set(re.findall(r"(?<![\w+])(\d+(?:\+n)?) ", part))


def check_json_error_example(exe, guide):
    """The guide shows an error and the input line it is about: run it."""
    text = open(guide, encoding="utf-8").read()
    part = text.split("## Errors and bad input", 1)[1]
    m = re.search(r"\n    (crosswalk: refs\.json:(\d+):\d+: error: .*)\n\n"
                  r"  \(for `(.*)` on line (\d+)\)", part)
    if not m:
        return ["docs/user-guide.md: no JSON error example with its input line"]
    shown, line, source, at = m.group(1), int(m.group(2)), m.group(3), int(m.group(4))
    if line != at:
        return [f"docs/user-guide.md: the example's error is on line {line}, its input on {at}"]
    lines = ["["] + ['  {"id": "a%d", "type": "book", "title": "A"},' % i
                     for i in range(at - 2)] + [source, '  {"id": "c", "type": "book"}', "]"]
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "refs.json"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        r = subprocess.run([os.path.abspath(exe), "convert", "refs.json", "out.jsonl"], cwd=d,
                           capture_output=True, text=True)
    got = r.stderr.splitlines()[0] if r.stderr else ""
    if got != shown:
        return [f"docs/user-guide.md: the JSON error example says {shown!r}, "
                f"crosswalk prints {got!r}"]
    return []


def main():
    exe, src = sys.argv[1], sys.argv[2]
    want = from_help(exe)
    bad = 0
    for name, got in (("docs/user-guide.md", from_guide(src + "/docs/user-guide.md")),
                      ("docs/crosswalk.1", from_man(src + "/docs/crosswalk.1"))):
        for code in sorted(set(want) | set(got), key=lambda c: int(c.split("+")[0])):
            if want.get(code) != got.get(code):
                print(f"{name}: exit status {code}: {got.get(code)!r}, "
                      f"--help says {want.get(code)!r}")
                bad = 1
    readme = from_readme(src + "/README.md")
    if readme != set(want):
        print(f"README.md: exit statuses {sorted(readme)}, --help has {sorted(want)}")
        bad = 1
    for e in check_json_error_example(exe, src + "/docs/user-guide.md"):
        print(e)
        bad = 1
    if not bad:
        print(f"{len(want)} exit statuses agree")
    return bad


if __name__ == "__main__":
    sys.exit(main())
