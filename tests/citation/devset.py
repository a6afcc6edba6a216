#!/usr/bin/python3
"""The citation parser's dev set (issue 14): every <ref> of the corpus JATS
articles that holds both a <mixed-citation> and an <element-citation>. The
mixed text is read with `crosswalk convert -f text` (one reference per line)
and each field of the result is compared with the element citation: authors'
family names, year, title, container, volume, issue, first page, DOI,
publisher, publisher place, type. Prints per-field precision, recall and F1,
the share of references with every compared field right and with authors,
year, title and container right; exits 1 below the floors (--floors), 77
when the corpus is absent. --misses prints each reference's wrong fields.

Comparison: case folded, punctuation and white space dropped (diacritics
kept); authors as the list of family names (organisations: their name), in
order, the gold list cut to the parsed length when the parse ends in "et
al."; pages by the first page; a field absent on both sides is not counted.
"""
import argparse, glob, json, os, subprocess, sys, tempfile, unicodedata
import xml.etree.ElementTree as ET

FIELDS = ["author", "year", "title", "container", "volume", "issue", "page", "DOI",
          "publisher", "place", "type"]
CORE = ["author", "year", "title", "container"]
TYPES = {"journal": "article-journal", "book": "book", "thesis": "thesis",
         "confproc": "paper-conference", "conf-proc": "paper-conference",
         "web": "webpage", "webpage": "webpage", "report": "report",
         "newspaper": "article-newspaper"}


def local(tag):
    return tag.split("}")[-1] if isinstance(tag, str) else ""


def text(e):
    return " ".join("".join(e.itertext()).split()) if e is not None else ""


def norm(s):
    if s is None:
        return ""
    s = unicodedata.normalize("NFC", str(s)).casefold()
    return "".join(ch for ch in s if not unicodedata.category(ch).startswith(("P", "Z", "S")))


def first(e, name):
    for c in e.iter():
        if local(c.tag) == name:
            return c
    return None


def gold_of(ec):
    g = {}
    fam = []
    for pg in ec.iter():
        if local(pg.tag) != "person-group":
            continue
        if pg.get("person-group-type", "author") != "author":
            continue
        for n in pg:
            if local(n.tag) == "name":
                fam.append(text(first(n, "surname")))
            elif local(n.tag) == "collab":
                fam.append(text(n))
        break
    if not fam:
        for n in ec:
            if local(n.tag) == "collab":
                fam.append(text(n))
    if fam:
        g["author"] = fam
    y = first(ec, "year")
    if y is not None and text(y):
        digits = "".join(ch for ch in text(y) if ch.isdigit())[:4]
        if digits:
            g["year"] = digits
    at = first(ec, "article-title")
    ct = first(ec, "chapter-title")
    src = first(ec, "source")
    if at is not None or ct is not None:
        g["title"] = text(at if at is not None else ct)
        if src is not None:
            g["container"] = text(src)
    elif src is not None:
        g["title"] = text(src)
    for f, tag in (("volume", "volume"), ("issue", "issue"), ("page", "fpage"),
                   ("publisher", "publisher-name"), ("place", "publisher-loc")):
        e = first(ec, tag)
        if e is not None and text(e):
            g[f] = text(e)
    if "page" not in g:
        e = first(ec, "elocation-id")
        if e is not None and text(e):
            g["page"] = text(e)
    for e in ec.iter():
        if local(e.tag) == "pub-id" and e.get("pub-id-type") == "doi":
            g["DOI"] = text(e)
    t = TYPES.get(ec.get("publication-type", ""))
    if t == "book" and ct is not None:
        t = "chapter"
    if t:
        g["type"] = t
    return g


def parsed_of(item):
    p = {}
    fam = []
    etal = False
    for a in item.get("author", []):
        if a.get("literal") in ("et al.", "others"):
            etal = True
        elif "family" in a or "literal" in a:
            fam.append(a.get("family") or a.get("literal"))
    if item.get("custom", {}).get("etal", {}):
        etal = True
    if fam:
        p["author"] = fam
    p["_etal"] = etal
    try:
        p["year"] = str(item["issued"]["date-parts"][0][0])
    except (KeyError, IndexError, TypeError):
        pass
    for f, k in (("title", "title"), ("container", "container-title"), ("volume", "volume"),
                 ("issue", "issue"), ("DOI", "DOI"), ("publisher", "publisher"),
                 ("place", "publisher-place"), ("type", "type")):
        if item.get(k):
            p[f] = str(item[k])
    page = item.get("page") or item.get("number") if item.get("type") == "article-journal" and not item.get("page") else item.get("page")
    art = item.get("custom", {}).get("article-number") if isinstance(item.get("custom"), dict) else None
    if page:
        p["page"] = str(page)
    elif art:
        p["page"] = str(art)
    return p


def same(f, g, p, etal):
    if f == "author":
        gn = [norm(x) for x in g]
        pn = [norm(x) for x in p]
        if etal and len(gn) > len(pn):
            gn = gn[:len(pn)]
        return gn == pn
    if f == "page":
        ps = str(p).replace("\u2013", "-").split("-")[0]
        return norm(ps) == norm(str(g).split("-")[0])
    return norm(g) == norm(p)


def collect(corpus):
    refs = []
    for f in sorted(glob.glob(os.path.join(corpus, "jats", "**", "*.*ml"), recursive=True)):
        if os.sep + "schema" + os.sep in f:
            continue
        try:
            root = ET.parse(f).getroot()
        except ET.ParseError:
            continue
        for ref in root.iter():
            if local(ref.tag) != "ref":
                continue
            m = [c for c in ref.iter() if local(c.tag) == "mixed-citation"]
            e = [c for c in ref.iter() if local(c.tag) == "element-citation"]
            if m and e:
                refs.append((os.path.relpath(f, corpus), text(m[0]), gold_of(e[0])))
    return refs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--crosswalk", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--floors", default="", help="FIELD=F1,... and all=SHARE, core=SHARE")
    ap.add_argument("--misses", action="store_true", help="print each reference's wrong fields")
    a = ap.parse_args()
    if not os.path.isdir(os.path.join(a.corpus, "jats")):
        print(f"skipped: corpus not found ({a.corpus})")
        return 77
    refs = collect(a.corpus)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "refs.txt")
        out = os.path.join(tmp, "refs.json")
        with open(src, "w", encoding="utf-8") as fh:
            for _, mixed, _ in refs:
                fh.write(mixed + "\n")
        r = subprocess.run([a.crosswalk, "-q", "convert", "-f", "text", "-t", "csljson", src, out],
                           capture_output=True, text=True)
        if r.returncode not in (0, 1) or not os.path.exists(out):
            print(r.stderr)
            return 1
        with open(out, encoding="utf-8") as fh:
            items = json.load(fh)
    if len(items) != len(refs):
        print(f"expected {len(refs)} records, got {len(items)}")
        return 1
    counts = {f: [0, 0, 0] for f in FIELDS}  # correct, parsed, gold
    all_ok = core_ok = 0
    for (where, mixed, g), item in zip(refs, items):
        p = parsed_of(item)
        wrong = []
        for f in FIELDS:
            if f == "type" and f not in g:
                continue  # no gold type: not compared
            gp, pp = f in g, f in p
            if not gp and not pp:
                continue
            ok = gp and pp and same(f, g[f], p[f], p["_etal"])
            counts[f][0] += ok
            counts[f][1] += pp
            counts[f][2] += gp
            if not ok:
                wrong.append(f)
        all_ok += not wrong
        core_ok += not any(f in wrong for f in CORE)
        if a.misses and wrong:
            print(f"--- {where}: {mixed}")
            for f in wrong:
                print(f"    {f}: want {g.get(f)!r}, got {p.get(f)!r}")
    n = len(refs)
    print(f"{n} references")
    print(f"{'field':10} {'P':>6} {'R':>6} {'F1':>6}  (correct/parsed/gold)")
    f1s = {}
    for f in FIELDS:
        c, pp, gg = counts[f]
        prec = c / pp if pp else 1.0
        rec = c / gg if gg else 1.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        f1s[f] = f1
        print(f"{f:10} {prec:6.3f} {rec:6.3f} {f1:6.3f}  ({c}/{pp}/{gg})")
    share_all, share_core = all_ok / n, core_ok / n
    print(f"every field right: {share_all:.3f} ({all_ok}/{n})")
    print(f"authors, year, title and container right: {share_core:.3f} ({core_ok}/{n})")
    bad = []
    for item in filter(None, a.floors.split(",")):
        k, v = item.split("=")
        got = share_all if k == "all" else share_core if k == "core" else f1s[k]
        if got < float(v):
            bad.append(f"{k} {got:.3f} < floor {v}")
    for b in bad:
        print("BELOW FLOOR:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
