#!/usr/bin/env python3
"""Generates bibtex_tables.c: the LaTeX <-> Unicode tables of the BibTeX plugin.

Run from this folder: python3 gen_tables.py > bibtex_tables.c
Accented letters are derived from Unicode canonical composition (NFC), so the
table holds every Latin letter that one accent command and one base letter
make; symbols and special letters are listed below by hand.
"""
import unicodedata

# accent command -> combining character
ACCENTS = [
    ("`", 0x300), ("'", 0x301), ("^", 0x302), ("~", 0x303), ("=", 0x304),
    ("u", 0x306), (".", 0x307), ('"', 0x308), ("r", 0x30A), ("H", 0x30B),
    ("v", 0x30C), ("d", 0x323), ("c", 0x327), ("k", 0x328), ("b", 0x331),
]

# text-mode commands without argument -> code point(s)
SYMBOLS = [
    ("ss", "\u00df"), ("SS", "SS"), ("o", "\u00f8"), ("O", "\u00d8"),
    ("aa", "\u00e5"), ("AA", "\u00c5"), ("ae", "\u00e6"), ("AE", "\u00c6"),
    ("oe", "\u0153"), ("OE", "\u0152"), ("l", "\u0142"), ("L", "\u0141"),
    ("i", "\u0131"), ("j", "\u0237"), ("dh", "\u00f0"), ("DH", "\u00d0"),
    ("th", "\u00fe"), ("TH", "\u00de"), ("ng", "\u014b"), ("NG", "\u014a"),
    ("dj", "\u0111"), ("DJ", "\u0110"), ("IJ", "\u0132"), ("ij", "\u0133"),
    ("&", "&"), ("%", "%"), ("$", "$"), ("#", "#"), ("_", "_"),
    ("{", "{"), ("}", "}"), (" ", " "), (",", "\u2009"), (";", "\u2005"),
    ("-", ""), ("/", ""), ("@", ""), ("textendash", "\u2013"), ("textemdash", "\u2014"),
    ("ldots", "\u2026"), ("dots", "\u2026"), ("textellipsis", "\u2026"),
    ("textquoteleft", "\u2018"), ("textquoteright", "\u2019"),
    ("textquotedblleft", "\u201c"), ("textquotedblright", "\u201d"),
    ("textquotedbl", "\""), ("quotedblbase", "\u201e"), ("quotesinglbase", "\u201a"),
    ("guillemotleft", "\u00ab"), ("guillemotright", "\u00bb"),
    ("guillemetleft", "\u00ab"), ("guillemetright", "\u00bb"),
    ("guilsinglleft", "\u2039"), ("guilsinglright", "\u203a"),
    ("S", "\u00a7"), ("P", "\u00b6"), ("textsection", "\u00a7"), ("textparagraph", "\u00b6"),
    ("copyright", "\u00a9"), ("textcopyright", "\u00a9"), ("textregistered", "\u00ae"),
    ("texttrademark", "\u2122"), ("pounds", "\u00a3"), ("textsterling", "\u00a3"),
    ("euro", "\u20ac"), ("texteuro", "\u20ac"), ("textyen", "\u00a5"), ("textcent", "\u00a2"),
    ("textdollar", "$"), ("textdegree", "\u00b0"), ("textasciitilde", "~"),
    ("textasciicircum", "^"), ("textbackslash", "\\"), ("textbar", "|"),
    ("textless", "<"), ("textgreater", ">"), ("textbraceleft", "{"), ("textbraceright", "}"),
    ("textunderscore", "_"), ("textexclamdown", "\u00a1"), ("textquestiondown", "\u00bf"),
    ("textdagger", "\u2020"), ("dag", "\u2020"), ("textdaggerdbl", "\u2021"), ("ddag", "\u2021"),
    ("textbullet", "\u2022"), ("textperiodcentered", "\u00b7"), ("textmu", "\u00b5"),
    ("textonehalf", "\u00bd"), ("textonequarter", "\u00bc"), ("textthreequarters", "\u00be"),
    ("texttimes", "\u00d7"), ("textdiv", "\u00f7"), ("textpm", "\u00b1"),
    ("textordfeminine", "\u00aa"), ("textordmasculine", "\u00ba"),
    ("textnumero", "\u2116"), ("textperthousand", "\u2030"), ("textvisiblespace", "\u2423"),
    ("textasteriskcentered", "*"), ("textapostrophe", "'"), ("textprime", "\u2032"),
    ("textlangle", "\u2329"), ("textrangle", "\u232a"), ("textleftarrow", "\u2190"),
    ("textrightarrow", "\u2192"), ("textminus", "\u2212"), ("textcelsius", "\u2103"),
    ("LaTeX", "LaTeX"), ("TeX", "TeX"), ("BibTeX", "BibTeX"), ("LaTeXe", "LaTeX2e"),
    ("slash", "/"), ("nobreakspace", "\u00a0"), ("quad", "\u2003"), ("qquad", "\u2003\u2003"),
    ("enspace", "\u2002"), ("thinspace", "\u2009"), ("negthinspace", ""),
    ("textsuperscripttwo", "\u00b2"), ("i", "\u0131"),
    ("par", "\n"), ("newline", " "), ("linebreak", " "), ("relax", ""), ("noindent", ""),
    ("ae", "\u00e6"), ("hbox", ""), ("protect", ""), ("unskip", ""), ("ignorespaces", ""),
    ("nolinkurl", ""), ("allowbreak", ""), ("break", ""), ("hfill", " "), ("smallskip", ""),
    ("medskip", ""), ("bigskip", ""), ("centering", ""), ("leavevmode", ""), ("ocirc", ""),
]

# math-mode commands (also accepted in text) -> code point(s)
MATH = [
    ("alpha", "\u03b1"), ("beta", "\u03b2"), ("gamma", "\u03b3"), ("delta", "\u03b4"),
    ("epsilon", "\u03f5"), ("varepsilon", "\u03b5"), ("zeta", "\u03b6"), ("eta", "\u03b7"),
    ("theta", "\u03b8"), ("vartheta", "\u03d1"), ("iota", "\u03b9"), ("kappa", "\u03ba"),
    ("lambda", "\u03bb"), ("mu", "\u03bc"), ("nu", "\u03bd"), ("xi", "\u03be"),
    ("pi", "\u03c0"), ("varpi", "\u03d6"), ("rho", "\u03c1"), ("varrho", "\u03f1"),
    ("sigma", "\u03c3"), ("varsigma", "\u03c2"), ("tau", "\u03c4"), ("upsilon", "\u03c5"),
    ("phi", "\u03d5"), ("varphi", "\u03c6"), ("chi", "\u03c7"), ("psi", "\u03c8"),
    ("omega", "\u03c9"), ("Gamma", "\u0393"), ("Delta", "\u0394"), ("Theta", "\u0398"),
    ("Lambda", "\u039b"), ("Xi", "\u039e"), ("Pi", "\u03a0"), ("Sigma", "\u03a3"),
    ("Upsilon", "\u03a5"), ("Phi", "\u03a6"), ("Psi", "\u03a8"), ("Omega", "\u03a9"),
    ("times", "\u00d7"), ("div", "\u00f7"), ("pm", "\u00b1"), ("mp", "\u2213"),
    ("cdot", "\u22c5"), ("cdots", "\u22ef"), ("ast", "\u2217"), ("star", "\u22c6"),
    ("circ", "\u2218"), ("bullet", "\u2219"), ("leq", "\u2264"), ("le", "\u2264"),
    ("geq", "\u2265"), ("ge", "\u2265"), ("neq", "\u2260"), ("ne", "\u2260"),
    ("approx", "\u2248"), ("sim", "\u223c"), ("simeq", "\u2243"), ("cong", "\u2245"),
    ("equiv", "\u2261"), ("propto", "\u221d"), ("ll", "\u226a"), ("gg", "\u226b"),
    ("infty", "\u221e"), ("partial", "\u2202"), ("nabla", "\u2207"), ("sum", "\u2211"),
    ("prod", "\u220f"), ("int", "\u222b"), ("oint", "\u222e"), ("sqrt", "\u221a"),
    ("in", "\u2208"), ("notin", "\u2209"), ("ni", "\u220b"), ("subset", "\u2282"),
    ("supset", "\u2283"), ("subseteq", "\u2286"), ("supseteq", "\u2287"), ("cup", "\u222a"),
    ("cap", "\u2229"), ("emptyset", "\u2205"), ("varnothing", "\u2205"), ("forall", "\u2200"),
    ("exists", "\u2203"), ("neg", "\u00ac"), ("wedge", "\u2227"), ("vee", "\u2228"),
    ("land", "\u2227"), ("lor", "\u2228"), ("to", "\u2192"), ("rightarrow", "\u2192"),
    ("leftarrow", "\u2190"), ("gets", "\u2190"), ("leftrightarrow", "\u2194"),
    ("Rightarrow", "\u21d2"), ("Leftarrow", "\u21d0"), ("Leftrightarrow", "\u21d4"),
    ("uparrow", "\u2191"), ("downarrow", "\u2193"), ("mapsto", "\u21a6"),
    ("langle", "\u27e8"), ("rangle", "\u27e9"), ("lceil", "\u2308"), ("rceil", "\u2309"),
    ("lfloor", "\u230a"), ("rfloor", "\u230b"), ("prime", "\u2032"), ("hbar", "\u210f"),
    ("ell", "\u2113"), ("Re", "\u211c"), ("Im", "\u2111"), ("aleph", "\u2135"),
    ("degree", "\u00b0"), ("angle", "\u2220"), ("perp", "\u22a5"), ("parallel", "\u2225"),
    ("mid", "\u2223"), ("setminus", "\u2216"), ("oplus", "\u2295"), ("otimes", "\u2297"),
    ("vert", "|"), ("Vert", "\u2016"), ("lbrace", "{"), ("rbrace", "}"), ("backslash", "\\"),
    ("log", "log"), ("ln", "ln"), ("exp", "exp"), ("sin", "sin"), ("cos", "cos"),
    ("tan", "tan"), ("max", "max"), ("min", "min"), ("lim", "lim"), ("det", "det"),
    ("overline", ""), ("mathrm", ""), ("mathit", ""), ("mathbf", ""), ("mathcal", ""),
    ("mathsf", ""), ("mathtt", ""), ("mathbb", ""), ("boldsymbol", ""), ("operatorname", ""),
    ("left", ""), ("right", ""), ("displaystyle", ""), ("textstyle", ""),
]

def c_str(s):
    out = '"'
    for b in s.encode("utf-8"):
        if b in (0x22, 0x5c):
            out += "\\" + chr(b)
        elif 0x20 <= b < 0x7f:
            out += chr(b)
        else:
            out += "\\%03o" % b
    return out + '"'

def main():
    comp = []
    for cmd, mark in ACCENTS:
        for base in [chr(c) for c in range(0x41, 0x5b)] + [chr(c) for c in range(0x61, 0x7b)]:
            s = unicodedata.normalize("NFC", base + chr(mark))
            if len(s) == 1:
                comp.append((cmd, base, ord(s)))
    print("/* generated by gen_tables.py; do not edit */")
    print('#include "bibtex.h"\n')
    print("/* accent command + ASCII base letter -> precomposed letter, sorted by (accent, base) */")
    comp.sort(key=lambda t: (t[0], t[1]))
    print("const bibtex_accent bibtex_accents[] = {")
    for cmd, base, cp in comp:
        print("\t{%s, '%s', 0x%04X}," % (c_str(cmd)[0:] if cmd not in ("'", "\\") else c_str(cmd), base, cp))
    print("};")
    print("const size_t bibtex_accent_count = sizeof bibtex_accents / sizeof bibtex_accents[0];\n")
    print("/* the same, sorted by code point, for writing ASCII */")
    comp.sort(key=lambda t: t[2])
    print("const bibtex_accent bibtex_accents_by_cp[] = {")
    seen = set()
    for cmd, base, cp in comp:
        if cp in seen:
            continue
        seen.add(cp)
        print("\t{%s, '%s', 0x%04X}," % (c_str(cmd), base, cp))
    print("};")
    print("const size_t bibtex_accent_by_cp_count = sizeof bibtex_accents_by_cp / sizeof bibtex_accents_by_cp[0];\n")
    print("/* combining mark of each accent command */")
    print("const bibtex_accent_mark bibtex_accent_marks[] = {")
    for cmd, mark in sorted(ACCENTS):
        print("\t{%s, 0x%04X}," % (c_str(cmd), mark))
    print("};")
    print("const size_t bibtex_accent_mark_count = sizeof bibtex_accent_marks / sizeof bibtex_accent_marks[0];\n")
    syms = {}
    for name, val in SYMBOLS:
        syms.setdefault(name, (val, 0))
    for name, val in MATH:
        syms.setdefault(name, (val, 1))
    print("/* commands without argument -> UTF-8, sorted by name (strcmp order); math = 1: math-mode symbol */")
    print("const bibtex_symbol bibtex_symbols[] = {")
    for name in sorted(syms, key=lambda n: n.encode()):
        val, math = syms[name]
        print("\t{%s, %s, %d}," % (c_str(name), c_str(val), math))
    print("};")
    print("const size_t bibtex_symbol_count = sizeof bibtex_symbols / sizeof bibtex_symbols[0];\n")
    # reverse: single code point -> command, for --ascii (first listed wins)
    rev = {}
    for name, val in SYMBOLS + MATH:
        if len(val) == 1 and ord(val) >= 0x80 and ord(val) not in rev:
            math = 0 if (name, val) in SYMBOLS else 1
            rev[ord(val)] = (name, math)
    print("/* code point -> command, for writing ASCII; sorted by code point */")
    print("const bibtex_symbol_rev bibtex_symbols_rev[] = {")
    for cp in sorted(rev):
        name, math = rev[cp]
        print("\t{0x%04X, %s, %d}," % (cp, c_str(name), math))
    print("};")
    print("const size_t bibtex_symbol_rev_count = sizeof bibtex_symbols_rev / sizeof bibtex_symbols_rev[0];")

main()
