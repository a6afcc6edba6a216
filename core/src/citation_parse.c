/*
 * The reference-string parser: one reference's text into a record's fields,
 * in named steps over a normalised copy of the text:
 *
 *   normalise   markers dropped (italic kept as a hint per byte), white
 *               space made single spaces
 *   number      a leading citation number ("1.", "[1]", "(1)")
 *   identifiers DOI, URL, ISBN, ISSN, PMID, arXiv and access dates, with
 *               their cues ("Available from:", "Acesso em:"), cut out
 *   authors     the names up to where the author block ends ("et al.",
 *               editor markers), read with the core's name parser
 *   year        right after the authors ("(2008)", "2008.") or later
 *   title       quoted, italic, or up to the end of the next sentence
 *   rest        the container ("In: ... (Eds.)", a journal followed by
 *               volume(issue):pages), labelled parts ("vol.", "nº", "pp."),
 *               place: publisher, edition, genre; then the CSL type
 *
 * Every step moves forward over the text once (or a bounded number of times):
 * the parse is linear in the text and uses memory in proportion to it.
 * The words each step looks for are the citations table (citation.c).
 */
#include <stdlib.h>
#include <string.h>

#include "citation_int.h"

/* The longest text parsed: a reference is far shorter; the rest is left unread. */
#define CITE_MAX_BYTES 8192
/* The most names read from one author or editor list. */
#define CITE_MAX_NAMES 200

typedef struct span {
	size_t off, len;
} span;

typedef struct word {
	size_t off, len;  /* the whole white-space delimited word */
	size_t core, clen; /* without leading and trailing punctuation */
} word;

typedef struct cite {
	const cite_words *w;
	cw_record *rec;
	unsigned char *inferred;
	char *t;             /* the normalised text */
	unsigned char *ital; /* 1 for each byte of t in italics */
	size_t n;
	word *wd; /* the words of t (remade after a cut) */
	size_t nw;
	int rc;
	/* what the steps found */
	int has_year, year, year_month, year_day, nodate, inpress;
	span year_suffix;
	int type;      /* enum cw_item_type, 0 until inferred */
	int container; /* an "In:" container was met */
	int full_date; /* a day-month-year date after the container (a newspaper's) */
} cite;

/* --- characters --------------------------------------------------------- */

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha_ascii(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* An upper-case letter at t[i]: ASCII, or Latin-1/Latin Extended-A capitals in UTF-8. */
static int upper_at(const cite *c, size_t i)
{
	unsigned char a = (unsigned char)c->t[i];
	if (a >= 'A' && a <= 'Z')
		return 1;
	if (i + 1 >= c->n)
		return 0;
	unsigned char b = (unsigned char)c->t[i + 1];
	if (a == 0xC3)
		return b >= 0x80 && b <= 0x9E && b != 0x97;
	if (a == 0xC4 || a == 0xC5)
		return (b & 1) == 0; /* Ā..Ž: the capitals are the even code points (mostly) */
	return 0;
}

/* A lower-case letter at t[i] (ASCII, or Latin-1 small letters in UTF-8). */
static int lower_at(const cite *c, size_t i)
{
	unsigned char a = (unsigned char)c->t[i];
	if (a >= 'a' && a <= 'z')
		return 1;
	if (a == 0xC3 && i + 1 < c->n)
		return (unsigned char)c->t[i + 1] >= 0x9F;
	return 0;
}

static int open_punct(unsigned char a)
{
	return a == '(' || a == '[' || a == '"' || a == '\'';
}

static int close_punct(unsigned char a)
{
	return a == ',' || a == '.' || a == ';' || a == ':' || a == ')' || a == ']' || a == '"' ||
	       a == '\'';
}

/* Length of the UTF-8 quote mark at s (“ ” « » „ ‘ ’), or 0. */
static size_t quote_len(const char *s, size_t avail, int *opening)
{
	const unsigned char *u = (const unsigned char *)s;
	if (avail >= 2 && (u[0] == 0xC2) && (u[1] == 0xAB || u[1] == 0xBB)) {
		*opening = u[1] == 0xAB;
		return 2;
	}
	if (avail >= 3 && u[0] == 0xE2 && u[1] == 0x80 &&
	    (u[2] == 0x9C || u[2] == 0x9D || u[2] == 0x9E || u[2] == 0x98 || u[2] == 0x99)) {
		*opening = u[2] == 0x9C || u[2] == 0x9E || u[2] == 0x98;
		return 3;
	}
	return 0;
}

/* --- normalise ---------------------------------------------------------- */

/* t := text without markers, white space runs as one space, trimmed; ital per byte. */
static int normalise(cite *c, const char *text, size_t len)
{
	if (len > CITE_MAX_BYTES)
		len = CITE_MAX_BYTES;
	/* room for a space after each comma that lacks one */
	c->t = malloc(2 * len + 1);
	c->ital = malloc(2 * len + 1);
	c->wd = malloc((len + 2) * sizeof *c->wd);
	if (!c->t || !c->ital || !c->wd)
		return CW_ENOMEM;
	size_t n = 0;
	int italic = 0, space = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char a = (unsigned char)text[i];
		enum cw_style st;
		int open;
		if (cw_rich_marker(a, &st, &open)) {
			if (st == CW_STYLE_ITALIC)
				italic = open;
			continue;
		}
		if (a == ' ' || a == '\t' || a == '\n' || a == '\r' || a < 0x20) {
			space = n > 0;
			continue;
		}
		/* a no-break space (U+00A0) is a space */
		if (a == 0xC2 && i + 1 < len && (unsigned char)text[i + 1] == 0xA0) {
			space = n > 0;
			i++;
			continue;
		}
		if (space) {
			c->ital[n] = 0;
			c->t[n++] = ' ';
			space = 0;
		}
		c->ital[n] = (unsigned char)italic;
		c->t[n++] = (char)a;
		/* "Publishers,St. Petersburg": a comma between a small letter and a
		 * capital is followed by a space that was left out */
		if (a == ',' && n >= 2 && c->t[n - 2] >= 'a' && c->t[n - 2] <= 'z' && i + 1 < len &&
		    text[i + 1] >= 'A' && text[i + 1] <= 'Z')
			space = 1;
	}
	c->t[n] = 0;
	c->n = n;
	return CW_OK;
}

/* Drops the bytes set to 0 by cut(), making white space single again. */
static void compact(cite *c)
{
	size_t n = 0;
	int space = 0;
	for (size_t i = 0; i < c->n; i++) {
		char a = c->t[i];
		if (a == 0)
			continue;
		if (a == ' ') {
			space = n > 0;
			continue;
		}
		if (space) {
			c->ital[n] = 0;
			c->t[n++] = ' ';
			space = 0;
		}
		c->ital[n] = c->ital[i];
		c->t[n++] = a;
	}
	c->t[n] = 0;
	c->n = n;
}

static void cut(cite *c, size_t off, size_t len)
{
	if (off >= c->n)
		return;
	if (len > c->n - off)
		len = c->n - off;
	memset(c->t + off, 0, len);
}

/* The words of t. */
static void split_words(cite *c)
{
	c->nw = 0;
	size_t i = 0;
	while (i < c->n) {
		while (i < c->n && c->t[i] == ' ')
			i++;
		if (i >= c->n)
			break;
		size_t s = i;
		while (i < c->n && c->t[i] != ' ')
			i++;
		word *w = &c->wd[c->nw++];
		w->off = s;
		w->len = i - s;
		size_t a = s, b = i;
		while (a < b && open_punct((unsigned char)c->t[a]))
			a++;
		while (b > a && close_punct((unsigned char)c->t[b - 1]))
			b--;
		w->core = a;
		w->clen = b - a;
	}
}

/* --- setting fields ----------------------------------------------------- */

static int punct_edge(unsigned char a)
{
	return a == ' ' || a == ',' || a == ';' || a == ':' || a == '.' || a == '/' || a == '-';
}

/* 1 if t[a..b) has a letter or digit (ASCII, or a character outside General Punctuation and U+FFFD). */
static int has_word_char(const cite *c, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++) {
		unsigned char x = (unsigned char)c->t[i];
		if (is_digit(x) || is_alpha_ascii(x))
			return 1;
		if (x >= 0xC3 && x != 0xE2 && x != 0xEF)
			return 1;
		if (x == 0xEF && i + 2 < b && !((unsigned char)c->t[i + 1] == 0xBF &&
		                               (unsigned char)c->t[i + 2] == 0xBD))
			return 1;
	}
	return 0;
}

/* Sets a text field from t[off..off+len) trimmed of edge punctuation; never overwrites. */
static void set_span(cite *c, enum cw_field f, size_t off, size_t len, int keep_dot)
{
	if (c->rc || cw_record_has(c->rec, f))
		return;
	size_t a = off, b = off + len;
	if (b > c->n)
		b = c->n;
	while (a < b && punct_edge((unsigned char)c->t[a]))
		a++;
	while (b > a && (punct_edge((unsigned char)c->t[b - 1]) && !(keep_dot && c->t[b - 1] == '.')))
		b--;
	if (b <= a || !has_word_char(c, a, b))
		return;
	int rc = cw_record_set_text(c->rec, f, c->t + a, b - a);
	if (rc < 0)
		c->rc = rc;
	else
		c->inferred[f] = 1;
}

static void set_str(cite *c, enum cw_field f, const char *s, size_t len)
{
	if (c->rc || cw_record_has(c->rec, f) || !len)
		return;
	int rc = cw_record_set_text(c->rec, f, s, len);
	if (rc < 0)
		c->rc = rc;
	else
		c->inferred[f] = 1;
}

/* --- number ------------------------------------------------------------- */

/* A leading citation number: "12.", "[12]", "(12)", "12 " before a letter. */
static void step_number(cite *c)
{
	size_t i = 0;
	char close = 0;
	if (c->n && (c->t[0] == '[' || c->t[0] == '(')) {
		close = c->t[0] == '[' ? ']' : ')';
		i = 1;
	}
	size_t d = i;
	while (d < c->n && is_digit((unsigned char)c->t[d]) && d - i < 5)
		d++;
	size_t after = d;
	if (d > i && close && d < c->n && c->t[d] == close)
		after = d + 1;
	else if (d > i && !close && d < c->n && (c->t[d] == '.' || c->t[d] == ')'))
		after = d + 1;
	else if (!(d > i && !close && d + 1 < c->n && c->t[d] == ' ' &&
	           !is_digit((unsigned char)c->t[d + 1])))
		after = 0;
	if (after && d > i && (after >= c->n || c->t[after] == ' ') &&
	    !(d - i == 4 && !close)) { /* "2008." is a year, not a number */
		set_span(c, CW_FIELD_CITATION_NUMBER, i, d - i, 0);
		cut(c, 0, after);
	}
	/* a lone dot or dash before the reference (". Levy M, ...") */
	size_t k = after;
	while (k < c->n && c->t[k] == ' ')
		k++;
	if (k + 1 < c->n && (c->t[k] == '.' || c->t[k] == '-') && c->t[k + 1] == ' ')
		cut(c, k, 1);
	compact(c);
}

/* --- cue and the note's first citation ---------------------------------- */

static int plausible_year(int y);
static size_t word_end(const cite *c, size_t i);

/* 1 if t[a..b) holds a plausible four-digit year standing alone. */
static int has_year_in(const cite *c, size_t a, size_t b)
{
	for (size_t k = a; k + 4 <= b; k++) {
		if ((k > a && is_digit((unsigned char)c->t[k - 1])) || !is_digit((unsigned char)c->t[k]))
			continue;
		size_t e = k;
		int v = 0;
		while (e < b && is_digit((unsigned char)c->t[e]) && e - k < 5)
			v = v * 10 + (c->t[e++] - '0');
		if (e - k == 4 && plausible_year(v))
			return 1;
		k = e;
	}
	return 0;
}

/* 1 if a citation starts at s: a word of the table's repeat role ("idem",
 * "ibid."), or a name then a comma within four capitalised words ("A. Rahr,",
 * "Smith, J."). */
static int citation_start(const cite *c, size_t s)
{
	const cite_phrase *p;
	if (cw__cite_match(c->w, c->t, s, c->n, CITE_REPEAT, &p))
		return 1;
	size_t k = s;
	for (int nw = 0; nw < 4 && k < c->n; nw++) {
		if (!upper_at(c, k))
			return 0;
		size_t e = k;
		while (e < c->n && c->t[e] != ' ')
			e++;
		if (c->t[e - 1] == ',')
			return 1;
		if (c->t[e - 1] != '.' && nw > 0 && !(e - k <= 2))
			return 0;
		k = e + 1;
	}
	return 0;
}

/*
 * A footnote's cue ("See:", "Cf.", the table's cue role) is passed over; a
 * note holding several citations separated by "; " (outside brackets and
 * quotes, each with a year, the first ending in a number or a page word, the
 * next starting like a citation) is read as its first citation: the rest is
 * left in the original text, which the record keeps.
 */
static void step_note(cite *c)
{
	const cite_phrase *p;
	size_t l = cw__cite_match(c->w, c->t, 0, c->n, CITE_CUE, &p);
	if (l) {
		while (l < c->n && (c->t[l] == ':' || c->t[l] == ','))
			l++;
		if (l < c->n && c->t[l] == ' ') {
			cut(c, 0, l);
			compact(c);
		}
	}
	int depth = 0, quoted = 0;
	for (size_t k = 0; k + 2 < c->n; k++) {
		unsigned char a = (unsigned char)c->t[k];
		int op = 0;
		size_t q = quote_len(c->t + k, c->n - k, &op);
		if (q && (c->t[k + 1] == '\x80' || op || quoted)) {
			/* curly double quotes and guillemets; single ones are apostrophes too */
			if (!((unsigned char)c->t[k] == 0xE2 && ((unsigned char)c->t[k + 2] == 0x98 ||
			                                         (unsigned char)c->t[k + 2] == 0x99)))
				quoted = op ? 1 : 0;
			k += q - 1;
			continue;
		}
		if (a == '"')
			quoted = !quoted;
		else if (a == '(' || a == '[')
			depth++;
		else if ((a == ')' || a == ']') && depth > 0)
			depth--;
		else if (a == ';' && c->t[k + 1] == ' ' && !depth && !quoted && k > 0) {
			size_t ws = k;
			while (ws > 0 && c->t[ws - 1] != ' ')
				ws--;
			int ends = is_digit((unsigned char)c->t[k - 1]) ||
			           cw__cite_match(c->w, c->t, ws, k, CITE_PAGE, &p) == k - ws;
			if (ends && has_year_in(c, 0, k) && citation_start(c, k + 2) &&
			    has_year_in(c, k + 2, c->n)) {
				cut(c, k, c->n - k);
				compact(c);
				return;
			}
		}
	}
}

/* --- identifiers -------------------------------------------------------- */

static int url_end_trim(unsigned char a)
{
	return a == '.' || a == ',' || a == ';' || a == ')' || a == ']' || a == '>' || a == ':';
}

/* The end of a link or DOI that starts at i: the next space, trailing punctuation dropped. */
static size_t ident_end(const cite *c, size_t i)
{
	size_t e = i;
	int paren = 0;
	while (e < c->n && c->t[e] != ' ') {
		if (c->t[e] == '(')
			paren++;
		else if (c->t[e] == ')')
			paren--;
		e++;
	}
	while (e > i && url_end_trim((unsigned char)c->t[e - 1])) {
		if (c->t[e - 1] == ')' && paren >= 0)
			break; /* "10.1016/0021-9681(87)90171-8)" keeps its own parenthesis */
		if (c->t[e - 1] == ')')
			paren++;
		e--;
	}
	return e;
}

static int starts_with_nocase(const cite *c, size_t i, const char *p)
{
	size_t n = strlen(p);
	if (i + n > c->n)
		return 0;
	for (size_t k = 0; k < n; k++) {
		unsigned char a = (unsigned char)c->t[i + k];
		if (a >= 'A' && a <= 'Z')
			a = (unsigned char)(a + 32);
		if (a != (unsigned char)p[k])
			return 0;
	}
	return 1;
}

/* Where a cue that ends just before `at` starts ("Available from: ", "doi: "), else at. */
static size_t cue_before(const cite *c, size_t at)
{
	/* look back over at most a few words for an access cue */
	size_t best = at;
	size_t s = at;
	for (int k = 0; k < 4 && s > 0; k++) {
		s--; /* the space before */
		while (s > 0 && c->t[s - 1] != ' ')
			s--;
		const cite_phrase *p;
		size_t len = cw__cite_match(c->w, c->t, s, at, CITE_ACCESS, &p);
		if (len) {
			size_t e = s + len;
			while (e < at && (c->t[e] == ' ' || c->t[e] == ':' || c->t[e] == '.'))
				e++;
			if (e == at)
				best = s;
		}
	}
	/* "[Internet]", "(online)" are not looked for: they stay in the title */
	return best;
}

/* A run of digits (and X, hyphens) for ISBN/ISSN/PMID after a label at i. */
static size_t id_digits(const cite *c, size_t i, size_t *start)
{
	while (i < c->n && (c->t[i] == ' ' || c->t[i] == ':' || c->t[i] == '-'))
		i++;
	*start = i;
	while (i < c->n && (is_digit((unsigned char)c->t[i]) || c->t[i] == '-' || c->t[i] == 'X' ||
	                    c->t[i] == 'x'))
		i++;
	while (i > *start && c->t[i - 1] == '-')
		i--;
	return i;
}

/* An access date after a cue that ends at i: "5 Jan 2020", "2020 Jan 5", "10 jan. 2020". */
static size_t read_date_words(cite *c, size_t i, cw_date *d);
static size_t date_at(cite *c, size_t i);

static void step_identifiers(cite *c)
{
	size_t i = 0;
	while (i < c->n) {
		if (i > 0 && c->t[i - 1] != ' ' && c->t[i - 1] != ':' && c->t[i - 1] != '(' &&
		    c->t[i - 1] != '[' && c->t[i - 1] != '/' && c->t[i - 1] != '<') {
			i++;
			continue;
		}
		size_t from = i, to = i;
		if (starts_with_nocase(c, i, "http://") || starts_with_nocase(c, i, "https://") ||
		    starts_with_nocase(c, i, "www.")) {
			size_t e = ident_end(c, i);
			size_t doi = 0;
			static const char *const resolvers[] = {"https://doi.org/", "http://doi.org/",
			                                        "https://dx.doi.org/", "http://dx.doi.org/"};
			for (size_t k = 0; k < 4; k++)
				if (starts_with_nocase(c, i, resolvers[k]))
					doi = i + strlen(resolvers[k]);
			if (doi && doi < e)
				set_span(c, CW_FIELD_DOI, doi, e - doi, 1);
			else
				set_span(c, CW_FIELD_URL, i, e - i, 1);
			from = cue_before(c, i);
			to = e;
		} else if (c->t[i] == '1' && starts_with_nocase(c, i, "10.") && i + 3 < c->n &&
		           is_digit((unsigned char)c->t[i + 3])) {
			size_t k = i + 3;
			while (k < c->n && is_digit((unsigned char)c->t[k]))
				k++;
			if (k - i >= 7 && k < c->n && c->t[k] == '/') {
				size_t e = ident_end(c, i);
				set_span(c, CW_FIELD_DOI, i, e - i, 1);
				from = cue_before(c, i);
				/* "doi:10.1/x" written without a space */
				if (from == i && i >= 4 && starts_with_nocase(c, i - 4, "doi:"))
					from = i - 4;
				to = e;
			}
		} else if (starts_with_nocase(c, i, "pmid")) {
			size_t s, e = id_digits(c, i + 4, &s);
			if (e > s) {
				set_span(c, CW_FIELD_PMID, s, e - s, 0);
				from = i >= 7 && starts_with_nocase(c, i - 7, "pubmed ") ? i - 7 : i;
				to = e;
			}
		} else if (starts_with_nocase(c, i, "isbn")) {
			size_t s, e = id_digits(c, i + 4, &s);
			if (e - s >= 10) {
				set_span(c, CW_FIELD_ISBN, s, e - s, 0);
				to = e;
			}
		} else if (starts_with_nocase(c, i, "issn")) {
			size_t s, e = id_digits(c, i + 4, &s);
			if (e - s >= 8) {
				set_span(c, CW_FIELD_ISSN, s, e - s, 0);
				to = e;
			}
		} else if (starts_with_nocase(c, i, "arxiv:")) {
			size_t e = ident_end(c, i + 6);
			if (e > i + 6) {
				cw_buf u = CW_BUF_INIT;
				cw_buf_printf(&u, "https://arxiv.org/abs/%.*s", (int)(e - i - 6), c->t + i + 6);
				if (cw_buf_error(&u))
					c->rc = CW_ENOMEM;
				else
					set_str(c, CW_FIELD_URL, u.data, u.len);
				cw_buf_free(&u);
				to = e;
			}
		} else {
			const cite_phrase *p;
			size_t len = cw__cite_match(c->w, c->t, i, c->n, CITE_ACCESSED, &p);
			if (len) {
				size_t k = i + len;
				while (k < c->n && (c->t[k] == ' ' || c->t[k] == ':'))
					k++;
				if (starts_with_nocase(c, k, "on "))
					k += 3;
				cw_date d = CW_DATE_INIT;
				size_t e = read_date_words(c, k, &d);
				if (e == k && i > 0 && c->t[i - 1] == '[') {
					/* "[accessed 16.02.17]": a date not read, still no part of the reference */
					size_t b = k;
					while (b < c->n && c->t[b] != ']' && b - k < 40)
						b++;
					if (b < c->n && c->t[b] == ']') {
						from = i - 1;
						to = b + 1;
					}
				}
				if (e > k) {
					if (!cw_record_has(c->rec, CW_FIELD_ACCESSED)) {
						int rc = cw_record_set_date(c->rec, CW_FIELD_ACCESSED, &d);
						if (rc < 0)
							c->rc = rc;
						else
							c->inferred[CW_FIELD_ACCESSED] = 1;
					}
					from = i;
					/* "[cited 2020 Jan 5]", "[Consulta: 6 de julio de 2012]" */
					if (from > 0 && c->t[from - 1] == '[')
						from--;
					while (e < c->n && (c->t[e] == ']' || c->t[e] == ')' || c->t[e] == ','))
						e++;
					if (from > 0 && from < c->n && c->t[from] != '[' && e < c->n &&
					    c->t[e] == ' ' && starts_with_nocase(c, e + 1, "from "))
						e += 5; /* "Retrieved March 3, 2020, from" */
					to = e;
				}
			}
		}
		if (to > i) {
			cut(c, from, to - from);
			i = to;
		} else {
			i++;
		}
	}
	/* cues left alone at the end ("Available from:" before a cut link) */
	compact(c);
	for (int again = 0; again < 2; again++) {
		size_t e = c->n;
		while (e > 0 && (c->t[e - 1] == ' ' || c->t[e - 1] == ':' || c->t[e - 1] == '.' ||
		                 c->t[e - 1] == ',' || c->t[e - 1] == ';' || c->t[e - 1] == '[' ||
		                 c->t[e - 1] == '<'))
			e--;
		size_t s = cue_before(c, c->n);
		if (s < c->n && s > 0) {
			cut(c, s, c->n - s);
			compact(c);
		} else if (e < c->n) {
			c->n = e;
			c->t[e] = 0;
		}
	}
}

/* --- dates -------------------------------------------------------------- */

static int month_word(const cite *c, size_t off, size_t len)
{
	int m = cw_month_from_name(c->t + off, len);
	if (m && m <= 12)
		return m;
	const cite_phrase *p;
	size_t l = cw__cite_match(c->w, c->t, off, off + len, CITE_MONTH, &p);
	return l && p->month ? p->month : 0;
}

/* A number of exactly n digits at t[i] not followed by a digit: its value, else -1. */
static int number_at(const cite *c, size_t i, size_t min, size_t max, size_t *end)
{
	size_t k = i;
	int v = 0;
	while (k < c->n && is_digit((unsigned char)c->t[k]) && k - i < max) {
		v = v * 10 + (c->t[k] - '0');
		k++;
	}
	if (k - i < min || (k < c->n && is_digit((unsigned char)c->t[k])))
		return -1;
	*end = k;
	return v;
}

static int plausible_year(int y)
{
	return y >= 1400 && y <= 2100;
}

/* The end of a word of letters (a month name) at i. */
static size_t word_end(const cite *c, size_t i)
{
	size_t e = i;
	while (e < c->n && c->t[e] != ' ' && c->t[e] != ',' && c->t[e] != ']' && c->t[e] != ')' &&
	       c->t[e] != ';' && !is_digit((unsigned char)c->t[e]))
		e++;
	return e;
}

static size_t read_date_words(cite *c, size_t i, cw_date *d)
{
	int day = 0, month = 0, year = 0;
	size_t k = i, last = i;
	for (int step = 0; step < 7 && k < c->n; step++) {
		while (k < c->n && (c->t[k] == ' ' || c->t[k] == ',' || c->t[k] == '.'))
			k++;
		size_t e;
		int v = number_at(c, k, 1, 4, &e);
		if (v >= 0) {
			if (e - k == 4 && plausible_year(v) && !year) {
				year = v;
			} else if (e - k <= 2 && v >= 1 && v <= 31 && !day) {
				day = v;
			} else {
				break;
			}
			k = last = e;
			continue;
		}
		e = word_end(c, k);
		if (e == k)
			break;
		int m = month_word(c, k, e - k);
		if (m && !month) {
			month = m;
			if (e < c->n && c->t[e] == '.')
				e++;
			k = last = e;
			continue;
		}
		if (e - k == 2 && (starts_with_nocase(c, k, "de") || starts_with_nocase(c, k, "of"))) {
			k = e; /* "6 de julio de 2012" */
			continue;
		}
		break;
	}
	if (!year)
		return i;
	d->year = year;
	d->parts = 1;
	if (month) {
		d->month = month;
		d->parts = 2;
		if (day && day <= cw_date_days_in_month(year, month)) {
			d->day = day;
			d->parts = 3;
		}
	}
	return last;
}

static void set_issued(cite *c)
{
	if (c->rc || cw_record_has(c->rec, CW_FIELD_ISSUED))
		return;
	if (!c->has_year) {
		if (c->inpress)
			set_str(c, CW_FIELD_STATUS, "in press", 8);
		return;
	}
	cw_date d = CW_DATE_INIT;
	d.year = c->year;
	d.parts = 1;
	if (c->year_month) {
		d.month = c->year_month;
		d.parts = 2;
		if (c->year_day && c->year_day <= cw_date_days_in_month(c->year, c->year_month)) {
			d.day = c->year_day;
			d.parts = 3;
		}
	}
	int rc = cw_record_set_date(c->rec, CW_FIELD_ISSUED, &d);
	if (rc < 0)
		c->rc = rc;
	else
		c->inferred[CW_FIELD_ISSUED] = 1;
}

/*
 * A year at t[i]: "2008", "2008a", "1988 [1964]", "(2008)", "(2008, May 3)",
 * "n.d.", "in press". Returns the end (i when none).
 */
static size_t year_at(cite *c, size_t i, int take)
{
	size_t k = i;
	int paren = 0;
	if (k < c->n && (c->t[k] == '(' || c->t[k] == '[')) {
		paren = 1;
		k++;
	}
	const cite_phrase *p;
	size_t len = cw__cite_match(c->w, c->t, k, c->n, CITE_NODATE | CITE_INPRESS, &p);
	if (len) {
		if (take) {
			c->nodate = !!(p->roles & CITE_NODATE);
			c->inpress = !!(p->roles & CITE_INPRESS);
		}
		k += len;
		if (paren && k < c->n && (c->t[k] == ')' || c->t[k] == ']'))
			k++;
		return k;
	}
	size_t e;
	int y = number_at(c, k, 4, 4, &e);
	if (y < 0 || !plausible_year(y))
		return i;
	size_t suffix = e;
	while (e < c->n && e - suffix < 1 && c->t[e] >= 'a' && c->t[e] <= 'z' &&
	       (e + 1 >= c->n || !is_alpha_ascii((unsigned char)c->t[e + 1])))
		e++;
	if (take) {
		c->has_year = 1;
		c->year = y;
		c->year_suffix = (span){suffix, e - suffix};
	}
	/* "1988 [1964]": the original date */
	if (e + 7 <= c->n && c->t[e] == ' ' && c->t[e + 1] == '[') {
		size_t e2;
		int y2 = number_at(c, e + 2, 4, 4, &e2);
		if (y2 >= 0 && plausible_year(y2) && e2 < c->n && c->t[e2] == ']') {
			if (take && !cw_record_has(c->rec, CW_FIELD_ORIGINAL_DATE)) {
				cw_date d = CW_DATE_INIT;
				d.year = y2;
				d.parts = 1;
				if (cw_record_set_date(c->rec, CW_FIELD_ORIGINAL_DATE, &d) == CW_OK)
					c->inferred[CW_FIELD_ORIGINAL_DATE] = 1;
			}
			e = e2 + 1;
		}
	}
	if (paren) {
		/* "(2008, May 3)", "(2008, Spring)" */
		if (e < c->n && c->t[e] == ',') {
			size_t s = e + 1;
			while (s < c->n && c->t[s] == ' ')
				s++;
			size_t we = word_end(c, s);
			int m = we > s ? month_word(c, s, we - s) : 0;
			if (m && take) {
				c->year_month = m;
				size_t de;
				size_t ds = we;
				while (ds < c->n && (c->t[ds] == ' ' || c->t[ds] == '.'))
					ds++;
				int day = number_at(c, ds, 1, 2, &de);
				if (day > 0)
					c->year_day = day;
			}
			while (e < c->n && c->t[e] != ')' && e - i < 40)
				e++;
		}
		if (e < c->n && (c->t[e] == ')' || c->t[e] == ']'))
			e++;
		else
			return i;
	}
	return e;
}

/* --- authors ------------------------------------------------------------ */

/* Trailing punctuation of a word: its last byte, or 0. */
static char trail(const cite *c, const word *w)
{
	char a = c->t[w->off + w->len - 1];
	return close_punct((unsigned char)a) ? a : 0;
}

/* Initials with periods: "J.", "J.A.", "J.-P.", "Ma.", "A" (a lone capital). */
static int dotted_initials(const cite *c, const word *w)
{
	size_t i = w->core, e = w->off + w->len;
	while (e > i && (c->t[e - 1] == ',' || c->t[e - 1] == ';' || c->t[e - 1] == ')'))
		e--;
	if (i >= e || i != w->off || !upper_at(c, i))
		return 0; /* "(Hrsg.)" is no initial */
	int groups = 0;
	while (i < e) {
		if (!upper_at(c, i))
			return 0;
		i += (unsigned char)c->t[i] >= 0x80 ? 2 : 1;
		/* "Ma.", "Th.", "Chr." */
		size_t low = 0;
		while (i < e && lower_at(c, i) && low < 3) {
			i += (unsigned char)c->t[i] >= 0x80 ? 2 : 1;
			low++;
		}
		if (i < e && c->t[i] == '.')
			i++;
		else if (i < e || low)
			return low && i == e && groups == 0 ? 0 : i == e;
		if (i < e && c->t[i] == '-')
			i++;
		groups++;
	}
	return groups > 0;
}

/* 1 if the word has a small letter ("Ng.", "Ma."). */
static int has_lower(const cite *c, const word *w)
{
	for (size_t i = w->core; i < w->core + w->clen; i++)
		if (lower_at(c, i))
			return 1;
	return 0;
}

/* Vancouver initials: one to four capitals A-Z, nothing else but trailing punctuation. */
static int bare_initials(const cite *c, const word *w)
{
	if (w->clen == 0 || w->clen > 4 || w->core != w->off)
		return 0;
	for (size_t i = w->core; i < w->core + w->clen; i++)
		if (c->t[i] < 'A' || c->t[i] > 'Z')
			return 0;
	return 1;
}

static int is_particle(const cite *c, const word *w)
{
	const cite_phrase *p;
	size_t len = cw__cite_match(c->w, c->t, w->core, w->core + w->clen, CITE_PARTICLE, &p);
	return len == w->clen && lower_at(c, w->core);
}

/* A word that can be part of a surname: capitalised (or all capitals), or a particle. */
static int surname_word(const cite *c, const word *w)
{
	if (w->clen == 0 || w->core != w->off)
		return 0;
	if (is_particle(c, w))
		return 1;
	if (!upper_at(c, w->core))
		return 0;
	/* no digits */
	for (size_t i = w->core; i < w->core + w->clen; i++)
		if (is_digit((unsigned char)c->t[i]))
			return 0;
	return 1;
}

static int all_upper(const cite *c, const word *w)
{
	int letters = 0;
	for (size_t i = w->core; i < w->core + w->clen; i++) {
		if (lower_at(c, i))
			return 0;
		if (upper_at(c, i))
			letters++;
	}
	return letters >= 2;
}

static size_t phrase_at_word(const cite *c, const word *w, unsigned mask, const cite_phrase **p)
{
	return cw__cite_match(c->w, c->t, w->off, c->n, mask, p);
}

/* The index of the word at or after byte off. */
static size_t word_index_at(const cite *c, size_t off)
{
	size_t k = 0;
	while (k < c->nw && c->wd[k].off + c->wd[k].len <= off)
		k++;
	return k;
}

typedef struct name_list {
	span s[CITE_MAX_NAMES];
	unsigned char form[CITE_MAX_NAMES]; /* 0 default, 1 initials last, 2 literal */
	size_t n;
	int etal;
} name_list;

enum { FORM_PLAIN = 0, FORM_INITIALS_LAST, FORM_LITERAL };

static void add_name(name_list *l, size_t off, size_t end, int form)
{
	if (l->n < CITE_MAX_NAMES && end > off) {
		l->s[l->n] = (span){off, end - off};
		l->form[l->n] = (unsigned char)form;
		l->n++;
	}
}

/* End of a word without its trailing punctuation (but an initial's period). */
static size_t word_stop(const cite *c, const word *w)
{
	size_t e = w->off + w->len;
	while (e > w->off && (c->t[e - 1] == ',' || c->t[e - 1] == ';' || c->t[e - 1] == ':'))
		e--;
	return e;
}

/* 1 if every word of [i, f) is initials: a name needs a family word */
static int all_upper_words_only(const cite *c, const word *w, size_t i, size_t f)
{
	for (size_t k = i; k < f; k++)
		if (!bare_initials(c, &w[k]))
			return 0;
	return 1;
}

/* An "and" word at i: its length in words (0: none). */
static int and_word(cite *c, size_t i)
{
	if (i >= c->nw)
		return 0;
	const cite_phrase *p;
	size_t len = phrase_at_word(c, &c->wd[i], CITE_AND, &p);
	return len && len == c->wd[i].len;
}

/*
 * One name at word i: "Family, Given", "Family INITIALS", "I. Family", or
 * (after "and", given_first) "Given Family". Returns the index after it (i:
 * none); *form its form.
 */
static size_t one_name(cite *c, size_t i, int given_first, name_list *l)
{
	const word *w = c->wd;
	size_t nw = c->nw;
	if (i >= nw)
		return i;
	/* "I. Family" (IEEE, Chicago's and MLA's later names): initials with periods */
	size_t k = i;
	int dots = 0;
	while (k < nw && k - i < 4 && dotted_initials(c, &w[k]) && !has_lower(c, &w[k]) &&
	       (trail(c, &w[k]) == '.' || trail(c, &w[k]) == 0)) {
		dots += memchr(c->t + w[k].off, '.', w[k].len) != NULL;
		k++;
	}
	if (k > i && k < nw && dots) {
		size_t f = k;
		/* a short family name with a period ("A. Ng.") looks like "Ma.": after
		 * initials, the first word is the family whatever it looks like */
		while (f < nw && f - k < 3 && surname_word(c, &w[f]) &&
		       (f == k || !dotted_initials(c, &w[f]))) {
			char tp = trail(c, &w[f]);
			f++;
			if (tp)
				break;
		}
		if (f > k) {
			char tp = trail(c, &w[f - 1]);
			const cite_phrase *p;
			int before_and = f < nw && (phrase_at_word(c, &w[f], CITE_AND | CITE_ETAL | CITE_EDITOR, &p));
			if (tp == ',' || tp == ';' || tp == '.' || (tp == 0 && before_and)) {
				add_name(l, w[i].off, word_stop(c, &w[f - 1]) - (tp == '.' ? 1 : 0),
				         FORM_PLAIN);
				return f;
			}
		}
	}
	/* family words */
	size_t f = i;
	while (f < nw && f - i < 5 && surname_word(c, &w[f]) && !trail(c, &w[f]))
		f++;
	/* f: the first word with punctuation (or not a surname word) */
	if (f < nw && surname_word(c, &w[f]) && trail(c, &w[f]) == ',' && f + 1 < nw) {
		/* "Goldberg DS," - Vancouver, unless it is "VAN DIJK, T." */
		if (f > i && bare_initials(c, &w[f]) && !dotted_initials(c, &w[f + 1])) {
			add_name(l, w[i].off, word_stop(c, &w[f]), FORM_INITIALS_LAST);
			return f + 1;
		}
		/* "Family, Given": the given part is initials or up to three given names */
		size_t g = f + 1, g0 = g;
		while (g < nw && g - g0 < 4) {
			const word *x = &w[g];
			int ini = dotted_initials(c, x);
			if (!ini && !(upper_at(c, x->core) && x->core == x->off && !all_upper(c, x) &&
			              !given_first))
				break;
			if (!ini && g > g0 && trail(c, &w[g - 1]) == '.')
				break; /* "Smith, J. Title" */
			char tp = trail(c, x);
			g++;
			if (tp == ',' || tp == ';')
				break;
			if (tp == '.' && !ini)
				break;
			if (tp == '.' && ini && !(g < nw && dotted_initials(c, &w[g]) && !and_word(c, g)))
				break;
			if (tp == ')' || tp == ':')
				break;
		}
		if (g > g0) {
			/* full given names end the name with punctuation, or before "and" or a year */
			const word *last = &w[g - 1];
			if (!dotted_initials(c, last) && !trail(c, last) && g < nw && !and_word(c, g) &&
			    c->t[w[g].off] != '(')
				return i;
			add_name(l, w[i].off, word_stop(c, &w[g - 1]), FORM_PLAIN);
			return g;
		}
		if (!given_first)
			return i;
	}
	/* "Family INITIALS" ending the list or before "and", "&", a year */
	if (f > i && f < nw && bare_initials(c, &w[f]) && f + 1 <= nw) {
		char tp = trail(c, &w[f]);
		if (tp == '.' || tp == ',' || tp == 0) {
			add_name(l, w[i].off, word_stop(c, &w[f]) - (tp == '.' ? 1 : 0), FORM_INITIALS_LAST);
			return f + 1;
		}
	}
	/* "LEPPE M & SAYÃO JM 2022": the initials ran into the family words */
	if (f > i + 1 && bare_initials(c, &w[f - 1]) && !all_upper_words_only(c, w, i, f) &&
	    (f == nw || and_word(c, f) || is_digit((unsigned char)c->t[w[f].off]) ||
	     c->t[w[f].off] == '(')) {
		add_name(l, w[i].off, word_stop(c, &w[f - 1]), FORM_INITIALS_LAST);
		return f;
	}
	/* after "and": "Jane Doe" */
	if (given_first && f < nw && surname_word(c, &w[f]) && f > i) {
		char tp = trail(c, &w[f]);
		if (tp == '.' || tp == ',') {
			add_name(l, w[i].off, word_stop(c, &w[f]) - (tp == '.' ? 1 : 0), FORM_PLAIN);
			return f + 1;
		}
	}
	return i;
}

static int etal_at(cite *c, size_t i, size_t *next)
{
	if (i >= c->nw)
		return 0;
	const cite_phrase *p;
	size_t len = phrase_at_word(c, &c->wd[i], CITE_ETAL, &p);
	if (!len)
		return 0;
	size_t end = c->wd[i].off + len;
	size_t k = i;
	while (k < c->nw && c->wd[k].off < end)
		k++;
	*next = k;
	return 1;
}

/*
 * Authors in capitals that are no person at the start of a reference (ABNT):
 * acronyms "ACRL." or "ACRL, IIL.", or an organisation whose first part is
 * in capitals, "UNIVERSIDAD DE PUERTO RICO (UPRB), Decanato ... ." up to the
 * period. Returns the word after them, or i.
 */
static size_t organisations(cite *c, size_t i, name_list *l)
{
	const word *w = c->wd;
	size_t k = i;
	while (k < c->nw && k - i < 8 && all_upper(c, &w[k]) && trail(c, &w[k]) == ',')
		k++;
	if (k < c->nw && all_upper(c, &w[k]) && trail(c, &w[k]) == '.' && w[k].len > 2) {
		for (size_t j = i; j <= k; j++)
			add_name(l, w[j].off, w[j].off + w[j].len - 1, FORM_LITERAL);
		return k + 1;
	}
	/* the first part: two words or more, every one in capitals */
	k = i;
	while (k < c->nw && k - i < 12 && all_upper(c, &w[k]) && !trail(c, &w[k]))
		k++;
	if (k >= c->nw || k - i < 1 || !all_upper(c, &w[k]) || !trail(c, &w[k]))
		return i;
	/* the organisation runs to the first period */
	size_t e = k;
	while (e < c->nw && e - i < 40 && trail(c, &w[e]) != '.')
		e++;
	if (e >= c->nw)
		return i;
	add_name(l, w[i].off, w[e].off + w[e].len - 1, FORM_LITERAL);
	return e + 1;
}

/* Reads a list of names from word i; returns the word after the list (i: none). */
static size_t name_list_at(cite *c, size_t i, name_list *l, int first_only_literal)
{
	size_t k = i;
	int given_first = 0;
	for (size_t guard = 0; guard < CITE_MAX_NAMES && k < c->nw; guard++) {
		size_t next;
		if (l->n && etal_at(c, k, &next)) {
			l->etal = 1;
			return next;
		}
		size_t e = one_name(c, k, given_first, l);
		if (e == k) {
			if (first_only_literal && l->n == 0 && k == i)
				return organisations(c, k, l);
			return k;
		}
		k = e;
		char tp = trail(c, &c->wd[k - 1]);
		given_first = 0;
		if (k < c->nw && etal_at(c, k, &next)) {
			l->etal = 1;
			return next;
		}
		if (and_word(c, k)) {
			k++;
			given_first = 1;
			continue;
		}
		if (k < c->nw && etal_at(c, k, &next)) {
			l->etal = 1;
			return next;
		}
		if (tp == ',' || tp == ';') {
			/* the list goes on only where a name follows */
			name_list probe = {.n = 0};
			if (k < c->nw && (and_word(c, k) || one_name(c, k, 0, &probe) > k))
				continue;
			/* "Whitfield, Margaret, Tomas Ekberg, and Ana Lopes" (Chicago,
			 * MLA): names given first after the first, each ended by a
			 * comma, up to the "and" before the last */
			size_t q = k;
			for (int n = 0; n < 8 && q < c->nw; n++) {
				probe.n = 0;
				size_t pe = one_name(c, q, 1, &probe);
				if (pe == q || trail(c, &c->wd[pe - 1]) != ',')
					break;
				q = pe;
				if (q < c->nw && and_word(c, q)) {
					given_first = 1;
					break;
				}
			}
			if (given_first)
				continue;
			return k;
		}
		return k;
	}
	return k;
}

static void put_names(cite *c, enum cw_field f, const name_list *l)
{
	if (c->rc || cw_record_has(c->rec, f) || (!l->n && !l->etal))
		return;
	cw_buf store = CW_BUF_INIT;
	for (size_t i = 0; i < l->n && !c->rc; i++) {
		cw_name n = CW_NAME_INIT;
		int rc;
		cw_buf_clear(&store);
		if (l->form[i] == FORM_LITERAL) {
			cw_buf_append(&store, c->t + l->s[i].off, l->s[i].len);
			if (cw_buf_error(&store)) {
				c->rc = CW_ENOMEM;
				break;
			}
			n.literal = store.data;
			rc = CW_OK;
		} else {
			unsigned fl = l->form[i] == FORM_INITIALS_LAST ? CW_NAME_PARSE_INITIALS_LAST : 0;
			rc = cw_name_parse(&n, &store, c->t + l->s[i].off, l->s[i].len, fl, NULL);
		}
		if (rc == CW_ENOMEM) {
			c->rc = rc;
		} else if (rc == CW_OK) {
			rc = cw_record_add_name(c->rec, f, &n);
			if (rc == CW_ENOMEM)
				c->rc = rc;
		}
	}
	if (l->etal && !c->rc) {
		cw_name n = CW_NAME_INIT;
		n.flags = CW_NAME_ETAL;
		n.literal = "et al.";
		if (cw_record_add_name(c->rec, f, &n) == CW_ENOMEM)
			c->rc = CW_ENOMEM;
	}
	cw_buf_free(&store);
	if (cw_record_has(c->rec, f))
		c->inferred[f] = 1;
}

/* An editor marker at word k ("(Eds.)", "(org.)", "Hrsg."): its end word, or k. */
static size_t editor_marker(cite *c, size_t k)
{
	if (k >= c->nw)
		return k;
	const cite_phrase *p;
	size_t len = phrase_at_word(c, &c->wd[k], CITE_EDITOR, &p);
	if (!len)
		return k;
	size_t end = c->wd[k].off + len;
	size_t j = k;
	while (j < c->nw && c->wd[j].off < end)
		j++;
	return j;
}

/*
 * An organisation as the author: up to twelve capitalised words (small
 * connecting words between them: "of", "for", "and"), one of them a word of
 * the table's organisation role, no comma, ended by a period ("World Health
 * Organization.") or followed by a year in brackets ("R Development Core
 * Team (2011)"). One literal name; the word after it, or 0.
 */
static size_t org_author(cite *c, name_list *l)
{
	const word *w = c->wd;
	int org = 0;
	for (size_t k = 0; k < c->nw && k < 12; k++) {
		const cite_phrase *p;
		size_t off = w[k].off;
		if (c->t[off] == '(' && k >= 2 && org) {
			size_t ye = year_at(c, off, 0);
			if (ye == off)
				return 0;
			add_name(l, w[0].off, w[k - 1].off + w[k - 1].len, FORM_LITERAL);
			return k;
		}
		int small = lower_at(c, off) && w[k].len <= 4;
		if (!upper_at(c, off) && !small)
			return 0;
		if (k == 0 && small)
			return 0;
		if (cw__cite_match(c->w, c->t, w[k].core, w[k].core + w[k].clen, CITE_ORGANISATION, &p) ==
		    w[k].clen)
			org = 1;
		char tp = trail(c, &w[k]);
		if (tp == '.' && k >= 1 && org && !small) {
			add_name(l, w[0].off, w[k].off + w[k].len - 1, FORM_LITERAL);
			return k + 1;
		}
		if (tp)
			return 0;
	}
	return 0;
}

/* The authors from the start; returns the byte where what follows them starts. */
static size_t step_authors(cite *c)
{
	/* "---." or "———." stands for the previous reference's authors: left to
	 * the caller (the text is kept), the parse goes on after it */
	size_t d = 0;
	while (d < c->n && (c->t[d] == '-' || c->t[d] == '_' ||
	                    (d + 2 < c->n && (unsigned char)c->t[d] == 0xE2 &&
	                     (unsigned char)c->t[d + 1] == 0x80 &&
	                     ((unsigned char)c->t[d + 2] == 0x94 || (unsigned char)c->t[d + 2] == 0x93))))
		d += c->t[d] == '-' || c->t[d] == '_' ? 1 : 3;
	if (d >= 2 && d < c->n && (c->t[d] == '.' || c->t[d] == ',')) {
		split_words(c);
		return d + 1;
	}
	split_words(c);
	name_list *l = calloc(1, sizeof *l);
	if (!l) {
		c->rc = CW_ENOMEM;
		return 0;
	}
	size_t k = org_author(c, l);
	if (!k)
		k = name_list_at(c, 0, l, 1);
	size_t end = 0;
	if (l->n || l->etal) {
		size_t m = editor_marker(c, k);
		/* "Smith J, editor." */
		enum cw_field f = CW_FIELD_AUTHOR;
		if (m > k) {
			f = CW_FIELD_EDITOR;
			k = m;
		}
		put_names(c, f, l);
		end = k < c->nw ? c->wd[k].off : c->n;
	}
	free(l);
	return end;
}

/* --- title -------------------------------------------------------------- */

/* The end of the sentence that starts at i: the byte after its last character. */
static size_t sentence_end(const cite *c, size_t i, size_t *next)
{
	int depth = 0;
	for (size_t k = i; k < c->n; k++) {
		char a = c->t[k];
		if (a == '(' || a == '[')
			depth++;
		else if ((a == ')' || a == ']') && depth > 0)
			depth--;
		else if (depth == 0 && (a == '.' || a == '?' || a == '!') &&
		         (k + 1 >= c->n || c->t[k + 1] == ' ')) {
			/* a period after one capital ("U.S.", "J.") or an abbreviation
			 * of the table ("vol.", "ed.") is not an end when a small
			 * letter follows */
			if (a == '.' && k + 2 < c->n && lower_at(c, k + 2) && k > i &&
			    (k - i < 2 || c->t[k - 2] == ' ' || c->t[k - 2] == '.'))
				continue;
			/* "St. Kilda": an abbreviation of the table before a capital */
			if (a == '.' && k + 2 < c->n && upper_at(c, k + 2)) {
				size_t ws = k;
				while (ws > i && c->t[ws - 1] != ' ')
					ws--;
				const cite_phrase *p;
				if (cw__cite_match(c->w, c->t, ws, k + 1, CITE_ABBREV, &p) == k + 1 - ws)
					continue;
			}
			/* a name's initials inside a title ("Diplomatia V.V. Putina") */
			if (a == '.' && k + 2 < c->n && upper_at(c, k + 2) && k >= i + 3 &&
			    c->t[k - 2] == '.' && (k - 3 == i || c->t[k - 4] == ' ') &&
			    (unsigned char)c->t[k - 1] >= 'A' && (unsigned char)c->t[k - 1] <= 'Z' &&
			    (unsigned char)c->t[k - 3] >= 'A' && (unsigned char)c->t[k - 3] <= 'Z')
				continue;
			*next = k + 1;
			return a == '.' ? k : k + 1;
		}
	}
	*next = c->n;
	return c->n;
}

static void step_title(cite *c, size_t *pos)
{
	size_t i = *pos;
	while (i < c->n && (c->t[i] == ' ' || c->t[i] == '.' || c->t[i] == ','))
		i++;
	if (i >= c->n)
		return;
	int opening = 0;
	size_t q = quote_len(c->t + i, c->n - i, &opening);
	if ((q && opening) || c->t[i] == '"') {
		size_t s = i + (q ? q : 1);
		/* single quotes inside double ones are a quotation in the title
		 * ("Kreml, ‘Gazprom’ i ..."): only a double mark closes those */
		int dbl = !q || (unsigned char)c->t[i + 2] != 0x98;
		for (size_t k = s; k < c->n; k++) {
			int op = 0;
			size_t ql = quote_len(c->t + k, c->n - k, &op);
			if (ql && dbl && ql == 3 && ((unsigned char)c->t[k + 2] == 0x98 ||
			                              (unsigned char)c->t[k + 2] == 0x99)) {
				k += ql - 1;
				continue;
			}
			if ((ql && !(op && c->t[k + 1] == '\xC2')) || c->t[k] == '"') {
				set_span(c, CW_FIELD_TITLE, s, k - s, 0);
				k += ql ? ql : 1;
				*pos = k;
				return;
			}
		}
	}
	/* an italic title: the italic run */
	if (c->ital[i]) {
		size_t k = i;
		while (k < c->n && (c->ital[k] || c->t[k] == ' '))
			k++;
		set_span(c, CW_FIELD_TITLE, i, k - i, 0);
		*pos = k;
		return;
	}
	size_t next;
	size_t e = sentence_end(c, i, &next);
	size_t te = e;
	/* "Title. Subtitle. 1999-2004, X Publishers, Place, 2004" (a note's book,
	 * its year at the end): the title runs on over its full stops up to the
	 * comma before the part with a publisher's word */
	if (!c->has_year && e < c->n && c->t[e] == '.') {
		size_t lc = 0, words = 0;
		int stops = 0;
		for (size_t k = next; k < c->n; k++) {
			char a = c->t[k];
			if (a == ':' || a == '(' || a == ';' || a == '[')
				break;
			if (a == '.' && k + 1 < c->n && c->t[k + 1] == ' ' && ++stops > 1)
				break;
			if (a == ',' && k + 1 < c->n && c->t[k + 1] == ' ')
				lc = k;
			if (k > next && c->t[k - 1] == ' ') {
				words++;
				const cite_phrase *pp;
				if (cw__cite_match(c->w, c->t, k, c->n, CITE_VOLUME | CITE_ISSUE | CITE_PAGE |
				                                              CITE_CONTAINER | CITE_EDITION,
				                   &pp))
					break;
				if (lc > next && words >= 4 &&
				    cw__cite_match(c->w, c->t, k, c->n, CITE_PUBLISHER, &pp)) {
					e = te = lc;
					next = lc + 1;
					break;
				}
			}
		}
	}
	/* "Title, Almaty, 2000, p. 248." (a note's cited page, or "256 pp."):
	 * the sentence ends at the page word's period; the title stops before it */
	size_t tail = 0;
	{
		size_t ws = e;
		while (ws > i && c->t[ws - 1] != ' ')
			ws--;
		const cite_phrase *pp;
		size_t nd = next;
		while (nd < c->n && c->t[nd] == ' ')
			nd++;
		if (ws > i + 2 && c->t[ws - 2] == ',' && nd < c->n && is_digit((unsigned char)c->t[nd]) &&
		    cw__cite_match(c->w, c->t, ws, e + 1, CITE_PAGE, &pp) >= e - ws) {
			tail = ws;
			te = ws - 2;
		}
	}
	/* "Title, 2006.", "Title; July 2003." (a date at the end of the title's sentence) */
	if (te > i + 6 && is_digit((unsigned char)c->t[te - 1]) && !c->has_year) {
		size_t ys = te;
		while (ys > i && is_digit((unsigned char)c->t[ys - 1]))
			ys--;
		size_t ds = ys;
		if (te - ys == 4 && ds > i + 1 && c->t[ds - 1] == ' ') {
			/* a month before the year */
			size_t ms = ds - 1;
			while (ms > i && c->t[ms - 1] != ' ')
				ms--;
			size_t me = ds - 1;
			if (me > ms && c->t[me - 1] == '.')
				me--;
			if (me > ms && month_word(c, ms, me - ms))
				ds = ms;
		}
		if (te - ys == 4 && ds >= i + 2 && c->t[ds - 1] == ' ' &&
		    (c->t[ds - 2] == ',' || c->t[ds - 2] == ';')) {
			size_t de = date_at(c, ds);
			if (de == ds)
				year_at(c, ys, 1);
			te = ds - 2;
			/* "Title, Geneva; 2007" (Vancouver's "Place; year" without a
			 * publisher), "Title, Almaty, 2000, p. 248" (a note's) */
			if (c->t[ds - 2] == ';' || tail) {
				size_t pc = te;
				while (pc > i && c->t[pc - 1] != ',' && c->t[pc - 1] != ' ')
					pc--;
				if (pc > i + 2 && c->t[pc - 1] == ' ' && c->t[pc - 2] == ',' &&
				    upper_at(c, pc)) {
					set_span(c, CW_FIELD_PUBLISHER_PLACE, pc, te - pc, 0);
					te = pc - 2;
				} else if (c->t[ds - 2] == ';') {
					/* "Title: United Nations; 2016" (Vancouver's "Place:
					 * Publisher; year" with the place left out): one to
					 * four capitalised words after the title's last colon */
					size_t cl = te, words = 1;
					int caps = 1;
					while (cl > i && c->t[cl - 1] != ':') {
						if (c->t[cl - 1] == ' ') {
							words++;
							caps &= upper_at(c, cl);
						}
						cl--;
					}
					size_t before = 1;
					for (size_t x = i; x < cl; x++)
						before += c->t[x] == ' ';
					if (cl > i && cl + 1 < te && c->t[cl] == ' ' && caps && upper_at(c, cl + 1) &&
					    words - 1 <= 4 && before >= 4) {
						set_span(c, CW_FIELD_PUBLISHER, cl + 1, te - cl - 1, 0);
						te = cl - 1;
					}
				}
			}
		}
	}
	/* "Title (2nd ed.)" */
	if (te > i && c->t[te - 1] == ')') {
		size_t o = te - 1;
		while (o > i && c->t[o] != '(')
			o--;
		if (o > i) {
			size_t d = o + 1, de;
			int ed = number_at(c, d, 1, 3, &de);
			const cite_phrase *p;
			if (ed > 0) {
				while (de < te && c->t[de] != ' ')
					de++;
				while (de < te && c->t[de] == ' ')
					de++;
				if (cw__cite_match(c->w, c->t, de, te, CITE_EDITION, &p)) {
					size_t ne = d;
					(void)number_at(c, d, 1, 3, &ne);
					set_span(c, CW_FIELD_EDITION, d, ne - d, 0);
					te = o;
				} else if (cw__cite_match(c->w, c->t, o + 1, te, CITE_GENRE, &p)) {
					set_span(c, CW_FIELD_GENRE, o + 1, te - 1 - o - 1, 0);
					if (p->type)
						c->type = p->type;
					te = o;
				}
			} else if (cw__cite_match(c->w, c->t, o + 1, te, CITE_GENRE, &p)) {
				set_span(c, CW_FIELD_GENRE, o + 1, te - 1 - o - 1, 0);
				if (p->type)
					c->type = p->type;
				te = o;
			}
		}
	}
	/* "Title, ed. by L.I. Abalkin": the editors after the title */
	for (size_t k = i + 1; k + 2 < te; k++) {
		const cite_phrase *pe;
		size_t l;
		if (c->t[k] != ',' || c->t[k + 1] != ' ' ||
		    !(l = cw__cite_match(c->w, c->t, k + 2, te, CITE_EDITOR, &pe)) ||
		    k + 2 + l >= te || c->t[k + 2 + l] != ' ')
			continue;
		name_list *l2 = calloc(1, sizeof *l2);
		if (!l2) {
			c->rc = CW_ENOMEM;
			return;
		}
		size_t w0 = word_index_at(c, k + 3 + l);
		(void)name_list_at(c, w0, l2, 0);
		while (l2->n && l2->s[l2->n - 1].off >= te)
			l2->n--;
		size_t ne = l2->n ? l2->s[l2->n - 1].off + l2->s[l2->n - 1].len : 0;
		while (ne < te && (c->t[ne] == ' ' || c->t[ne] == ',' || c->t[ne] == '.'))
			ne++;
		if (l2->n && ne >= te) {
			put_names(c, CW_FIELD_EDITOR, l2);
			te = k;
		}
		free(l2);
		break;
	}
	set_span(c, CW_FIELD_TITLE, i, te - i, 0);
	if (tail)
		*pos = tail;
	else if (e < c->n && c->t[e] != '.')
		*pos = e;
	else
		*pos = next;
}

/* --- the rest ----------------------------------------------------------- */

/* A page range or a page at i: "45-67", "45–67", "S11-8", "e1234", "770". */
static size_t pages_at(const cite *c, size_t i)
{
	size_t k = i;
	size_t start = k;
	int digits = 0;
	while (k < c->n && k - start < 40) {
		unsigned char a = (unsigned char)c->t[k];
		if (is_digit(a)) {
			digits++;
			k++;
		} else if (is_alpha_ascii(a) && (k == start || c->t[k - 1] == '-' ||
		                                 (k >= 3 && (unsigned char)c->t[k - 1] == 0x93)) &&
		           k + 1 < c->n && is_digit((unsigned char)c->t[k + 1])) {
			k++; /* "S11", "e1234" */
		} else if (a == '-' && digits) {
			k++;
		} else if (a == 0xE2 && k + 2 < c->n && (unsigned char)c->t[k + 1] == 0x80 &&
		           ((unsigned char)c->t[k + 2] == 0x93 || (unsigned char)c->t[k + 2] == 0x94) &&
		           digits) {
			k += 3; /* en or em dash */
		} else if (a == ' ' && digits && k + 1 < c->n &&
		           ((c->t[k + 1] == '-') || (unsigned char)c->t[k + 1] == 0xE2)) {
			k++; /* "11 – 50" */
		} else if (a == ' ' && digits && k > i && (c->t[k - 1] == '-' ||
		                                            (unsigned char)c->t[k - 1] == 0x93)) {
			k++;
		} else {
			break;
		}
	}
	while (k > i && (c->t[k - 1] == '-' || c->t[k - 1] == ' '))
		k--;
	return digits ? k : i;
}

static void set_pages(cite *c, size_t s, size_t e)
{
	if (e <= s)
		return;
	if ((c->t[s] == 'e' || c->t[s] == 'E') && e > s + 1 && is_digit((unsigned char)c->t[s + 1])) {
		int range = 0;
		for (size_t k = s; k < e; k++)
			range |= c->t[k] == '-' || (unsigned char)c->t[k] == 0xE2;
		if (!range) {
			set_span(c, CW_FIELD_ARTICLE_NUMBER, s, e - s, 0);
			return;
		}
	}
	set_span(c, CW_FIELD_PAGE, s, e - s, 0);
}

/* A token of volume or issue: digits, letters and '/', '-' ("10", "2/3", "Suppl 1"). */
static size_t number_token(const cite *c, size_t i)
{
	size_t k = i;
	while (k < c->n && (is_digit((unsigned char)c->t[k]) || is_alpha_ascii((unsigned char)c->t[k]) ||
	                    c->t[k] == '/' || c->t[k] == '-') && k - i < 20)
		k++;
	/* a number token has a digit */
	for (size_t j = i; j < k; j++)
		if (is_digit((unsigned char)c->t[j]))
			return k;
	return i;
}

/*
 * A day-month-year date in the rest ("13 ago. 2014", "31 mayo, 2018",
 * "nov., 2018", "July 2003"): its end, or i. Sets the issued date when
 * none was read, and full_date when it has a day.
 */
static size_t date_at(cite *c, size_t i)
{
	size_t k = i, e;
	int day = number_at(c, k, 1, 2, &e);
	if (day > 0) {
		if (e >= c->n || c->t[e] != ' ' || day > 31)
			return i;
		k = e + 1;
	} else {
		day = 0;
	}
	size_t we = word_end(c, k);
	int m = we > k ? month_word(c, k, we - k) : 0;
	if (!m)
		return i;
	k = we;
	while (k < c->n && (c->t[k] == '.' || c->t[k] == ',' || c->t[k] == ' ') && k - we < 4)
		k++;
	int y = number_at(c, k, 4, 4, &e);
	if (y < 0 || !plausible_year(y))
		return i;
	if (!c->has_year && !c->nodate) {
		year_at(c, k, 1);
		c->year_month = m;
		c->year_day = day;
	}
	if (day)
		c->full_date = 1;
	/* "2017a" */
	if (e < c->n && c->t[e] >= 'a' && c->t[e] <= 'z' &&
	    (e + 1 >= c->n || !is_alpha_ascii((unsigned char)c->t[e + 1])))
		e++;
	return e;
}

/* 1 if a date_at date starts at i (nothing set). */
static int date_probe(cite *c, size_t i)
{
	size_t k = i, e;
	int day = number_at(c, k, 1, 2, &e);
	if (day > 0) {
		if (e >= c->n || c->t[e] != ' ')
			return 0;
		k = e + 1;
	}
	size_t we = word_end(c, k);
	return we > k && month_word(c, k, we - k) != 0;
}

/*
 * Numbers after a container: "2011;11(2):770-5" (Vancouver), "12(3), 45-67"
 * and "12(3):45-67" (APA, Harvard), "3, no. 2 (2010): 1-10" (Chicago).
 * Returns the end, or i when nothing is read.
 */
static size_t numbers_at(cite *c, size_t i)
{
	size_t k = i, e;
	/* Vancouver's year first: "2011;11:770", "2011 Jan;11(2)", "2011:770" */
	int y = number_at(c, k, 4, 4, &e);
	if (y >= 0 && plausible_year(y)) {
		size_t j = e;
		if (j < c->n && c->t[j] == ' ') {
			size_t we = word_end(c, j + 1);
			int m = we > j + 1 ? month_word(c, j + 1, we - j - 1) : 0;
			if (m) {
				j = we;
				if (j < c->n && c->t[j] == '.')
					j++;
				size_t de;
				if (j + 1 < c->n && c->t[j] == ' ' && number_at(c, j + 1, 1, 2, &de) > 0)
					j = de;
				if (!c->has_year)
					c->year_month = m;
			}
		}
		if (j < c->n && (c->t[j] == ';' || c->t[j] == ':')) {
			if (!c->has_year) {
				c->has_year = 1;
				c->year = y;
			}
			k = j;
			if (c->t[k] == ':') {
				size_t ps = k + 1;
				while (ps < c->n && c->t[ps] == ' ')
					ps++;
				size_t pe = pages_at(c, ps);
				set_pages(c, ps, pe);
				return pe > ps ? pe : i;
			}
			k++;
			while (k < c->n && c->t[k] == ' ')
				k++;
		} else {
			return i;
		}
	}
	/* volume */
	size_t vs = k, ve = number_token(c, k);
	if (ve == vs && !(k < c->n && c->t[k] == '('))
		return k > i ? k : i;
	/* "2017;4643830." (Vancouver, an article with no volume): six digits or
	 * more after the year, nothing but the end after them, is its number */
	if (k > i && ve - vs >= 6 && (ve >= c->n || (c->t[ve] == '.' && ve + 1 >= c->n))) {
		size_t d = vs;
		while (d < ve && is_digit((unsigned char)c->t[d]))
			d++;
		if (d == ve) {
			set_span(c, CW_FIELD_ARTICLE_NUMBER, vs, ve - vs, 0);
			return ve;
		}
	}
	if (ve > vs) {
		set_span(c, CW_FIELD_VOLUME, vs, ve - vs, 0);
		k = ve;
	}
	/* " Suppl 2", " Suppl. 1" stay out of the volume */
	if (k + 6 < c->n && starts_with_nocase(c, k, " suppl")) {
		size_t s = k + 6;
		while (s < c->n && (c->t[s] == '.' || c->t[s] == ' '))
			s++;
		size_t se = number_token(c, s);
		/* "15 Suppl 2": JATS and CSL keep the supplement as the issue */
		set_span(c, CW_FIELD_ISSUE, k + 1, se - k - 1, 0);
		k = se;
	}
	/* issue */
	size_t sp = k;
	while (sp < c->n && c->t[sp] == ' ')
		sp++;
	if (sp < c->n && c->t[sp] == '(') {
		size_t is = sp + 1, ie = is;
		while (ie < c->n && c->t[ie] != ')' && ie - is < 30)
			ie++;
		if (ie < c->n && c->t[ie] == ')') {
			size_t ye;
			int yy = number_at(c, is, 4, 4, &ye);
			if (yy >= 0 && ye == ie && plausible_year(yy)) {
				if (!c->has_year) {
					c->has_year = 1;
					c->year = yy;
				}
			} else {
				set_span(c, CW_FIELD_ISSUE, is, ie - is, 0);
			}
			k = ie + 1;
		}
	}
	/* pages: ":45-67", ", 45-67", ", pp. 45-67" */
	if (k < c->n && (c->t[k] == ':' || c->t[k] == ',')) {
		size_t ps = k + 1;
		while (ps < c->n && c->t[ps] == ' ')
			ps++;
		const cite_phrase *p;
		size_t pl = cw__cite_match(c->w, c->t, ps, c->n, CITE_PAGE, &p);
		if (pl) {
			ps += pl;
			while (ps < c->n && c->t[ps] == ' ')
				ps++;
		}
		size_t pe = pages_at(c, ps);
		if (pe > ps) {
			set_pages(c, ps, pe);
			k = pe;
		}
	}
	return k;
}

/* A labelled part at i ("vol. 10", "nº 3", "pp. 1-26", "2nd ed."): its end, or i. */
static size_t labelled_at(cite *c, size_t i)
{
	const cite_phrase *p;
	size_t len = cw__cite_match(c->w, c->t, i, c->n, CITE_VOLUME | CITE_ISSUE | CITE_PAGE, &p);
	if (len) {
		size_t s = i + len;
		while (s < c->n && c->t[s] == ' ')
			s++;
		if (s >= c->n || !(is_digit((unsigned char)c->t[s]) ||
		                   (is_alpha_ascii((unsigned char)c->t[s]) && s + 1 < c->n &&
		                    is_digit((unsigned char)c->t[s + 1]))))
			return i;
		if (p->roles & CITE_PAGE) {
			size_t e = pages_at(c, s);
			/* one page of a work with no container ("Almaty, 2000, p. 248"):
			 * the page cited, not the work's pages */
			if (!c->container && !cw_record_has(c->rec, CW_FIELD_CONTAINER_TITLE) &&
			    !memchr(c->t + s, '-', e - s) && !memchr(c->t + s, '\xE2', e - s) &&
			    !cw_record_has(c->rec, CW_FIELD_LOCATOR) && !cw_record_has(c->rec, CW_FIELD_PAGE)) {
				set_span(c, CW_FIELD_LOCATOR, s, e - s, 0);
				return e;
			}
			set_pages(c, s, e);
			return e;
		}
		size_t e = number_token(c, s);
		set_span(c, (p->roles & CITE_VOLUME) ? CW_FIELD_VOLUME : CW_FIELD_ISSUE, s, e - s, 0);
		/* "vol. 10(2)" */
		if (e < c->n && c->t[e] == '(' && (p->roles & CITE_VOLUME)) {
			size_t ie = e + 1;
			while (ie < c->n && c->t[ie] != ')' && ie - e < 20)
				ie++;
			if (ie < c->n) {
				set_span(c, CW_FIELD_ISSUE, e + 1, ie - e - 1, 0);
				e = ie + 1;
			}
		}
		return e;
	}
	/* "256 pp", "608 pp.": the number of pages */
	size_t e;
	if (number_at(c, i, 1, 5, &e) > 0 && e + 1 < c->n && c->t[e] == ' ') {
		len = cw__cite_match(c->w, c->t, e + 1, c->n, CITE_PAGE, &p);
		size_t pe = e + 1 + len;
		if (len && (pe >= c->n || c->t[pe] == ' ' || c->t[pe] == ',' || c->t[pe] == ';' ||
		            c->t[pe] == '.')) {
			set_span(c, CW_FIELD_NUMBER_OF_PAGES, i, e - i, 0);
			return pe;
		}
	}
	/* "2nd ed.", "2ª ed.", "7. ed.", "3rd edn" */
	int n = number_at(c, i, 1, 3, &e);
	if (n > 0) {
		size_t s = e;
		while (s < c->n && c->t[s] != ' ' && s - e < 4)
			s++;
		while (s < c->n && c->t[s] == ' ')
			s++;
		len = cw__cite_match(c->w, c->t, s, c->n, CITE_EDITION, &p);
		if (len) {
			set_span(c, CW_FIELD_EDITION, i, e - i, 0);
			return s + len;
		}
	}
	return i;
}

/* "Place: Publisher" in [s, e): 1 when set. */
static int place_publisher(cite *c, size_t s, size_t e)
{
	size_t colon = s;
	while (colon < e && c->t[colon] != ':')
		colon++;
	if (colon >= e || colon == s || colon + 1 >= e)
		return 0;
	/* a place is short: at most four words, capitalised */
	size_t words = 1;
	for (size_t k = s; k < colon; k++)
		words += c->t[k] == ' ';
	if (words > 5 || !upper_at(c, s))
		return 0;
	size_t ps = colon + 1;
	while (ps < e && c->t[ps] == ' ')
		ps++;
	/* "Publisher; 2012", "Publisher, 2012": the year is not the publisher */
	size_t pe = e;
	for (size_t k = ps; k < e; k++)
		if (c->t[k] == ';' || (c->t[k] == ',' && k + 2 < e && is_digit((unsigned char)c->t[k + 2]))) {
			pe = k;
			break;
		}
	set_span(c, CW_FIELD_PUBLISHER_PLACE, s, colon - s, 0);
	set_span(c, CW_FIELD_PUBLISHER, ps, pe - ps, 0);
	return 1;
}

/* The last plausible year in [s, e) not yet read, as the issued year. */
static void late_year(cite *c, size_t s, size_t e)
{
	if (c->has_year || c->nodate)
		return;
	size_t best = e;
	for (size_t k = s; k + 4 <= e; k++) {
		if (k > s && (is_digit((unsigned char)c->t[k - 1]) || is_alpha_ascii((unsigned char)c->t[k - 1])))
			continue;
		size_t ye;
		int y = number_at(c, k, 4, 4, &ye);
		if (y >= 0 && plausible_year(y) &&
		    (ye >= e || !is_digit((unsigned char)c->t[ye])))
			best = k;
	}
	if (best < e) {
		year_at(c, best, 1);
		/* "13 ago. 2014", "24 dic. 2015": the day and month before it */
		size_t ws = best;
		if (ws > s + 1 && c->t[ws - 1] == ' ') {
			size_t me = ws - 1;
			if (me > s && (c->t[me - 1] == '.' || c->t[me - 1] == ','))
				me--;
			size_t ms = me;
			while (ms > s && c->t[ms - 1] != ' ')
				ms--;
			int m = me > ms ? month_word(c, ms, me - ms) : 0;
			if (m) {
				c->year_month = m;
				size_t de;
				size_t ds = ms > s + 1 ? ms - 1 : ms;
				while (ds > s && is_digit((unsigned char)c->t[ds - 1]))
					ds--;
				int d = number_at(c, ds, 1, 2, &de);
				if (d > 0 && de + 1 == ms)
					c->year_day = d;
			}
		}
	}
}

/* A "container" with no volume, issue or pages that holds a publisher's word is the publisher. */
static void publisher_not_container(cite *c)
{
	const char *ct = cw_record_text(c->rec, CW_FIELD_CONTAINER_TITLE);
	if (!ct || c->container || cw_record_has(c->rec, CW_FIELD_VOLUME) ||
	    cw_record_has(c->rec, CW_FIELD_ISSUE) || cw_record_has(c->rec, CW_FIELD_PAGE) ||
	    cw_record_has(c->rec, CW_FIELD_ARTICLE_NUMBER) || cw_record_has(c->rec, CW_FIELD_PUBLISHER))
		return;
	size_t n = strlen(ct);
	for (size_t i = 0; i < n; i++) {
		if (i && ct[i - 1] != ' ')
			continue;
		const cite_phrase *p;
		if (cw__cite_match(c->w, ct, i, n, CITE_PUBLISHER, &p)) {
			/* "X Publishers, St. Petersburg": the publisher, then its place
			 * (one to three capitalised words after the last comma) */
			size_t pe = n;
			const char *lc = strrchr(ct + i, ',');
			if (lc && lc[1] == ' ' && !cw_record_has(c->rec, CW_FIELD_PUBLISHER_PLACE)) {
				size_t ps = (size_t)(lc - ct) + 2, words = 1;
				for (size_t x = ps; x < n; x++)
					words += ct[x] == ' ';
				if (ps < n && ct[ps] >= 'A' && ct[ps] <= 'Z' && words <= 3) {
					set_str(c, CW_FIELD_PUBLISHER_PLACE, ct + ps, n - ps);
					pe = (size_t)(lc - ct);
				}
			}
			set_str(c, CW_FIELD_PUBLISHER, ct, pe);
			c->inferred[CW_FIELD_CONTAINER_TITLE] = 0;
			cw_record_clear(c->rec, CW_FIELD_CONTAINER_TITLE);
			return;
		}
	}
}

static void step_rest(cite *c, size_t i)
{
	while (i < c->n && (c->t[i] == ' ' || c->t[i] == '.' || c->t[i] == ','))
		i++;
	if (i >= c->n)
		return;
	/* "[Entrevista cedida a X]." after the title: a note, not the container */
	if (c->t[i] == '[') {
		size_t k = i + 1;
		while (k < c->n && c->t[k] != ']' && k - i < 200)
			k++;
		if (k < c->n && c->t[k] == ']') {
			i = k + 1;
			while (i < c->n && (c->t[i] == ' ' || c->t[i] == '.' || c->t[i] == ','))
				i++;
			if (i >= c->n)
				return;
		}
	}
	const cite_phrase *p;
	size_t len = cw__cite_match(c->w, c->t, i, c->n, CITE_CONTAINER, &p);
	name_list *eds = NULL;
	if (len && i + len < c->n && (c->t[i + len - 1] == ':' || c->t[i + len] == ' ')) {
		c->container = 1;
		i += len;
		while (i < c->n && (c->t[i] == ' ' || c->t[i] == ':'))
			i++;
		/* "In: Mandell GL, Bennett JE, editores." / "In J. Smith (Ed.)," */
		split_words(c);
		size_t k = word_index_at(c, i);
		eds = calloc(1, sizeof *eds);
		if (!eds) {
			c->rc = CW_ENOMEM;
			return;
		}
		size_t e = name_list_at(c, k, eds, 0);
		size_t m = editor_marker(c, e);
		if ((eds->n || eds->etal) && m > e) {
			put_names(c, CW_FIELD_EDITOR, eds);
			i = m < c->nw ? c->wd[m].off : c->n;
		} else if (eds->n && e < c->nw && (and_word(c, e) || trail(c, &c->wd[e - 1]) == '.') &&
		           m == e && eds->n && c->wd[e - 1].off < c->n) {
			/* "In: SCHORR, M. Title": the container's authors (ABNT) */
			put_names(c, CW_FIELD_CONTAINER_AUTHOR, eds);
			i = e < c->nw ? c->wd[e].off : c->n;
		}
		free(eds);
		while (i < c->n && (c->t[i] == ' ' || c->t[i] == '.' || c->t[i] == ','))
			i++;
	}
	/* the container, or a book's place and publisher: up to the first number */
	size_t cs = i, ce = i, k = i;
	int in_italic = c->ital[i];
	while (k < c->n) {
		unsigned char a = (unsigned char)c->t[k];
		int boundary = k == cs || c->t[k - 1] == ' ' || c->t[k - 1] == ',' ||
		               c->t[k - 1] == ';' || c->t[k - 1] == ':' || c->t[k - 1] == '(';
		if (in_italic && !c->ital[k] && c->t[k] != ' ') {
			break;
		}
		/* "..., September 1994" ends the container as a number would */
		if (boundary && k > cs && c->t[k - 1] == ' ' && c->t[k - 2] == ',' && date_probe(c, k))
			break;
		if (boundary && (is_digit(a) || cw__cite_match(c->w, c->t, k, c->n,
		                                                 CITE_VOLUME | CITE_ISSUE | CITE_PAGE,
		                                                 &p))) {
			/* a number inside a name ("Página 12", "BMJ Open") stays when no
			 * punctuation comes before it */
			if (k > cs && (c->t[k - 1] == ' ' && k >= 2 && c->t[k - 2] != '.' &&
			               c->t[k - 2] != ',' && c->t[k - 2] != ';' && c->t[k - 2] != ':') &&
			    !cw__cite_match(c->w, c->t, k, c->n, CITE_VOLUME | CITE_ISSUE | CITE_PAGE, &p)) {
				/* "Journal 12(3)" (Chicago: no comma): a number then '(' or ',' or ':' */
				size_t ne = number_token(c, k);
				size_t nd = k;
				while (nd < ne && is_digit((unsigned char)c->t[nd]))
					nd++;
				/* "the 20th Conference": an ordinal is a word of the name */
				if (nd == ne && ne < c->n && (c->t[ne] == '(' || c->t[ne] == ',' || c->t[ne] == ':' ||
				                  c->t[ne] == ';' || c->t[ne] == '.' || c->t[ne] == ' ')) {
					/* a year of 4 digits after a title word is a date, not a volume */
					break;
				}
				k++;
				continue;
			}
			break;
		}
		if (a == '.' && k + 1 < c->n && c->t[k + 1] == ' ') {
			/* "Journal. 2011;..." (Vancouver) or "Publisher." */
			size_t wstart = k;
			while (wstart > cs && c->t[wstart - 1] != ' ')
				wstart--;
			/* an abbreviation inside the journal name ("J. Biol. Chem.") goes on */
			/* "Proc. of the", "Int. J." */
			if (k - wstart <= 6 && upper_at(c, wstart) && k + 2 < c->n &&
			    (upper_at(c, k + 2) || lower_at(c, k + 2)) &&
			    !is_digit((unsigned char)c->t[k + 2])) {
				k++;
				continue;
			}
			break;
		}
		k++;
	}
	ce = k;
	while (ce > cs && (c->t[ce - 1] == ' ' || c->t[ce - 1] == ',' || c->t[ce - 1] == '.' ||
	                   c->t[ce - 1] == ';' || c->t[ce - 1] == '('))
		ce--;
	/* "Revista X, São Paulo, v. 12", "Clarin, Argentina, 3 nov. 2017": short
	 * capitalised last parts before a labelled volume or a date are the place */
	size_t after = k;
	while (after < c->n && (c->t[after] == ' ' || c->t[after] == ','))
		after++;
	if (ce > cs && !c->container &&
	    (cw__cite_match(c->w, c->t, after, c->n, CITE_VOLUME | CITE_ISSUE, &p) ||
	     date_probe(c, after))) {
		size_t cut = ce, q = ce;
		for (int parts = 0; parts < 3; parts++) {
			size_t comma = q;
			while (comma > cs && c->t[comma - 1] != ',')
				comma--;
			if (comma <= cs + 1)
				break;
			size_t ps = comma;
			while (ps < q && (c->t[ps] == ' ' || c->t[ps] == '['))
				ps++;
			size_t words = 1, open = 0, close = 0;
			for (size_t x = ps; x < q; x++) {
				words += c->t[x] == ' ';
				open += c->t[x] == '(';
				close += c->t[x] == ')';
			}
			/* "Kazakhstan-Spektr (Almaty, KISI)": a comma inside brackets */
			if (ps >= q || words > 3 || !upper_at(c, ps) || close > open)
				break;
			cut = comma - 1;
			q = comma - 1;
		}
		if (cut < ce) {
			size_t ps = cut + 1;
			while (ps < ce && (c->t[ps] == ' ' || c->t[ps] == '['))
				ps++;
			size_t pe = ce;
			while (pe > ps && c->t[pe - 1] == ']')
				pe--;
			set_span(c, CW_FIELD_PUBLISHER_PLACE, ps, pe - ps, 0);
			ce = cut;
			while (ce > cs && c->t[ce - 1] == ' ')
				ce--;
		}
	}
	int is_book_pub = ce > cs && !c->container && place_publisher(c, cs, ce);
	if (!is_book_pub && ce > cs) {
		/* a genre instead of a container: "PhD thesis, University X" */
		size_t gl = cw__cite_match(c->w, c->t, cs, ce, CITE_GENRE | CITE_REPORT, &p);
		if (gl) {
			if (p->type)
				c->type = p->type;
			if (p->roles & CITE_GENRE) {
				set_span(c, CW_FIELD_GENRE, cs, gl, 0);
				size_t ps = cs + gl;
				while (ps < ce && (c->t[ps] == ' ' || c->t[ps] == ',' || c->t[ps] == '-' ||
				                   c->t[ps] == '.'))
					ps++;
				if (ps < ce)
					set_span(c, CW_FIELD_PUBLISHER, ps, ce - ps, 0);
			} else {
				set_span(c, CW_FIELD_GENRE, cs, gl, 0);
			}
		} else {
			set_span(c, CW_FIELD_CONTAINER_TITLE, cs, ce - cs, 0);
		}
	}
	/* the numbers and labelled parts after it */
	i = k;
	for (size_t guard = 0; i < c->n && guard < c->n; guard++) {
		while (i < c->n && (c->t[i] == ' ' || c->t[i] == ',' || c->t[i] == '.' ||
		                    c->t[i] == ';' || c->t[i] == ':'))
			i++;
		if (i >= c->n)
			break;
		size_t e = date_at(c, i);
		if (e == i)
			e = labelled_at(c, i);
		if (e == i && (is_digit((unsigned char)c->t[i]) || c->t[i] == '(') &&
		    !cw_record_has(c->rec, CW_FIELD_VOLUME))
			e = numbers_at(c, i);
		size_t before = i;
		while (before > 0 && c->t[before - 1] == ' ')
			before--;
		if (e == i && before > 0 && c->t[before - 1] == ':' && is_digit((unsigned char)c->t[i])) {
			size_t pe = pages_at(c, i); /* "no. 3: 401-19" (Chicago) */
			if (pe > i && !cw_record_has(c->rec, CW_FIELD_PAGE)) {
				set_pages(c, i, pe);
				e = pe;
			}
		}
		if (e == i) {
			/* "(pp. 12-20)" */
			if (c->t[i] == '(') {
				size_t l2 = labelled_at(c, i + 1);
				if (l2 > i + 1) {
					e = l2;
					if (e < c->n && c->t[e] == ')')
						e++;
				}
			}
		}
		if (e == i) {
			/* a year, or a "Place: Publisher" after a container (chapters) */
			size_t ye = year_at(c, i, 0);
			if (ye > i && (ye >= c->n || c->t[ye] == '.' || c->t[ye] == ',' || c->t[ye] == ';' ||
			               c->t[ye] == ' ' || c->t[ye] == ')')) {
				if (!c->has_year && !c->nodate)
					year_at(c, i, 1);
				e = ye;
			} else {
				size_t se;
				size_t n2 = sentence_end(c, i, &se);
				size_t stop = n2;
				for (size_t q = i; q < n2; q++)
					if (c->t[q] == ',' && q + 2 < n2 && is_digit((unsigned char)c->t[q + 2])) {
						stop = q;
						break;
					}
				if (!place_publisher(c, i, stop)) {
					size_t gl = cw__cite_match(c->w, c->t, i, stop, CITE_GENRE | CITE_REPORT, &p);
					if (gl && p->type)
						c->type = p->type;
					if (gl && (p->roles & CITE_GENRE))
						set_span(c, CW_FIELD_GENRE, i, gl, 0);
					else if (gl && (p->roles & CITE_REPORT)) {
						size_t ns = i + gl;
						while (ns < stop && c->t[ns] == ' ')
							ns++;
						set_span(c, CW_FIELD_NUMBER, ns, stop - ns, 0);
					}
				}
				e = stop > i ? stop : i + 1;
			}
		}
		i = e > i ? e : i + 1;
	}
	late_year(c, cs, c->n);
	publisher_not_container(c);
}

/* --- cases and laws ----------------------------------------------------- */

/* The first plausible year at or after i ("; 1988.", "(1973)"): sets it. */
static void year_after(cite *c, size_t i)
{
	for (size_t k = i; k + 4 <= c->n && !c->has_year; k++) {
		size_t e;
		if ((k == 0 || !is_digit((unsigned char)c->t[k - 1])) &&
		    plausible_year(number_at(c, k, 4, 4, &e)))
			year_at(c, k, 1);
	}
}

/*
 * A court case ("Mathews v. United States. 485 U.S. 58, 66; 1988."): the
 * parties joined by a word of the table's versus role, then volume, reporter
 * and first page (a pin cite after a comma is the locator); or a law ("The
 * X Act Pub. L. No. 102-321(July 10, 1992)"): its name before a number with
 * a prefix of the law role, the date after it. 1 when the reference was one.
 */
static int step_legal(cite *c)
{
	split_words(c);
	const cite_phrase *p;
	for (size_t k = 1; k + 1 < c->nw && k < 12; k++) {
		const word *w = &c->wd[k];
		if (cw__cite_match(c->w, c->t, w->off, w->off + w->len, CITE_VERSUS, &p) != w->len ||
		    !upper_at(c, c->wd[k - 1].off) || trail(c, &c->wd[k - 1]) ||
		    !upper_at(c, c->wd[k + 1].off))
			continue;
		/* the name runs to the period or comma before "485 U.S. 58" */
		for (size_t j = k + 1; j + 2 < c->nw && j < k + 12; j++) {
			const word *v = &c->wd[j + 1];
			char tp = trail(c, &c->wd[j]);
			if ((tp != '.' && tp != ',') || !is_digit((unsigned char)c->t[v->off]))
				continue;
			size_t ve = v->off;
			while (ve < v->off + v->len && is_digit((unsigned char)c->t[ve]))
				ve++;
			if (ve != v->off + v->len)
				return 0;
			/* the reporter: up to four words before a number */
			size_t r = j + 2, re = r;
			while (re < c->nw && re < r + 4 && !is_digit((unsigned char)c->t[c->wd[re].off]))
				re++;
			if (re == r || re >= c->nw)
				return 0;
			size_t pe = pages_at(c, c->wd[re].off);
			if (pe == c->wd[re].off)
				return 0;
			set_span(c, CW_FIELD_TITLE, 0, c->wd[j].off + c->wd[j].len - 1, 1);
			set_span(c, CW_FIELD_VOLUME, v->off, v->len, 0);
			set_span(c, CW_FIELD_CONTAINER_TITLE, c->wd[r].off,
			         c->wd[re - 1].off + c->wd[re - 1].len - c->wd[r].off, 1);
			set_pages(c, c->wd[re].off, pe);
			if (pe + 2 < c->n && c->t[pe] == ',' && is_digit((unsigned char)c->t[pe + 2])) {
				size_t le = pages_at(c, pe + 2);
				if (le > pe + 2)
					set_span(c, CW_FIELD_LOCATOR, pe + 2, le - pe - 2, 0);
			}
			year_after(c, pe);
			c->type = CW_TYPE_LEGAL_CASE;
			return 1;
		}
		return 0;
	}
	for (size_t k = 2; k < c->nw && k < 40; k++) {
		size_t l = cw__cite_match(c->w, c->t, c->wd[k].off, c->n, CITE_LAW, &p);
		if (!l)
			continue;
		size_t s = c->wd[k].off + l;
		while (s < c->n && c->t[s] == ' ')
			s++;
		if (s >= c->n || !is_digit((unsigned char)c->t[s]))
			return 0;
		size_t e = s;
		while (e < c->n && (is_digit((unsigned char)c->t[e]) || c->t[e] == '-'))
			e++;
		size_t te = c->wd[k].off;
		while (te > 0 && (c->t[te - 1] == ' ' || c->t[te - 1] == ',' || c->t[te - 1] == '.'))
			te--;
		set_span(c, CW_FIELD_TITLE, 0, te, 0);
		set_str(c, CW_FIELD_NUMBER, c->t + c->wd[k].off, e - c->wd[k].off);
		size_t d = e;
		while (d < c->n && (c->t[d] == ' ' || c->t[d] == '(' || c->t[d] == ','))
			d++;
		cw_date dt = CW_DATE_INIT;
		if (read_date_words(c, d, &dt) > d) {
			c->has_year = 1;
			c->year = dt.year;
			c->year_month = dt.parts > 1 ? dt.month : 0;
			c->year_day = dt.parts > 2 ? dt.day : 0;
		} else {
			year_after(c, e);
		}
		c->type = CW_TYPE_LEGISLATION;
		return 1;
	}
	return 0;
}

/* --- the type ----------------------------------------------------------- */

static int has(const cite *c, enum cw_field f)
{
	return cw_record_has(c->rec, f);
}

static void step_type(cite *c)
{
	if (cw_record_type(c->rec) != CW_TYPE_UNSET || c->rc)
		return;
	enum cw_item_type t;
	if (c->type) {
		t = (enum cw_item_type)c->type;
	} else if (c->container) {
		t = CW_TYPE_CHAPTER;
		const char *ct = cw_record_text(c->rec, CW_FIELD_CONTAINER_TITLE);
		for (size_t i = 0; ct && ct[i]; i++) {
			if (i && ct[i - 1] != ' ')
				continue;
			const cite_phrase *p;
			if (cw__cite_match(c->w, ct, i, strlen(ct), CITE_CONFERENCE, &p)) {
				t = CW_TYPE_PAPER_CONFERENCE;
				break;
			}
		}
	} else if (has(c, CW_FIELD_CONTAINER_TITLE) && c->full_date && !has(c, CW_FIELD_VOLUME) &&
	           !has(c, CW_FIELD_PAGE)) {
		t = CW_TYPE_ARTICLE_NEWSPAPER;
	} else if (has(c, CW_FIELD_CONTAINER_TITLE) &&
	           (has(c, CW_FIELD_VOLUME) || has(c, CW_FIELD_ISSUE) || has(c, CW_FIELD_PAGE) ||
	            has(c, CW_FIELD_ARTICLE_NUMBER))) {
		t = CW_TYPE_ARTICLE_JOURNAL;
	} else if (has(c, CW_FIELD_PUBLISHER) || has(c, CW_FIELD_EDITION) || has(c, CW_FIELD_ISBN)) {
		t = CW_TYPE_BOOK;
	} else if (has(c, CW_FIELD_CONTAINER_TITLE)) {
		t = CW_TYPE_ARTICLE_JOURNAL;
	} else if (has(c, CW_FIELD_URL)) {
		t = CW_TYPE_WEBPAGE;
	} else if (has(c, CW_FIELD_TITLE)) {
		t = CW_TYPE_BOOK;
	} else {
		return;
	}
	if (cw_record_set_type(c->rec, t) == CW_OK)
		c->inferred[0] = 1; /* the type: field 0 stands for it */
}

/* --- the parse ---------------------------------------------------------- */

int cw__cite_parse(const cite_words *w, cw_record *rec, const char *text, size_t len,
                   unsigned char *inferred)
{
	cite c = {.w = w, .rec = rec, .inferred = inferred};
	int rc = normalise(&c, text, len);
	if (rc == CW_OK && c.n) {
		step_number(&c);
		step_note(&c);
		step_identifiers(&c);
		if (!c.rc && step_legal(&c)) {
			set_issued(&c);
			step_type(&c);
			rc = c.rc;
			goto done;
		}
		size_t pos = c.rc ? 0 : step_authors(&c);
		/* the year right after the authors: "(2008).", "2008." */
		while (pos < c.n && c.t[pos] == ' ')
			pos++;
		size_t ye = year_at(&c, pos, 1);
		if (ye > pos) {
			pos = ye;
			while (pos < c.n && (c.t[pos] == '.' || c.t[pos] == ',' || c.t[pos] == ':'))
				pos++;
		}
		if (!c.rc)
			step_title(&c, &pos);
		if (!c.rc)
			step_rest(&c, pos);
		set_issued(&c);
		step_type(&c);
		rc = c.rc;
	}
done:
	free(c.t);
	free(c.ital);
	free(c.wd);
	return rc;
}
