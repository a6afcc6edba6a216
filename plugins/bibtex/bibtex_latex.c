/*
 * LaTeX <-> Unicode for BibTeX field values: accents, special letters,
 * symbols, math, styles and case-protecting braces (decode), and the way
 * back for the writer (encode).
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
	CMD_URL,           /* \url{x}: verbatim */
	CMD_HREF,          /* \href{url}{text} */
	CMD_ENQUOTE,       /* \enquote{x} */
	CMD_NOSTYLE_DECL,  /* \rm, \normalfont: ignored */
	CMD_GLYPH          /* \ElsevierGlyph{2014}: a code point in hex */
};

typedef struct cmd_def {
	const char *name;
	enum cmd_kind kind;
	int style; /* enum cw_style, or -1 */
} cmd_def;

/* sorted by name (strcmp order) */
static const cmd_def commands[] = {
    {"ElsevierGlyph", CMD_GLYPH, -1},
    {"MakeLowercase", CMD_PLAIN_ARG, -1},
    {"MakeUppercase", CMD_PLAIN_ARG, -1},
    {"NoCaseChange", CMD_PLAIN_ARG, -1},
    {"SortNoop", CMD_DROP_ARG, -1},
    {"bf", CMD_STYLE_DECL, CW_STYLE_BOLD},
    {"bfseries", CMD_STYLE_DECL, CW_STYLE_BOLD},
    {"bm", CMD_STYLE_ARG, CW_STYLE_BOLD},
    {"boldmath", CMD_NOSTYLE_DECL, -1},
    {"em", CMD_STYLE_DECL, CW_STYLE_ITALIC},
    {"emph", CMD_STYLE_ARG, CW_STYLE_ITALIC},
    {"enquote", CMD_ENQUOTE, -1},
    {"ensuremath", CMD_PLAIN_ARG, -1},
    {"footnotesize", CMD_NOSTYLE_DECL, -1},
    {"hphantom", CMD_DROP_ARG, -1},
    {"href", CMD_HREF, -1},
    {"hspace", CMD_DROP_ARG, -1},
    {"huge", CMD_NOSTYLE_DECL, -1},
    {"index", CMD_DROP_ARG, -1},
    {"it", CMD_STYLE_DECL, CW_STYLE_ITALIC},
    {"itshape", CMD_STYLE_DECL, CW_STYLE_ITALIC},
    {"label", CMD_DROP_ARG, -1},
    {"large", CMD_NOSTYLE_DECL, -1},
    {"lowercase", CMD_PLAIN_ARG, -1},
    {"mathbf", CMD_STYLE_ARG, CW_STYLE_BOLD},
    {"mathit", CMD_STYLE_ARG, CW_STYLE_ITALIC},
    {"mathrm", CMD_PLAIN_ARG, -1},
    {"mathsf", CMD_PLAIN_ARG, -1},
    {"mathtt", CMD_STYLE_ARG, CW_STYLE_MONO},
    {"mbox", CMD_PLAIN_ARG, -1},
    {"mdseries", CMD_NOSTYLE_DECL, -1},
    {"noopsort", CMD_DROP_ARG, -1},
    {"normalfont", CMD_NOSTYLE_DECL, -1},
    {"normalsize", CMD_NOSTYLE_DECL, -1},
    {"phantom", CMD_DROP_ARG, -1},
    {"rm", CMD_NOSTYLE_DECL, -1},
    {"rmfamily", CMD_NOSTYLE_DECL, -1},
    {"sb", CMD_STYLE_ARG, CW_STYLE_SUB},
    {"sc", CMD_STYLE_DECL, CW_STYLE_SMALLCAPS},
    {"scshape", CMD_STYLE_DECL, CW_STYLE_SMALLCAPS},
    {"sf", CMD_NOSTYLE_DECL, -1},
    {"sffamily", CMD_NOSTYLE_DECL, -1},
    {"sl", CMD_STYLE_DECL, CW_STYLE_ITALIC},
    {"slshape", CMD_STYLE_DECL, CW_STYLE_ITALIC},
    {"small", CMD_NOSTYLE_DECL, -1},
    {"sortnoop", CMD_DROP_ARG, -1},
    {"sp", CMD_STYLE_ARG, CW_STYLE_SUP},
    {"text", CMD_PLAIN_ARG, -1},
    {"textbf", CMD_STYLE_ARG, CW_STYLE_BOLD},
    {"textit", CMD_STYLE_ARG, CW_STYLE_ITALIC},
    {"textmd", CMD_PLAIN_ARG, -1},
    {"textnormal", CMD_PLAIN_ARG, -1},
    {"textrm", CMD_PLAIN_ARG, -1},
    {"textsc", CMD_STYLE_ARG, CW_STYLE_SMALLCAPS},
    {"textsf", CMD_PLAIN_ARG, -1},
    {"textsl", CMD_STYLE_ARG, CW_STYLE_ITALIC},
    {"textsubscript", CMD_STYLE_ARG, CW_STYLE_SUB},
    {"textsuperscript", CMD_STYLE_ARG, CW_STYLE_SUP},
    {"texttt", CMD_STYLE_ARG, CW_STYLE_MONO},
    {"textup", CMD_PLAIN_ARG, -1},
    {"tiny", CMD_NOSTYLE_DECL, -1},
    {"tt", CMD_STYLE_DECL, CW_STYLE_MONO},
    {"ttfamily", CMD_STYLE_DECL, CW_STYLE_MONO},
    {"underline", CMD_PLAIN_ARG, -1},
    {"upshape", CMD_NOSTYLE_DECL, -1},
    {"uppercase", CMD_PLAIN_ARG, -1},
    {"url", CMD_URL, -1},
    {"vphantom", CMD_DROP_ARG, -1},
    {"vspace", CMD_DROP_ARG, -1},
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

/* --- decoder ------------------------------------------------------------ */

void bibtex_latex_init(bibtex_latex *lx, cw_session *s)
{
	memset(lx, 0, sizeof *lx);
	lx->s = s;
	const cw_limits *lim = s ? cw_session_limits(s) : NULL;
	lx->max_depth = lim && lim->max_depth ? lim->max_depth : 256;
}

void bibtex_latex_free(bibtex_latex *lx)
{
	free(lx->reported);
	lx->reported = NULL;
	lx->reported_len = lx->reported_cap = 0;
	cw_buf_free(&lx->parts);
}

/* Reports an unknown command once per reader. */
static void report_unknown(bibtex_latex *lx, const char *name, size_t n, uint32_t line,
                           uint32_t col)
{
	if (!lx->s)
		return;
	for (size_t i = 0; i < lx->reported_len;) {
		size_t l = strlen(lx->reported + i);
		if (l == n && memcmp(lx->reported + i, name, n) == 0)
			return;
		i += l + 1;
	}
	if (lx->reported_len + n + 1 > lx->reported_cap) {
		size_t cap = lx->reported_cap ? lx->reported_cap * 2 : 256;
		while (cap < lx->reported_len + n + 1)
			cap *= 2;
		if (cap > 65536)
			return; /* enough names remembered; stay quiet */
		char *p = realloc(lx->reported, cap);
		if (!p)
			return;
		lx->reported = p;
		lx->reported_cap = cap;
	}
	memcpy(lx->reported + lx->reported_len, name, n);
	lx->reported[lx->reported_len + n] = '\0';
	lx->reported_len += n + 1;
	cw_diag_emit(lx->s, CW_SEV_WARNING, CW_OK, line, col,
	             "unknown LaTeX command \\%.*s kept as written", (int)n, name);
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
	int err;
} dec;

static void flush_space(dec *d)
{
	if (!d->space)
		return;
	if (d->out->len) {
		char last = d->out->data[d->out->len - 1];
		if (last != ' ' && last != '\n') {
			if (cw_buf_putc(d->out,
			                d->space == 2 && d->mode == BIBTEX_LATEX_RICH ? '\n' : ' '))
				d->err = CW_ENOMEM;
		}
	}
	d->space = 0;
}

static void put(dec *d, const char *s, size_t n)
{
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

static int is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
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

static const char *decode_seq(dec *d, const char *p, const char *end, int in_group);

/* Bytes decode_seq does not copy as they are: white space and LaTeX specials. */
static const unsigned char latex_special[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1, ['{'] = 1, ['}'] = 1,
    ['\\'] = 1, ['$'] = 1,  ['^'] = 1,  ['_'] = 1,  ['~'] = 1,  ['-'] = 1, ['`'] = 1, ['\''] = 1,
};

/* Decodes the content of a braced group {..} at p; returns past the '}'. */
static const char *decode_group(dec *d, const char *p, int nocase)
{
	const char *close = group_end(p, d->end);
	if (d->depth >= d->lx->max_depth) {
		/* too deep: keep the text without structure */
		put(d, p + 1, (size_t)(close - p - 1));
		return close < d->end ? close + 1 : close;
	}
	d->depth++;
	int opened = 0;
	if (nocase && d->mode == BIBTEX_LATEX_RICH && !d->nocase && close > p + 1) {
		open_style(d, CW_STYLE_NOCASE);
		d->nocase = 1;
		opened = 1;
	}
	decode_seq(d, p + 1, close, 1);
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

static void decode_span(dec *d, const char *a, const char *ae)
{
	d->depth++;
	if (d->depth < d->lx->max_depth)
		decode_seq(d, a, ae, 1);
	else
		put(d, a, (size_t)(ae - a));
	d->depth--;
}

/* An accent command applied to its argument. */
static const char *do_accent(dec *d, const char *cmd, size_t n, uint32_t mark, const char *p,
                             const char *end)
{
	const char *a, *ae;
	p = arg_span(p, end, &a, &ae);
	/* strip one level of braces: \'{\i} -> \i */
	char base = 0;
	if (ae - a == 1 && is_letter(*a))
		base = *a;
	else if (ae - a == 2 && a[0] == '\\' && (a[1] == 'i' || a[1] == 'j'))
		base = a[1];
	else if (ae - a == 3 && a[0] == '\\' && (a[1] == 'i' || a[1] == 'j') && is_space(a[2]))
		base = a[1];
	else if (ae - a == 4 && a[0] == '{' && a[1] == '\\' && (a[2] == 'i' || a[2] == 'j') &&
	         a[3] == '}')
		base = a[2];
	uint32_t cp = base ? compose(cmd, n, base) : 0;
	if (cp) {
		put_cp(d, cp);
		return p;
	}
	/* no precomposed form: the base, then the combining mark */
	decode_span(d, a, ae);
	if (mark)
		put_cp(d, mark);
	return p;
}

/* Keeps an unknown command and its braced arguments as written. */
static const char *keep_command(dec *d, const char *start, const char *p, const char *end)
{
	const char *q = p;
	while (q < end && *q == '{') {
		const char *c = group_end(q, end);
		q = c < end ? c + 1 : c;
	}
	put(d, start, (size_t)(q - start));
	return q;
}

/* Math between $..$: symbols, ^ and _, letters as they are. */
static int math_known(const char *p, const char *end)
{
	while (p < end) {
		if (*p == '\\') {
			const char *q = p + 1;
			if (q < end && is_letter(*q)) {
				while (q < end && is_letter(*q))
					q++;
				size_t n = (size_t)(q - p - 1);
				if (!find_symbol(p + 1, n) && !find_cmd(p + 1, n) &&
				    !find_accent(p + 1, n))
					return 0;
			} else if (q < end) {
				q++;
			}
			p = q;
		} else {
			p++;
		}
	}
	return 1;
}

static const char *decode_command(dec *d, const char *p, const char *end, int *decl_styles,
                                  int *ndecl)
{
	const char *start = p; /* at the backslash */
	p++;
	if (p >= end) {
		put(d, "\\", 1);
		return p;
	}
	const char *name = p;
	size_t n;
	if (is_letter(*p)) {
		while (p < end && is_letter(*p))
			p++;
		n = (size_t)(p - name);
		if (p < end && *p == '*')
			p++;
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
		d->space = d->space ? d->space : 1;
		return p;
	}
	const cmd_def *c = find_cmd(name, n);
	if (c) {
		const char *a, *ae, *b, *be;
		switch (c->kind) {
		case CMD_STYLE_ARG:
			p = arg_span(p, end, &a, &ae);
			open_style(d, c->style);
			decode_span(d, a, ae);
			close_style(d, c->style);
			return p;
		case CMD_PLAIN_ARG:
			p = arg_span(p, end, &a, &ae);
			decode_span(d, a, ae);
			return p;
		case CMD_DROP_ARG:
			return arg_span(p, end, &a, &ae);
		case CMD_URL:
			p = arg_span(p, end, &a, &ae);
			put(d, a, (size_t)(ae - a));
			return p;
		case CMD_HREF:
			p = arg_span(p, end, &a, &ae);
			p = arg_span(p, end, &b, &be);
			decode_span(d, b, be);
			return p;
		case CMD_ENQUOTE:
			p = arg_span(p, end, &a, &ae);
			put_cp(d, 0x201C);
			decode_span(d, a, ae);
			put_cp(d, 0x201D);
			return p;
		case CMD_STYLE_DECL:
			if (d->mode == BIBTEX_LATEX_RICH && *ndecl < 8) {
				open_style(d, c->style);
				decl_styles[(*ndecl)++] = c->style;
			}
			while (letters && p < end && is_space(*p))
				p++;
			return p;
		case CMD_NOSTYLE_DECL:
			while (letters && p < end && is_space(*p))
				p++;
			return p;
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
			if (q == ae && ae > a && cp >= 0x20 && cp < 0x110000 &&
			    !(cp >= 0xD800 && cp < 0xE000))
				put_cp(d, cp);
			else
				put(d, start, (size_t)(p - start));
			return p;
		}
		}
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
	report_unknown(d->lx, name, n, d->line, d->col);
	return keep_command(d, start, p, end);
}

/* Decodes s[p..end) at one group level. */
static const char *decode_seq(dec *d, const char *p, const char *end, int in_group)
{
	int decl[8];
	int ndecl = 0;
	(void)in_group;
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
				/* \( .. \) math */
				const char *q = p + 2;
				char closer = p[1] == '(' ? ')' : ']';
				while (q + 1 < end && !(q[0] == '\\' && q[1] == closer))
					q++;
				if (math_known(p + 2, q)) {
					int was = d->math;
					d->math = 1;
					decode_span(d, p + 2, q);
					d->math = was;
				} else {
					put(d, p, (size_t)((q + 1 < end ? q + 2 : end) - p));
				}
				p = q + 1 < end ? q + 2 : end;
				break;
			}
			p = decode_command(d, p, end, decl, &ndecl);
			break;
		case '$': {
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
			const char *stop = q;
			if (q < end)
				q++;
			if (dbl && q < end && *q == '$')
				q++;
			if (math_known(body, stop)) {
				int was = d->math;
				d->math = 1;
				decode_span(d, body, stop);
				d->math = was;
			} else {
				const char *b = body;
				while (b < stop) {
					if (*b == '\\' && b + 1 < stop && is_letter(b[1])) {
						const char *e = b + 1;
						while (e < stop && is_letter(*e))
							e++;
						size_t n = (size_t)(e - b - 1);
						if (!find_symbol(b + 1, n) && !find_cmd(b + 1, n))
							report_unknown(d->lx, b + 1, n, d->line,
							               d->col);
						b = e;
					} else {
						b++;
					}
				}
				put(d, p, (size_t)(q - p));
			}
			p = q;
			break;
		}
		case '^':
		case '_': {
			/* sup/sub (math); outside math it is kept */
			const char *a, *ae;
			if (d->math && p + 1 < end && !is_space(p[1])) {
				const char *q = arg_span(p + 1, end, &a, &ae);
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
			if (p + 2 < end && p[1] == '-' && p[2] == '-') {
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
				put_cp(d, 0x201D);
				p += 2;
			} else {
				put(d, p, 1);
				p++;
			}
			break;
		default: {
			/*
			 * A run of text in one append. Besides plain bytes it takes
			 * what the cases above would copy as it is anyway: a single
			 * space between plain bytes (pending space flushed as one
			 * ' '), a lone '-' or '\'', and '^' or '_' outside math.
			 */
			const char *q = p + 1;
			while (q < end) {
				unsigned char e = (unsigned char)*q;
				if (!latex_special[e]) {
					q++;
				} else if (e == ' ' && q + 1 < end &&
				           !latex_special[(unsigned char)q[1]]) {
					q += 2;
				} else if ((e == '-' || e == '\'') &&
				           (q + 1 >= end || q[1] != (char)e)) {
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
	while (ndecl > 0)
		close_style(d, decl[--ndecl]);
	return p;
}

int bibtex_latex_decode(bibtex_latex *lx, cw_buf *out, const char *s, size_t len,
                        enum bibtex_latex_mode mode, uint32_t line, uint32_t col)
{
	dec d = {.lx = lx, .out = out, .end = s + len, .mode = mode, .line = line, .col = col};
	decode_seq(&d, s, s + len, 0);
	if (!d.err && !out->data && cw_buf_append(out, "", 0))
		return CW_ENOMEM;
	return d.err;
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

/* Balanced {..} groups right after p within [p, end): returns their end. */
static const char *raw_groups(const char *p, const char *end)
{
	while (p < end && *p == '{') {
		int depth = 0;
		const char *q = p;
		for (; q < end; q++) {
			if (*q == '{')
				depth++;
			else if (*q == '}' && --depth == 0)
				break;
		}
		if (q >= end)
			return p; /* unbalanced: stop before it */
		p = q + 1;
	}
	return p;
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
	switch (cp) {
	case 0x2013:
		return cw_buf_append(out, "--", 2);
	case 0x2014:
		return cw_buf_append(out, "---", 3);
	case 0x201C:
		return cw_buf_append(out, "``", 2);
	case 0x201D:
		return cw_buf_append(out, "''", 2);
	case 0x2018:
		return cw_buf_putc(out, '`');
	case 0x2019:
		return cw_buf_putc(out, '\'');
	default:
		break;
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
		if (c == '\\' && p + 1 < end && is_letter(p[1])) {
			/* a LaTeX command kept from a BibTeX source: written back as is */
			const char *q = p + 1;
			while (q < end && is_letter(*q))
				q++;
			q = raw_groups(q, end);
			rc = cw_buf_append(out, p, (size_t)(q - p));
			p = q;
			continue;
		}
		if (c == '$') {
			/* $..$ with a command inside: math kept from a BibTeX source */
			const char *q = memchr(p + 1, '$', (size_t)(end - p - 1));
			if (q && memchr(p + 1, '\\', (size_t)(q - p - 1)) &&
			    raw_groups(q, q) == q) {
				const char *b = p + 1;
				int depth = 0;
				for (; b < q; b++) {
					if (*b == '{')
						depth++;
					else if (*b == '}')
						depth--;
					if (depth < 0)
						break;
				}
				if (depth == 0) {
					rc = cw_buf_append(out, p, (size_t)(q + 1 - p));
					p = q + 1;
					continue;
				}
			}
		}
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

int bibtex_ascii_fold(cw_buf *out, const char *s)
{
	size_t len = strlen(s);
	const char *p = s, *end = s + len;
	int rc = CW_OK;
	while (p < end && rc == CW_OK) {
		uint32_t cp;
		size_t n = cw_utf8_decode(p, (size_t)(end - p), &cp);
		if (cp < 0x80) {
			rc = cw_buf_putc(out, (char)cp);
		} else {
			const bibtex_accent *a = accent_of(cp);
			if (a) {
				rc = cw_buf_putc(out, a->base);
			} else {
				const bibtex_symbol_rev *r = symbol_of(cp);
				if (r && !r->math && strlen(r->name) <= 2 && is_letter(r->name[0]))
					rc = cw_buf_append(out, r->name, CW_NUL);
			}
		}
		p += n;
	}
	return rc;
}
