#!/usr/bin/env python3
"""Writes a deterministic OAI-PMH ListRecords response of COUNT oai_dc
records shaped like OJS/DSpace output (PKP-style dc:source citations,
inverted creator names, eu-repo types, DOIs, handles, abstracts).

usage: gen_dc.py COUNT OUTPUT
"""
import random
import sys
from xml.sax.saxutils import escape

GIVEN = ["Murat", "Mukhtar", "Jane", "Richard", "Maria", "Jan", "Akira", "Fatima", "Olga", "Pierre"]
FAMILY = ["Laumulin", "Shaken", "Doe", "Roe", "da Silva", "van de Berg", "Tanaka", "Haddad",
          "Ivanova", "Dupont"]
JOURNALS = ["Central Asia and the Caucasus", "Journal of Examples", "Revista de Estudios",
            "Acta Medica", "Zeitschrift für Didaktik"]
WORDS = ("geopolitical situation energy strategy cooperation region analysis method results "
         "policy security transport economy relations development integration").split()


def record(rng, i):
    year = 2000 + i % 24
    vol, issue = 1 + i % 30, 1 + i % 4
    first = 1 + rng.randrange(300)
    last = first + rng.randrange(5, 40)
    journal = JOURNALS[i % len(JOURNALS)]
    title = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize()
    abstract = " ".join(rng.choice(WORDS) for _ in range(60))
    out = ["<record><header><identifier>oai:bench.example.org:article/%d</identifier>"
           "<datestamp>%d-%02d-%02dT00:00:00Z</datestamp><setSpec>journal:art</setSpec></header>"
           % (i, year, 1 + i % 12, 1 + i % 28)]
    out.append('<metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
               'xmlns:dc="http://purl.org/dc/elements/1.1/" '
               'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
               'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ '
               'http://www.openarchives.org/OAI/2.0/oai_dc.xsd">')

    def el(name, value, lang=None):
        attr = ' xml:lang="%s"' % lang if lang else ""
        out.append("<dc:%s%s>%s</dc:%s>" % (name, attr, escape(value), name))

    el("title", title, "en")
    for k in range(1 + i % 4):
        el("creator", "%s, %s" % (FAMILY[(i + k) % 10], GIVEN[(i * 3 + k) % 10]))
    for k in range(3):
        el("subject", rng.choice(WORDS), "en")
    el("description", abstract, "en")
    el("publisher", "Example Press", "en")
    el("date", "%d-%02d-%02d" % (year, 1 + i % 12, 1 + i % 28))
    el("type", "info:eu-repo/semantics/article")
    el("type", "info:eu-repo/semantics/publishedVersion")
    el("type", "Articles", "en")
    el("format", "application/pdf")
    el("identifier", "https://journal.example.org/article/view/%d" % i)
    el("identifier", "https://doi.org/10.5555/bench.%d" % i)
    el("source", "%s; Vol. %d No. %d (%d); %d-%d" % (journal, vol, issue, year, first, last), "en")
    el("source", "1404-6091")
    el("language", "eng")
    el("relation", "https://journal.example.org/article/download/%d/%d" % (i, i + 1))
    el("rights", "Copyright (c) %d Authors" % year, "en")
    out.append("</oai_dc:dc></metadata></record>\n")
    return "".join(out)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    count, path = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(20260501)
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ '
                'http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">\n'
                "<responseDate>2026-01-01T00:00:00Z</responseDate>\n"
                '<request verb="ListRecords" metadataPrefix="oai_dc">'
                "http://bench.example.org/oai</request>\n<ListRecords>\n")
        for i in range(count):
            f.write(record(rng, i))
        f.write("</ListRecords>\n</OAI-PMH>\n")


if __name__ == "__main__":
    main()
