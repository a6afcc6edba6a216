/*
 * From a parsed entry to a canonical record: entry type, fields by the
 * mapping table (earlier rows win), names, dates, pages, identifiers, and
 * passthrough for everything the record has no place for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bibtex.h"

enum { MAX_FIELDS = 4096 };

/* what an entry's eprint is, by its eprinttype (or archiveprefix) */
enum { EPRINT_ARXIV = 1, EPRINT_PUBMED = 2 };

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

/* A month field as people write it: a month or a range of months, each with a day or not. */
typedef struct month_value {
	int m1, d1, m2, d2; /* 0 when absent; m2 is set for a range */
} month_value;

enum { MV_MONTH = 1, MV_NUMBER, MV_SEP };

/*
 * Reads the decoded month field s[0..n): "aug", "8", "August 13", "13 Aug",
 * "OCT 1", "July 30th", "September/October", "Apr-May", "Nov, Dec",
 * "September 22 - 26", "Sep 30 - Oct 2", "Spring". 0 if it is none of these.
 */
static int month_parse(const char *s, size_t n, month_value *out)
{
	int kind[8], val[8];
	size_t nt = 0;
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (is_ws((char)c) || c == '.') {
			i++;
			continue;
		}
		if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
			i += 2; /* no-break space (~) */
			continue;
		}
		int k, v = 0;
		if (c == '-' || c == '/' || c == ',' || c == '&') {
			k = MV_SEP;
			i++;
		} else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		           ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94)) {
			k = MV_SEP; /* en or em dash (from -- and ---) */
			i += 3;
		} else if (c >= '0' && c <= '9') {
			k = MV_NUMBER;
			size_t st = i;
			while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 4)
				v = v * 10 + (s[i++] - '0');
			if (i < n && s[i] >= '0' && s[i] <= '9')
				return 0;
			/* an ordinal suffix: 1st, 2nd, 3rd, 30th */
			size_t w = i;
			while (w < n && ((s[w] | 0x20) >= 'a' && (s[w] | 0x20) <= 'z'))
				w++;
			if (w > i &&
			    !(w - i == 2 && (lower_eq(s + i, 2, "st") || lower_eq(s + i, 2, "nd") ||
			                     lower_eq(s + i, 2, "rd") || lower_eq(s + i, 2, "th"))))
				return 0;
			i = w;
		} else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
			size_t st = i;
			while (i < n && ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
				i++;
			if (lower_eq(s + st, i - st, "to") || lower_eq(s + st, i - st, "and")) {
				k = MV_SEP;
			} else {
				k = MV_MONTH;
				v = cw_month_from_name(s + st, i - st);
				if (!v)
					return 0;
			}
		} else {
			return 0;
		}
		if (k == MV_SEP && nt && kind[nt - 1] == MV_SEP)
			continue; /* "--", " - " */
		if (nt == sizeof kind / sizeof kind[0])
			return 0;
		kind[nt] = k;
		val[nt++] = v;
	}
	/* one or two groups, each a month, a number, or a month and a day in either order */
	int m[2] = {0, 0}, d[2] = {0, 0}, num[2] = {0, 0};
	int g = 0, in_group = 0;
	for (size_t t = 0; t < nt; t++) {
		if (kind[t] == MV_SEP) {
			if (!in_group || g == 1)
				return 0;
			g = 1;
			in_group = 0;
			continue;
		}
		if (in_group == 2)
			return 0;
		in_group++;
		if (kind[t] == MV_MONTH) {
			if (m[g])
				return 0;
			m[g] = val[t];
		} else {
			if (num[g])
				return 0;
			num[g] = val[t];
		}
	}
	if (!in_group)
		return 0; /* empty, or ends in a separator */
	for (int k = 0; k <= g; k++) {
		if (m[k] && num[k]) {
			d[k] = num[k]; /* "Aug 13", "13 Aug" */
		} else if (num[k]) {
			/* a number alone: the day of a range within one month ("Sep 22-26"), else a
			 * month */
			if (k == 1 && d[0])
				d[1] = num[1];
			else
				m[k] = num[k];
		}
		if (k == 1 && !m[1])
			m[1] = m[0];
		if (m[k] < 1 || (m[k] > 12 && m[k] < 21) || m[k] > 24)
			return 0;
		if (d[k] && (d[k] > 31 || m[k] > 12))
			return 0;
	}
	if (g == 1 && (!d[0]) != (!d[1]))
		d[0] = d[1] = 0; /* "Sep 30 - Oct": months only */
	if (g == 1 && m[0] == m[1] && d[0] == d[1])
		g = 0; /* "Aug/Aug" */
	if (g == 1 && ((m[0] > 12) != (m[1] > 12) || (m[0] == m[1] && d[1] < d[0])))
		return 0; /* a month to a season, "Sep 26-22" */
	*out = (month_value){m[0], d[0], g ? m[1] : 0, g ? d[1] : 0};
	return 1;
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

/*
 * Appends s[0..n) to out cleaned as the record's text setters clean text:
 * bytes that are not UTF-8 and the non-characters U+FFFE and U+FFFF become
 * U+FFFD, a CR or CR LF a newline, other control bytes but tab and newline
 * are dropped. Returns 1 if something was changed (out then holds the
 * result), 0 if s is clean (out untouched), or CW_ENOMEM.
 */
static int clean_raw(cw_buf *out, const char *s, size_t n)
{
	size_t i = 0;
	for (;;) {
		while (i < n && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x80)
			i++;
		if (i >= n)
			return 0;
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\t' || ch == '\n') {
			i++;
			continue;
		}
		if (ch < 0x80)
			break;
		uint32_t cp;
		size_t len = cw_utf8_decode(s + i, n - i, &cp);
		if ((len == 1 && cp == 0xFFFD) || cp == 0xFFFE || cp == 0xFFFF)
			break;
		i += len;
	}
	cw_buf_clear(out);
	if (cw_buf_append(out, s, i))
		return CW_ENOMEM;
	while (i < n) {
		unsigned char ch = (unsigned char)s[i];
		int rc = CW_OK;
		if (ch >= 0x80) {
			uint32_t cp;
			size_t len = cw_utf8_decode(s + i, n - i, &cp);
			if ((len == 1 && cp == 0xFFFD) || cp == 0xFFFE || cp == 0xFFFF)
				rc = cw_buf_put_utf8(out, 0xFFFD);
			else
				rc = cw_buf_append(out, s + i, len);
			i += len;
		} else if (ch == '\r') {
			if (!(i + 1 < n && s[i + 1] == '\n'))
				rc = cw_buf_putc(out, '\n');
			i++;
		} else {
			if (ch >= 0x20 || ch == '\t' || ch == '\n')
				rc = cw_buf_putc(out, (char)ch);
			i++;
		}
		if (rc)
			return CW_ENOMEM;
	}
	return 1;
}

/*
 * Adds a passthrough field holding the raw value, cleaned like every text
 * the record holds (clean_raw) and reported when it had to be.
 */
static int passthrough(bibtex_ctx *c, cw_record *rec, const bibtex_entry *e, const bibtex_fieldv *f)
{
	const char *v = BIBTEX_STR(e, f->value);
	size_t n = f->len;
	int rc = clean_raw(&c->clean, v, n);
	if (rc < 0)
		return rc;
	if (rc) {
		cw_diag_emit(c->s, CW_SEV_WARNING, CW_OK, f->line, f->col,
		             "field '%s': invalid UTF-8 or control bytes replaced",
		             BIBTEX_STR(e, f->name));
		v = c->clean.data;
		n = c->clean.len;
	}
	return cw_record_add_passthrough(rec, BIBTEX_PASSTHROUGH, BIBTEX_STR(e, f->name), v, n);
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

/* 1 if s[0..n) starts a URL: a scheme and "://", or "www." (after a \url{). */
static int starts_url(const char *s, size_t n)
{
	if (n > 5 && memcmp(s, "\\url{", 5) == 0) {
		s += 5;
		n -= 5;
	}
	if (n > 4 && lower_eq(s, 4, "www."))
		return 1;
	size_t i = 0;
	while (i < n && i < 32 &&
	       (((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') ||
	        (i > 0 &&
	         ((s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '.' || s[i] == '-'))))
		i++;
	return i > 0 && i + 3 <= n && memcmp(s + i, "://", 3) == 0;
}

/*
 * A URL field: one URL, no white space. A line break inside the URL (a long
 * one wrapped in the file) is dropped; what follows other white space, or a
 * line break before another URL, is appended to rest (for the note).
 */
static int url_value(cw_buf *out, cw_buf *rest, const char *s, size_t n)
{
	trim(&s, &n);
	if (n > 5 && memcmp(s, "\\url{", 5) == 0 && s[n - 1] == '}') {
		const char *in = s + 5;
		int depth = 1;
		size_t k = 0;
		for (; k < n - 6 && depth > 0; k++)
			depth += in[k] == '{' ? 1 : in[k] == '}' ? -1 : 0;
		if (depth > 0) { /* one \url{..} around it all */
			s = in;
			n -= 6;
		}
	}
	int rc = CW_OK, in_rest = 0;
	size_t i = 0;
	for (int first = 1; i < n && rc == CW_OK; first = 0) {
		int nl = 0;
		while (i < n && is_ws(s[i]))
			nl |= s[i++] == '\n';
		size_t st = i;
		while (i < n && !is_ws(s[i]))
			i++;
		if (st == i)
			break;
		if (!first && !in_rest && !(nl && !starts_url(s + st, i - st)))
			in_rest = 1;
		if (!in_rest) {
			rc = verbatim(out, s + st, i - st);
			continue;
		}
		if (rest->len)
			rc = cw_buf_putc(rest, ' ');
		if (rc == CW_OK)
			rc = verbatim(rest, s + st, i - st);
	}
	return rc;
}

/* A year field: "1990", "1990--1992", else the same after LaTeX ("{\noopsort{a}}1973"). */
static int read_year(bibtex_ctx *c, const bibtex_entry *e, const bibtex_fieldv *f, cw_date *d)
{
	*d = (cw_date)CW_DATE_INIT;
	if (parse_year(BIBTEX_STR(e, f->value), f->len, d))
		return 1;
	cw_buf *t = &c->tmp2;
	cw_buf_clear(t);
	bibtex_latex_decode(c->lx, t, BIBTEX_STR(e, f->value), f->len, BIBTEX_LATEX_PLAIN, f->line,
	                    f->col);
	*d = (cw_date)CW_DATE_INIT;
	if (parse_year(cw_buf_str(t), t->len, d))
		return 1;
	*d = (cw_date)CW_DATE_INIT;
	return 0;
}

static int read_month(bibtex_ctx *c, const bibtex_entry *e, const bibtex_fieldv *f, month_value *mv)
{
	cw_buf *t = &c->tmp2;
	cw_buf_clear(t);
	bibtex_latex_decode(c->lx, t, BIBTEX_STR(e, f->value), f->len, BIBTEX_LATEX_PLAIN, f->line,
	                    f->col);
	return month_parse(cw_buf_str(t), t->len, mv);
}

/* A day field: 1-31, or 0. */
static int read_day(const bibtex_entry *e, const bibtex_fieldv *f)
{
	const char *s = BIBTEX_STR(e, f->value);
	size_t n = f->len;
	trim(&s, &n);
	int dd = 0;
	size_t i = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9' && dd < 100)
		dd = dd * 10 + (s[i++] - '0');
	return i == n && dd >= 1 && dd <= 31 ? dd : 0;
}

/* Keeps a date field the issued date cannot take as passthrough, and says why. */
static int keep_date_field(bibtex_ctx *c, cw_record *rec, const bibtex_entry *e,
                           const bibtex_fieldv *f, const char *why)
{
	const char *v = BIBTEX_STR(e, f->value);
	size_t n = f->len;
	trim(&v, &n);
	cw_diag_emit(c->s, CW_SEV_WARNING, CW_OK, f->line, f->col,
	             "%s '%.*s' %s; kept as the field", BIBTEX_STR(e, f->name),
	             (int)(n < 60 ? n : 60), v, why);
	return passthrough(c, rec, e, f);
}

/* Adds month (and day) of the month field, or of the day field, to d. */
static int add_month(bibtex_ctx *c, cw_record *rec, const bibtex_entry *e, const datebits *db,
                     cw_date *d)
{
	int rc = CW_OK;
	month_value mv;
	if (d->end_parts)
		return keep_date_field(c, rec, e, db->month, "cannot go with a range of years");
	if (!read_month(c, e, db->month, &mv))
		return keep_date_field(c, rec, e, db->month,
		                       "is not a month, day or range of them");
	int32_t y2 = d->year + (mv.m2 && mv.m2 < mv.m1);
	if ((mv.d1 && mv.d1 > cw_date_days_in_month(d->year, mv.m1)) ||
	    (mv.d2 && mv.d2 > cw_date_days_in_month(y2, mv.m2)))
		return keep_date_field(c, rec, e, db->month, "names a day the month does not have");
	d->month = mv.m1;
	d->parts = 2;
	if (mv.d1) {
		d->day = mv.d1;
		d->parts = 3;
	}
	if (mv.m2) {
		d->end_year = y2;
		d->end_month = mv.m2;
		d->end_parts = mv.d2 ? 3 : 2;
		d->end_day = mv.d2;
	}
	if (db->day) {
		int dd = read_day(e, db->day);
		if (d->parts == 2 && !d->end_parts && dd &&
		    dd <= cw_date_days_in_month(d->year, d->month)) {
			d->day = dd;
			d->parts = 3;
		} else if (!(dd && d->parts == 3 && !d->end_parts && dd == d->day)) {
			rc = keep_date_field(c, rec, e, db->day, "cannot go with the month");
		}
	}
	return rc;
}

/*
 * A biblatex date field: EDTF as written first ("1723~" is circa, not a
 * tie), else after LaTeX. t holds the decoded text on return either way.
 */
static int parse_date_value(bibtex_ctx *c, cw_buf *t, const char *v, size_t n,
                            const bibtex_fieldv *f, cw_date *d)
{
	cw_buf_clear(t);
	bibtex_latex_decode(c->lx, t, v, n, BIBTEX_LATEX_PLAIN, f->line, f->col);
	const char *raw = v;
	size_t rn = n;
	trim(&raw, &rn);
	if (cw_date_parse_iso(d, raw, rn) == CW_OK)
		return CW_OK;
	return cw_date_parse_iso(d, cw_buf_str(t), t->len);
}

static int build_issued(bibtex_ctx *c, cw_record *rec, const bibtex_entry *e, const datebits *db)
{
	cw_buf *t = &c->tmp;
	cw_date d = CW_DATE_INIT;
	int rc = CW_OK;
	int have = 0;
	const bibtex_fieldv *year = db->year; /* year (month, day) give the date */
	if (db->date) {
		cw_date y = CW_DATE_INIT;
		if (parse_date_value(c, t, BIBTEX_STR(e, db->date->value), db->date->len, db->date,
		                     &d) == CW_OK) {
			have = 1;
			year = NULL;
			/* year, month, day agreeing with date are redundant; others are kept */
			if (db->year &&
			    !(read_year(c, e, db->year, &y) && d.parts && y.year == d.year))
				rc = keep_date_field(c, rec, e, db->year,
				                     "does not agree with date");
			month_value mv;
			if (db->month && rc == CW_OK &&
			    !(read_month(c, e, db->month, &mv) && !mv.m2 && d.parts >= 2 &&
			      mv.m1 == d.month && (!mv.d1 || (d.parts >= 3 && mv.d1 == d.day))))
				rc = keep_date_field(c, rec, e, db->month,
				                     "does not agree with date");
			if (db->day && rc == CW_OK &&
			    !(d.parts >= 3 && read_day(e, db->day) == d.day))
				rc =
				    keep_date_field(c, rec, e, db->day, "does not agree with date");
		} else if (db->year && read_year(c, e, db->year, &y)) {
			/* the year (and month) are valid: they give the date */
			cw_diag_emit(
			    c->s, CW_SEV_WARNING, CW_OK, db->date->line, db->date->col,
			    "date '%s' is not an ISO 8601/EDTF date; the date is taken from "
			    "year and month, date kept as the field",
			    cw_buf_str(t));
			d = (cw_date)CW_DATE_INIT;
			rc = passthrough(c, rec, e, db->date);
		} else {
			cw_diag_emit(c->s, CW_SEV_WARNING, CW_OK, db->date->line, db->date->col,
			             "date '%s' is not an ISO 8601/EDTF date; kept as literal text",
			             cw_buf_str(t));
			d = (cw_date)CW_DATE_INIT;
			d.literal = cw_buf_str(t);
			d.extra_format = BIBTEX_PASSTHROUGH; /* where the literal came from */
			d.extra = "date";
			have = 1;
			year = NULL;
			if (db->year)
				rc = passthrough(c, rec, e, db->year);
			if (db->month && rc == CW_OK)
				rc = keep_date_field(c, rec, e, db->month,
				                     "cannot go with that date");
			if (db->day && rc == CW_OK)
				rc = passthrough(c, rec, e, db->day);
		}
	}
	if (year && rc == CW_OK) {
		if (read_year(c, e, year, &d)) {
			have = 1;
			if (db->month)
				rc = add_month(c, rec, e, db, &d);
			else if (db->day)
				rc = keep_date_field(c, rec, e, db->day, "has no month");
		} else {
			cw_buf_clear(t);
			bibtex_latex_decode(c->lx, t, BIBTEX_STR(e, year->value), year->len,
			                    BIBTEX_LATEX_PLAIN, year->line, year->col);
			d = (cw_date)CW_DATE_INIT;
			d.literal = cw_buf_str(t);
			d.extra_format = BIBTEX_PASSTHROUGH;
			d.extra = "year";
			have = t->len > 0;
			if (db->month)
				rc = keep_date_field(c, rec, e, db->month,
				                     "cannot go with that year");
			if (db->day && rc == CW_OK)
				rc = passthrough(c, rec, e, db->day);
		}
	} else if (!db->date && rc == CW_OK) {
		if (db->month)
			rc = keep_date_field(c, rec, e, db->month, "has no year");
		if (db->day && rc == CW_OK)
			rc = passthrough(c, rec, e, db->day);
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

/* 1 if name is editor, editora, editorb or editorc: names whose role is their type field */
static int is_editor_field(const char *name, size_t n)
{
	return (n == 6 || (n == 7 && name[6] >= 'a' && name[6] <= 'c')) &&
	       memcmp(name, "editor", 6) == 0;
}

/* The field of e named name (NUL-terminated, lower-case), or NULL. */
static const bibtex_fieldv *find_field(const bibtex_entry *e, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < e->n; i++)
		if (e->f[i].name_len == n && memcmp(BIBTEX_STR(e, e->f[i].name), name, n) == 0)
			return &e->f[i];
	return NULL;
}

/*
 * The role word of editor field f: its type field (editortype for editor,
 * editoratype for editora...) as a lower-case word in word[0..size). 0 when
 * there is none.
 */
static int editor_role(bibtex_ctx *c, const bibtex_entry *e, const bibtex_fieldv *f, char *word,
                       size_t size)
{
	char tname[16];
	snprintf(tname, sizeof tname, "%.*stype", (int)f->name_len, BIBTEX_STR(e, f->name));
	const bibtex_fieldv *tf = find_field(e, tname);
	if (!tf)
		return 0;
	cw_buf *t = &c->tmp2;
	cw_buf_clear(t);
	bibtex_latex_decode(c->lx, t, BIBTEX_STR(e, tf->value), tf->len, BIBTEX_LATEX_PLAIN,
	                    tf->line, tf->col);
	const char *s = cw_buf_str(t);
	size_t n = t->len;
	trim(&s, &n);
	if (!n || n >= size)
		return 0;
	for (size_t i = 0; i < n; i++)
		word[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
	word[n] = '\0';
	return 1;
}

/*
 * Where the names of editor field f go: 1 with *fld the record's field (and
 * word its role word, "" for editor), 0 when no role row has its type word:
 * then it stays passthrough, with its type field.
 */
static int editor_target(bibtex_ctx *c, const bibtex_entry *e, const bibtex_fieldv *f, char *word,
                         size_t size, enum cw_field *fld)
{
	if (!editor_role(c, e, f, word, size) || strcmp(word, "editor") == 0) {
		word[0] = '\0';
		*fld = CW_FIELD_EDITOR;
		return 1;
	}
	const bibtex_field_row *rr = bibtex_map_role_in(c->map, "editor", word, strlen(word));
	if (rr)
		*fld = rr->field;
	return rr != NULL;
}

/* 1 if f is the type field (editortype...) of an editor field of e read with it. */
static int is_used_editor_type(bibtex_ctx *c, const bibtex_entry *e, const bibtex_fieldv *f)
{
	const char *name = BIBTEX_STR(e, f->name);
	size_t n = f->name_len;
	if (n < 10 || memcmp(name + n - 4, "type", 4) != 0 || !is_editor_field(name, n - 4))
		return 0;
	char base[8];
	memcpy(base, name, n - 4);
	base[n - 4] = '\0';
	const bibtex_fieldv *b = find_field(e, base);
	if (!b)
		return 0;
	const char *v = BIBTEX_STR(e, b->value);
	size_t l = b->len;
	trim(&v, &l);
	char word[32];
	enum cw_field fld;
	return l > 0 && editor_target(c, e, b, word, sizeof word, &fld);
}

/* arxiv: the entry's eprinttype or archiveprefix says arXiv (EPRINT_PUBMED: PubMed) */
static int convert_field(bibtex_ctx *c, cw_record *rec, const bibtex_entry *e,
                         const bibtex_fieldv *f, const bibtex_field_row *row, int arxiv,
                         datebits *db, cw_buf *more, int *replaced)
{
	const char *v = BIBTEX_STR(e, f->value);
	size_t n = f->len;
	cw_buf *t = &c->tmp;
	enum cw_field fld = row->field;
	enum cw_item_type type = cw_record_type(rec);
	if (row->bib_len == 12 && memcmp(row->bib, "howpublished", 12) == 0) {
		/* howpublished = {\url{...}} or a bare URL: the item's URL (as pandoc does); beside
		 * a url field it is kept as it is, never a publisher */
		const char *q = v;
		size_t m = n;
		trim(&q, &m);
		if (bibtex_looks_like_url(q, m)) {
			if (has_field(e, "url") || cw_record_has(rec, CW_FIELD_URL))
				return passthrough(c, rec, e, f);
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
			return passthrough(c, rec, e, f);
		{
			cw_date d = CW_DATE_INIT;
			if (parse_date_value(c, t, v, n, f, &d) != CW_OK) {
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
	case BIBTEX_CONV_NAMES: {
		const char *role = NULL;
		int append = 0;
		char word[32];
		if (is_editor_field(BIBTEX_STR(e, f->name), f->name_len)) {
			/* editor, editora...: their type field says the role; the lists of one
			 * role are one list */
			if (!editor_target(c, e, f, word, sizeof word, &fld))
				return passthrough(c, rec, e, f);
			append = 1;
			role =
			    fld == CW_FIELD_CONTRIBUTOR ? word : NULL; /* else the field says it */
		}
		if (!append && cw_record_has(rec, fld))
			return passthrough(c, rec, e, f);
		return bibtex_names_read(c->lx, rec, fld, v, n, role,
		                         c->lim->max_names ? c->lim->max_names : 10000, f->line,
		                         f->col);
	}
	case BIBTEX_CONV_NUMBER:
		/* the table's type-sets say what number is */
		fld = bibtex_map_in_set(c->map, BIBTEX_SET_ARTICLES, type) ? CW_FIELD_ISSUE
		      : bibtex_map_in_set(c->map, BIBTEX_SET_NUMBERED, type)
		          ? CW_FIELD_NUMBER
		          : CW_FIELD_COLLECTION_NUMBER;
		break;
	case BIBTEX_CONV_EPRINT:
		if (arxiv == EPRINT_PUBMED)
			fld = CW_FIELD_PMID; /* biblatex's eprinttype = {pubmed} */
		else if (!arxiv)
			return passthrough(c, rec, e, f);
		break;
	default:
		break;
	}
	if (cw_record_has(rec, fld))
		return passthrough(c, rec, e, f);
	cw_buf_clear(t);
	int rc = CW_OK;
	switch (row->conv) {
	case BIBTEX_CONV_RICH:
		rc = bibtex_latex_decode(c->lx, t, v, n, BIBTEX_LATEX_RICH, f->line, f->col);
		break;
	case BIBTEX_CONV_EPRINT:
		/* the bare id: "arXiv:1902.07120" is written too */
		trim(&v, &n);
		if (n > 6 && lower_eq(v, 6, "arxiv:")) {
			v += 6;
			n -= 6;
		}
		rc = verbatim(t, v, n);
		break;
	case BIBTEX_CONV_VERBATIM:
		if (fld == CW_FIELD_URL) {
			size_t before = more->len;
			rc = url_value(t, more, v, n);
			if (rc == CW_OK && more->len > before)
				cw_diag_emit(
				    c->s, CW_SEV_WARNING, CW_OK, f->line, f->col,
				    "%s holds more than one URL or white space; the URL is "
				    "'%s', the rest goes to the note",
				    BIBTEX_STR(e, f->name), cw_buf_str(t));
			break;
		}
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
	if (row->bibstring && fld == CW_FIELD_COLLECTION_TITLE &&
	    bibtex_map_in_set(c->map, BIBTEX_SET_ARTICLES, type) && t->len <= 3 &&
	    strspn(t->data, "0123456789") == t->len) {
		/* a journal's numbered series: biblatex prints series = 3 as "3rd series" */
		int num = atoi(t->data);
		int teen = num % 100 >= 11 && num % 100 <= 13;
		const char *sfx = teen            ? "th"
		                  : num % 10 == 1 ? "st"
		                  : num % 10 == 2 ? "nd"
		                  : num % 10 == 3 ? "rd"
		                                  : "th";
		char words[32];
		int len = snprintf(words, sizeof words, "%d%s series", num, sfx);
		return set_text_checked(c, rec, fld, words, (size_t)len, f, replaced);
	}
	if (row->bibstring) {
		/* a localisation key stands for biblatex's words ("resreport") */
		const char *words = bibtex_bibstring_text(t->data, t->len);
		if (words) {
			cw_buf_clear(t);
			if (cw_buf_append(t, words, CW_NUL))
				return CW_ENOMEM;
			/* a title starts a sentence ("New series"); a genre or a
			 * status is for the style to capitalise */
			if (cw_field_kind(fld) == CW_KIND_RICH && t->data[0] >= 'a' &&
			    t->data[0] <= 'z')
				t->data[0] = (char)(t->data[0] - 32);
		}
	}
	return set_text_checked(c, rec, fld, t->data, t->len, f, replaced);
}

/* Appends text to the note ("note; text"). */
static int add_to_note(bibtex_ctx *c, cw_record *rec, const cw_buf *text)
{
	const char *old = cw_record_text(rec, CW_FIELD_NOTE);
	cw_buf *t = &c->tmp;
	cw_buf_clear(t);
	int rc = old ? cw_buf_append(t, old, CW_NUL) : CW_OK;
	if (rc == CW_OK && old)
		rc = cw_buf_append(t, "; ", 2);
	if (rc == CW_OK)
		rc = cw_buf_append(t, text->data, text->len);
	if (rc == CW_OK)
		rc = cw_record_set_text(rec, CW_FIELD_NOTE, t->data, t->len);
	return rc < 0 ? rc : CW_OK;
}

/* What an arXiv eprint gives CSL: number "arXiv:ID", archive "arXiv" and the abstract page. */
#define ARXIV_NUMBER "arXiv:"
#define ARXIV_ARCHIVE "arXiv"
#define ARXIV_URL "https://arxiv.org/abs/"

static int is_derived(const char *v, const char *prefix, const char *id)
{
	size_t l = strlen(prefix);
	return v && strncmp(v, prefix, l) == 0 && strcmp(v + l, id) == 0;
}

size_t bibtex_derived_fields(const cw_record *rec, enum cw_field out[4])
{
	const char *id = cw_record_text(rec, CW_FIELD_ARXIV);
	size_t n = 0;
	if (!id)
		return 0;
	if (is_derived(cw_record_text(rec, CW_FIELD_NUMBER), ARXIV_NUMBER, id))
		out[n++] = CW_FIELD_NUMBER;
	if (is_derived(cw_record_text(rec, CW_FIELD_ARCHIVE), ARXIV_ARCHIVE, ""))
		out[n++] = CW_FIELD_ARCHIVE;
	if (is_derived(cw_record_text(rec, CW_FIELD_URL), ARXIV_URL, id))
		out[n++] = CW_FIELD_URL;
	return n;
}

/*
 * An arXiv eprint as CSL processors print a preprint: number, archive and
 * URL where unset (a journal article: the URL only).
 */
static int derive_arxiv(bibtex_ctx *c, cw_record *rec)
{
	const char *id = cw_record_text(rec, CW_FIELD_ARXIV);
	int rc = CW_OK;
	if (!id)
		return CW_OK;
	static const struct {
		enum cw_field f;
		const char *prefix;
		int with_id;
	} parts[] = {{CW_FIELD_NUMBER, ARXIV_NUMBER, 1},
	             {CW_FIELD_ARCHIVE, ARXIV_ARCHIVE, 0},
	             {CW_FIELD_URL, ARXIV_URL, 1}};
	/* a journal article with its preprint: the link only (APA would print the number as
	 * "Article arXiv:..." and the archive as a publisher) */
	enum cw_item_type type = cw_record_type(rec);
	int journal =
	    bibtex_map_in_set(c->map, BIBTEX_SET_ARTICLES, type) && type != CW_TYPE_ARTICLE;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0] && rc >= 0; i++) {
		if (cw_record_has(rec, parts[i].f) || (journal && parts[i].f != CW_FIELD_URL))
			continue;
		cw_buf *t = &c->tmp;
		cw_buf_clear(t);
		rc = cw_buf_append(t, parts[i].prefix, CW_NUL);
		if (rc == CW_OK && parts[i].with_id)
			rc = cw_buf_append(t, id, CW_NUL);
		if (rc == CW_OK)
			rc = cw_record_set_text(rec, parts[i].f, t->data, t->len);
	}
	return rc < 0 ? rc : CW_OK;
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
		if (cw_buf_reserve(out, t->len))
			return;
		char *d = out->data + out->len;
		for (size_t i = 0; i < t->len; i++) {
			unsigned char ch = (unsigned char)t->data[i];
			if (ch >= 'A' && ch <= 'Z')
				*d++ = (char)(ch + 32);
			else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch >= 0x80)
				*d++ = (char)ch;
		}
		out->len = (size_t)(d - out->data);
		out->data[out->len] = '\0';
	}
}

/*
 * Decides where the title groups of e go. A whole work (not a chapter,
 * paper or article) with maintitle is a volume of that work: maintitle is
 * its title and its own title the volume's (as biblatex and pandoc read
 * it). A part with booktitle and maintitle is in a volume of that work:
 * maintitle is its container and booktitle the volume's title (as pandoc
 * reads it and biblatex prints it). Otherwise the container is the first of
 * journal, booktitle and maintitle the entry has; a whole work whose
 * container title repeats its title has none.
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
	if (part && fv[BIBTEX_TITLE_MAIN][0] && fv[BIBTEX_TITLE_BOOK][0] &&
	    !fv[BIBTEX_TITLE_JOURNAL][0]) {
		/* a chapter of a volume of a multi-volume work: "In Work: Vol. 2.
		 * Volume", as biblatex prints it and citeproc-js reads volume-title */
		tp->dest[BIBTEX_TITLE_MAIN] = TITLE_CONTAINER;
		tp->dest[BIBTEX_TITLE_BOOK] = TITLE_VOLUME;
		return;
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
		if (rc == CW_REPLACED)
			cw_diag_emit(c->s, CW_SEV_WARNING, CW_OK, e->line, e->col,
			             "the citation key: invalid UTF-8 or control bytes replaced");
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
	int arxiv = field_is(e, eprinttype, "arxiv") || field_is(e, archiveprefix, "arxiv")
	                ? EPRINT_ARXIV
	            : field_is(e, eprinttype, "pubmed") ? EPRINT_PUBMED
	                                                : 0;
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
	cw_buf more = CW_BUF_INIT; /* what a URL field held beyond its URL, for the note */
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
			if (is_used_editor_type(c, e, f))
				continue; /* read with its editor field */
			rc = passthrough(c, rec, e, f);
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
			rc = passthrough(c, rec, e, f);
			continue;
		}
		/* title fields go where the entry's titles plan says */
		bibtex_field_row moved;
		row = title_row(&tp, e, f, row, &moved);
		if (!row) {
			rc = passthrough(c, rec, e, f);
			continue;
		}
		int track =
		    named_field(row->field) && !src[row->field] && !cw_record_has(rec, row->field);
		rc = convert_field(c, rec, e, f, row, arxiv, &db, &more, &replaced);
		if (track && cw_record_has(rec, row->field))
			src[row->field] = name;
	}
	if (rc >= 0)
		rc = build_issued(c, rec, e, &db);
	if (rc >= 0 && more.len)
		rc = add_to_note(c, rec, &more);
	cw_buf_free(&more);
	if (rc >= 0 && arxiv == EPRINT_ARXIV)
		rc = derive_arxiv(c, rec);
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
	/* a \href decoded in a field gives its URL when the entry has none (bibtex_latex.c) */
	if (rc >= 0 && c->lx->href.len && !cw_record_has(rec, CW_FIELD_URL))
		rc = cw_record_set_text(rec, CW_FIELD_URL, c->lx->href.data, c->lx->href.len);
	cw_buf_clear(&c->lx->href);
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
