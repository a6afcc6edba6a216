#!/usr/bin/env python3
"""Generates bibtex_tables.c: the LaTeX <-> Unicode tables of the BibTeX plugin,
biblatex's English localisation strings, and the single-byte charsets the
reader decodes.

Run from this folder: python3 gen_tables.py > bibtex_tables.c
Accented letters are derived from Unicode canonical composition (NFC), so the
table holds every Latin letter that one accent command and one base letter
make; symbols and special letters are listed below by hand (facts from
LaTeX, biblatex's english.lbx and aas_macros.sty); the charsets come from
Python's codecs.
"""
import unicodedata

# accent command -> combining character
ACCENTS = [
    ("`", 0x300), ("'", 0x301), ("^", 0x302), ("~", 0x303), ("=", 0x304),
    ("u", 0x306), (".", 0x307), ('"', 0x308), ("r", 0x30A), ("H", 0x30B),
    ("v", 0x30C), ("d", 0x323), ("c", 0x327), ("k", 0x328), ("b", 0x331),
    ("textcommabelow", 0x326),
]

# accents that are only read: math-mode accents (also accepted in text) and
# other names of the accents above (MathSciNet's \polhk, the \ocirc of old
# preambles); the writer uses the text accent of the same mark
READ_ACCENTS = [
    ("polhk", 0x328), ("ocirc", 0x30A), ("textcircled", 0x20DD),
    ("bar", 0x304), ("hat", 0x302), ("widehat", 0x302), ("tilde", 0x303),
    ("widetilde", 0x303), ("vec", 0x20D7), ("dot", 0x307), ("ddot", 0x308),
    ("check", 0x30C), ("breve", 0x306), ("acute", 0x301), ("grave", 0x300),
    ("mathring", 0x30A), ("overline", 0x305), ("underline", 0x332),
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
    ("LaTeX", "LaTeX"), ("TeX", "TeX"), ("BibTeX", "BibTeX"), ("LaTeXe", "LaTeX2\u03b5"),
    ("slash", "/"), ("nobreakspace", "\u00a0"), ("quad", "\u2003"), ("qquad", "\u2003\u2003"),
    ("enspace", "\u2002"), ("thinspace", "\u2009"), ("negthinspace", ""),
    ("textsuperscripttwo", "\u00b2"), ("i", "\u0131"),
    ("par", "\n"), ("newline", " "), ("linebreak", " "), ("relax", ""), ("noindent", ""),
    ("ae", "\u00e6"), ("hbox", ""), ("protect", ""), ("unskip", ""), ("ignorespaces", ""),
    ("allowbreak", ""), ("break", ""), ("hfill", " "), ("smallskip", ""),
    ("medskip", ""), ("bigskip", ""), ("centering", ""), ("leavevmode", ""),
]

# text-mode commands that are only read (the writer has its own forms for these)
READ_SYMBOLS = [
    ("textquotesingle", "'"), ("emdash", "\u2014"), ("endash", "\u2013"), ("hyphen", "-"), ("texthyphen", "-"),
    ("newblock", " "), ("enskip", "\u2002"), ("nobreak", ""), ("nolinebreak", ""),
    ("xspace", ""), ("null", ""), ("strut", ""), ("hrulefill", ""), ("dotfill", ""),
    ("cprime", "\u02b9"), ("cdprime", "\u02ba"), ("Dbar", "\u0110"), ("dbar", "\u0111"),
    ("textinterrobang", "\u203d"), ("textinterrobangdown", "\u2e18"),
    ("textnumero", "\u2116"), ("textopenbullet", "\u25e6"), ("textreferencemark", "\u203b"),
    ("textdblhyphen", "\u2e40"), ("textmusicalnote", "\u266a"), ("textestimated", "\u212e"),
    ("textthreesuperior", "\u00b3"), ("texttwosuperior", "\u00b2"), ("textonesuperior", "\u00b9"),
    ("textbrokenbar", "\u00a6"), ("textcurrency", "\u00a4"), ("textsection", "\u00a7"),
    ("textlnot", "\u00ac"), ("textmacron", "\u00af"), ("textacutedbl", "\u02dd"),
    # TeX logos (texnames, hologo, ltugboat)
    ("AmS", "AMS"), ("AMS", "AMS"), ("AmSTeX", "AMS-TeX"), ("AmSLaTeX", "AMS-LaTeX"),
    ("BibLaTeX", "BibLaTeX"), ("ConTeXt", "ConTeXt"), ("eTeX", "\u03b5-TeX"),
    ("LuaTeX", "LuaTeX"), ("LuaLaTeX", "LuaLaTeX"), ("XeTeX", "XeTeX"), ("XeLaTeX", "XeLaTeX"),
    ("pdfTeX", "pdfTeX"), ("pdfLaTeX", "pdfLaTeX"), ("METAFONT", "METAFONT"), ("MF", "Metafont"),
    ("METAPOST", "MetaPost"), ("MetaPost", "MetaPost"), ("MP", "MetaPost"), ("PiCTeX", "PiCTeX"),
    ("SliTeX", "SLiTeX"), ("SLiTeX", "SLiTeX"), ("plainTeX", "plain TeX"), ("ExTeX", "ExTeX"),
    ("LaTeXTeX", "(La)TeX"), ("TeXbook", "TeXbook"), ("MiKTeX", "MiKTeX"),
    # biblatex punctuation and spacing commands
    ("addcomma", ","), ("addperiod", "."), ("adddot", "."), ("addcolon", ":"),
    ("addsemicolon", ";"), ("addslash", "/"), ("addspace", " "), ("addnbspace", "\u00a0"),
    ("addthinspace", "\u2009"), ("addnbthinspace", "\u202f"), ("addabbrvspace", " "),
    ("adddotspace", ". "), ("addlowpenspace", " "), ("addhighpenspace", " "),
    ("addlpthinspace", "\u2009"), ("addhpthinspace", "\u2009"), ("addabthinspace", "\u2009"),
    ("addques", "?"), ("addexclam", "!"), ("isdot", ""), ("nopunct", ""), ("unspace", ""),
    ("bibrangedash", "\u2013"), ("bibdatedash", "\u2013"), ("bibdaterangesep", "\u2013"),
    ("textendashnobreak", "\u2013"), ("bibopenparen", "("), ("bibcloseparen", ")"),
    ("bibopenbracket", "["), ("bibclosebracket", "]"), ("bibleftparen", "("),
    ("bibrightparen", ")"), ("bibleftbracket", "["), ("bibrightbracket", "]"),
    ("bibsentence", ""), ("midsentence", ""), ("noligature", ""), ("mknormrange", ""),
    # \psq and \psqq are \sqspace\bibstring{sequens|sequentes} (english.lbx: sq., sqq.)
    ("psq", " sq."), ("psqq", " sqq."), ("pno", "p."), ("ppno", "pp."), ("nopp", ""),
]

# the journal abbreviations of aas_macros.sty (as ADS exports use them); ~ is a tie
AAS_JOURNALS = [
    ("aj", "AJ"), ("psj", "PSJ"), ("actaa", "AcA"), ("araa", "ARA&A"), ("apj", "ApJ"),
    ("apjl", "ApJL"), ("apjlett", "ApJL"), ("apjs", "ApJS"), ("apjsupp", "ApJS"),
    ("ao", "ApOpt"), ("applopt", "ApOpt"), ("apss", "Ap&SS"), ("aap", "A&A"), ("astap", "A&A"),
    ("aapr", "A&A~Rv"), ("aaps", "A&AS"), ("azh", "AZh"), ("baas", "BAAS"), ("bac", "BAICz"),
    ("caa", "ChA&A"), ("cjaa", "ChJA&A"), ("icarus", "Icarus"), ("jcap", "JCAP"),
    ("jaavso", "JAAVSO"), ("jrasc", "JRASC"), ("memras", "MmRAS"), ("mnras", "MNRAS"),
    ("na", "NewA"), ("nar", "NewAR"), ("pra", "PhRvA"), ("prb", "PhRvB"), ("prc", "PhRvC"),
    ("prd", "PhRvD"), ("pre", "PhRvE"), ("prl", "PhRvL"), ("pasa", "PASA"), ("pasp", "PASP"),
    ("pasj", "PASJ"), ("rmxaa", "RMxAA"), ("qjras", "QJRAS"), ("skytel", "S&T"),
    ("solphys", "SoPh"), ("sovast", "Soviet~Ast."), ("ssr", "SSRv"), ("zap", "ZA"),
    ("nat", "Nature"), ("iaucirc", "IAUC"), ("aplett", "Astrophys.~Lett."),
    ("apspr", "Astrophys.~Space~Phys.~Res."), ("bain", "BAN"), ("fcp", "FCPh"),
    ("gca", "GeoCoA"), ("grl", "Geophys.~Res.~Lett."), ("jcp", "JChPh"),
    ("jgr", "J.~Geophys.~Res."), ("jqsrt", "JQSRT"), ("memsai", "MmSAI"), ("nphysa", "NuPhA"),
    ("physrep", "PhR"), ("physscr", "PhyS"), ("planss", "Planet.~Space~Sci."),
    ("procspie", "Proc.~SPIE"), ("maps", "M&PS"), ("aas", "AAS Meeting Abstracts"),
    ("dps", "AAS/DPS Meeting Abstracts"),
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
    ("mathcal", ""), ("mathbb", ""), ("boldsymbol", ""), ("displaystyle", ""), ("textstyle", ""),
]

# math-mode commands that are only read (many need amssymb, so the writer
# does not use them)
READ_MATH = [
    ("lbrack", "["), ("rbrack", "]"), ("odot", "\u2299"), ("lesssim", "\u2272"),
    ("gtrsim", "\u2273"), ("leqslant", "\u2a7d"), ("geqslant", "\u2a7e"), ("lneq", "\u2a87"),
    ("dagger", "\u2020"), ("ddagger", "\u2021"), ("longrightarrow", "\u27f6"),
    ("longleftarrow", "\u27f5"), ("Longrightarrow", "\u27f9"), ("Longleftarrow", "\u27f8"),
    ("longleftrightarrow", "\u27f7"), ("rightleftharpoons", "\u21cc"),
    ("leftrightarrows", "\u21c6"), ("rightleftarrows", "\u21c4"), ("updownarrow", "\u2195"),
    ("Uparrow", "\u21d1"), ("Downarrow", "\u21d3"), ("nearrow", "\u2197"), ("searrow", "\u2198"),
    ("vdots", "\u22ee"), ("ddots", "\u22f1"), ("therefore", "\u2234"), ("because", "\u2235"),
    ("asymp", "\u224d"), ("doteq", "\u2250"), ("models", "\u22a8"), ("vdash", "\u22a2"),
    ("top", "\u22a4"), ("bot", "\u22a5"), ("prec", "\u227a"), ("succ", "\u227b"),
    ("preceq", "\u2aaf"), ("succeq", "\u2ab0"), ("subsetneq", "\u228a"), ("iint", "\u222c"),
    ("iiint", "\u222d"), ("coprod", "\u2210"), ("bigcup", "\u22c3"), ("bigcap", "\u22c2"),
    ("bigoplus", "\u2a01"), ("bigotimes", "\u2a02"), ("wp", "\u2118"), ("imath", "\u0131"),
    ("jmath", "\u0237"), ("varkappa", "\u03f0"), ("digamma", "\u03dd"), ("mho", "\u2127"),
    ("sharp", "\u266f"), ("flat", "\u266d"), ("natural", "\u266e"), ("triangle", "\u25b3"),
    ("Box", "\u25a1"), ("square", "\u25a1"), ("diamond", "\u22c4"), ("lozenge", "\u25ca"),
    ("amalg", "\u2a3f"), ("wr", "\u2240"), ("bigtriangleup", "\u25b3"), ("sqcup", "\u2294"),
    ("sqcap", "\u2293"), ("sqsubseteq", "\u2291"), ("sqsupseteq", "\u2292"), ("ni", "\u220b"),
    ("owns", "\u220b"), ("smile", "\u2323"), ("frown", "\u2322"), ("bowtie", "\u22c8"),
    ("lnot", "\u00ac"), ("iff", "\u27fa"), ("implies", "\u27f9"), ("colon", ":"),
    ("ldotp", "."), ("cdotp", "\u22c5"), ("centerdot", "\u00b7"), ("dots", "\u2026"),
    ("dotsc", "\u2026"), ("dotsb", "\u22ef"), ("ointop", "\u222e"), ("intop", "\u222b"),
    ("arcsin", "arcsin"), ("arccos", "arccos"), ("arctan", "arctan"), ("sinh", "sinh"),
    ("cosh", "cosh"), ("tanh", "tanh"), ("cot", "cot"), ("sec", "sec"), ("csc", "csc"),
    ("deg", "deg"), ("dim", "dim"), ("gcd", "gcd"), ("hom", "hom"), ("inf", "inf"), ("ker", "ker"),
    ("lg", "lg"), ("liminf", "lim inf"), ("limsup", "lim sup"), ("Pr", "Pr"), ("sup", "sup"),
    ("arg", "arg"), ("coth", "coth"), ("mod", "mod"), ("bmod", "mod"),
    ("mathfrak", ""), ("mathscr", ""), ("scriptstyle", ""), ("scriptscriptstyle", ""),
    ("limits", ""), ("nolimits", ""), ("!", ""), (":", ""), (">", ""),
]
# upgreek: \upalpha ... as the math letters
GREEK = ["alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
         "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho",
         "sigma", "varsigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega"]
UPPER_GREEK = ["Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi",
               "Omega"]

# biblatex's localisation keys (\bibstring{key}) with their English long and
# short forms (english.lbx); \adddot and the like already resolved
BIBSTRINGS = [
    ("bibliography", "Bibliography", "Bibliography"), ("references", "References", "References"),
    ("shorthands", "List of Abbreviations", "Abbreviations"),
    ("editor", "editor", "ed."), ("editors", "editors", "eds."),
    ("compiler", "compiler", "comp."), ("compilers", "compilers", "comp."),
    ("redactor", "redactor", "red."), ("redactors", "redactors", "red."),
    ("reviser", "reviser", "rev."), ("revisers", "revisers", "rev."),
    ("founder", "founder", "found."), ("founders", "founders", "found."),
    ("continuator", "continued", "cont."), ("continuators", "continued", "cont."),
    ("collaborator", "collaborator", "collab."), ("collaborators", "collaborators", "collab."),
    ("translator", "translator", "trans."), ("translators", "translators", "trans."),
    ("commentator", "commentator", "comm."), ("commentators", "commentators", "comm."),
    ("annotator", "annotator", "annot."), ("annotators", "annotators", "annot."),
    ("commentary", "commentary", "comm."), ("annotations", "annotations", "annot."),
    ("introduction", "introduction", "intro."), ("foreword", "foreword", "forew."),
    ("afterword", "afterword", "afterw."),
    ("editortr", "editor and translator", "ed. and trans."),
    ("editorstr", "editors and translators", "eds. and trans."),
    ("organizer", "organizer", "org."), ("organizers", "organizers", "orgs."),
    ("byorganizer", "organized by", "org. by"), ("byauthor", "by", "by"),
    ("byeditor", "edited by", "ed. by"), ("bycompiler", "compiled by", "comp. by"),
    ("byredactor", "redacted by", "red. by"), ("byreviser", "revised by", "rev. by"),
    ("byreviewer", "reviewed by", "rev. by"), ("byfounder", "founded by", "found. by"),
    ("bycontinuator", "continued by", "cont. by"),
    ("bycollaborator", "in collaboration with", "in collab. with"),
    ("bytranslator", "translated by", "trans. by"), ("bycommentator", "commented by", "comm. by"),
    ("byannotator", "annotated by", "annot. by"),
    ("withcommentator", "with a commentary by", "with a comment. by"),
    ("withannotator", "with annotations by", "with annots. by"),
    ("withintroduction", "with an introduction by", "with an intro. by"),
    ("withforeword", "with a foreword by", "with a forew. by"),
    ("withafterword", "with an afterword by", "with an afterw. by"),
    ("and", "and", "and"), ("andothers", "et al.", "et al."), ("andmore", "et al.", "et al."),
    ("volume", "volume", "vol."), ("volumes", "volumes", "vols."), ("involumes", "in", "in"),
    ("jourvol", "volume", "vol."), ("jourser", "series", "ser."), ("book", "book", "book"),
    ("part", "part", "part"), ("issue", "issue", "issue"), ("newseries", "new series", "new ser."),
    ("oldseries", "old series", "old ser."), ("edition", "edition", "ed."),
    ("reprint", "reprint", "repr."), ("reprintof", "reprint of", "repr. of"),
    ("reprintas", "reprinted as", "rpt. as"), ("reprintfrom", "reprinted from", "repr. from"),
    ("reviewof", "review of", "rev. of"), ("translationof", "translation of", "trans. of"),
    ("translationas", "translated as", "trans. as"),
    ("translationfrom", "translated from", "trans. from"),
    ("origpubas", "originally published as", "orig. pub. as"),
    ("origpubin", "originally published in", "orig. pub. in"), ("astitle", "as", "as"),
    ("bypublisher", "by", "by"), ("nodate", "no date", "n.d."), ("page", "page", "p."),
    ("pages", "pages", "pp."), ("column", "column", "col."), ("columns", "columns", "cols."),
    ("line", "line", "l."), ("lines", "lines", "ll."), ("verse", "verse", "v."),
    ("verses", "verses", "vv."), ("section", "section", "\u00a7"),
    ("sections", "sections", "\u00a7\u00a7"), ("paragraph", "paragraph", "par."),
    ("paragraphs", "paragraphs", "par."), ("pagetotal", "page", "p."),
    ("pagetotals", "pages", "pp."), ("in", "in", "in"), ("inseries", "in", "in"),
    ("ofseries", "of", "of"), ("number", "number", "no."), ("chapter", "chapter", "chap."),
    ("bathesis", "Bachelor's thesis", "BA thesis"), ("mathesis", "Master's thesis", "MA thesis"),
    ("phdthesis", "PhD thesis", "PhD thesis"), ("candthesis", "Candidate thesis", "Cand. thesis"),
    ("resreport", "research report", "research rep."),
    ("techreport", "technical report", "tech. rep."),
    ("software", "computer software", "comp. software"), ("datacd", "CD-ROM", "CD-ROM"),
    ("audiocd", "audio CD", "audio CD"), ("version", "version", "version"),
    ("url", "address", "address"), ("urlfrom", "available from", "available from"),
    ("urlseen", "visited on", "visited on"), ("inpreparation", "in preparation", "in preparation"),
    ("submitted", "submitted", "submitted"), ("forthcoming", "forthcoming", "forthcoming"),
    ("inpress", "in press", "in press"), ("prepublished", "pre-published", "pre-published"),
    ("citedas", "henceforth cited as", "henceforth cited as"),
    ("thiscite", "especially", "esp."), ("seenote", "see note", "see n."),
    ("quotedin", "quoted in", "qtd. in"), ("idem", "idem", "idem"), ("ibidem", "ibidem", "ibid."),
    ("opcit", "op. cit.", "op. cit."), ("loccit", "loc. cit.", "loc. cit."),
    ("confer", "cf.", "cf."), ("sequens", "sq.", "sq."), ("sequentes", "sqq.", "sqq."),
    ("passim", "passim", "pass."), ("see", "see", "see"), ("seealso", "see also", "see also"),
    ("january", "January", "Jan."), ("february", "February", "Feb."), ("march", "March", "Mar."),
    ("april", "April", "Apr."), ("may", "May", "May"), ("june", "June", "June"),
    ("july", "July", "July"), ("august", "August", "Aug."), ("september", "September", "Sept."),
    ("october", "October", "Oct."), ("november", "November", "Nov."),
    ("december", "December", "Dec."), ("countryde", "Germany", "DE"),
    ("countryeu", "European Union", "EU"), ("countryep", "European Union", "EP"),
    ("countryfr", "France", "FR"), ("countryuk", "United Kingdom", "GB"),
    ("countryus", "United States of America", "US"), ("patent", "patent", "pat."),
    ("patentde", "German patent", "German pat."), ("patenteu", "European patent", "European pat."),
    ("patentfr", "French patent", "French pat."), ("patentuk", "British patent", "British pat."),
    ("patentus", "U.S. patent", "U.S. pat."), ("patreq", "patent request", "pat. req."),
    ("patreqde", "German patent request", "German pat. req."),
    ("patreqeu", "European patent request", "European pat. req."),
    ("patreqfr", "French patent request", "French pat. req."),
    ("patrequk", "British patent request", "British pat. req."),
    ("patrequs", "U.S. patent request", "U.S. pat. req."),
    ("file", "file", "file"), ("library", "library", "library"),
    ("abstract", "abstract", "abstract"), ("annotation", "annotations", "annotations"),
    ("commonera", "Common Era", "CE"), ("beforecommonera", "Before Common Era", "BCE"),
    ("annodomini", "Anno Domini", "AD"), ("beforechrist", "Before Christ", "BC"),
    ("circa", "circa", "ca."), ("spring", "Spring", "Spr."), ("summer", "Summer", "Sum."),
    ("autumn", "Autumn", "Aut."), ("winter", "Winter", "Win."), ("am", "AM", "AM"),
    ("pm", "PM", "PM"),
]
LANGS = ["American", "Brazilian", "Bulgarian", "Catalan", "Croatian", "Czech", "Danish", "Dutch",
         "English", "Estonian", "Finnish", "French", "Galician", "German", "Greek", "Italian",
         "Japanese", "Latin", "Latvian", "Norwegian", "Polish", "Portuguese", "Russian", "Slovak",
         "Slovene", "Spanish", "Swedish", "Ukrainian"]
for _l in LANGS:
    BIBSTRINGS.append(("lang" + _l.lower(), _l, _l))
    BIBSTRINGS.append(("from" + _l.lower(), "from the " + _l, "from the " + _l))

# legacy single-byte encodings the reader decodes (bytes 0x80-0xFF); a byte a
# code page leaves undefined is its C1 control, as the WHATWG decoders do
ENCODINGS = [
    ("windows-1252", "cp1252"), ("iso-8859-15", "iso8859_15"), ("iso-8859-2", "iso8859_2"),
    ("windows-1250", "cp1250"), ("windows-1251", "cp1251"), ("koi8-r", "koi8_r"),
    ("macintosh", "mac_roman"),
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
    for cmd, mark in ACCENTS + READ_ACCENTS:
        for base in [chr(c) for c in range(0x41, 0x5b)] + [chr(c) for c in range(0x61, 0x7b)]:
            s = unicodedata.normalize("NFC", base + chr(mark))
            if len(s) == 1:
                comp.append((cmd, base, ord(s), (cmd, mark) in ACCENTS))
    print("/* generated by gen_tables.py; do not edit */")
    print('#include "bibtex.h"\n')
    print("/* accent command + ASCII base letter -> precomposed letter, sorted by (accent, base) */")
    comp.sort(key=lambda t: (t[0].encode(), t[1]))
    print("const bibtex_accent bibtex_accents[] = {")
    for cmd, base, cp, _ in comp:
        print("\t{%s, '%s', 0x%04X}," % (c_str(cmd), base, cp))
    print("};")
    print("const size_t bibtex_accent_count = sizeof bibtex_accents / sizeof bibtex_accents[0];\n")
    print("/* the text accents, sorted by code point, for writing ASCII */")
    comp.sort(key=lambda t: t[2])
    print("const bibtex_accent bibtex_accents_by_cp[] = {")
    seen = set()
    for cmd, base, cp, text in comp:
        if cp in seen or not text:
            continue
        seen.add(cp)
        print("\t{%s, '%s', 0x%04X}," % (c_str(cmd), base, cp))
    print("};")
    print("const size_t bibtex_accent_by_cp_count = sizeof bibtex_accents_by_cp / sizeof bibtex_accents_by_cp[0];\n")
    print("/* combining mark of each accent command, sorted by command (strcmp order) */")
    print("const bibtex_accent_mark bibtex_accent_marks[] = {")
    for cmd, mark in sorted(ACCENTS + READ_ACCENTS, key=lambda t: t[0].encode()):
        print("\t{%s, 0x%04X}," % (c_str(cmd), mark))
    print("};")
    print("const size_t bibtex_accent_mark_count = sizeof bibtex_accent_marks / sizeof bibtex_accent_marks[0];\n")
    syms = {}
    for name, val in SYMBOLS + READ_SYMBOLS:
        syms.setdefault(name, (val, 0))
    for name, val in AAS_JOURNALS:
        syms.setdefault(name, (val.replace("~", "\u00a0"), 0))
    for name, val in MATH + READ_MATH:
        syms.setdefault(name, (val, 1))
    for name in GREEK + UPPER_GREEK:
        up = "up" + name if name[0].islower() else "Up" + name
        if name in syms:
            syms.setdefault(up, (syms[name][0], 1))
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
    print("const size_t bibtex_symbol_rev_count = sizeof bibtex_symbols_rev / sizeof bibtex_symbols_rev[0];\n")
    names = [b[0] for b in BIBSTRINGS]
    assert len(names) == len(set(names)), "duplicate bibstring"
    print("/* biblatex bibstring keys -> English long and short forms (english.lbx), sorted by key */")
    print("const bibtex_bibstring bibtex_bibstrings[] = {")
    for key, long_, short in sorted(BIBSTRINGS, key=lambda t: t[0].encode()):
        print("\t{%s, %s, %s}," % (c_str(key), c_str(long_), c_str(short)))
    print("};")
    print("const size_t bibtex_bibstring_count = sizeof bibtex_bibstrings / sizeof bibtex_bibstrings[0];\n")
    print("/* single-byte encodings: the code point of each byte 0x80-0xFF */")
    print("const bibtex_charset bibtex_charsets[] = {")
    for name, codec in ENCODINGS:
        cps = []
        for b in range(0x80, 0x100):
            try:
                cps.append(ord(bytes([b]).decode(codec)))
            except UnicodeDecodeError:
                cps.append(b)
        print("\t{%s,\n\t {" % c_str(name))
        for i in range(0, 128, 8):
            print("\t     " + " ".join("0x%04X," % c for c in cps[i:i + 8]))
        print("\t }},")
    print("};")
    print("const size_t bibtex_charset_count = sizeof bibtex_charsets / sizeof bibtex_charsets[0];")

main()
