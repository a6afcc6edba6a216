#!/usr/bin/python3
"""What users see: converts the real files of ../shared/corpus to CSL-JSON
with crosswalk, renders every record with citeproc-js (the CSL processor
inside Zotero and Mendeley) and looks for the defects a reader of the
bibliography would see.

    render_check.py --crosswalk build/crosswalk --corpus ../shared/corpus \\
                    --work DIR [--node-dir DIR] [--style apa] [--examples N]

Sources: every .bib under bibtex/, every JATS article under jats/ (the
article itself and, with --filter references, its reference list) and every
oai_dc record under dc/records/. Each record is checked for:

  raw-tex        a backslash command, a brace or $..$ math in the rendered entry
  empty          nothing to print: no title, creator, container, publisher,
                 identifier or original citation text
  nd-with-date   "n.d." printed although the source gives a date
  genre          a type word of an XML source (JATS article-type or
                 publication-type, a dc:type naming the type) used as a genre
  self-container the container title repeats the title
  lost-subtitle  a subtitle of the source that the rendered entry lacks
  white-space    a line break, a tab or doubled spaces inside a CSL text value,
                 or white space in a URL or DOI
  bad-text       U+FFFD or a control character in the rendered entry
  item-id        a CSL id of the form item-N (they collide when files merge)
  render-error   citeproc-js could not render the item

Records that hold nothing but a reference's original text (an untagged
<mixed-citation>) are counted as "unstructured" and listed, but are not
defects here: turning such text into fields is reference-string parsing.

Facts about the sources (does it have a date, a subtitle) come from reading
the source files here, independently of crosswalk. Exit status 1 when any
record has a defect, 0 otherwise; 77 when the corpus is absent (ctest
reports it as skipped).
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP = 77

# --- the sources ----------------------------------------------------------


def bib_entries(text):
    """(type, key, {field: raw value}) of each entry, in file order, roughly
    as BibTeX scans them: enough to know which fields an entry has."""
    out = []
    i, n = 0, len(text)
    while True:
        at = text.find("@", i)
        if at < 0:
            break
        m = re.match(r"@\s*([A-Za-z_]+)\s*([{(])", text[at:])
        if not m:
            i = at + 1
            continue
        etype = m.group(1).lower()
        start = at + m.end()
        paren = m.group(2) == "("
        depth, j = 0, start  # brace depth inside the entry
        while j < n:
            c = text[j]
            if c == "{":
                depth += 1
            elif c == "}":
                if depth == 0 and not paren:
                    break
                depth -= 1
            elif c == ")" and paren and depth == 0:
                break
            j += 1
        body = text[start:j]
        j += 1
        i = j
        if etype in ("comment", "preamble", "string"):
            continue
        key, _, rest = body.partition(",")
        fields = {}
        for fm in re.finditer(r"([A-Za-z_.:+-]+)\s*=\s*", rest):
            name = fm.group(1).lower()
            v, k = value_at(rest, fm.end())
            if name not in fields:
                fields[name] = v
        out.append((etype, key.strip(), fields))
    return out


def value_at(s, k):
    """The value starting at s[k] (braced, quoted or bare, with # parts)."""
    parts = []
    n = len(s)
    while k < n:
        while k < n and s[k] in " \t\r\n":
            k += 1
        if k >= n:
            break
        if s[k] == "{":
            depth, j = 0, k
            while j < n:
                if s[j] == "{":
                    depth += 1
                elif s[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            parts.append(s[k + 1:j])
            k = j + 1
        elif s[k] == '"':
            j = k + 1
            depth = 0
            while j < n and not (s[j] == '"' and depth == 0):
                depth += (s[j] == "{") - (s[j] == "}")
                j += 1
            parts.append(s[k + 1:j])
            k = j + 1
        else:
            m = re.match(r"[^\s,#}]+", s[k:])
            if not m:
                break
            parts.append("@" + m.group(0))  # a number or a macro name
            k += m.end()
        while k < n and s[k] in " \t\r\n":
            k += 1
        if k < n and s[k] == "#":
            k += 1
            continue
        break
    return "".join(parts), k


def bib_facts(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    entries = bib_entries(text)
    by_key = {key.lower(): f for _, key, f in entries}
    facts = []
    for etype, key, f in entries:
        merged = dict(f)
        for ref in ("crossref", "xdata"):
            for parent in re.split(r"\s*,\s*", f.get(ref, "")):
                pf = by_key.get(parent.strip().lower())
                if pf:
                    for name, v in pf.items():
                        merged.setdefault(name, v)
        # year 0 (EDTF 0000, 1 BC) is a date citeproc-js cannot print: not ours to fix
        has_date = any(merged.get(n, "").strip() not in ("", "0000", "0")
                       for n in ("year", "date"))
        subtitles = [merged[n] for n in ("subtitle",) if merged.get(n, "").strip()]
        content = any(merged.get(n, "").strip() for n in BIB_PRINTABLE)
        # characters the source escapes are its text, not LaTeX left over
        raw = " ".join(merged.values())
        literal = {c for c, pats in (("\\", (r"\textbackslash", r"\\")),
                                     ("{", (r"\{", r"\textbraceleft")),
                                     ("}", (r"\}", r"\textbraceright")),
                                     ("$", (r"\$", r"\textdollar")))
                   if any(p in raw for p in pats)}
        facts.append({"key": key, "date": has_date, "subtitles": subtitles,
                      "content": content, "kind": "bibtex", "literal": literal})
    return facts


BIB_PRINTABLE = ("title", "author", "editor", "journal", "journaltitle", "booktitle",
                 "publisher", "institution", "school", "organization", "howpublished",
                 "doi", "url", "series", "maintitle", "translator", "isbn", "eprint",
                 "number")

XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}


def parse_xml(path):
    """ElementTree of a JATS/DC file without its DTD: named entities the DTD
    would define become spaces (we only look at structure and dates)."""
    text = open(path, encoding="utf-8", errors="replace").read()
    text = re.sub(r"<!DOCTYPE[^[>]*(\[.*?\])?\s*>", "", text, count=1, flags=re.S)
    text = re.sub(r"&([A-Za-z][A-Za-z0-9._-]*);",
                  lambda m: m.group(0) if m.group(1) in XML_ENTITIES else " ", text)
    try:
        return ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as e:
        if "unbound prefix" not in str(e):
            raise
        # a prefix the file never declares (a real publisher error): names
        # lose their prefixes, which is all the checks need
        text = re.sub(r"\sxmlns(:\w+)?=(\"[^\"]*\"|'[^']*')", "", text)
        text = re.sub(r"(</?|\s)([A-Za-z_][\w.-]*):(?=[A-Za-z_])", r"\1\2_", text)
        return ET.fromstring(text.encode("utf-8"))


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def walk(el, skip=("sub-article", "response")):
    yield el
    for c in el:
        if local(c.tag) not in skip:
            yield from walk(c, skip)


def text_of(el):
    return " ".join("".join(el.itertext()).split())


def has_year(el):
    for d in walk(el):
        t = local(d.tag)
        if t == "date-in-citation" and "access" in (d.get("content-type") or ""):
            continue  # when it was read, not when it was published
        if t in ("year", "date", "date-in-citation", "string-date") and re.search(r"\d{4}", text_of(d)):
            return True
        if t == "date" and d.get("iso-8601-date"):
            return True
    return False


def jats_facts(path):
    root = parse_xml(path)
    art = {"date": False, "subtitles": [], "kind": "jats"}
    refs = []
    for el in walk(root):
        t = local(el.tag)
        if t == "article-meta":
            art["date"] = any(local(d.tag) == "pub-date" and has_year(d) for d in walk(el))
            art["content"] = any(local(d.tag) in ("article-title", "surname", "collab",
                                                  "string-name", "article-id")
                                 and text_of(d) for d in walk(el))
            for tg in walk(el):
                if local(tg.tag) == "title-group":
                    art["subtitles"] = [text_of(s) for s in tg if local(s.tag) == "subtitle"]
                    break
        elif t == "ref" and text_of(el):
            refs.append({"date": has_year(el), "subtitles": [], "kind": "jats"})
    return art, refs


def dc_facts(path):
    root = parse_xml(path)
    out = []
    for el in root.iter():
        if local(el.tag) == "dc" and el.tag.startswith("{http://www.openarchives.org/OAI/2.0/oai_dc/"):
            dates = [text_of(d) for d in el if local(d.tag) == "date"]
            out.append({"date": any(re.search(r"\d{4}", d) for d in dates), "subtitles": [],
                        "kind": "dc"})
    return out


# --- the checks -----------------------------------------------------------

RAW_TEX = re.compile(r"\\[A-Za-z@]+|\\[^\sA-Za-z]|[{}]|\$[^$\s][^$]*\$")
JATS_TYPES = {
    "research-article", "review-article", "editorial", "letter", "correction",
    "retraction", "book-review", "case-report", "brief-report", "meeting-report",
    "news", "obituary", "article-commentary", "abstract", "addendum", "announcement",
    "books-received", "calendar", "collection", "discussion", "dissertation",
    "expression-of-concern", "in-brief", "introduction", "oration", "other",
    "partial-retraction", "product-review", "rapid-communication", "reply",
    "reprint", "review", "systematic-review", "data-paper", "methods-article",
    "journal", "confproc", "conf-proc", "web", "webpage", "website", "data",
    "periodical", "other",
}
# words that only name an item type: as a genre, styles print "[Article]"
TYPE_WORDS = {"article", "journal article", "book", "book chapter", "chapter", "text",
              "document", "report", "thesis", "dataset", "software", "other", "journal",
              "conference paper", "review"}
TEXT_KEYS = ("title", "container-title", "collection-title", "volume-title",
             "publisher", "publisher-place", "event-title", "genre", "note",
             "original-title", "medium", "status", "number", "page", "volume",
             "issue", "edition", "archive", "archive_location", "event-place")
PRINTABLE = ("title", "author", "editor", "container-title", "publisher", "DOI",
             "URL", "collection-title", "translator", "director", "ISBN",
             "container-author", "compiler", "number", "PMID", "PMCID")


def letters(s):
    return re.sub(r"[\W_]+", " ", s.lower()).split()


def plain_subtitle(raw):
    s = re.sub(r"\\[A-Za-z]+\s*", " ", raw)
    s = re.sub(r"[{}$\\~]", " ", s)
    return letters(s)


NOT_DEFECTS = ("unstructured",)


def check(item, rendered, fact):
    found = []
    if rendered.startswith("!!"):
        found.append("render-error")
        return found
    # URLs are verbatim (a backslash in one is the source's); characters the
    # source escapes are its text
    text = re.sub(r"https?://\S+", " ", rendered)
    for c in (fact or {}).get("literal", ()):
        text = text.replace(c, " ")
    if RAW_TEX.search(text):
        found.append("raw-tex")
    custom = item.get("custom") or {}
    if not any(item.get(k) for k in PRINTABLE) and (not fact or fact.get("content", True)):
        # a reference that exists only as text (an untagged mixed-citation)
        # needs a reference-string parser; counted apart, not as a defect
        found.append("unstructured" if custom.get("original-citation") else "empty")
    if fact and fact.get("date") and re.search(r"\bn\.d\.", rendered, re.I):
        found.append("nd-with-date")
    genre = str(item.get("genre", "")).lower()
    # a BibTeX type field is the user's own genre ("Dissertation"): only the
    # XML sources have type vocabularies that must not become one
    if fact and fact.get("kind") == "bibtex":
        pass
    elif genre in JATS_TYPES or genre in TYPE_WORDS or re.search(r"\[(%s)\]" % "|".join(
            re.escape(t.capitalize()) for t in JATS_TYPES), rendered):
        found.append("genre")
    t, c = item.get("title"), item.get("container-title")
    tl, cl = (letters(re.sub(r"<[^>]+>", "", x)) if x else [] for x in (t, c))
    if tl and tl == cl:
        found.append("self-container")
    if fact:
        have = " ".join(letters(rendered))
        for sub in fact.get("subtitles", []):
            words = plain_subtitle(sub)[:3]
            if words and " ".join(words) not in have:
                found.append("lost-subtitle")
                break
    for k in TEXT_KEYS:
        v = item.get(k)
        if isinstance(v, str) and (re.search(r"[\n\t\r]|  ", v)):
            found.append("white-space")
            break
    for k in ("URL", "DOI"):
        if isinstance(item.get(k), str) and re.search(r"\s", item[k]):
            found.append("white-space")
            break
    if "\ufffd" in rendered or re.search(r"[\x00-\x08\x0b-\x1f\x7f]", rendered):
        found.append("bad-text")
    if re.fullmatch(r"item-\d+", str(item.get("id", ""))):
        found.append("item-id")
    return sorted(set(found))


# --- running --------------------------------------------------------------


def node_modules(node_dir):
    """A node_modules folder with citeproc-js, installed on first use."""
    mods = os.path.join(node_dir, "node_modules")
    if os.path.isdir(os.path.join(mods, "citeproc")):
        return mods
    os.makedirs(node_dir, exist_ok=True)
    with open(os.path.join(HERE, "package.json")) as f, \
            open(os.path.join(node_dir, "package.json"), "w") as g:
        g.write(f.read())
    r = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund",
                        "--prefix", node_dir], capture_output=True, text=True)
    if r.returncode != 0 or not os.path.isdir(os.path.join(mods, "citeproc")):
        sys.exit("render_check: npm install of citeproc-js failed:\n" + r.stderr)
    return mods


def convert(cw, args, out):
    r = subprocess.run([cw, "convert", "-q"] + args + ["-t", "csljsonl", "-o", out],
                       capture_output=True, text=True, timeout=120)
    if r.returncode not in (0, 1):
        return r.stderr.strip() or f"exit {r.returncode}"
    return None


def load_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--crosswalk", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--node-dir")
    ap.add_argument("--style", default="apa")
    ap.add_argument("--examples", type=int, default=5)
    ap.add_argument("--list", help="write every rendered entry with its defects here")
    ap.add_argument("--jats", action="append", default=[],
                    help="a JATS article to check besides the corpus (repeatable)")
    a = ap.parse_args()
    if not os.path.isdir(a.corpus):
        print(f"skipped: corpus not found ({a.corpus})")
        return SKIP
    node_dir = a.node_dir or os.path.join(a.work, "node")
    mods = node_modules(node_dir)
    os.makedirs(a.work, exist_ok=True)

    jobs = []  # (label, jsonl, facts or None, per-record facts list)
    failures = []
    n = 0

    def add(label, conv_args, facts):
        nonlocal n
        out = os.path.join(a.work, f"r{n:04d}.jsonl")
        n += 1
        if os.path.exists(out):
            os.remove(out)
        err = convert(a.crosswalk, conv_args, out)
        if err:
            failures.append(f"{label}: conversion failed: {err}")
        jobs.append((label, out, facts))

    corpus = a.corpus
    for dirpath, dirs, files in os.walk(os.path.join(corpus, "bibtex")):
        dirs.sort()
        for fn in sorted(files):
            if fn.endswith(".bib"):
                p = os.path.join(dirpath, fn)
                add(os.path.relpath(p, corpus), [p], bib_facts(p))
    jats = list(a.jats)
    for dirpath, dirs, files in os.walk(os.path.join(corpus, "jats")):
        dirs[:] = sorted(d for d in dirs if d != "schema")
        jats += [os.path.join(dirpath, fn) for fn in sorted(files)
                 if fn.endswith((".xml", ".nxml"))]
    for p in jats:
        try:
            art, refs = jats_facts(p)
        except ET.ParseError as e:
            art, refs = None, None
            failures.append(f"{p}: the checker cannot parse it: {e}")
        rel = os.path.relpath(p, corpus) if p.startswith(corpus) else p
        add(rel, ["-f", "jats", p], [art] if art else None)
        add(rel + " (references)", ["-f", "jats", "--filter", "references", p], refs)
    for dirpath, dirs, files in os.walk(os.path.join(corpus, "dc", "records")):
        dirs.sort()
        for fn in sorted(files):
            if fn.endswith(".xml") and "INVALID" not in fn:
                p = os.path.join(dirpath, fn)
                add(os.path.relpath(p, corpus), ["-f", "oai_dc", p], dc_facts(p))

    paths = [j[1] for j in jobs if os.path.exists(j[1]) and os.path.getsize(j[1])]
    env = dict(os.environ, NODE_PATH=mods)
    r = subprocess.run(["node", os.path.join(HERE, "render.js"), a.style] + paths,
                       capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit("render_check: render.js failed:\n" + r.stderr)
    rendered = collections.defaultdict(dict)
    for line in r.stdout.splitlines():
        f, i, text = line.split("\t", 2)
        rendered[f][int(i)] = text

    counts = collections.Counter()
    examples = collections.defaultdict(list)
    total = bad = 0
    listing = []
    mismatched = []
    for label, out, facts in jobs:
        items = load_jsonl(out)
        by_key = None
        if facts and facts[0].get("kind") == "bibtex":
            # by key: @xdata and set entries are no records of their own
            by_key = {str(f.get("key", "")).lower(): f for f in facts}
        elif facts is not None and len(facts) != len(items):
            mismatched.append(f"{label}: {len(facts)} in the source, {len(items)} records")
        for i, item in enumerate(items):
            total += 1
            text = rendered[out].get(i, "!! not rendered")
            if by_key is not None:
                fact = by_key.get(str(item.get("citation-key", item.get("id", ""))).lower())
            else:
                fact = facts[i] if facts and i < len(facts) else None
            found = check(item, text, fact)
            if [d for d in found if d not in NOT_DEFECTS]:
                bad += 1
            for d in found:
                counts[d] += 1
                if len(examples[d]) < a.examples:
                    examples[d].append(f"{label} [{item.get('id')}]: {text[:300]}")
            listing.append(f"{label}\t{item.get('id')}\t{','.join(found)}\t{text}")
    if a.list:
        with open(a.list, "w", encoding="utf-8") as f:
            f.write("\n".join(listing) + "\n")

    share = 100.0 * bad / total if total else 0.0
    print(f"{total} records rendered ({a.style}); {bad} with a visible defect ({share:.2f}%)")
    for d, c in sorted(counts.items(), key=lambda x: -x[1]):
        print(f"  {d:15} {c}")
        for e in examples[d]:
            print(f"      {e}")
    for m in mismatched:
        print(f"  count: {m}")
    for f in failures:
        print(f"  {f}")
    return 1 if bad or failures or mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
