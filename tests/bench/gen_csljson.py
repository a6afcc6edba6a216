#!/usr/bin/python3
"""Writes COUNT real-looking CSL-JSON items (a JSON array) to OUT.

usage: gen_csljson.py COUNT OUT [--lines]
Deterministic: the same COUNT gives the same bytes. Items look like a
journal's references: several authors with particles and accents, rich text
titles, dates, pages, DOIs, some abstracts and keywords.
"""
import json
import random
import sys

FAMILIES = ["Laumulin", "Shaken", "Müller", "García Márquez", "Nguyễn", "Øster",
            "Smith", "Dvořák", "Beethoven", "Łukasiewicz", "O'Neil", "Zhang"]
GIVEN = ["Murat", "Adil", "Jürgen", "Gabriel", "Thị Minh", "Søren", "Jane A.",
         "Antonín", "Ludwig", "Jan", "Patrick", "Wei"]
WORDS = ["regional", "politics", "Kazakhstan", "Russia", "Central Asia", "energy",
         "security", "cooperation", "trade", "<i>in vivo</i>", "networks", "policy",
         "migration", "H<sub>2</sub>O", "the", "of", "and", "models", "évaluation"]
JOURNALS = ["Central Asia and the Caucasus", "Journal of Eurasian Studies",
            "Post-Soviet Affairs", "Europe-Asia Studies", "Nature", "PLOS ONE"]
TYPES = ["article-journal"] * 8 + ["book", "chapter", "paper-conference", "report"]


def item(rng, i):
    n_auth = rng.randint(1, 6)
    authors = []
    for _ in range(n_auth):
        a = {"family": rng.choice(FAMILIES), "given": rng.choice(GIVEN)}
        if rng.random() < 0.1:
            a["non-dropping-particle"] = rng.choice(["van", "de", "von"])
        authors.append(a)
    year = rng.randint(1950, 2025)
    first = rng.randint(1, 900)
    it = {
        "id": f"ref{i}",
        "type": rng.choice(TYPES),
        "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14))).capitalize(),
        "author": authors,
        "container-title": rng.choice(JOURNALS),
        "volume": str(rng.randint(1, 60)),
        "issue": str(rng.randint(1, 12)),
        "page": f"{first}-{first + rng.randint(1, 30)}",
        "issued": {"date-parts": [[year, rng.randint(1, 12), rng.randint(1, 28)]]},
        "DOI": f"10.{rng.randint(1000, 9999)}/j.x.{year}.{i:06d}",
        "URL": f"https://example.org/article/{i}",
        "ISSN": f"{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        "publisher": "CA&CC Press",
        "language": rng.choice(["en", "ru", "de", "fr"]),
    }
    if rng.random() < 0.3:
        it["abstract"] = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 120)))
    if rng.random() < 0.3:
        it["editor"] = [{"family": rng.choice(FAMILIES), "given": rng.choice(GIVEN)}]
    if rng.random() < 0.2:
        it["custom"] = {"keywords": [rng.choice(WORDS) for _ in range(4)]}
    return it


def main(argv):
    count, out = int(argv[1]), argv[2]
    lines = "--lines" in argv[3:]
    rng = random.Random(20080229)
    with open(out, "w", encoding="utf-8") as f:
        if lines:
            for i in range(count):
                f.write(json.dumps(item(rng, i), ensure_ascii=False) + "\n")
        else:
            f.write("[\n")
            for i in range(count):
                f.write(("," if i else "") + json.dumps(item(rng, i), ensure_ascii=False, indent=1) + "\n")
            f.write("]\n")


if __name__ == "__main__":
    main(sys.argv)
