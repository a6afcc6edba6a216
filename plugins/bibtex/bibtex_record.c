/*
 * From a parsed entry to a canonical record: entry type, fields by the
 * mapping table (earlier rows win), names, dates, pages, identifiers, and
 * passthrough for everything the record has no place for.
 */
#include <stdlib.h>
#include <string.h>

#include "bibtex.h"

enum { MAX_FIELDS = 4096 };

typedef struct slot {
	size_t idx; /* field index in the entry */
	int row;    /* mapping row, or -1 */
} slot;

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* 1 if s[0..n) is the lower-case word, ignoring case (most calls end at the first byte) */
static int lower_eq(const char *s, size_t n, const char *word)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (!word[i] || c != word[i])
			return 0;
	}
	return word[n] == '\0';
}

static void trim(const char **s, size_t *n)
{
	while (*n && (is_ws(**s) || **s == '{')) {
		if (**s == '{' && (*s)[*n - 1] != '}')
			break;
		if (**s == '{') {
			(*s)++;
			(*n) -= 2;
			continue;
		}
		(*s)++;
		(*n)--;
	}
	while (*n && is_ws((*s)[*n - 1]))
		(*n)--;
}

/* 1 if the value of f (may be NULL) is word as a plain lower-case ASCII word */
static int field_is(const bibtex_entry *e, const bibtex_fieldv *f, const char *word)
{
	if (!f)
		return 0;
	const char *v = BIBTEX_STR(e, f->value);
	size_t l = f->len;
	trim(&v, &l);
	return lower_eq(v, l, word);
}

/* The value of a field as plain lower-case ASCII word, for eprinttype etc. */
static int value_is(const bibtex_entry *e, const char *name, const char *word)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < e->n; i++)
		if (e->f[i].name_len == n && memcmp(BIBTEX_STR(e, e->f[i].name), name, n) == 0)
			return field_is(e, &e->f[i], word);
	return 0;
}

int bibtex_looks_like_url(const char *q, size_t m)
{
	int url = (m > 5 && memcmp(q, "\\url{", 5) == 0 && q[m - 1] == '}') ||
	          (m > 7 && memcmp(q, "http://", 7) == 0) ||
	          (m > 8 && memcmp(q, "https://", 8) == 0);
	for (size_t i = 0; url && i < m; i++)
		if (is_ws(q[i]) || (q[i] == '\\' && i > 0))
			url = 0; /* "\url{..}" or one bare URL, nothing else */
	return url;
}

static int has_field(const bibtex_entry *e, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < e->n; i++)
		if (e->f[i].name_len == n && memcmp(BIBTEX_STR(e, e->f[i].name), name, n) == 0)
			return 1;
	return 0;
}

static int month_number(const char *s, size_t n)
{
	static const char *const names[12] = {"jan", "feb", "mar", "apr", "may", "jun",
	                                      "jul", "aug", "sep", "oct", "nov", "dec"};
	while (n && is_ws(*s)) {
		s++;
		n--;
	}
	while (n && (is_ws(s[n - 1]) || s[n - 1] == '.'))
		n--;
	if (!n)
		return 0;
	if (s[0] >= '0' && s[0] <= '9') {
		int v = 0;
		for (size_t i = 0; i < n; i++) {
			if (s[i] < '0' || s[i] > '9' || v > 100)
				return 0;
			v = v * 10 + (s[i] - '0');
		}
		return v >= 1 && v <= 12 ? v : 0;
	}
	if (n < 3)
		return 0;
	static const char *const full[12] = {"january",   "february", "march",    "april",
	                                     "may",       "june",     "july",     "august",
	                                     "september", "october",  "november", "december"};
	for (int m = 0; m < 12; m++) {
		if (lower_eq(s, n, full[m]) || lower_eq(s, n, names[m]))
			return m + 1;
		if (n == 4 && m == 8 && lower_eq(s, n, "sept"))
			return 9;
	}
	return 0;
}

/* A year or a year range "1990", "1990--1992", "1990/1992". */
static int parse_year(const char *s, size_t n, cw_date *d)
{
	while (n && is_ws(*s)) {
		s++;
		n--;
	}
	while (n && is_ws(s[n - 1]))
		n--;
	size_t i = 0;
	int neg = 0;
	if (i < n && s[i] == '-') {
		neg = 1;
		i++;
	}
	size_t st = i;
	int32_t y = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 6)
		y = y * 10 + (s[i++] - '0');
	if (i == st)
		return 0;
	d->year = neg ? -y : y;
	d->parts = 1;
	if (i == n)
		return 1;
	/* a range */
	size_t j = i;
	while (j < n && (s[j] == '-' || s[j] == '/' || is_ws(s[j])))
		j++;
	if (j == i || j == n)
		return 0;
	int32_t y2 = 0;
	size_t st2 = j;
	while (j < n && s[j] >= '0' && s[j] <= '9' && j - st2 < 6)
		y2 = y2 * 10 + (s[j++] - '0');
	if (j != n || j == st2)
		return 0;
	d->end_year = y2;
	d->end_parts = 1;
	return 1;
}

typedef struct datebits {
	const bibtex_fieldv *year, *month, *day, *date;
} datebits;

/* Adds a passthrough field holding the raw value. */
static int passthrough(cw_record *rec, const bibtex_entry *e, const bibtex_fieldv *f)
{
	return cw_record_add_passthrough(rec, BIBTEX_PASSTHROUGH, BIBTEX_STR(e, f->name),
	                                 BIBTEX_STR(e, f->value), f->len);
}

static int set_text_checked(bibtex_ctx *c, cw_record *rec, enum cw_field fld, const char *s,
                            size_t n, const bibtex_fieldv *f, int *replaced)
{
	int rc = cw_record_set_text(rec, fld, s, n);
	if (rc == CW_REPLACED) {
		if (!*replaced)
			cw_diag_emit(c->s, CW_SEV_WARNING, CW_OK, f->line, f->col,
			             "invalid UTF-8 or control bytes replaced");
		*replaced = 1;
		rc = CW_OK;
	}
	return rc;
}

/* Verbatim fields: \url{} unwrapped, escaped specials unescaped. */
static int verbatim(cw_buf *out, const char *s, size_t n)
{
	trim(&s, &n);
	if (n > 5 && memcmp(s, "\\url{", 5) == 0 && s[n - 1] == '}') {
		s += 5;
		n -= 6;
	}
	/* copied in runs: a backslash before a special and line breaks and tabs are left out */
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int escape = c == '\\' && i + 1 < n && strchr("_%&#$~{}", s[i + 1]);
		if (!escape && c != '\n' && c != '\r' && c != '\t')
			continue;
		if (cw_buf_append(out, s + from, i - from))
			return CW_ENOMEM;
		from = i + 1;
		if (escape)
			i++; /* the special itself starts the next run */
	}
	return cw_buf_append(out, s + from, n - from);
}

static int is_article_type(enum cw_item_type t)
{
	return t == CW_TYPE_ARTICLE_JOURNAL || t == CW_TYPE_ARTICLE_MAGAZINE ||
	       t == CW_TYPE_ARTICLE_NEWSPAPER || t == CW_TYPE_ARTICLE || t == CW_TYPE_PERIODICAL ||
	       t == CW_TYPE_REVIEW || t == CW_TYPE_REVIEW_BOOK;
}

static int is_numbered_type(enum cw_item_type t)
{
	return t == CW_TYPE_REPORT || t == CW_TYPE_PATENT || t == CW_TYPE_STANDARD ||
	       t == CW_TYPE_LEGISLATION || t == CW_TYPE_BILL || t == CW_TYPE_REGULATION ||
	       t == CW_TYPE_LEGAL_CASE || t == CW_TYPE_TREATY || t == CW_TYPE_SOFTWARE ||
	       t == CW_TYPE_DATASET;
}

static int build_issued(bibtex_ctx *c, cw_record *rec, const bibtex_entry *e, const datebits *db)
{
	cw_buf *t = &c->tmp;
	cw_date d = CW_DATE_INIT;
	int rc = CW_OK;
	int have = 0;
	if (db->date) {
		cw_buf_clear(t);
		bibtex_latex_decode(c->lx, t, BIBTEX_STR(e, db->date->value), db->date->len,
		                    BIBTEX_LATEX_PLAIN, db->date->line, db->date->col);
		if (cw_date_parse_iso(&d, cw_buf_str(t), t->len) == CW_OK) {
			have = 1;
		} else {
			cw_diag_emit(c->s, CW_SEV_WARNING, CW_OK, db->date->line, db->date->col,
			             "date '%s' is not an ISO 8601/EDTF date; kept as literal text",
			             cw_buf_str(t));
			d.literal = cw_buf_str(t);
			d.extra_format = BIBTEX_PASSTHROUGH; /* where the literal came from */
			d.extra = "date";
			have = 1;
		}
		/* year/month agreeing with date are redundant; others are kept */
		if (db->year) {
			cw_date y = CW_DATE_INIT;
			if (!(parse_year(BIBTEX_STR(e, db->year->value), db->year->len, &y) &&
			      d.parts && y.year == d.year))
				rc = passthrough(rec, e, db->year);
		}
		if (db->month && rc == CW_OK) {
			int m = month_number(BIBTEX_STR(e, db->month->value), db->month->len);
			if (!(m && d.parts >= 2 && m == d.month))
				rc = passthrough(rec, e, db->month);
		}
		if (db->day && rc == CW_OK)
			rc = passthrough(rec, e, db->day);
	} else if (db->year) {
		cw_date yd = CW_DATE_INIT;
		int ok = parse_year(BIBTEX_STR(e, db->year->value), db->year->len, &yd);
		if (!ok) {
			/* "{\noopsort{a}}1973": the year after LaTeX */
			cw_buf_clear(t);
			bibtex_latex_decode(c->lx, t, BIBTEX_STR(e, db->year->value), db->year->len,
			                    BIBTEX_LATEX_PLAIN, db->year->line, db->year->col);
			yd = (cw_date)CW_DATE_INIT;
			ok = parse_year(cw_buf_str(t), t->len, &yd);
			if (!ok)
				yd = (cw_date)CW_DATE_INIT;
		}
		if (ok) {
			d = yd;
			have = 1;
			if (db->month && !d.end_parts) {
				int m =
				    month_number(BIBTEX_STR(e, db->month->value), db->month->len);
				if (m) {
					d.month = m;
					d.parts = 2;
					if (db->day) {
						int dd = 0;
						const char *s = BIBTEX_STR(e, db->day->value);
						size_t n = db->day->len;
						trim(&s, &n);
						size_t i = 0;
						while (i < n && s[i] >= '0' && s[i] <= '9' &&
						       dd < 100)
							dd = dd * 10 + (s[i++] - '0');
						if (i == n && dd >= 1 && dd <= 31) {
							d.day = dd;
							d.parts = 3;
						} else {
							rc = passthrough(rec, e, db->day);
						}
					}
				} else {
					rc = passthrough(rec, e, db->month);
					if (db->day && rc == CW_OK)
						rc = passthrough(rec, e, db->day);
				}
			} else {
				if (db->month)
					rc = passthrough(rec, e, db->month);
				if (db->day && rc == CW_OK)
					rc = passthrough(rec, e, db->day);
			}
		} else {
			cw_buf_clear(t);
			bibtex_latex_decode(c->lx, t, BIBTEX_STR(e, db->year->value), db->year->len,
			                    BIBTEX_LATEX_PLAIN, db->year->line, db->year->col);
			d.literal = cw_buf_str(t);
			d.extra_format = BIBTEX_PASSTHROUGH;
			d.extra = "year";
			have = t->len > 0;
			if (db->month)
				rc = passthrough(rec, e, db->month);
			if (db->day && rc == CW_OK)
				rc = passthrough(rec, e, db->day);
		}
	} else {
		if (db->month)
			rc = passthrough(rec, e, db->month);
		if (db->day && rc == CW_OK)
			rc = passthrough(rec, e, db->day);
	}
	if (have && rc == CW_OK)
		rc = cw_record_set_date(rec, CW_FIELD_ISSUED, &d);
	return rc;
}

static int cmp_slot(const void *a, const void *b)
{
	const slot *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Strips "https://doi.org/", "doi:" and the like. */
static void doi_strip(const char **s, size_t *n)
{
	static const char *const prefixes[] = {"https://doi.org/",
	                                       "http://doi.org/",
	                                       "https://dx.doi.org/",
	                                       "http://dx.doi.org/",
	                                       "doi.org/",
	                                       "doi:",
	                                       "doi: "};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		size_t l = strlen(prefixes[i]);
		if (*n >= l) {
			int eq = 1;
			for (size_t k = 0; k < l && eq; k++) {
				char ch = (*s)[k];
				if (ch >= 'A' && ch <= 'Z')
					ch = (char)(ch + 32);
				eq = ch == prefixes[i][k];
			}
			if (eq) {
				*s += l;
				*n -= l;
				while (*n && **s == ' ') {
					(*s)++;
					(*n)--;
				}
				return;
			}
		}
	}
}

/* arxiv: the entry's eprinttype or archiveprefix says arXiv */
static int convert_field(bibtex_ctx *c, cw_record *rec, const bibtex_entry *e,
                         const bibtex_fieldv *f, const bibtex_field_row *row, int arxiv,
                         datebits *db, int *replaced)
{
	const char *v = BIBTEX_STR(e, f->value);
	size_t n = f->len;
	cw_buf *t = &c->tmp;
	enum cw_field fld = row->field;
	enum cw_item_type type = cw_record_type(rec);
	if (row->bib_len == 12 && memcmp(row->bib, "howpublished", 12) == 0 &&
	    !has_field(e, "url")) {
		/* howpublished = {\url{...}} or a bare URL: the item's URL (as pandoc does) */
		const char *q = v;
		size_t m = n;
		trim(&q, &m);
		if (bibtex_looks_like_url(q, m)) {
			if (cw_record_has(rec, CW_FIELD_URL))
				return passthrough(rec, e, f);
			cw_buf_clear(t);
			int rc = verbatim(t, v, n);
			if (rc == CW_OK && t->len)
				rc = set_text_checked(c, rec, CW_FIELD_URL, t->data, t->len, f,
				                      replaced);
			return rc;
		}
	}
	switch (row->conv) {
	case BIBTEX_CONV_YEAR:
		if (!db->year)
			db->year = f;
		return CW_OK;
	case BIBTEX_CONV_MONTH:
		if (!db->month)
			db->month = f;
		return CW_OK;
	case BIBTEX_CONV_DAY:
		if (!db->day)
			db->day = f;
		return CW_OK;
	case BIBTEX_CONV_DATE:
		if (fld == CW_FIELD_ISSUED) {
			if (!db->date)
				db->date = f;
			return CW_OK;
		}
		if (cw_record_has(rec, fld))
			return passthrough(rec, e, f);
		{
			cw_date d = CW_DATE_INIT;
			cw_buf_clear(t);
			bibtex_latex_decode(c->lx, t, v, n, BIBTEX_LATEX_PLAIN, f->line, f->col);
			if (cw_date_parse_iso(&d, cw_buf_str(t), t->len) != CW_OK) {
				cw_diag_emit(
				    c->s, CW_SEV_WARNING, CW_OK, f->line, f->col,
				    "%s '%s' is not an ISO 8601/EDTF date; kept as literal text",
				    BIBTEX_STR(e, f->name), cw_buf_str(t));
				d.literal = cw_buf_str(t);
			}
			if (!t->len)
				return CW_OK;
			return cw_record_set_date(rec, fld, &d);
		}
	case BIBTEX_CONV_NAMES:
		if (cw_record_has(rec, fld))
			return passthrough(rec, e, f);
		return bibtex_names_read(c->lx, rec, fld, v, n,
		                         c->lim->max_names ? c->lim->max_names : 10000, f->line,
		                         f->col);
	case BIBTEX_CONV_NUMBER:
		fld = is_article_type(type)    ? CW_FIELD_ISSUE
		      : is_numbered_type(type) ? CW_FIELD_NUMBER
		                               : CW_FIELD_COLLECTION_NUMBER;
		break;
	case BIBTEX_CONV_EPRINT:
		if (!arxiv)
			return passthrough(rec, e, f);
		break;
	default:
		break;
	}
	if (cw_record_has(rec, fld))
		return passthrough(rec, e, f);
	cw_buf_clear(t);
	int rc = CW_OK;
	switch (row->conv) {
	case BIBTEX_CONV_RICH:
		rc = bibtex_latex_decode(c->lx, t, v, n, BIBTEX_LATEX_RICH, f->line, f->col);
		break;
	case BIBTEX_CONV_VERBATIM:
	case BIBTEX_CONV_EPRINT:
		rc = verbatim(t, v, n);
		break;
	case BIBTEX_CONV_DOI: {
		cw_buf *t2 = &c->tmp2;
		cw_buf_clear(t2);
		rc = verbatim(t2, v, n);
		const char *s = cw_buf_str(t2);
		size_t l = t2->len;
		doi_strip(&s, &l);
		if (rc == CW_OK)
			rc = cw_buf_append(t, s, l);
		break;
	}
	case BIBTEX_CONV_PAGES: {
		cw_buf *t2 = &c->tmp2;
		cw_buf_clear(t2);
		rc = bibtex_latex_decode(c->lx, t2, v, n, BIBTEX_LATEX_PLAIN, f->line, f->col);
		/* page ranges: en dash (from "--") becomes a hyphen, as CSL writes them,
		 * unless the pages have hyphens of their own ("M-1--M-4") */
		const char *s = cw_buf_str(t2);
		if (rc == CW_OK && memchr(s, '-', t2->len)) {
			rc = cw_buf_append(t, s, t2->len);
			break;
		}
		size_t from = 0;
		for (size_t i = 0; i < t2->len && rc == CW_OK; i++) {
			if ((unsigned char)s[i] == 0xE2 && i + 2 < t2->len &&
			    (unsigned char)s[i + 1] == 0x80 &&
			    ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94)) {
				rc = cw_buf_append(t, s + from, i - from);
				if (rc == CW_OK)
					rc = cw_buf_putc(t, '-');
				i += 2;
				from = i + 1;
			}
		}
		if (rc == CW_OK)
			rc = cw_buf_append(t, s + from, t2->len - from);
		break;
	}
	case BIBTEX_CONV_ISBN:
	case BIBTEX_CONV_ISSN: {
		cw_buf *t2 = &c->tmp2;
		cw_buf_clear(t2);
		rc = bibtex_latex_decode(c->lx, t2, v, n, BIBTEX_LATEX_PLAIN, f->line, f->col);
		const char *s = cw_buf_str(t2);
		size_t l = t2->len;
		if (l > 4 && (lower_eq(s, 4, "isbn") || lower_eq(s, 4, "issn"))) {
			s += 4;
			l -= 4;
			while (l && (*s == ':' || *s == ' ')) {
				s++;
				l--;
			}
		}
		for (size_t i = 0; i < l && rc == CW_OK; i++)
			rc = cw_buf_putc(t, s[i] == 'x' ? 'X' : s[i]);
		break;
	}
	case BIBTEX_CONV_LIST:
		rc = bibtex_latex_decode(c->lx, t, v, n, BIBTEX_LATEX_PLAIN, f->line, f->col);
		if (rc == CW_OK && t->len) {
			rc = cw_record_add_words(rec, fld, t->data, t->len);
			if (rc == CW_REPLACED) {
				*replaced = 1;
				rc = CW_OK;
			}
		}
		return rc;
	default:
		rc = bibtex_latex_decode(c->lx, t, v, n, BIBTEX_LATEX_PLAIN, f->line, f->col);
		break;
	}
	if (rc)
		return rc;
	if (!t->len)
		return CW_OK;
	return set_text_checked(c, rec, fld, t->data, t->len, f, replaced);
}

static const char *thesis_genre(const char *s, size_t n)
{
	if (lower_eq(s, n, "phdthesis"))
		return "PhD thesis";
	if (lower_eq(s, n, "mathesis") || lower_eq(s, n, "mastersthesis"))
		return "Master's thesis";
	return NULL;
}

/* --- titles and containers ---------------------------------------------- */

/*
 * Where each title group goes (bibtex_title_names): the entry's own title,
 * its book's, its multi-volume work's, its journal's. TITLE_KEEP: kept as the
 * fields.
 */
enum { TITLE_KEEP = -1, TITLE_TITLE = 0, TITLE_CONTAINER, TITLE_VOLUME };

typedef struct title_plan {
	signed char dest[BIBTEX_TITLE_GROUPS];
} title_plan;

static const enum cw_field title_dest[3][3] = {
    {CW_FIELD_TITLE, CW_FIELD_SUBTITLE, CW_FIELD_TITLE_ADDON},
    {CW_FIELD_CONTAINER_TITLE, CW_FIELD_CONTAINER_SUBTITLE, CW_FIELD_CONTAINER_TITLE_ADDON},
    {CW_FIELD_VOLUME_TITLE, CW_FIELD_VOLUME_SUBTITLE, CW_FIELD_VOLUME_TITLE_ADDON},
};

/*
 * The group and part of a title field read by row (name: its name), or 0.
 * The row's canonical field gives the part, the name's first letter the
 * group (book, main, journal), one comparison confirms it.
 */
static int title_field(const bibtex_field_row *row, const char *name, size_t n, int *group,
                       int *part)
{
	switch (row->field) {
	case CW_FIELD_TITLE:
	case CW_FIELD_CONTAINER_TITLE:
		*part = 0;
		break;
	case CW_FIELD_SUBTITLE:
	case CW_FIELD_CONTAINER_SUBTITLE:
		*part = 1;
		break;
	case CW_FIELD_TITLE_ADDON:
	case CW_FIELD_CONTAINER_TITLE_ADDON:
		*part = 2;
		break;
	default:
		return 0;
	}
	if (row->field == CW_FIELD_TITLE || row->field == CW_FIELD_SUBTITLE ||
	    row->field == CW_FIELD_TITLE_ADDON)
		*group = BIBTEX_TITLE_OWN;
	else if (n && name[0] == 'b')
		*group = BIBTEX_TITLE_BOOK;
	else if (n && name[0] == 'm')
		*group = BIBTEX_TITLE_MAIN;
	else if (n && name[0] == 'j')
		*group = BIBTEX_TITLE_JOURNAL;
	else
		return 0;
	if (*group == BIBTEX_TITLE_JOURNAL && *part == 0 && n == 7 &&
	    memcmp(name, "journal", 7) == 0)
		return 1; /* BibTeX's name of journaltitle */
	const char *want = bibtex_title_names[*group][*part];
	return strncmp(want, name, n) == 0 && want[n] == '\0';
}

/*
 * Appends the text of a title group (title, subtitle, addon) folded for
 * comparison: ASCII letters lower-cased, digits and non-ASCII kept, the rest
 * (spaces, punctuation, markup) dropped.
 */
static void title_key(bibtex_ctx *c, const bibtex_entry *e, const bibtex_fieldv *const part[3],
                      cw_buf *out)
{
	for (int p = 0; p < 3; p++) {
		if (!part[p])
			continue;
		cw_buf *t = &c->tmp2;
		cw_buf_clear(t);
		bibtex_latex_decode(c->lx, t, BIBTEX_STR(e, part[p]->value), part[p]->len,
		                    BIBTEX_LATEX_PLAIN, part[p]->line, part[p]->col);
		for (size_t i = 0; i < t->len; i++) {
			unsigned char ch = (unsigned char)t->data[i];
			if (ch >= 'A' && ch <= 'Z')
				cw_buf_putc(out, (char)(ch + 32));
			else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch >= 0x80)
				cw_buf_putc(out, (char)ch);
		}
	}
}

/*
 * Decides where the title groups of e go. A whole work (not a chapter,
 * paper or article) with maintitle is a volume of that work: maintitle is
 * its title and its own title the volume's (as biblatex and pandoc read
 * it). The container is the first of journal, booktitle and maintitle the
 * entry has (a part with booktitle keeps its maintitle as the field, as
 * biblatex-csl-converter and Zotero read booktitle as the container); a
 * whole work whose container title repeats its title has none.
 */
static void titles_plan(bibtex_ctx *c, const bibtex_entry *e, const char *type,
                        enum cw_item_type it, title_plan *tp)
{
	const bibtex_fieldv *fv[BIBTEX_TITLE_GROUPS][3] = {{0}};
	for (size_t i = 0; i < e->n; i++) {
		int g, p;
		if (e->f[i].row >= 0 &&
		    title_field(&c->map->fields[e->f[i].row], BIBTEX_STR(e, e->f[i].name),
		                e->f[i].name_len, &g, &p) &&
		    !fv[g][p])
			fv[g][p] = &e->f[i];
	}
	int part = bibtex_is_part(it, type);
	for (int g = 0; g < BIBTEX_TITLE_GROUPS; g++)
		tp->dest[g] = TITLE_KEEP;
	tp->dest[BIBTEX_TITLE_OWN] = TITLE_TITLE;
	if (!part && fv[BIBTEX_TITLE_MAIN][0]) {
		tp->dest[BIBTEX_TITLE_MAIN] = TITLE_TITLE;
		tp->dest[BIBTEX_TITLE_OWN] = TITLE_VOLUME;
	}
	static const int order[] = {BIBTEX_TITLE_JOURNAL, BIBTEX_TITLE_BOOK, BIBTEX_TITLE_MAIN};
	int cont = -1;
	for (size_t k = 0; k < 3 && cont < 0; k++)
		if (fv[order[k]][0] && tp->dest[order[k]] == TITLE_KEEP)
			cont = order[k];
	if (cont < 0)
		return;
	tp->dest[cont] = TITLE_CONTAINER;
	if (part)
		return;
	cw_buf a = CW_BUF_INIT, b = CW_BUF_INIT;
	title_key(c, e, fv[cont], &a);
	for (int g = BIBTEX_TITLE_OWN; g <= BIBTEX_TITLE_MAIN && tp->dest[cont] != TITLE_KEEP;
	     g += BIBTEX_TITLE_MAIN - BIBTEX_TITLE_OWN) {
		if (!fv[g][0])
			continue;
		cw_buf_clear(&b);
		title_key(c, e, fv[g], &b);
		if (a.len && a.len == b.len && memcmp(a.data, b.data, a.len) == 0)
			tp->dest[cont] = TITLE_KEEP; /* "T. (1986). In J. Miller (Ed.), T" */
	}
	cw_buf_free(&a);
	cw_buf_free(&b);
}

/*
 * The row a title field is read by under the plan: *moved (row with its
 * canonical field changed) or NULL when the field is kept as it is. Other
 * fields: row itself.
 */
static const bibtex_field_row *title_row(const title_plan *tp, const bibtex_entry *e,
                                         const bibtex_fieldv *f, const bibtex_field_row *row,
                                         bibtex_field_row *moved)
{
	int g, p;
	if (!title_field(row, BIBTEX_STR(e, f->name), f->name_len, &g, &p))
		return row;
	if (tp->dest[g] == TITLE_KEEP)
		return NULL;
	*moved = *row;
	moved->field = title_dest[tp->dest[g]][p];
	moved->conv = BIBTEX_CONV_RICH;
	return moved;
}

/* Canonical fields whose BibTeX name the writers choose (several names read into them). */
static const enum cw_field named_fields[] = {CW_FIELD_TITLE,
                                             CW_FIELD_SUBTITLE,
                                             CW_FIELD_TITLE_ADDON,
                                             CW_FIELD_CONTAINER_TITLE,
                                             CW_FIELD_CONTAINER_SUBTITLE,
                                             CW_FIELD_CONTAINER_TITLE_ADDON,
                                             CW_FIELD_PUBLISHER,
                                             CW_FIELD_LANGUAGE,
                                             CW_FIELD_ISSUE,
                                             CW_FIELD_CALL_NUMBER,
                                             CW_FIELD_CONTAINER_TITLE_SHORT};

/*
 * Keeps, as the passthrough field BIBTEX_SOURCEFIELDS ("publisher=organization;
 * ..."), the names of the fields a record's values came from where the
 * BibLaTeX writer would choose another name (biber's aliases apart), so that
 * BibLaTeX -> BibLaTeX gives the same fields back. src: the name each
 * canonical field was read from (NULL: not read).
 */
static int named_field(enum cw_field f)
{
	for (size_t k = 0; k < sizeof named_fields / sizeof named_fields[0]; k++)
		if (named_fields[k] == f)
			return 1;
	return 0;
}

static int source_names(bibtex_ctx *c, cw_record *rec, const char *const *src)
{
	const char *type = NULL;
	cw_buf *t = &c->tmp;
	cw_buf_clear(t);
	for (size_t k = 0; k < sizeof named_fields / sizeof named_fields[0]; k++) {
		enum cw_field f = named_fields[k];
		if (!src[f])
			continue;
		if (f == CW_FIELD_TITLE && strcmp(src[f], "title") == 0 &&
		    !cw_record_has(rec, CW_FIELD_VOLUME_TITLE))
			continue; /* the common case, in both writers */
		if (!type)
			type = bibtex_write_type(c->map, rec, BIBTEX_DIALECT_BIBLATEX);
		const char *d = bibtex_out_name(c->map, BIBTEX_DIALECT_BIBLATEX, rec, type, f);
		if (d && bibtex_same_field(d, src[f]))
			continue;
		cw_buf_printf(t, "%s%s=%s", t->len ? ";" : "", cw_field_name(f), src[f]);
	}
	if (!t->len)
		return CW_OK;
	return cw_record_add_passthrough(rec, BIBTEX_PASSTHROUGH, BIBTEX_SOURCEFIELDS, t->data,
	                                 t->len);
}

int bibtex_entry_to_record(bibtex_ctx *c, const bibtex_entry *e, cw_record **out)
{
	*out = NULL;
	cw_record *rec = NULL;
	int rc = cw_record_new(&rec);
	if (rc)
		return rc;
	slot stack[64];
	slot *slots = e->n <= 64 ? stack : malloc(e->n * sizeof *slots);
	if (!slots) {
		cw_record_free(rec);
		return CW_ENOMEM;
	}
	int replaced = 0;
	cw_record_set_origin(rec, e->line, e->col);
	if (e->key_len) {
		rc = cw_record_set_text(rec, CW_FIELD_ID, BIBTEX_STR(e, e->key), e->key_len);
		if (rc >= 0)
			rc = cw_record_set_text(rec, CW_FIELD_CITATION_KEY, BIBTEX_STR(e, e->key),
			                        e->key_len);
		if (rc > 0)
			rc = CW_OK;
	}
	const char *type = BIBTEX_STR(e, e->type);
	const bibtex_type_row *tr = bibtex_map_type_in(c->map, type, e->type_len);
	enum cw_item_type it = tr ? tr->csl : CW_TYPE_DOCUMENT;
	const char *used_subtype = NULL;
	if (it == CW_TYPE_ARTICLE_JOURNAL && strcmp(type, "article") == 0) {
		if (value_is(e, "entrysubtype", "magazine")) {
			it = CW_TYPE_ARTICLE_MAGAZINE;
			used_subtype = "entrysubtype";
		} else if (value_is(e, "entrysubtype", "newspaper")) {
			it = CW_TYPE_ARTICLE_NEWSPAPER;
			used_subtype = "entrysubtype";
		}
	}
	if (rc == CW_OK)
		rc = cw_record_set_type(rec, it);
	if (!tr && rc == CW_OK)
		cw_diag_emit(c->s, CW_SEV_NOTE, CW_OK, e->line, e->col,
		             "unknown entry type @%s read as %s", type, cw_item_type_name(it));
	/* one pass for the fields that decide how others are read */
	int has_eprint = 0;
	const bibtex_fieldv *eprinttype = NULL, *archiveprefix = NULL;
	for (size_t i = 0; i < e->n; i++) {
		const char *name = BIBTEX_STR(e, e->f[i].name);
		size_t nl = e->f[i].name_len;
		slots[i].idx = i;
		slots[i].row = e->f[i].row;
		if (nl == 6 && memcmp(name, "eprint", 6) == 0)
			has_eprint = 1;
		else if (nl == 10 && !eprinttype && memcmp(name, "eprinttype", 10) == 0)
			eprinttype = &e->f[i];
		else if (nl == 13 && !archiveprefix && memcmp(name, "archiveprefix", 13) == 0)
			archiveprefix = &e->f[i];
	}
	int arxiv = field_is(e, eprinttype, "arxiv") || field_is(e, archiveprefix, "arxiv");
	if (e->n <= 64) {
		/* a handful of fields: insertion sort, far cheaper than qsort's setup */
		for (size_t i = 1; i < e->n; i++) {
			slot x = slots[i];
			size_t j = i;
			for (; j > 0 && cmp_slot(&slots[j - 1], &x) > 0; j--)
				slots[j] = slots[j - 1];
			slots[j] = x;
		}
	} else {
		qsort(slots, e->n, sizeof *slots, cmp_slot);
	}
	datebits db = {0};
	title_plan tp;
	titles_plan(c, e, type, it, &tp);
	const char *src[CW_FIELD_COUNT_] = {0}; /* the field each value was read from */
	/* mapped fields first, by row; then passthrough in file order */
	for (size_t k = 0; k < e->n && rc >= 0; k++) {
		const bibtex_fieldv *f = &e->f[slots[k].idx];
		const char *name = BIBTEX_STR(e, f->name);
		if (slots[k].row < 0) {
			if (used_subtype && strcmp(name, used_subtype) == 0)
				continue;
			if (strcmp(name, "xdata") == 0)
				continue; /* resolved into the fields; xdata entries are not items
				           */
			if (arxiv && has_eprint &&
			    (strcmp(name, "eprinttype") == 0 || strcmp(name, "archiveprefix") == 0))
				continue;
			rc = passthrough(rec, e, f);
			continue;
		}
		const bibtex_field_row *row = &c->map->fields[slots[k].row];
		const char *v = BIBTEX_STR(e, f->value);
		size_t vl = f->len;
		while (vl && is_ws(*v)) {
			v++;
			vl--;
		}
		if (!vl) {
			/* an empty field still blocks inheritance: kept as it is */
			rc = passthrough(rec, e, f);
			continue;
		}
		/* title fields go where the entry's titles plan says */
		bibtex_field_row moved;
		row = title_row(&tp, e, f, row, &moved);
		if (!row) {
			rc = passthrough(rec, e, f);
			continue;
		}
		int track =
		    named_field(row->field) && !src[row->field] && !cw_record_has(rec, row->field);
		rc = convert_field(c, rec, e, f, row, arxiv, &db, &replaced);
		if (track && cw_record_has(rec, row->field))
			src[row->field] = name;
	}
	if (rc >= 0)
		rc = build_issued(c, rec, e, &db);
	if (rc >= 0 && it == CW_TYPE_THESIS) {
		/* thesis kinds as a genre */
		const char *g = cw_record_text(rec, CW_FIELD_GENRE);
		const char *ng = g ? thesis_genre(g, strlen(g)) : NULL;
		if (!g && strcmp(type, "phdthesis") == 0)
			ng = "PhD thesis";
		else if (!g && strcmp(type, "mastersthesis") == 0)
			ng = "Master's thesis";
		if (ng)
			rc = cw_record_set_text(rec, CW_FIELD_GENRE, ng, CW_NUL);
	}
	if (rc >= 0) {
		/* keep the entry type when the BibLaTeX writer would not give it back (biber
		 * reads @techreport as @report with type techreport); what classic BibTeX
		 * would not give back is BibLaTeX's own, and it reports that */
		const char *w1 = bibtex_type_out(c->map, rec, BIBTEX_DIALECT_BIBLATEX);
		if (strcmp(w1, type) != 0)
			rc = cw_record_add_passthrough(rec, BIBTEX_PASSTHROUGH, "entrytype", type,
			                               e->type_len);
	}
	if (rc >= 0)
		rc = source_names(c, rec, src);
	if (slots != stack)
		free(slots);
	if (rc < 0) {
		cw_record_free(rec);
		return rc == CW_ENOMEM ? rc : CW_ERECORD;
	}
	*out = rec;
	return CW_OK;
}
