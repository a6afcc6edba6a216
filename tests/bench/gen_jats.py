#!/usr/bin/python3
"""Writes COUNT JATS articles as one <pmc-articleset> to OUT.

usage: gen_jats.py COUNT OUT
The articles are the shared corpus's JATS files (CW_CORPUS_DIR, else
../shared/corpus beside the checkout), taken in sorted order and repeated
until COUNT articles are written; about 75 KB each, so 1400 articles make
about 100 MB. Each copy's article-meta gets a distinct article-id so the
records differ. Deterministic: the same corpus and COUNT give the same bytes.
Without the corpus it exits with status 2 and a message.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def corpus_dir():
    d = os.environ.get("CW_CORPUS_DIR")
    if d:
        return d
    return os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "corpus"))


def articles(root):
    jats = os.path.join(root, "jats")
    files = []
    for dirpath, dirnames, names in os.walk(jats):
        dirnames[:] = sorted(d for d in dirnames if d != "schema")
        for n in sorted(names):
            if n.endswith(".xml") or n.endswith(".nxml"):
                files.append(os.path.join(dirpath, n))
    out = []
    for path in sorted(files):
        with open(path, "rb") as f:
            data = f.read()
        start = data.find(b"<article")
        while start >= 0 and data[start + 8:start + 9] not in (b" ", b">", b"\n", b"\t", b"\r"):
            start = data.find(b"<article", start + 1)
        if start < 0:
            continue
        end = data.rfind(b"</article>")
        if end < 0:
            continue
        out.append(data[start:end + len(b"</article>")])
    return out


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: gen_jats.py COUNT OUT")
    count, out = int(argv[1]), argv[2]
    root = corpus_dir()
    arts = articles(root) if os.path.isdir(root) else []
    if not arts:
        sys.stderr.write(f"gen_jats.py: no JATS corpus under {root} (set CW_CORPUS_DIR)\n")
        sys.exit(2)
    meta = re.compile(rb"<article-meta>")
    with open(out, "wb") as f:
        f.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<pmc-articleset>\n')
        for i in range(count):
            a = arts[i % len(arts)]
            tag = b'<article-meta><article-id pub-id-type="other">bench-%d</article-id>' % i
            f.write(meta.sub(lambda m: tag, a, count=1))
            f.write(b"\n")
        f.write(b"</pmc-articleset>\n")


if __name__ == "__main__":
    main(sys.argv)
