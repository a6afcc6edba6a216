/*
 * LaTeX <-> Unicode for BibTeX field values: accents, special letters,
 * symbols, math, styles and case-protecting braces, the macros a file
 * defines in its @preamble (decode), and the way back for the writer
 * (encode).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bibtex.h"

/* --- command classes --------------------------------------------------- */

enum cmd_kind {
	CMD_STYLE_ARG = 1, /* \textit{x} */
	CMD_STYLE_DECL,    /* {\itshape x} */
	CMD_PLAIN_ARG,     /* \mbox{x}: the argument as is */
	CMD_DROP_ARG,      /* \noopsort{x}: nothing */
	CMD_URL,           /* \url{x}: verbatim, without blanks */
	CMD_HREF,          /* \href{url}{text} */
	CMD_QUOTE,         /* \enquote{x}: quotation marks (inner ones when nested) */
	CMD_WRAP,          /* \mkbibparens{x}: x between the two characters of style */
	CMD_NOSTYLE_DECL,  /* \rm, \normalfont: ignored */
	CMD_GLYPH,         /* \ElsevierGlyph{2014}: a code point in hex */
	CMD_MATH_ARG,      /* \ensuremath{x}: x as math */
	CMD_BIBSTRING,     /* \bibstring{key}: biblatex's English word (style: BS_* bits) */
	CMD_ORDINAL,       /* \mkbibordinal{2}: 2nd */
	CMD_FRAC,          /* \frac{a}{b}: a/b */
	CMD_SQRT,          /* \sqrt[n]{x} */
	CMD_DELIM,         /* \left( \right. \big|: the delimiter only */
	CMD_BEGIN,         /* \begin{env} .. \end{env} */
	CMD_END,
	CMD_SYMBOL, /* \symbol{126}, \char"7E: a character by its code */
	CMD_BOX,    /* \hbox to 3em{x}: x */
	CMD_VERB    /* \verb|x|: x as written */
};

/* \bibstring variants: short form, and the case of the result */
enum { BS_SHORT = 1, BS_CAP = 2, BS_UPPER = 4, BS_LOWER = 8 };

typedef struct cmd_def {
	const char *name;
	enum cmd_kind kind;
	int style;     /* enum cw_style, or -1; CMD_WRAP: "()"/"[]"; CMD_BIBSTRING: BS_* */
	uint8_t skip;  /* leading arguments dropped (\foreignlanguage{lang}{text}) */
	uint8_t after; /* arguments after the main one dropped (\texorpdfstring) */
} cmd_def;

#define WRAP(o, c) ((int)(unsigned char)(o) << 8 | (unsigned char)(c))

/* sorted by name (strcmp order) */
static const cmd_def commands[] = {
    {"Alph", CMD_DROP_ARG, -1, 0, 0},
    {"Big", CMD_DELIM, -1, 0, 0},
    {"Bigg", CMD_DELIM, -1, 0, 0},
    {"Biggl", CMD_DELIM, -1, 0, 0},
    {"Biggr", CMD_DELIM, -1, 0, 0},
    {"Bigl", CMD_DELIM, -1, 0, 0},
    {"Bigr", CMD_DELIM, -1, 0, 0},
    {"ElsevierGlyph", CMD_GLYPH, -1, 0, 0},
    {"MakeLowercase", CMD_PLAIN_ARG, -1, 0, 0},
    {"MakeTextLowercase", CMD_PLAIN_ARG, -1, 0, 0},
    {"MakeTextUppercase", CMD_PLAIN_ARG, -1, 0, 0},
    {"MakeUppercase", CMD_PLAIN_ARG, -1, 0, 0},
    {"NoCaseChange", CMD_PLAIN_ARG, -1, 0, 0},
    {"Roman", CMD_DROP_ARG, -1, 0, 0},
    {"SortNoop", CMD_DROP_ARG, -1, 0, 0},
    {"addtocounter", CMD_DROP_ARG, -1, 1, 0},
    {"addtolength", CMD_DROP_ARG, -1, 1, 0},
    {"alph", CMD_DROP_ARG, -1, 0, 0},
    {"arabic", CMD_DROP_ARG, -1, 0, 0},
    {"autocap", CMD_PLAIN_ARG, -1, 0, 0},
    {"begin", CMD_BEGIN, -1, 0, 0},
    {"bf", CMD_STYLE_DECL, CW_STYLE_BOLD, 0, 0},
    {"bfseries", CMD_STYLE_DECL, CW_STYLE_BOLD, 0, 0},
    {"bibcplstring", CMD_BIBSTRING, BS_CAP, 0, 0},
    {"bibcpsstring", CMD_BIBSTRING, BS_CAP | BS_SHORT, 0, 0},
    {"bibcpstring", CMD_BIBSTRING, BS_CAP, 0, 0},
    {"bibcyr", CMD_PLAIN_ARG, -1, 0, 0},
    {"bibgreek", CMD_PLAIN_ARG, -1, 0, 0},
    {"biblclstring", CMD_BIBSTRING, BS_LOWER, 0, 0},
    {"biblcsstring", CMD_BIBSTRING, BS_LOWER | BS_SHORT, 0, 0},
    {"biblcstring", CMD_BIBSTRING, BS_LOWER, 0, 0},
    {"biblstring", CMD_BIBSTRING, 0, 0, 0},
    {"bibsstring", CMD_BIBSTRING, BS_SHORT, 0, 0},
    {"bibstring", CMD_BIBSTRING, 0, 0, 0},
    {"bibuclstring", CMD_BIBSTRING, BS_UPPER, 0, 0},
    {"bibucsstring", CMD_BIBSTRING, BS_UPPER | BS_SHORT, 0, 0},
    {"bibucstring", CMD_BIBSTRING, BS_UPPER, 0, 0},
    {"big", CMD_DELIM, -1, 0, 0},
    {"bigg", CMD_DELIM, -1, 0, 0},
    {"biggl", CMD_DELIM, -1, 0, 0},
    {"biggr", CMD_DELIM, -1, 0, 0},
    {"bigl", CMD_DELIM, -1, 0, 0},
    {"bigr", CMD_DELIM, -1, 0, 0},
    {"blockquote", CMD_QUOTE, -1, 0, 0},
    {"bm", CMD_STYLE_ARG, CW_STYLE_BOLD, 0, 0},
    {"boldmath", CMD_NOSTYLE_DECL, -1, 0, 0},
    {"boldsymbol", CMD_STYLE_ARG, CW_STYLE_BOLD, 0, 0},
    {"cfrac", CMD_FRAC, -1, 0, 0},
    {"char", CMD_SYMBOL, -1, 0, 0},
    {"color", CMD_DROP_ARG, -1, 0, 0},
    {"colorbox", CMD_PLAIN_ARG, -1, 1, 0},
    {"cyr", CMD_NOSTYLE_DECL, -1, 0, 0},
    {"dfrac", CMD_FRAC, -1, 0, 0},
    {"discretionary", CMD_PLAIN_ARG, -1, 2, 0},
    {"doi", CMD_URL, -1, 0, 0},
    {"em", CMD_STYLE_DECL, CW_STYLE_ITALIC, 0, 0},
    {"emph", CMD_STYLE_ARG, CW_STYLE_ITALIC, 0, 0},
    {"end", CMD_END, -1, 0, 0},
    {"enquote", CMD_QUOTE, -1, 0, 0},
    {"ensuremath", CMD_MATH_ARG, -1, 0, 0},
    {"fbox", CMD_PLAIN_ARG, -1, 0, 0},
    {"fnsymbol", CMD_DROP_ARG, -1, 0, 0},
    {"fontencoding", CMD_DROP_ARG, -1, 0, 0},
    {"fontfamily", CMD_DROP_ARG, -1, 0, 0},
    {"fontseries", CMD_DROP_ARG, -1, 0, 0},
    {"fontshape", CMD_DROP_ARG, -1, 0, 0},
    {"fontsize", CMD_DROP_ARG, -1, 1, 0},
    {"footnotesize", CMD_NOSTYLE_DECL, -1, 0, 0},
    {"foreignlanguage", CMD_PLAIN_ARG, -1, 1, 0},
    {"foreignquote", CMD_QUOTE, -1, 1, 0},
    {"frac", CMD_FRAC, -1, 0, 0},
    {"framebox", CMD_PLAIN_ARG, -1, 0, 0},
    {"hbox", CMD_BOX, -1, 0, 0},
    {"hphantom", CMD_DROP_ARG, -1, 0, 0},
    {"href", CMD_HREF, -1, 0, 0},
    {"hspace", CMD_DROP_ARG, -1, 0, 0},
    {"huge", CMD_NOSTYLE_DECL, -1, 0, 0},
    {"hyphenation", CMD_DROP_ARG, -1, 0, 0},
    {"hyphenquote", CMD_QUOTE, -1, 1, 0},
    {"includegraphics", CMD_DROP_ARG, -1, 0, 0},
    {"index", CMD_DROP_ARG, -1, 0, 0},
    {"it", CMD_STYLE_DECL, CW_STYLE_ITALIC, 0, 0},
    {"itshape", CMD_STYLE_DECL, CW_STYLE_ITALIC, 0, 0},
    {"label", CMD_DROP_ARG, -1, 0, 0},
    {"large", CMD_NOSTYLE_DECL, -1, 0, 0},
    {"left", CMD_DELIM, -1, 0, 0},
    {"lowercase", CMD_PLAIN_ARG, -1, 0, 0},
    {"makebox", CMD_PLAIN_ARG, -1, 0, 0},
    {"mathbf", CMD_STYLE_ARG, CW_STYLE_BOLD, 0, 0},
    {"mathit", CMD_STYLE_ARG, CW_STYLE_ITALIC, 0, 0},
    {"mathnormal", CMD_PLAIN_ARG, -1, 0, 0},
    {"mathrm", CMD_PLAIN_ARG, -1, 0, 0},
    {"mathsf", CMD_PLAIN_ARG, -1, 0, 0},
    {"mathtt", CMD_STYLE_ARG, CW_STYLE_MONO, 0, 0},
    {"mbox", CMD_PLAIN_ARG, -1, 0, 0},
    {"mdseries", CMD_NOSTYLE_DECL, -1, 0, 0},
    {"middle", CMD_DELIM, -1, 0, 0},
    {"mkbibacro", CMD_PLAIN_ARG, -1, 0, 0},
    {"mkbibbold", CMD_STYLE_ARG, CW_STYLE_BOLD, 0, 0},
    {"mkbibbrackets", CMD_WRAP, WRAP('[', ']'), 0, 0},
    {"mkbibemph", CMD_STYLE_ARG, CW_STYLE_ITALIC, 0, 0},
    {"mkbibendnote", CMD_PLAIN_ARG, -1, 0, 0},
    {"mkbibfemord", CMD_ORDINAL, -1, 0, 0},
    {"mkbibfootnote", CMD_PLAIN_ARG, -1, 0, 0},
    {"mkbibitalic", CMD_STYLE_ARG, CW_STYLE_ITALIC, 0, 0},
    {"mkbibmascord", CMD_ORDINAL, -1, 0, 0},
    {"mkbibneutord", CMD_ORDINAL, -1, 0, 0},
    {"mkbibordinal", CMD_ORDINAL, -1, 0, 0},
    {"mkbibparens", CMD_WRAP, WRAP('(', ')'), 0, 0},
    {"mkbibquote", CMD_QUOTE, -1, 0, 0},
    {"mkbibsuperscript", CMD_STYLE_ARG, CW_STYLE_SUP, 0, 0},
    {"nicefrac", CMD_FRAC, -1, 0, 0},
    {"nocite", CMD_DROP_ARG, -1, 0, 0},
    {"nolinkurl", CMD_URL, -1, 0, 0},
    {"noopsort", CMD_DROP_ARG, -1, 0, 0},
    {"normalfont", CMD_NOSTYLE_DECL, -1, 0, 0},
    {"normalsize", CMD_NOSTYLE_DECL, -1, 0, 0},
    {"operatorname", CMD_PLAIN_ARG, -1, 0, 0},
    {"parbox", CMD_PLAIN_ARG, -1, 1, 0},
    {"path", CMD_URL, -1, 0, 0},
    {"phantom", CMD_DROP_ARG, -1, 0, 0},
    {"raisebox", CMD_PLAIN_ARG, -1, 1, 0},
    {"right", CMD_DELIM, -1, 0, 0},
    {"rm", CMD_NOSTYLE_DECL, -1, 0, 0},
    {"rmfamily", CMD_NOSTYLE_DECL, -1, 0, 0},
    {"roman", CMD_DROP_ARG, -1, 0, 0},
    {"rotatebox", CMD_PLAIN_ARG, -1, 1, 0},
    {"rule", CMD_DROP_ARG, -1, 1, 0},
    {"sb", CMD_STYLE_ARG, CW_STYLE_SUB, 0, 0},
    {"sc", CMD_STYLE_DECL, CW_STYLE_SMALLCAPS, 0, 0},
    {"scalebox", CMD_PLAIN_ARG, -1, 1, 0},
    {"scshape", CMD_STYLE_DECL, CW_STYLE_SMALLCAPS, 0, 0},
    {"selectfont", CMD_NOSTYLE_DECL, -1, 0, 0},
    {"selectlanguage", CMD_DROP_ARG, -1, 0, 0},
    {"setcounter", CMD_DROP_ARG, -1, 1, 0},
    {"setlength", CMD_DROP_ARG, -1, 1, 0},
    {"sf", CMD_NOSTYLE_DECL, -1, 0, 0},
    {"sffamily", CMD_NOSTYLE_DECL, -1, 0, 0},
    {"sfrac", CMD_FRAC, -1, 0, 0},
    {"sl", CMD_STYLE_DECL, CW_STYLE_ITALIC, 0, 0},
    {"slshape", CMD_STYLE_DECL, CW_STYLE_ITALIC, 0, 0},
    {"small", CMD_NOSTYLE_DECL, -1, 0, 0},
    {"sortnoop", CMD_DROP_ARG, -1, 0, 0},
    {"sp", CMD_STYLE_ARG, CW_STYLE_SUP, 0, 0},
    {"sqrt", CMD_SQRT, -1, 0, 0},
    {"symbol", CMD_SYMBOL, -1, 0, 0},
    {"texorpdfstring", CMD_PLAIN_ARG, -1, 0, 1},
    {"text", CMD_PLAIN_ARG, -1, 0, 0},
    {"textbf", CMD_STYLE_ARG, CW_STYLE_BOLD, 0, 0},
    {"textcolor", CMD_PLAIN_ARG, -1, 1, 0},
    {"textcyr", CMD_PLAIN_ARG, -1, 0, 0},
    {"textcyrillic", CMD_PLAIN_ARG, -1, 0, 0},
    {"textenglish", CMD_PLAIN_ARG, -1, 0, 0},
    {"textfrench", CMD_PLAIN_ARG, -1, 0, 0},
    {"textgerman", CMD_PLAIN_ARG, -1, 0, 0},
    {"textgreek", CMD_PLAIN_ARG, -1, 0, 0},
    {"textit", CMD_STYLE_ARG, CW_STYLE_ITALIC, 0, 0},
    {"textlang", CMD_PLAIN_ARG, -1, 1, 0},
    {"textlatin", CMD_PLAIN_ARG, -1, 0, 0},
    {"textmd", CMD_PLAIN_ARG, -1, 0, 0},
    {"textnormal", CMD_PLAIN_ARG, -1, 0, 0},
    {"textquote", CMD_QUOTE, -1, 0, 0},
    {"textrm", CMD_PLAIN_ARG, -1, 0, 0},
    {"textrussian", CMD_PLAIN_ARG, -1, 0, 0},
    {"textsc", CMD_STYLE_ARG, CW_STYLE_SMALLCAPS, 0, 0},
    {"textsf", CMD_PLAIN_ARG, -1, 0, 0},
    {"textsl", CMD_STYLE_ARG, CW_STYLE_ITALIC, 0, 0},
    {"textsubscript", CMD_STYLE_ARG, CW_STYLE_SUB, 0, 0},
    {"textsuperscript", CMD_STYLE_ARG, CW_STYLE_SUP, 0, 0},
    {"texttt", CMD_STYLE_ARG, CW_STYLE_MONO, 0, 0},
    {"textup", CMD_PLAIN_ARG, -1, 0, 0},
    {"tfrac", CMD_FRAC, -1, 0, 0},
    {"tiny", CMD_NOSTYLE_DECL, -1, 0, 0},
    {"tt", CMD_STYLE_DECL, CW_STYLE_MONO, 0, 0},
    {"ttfamily", CMD_STYLE_DECL, CW_STYLE_MONO, 0, 0},
    {"underline", CMD_PLAIN_ARG, -1, 0, 0},
    {"uppercase", CMD_PLAIN_ARG, -1, 0, 0},
    {"upshape", CMD_NOSTYLE_DECL, -1, 0, 0},
    {"url", CMD_URL, -1, 0, 0},
    {"usefont", CMD_DROP_ARG, -1, 3, 0},
    {"value", CMD_DROP_ARG, -1, 0, 0},
    {"vbox", CMD_BOX, -1, 0, 0},
    {"verb", CMD_VERB, -1, 0, 0},
    {"vphantom", CMD_DROP_ARG, -1, 0, 0},
    {"vspace", CMD_DROP_ARG, -1, 0, 0},
};

/*
 * strncmp(name, key, n), then "longer key sorts after": command names are a
 * few bytes, so an inline loop beats the library call (most lookups decide
 * on the first byte).
 */
static int name_cmp(const char *name, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char a = (unsigned char)name[i], b = (unsigned char)key[i];
		if (a != b)
			return a < b ? -1 : 1;
		if (!a)
			return 0;
	}
	return key[n] ? -1 : 0;
}

/*
 * Binary search of a table sorted by a name (strcmp order): count rows of
 * size bytes, each holding its name at key_off. The row, or NULL.
 */
static const void *find_named(const void *table, size_t count, size_t size, size_t key_off,
                              const char *name, size_t n)
{
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *row = (const char *)table + mid * size;
		const char *key;
		memcpy(&key, row + key_off, sizeof key);
		int c = name_cmp(name, n, key);
		if (c == 0)
			return row;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const cmd_def *find_cmd(const char *name, size_t n)
{
	return find_named(commands, sizeof commands / sizeof commands[0], sizeof commands[0],
	                  offsetof(cmd_def, name), name, n);
}

static const bibtex_symbol *find_symbol(const char *name, size_t n)
{
	return find_named(bibtex_symbols, bibtex_symbol_count, sizeof bibtex_symbols[0],
	                  offsetof(bibtex_symbol, name), name, n);
}

/* The accent marks are sorted by command (strcmp order); \t, the tie, is handled apart. */
static const bibtex_accent_mark *find_accent(const char *name, size_t n)
{
	return find_named(bibtex_accent_marks, bibtex_accent_mark_count,
	                  sizeof bibtex_accent_marks[0], offsetof(bibtex_accent_mark, cmd), name,
	                  n);
}

static const bibtex_bibstring *find_bibstring(const char *name, size_t n)
{
	return find_named(bibtex_bibstrings, bibtex_bibstring_count, sizeof bibtex_bibstrings[0],
	                  offsetof(bibtex_bibstring, key), name, n);
}

const char *bibtex_bibstring_text(const char *key, size_t n)
{
	const bibtex_bibstring *b = find_bibstring(key, n);
	return b ? b->long_form : NULL;
}

const char *bibtex_bibstring_key(const char *text)
{
	/* only words no one writes but for the key ("research report", "U.S.
	 * patent", "pre-published"): a plain word ("Section", "Series") is the
	 * entry's own */
	if (!text)
		return NULL;
	const char *p = text;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
		p++;
	if (!*p)
		return NULL;
	for (size_t i = 0; i < bibtex_bibstring_count; i++) {
		const char *l = bibtex_bibstrings[i].long_form;
		/* the words as the reader gives them: a title's first letter capitalised */
		char first = l[0] >= 'a' && l[0] <= 'z' ? (char)(l[0] - 32) : l[0];
		if ((text[0] == l[0] || text[0] == first) && strcmp(text + 1, l + 1) == 0)
			return bibtex_bibstrings[i].key;
	}
	return NULL;
}

/* The precomposed letter for accent command cmd[0..n) on base, or 0. */
static uint32_t compose(const char *cmd, size_t n, char base)
{
	size_t lo = 0, hi = bibtex_accent_count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = name_cmp(cmd, n, bibtex_accents[mid].cmd);
		if (c == 0)
			c = (unsigned char)base - (unsigned char)bibtex_accents[mid].base;
		if (c == 0)
			return bibtex_accents[mid].cp;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

static int is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* 1 if the decoder gives name[0..n) a meaning of its own (not a file's macro). */
static int is_builtin(const char *name, size_t n)
{
	return find_cmd(name, n) || find_accent(name, n) || find_symbol(name, n) ||
	       (n == 1 && (*name == 't' || !is_letter(*name)));
}

/* --- the macros a file defines ------------------------------------------ */

/*
 * The definitions a file keeps are bounded by the session: their number by
 * the macros limit, the bytes of their names, bodies and defaults (held for
 * the whole file) by record-bytes, what a reader may hold whole; within
 * uint32_t, as macros hold offsets into mtext.
 */
enum {
	EXPAND_BUDGET = 64 << 20, /* expansion bytes a file starts with */
	EXPAND_PER_BYTE = 16,     /* and earns per byte decoded */
	DEFINE_DEPTH = 16         /* nesting of \@ifundefined and \ifx in a preamble */
};

static const char *mtext(const bibtex_latex *lx, uint32_t off)
{
	return lx->mtext.data + off;
}

/* The file's macro named name[0..n), or NULL. */
static const bibtex_macro *find_macro(const bibtex_latex *lx, const char *name, size_t n)
{
	if (!lx->nmacros)
		return NULL;
	const cw_map_entry *e = cw_map_find(lx->mindex, name, n);
	return e ? &lx->macros[e->size] : NULL;
}

/* The bytes mtext may hold: record-bytes, within the offsets' uint32_t. */
static uint64_t mtext_max(const bibtex_latex *lx)
{
	uint64_t most = cw_session_limits(lx->s)->max_record_bytes;
	return most < UINT32_MAX ? most : UINT32_MAX;
}

/* Stores a copy of s[0..n) in mtext; its offset, or UINT32_MAX when full. */
static uint32_t mtext_add(bibtex_latex *lx, const char *s, size_t n)
{
	if (lx->mtext.len + n + 1 > mtext_max(lx))
		return UINT32_MAX;
	uint32_t off = (uint32_t)lx->mtext.len;
	if (cw_buf_append(&lx->mtext, s, n) || cw_buf_putc(&lx->mtext, '\0'))
		return UINT32_MAX;
	return off;
}

/* Defines (or redefines) a macro; 1 if it was stored. */
static int macro_store(bibtex_latex *lx, const char *name, size_t n, const char *body, size_t blen,
                       unsigned nparams, const char *dflt, size_t dlen, uint32_t line, uint32_t col)
{
	uint32_t most = cw_session_limits(lx->s)->max_macros;
	if (lx->nmacros >= most) {
		if (!lx->macros_full && lx->s)
			cw_session_limit_diag(lx->s, CW_SEV_WARNING, CW_ELIMIT, CW_LIMIT_MACROS,
			                      line, col,
			                      "more macro definitions than the macros limit (%lu); "
			                      "the rest are not used",
			                      (unsigned long)most);
		lx->macros_full = 1;
		return 0;
	}
	bibtex_macro m = {0};
	/* body and dflt may point into mtext itself (\let copies a definition):
	 * held as offsets while mtext grows to take all three, so that no
	 * append below moves it */
	uintptr_t lo = (uintptr_t)lx->mtext.data, hi = lo + lx->mtext.len;
	int in_body = lo && (uintptr_t)body >= lo && (uintptr_t)body < hi;
	int in_dflt = lo && dflt && (uintptr_t)dflt >= lo && (uintptr_t)dflt < hi;
	size_t body_off = in_body ? (size_t)((uintptr_t)body - lo) : 0;
	size_t dflt_off = in_dflt ? (size_t)((uintptr_t)dflt - lo) : 0;
	int fits = lx->mtext.len + n + blen + dlen + 3 <= mtext_max(lx);
	if (fits && cw_buf_reserve(&lx->mtext, n + blen + dlen + 3))
		return 0;
	if (in_body)
		body = lx->mtext.data + body_off;
	if (in_dflt)
		dflt = lx->mtext.data + dflt_off;
	if (fits) {
		m.name = mtext_add(lx, name, n);
		m.body = mtext_add(lx, body, blen);
		m.dflt = dflt ? mtext_add(lx, dflt, dlen) : 0;
	}
	if (!fits || m.name == UINT32_MAX || m.body == UINT32_MAX || m.dflt == UINT32_MAX) {
		char size[32];
		if (!lx->macros_full && lx->s)
			cw_session_limit_diag(
			    lx->s, CW_SEV_WARNING, CW_ELIMIT, CW_LIMIT_RECORD_BYTES, line, col,
			    "macro definitions larger in all than the record-bytes "
			    "limit (%s); the rest are not used",
			    bibtex_size_text(size, mtext_max(lx)));
		lx->macros_full = 1;
		return 0;
	}
	m.name_len = (uint32_t)n;
	m.body_len = (uint32_t)blen;
	m.dflt_len = dflt ? (uint32_t)dlen : 0;
	m.nparams = (uint8_t)nparams;
	m.optional = dflt != NULL;
	const bibtex_macro *old = find_macro(lx, name, n);
	if (old) {
		lx->macros[old - lx->macros] = m;
		return 1;
	}
	if (!lx->mindex && cw_map_new(&lx->mindex, 0))
		return 0;
	if (lx->nmacros == lx->macros_cap) {
		size_t cap = lx->macros_cap ? lx->macros_cap * 2 : 16;
		bibtex_macro *a = realloc(lx->macros, cap * sizeof *a);
		if (!a)
			return 0;
		lx->macros = a;
		lx->macros_cap = cap;
	}
	cw_map_entry *e;
	if (cw_map_put(lx->mindex, name, n, &e) != 1)
		return 0;
	e->size = lx->nmacros;
	lx->macros[lx->nmacros++] = m;
	return 1;
}

/* A preamble being read for definitions. */
typedef struct defs {
	bibtex_latex *lx;
	uint32_t line, col;
	size_t count;
	int too_deep; /* conditionals nested past DEFINE_DEPTH were reported */
} defs;

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (is_space(*p) || *p == '%')) {
		if (*p == '%')
			while (p < end && *p != '\n')
				p++;
		else
			p++;
	}
	return p;
}

/* End of the balanced group whose '{' is at p: the '}' or end. */
static const char *group_end(const char *p, const char *end);

/*
 * A control sequence at p ('\\' then letters and '@', or one character):
 * its name in *name and *n; returns past it, or p when there is none.
 */
static const char *read_cs(const char *p, const char *end, const char **name, size_t *n)
{
	if (p >= end || *p != '\\' || p + 1 >= end)
		return p;
	const char *q = p + 1;
	if (is_letter(*q) || *q == '@')
		while (q < end && (is_letter(*q) || *q == '@'))
			q++;
	else
		q++;
	*name = p + 1;
	*n = (size_t)(q - p - 1);
	return q;
}

/* A braced group {..} or one token at p (after blanks): its content. */
static const char *read_group(const char *p, const char *end, const char **a, const char **ae)
{
	p = skip_blanks(p, end);
	if (p < end && *p == '{') {
		const char *c = group_end(p, end);
		*a = p + 1;
		*ae = c;
		return c < end ? c + 1 : c;
	}
	const char *nm;
	size_t n;
	const char *q = read_cs(p, end, &nm, &n);
	if (q == p && p < end)
		q = p + 1;
	*a = p;
	*ae = q;
	return q;
}

/* The name of the macro being defined: "\x" or "{\x}"; returns past it. */
static const char *read_def_name(const char *p, const char *end, const char **name, size_t *n)
{
	p = skip_blanks(p, end);
	*n = 0;
	if (p < end && *p == '{') {
		const char *c = group_end(p, end);
		const char *q = skip_blanks(p + 1, c);
		const char *r = read_cs(q, c, name, n);
		if (r == q || skip_blanks(r, c) != c)
			*n = 0;
		return c < end ? c + 1 : c;
	}
	return read_cs(p, end, name, n);
}

/* 1 if the file or the decoder defines name[0..n). */
static int is_defined(const bibtex_latex *lx, const char *name, size_t n)
{
	return find_macro(lx, name, n) || is_builtin(name, n);
}

static void define_one(defs *df, const char *name, size_t n, const char *body, size_t blen,
                       unsigned nparams, const char *dflt, size_t dlen, int provide)
{
	bibtex_latex *lx = df->lx;
	if (!n)
		return;
	/*
	 * The decoder's own commands keep their meaning (a preamble's
	 * definitions of \url or \noopsort are for TeX); its argumentless
	 * symbols, such as the journal abbreviations, may be redefined.
	 */
	if (find_cmd(name, n) || find_accent(name, n) || (n == 1 && !is_letter(*name)) ||
	    (n == 1 && *name == 't'))
		return;
	if (provide && is_defined(lx, name, n))
		return;
	df->count +=
	    (size_t)macro_store(lx, name, n, body, blen, nparams, dflt, dlen, df->line, df->col);
}

static void parse_defs(defs *df, const char *p, const char *end, int depth);

/* \newcommand*{\x}[n][default]{body} and its relatives, after the command name. */
static const char *def_newcommand(defs *df, const char *p, const char *end, int provide)
{
	if (p < end && *p == '*')
		p++;
	const char *name = NULL;
	size_t n = 0;
	p = read_def_name(p, end, &name, &n);
	unsigned nparams = 0;
	const char *dflt = NULL;
	size_t dlen = 0;
	p = skip_blanks(p, end);
	if (p < end && *p == '[') {
		const char *q = p + 1;
		while (q < end && *q != ']')
			q++;
		for (const char *d = p + 1; d < q; d++)
			if (*d >= '0' && *d <= '9')
				nparams = nparams * 10 + (unsigned)(*d - '0');
		p = q < end ? q + 1 : q;
		p = skip_blanks(p, end);
		if (p < end && *p == '[') {
			const char *c = p + 1;
			int bd = 0;
			for (; c < end && (bd > 0 || *c != ']'); c++)
				bd += *c == '{' ? 1 : *c == '}' ? -1 : 0;
			dflt = p + 1;
			dlen = (size_t)(c - p - 1);
			p = c < end ? c + 1 : c;
		}
	}
	const char *a, *ae;
	p = skip_blanks(p, end);
	if (p >= end || *p != '{')
		return p;
	p = read_group(p, end, &a, &ae);
	if (nparams <= 9 && (!dflt || nparams >= 1))
		define_one(df, name, n, a, (size_t)(ae - a), nparams, dflt, dlen, provide);
	return p;
}

/* \def\x#1#2{body}, after the command name. Delimited parameters are not read. */
static const char *def_def(defs *df, const char *p, const char *end)
{
	const char *name = NULL;
	size_t n = 0;
	p = read_cs(skip_blanks(p, end), end, &name, &n);
	unsigned nparams = 0;
	int ok = 1;
	while (p < end && *p != '{') {
		if (*p == '#' && p + 1 < end && p[1] == (char)('1' + nparams) && nparams < 9) {
			nparams++;
			p += 2;
		} else {
			ok = 0; /* a delimited parameter text: not for us */
			p++;
		}
	}
	if (p >= end)
		return p;
	const char *a, *ae;
	p = read_group(p, end, &a, &ae);
	if (ok)
		define_one(df, name, n, a, (size_t)(ae - a), nparams, NULL, 0, 0);
	return p;
}

/* \let\x\y, \let\x=\y, \let\x = y */
static const char *def_let(defs *df, const char *p, const char *end)
{
	const char *name = NULL, *to = NULL;
	size_t n = 0, tn = 0;
	p = read_cs(skip_blanks(p, end), end, &name, &n);
	p = skip_blanks(p, end);
	if (p < end && *p == '=')
		p = skip_blanks(p + 1, end);
	const char *q = read_cs(p, end, &to, &tn);
	if (q == p)
		return p < end ? p + 1 : p;
	const bibtex_macro *m = find_macro(df->lx, to, tn);
	if (m) {
		/* copy the definition: a later \renewcommand of \y does not change \x */
		bibtex_macro c = *m;
		define_one(df, name, n, mtext(df->lx, c.body), c.body_len, c.nparams,
		           c.optional ? mtext(df->lx, c.dflt) : NULL, c.dflt_len, 0);
	} else {
		define_one(df, name, n, p, (size_t)(q - p), 0, NULL, 0, 0);
	}
	return q;
}

static void parse_defs(defs *df, const char *p, const char *end, int depth)
{
	if (depth > DEFINE_DEPTH) {
		if (!df->too_deep && df->lx->s && memchr(p, '\\', (size_t)(end - p)))
			cw_diag_emit(df->lx->s, CW_SEV_WARNING, CW_ELIMIT, df->line, df->col,
			             "macro definitions inside more than %d nested conditionals (a "
			             "fixed limit) are not read",
			             DEFINE_DEPTH);
		df->too_deep = 1;
		return;
	}
	while (p < end) {
		const char *bs = memchr(p, '\\', (size_t)(end - p));
		if (!bs)
			return;
		const char *nm;
		size_t n;
		p = read_cs(bs, end, &nm, &n);
		if (p == bs) {
			p = bs + 1;
			continue;
		}
#define IS(s) (n == sizeof(s) - 1 && memcmp(nm, s, n) == 0)
		if (IS("newcommand") || IS("renewcommand") || IS("DeclareRobustCommand") ||
		    IS("newrobustcmd") || IS("renewrobustcmd") || IS("DeclareTextCommandDefault")) {
			p = def_newcommand(df, p, end, 0);
		} else if (IS("providecommand") || IS("providerobustcmd") ||
		           IS("ProvideTextCommandDefault")) {
			p = def_newcommand(df, p, end, 1);
		} else if (IS("def") || IS("gdef") || IS("edef") || IS("xdef")) {
			p = def_def(df, p, end);
		} else if (IS("let")) {
			p = def_let(df, p, end);
		} else if (IS("@ifundefined")) {
			const char *a, *ae, *t, *te, *f, *fe;
			p = read_group(p, end, &a, &ae);
			p = read_group(p, end, &t, &te);
			p = read_group(p, end, &f, &fe);
			/* the name is written without its backslash */
			int undefined = !is_defined(df->lx, a, (size_t)(ae - a));
			if (undefined)
				parse_defs(df, t, te, depth + 1);
			else
				parse_defs(df, f, fe, depth + 1);
		} else if (IS("ifx") || IS("ifdefined") || IS("ifcsname")) {
			/* \ifx\undefined\x (or \ifx\x\undefined), \ifdefined\x */
			const char *x = NULL, *y = NULL;
			size_t xn = 0, yn = 0;
			const char *q = read_cs(skip_blanks(p, end), end, &x, &xn);
			int cond = -1;
			if (IS("ifdefined")) {
				cond = xn ? is_defined(df->lx, x, xn) : -1;
			} else if (IS("ifx")) {
				q = read_cs(skip_blanks(q, end), end, &y, &yn);
				if (xn == 9 && memcmp(x, "undefined", 9) == 0)
					cond = yn ? !is_defined(df->lx, y, yn) : -1;
				else if (yn == 9 && memcmp(y, "undefined", 9) == 0)
					cond = xn ? !is_defined(df->lx, x, xn) : -1;
			}
			/* the branches: then up to \else or \fi, else up to \fi */
			const char *then_end = NULL, *else_start = NULL, *fi = NULL;
			int level = 0;
			for (const char *s = q; s < end;) {
				const char *cn;
				size_t cl;
				const char *r = read_cs(s, end, &cn, &cl);
				if (r == s) {
					s++;
					continue;
				}
				if (cl >= 2 && cn[0] == 'i' && cn[1] == 'f') {
					level++;
				} else if (cl == 2 && memcmp(cn, "fi", 2) == 0) {
					if (level-- == 0) {
						fi = s;
						p = r;
						break;
					}
				} else if (cl == 4 && memcmp(cn, "else", 4) == 0 && level == 0 &&
				           !then_end) {
					then_end = s;
					else_start = r;
				}
				s = r;
			}
			if (!fi)
				return; /* unterminated: nothing more from this preamble */
			if (!then_end)
				then_end = fi;
			if (cond < 0) /* a test we cannot decide: both branches are read */
				parse_defs(df, q, fi, depth + 1);
			else if (cond)
				parse_defs(df, q, then_end, depth + 1);
			else if (else_start)
				parse_defs(df, else_start, fi, depth + 1);
		}
#undef IS
	}
}

size_t bibtex_latex_define(bibtex_latex *lx, const char *s, size_t len, uint32_t line, uint32_t col)
{
	defs df = {.lx = lx, .line = line, .col = col};
	parse_defs(&df, s, s + len, 0);
	return df.count;
}

/* --- expansion of the file's macros ---------------------------------------- */

/*
 * The expansion being built: dst, and whether it ends with a control word
 * (kept up to date per piece, so that no append scans the text again).
 */
typedef struct expansion {
	cw_buf *dst;
	int cs_end;
} expansion;

/* 1 if s[0..n) ends with a control word whose backslash is not escaped within s. */
static int piece_cs_end(const char *s, size_t n, int *all_letters)
{
	size_t i = n;
	while (i > 0 && (is_letter(s[i - 1]) || s[i - 1] == '@'))
		i--;
	*all_letters = i == 0;
	if (i == 0 || i == n || s[i - 1] != '\\')
		return 0;
	size_t k = i - 1, before = 0;
	while (k > 0 && s[k - 1] == '\\' && before < 64) {
		k--;
		before++;
	}
	return before % 2 == 0;
}

/*
 * Appends s[0..n) to the expansion; "{}" first when s starts with a letter
 * and the expansion ends with a control word, so that "\x" and "y" do not
 * become "\xy".
 */
static int append_apart(expansion *x, const char *s, size_t n)
{
	if (!n)
		return CW_OK;
	if ((is_letter(*s) || *s == '@') && x->cs_end && cw_buf_append(x->dst, "{}", 2))
		return CW_ENOMEM;
	int letters;
	int cs = piece_cs_end(s, n, &letters);
	x->cs_end = letters ? 0 : cs;
	return cw_buf_append(x->dst, s, n);
}

/*
 * The file's macro called at bs ('\\'): the longest name with '@' first (a
 * preamble may define \ref@jnl), then the letters only. Sets *after.
 */
static const bibtex_macro *macro_at(const bibtex_latex *lx, const char *bs, const char *end,
                                    const char **after)
{
	const char *q = bs + 1;
	while (q < end && is_letter(*q))
		q++;
	const char *r = q;
	while (r < end && (is_letter(*r) || *r == '@'))
		r++;
	const bibtex_macro *m = NULL;
	if (r > q && (m = find_macro(lx, bs + 1, (size_t)(r - bs - 1))) != NULL)
		q = r;
	else if (q > bs + 1)
		m = find_macro(lx, bs + 1, (size_t)(q - bs - 1));
	*after = q;
	return m;
}

/* 1 if s[0..n) calls one of the file's macros. */
static int calls_macro(const bibtex_latex *lx, const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	while ((p = memchr(p, '\\', (size_t)(end - p))) != NULL) {
		if (p + 1 < end && p[1] == '\\') {
			p += 2;
			continue;
		}
		const char *after;
		if (macro_at(lx, p, end, &after))
			return 1;
		p = after > p + 1 ? after : p + 1;
	}
	return 0;
}

/*
 * One round: copies s[0..n) to dst with each call of a file's macro
 * replaced by its body, the arguments put in. *first is the first macro
 * expanded. CW_ELIMIT when dst grows past limit, *last the macro expanded then.
 */
static int expand_round(const bibtex_latex *lx, const char *s, size_t n, cw_buf *dst,
                        uint64_t limit, const bibtex_macro **first, const bibtex_macro **last)
{
	expansion x = {dst, 0};
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *bs = memchr(p, '\\', (size_t)(end - p));
		if (!bs)
			return append_apart(&x, p, (size_t)(end - p));
		if (append_apart(&x, p, (size_t)(bs - p)))
			return CW_ENOMEM;
		if (bs + 1 >= end || !(is_letter(bs[1]) || bs[1] == '@')) {
			/* a control symbol (\\, \', ...): never a file's macro */
			size_t k = bs + 1 < end ? 2 : 1;
			if (cw_buf_append(dst, bs, k))
				return CW_ENOMEM;
			x.cs_end = 0;
			p = bs + k;
			continue;
		}
		const char *q;
		const bibtex_macro *m = macro_at(lx, bs, end, &q);
		if (!m) {
			if (cw_buf_append(dst, bs, (size_t)(q - bs)))
				return CW_ENOMEM;
			x.cs_end = 1;
			p = q;
			continue;
		}
		if (!*first)
			*first = m;
		/* TeX skips the blanks after a control word, and before arguments */
		p = q;
		while (p < end && is_space(*p))
			p++;
		const char *av[9];
		size_t al[9];
		unsigned k = 0;
		if (m->optional) {
			if (p < end && *p == '[') {
				const char *c = p + 1;
				int bd = 0;
				for (; c < end && (bd > 0 || *c != ']'); c++)
					bd += *c == '{' ? 1 : *c == '}' ? -1 : 0;
				av[0] = p + 1;
				al[0] = (size_t)(c - p - 1);
				p = c < end ? c + 1 : c;
			} else {
				av[0] = mtext(lx, m->dflt);
				al[0] = m->dflt_len;
			}
			k = 1;
		}
		for (; k < m->nparams; k++) {
			while (p < end && is_space(*p))
				p++;
			const char *a, *ae;
			p = read_group(p, end, &a, &ae);
			if (a < ae && a[0] != '\\' && p > a && p[-1] != '}') {
				/* one character: the whole UTF-8 sequence */
				while (ae < end && ((unsigned char)*ae & 0xC0) == 0x80)
					ae++;
				p = ae;
			}
			av[k] = a;
			al[k] = (size_t)(ae - a);
		}
		const char *b = mtext(lx, m->body), *be = b + m->body_len, *from = b;
		for (const char *h = b; h + 1 < be; h++) {
			if (*h != '#')
				continue;
			if (h[1] >= '1' && h[1] <= '9') {
				unsigned d = (unsigned)(h[1] - '1');
				if (append_apart(&x, from, (size_t)(h - from)) ||
				    (d < m->nparams && append_apart(&x, av[d], al[d])))
					return CW_ENOMEM;
				from = ++h + 1;
			} else if (h[1] == '#') {
				if (append_apart(&x, from, (size_t)(h + 1 - from)))
					return CW_ENOMEM;
				from = ++h + 1;
			}
		}
		if (append_apart(&x, from, (size_t)(be - from)))
			return CW_ENOMEM;
		if (dst->len > limit) {
			*last = m;
			return CW_ELIMIT;
		}
	}
	return CW_OK;
}

/*
 * Expands the file's macros in s[0..n) until none is left: *out is s itself
 * when there is nothing to do, else one of the expansion buffers.
 */
static int expand_macros(bibtex_latex *lx, const char *s, size_t n, const char **out, size_t *olen,
                         uint32_t line, uint32_t col)
{
	*out = s;
	*olen = n;
	const char *src = s;
	size_t len = n;
	const bibtex_macro *called = NULL; /* the first macro the value calls, for messages */
	for (uint32_t round = 0; calls_macro(lx, src, len); round++) {
		cw_buf *dst = round % 2 ? &lx->exp2 : &lx->exp;
		const bibtex_macro *first = NULL, *last = NULL;
		if (round >= lx->max_hops) {
			/* name a macro that is still there */
			const char *q = src, *after = src;
			const bibtex_macro *m = NULL;
			while (!m &&
			       (q = memchr(after, '\\', (size_t)(src + len - after))) != NULL) {
				m = macro_at(lx, q, src + len, &after);
				if (after <= q)
					after = q + 1;
			}
			if (!m)
				m = called;
			return cw_session_limit_diag(
			    lx->s, CW_SEV_ERROR, CW_ELIMIT, CW_LIMIT_HOPS, line, col,
			    "\\%.*s still expands after %u rounds (the hops limit; "
			    "a macro that calls itself?); the value "
			    "is read without the file's macros",
			    (int)m->name_len, mtext(lx, m->name), lx->max_hops);
		}
		cw_buf_clear(dst);
		int by_budget = lx->budget < lx->max_field;
		uint64_t limit = by_budget ? lx->budget : lx->max_field;
		int rc = expand_round(lx, src, len, dst, limit, &first, &last);
		if (!called)
			called = first;
		if (rc == CW_ENOMEM)
			return rc;
		if (rc == CW_ELIMIT) {
			char size[32];
			if (!last)
				last = called;
			if (by_budget)
				return cw_diag_emit(lx->s, CW_SEV_ERROR, CW_ELIMIT, line, col,
				                    "expanding \\%.*s (at \\%.*s): the file's "
				                    "macros have expanded to "
				                    "more than their budget (%d MiB and %d bytes "
				                    "per byte decoded, a fixed limit); "
				                    "the value is read without them",
				                    (int)called->name_len, mtext(lx, called->name),
				                    (int)last->name_len, mtext(lx, last->name),
				                    EXPAND_BUDGET >> 20, EXPAND_PER_BYTE);
			return cw_session_limit_diag(
			    lx->s, CW_SEV_ERROR, CW_ELIMIT, CW_LIMIT_FIELD_BYTES, line, col,
			    "expanding \\%.*s (at \\%.*s) gives more than the field-bytes "
			    "limit (%s); the value is read without "
			    "the file's macros",
			    (int)called->name_len, mtext(lx, called->name), (int)last->name_len,
			    mtext(lx, last->name), bibtex_size_text(size, limit));
		}
		lx->budget -= dst->len;
		src = dst->data;
		len = dst->len;
	}
	*out = src;
	*olen = len;
	return CW_OK;
}

/* --- decoder ------------------------------------------------------------ */

void bibtex_latex_init(bibtex_latex *lx, cw_session *s)
{
	memset(lx, 0, sizeof *lx);
	lx->s = s;
	const cw_limits *lim = s ? cw_session_limits(s) : NULL;
	lx->max_depth = lim && lim->max_depth ? lim->max_depth : 256;
	lx->max_hops = lim && lim->max_hops ? lim->max_hops : 32;
	lx->max_field = lim && lim->max_field_bytes ? lim->max_field_bytes : 1u << 20;
	lx->budget = EXPAND_BUDGET;
}

void bibtex_latex_free(bibtex_latex *lx)
{
	free(lx->reported);
	lx->reported = NULL;
	lx->reported_len = lx->reported_cap = 0;
	cw_buf_free(&lx->parts);
	free(lx->macros);
	cw_map_free(lx->mindex, NULL);
	lx->macros = NULL;
	lx->mindex = NULL;
	lx->nmacros = lx->macros_cap = 0;
	cw_buf_free(&lx->mtext);
	cw_buf_free(&lx->exp);
	cw_buf_free(&lx->exp2);
	cw_buf_free(&lx->href);
}

/* Reports something once per reader: kind and name (the remembered key). */
static void report_once(bibtex_latex *lx, char kind, const char *name, size_t n, uint32_t line,
                        uint32_t col)
{
	if (!lx->s || (kind == 'c' && find_macro(lx, name, n)))
		return; /* a file's macro left unexpanded: its error was reported */
	for (size_t i = 0; i < lx->reported_len;) {
		size_t l = strlen(lx->reported + i);
		if (l == n + 1 && lx->reported[i] == kind &&
		    memcmp(lx->reported + i + 1, name, n) == 0)
			return;
		i += l + 1;
	}
	if (lx->reported_len + n + 2 > lx->reported_cap) {
		size_t cap = lx->reported_cap ? lx->reported_cap * 2 : 256;
		while (cap < lx->reported_len + n + 2)
			cap *= 2;
		if (cap > 65536)
			return; /* enough names remembered; stay quiet */
		char *p = realloc(lx->reported, cap);
		if (!p)
			return;
		lx->reported = p;
		lx->reported_cap = cap;
	}
	lx->reported[lx->reported_len] = kind;
	memcpy(lx->reported + lx->reported_len + 1, name, n);
	lx->reported[lx->reported_len + n + 1] = '\0';
	lx->reported_len += n + 2;
	if (kind == 'c')
		cw_diag_emit(lx->s, CW_SEV_WARNING, CW_OK, line, col,
		             "unknown LaTeX command \\%.*s dropped (the text of its arguments is "
		             "kept)",
		             (int)n, name);
	else
		cw_diag_emit(lx->s, CW_SEV_WARNING, CW_OK, line, col,
		             "unknown biblatex string '%.*s' in \\bibstring; the key is kept",
		             (int)n, name);
}

typedef struct dec {
	bibtex_latex *lx;
	cw_buf *out;
	const char *end;
	enum bibtex_latex_mode mode;
	uint32_t line, col;
	uint32_t depth;
	int nocase; /* inside a no-case span */
	int math;   /* inside $..$ */
	int space;  /* pending white space: 1 space, 2 paragraph */
	int quotes; /* nesting of quotation commands */
	int err;
	int flat; /* a group nested deeper than the depth limit was read as plain text */
	/* \( or \[ found no closer from here to that end: later ones need not look */
	const char *unclosed_from[2], *unclosed_end[2];
} dec;

static void flush_space(dec *d)
{
	if (!d->space)
		return;
	if (d->out->len) {
		char last = d->out->data[d->out->len - 1];
		/* math: no blank inside brackets, "\left( x \right)" is "(x)" */
		if (last != ' ' && last != '\n' &&
		    !(d->math && (last == '(' || last == '[' || last == '{' ||
		                  (d->out->len >= 3 && memcmp(d->out->data + d->out->len - 3,
		                                              "\xe2\x9f\xa8", 3) == 0)))) {
			if (cw_buf_putc(d->out,
			                d->space == 2 && d->mode == BIBTEX_LATEX_RICH ? '\n' : ' '))
				d->err = CW_ENOMEM;
		}
	}
	d->space = 0;
}

static void put(dec *d, const char *s, size_t n)
{
	if (d->math && d->space && n &&
	    (*s == ')' || *s == ']' || *s == '}' || (n >= 3 && memcmp(s, "\xe2\x9f\xa9", 3) == 0)))
		d->space = 0;
	flush_space(d);
	if (bibtex_buf_add(d->out, s, n))
		d->err = CW_ENOMEM;
}

static void put_cp(dec *d, uint32_t cp)
{
	flush_space(d);
	if (cw_buf_put_utf8(d->out, cp))
		d->err = CW_ENOMEM;
}

static void open_style(dec *d, int style)
{
	if (d->mode != BIBTEX_LATEX_RICH || style < 0)
		return;
	flush_space(d);
	if (cw_rich_open(d->out, (enum cw_style)style))
		d->err = CW_ENOMEM;
}

static void close_style(dec *d, int style)
{
	if (d->mode != BIBTEX_LATEX_RICH || style < 0)
		return;
	if (cw_rich_close(d->out, (enum cw_style)style))
		d->err = CW_ENOMEM;
}

/* End of the group whose '{' is at p (returns the position of the '}' or end). */
static const char *group_end(const char *p, const char *end)
{
	int depth = 0;
	for (; p < end; p++) {
		if (*p == '\\' && p + 1 < end) {
			p++;
			continue;
		}
		if (*p == '{')
			depth++;
		else if (*p == '}' && --depth == 0)
			return p;
	}
	return end;
}

static const char *decode_seq(dec *d, const char *p, const char *end);

/* Bytes decode_seq does not copy as they are: white space and LaTeX specials. */
static const unsigned char latex_special[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1, ['{'] = 1, ['}'] = 1,
    ['\\'] = 1, ['$'] = 1,  ['^'] = 1,  ['_'] = 1,  ['~'] = 1,  ['-'] = 1, ['`'] = 1, ['\''] = 1,
};

/* Text without its structure (past the depth limit): braces dropped, blanks collapsed. */
static void put_flat(dec *d, const char *a, const char *ae)
{
	d->flat = 1;
	while (a < ae && !d->err) {
		if (*a == '{' || *a == '}') {
			a++;
		} else if (is_space(*a)) {
			while (a < ae && is_space(*a))
				a++;
			if (!d->space)
				d->space = 1;
		} else {
			const char *q = a + 1;
			while (q < ae && *q != '{' && *q != '}' && !is_space(*q))
				q++;
			put(d, a, (size_t)(q - a));
			a = q;
		}
	}
}

/* Decodes the content of a braced group {..} at p; returns past the '}'. */
static const char *decode_group(dec *d, const char *p, int nocase)
{
	const char *close = group_end(p, d->end);
	if (d->depth >= d->lx->max_depth) {
		put_flat(d, p + 1, close);
		return close < d->end ? close + 1 : close;
	}
	d->depth++;
	int opened = 0;
	if (nocase && !d->math && d->mode == BIBTEX_LATEX_RICH && !d->nocase && close > p + 1) {
		open_style(d, CW_STYLE_NOCASE);
		d->nocase = 1;
		opened = 1;
	}
	decode_seq(d, p + 1, close);
	if (opened) {
		close_style(d, CW_STYLE_NOCASE);
		d->nocase = 0;
	}
	d->depth--;
	return close < d->end ? close + 1 : close;
}

/* Reads a command argument: a group's content or one token. */
static const char *arg_span(const char *p, const char *end, const char **a, const char **ae)
{
	while (p < end && is_space(*p))
		p++;
	if (p >= end) {
		*a = *ae = p;
		return p;
	}
	if (*p == '{') {
		const char *c = group_end(p, end);
		*a = p + 1;
		*ae = c;
		return c < end ? c + 1 : c;
	}
	if (*p == '\\' && p + 1 < end) {
		const char *q = p + 1;
		if (is_letter(*q))
			while (q < end && is_letter(*q))
				q++;
		else
			q++;
		*a = p;
		*ae = q;
		return q;
	}
	/* one UTF-8 character */
	const char *q = p + 1;
	while (q < end && ((unsigned char)*q & 0xC0) == 0x80)
		q++;
	*a = p;
	*ae = q;
	return q;
}

/* Skips an optional argument [..] (blanks before it too); *o and *oe: its content. */
static const char *skip_optional(const char *p, const char *end, const char **o, const char **oe)
{
	const char *q = p;
	while (q < end && is_space(*q))
		q++;
	*o = *oe = NULL;
	if (q >= end || *q != '[')
		return p;
	const char *c = q + 1;
	int bd = 0;
	for (; c < end && (bd > 0 || *c != ']'); c++) {
		if (*c == '\\' && c + 1 < end)
			c++;
		else
			bd += *c == '{' ? 1 : *c == '}' ? -1 : 0;
	}
	if (c >= end)
		return p; /* no closing bracket: text */
	*o = q + 1;
	*oe = c;
	return c + 1;
}

static void decode_span(dec *d, const char *a, const char *ae)
{
	if (d->depth < d->lx->max_depth) {
		d->depth++;
		decode_seq(d, a, ae);
		d->depth--;
	} else {
		put_flat(d, a, ae);
	}
}

/* a..ae as math */
static void decode_math(dec *d, const char *a, const char *ae)
{
	int was = d->math;
	d->math = 1;
	decode_span(d, a, ae);
	d->math = was;
}

/* The accent cmd (combining mark) on the first letter of a..ae, then the rest. */
static void accent_on(dec *d, const char *cmd, size_t n, uint32_t mark, const char *a,
                      const char *ae)
{
	while (a < ae && is_space(*a))
		a++;
	if (a >= ae) {
		if (mark)
			put_cp(d, mark);
		return;
	}
	if (*a == '{') {
		const char *c = group_end(a, ae);
		if (d->depth < d->lx->max_depth) {
			d->depth++;
			accent_on(d, cmd, n, mark, a + 1, c);
			d->depth--;
		} else {
			put_flat(d, a + 1, c);
		}
		decode_span(d, c < ae ? c + 1 : c, ae);
		return;
	}
	char base = 0;
	const char *rest = a;
	int dotless = 0;
	if (is_letter(*a)) {
		base = *a;
		rest = a + 1;
	} else if (*a == '\\' && a + 1 < ae && (a[1] == 'i' || a[1] == 'j') &&
	           (a + 2 >= ae || !is_letter(a[2]))) {
		base = a[1];
		dotless = 1;
		rest = a + 2;
		if (rest + 1 < ae && rest[0] == '{' && rest[1] == '}')
			rest += 2;
		else if (rest < ae && is_space(*rest))
			rest++;
	}
	if (base) {
		uint32_t cp = compose(cmd, n, base);
		if (cp) {
			put_cp(d, cp);
		} else {
			put(d, &base, 1);
			if (mark)
				put_cp(d, mark);
		}
		(void)dotless;
		decode_span(d, rest, ae);
		return;
	}
	/* another first unit: one command or one UTF-8 character */
	const char *u = a + 1;
	if (*a == '\\') {
		const char *nm;
		size_t nl;
		u = read_cs(a, ae, &nm, &nl);
	} else {
		while (u < ae && ((unsigned char)*u & 0xC0) == 0x80)
			u++;
	}
	decode_span(d, a, u);
	if (mark)
		put_cp(d, mark);
	decode_span(d, u, ae);
}

/* An accent command applied to its argument. */
static const char *do_accent(dec *d, const char *cmd, size_t n, uint32_t mark, const char *p,
                             const char *end)
{
	const char *a, *ae;
	p = arg_span(p, end, &a, &ae);
	accent_on(d, cmd, n, mark, a, ae);
	return p;
}

/* Appends a URL without blanks, \% \# \& \_ \~ \$ unescaped (as hyperref reads them). */
static void put_url(dec *d, cw_buf *to, const char *a, const char *ae)
{
	flush_space(d);
	for (const char *q = a; q < ae; q++) {
		char c = *q;
		if (is_space(c))
			continue;
		if (c == '\\' && q + 1 < ae && strchr("%#&_~$/", q[1]) && q[1]) {
			c = *++q;
		}
		if (cw_buf_putc(to, c))
			d->err = CW_ENOMEM;
	}
}

/* 1 if a decoded fraction part needs parentheses: more than a word or number. */
static int needs_parens(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (strchr(" +-*/=<>,;", c) && c)
			return 1;
		if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x88 &&
		    (unsigned char)s[i + 2] == 0x92)
			return 1; /* minus */
		if ((c == 0xC3 && i + 1 < n && (unsigned char)s[i + 1] == 0x97) ||
		    (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xB1))
			return 1; /* times, plus-minus */
	}
	return 0;
}

/* a..ae decoded, in parentheses when needs_parens. */
static void decode_operand(dec *d, const char *a, const char *ae)
{
	flush_space(d);
	size_t at = d->out->len;
	decode_span(d, a, ae);
	size_t len = d->out->len - at;
	/* nothing decoded (the buffer may hold nothing at all): no parentheses */
	if (d->err || !len || !needs_parens(d->out->data + at, len))
		return;
	if (cw_buf_append(d->out, "()", 2)) {
		d->err = CW_ENOMEM;
		return;
	}
	memmove(d->out->data + at + 1, d->out->data + at, len);
	d->out->data[at] = '(';
	d->out->data[at + len + 1] = ')';
}

/* A number as TeX reads it after \char: decimal, "hex, 'octal, `c. */
static const char *tex_number(const char *p, const char *end, uint32_t *v, int *ok)
{
	*v = 0;
	*ok = 0;
	while (p < end && is_space(*p))
		p++;
	if (p >= end)
		return p;
	if (*p == '`') {
		p++;
		if (p < end && *p == '\\')
			p++;
		if (p < end) {
			p += cw_utf8_decode(p, (size_t)(end - p), v);
			*ok = 1;
		}
		return p;
	}
	unsigned base = 10;
	if (*p == '"' || *p == '\'') {
		base = *p == '"' ? 16 : 8;
		p++;
	}
	for (; p < end && *v < 0x110000; p++) {
		char h = *p;
		int x = h >= '0' && h <= '9'                 ? h - '0'
		        : base == 16 && h >= 'a' && h <= 'f' ? h - 'a' + 10
		        : base == 16 && h >= 'A' && h <= 'F' ? h - 'A' + 10
		                                             : -1;
		if (x < 0 || (unsigned)x >= base)
			break;
		*v = *v * base + (uint32_t)x;
		*ok = 1;
	}
	if (p < end && *p == ' ')
		p++; /* one blank ends the number */
	return p;
}

static void put_char_code(dec *d, uint32_t cp, int ok)
{
	if (ok && cp >= 0x20 && cp < 0x110000 && !(cp >= 0xD800 && cp < 0xE000) && cp != 0x7F)
		put_cp(d, cp);
}

/* Names of environments decoded as math. */
static int math_env(const char *s, size_t n)
{
	static const char *const envs[] = {"math",   "displaymath", "equation", "equation*",
	                                   "align",  "align*",      "eqnarray", "eqnarray*",
	                                   "gather", "gather*",     "multline", "multline*"};
	for (size_t i = 0; i < sizeof envs / sizeof envs[0]; i++)
		if (strlen(envs[i]) == n && memcmp(envs[i], s, n) == 0)
			return 1;
	return 0;
}

/*
 * What one group level opened and closes at its end: style declarations
 * ({\em ..}, \begin{itshape}) and math environments.
 */
typedef struct level {
	int decl[8];
	int ndecl;
	int math; /* math environments begun here */
} level;

/* The style of an environment named like a style command (itshape, em...), or -1. */
static int env_style(const char *a, size_t n)
{
	const cmd_def *c = find_cmd(a, n);
	return c && (c->kind == CMD_STYLE_DECL || c->kind == CMD_STYLE_ARG) ? c->style : -1;
}

/*
 * \begin{env} and \end{env}: a style environment styles the text up to its
 * \end (or the end of the group), a math environment makes it math; the
 * others are dropped, their content kept.
 */
static const char *do_environment(dec *d, level *lv, int begin, const char *p, const char *end)
{
	const char *a, *ae;
	p = arg_span(p, end, &a, &ae);
	size_t n = (size_t)(ae - a);
	int style = env_style(a, n);
	if (math_env(a, n)) {
		if (begin) {
			d->math++;
			lv->math++;
		} else if (lv->math) {
			d->math--;
			lv->math--;
		}
	} else if (style >= 0 && d->mode == BIBTEX_LATEX_RICH) {
		if (begin && lv->ndecl < 8) {
			open_style(d, style);
			lv->decl[lv->ndecl++] = style;
		} else if (!begin && lv->ndecl && lv->decl[lv->ndecl - 1] == style) {
			close_style(d, lv->decl[--lv->ndecl]);
		}
	}
	return p;
}

/* The English word of \bibstring{key} (with its case variant). */
static const char *do_bibstring(dec *d, const cmd_def *c, const char *p, const char *end)
{
	const char *a, *ae;
	p = arg_span(p, end, &a, &ae);
	while (a < ae && is_space(*a))
		a++;
	while (ae > a && is_space(ae[-1]))
		ae--;
	int word = ae > a && ae - a <= 32;
	for (const char *q = a; word && q < ae; q++)
		word = is_letter(*q);
	const bibtex_bibstring *b = word ? find_bibstring(a, (size_t)(ae - a)) : NULL;
	if (!b) {
		if (word)
			report_once(d->lx, 's', a, (size_t)(ae - a), d->line, d->col);
		decode_span(d, a, ae);
		return p;
	}
	const char *w = c->style & BS_SHORT ? b->short_form : b->long_form;
	flush_space(d);
	size_t at = d->out->len;
	put(d, w, strlen(w));
	for (size_t i = at; i < d->out->len; i++) {
		char *ch = &d->out->data[i];
		if ((c->style & BS_UPPER || (c->style & BS_CAP && i == at)) && *ch >= 'a' &&
		    *ch <= 'z')
			*ch = (char)(*ch - 32);
		else if (c->style & BS_LOWER && *ch >= 'A' && *ch <= 'Z')
			*ch = (char)(*ch + 32);
	}
	return p;
}

/* \mkbibordinal{n}: n with its English suffix. */
static void put_ordinal(dec *d, const char *a, const char *ae)
{
	while (a < ae && is_space(*a))
		a++;
	while (ae > a && is_space(ae[-1]))
		ae--;
	int digits = ae > a && ae - a < 20;
	for (const char *q = a; digits && q < ae; q++)
		digits = *q >= '0' && *q <= '9';
	decode_span(d, a, ae);
	if (!digits)
		return;
	int last = ae[-1] - '0', tens = ae - a > 1 ? ae[-2] - '0' : 0;
	const char *suffix = tens == 1   ? "th"
	                     : last == 1 ? "st"
	                     : last == 2 ? "nd"
	                     : last == 3 ? "rd"
	                                 : "th";
	put(d, suffix, 2);
}

/* The superscript of ^ in math: a degree sign or primes are not raised. */
static int put_raised_symbol(dec *d, const char *a, const char *ae)
{
	while (a < ae && (is_space(*a) || *a == '{'))
		a++;
	while (ae > a && (is_space(ae[-1]) || ae[-1] == '}'))
		ae--;
	size_t n = (size_t)(ae - a);
	if (n == 5 && memcmp(a, "\\circ", 5) == 0) {
		put_cp(d, 0x00B0);
		return 1;
	}
	if (n == 6 && memcmp(a, "\\prime", 6) == 0) {
		put_cp(d, 0x2032);
		return 1;
	}
	if (n == 12 && memcmp(a, "\\prime\\prime", 12) == 0) {
		put_cp(d, 0x2033);
		return 1;
	}
	return 0;
}

static const char *decode_command(dec *d, const char *p, const char *end, level *lv)
{
	const char *start = p; /* at the backslash */
	p++;
	if (p >= end) {
		put(d, "\\", 1);
		return p;
	}
	const char *name = p;
	size_t n;
	int star = 0;
	if (is_letter(*p)) {
		while (p < end && is_letter(*p))
			p++;
		n = (size_t)(p - name);
		if (p < end && *p == '*') {
			p++;
			star = 1;
		}
	} else {
		/* a one-character command; a UTF-8 lead byte takes its whole sequence */
		p++;
		while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
			p++;
		n = (size_t)(p - name);
	}
	int letters = is_letter(*name);
	/* accents */
	const bibtex_accent_mark *acc = find_accent(name, n);
	if (acc && (letters || n == 1))
		return do_accent(d, name, n, acc->mark, p, end);
	if (n == 1 && *name == 't') {
		const char *a, *ae;
		p = arg_span(p, end, &a, &ae);
		const char *mid = a;
		if (mid < ae)
			mid++;
		decode_span(d, a, mid);
		put_cp(d, 0x0361);
		decode_span(d, mid, ae);
		return p;
	}
	if (n == 1 && *name == '\\') {
		/* a line break: \\*, \\[2pt] too */
		if (p < end && *p == '*')
			p++;
		const char *o, *oe;
		p = skip_optional(p, end, &o, &oe);
		d->space = d->space ? d->space : 1;
		return p;
	}
	if (d->math && n == 1 && strchr(",;:>!", *name)) {
		return p; /* math spacing: nothing */
	}
	if (d->math && ((n == 4 && memcmp(name, "quad", 4) == 0) ||
	                (n == 5 && memcmp(name, "qquad", 5) == 0))) {
		d->space = d->space ? d->space : 1;
		return p;
	}
	const cmd_def *c = find_cmd(name, n);
	if (c) {
		const char *a, *ae, *b, *be, *o, *oe;
		if (c->kind != CMD_STYLE_DECL && c->kind != CMD_NOSTYLE_DECL &&
		    c->kind != CMD_DELIM && c->kind != CMD_SYMBOL && c->kind != CMD_VERB &&
		    c->kind != CMD_SQRT && c->kind != CMD_END && c->kind != CMD_BOX) {
			p = skip_optional(p, end, &o,
			                  &oe); /* \bibstring[\mkbibemph]{..}, \makebox[..] */
			for (unsigned k = 0; k < c->skip; k++) {
				p = arg_span(p, end, &a, &ae);
				p = skip_optional(p, end, &o, &oe);
			}
		}
		switch (c->kind) {
		case CMD_STYLE_ARG:
			p = arg_span(p, end, &a, &ae);
			open_style(d, c->style);
			decode_span(d, a, ae);
			close_style(d, c->style);
			break;
		case CMD_PLAIN_ARG:
			p = arg_span(p, end, &a, &ae);
			decode_span(d, a, ae);
			break;
		case CMD_DROP_ARG:
			p = arg_span(p, end, &a, &ae);
			break;
		case CMD_URL:
			p = arg_span(p, end, &a, &ae);
			put_url(d, d->out, a, ae);
			break;
		case CMD_HREF:
			p = arg_span(p, end, &a, &ae);
			p = arg_span(p, end, &b, &be);
			if (!d->lx->href.len)
				put_url(d, &d->lx->href, a, ae);
			decode_span(d, b, be);
			break;
		case CMD_QUOTE: {
			p = arg_span(p, end, &a, &ae);
			int inner = star || d->quotes % 2;
			put_cp(d, inner ? 0x2018 : 0x201C);
			d->quotes++;
			decode_span(d, a, ae);
			d->quotes--;
			put_cp(d, inner ? 0x2019 : 0x201D);
			break;
		}
		case CMD_WRAP: {
			p = arg_span(p, end, &a, &ae);
			char open = (char)(c->style >> 8), close = (char)(c->style & 0xFF);
			put(d, &open, 1);
			decode_span(d, a, ae);
			put(d, &close, 1);
			break;
		}
		case CMD_STYLE_DECL:
			if (d->mode == BIBTEX_LATEX_RICH && lv->ndecl < 8) {
				open_style(d, c->style);
				lv->decl[lv->ndecl++] = c->style;
			}
			while (letters && p < end && is_space(*p))
				p++;
			break;
		case CMD_NOSTYLE_DECL:
			while (letters && p < end && is_space(*p))
				p++;
			break;
		case CMD_GLYPH: {
			p = arg_span(p, end, &a, &ae);
			uint32_t cp = 0;
			const char *q = a;
			for (; q < ae && cp < 0x110000; q++) {
				char h = *q;
				int v = h >= '0' && h <= '9'   ? h - '0'
				        : h >= 'a' && h <= 'f' ? h - 'a' + 10
				        : h >= 'A' && h <= 'F' ? h - 'A' + 10
				                               : -1;
				if (v < 0)
					break;
				cp = cp * 16 + (uint32_t)v;
			}
			if (q == ae && ae > a)
				put_char_code(d, cp, 1);
			else
				decode_span(d, a, ae);
			break;
		}
		case CMD_MATH_ARG:
			p = arg_span(p, end, &a, &ae);
			decode_math(d, a, ae);
			break;
		case CMD_BIBSTRING:
			p = do_bibstring(d, c, p, end);
			break;
		case CMD_ORDINAL:
			p = arg_span(p, end, &a, &ae);
			put_ordinal(d, a, ae);
			break;
		case CMD_FRAC:
			p = arg_span(p, end, &a, &ae);
			p = arg_span(p, end, &b, &be);
			decode_operand(d, a, ae);
			put(d, "/", 1);
			decode_operand(d, b, be);
			break;
		case CMD_SQRT:
			p = skip_optional(p, end, &o, &oe);
			p = arg_span(p, end, &a, &ae);
			if (o && oe - o == 1 && *o == '3') {
				put_cp(d, 0x221B);
			} else if (o && oe - o == 1 && *o == '4') {
				put_cp(d, 0x221C);
			} else {
				if (o) {
					open_style(d, CW_STYLE_SUP);
					decode_span(d, o, oe);
					close_style(d, CW_STYLE_SUP);
				}
				put_cp(d, 0x221A);
			}
			decode_operand(d, a, ae);
			break;
		case CMD_DELIM:
			p = arg_span(p, end, &a, &ae);
			if (!(ae - a == 1 && *a == '.'))
				decode_span(d, a, ae);
			break;
		case CMD_BEGIN:
		case CMD_END:
			p = do_environment(d, lv, c->kind == CMD_BEGIN, p, end);
			break;
		case CMD_SYMBOL: {
			uint32_t cp;
			int ok;
			if (n == 4) { /* \char */
				p = tex_number(p, end, &cp, &ok);
			} else {
				p = arg_span(p, end, &a, &ae);
				tex_number(a, ae, &cp, &ok);
			}
			put_char_code(d, cp, ok);
			break;
		}
		case CMD_BOX: {
			/* \hbox to 3em{..}, \hbox spread\wd0{..} */
			const char *q = p;
			while (q < end && is_space(*q))
				q++;
			if ((end - q > 2 && memcmp(q, "to", 2) == 0 && !is_letter(q[2])) ||
			    (end - q > 6 && memcmp(q, "spread", 6) == 0 && !is_letter(q[6]))) {
				while (q < end && *q != '{')
					q++;
				p = q;
			}
			p = arg_span(p, end, &a, &ae);
			decode_span(d, a, ae);
			break;
		}
		case CMD_VERB: {
			if (p < end && !is_letter(*p) && !is_space(*p)) {
				const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
				if (!q)
					q = end;
				put(d, p + 1, (size_t)(q - p - 1));
				p = q < end ? q + 1 : q;
			}
			break;
		}
		}
		/* arguments read and dropped after the main one (\texorpdfstring) */
		for (unsigned k = 0; k < c->after; k++)
			p = arg_span(p, end, &a, &ae);
		return p;
	}
	const bibtex_symbol *sym = find_symbol(name, n);
	if (sym) {
		if (letters && !d->math)
			while (p < end && is_space(*p))
				p++;
		if (letters && p + 1 < end && p[0] == '{' && p[1] == '}')
			p += 2; /* \ss{} */
		if (sym->utf8[0] == '\n' && !sym->utf8[1]) {
			d->space = 2;
		} else if (sym->utf8[0] == ' ' && !sym->utf8[1]) {
			flush_space(d);
			put(d, " ", 1);
		} else {
			put(d, sym->utf8, strlen(sym->utf8));
		}
		return p;
	}
	if (!letters) {
		/* \<other>: the character itself */
		put(d, name, n);
		return p;
	}
	/*
	 * Unknown: the name is dropped, the braced groups that follow (its
	 * arguments, as far as one can tell) are decoded as text.
	 */
	report_once(d->lx, 'c', name, n, d->line, d->col);
	(void)start;
	const char *q = p;
	while (q < end && is_space(*q))
		q++;
	if (q < end && *q == '{') {
		p = q;
		while (p < end && *p == '{' && !d->err) {
			const char *close = group_end(p, end);
			decode_span(d, p + 1, close);
			p = close < end ? close + 1 : close;
		}
	} else {
		p = q; /* TeX skips the blanks after a control word */
	}
	return p;
}

/* Decodes s[p..end) at one group level. */
static const char *decode_seq(dec *d, const char *p, const char *end)
{
	level lv;
	lv.ndecl = 0; /* decl is written before it is read */
	lv.math = 0;
	while (p < end && !d->err) {
		char c = *p;
		switch (c) {
		case ' ':
		case '\t':
		case '\n':
		case '\r':
		case '\f':
		case '\v': {
			int nl = 0;
			while (p < end && is_space(*p)) {
				if (*p == '\n')
					nl++;
				p++;
			}
			if (nl >= 2)
				d->space = 2;
			else if (!d->space)
				d->space = 1;
			break;
		}
		case '{':
			if (p + 1 < end && p[1] == '\\')
				p = decode_group(d, p,
				                 0); /* {\"u}, {\em x}: a "special character" */
			else
				p = decode_group(d, p, 1);
			break;
		case '}':
			p++; /* unbalanced: dropped */
			break;
		case '\\':
			if (p + 1 < end && (p[1] == '(' || p[1] == '[')) {
				/* \( .. \) and \[ .. \] math */
				const char *q = p + 2;
				char closer = p[1] == '(' ? ')' : ']';
				int k = closer == ']';
				if (d->unclosed_end[k] == end && d->unclosed_from[k] <= p)
					q = end;
				while (q + 1 < end && !(q[0] == '\\' && q[1] == closer))
					q += q[0] == '\\' ? 2 : 1;
				if (q + 1 >= end) {
					d->unclosed_from[k] = p;
					d->unclosed_end[k] = end;
				}
				if (q + 1 < end) {
					decode_math(d, p + 2, q);
					p = q + 2;
				} else {
					put(d, p + 1, 1); /* no closer: the character */
					p += 2;
				}
				break;
			}
			p = decode_command(d, p, end, &lv);
			break;
		case '$': {
			if (d->math) {
				p++; /* a stray $ inside math */
				break;
			}
			const char *q = p + 1;
			int dbl = q < end && *q == '$';
			if (dbl)
				q++;
			const char *body = q;
			while (q < end && *q != '$') {
				if (*q == '\\' && q + 1 < end)
					q++;
				q++;
			}
			if (q >= end) {
				put(d, p, 1); /* no closing $: a dollar sign */
				p++;
				break;
			}
			const char *stop = q++;
			if (dbl && q < end && *q == '$')
				q++;
			decode_math(d, body, stop);
			p = q;
			break;
		}
		case '^':
		case '_': {
			/* sup/sub (math); outside math it is kept */
			const char *a, *ae;
			if (d->math && p + 1 < end && !is_space(p[1])) {
				const char *q = arg_span(p + 1, end, &a, &ae);
				if (c == '^' && put_raised_symbol(d, a, ae)) {
					p = q;
					break;
				}
				int st = c == '^' ? CW_STYLE_SUP : CW_STYLE_SUB;
				open_style(d, st);
				decode_span(d, a, ae);
				close_style(d, st);
				p = q;
			} else {
				put(d, p, 1);
				p++;
			}
			break;
		}
		case '~':
			if (d->mode != BIBTEX_LATEX_NAME)
				put_cp(d, 0x00A0);
			else if (!d->space)
				d->space = 1;
			p++;
			break;
		case '-':
			if (d->math) {
				put_cp(d, 0x2212); /* math: a minus sign */
				p++;
			} else if (p + 2 < end && p[1] == '-' && p[2] == '-') {
				put_cp(d, 0x2014);
				p += 3;
			} else if (p + 1 < end && p[1] == '-') {
				put_cp(d, 0x2013);
				p += 2;
			} else {
				put(d, p, 1);
				p++;
			}
			break;
		case '`':
			if (p + 1 < end && p[1] == '`') {
				put_cp(d, 0x201C);
				p += 2;
			} else {
				put_cp(d, 0x2018);
				p++;
			}
			break;
		case '\'':
			if (p + 1 < end && p[1] == '\'') {
				put_cp(d, d->math ? 0x2033 : 0x201D);
				p += 2;
			} else {
				put_cp(d, d->math ? 0x2032 : 0x2019);
				p++;
			}
			break;
		default: {
			/*
			 * A run of text in one append. Besides plain bytes it takes
			 * what the cases above would copy as it is anyway: a single
			 * space between plain bytes (pending space flushed as one
			 * ' '), a lone '-' outside math, and '^' or '_' outside math.
			 */
			const char *q = p + 1;
			while (q < end) {
				unsigned char e = (unsigned char)*q;
				if (!latex_special[e]) {
					q++;
				} else if (e == ' ' && q + 1 < end &&
				           !latex_special[(unsigned char)q[1]]) {
					q += 2;
				} else if (e == '-' && !d->math && (q + 1 >= end || q[1] != '-')) {
					q++;
				} else if ((e == '^' || e == '_') && !d->math) {
					q++;
				} else {
					break;
				}
			}
			put(d, p, (size_t)(q - p));
			p = q;
			break;
		}
		}
	}
	while (lv.ndecl > 0)
		close_style(d, lv.decl[--lv.ndecl]);
	d->math -= lv.math;
	return p;
}

int bibtex_latex_decode(bibtex_latex *lx, cw_buf *out, const char *s, size_t len,
                        enum bibtex_latex_mode mode, uint32_t line, uint32_t col)
{
	int rc = CW_OK;
	if (lx->nmacros) {
		/* the file's macros first; their budget grows with the text decoded */
		if (lx->budget < UINT64_MAX / 2)
			lx->budget += (uint64_t)len * EXPAND_PER_BYTE;
		const char *x;
		size_t xn;
		rc = expand_macros(lx, s, len, &x, &xn, line, col);
		if (rc == CW_ENOMEM)
			return rc;
		if (rc == CW_OK) {
			s = x;
			len = xn;
		}
	}
	dec d = {.lx = lx, .out = out, .end = s + len, .mode = mode, .line = line, .col = col};
	decode_seq(&d, s, s + len);
	if (d.flat && lx->s)
		cw_session_limit_diag(lx->s, CW_SEV_WARNING, CW_ELIMIT, CW_LIMIT_DEPTH, line, col,
		                      "groups nested deeper than the depth limit (%u) "
		                      "are read as plain text",
		                      lx->max_depth);
	if (!d.err && !out->data && cw_buf_append(out, "", 0))
		return CW_ENOMEM;
	return d.err ? d.err : rc;
}

/* --- encoder ------------------------------------------------------------- */

static const char *style_cmd[CW_STYLE_COUNT_] = {
    [CW_STYLE_ITALIC] = "\\textit{",       [CW_STYLE_BOLD] = "\\textbf{",
    [CW_STYLE_SUP] = "\\textsuperscript{", [CW_STYLE_SUB] = "\\textsubscript{",
    [CW_STYLE_SMALLCAPS] = "\\textsc{",    [CW_STYLE_NOCASE] = "{",
    [CW_STYLE_MONO] = "\\texttt{",
};

static const bibtex_accent *accent_of(uint32_t cp)
{
	size_t lo = 0, hi = bibtex_accent_by_cp_count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (bibtex_accents_by_cp[mid].cp == cp)
			return &bibtex_accents_by_cp[mid];
		if (bibtex_accents_by_cp[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const bibtex_symbol_rev *symbol_of(uint32_t cp)
{
	size_t lo = 0, hi = bibtex_symbol_rev_count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (bibtex_symbols_rev[mid].cp == cp)
			return &bibtex_symbols_rev[mid];
		if (bibtex_symbols_rev[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int encode_cp(cw_buf *out, uint32_t cp, const char *src, size_t n, int ascii,
                     size_t *unmapped)
{
	switch (cp) {
	case '{':
		return cw_buf_append(out, "\\textbraceleft{}", CW_NUL);
	case '}':
		return cw_buf_append(out, "\\textbraceright{}", CW_NUL);
	case '\\':
		return cw_buf_append(out, "\\textbackslash{}", CW_NUL);
	case '$':
	case '&':
	case '%':
	case '#':
	case '_':
		if (cw_buf_putc(out, '\\'))
			return CW_ENOMEM;
		return cw_buf_putc(out, (char)cp);
	case '~':
		return cw_buf_append(out, "\\textasciitilde{}", CW_NUL);
	case '^':
		return cw_buf_append(out, "\\textasciicircum{}", CW_NUL);
	case 0x00A0:
		return cw_buf_putc(out, '~');
	case '\n':
		return cw_buf_append(out, "\\par ", CW_NUL);
	default:
		break;
	}
	if (cp < 0x80 || !ascii)
		return cw_buf_append(out, src, n);
	/*
	 * Dashes and quotes as ligatures; "{}" keeps one apart from the same
	 * character before it (a right single quote before a right double one
	 * would otherwise read as the double one first).
	 */
	const char *lig = NULL;
	switch (cp) {
	case 0x2013:
		lig = "--";
		break;
	case 0x2014:
		lig = "---";
		break;
	case 0x201C:
		lig = "``";
		break;
	case 0x201D:
		lig = "''";
		break;
	case 0x2018:
		lig = "`";
		break;
	case 0x2019:
		lig = "'";
		break;
	default:
		break;
	}
	if (lig) {
		if (out->len && out->data[out->len - 1] == lig[0] && cw_buf_append(out, "{}", 2))
			return CW_ENOMEM;
		return cw_buf_append(out, lig, CW_NUL);
	}
	/* appends, not cw_buf_printf: with --ascii this runs for every accent */
	const bibtex_accent *a = accent_of(cp);
	if (a) {
		int letter = is_letter(a->cmd[0]);
		int rc = cw_buf_append(out, "{\\", 2);
		if (rc == CW_OK)
			rc = cw_buf_append(out, a->cmd, CW_NUL);
		if (rc == CW_OK && letter)
			rc = cw_buf_putc(out, ' ');
		if (rc == CW_OK)
			rc = cw_buf_putc(out, a->base);
		return rc == CW_OK ? cw_buf_putc(out, '}') : rc;
	}
	const bibtex_symbol_rev *r = symbol_of(cp);
	if (r) {
		int rc = cw_buf_append(out, r->math ? "$\\" : "{\\", 2);
		if (rc == CW_OK)
			rc = cw_buf_append(out, r->name, CW_NUL);
		return rc == CW_OK ? cw_buf_putc(out, r->math ? '$' : '}') : rc;
	}
	if (unmapped)
		(*unmapped)++;
	return cw_buf_append(out, src, n);
}

/* ASCII bytes the encoder must look at: specials, backslash, braces, controls */
static const unsigned char special_byte[128] = {
    [0] = 1,   [1] = 1,   [2] = 1,    [3] = 1,   [4] = 1,   [5] = 1,   [6] = 1,   [7] = 1,
    [8] = 1,   [9] = 1,   ['\n'] = 1, [11] = 1,  [12] = 1,  [13] = 1,  [14] = 1,  [15] = 1,
    [16] = 1,  [17] = 1,  [18] = 1,   [19] = 1,  [20] = 1,  [21] = 1,  [22] = 1,  [23] = 1,
    [24] = 1,  [25] = 1,  [26] = 1,   [27] = 1,  [28] = 1,  [29] = 1,  [30] = 1,  [31] = 1,
    ['{'] = 1, ['}'] = 1, ['\\'] = 1, ['$'] = 1, ['&'] = 1, ['%'] = 1, ['#'] = 1, ['_'] = 1,
    ['~'] = 1, ['^'] = 1, [127] = 1,
};

/* 1 if the ASCII word w[0..n) has a capital after its first letter (DNA, iPhone). */
static int needs_protection(const char *w, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (w[i] >= 'A' && w[i] <= 'Z')
			return 1;
	return 0;
}

static int encode_text(cw_buf *out, const char *s, size_t len, int ascii, int protect,
                       size_t *unmapped)
{
	const char *p = s, *end = s + len;
	int rc = CW_OK;
	while (p < end && rc == CW_OK) {
		unsigned char c = (unsigned char)*p;
		if (protect && is_letter((char)c) && (p == s || !is_letter(p[-1]))) {
			const char *q = p;
			while (q < end && (is_letter(*q) || (*q >= '0' && *q <= '9')))
				q++;
			if (needs_protection(p, (size_t)(q - p))) {
				rc = cw_buf_putc(out, '{');
				if (rc == CW_OK)
					rc = cw_buf_append(out, p, (size_t)(q - p));
				if (rc == CW_OK)
					rc = cw_buf_putc(out, '}');
				p = q;
				continue;
			}
			/*
			 * ASCII letters and digits need nothing, and no part of the
			 * word after a digit needs protection when the word does not.
			 */
			rc = cw_buf_append(out, p, (size_t)(q - p));
			p = q;
			continue;
		}
		if (!(c & 0x80) && !special_byte[c]) {
			/* a run of bytes that need nothing: one append (stopping at a
			 * letter, which may start a word to protect) */
			const char *q = p + 1;
			while (q < end && !((unsigned char)*q & 0x80) &&
			       !special_byte[(unsigned char)*q] && !(protect && is_letter(*q)))
				q++;
			/* a hyphen after a dash written as "--" stays a hyphen */
			if ((c == '-' || c == '\'' || c == '`') && out->len &&
			    out->data[out->len - 1] == (char)c && p > s &&
			    ((unsigned char)p[-1] & 0x80))
				rc = cw_buf_append(out, "{}", 2);
			if (rc == CW_OK)
				rc = cw_buf_append(out, p, (size_t)(q - p));
			p = q;
			continue;
		}
		if (!ascii && (c & 0x80)) {
			/* UTF-8 is written as it is, except the no-break space */
			const char *q = p;
			while (q < end && ((unsigned char)*q & 0x80) &&
			       !((unsigned char)q[0] == 0xC2 && q + 1 < end &&
			         (unsigned char)q[1] == 0xA0))
				q++;
			if (q > p) {
				rc = cw_buf_append(out, p, (size_t)(q - p));
				p = q;
				continue;
			}
		}
		uint32_t cp;
		size_t n = cw_utf8_decode(p, (size_t)(end - p), &cp);
		rc = encode_cp(out, cp, p, n, ascii, unmapped);
		p += n;
	}
	return rc;
}

int bibtex_latex_encode(cw_buf *out, const char *s, int ascii, int protect_acronyms,
                        size_t *unmapped)
{
	if (!s)
		return CW_OK;
	cw_rich_iter it = CW_RICH_ITER_INIT(s);
	enum cw_rich_event ev;
	int nocase = 0;
	int rc = CW_OK;
	size_t nocase_at[16];

	while (rc == CW_OK && (ev = cw_rich_next(&it)) != CW_RICH_END) {
		switch (ev) {
		case CW_RICH_TEXT:
			rc = encode_text(out, it.text, it.len, ascii, protect_acronyms && !nocase,
			                 unmapped);
			break;
		case CW_RICH_OPEN:
			if (it.style == CW_STYLE_NOCASE) {
				if (nocase < 16)
					nocase_at[nocase] = out->len + 1;
				nocase++;
			}
			rc = cw_buf_append(out, style_cmd[it.style] ? style_cmd[it.style] : "{",
			                   CW_NUL);
			break;
		case CW_RICH_CLOSE:
			if (it.style == CW_STYLE_NOCASE && nocase) {
				nocase--;
				/* "{\cmd..}" would read back as a special character, not a
				 * protected span: "{{}\cmd..}" keeps it protected */
				if (nocase < 16 && nocase_at[nocase] < out->len &&
				    out->data[nocase_at[nocase]] == '\\') {
					size_t at = nocase_at[nocase];
					rc = cw_buf_append(out, "{}", 2);
					if (rc == CW_OK) {
						memmove(out->data + at + 2, out->data + at,
						        out->len - 2 - at);
						out->data[at] = '{';
						out->data[at + 1] = '}';
					}
				}
			}
			if (rc == CW_OK)
				rc = cw_buf_putc(out, '}');
			break;
		default:
			break;
		}
	}
	return rc;
}
