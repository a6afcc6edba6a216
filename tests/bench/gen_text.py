#!/usr/bin/env python3
"""Writes a deterministic plain-text reference list of COUNT references, one
per line, in the styles the citation parser reads (APA, Vancouver, Chicago,
MLA, Harvard, IEEE, ABNT and their language variants), with some numbered
and bulleted, from random parts: several hundred distinct shapes, repeated
with other names, years and numbers.

usage: gen_text.py COUNT OUTPUT
"""
import random
import sys

FAMILY = ["Moreau", "Tanaka", "da Silva", "van der Berg", "Haddad", "Ivanova", "O'Neill",
          "Lindqvist", "Okafor", "Ribeiro-Costa", "Nakamura", "Schmidt", "García", "Müller"]
GIVEN = ["Léa", "Hiro", "Ana", "Pieter", "Nadia", "Olga", "Sean", "Karin", "Bola", "Joana"]
WORDS = ("tidal patterns estuaries memory workers sleep rivers stones highland grains salt "
         "roads empire bridges sensing soil microbes wildfire erosion coastal survey urban "
         "bees gardens winter light painting maps archive").split()
JOURNALS = [("Journal of Coastal Dynamics", "J Coast Dyn"), ("Ecology Letters", "Ecol Lett"),
            ("Revista de Estudos Urbanos", "Rev Estud Urb"), ("Zeitschrift für Forstkunde",
                                                             "Z Forstk")]
PLACES = [("Boston", "Meridian Press"), ("São Paulo", "Editora Maré"), ("Berlin", "Lindenverlag"),
          ("Madrid", "Ediciones Sur")]


def initials(rng, dots=True):
    g = rng.choice(GIVEN)
    return g[0] + "." if dots else g[0]


def title(rng, n=6):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def ref(rng, i):
    fam = [rng.choice(FAMILY) for _ in range(1 + i % 4)]
    year = 1980 + i % 44
    vol, issue = 1 + i % 60, 1 + i % 6
    fp = 1 + rng.randrange(400)
    lp = fp + rng.randrange(3, 30)
    j, jabbr = JOURNALS[i % len(JOURNALS)]
    place, pub = PLACES[i % len(PLACES)]
    t = title(rng, 5 + i % 7)
    style = i % 9
    if style == 0:
        names = ", ".join(f"{f}, {initials(rng)}" for f in fam[:-1])
        names = (names + ", & " if names else "") + f"{fam[-1]}, {initials(rng)}"
        return f"{names} ({year}). {t}. {j}, {vol}({issue}), {fp}–{lp}. https://doi.org/10.5555/b.{i}"
    if style == 1:
        names = ", ".join(f"{f} {initials(rng, False)}{initials(rng, False)}" for f in fam)
        return f"{i + 1}. {names}. {t}. {jabbr}. {year};{vol}({issue}):{fp}-{lp % 100}."
    if style == 2:
        return f"{fam[0]}, {rng.choice(GIVEN)}. {t}. {place}: {pub}, {year}."
    if style == 3:
        return (f"{fam[0]}, {rng.choice(GIVEN)}, and {rng.choice(GIVEN)} {fam[-1]}. \"{t}.\" "
                f"{j}, vol. {vol}, no. {issue}, {year}, pp. {fp}-{lp}.")
    if style == 4:
        names = " and ".join(f"{f}, {initials(rng)}" for f in fam[:2])
        return f"{names} ({year}) {t}. {j}, {vol}({issue}), pp. {fp}-{lp}."
    if style == 5:
        names = ", ".join(f"{initials(rng)} {f}" for f in fam)
        return (f"[{i + 1}] {names}, \"{t},\" {jabbr}, vol. {vol}, no. {issue}, "
                f"pp. {fp}–{lp}, {year}.")
    if style == 6:
        names = "; ".join(f"{f.upper()}, {initials(rng)}" for f in fam)
        return f"{names} {t}. {j}, {place}, v. {vol}, n. {issue}, p. {fp}-{lp}, {year}."
    if style == 7:
        return (f"- {fam[0]}, {initials(rng)} (Hrsg.) ({year}). {t}. {place}: {pub}.")
    return (f"{fam[0]} {initials(rng, False)}. {t}. In: {fam[-1]} {initials(rng, False)}, "
            f"editors. {title(rng, 4)}. {2 + i % 5}. ed. {place}: {pub}; {year}. p. {fp}-{lp}.")


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(14)
    with open(out, "w", encoding="utf-8") as f:
        for i in range(count):
            f.write(ref(rng, i) + "\n")


if __name__ == "__main__":
    main()
