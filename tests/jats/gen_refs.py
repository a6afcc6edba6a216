#!/usr/bin/python3
"""Writes one JATS article with COUNT references to OUT ("-" for stdout).

usage: gen_refs.py COUNT OUT
Each reference is an <element-citation> of about 900 bytes (six authors, an
article title with markup, a journal, a date, volume, issue, pages, a DOI
and a PMID), so 10^5 references make about 90 MB. The references differ
(names, titles and numbers follow the reference's index) and the bytes are
the same for the same COUNT. Used by the memory test (test_refs_memory.py)
and to measure time and peak RSS at scale.
"""
import sys

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 20210610//EN" "JATS-journalpublishing1-3.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article" dtd-version="1.3" xml:lang="en">
<front>
<journal-meta>
<journal-id journal-id-type="nlm-ta">J Gen Refs</journal-id>
<journal-title-group><journal-title>Journal of Generated References</journal-title></journal-title-group>
<issn pub-type="epub">1234-5678</issn>
<publisher><publisher-name>Generator Press</publisher-name></publisher>
</journal-meta>
<article-meta>
<article-id pub-id-type="doi">10.5555/gen.refs.{count}</article-id>
<title-group><article-title>An article with {count} references</article-title></title-group>
<contrib-group>
<contrib contrib-type="author"><name><surname>Generator</surname><given-names>Grace</given-names></name></contrib>
</contrib-group>
<pub-date pub-type="epub"><day>1</day><month>2</month><year>2024</year></pub-date>
<volume>7</volume><issue>3</issue><fpage>100</fpage><lpage>199</lpage>
<abstract><p>A synthetic article whose reference list is long.</p></abstract>
</article-meta>
</front>
<body><sec><title>Introduction</title><p>See the references.</p></sec></body>
<back>
<ref-list>
<title>References</title>
"""

REF = """<ref id="r{i}"><label>{i}</label><element-citation publication-type="journal">\
<person-group person-group-type="author">\
<name><surname>Family{a}</surname><given-names>G{b}</given-names></name>\
<name><surname>Second{b}</surname><given-names>H</given-names></name>\
<name><surname>Third{c}</surname><given-names>I J</given-names></name>\
<name><surname>Fourth{a}</surname><given-names>K</given-names></name>\
<name><surname>Fifth{c}</surname><given-names>L M</given-names></name>\
<name><surname>Sixth{b}</surname><given-names>N</given-names></name>\
</person-group>\
<article-title>Study number {i} of <italic>Genus species</italic> in the field</article-title>\
<source>Journal of Cited Work {c}</source>\
<year>{year}</year><volume>{vol}</volume><issue>{iss}</issue>\
<fpage>{fp}</fpage><lpage>{lp}</lpage>\
<pub-id pub-id-type="doi">10.5555/cited.{i}</pub-id>\
<pub-id pub-id-type="pmid">{pmid}</pub-id>\
</element-citation></ref>
"""

TAIL = """</ref-list>
</back>
</article>
"""


def write(count, f):
    f.write(HEAD.format(count=count))
    for i in range(1, count + 1):
        f.write(REF.format(i=i, a=i % 997, b=i % 89, c=i % 13, year=1950 + i % 70,
                           vol=1 + i % 300, iss=1 + i % 12, fp=i % 900 + 1,
                           lp=i % 900 + 12, pmid=10000000 + i))
    f.write(TAIL)


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: gen_refs.py COUNT OUT")
    count, out = int(argv[1]), argv[2]
    if out == "-":
        write(count, sys.stdout)
        return
    with open(out, "w", encoding="utf-8") as f:
        write(count, f)


if __name__ == "__main__":
    main(sys.argv)
