/*
 * Value parsers that recover the structure Dublin Core flattens: personal
 * names, dates, identifiers and journal citations.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dc.h"

/* --- small helpers --- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skip_ws(const char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

/* Copies [b, e) trimmed into dst (cap bytes); returns dst. */
static char *copy_trim(char *dst, size_t cap, const char *b, const char *e)
{
	while (b < e && is_space(*b))
		b++;
	while (e > b && is_space(e[-1]))
		e--;
	size_t n = (size_t)(e - b);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, b, n);
	dst[n] = '\0';
	return dst;
}

static int has_prefix_nocase(const char *s, const char *pre)
{
	return strncasecmp(s, pre, strlen(pre)) == 0;
}

/* --- names --- */

/* The span x of buf as a string: the byte after it (a space or a comma) ends it. */
static const char *part(char *buf, cw_name_span x)
{
	if (!x.len)
		return NULL;
	buf[x.off + x.len] = '\0';
	return buf + x.off;
}

/*
 * A dc:creator as repositories write it: "Family, Given", "Given Family",
 * an organisation (the core's cw_name_split with CW_NAME_PARSE_ORGS), and
 * an affiliation after ';' or, when it names an organisation, after a
 * second comma.
 */
int dc_name_parse(const char *s, cw_name *n, char *buf, const char **aff)
{
	*aff = NULL;
	s = skip_ws(s);
	size_t len = strlen(s);
	while (len && is_space(s[len - 1]))
		len--;
	if (!len)
		return 0;
	/* one space between words, so that a part cut out of buf reads as one line */
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (is_space(s[i])) {
			if (o && buf[o - 1] != ' ')
				buf[o++] = ' ';
		} else {
			buf[o++] = s[i];
		}
	}
	buf[o] = '\0';
	unsigned flags = CW_NAME_PARSE_ORGS | CW_NAME_PARSE_AFFILIATION;
	char *semi = strchr(buf, ';');
	if (semi) {
		*semi = '\0';
		const char *a = skip_ws(semi + 1);
		if (*a) {
			*aff = a;
			flags &= ~(unsigned)CW_NAME_PARSE_AFFILIATION; /* it has one */
		}
		o = (size_t)(semi - buf);
	}
	cw_name_parts p = CW_NAME_PARTS_INIT;
	if (cw_name_split(&p, buf, o, flags, NULL, NULL) != CW_OK)
		return 0;
	/* every part ends before a byte of buf that is no part's: cut them in place */
	n->given = part(buf, p.given);
	n->family = part(buf, p.family);
	n->non_dropping_particle = part(buf, p.particle);
	n->suffix = part(buf, p.suffix);
	n->literal = part(buf, p.literal);
	n->flags |= p.flags;
	if (p.affiliation.len)
		*aff = part(buf, p.affiliation);
	return 1;
}

int dc_name_format(const cw_name *n, cw_buf *out)
{
	if (n->literal)
		return cw_buf_append(out, n->literal, CW_NUL);
	int rc = 0;
	if (n->non_dropping_particle) {
		rc |= cw_buf_append(out, n->non_dropping_particle, CW_NUL);
		rc |= cw_buf_putc(out, ' ');
	}
	if (n->family)
		rc |= cw_buf_append(out, n->family, CW_NUL);
	if (n->given || n->dropping_particle) {
		rc |= cw_buf_append(out, n->family ? ", " : "", CW_NUL);
		if (n->given)
			rc |= cw_buf_append(out, n->given, CW_NUL);
		if (n->dropping_particle) {
			if (n->given)
				rc |= cw_buf_putc(out, ' ');
			rc |= cw_buf_append(out, n->dropping_particle, CW_NUL);
		}
	}
	if (n->suffix) {
		rc |= cw_buf_append(out, ", ", CW_NUL);
		rc |= cw_buf_append(out, n->suffix, CW_NUL);
	}
	return rc ? CW_ENOMEM : CW_OK;
}

static int str_same(const char *a, const char *b)
{
	if (!a || !*a)
		return !b || !*b;
	return b && strcmp(a, b) == 0;
}

int dc_name_same(const cw_name *a, const cw_name *b)
{
	return str_same(a->family, b->family) && str_same(a->given, b->given) &&
	       str_same(a->non_dropping_particle, b->non_dropping_particle) &&
	       str_same(a->dropping_particle, b->dropping_particle) &&
	       str_same(a->suffix, b->suffix) && str_same(a->literal, b->literal);
}

/* --- dates --- */

/* Month number (1-12) of a month name at p ("Jan", "January", "Sept."); sets *len. */
static int month_at(const char *p, size_t *len)
{
	size_t n = 0;
	while (isalpha((unsigned char)p[n]))
		n++;
	int m = cw_month_from_name(p, n);
	if (m < 1 || m > 12)
		return 0;
	*len = n + (p[n] == '.');
	return m;
}

/* A dc:date in any form people write (the core's cw_date_parse); why as there. */
int dc_date_parse(cw_date *d, const char *s, cw_buf *why)
{
	return cw_date_parse(d, s, CW_NUL, 0, why);
}

int dc_date_same(const cw_date *a, const cw_date *b)
{
	if (a->parts != b->parts || a->end_parts != b->end_parts || a->flags != b->flags)
		return 0;
	if (a->year != b->year || (a->parts > 1 && a->month != b->month) ||
	    (a->parts > 2 && a->day != b->day))
		return 0;
	if (a->end_parts &&
	    (a->end_year != b->end_year || (a->end_parts > 1 && a->end_month != b->end_month) ||
	     (a->end_parts > 2 && a->end_day != b->end_day)))
		return 0;
	return str_same(a->literal, b->literal);
}

/* --- identifiers --- */

static int isbn_valid(const char *s, char *norm, size_t cap)
{
	char d[16];
	size_t n = 0;
	for (const char *p = s; *p; p++) {
		if (isdigit((unsigned char)*p) || ((*p == 'X' || *p == 'x') && n == 9)) {
			if (n >= 13)
				return 0;
			d[n++] = (char)toupper((unsigned char)*p);
		} else if (*p != '-' && *p != ' ') {
			return 0;
		}
	}
	if (n == 10) {
		int sum = 0;
		for (int i = 0; i < 10; i++)
			sum += (10 - i) * (d[i] == 'X' ? 10 : d[i] - '0');
		if (sum % 11)
			return 0;
	} else if (n == 13) {
		if (d[12] == 'X')
			return 0;
		int sum = 0;
		for (int i = 0; i < 13; i++)
			sum += (i % 2 ? 3 : 1) * (d[i] - '0');
		if (sum % 10 || (strncmp(d, "978", 3) && strncmp(d, "979", 3)))
			return 0;
	} else {
		return 0;
	}
	snprintf(norm, cap, "%s", s);
	return 1;
}

static int issn_valid(const char *s, char *norm, size_t cap)
{
	char d[9];
	size_t n = 0;
	for (const char *p = s; *p; p++) {
		if (isdigit((unsigned char)*p) || ((*p == 'X' || *p == 'x') && n == 7)) {
			if (n >= 8)
				return 0;
			d[n++] = (char)toupper((unsigned char)*p);
		} else if (!(*p == '-' && n == 4)) {
			return 0;
		}
	}
	if (n != 8)
		return 0;
	int sum = 0;
	for (int i = 0; i < 7; i++)
		sum += (8 - i) * (d[i] - '0');
	int check = (11 - sum % 11) % 11;
	if ((check == 10 ? 'X' : '0' + check) != d[7])
		return 0;
	snprintf(norm, cap, "%.4s-%.4s", d, d + 4);
	return 1;
}

static int doi_bare(const char *s)
{
	if (s[0] != '1' || s[1] != '0' || s[2] != '.')
		return 0;
	const char *p = s + 3;
	int digits = 0;
	while (isdigit((unsigned char)*p) || (*p == '.' && digits)) {
		p++;
		digits++;
	}
	if (digits < 4 || *p != '/' || !p[1])
		return 0;
	for (p++; *p; p++)
		if (is_space(*p))
			return 0;
	return 1;
}

static const struct {
	const char *prefix;
	enum dc_id_kind kind;
} id_prefixes[] = {
    {"https://doi.org/", DC_ID_DOI},
    {"http://doi.org/", DC_ID_DOI},
    {"https://dx.doi.org/", DC_ID_DOI},
    {"http://dx.doi.org/", DC_ID_DOI},
    {"doi:", DC_ID_DOI},
    {"doi ", DC_ID_DOI},
    {"info:doi/", DC_ID_DOI},
    {"urn:doi:", DC_ID_DOI},
    {"hdl:", DC_ID_HANDLE},
    {"info:hdl/", DC_ID_HANDLE},
    {"urn:isbn:", DC_ID_ISBN},
    {"isbn:", DC_ID_ISBN},
    {"isbn ", DC_ID_ISBN},
    {"urn:issn:", DC_ID_ISSN},
    {"issn:", DC_ID_ISSN},
    {"issn ", DC_ID_ISSN},
    {"eissn:", DC_ID_ISSN},
    {"e-issn:", DC_ID_ISSN},
    {"pmid:", DC_ID_PMID},
    {"info:pmid/", DC_ID_PMID},
    {"arxiv:", DC_ID_ARXIV},
    {"urn:", DC_ID_URN},
};

void dc_ident_classify(const char *s, dc_ident *out)
{
	memset(out, 0, sizeof *out);
	s = skip_ws(s);
	char v[512];
	copy_trim(v, sizeof v, s, s + strlen(s));
	snprintf(out->value, sizeof out->value, "%s", v);
	for (size_t i = 0; i < sizeof id_prefixes / sizeof id_prefixes[0]; i++) {
		if (!has_prefix_nocase(v, id_prefixes[i].prefix))
			continue;
		const char *rest = skip_ws(v + strlen(id_prefixes[i].prefix));
		switch (id_prefixes[i].kind) {
		case DC_ID_DOI:
			if (doi_bare(rest)) {
				out->kind = DC_ID_DOI;
				snprintf(out->value, sizeof out->value, "%s", rest);
				return;
			}
			break;
		case DC_ID_HANDLE:
			if (*rest && strchr(rest, '/')) {
				out->kind = DC_ID_HANDLE;
				snprintf(out->value, sizeof out->value, "%s", rest);
				return;
			}
			break;
		case DC_ID_ISBN:
			if (isbn_valid(rest, out->value, sizeof out->value)) {
				out->kind = DC_ID_ISBN;
				return;
			}
			break;
		case DC_ID_ISSN:
			if (issn_valid(rest, out->value, sizeof out->value)) {
				out->kind = DC_ID_ISSN;
				return;
			}
			break;
		case DC_ID_PMID: {
			size_t k = strspn(rest, "0123456789");
			if (k && !rest[k]) {
				out->kind = DC_ID_PMID;
				snprintf(out->value, sizeof out->value, "%s", rest);
				return;
			}
			break;
		}
		case DC_ID_ARXIV:
			if (*rest) {
				out->kind = DC_ID_ARXIV;
				snprintf(out->value, sizeof out->value, "%s", rest);
				return;
			}
			break;
		case DC_ID_URN:
			if (strchr(rest, ':')) {
				out->kind = DC_ID_URN;
				return; /* value: the whole URN */
			}
			break;
		default:
			break;
		}
	}
	if (doi_bare(v)) {
		out->kind = DC_ID_DOI;
		return;
	}
	if (has_prefix_nocase(v, "http://") || has_prefix_nocase(v, "https://") ||
	    has_prefix_nocase(v, "ftp://")) {
		out->kind = DC_ID_URL;
		static const char *const hdl[] = {"http://hdl.handle.net/",
		                                  "https://hdl.handle.net/"};
		for (int i = 0; i < 2; i++)
			if (has_prefix_nocase(v, hdl[i]) && strchr(v + strlen(hdl[i]), '/'))
				snprintf(out->handle, sizeof out->handle, "%s", v + strlen(hdl[i]));
		return;
	}
	if (issn_valid(v, out->value, sizeof out->value)) {
		out->kind = DC_ID_ISSN;
		return;
	}
	if (isbn_valid(v, out->value, sizeof out->value)) {
		out->kind = DC_ID_ISBN;
		return;
	}
	snprintf(out->value, sizeof out->value, "%s", v);
}

int dc_ident_format(enum dc_id_kind kind, const char *value, cw_buf *out)
{
	switch (kind) {
	case DC_ID_DOI:
		return cw_buf_printf(out, "https://doi.org/%s", value);
	case DC_ID_HANDLE:
		return cw_buf_printf(out, "hdl:%s", value);
	case DC_ID_PMID:
		return cw_buf_printf(out, "info:pmid/%s", value);
	case DC_ID_ARXIV:
		return cw_buf_printf(out, "arXiv:%s", value);
	default:
		return cw_buf_append(out, value, CW_NUL);
	}
}

const char *dc_ident_kind_name(enum dc_id_kind kind)
{
	static const char *const names[] = {"other", "doi",  "url",  "handle", "urn",
	                                    "isbn",  "issn", "pmid", "arxiv"};
	return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "other";
}

/* --- citations (dc:source) --- */

/* Locator markers, lowercase, as they appear before a number. */
static const char *const vol_markers[] = {
    "volume", "vol.", "vol", "v.",  "bd.", "band", "tome", "tomo", "tom", "t.",  "jg.", "jahrgang",
    "cilt",   "год",  "Год", "том", "Том", "т.",   "Т.",   "anno", "año", "ano", NULL};
static const char *const iss_markers[] = {
    "number", "issue", "iss.",   "no.",    "no",   "nr.",  "nr",    "num.",  "núm.",
    "núm",    "n.º",   "nº",     "n°",     "n.",   "n",    "heft",  "h.",    "№",
    "sayı",   "Sayı",  "выпуск", "Выпуск", "вып.", "Вып.", "fasc.", "cuad.", NULL};
static const char *const page_markers[] = {"pages", "pp.",   "pp", "p.", "s.",
                                           "pág.",  "págs.", "с.", "С.", NULL};

/* Length of a marker from list at p (followed by space, digit or end), else 0. */
static size_t marker_at(const char *p, const char *const *list)
{
	for (size_t i = 0; list[i]; i++) {
		size_t l = strlen(list[i]);
		if (strncasecmp(p, list[i], l) != 0)
			continue;
		unsigned char c = (unsigned char)p[l];
		/* a marker must not run into more letters ("volume" vs "vol", "no" vs "nous") */
		if (isalpha(c) && !(list[i][l - 1] == '.'))
			continue;
		if (c == ' ' || c == '\t' || isdigit(c) || c == '\0' || c == '.' ||
		    (c >= 0x80 && list[i][l - 1] == '.'))
			return l;
		if (list[i][l - 1] == '.')
			return l;
	}
	return 0;
}

/* A locator token: digits, letters mixed with digits ("S1", "e123", "12A"). */
static size_t number_at(const char *p)
{
	size_t n = 0, digits = 0;
	while (isalnum((unsigned char)p[n])) {
		if (isdigit((unsigned char)p[n]))
			digits++;
		n++;
	}
	return digits ? n : 0;
}

/* A page range at p: N, N-M, N–M (en dash), "e123". Returns its length. */
static size_t range_at(const char *p)
{
	size_t a = number_at(p);
	if (!a)
		return 0;
	const char *q = p + a;
	size_t dash = 0;
	if (*q == '-')
		dash = 1;
	else if ((unsigned char)q[0] == 0xE2 && (unsigned char)q[1] == 0x80 &&
	         ((unsigned char)q[2] == 0x93 || (unsigned char)q[2] == 0x94))
		dash = 3;
	if (dash) {
		size_t b = number_at(q + dash);
		if (b)
			return a + dash + b;
	}
	return a;
}

static int is_year(const char *p, size_t n)
{
	if (n != 4)
		return 0;
	for (size_t i = 0; i < 4; i++)
		if (!isdigit((unsigned char)p[i]))
			return 0;
	int y = atoi(p);
	return y >= 1600 && y <= 2100;
}

static void put(char *dst, size_t cap, const char *p, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, p, n);
	dst[n] = '\0';
}

/* Skips separators between locators. */
static const char *skip_sep(const char *p)
{
	while (*p == ' ' || *p == ',' || *p == ';' || *p == ':' || *p == '\t' || *p == '.')
		p++;
	return p;
}

/* Month names and ranges in citations ("jan./jun. 2008", "May 2008"): skipped. */
static size_t month_run(const char *p)
{
	size_t ml, tot = 0;
	if (!month_at(p, &ml))
		return 0;
	tot = ml;
	while (p[tot] == '/' || p[tot] == '-') {
		size_t m2;
		if (!month_at(p + tot + 1, &m2))
			break;
		tot += 1 + m2;
	}
	return tot;
}

/*
 * Parses the locator part of a citation: everything after the title.
 * pages_only: the third part of the PKP form, which is always pages.
 * Returns 1 when everything was understood.
 */
static int parse_locators(const char *p, dc_citation *c, int pages_only, int allow_issue_title)
{
	p = skip_ws(p);
	if (pages_only) {
		size_t m = marker_at(p, page_markers);
		p = skip_ws(p + m);
		size_t r = range_at(p);
		if (!r || *skip_ws(p + r))
			return 0;
		put(c->pages, sizeof c->pages, p, r);
		return 1;
	}
	while (*(p = skip_sep(p))) {
		size_t m, n;
		if ((m = marker_at(p, vol_markers)) != 0) {
			const char *q = skip_ws(p + m);
			if (!(n = number_at(q)) || c->volume[0])
				return 0;
			put(c->volume, sizeof c->volume, q, n);
			p = q + n;
			/* "Vol. 9(1)" */
			if (*p == '(' && (n = number_at(p + 1)) && p[1 + n] == ')' &&
			    !is_year(p + 1, n)) {
				put(c->issue, sizeof c->issue, p + 1, n);
				p += n + 2;
			}
		} else if ((m = marker_at(p, iss_markers)) != 0) {
			const char *q = skip_ws(p + m);
			if (!(n = range_at(q)) || c->issue[0])
				return 0;
			put(c->issue, sizeof c->issue, q, n);
			p = q + n;
		} else if ((m = marker_at(p, page_markers)) != 0) {
			const char *q = skip_ws(p + m);
			if (!(n = range_at(q)) || c->pages[0])
				return 0;
			put(c->pages, sizeof c->pages, q, n);
			p = q + n;
		} else if (*p == '(') {
			/* (2008) or (1) */
			n = number_at(p + 1);
			if (n && p[1 + n] == ')' && is_year(p + 1, n) && !c->year) {
				c->year = atoi(p + 1);
				p += n + 2;
				/* PKP 3: "(2008): Issue title" */
				const char *q = skip_ws(p);
				if (allow_issue_title && *q == ':') {
					copy_trim(c->issue_title, sizeof c->issue_title, q + 1,
					          q + strlen(q));
					return c->issue_title[0] != '\0';
				}
			} else if (n && p[1 + n] == ')' && !c->issue[0]) {
				put(c->issue, sizeof c->issue, p + 1, n);
				p += n + 2;
			} else {
				/* "(May 2008)", "(jan./jun. 2008)" */
				size_t mr = month_run(p + 1);
				const char *q = skip_ws(p + 1 + mr);
				if (mr && (n = number_at(q)) && is_year(q, n) && q[n] == ')' &&
				    !c->year) {
					c->year = atoi(q);
					p = q + n + 1;
				} else {
					return 0;
				}
			}
		} else if ((n = month_run(p)) != 0) {
			p += n; /* a month before the year; the year follows */
		} else if ((n = range_at(p)) != 0) {
			size_t num = number_at(p);
			const char *after = p + n;
			if (num == n && is_year(p, n) && !c->year) {
				/* a bare year, unless it is directly followed by "(issue)" of a
				 * volume we do not have yet */
				if (*after == '(' && !c->volume[0]) {
					put(c->volume, sizeof c->volume, p, n);
				} else {
					c->year = atoi(p);
				}
				p = after;
			} else if (num == n && !c->volume[0] && !c->pages[0]) {
				put(c->volume, sizeof c->volume, p, n);
				p = after;
			} else if (!c->pages[0]) {
				put(c->pages, sizeof c->pages, p, n);
				p = after;
			} else {
				return 0;
			}
			/* "9(1)" */
			if (*p == '(' && (n = number_at(p + 1)) && p[1 + n] == ')' &&
			    !is_year(p + 1, n)) {
				if (c->issue[0] || !c->volume[0])
					return 0;
				put(c->issue, sizeof c->issue, p + 1, n);
				p += n + 2;
			}
		} else {
			return 0;
		}
		/* a locator must end at a separator */
		if (*p && !strchr(" ,;:.(\t", *p))
			return 0;
	}
	return 1;
}

static int citation_ok(const dc_citation *c)
{
	int letter = 0;
	for (const char *p = c->container; *p; p++)
		if (isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80)
			letter = 1;
	return letter && (c->volume[0] || c->issue[0] || c->year || c->pages[0]);
}

/* Where the locators may start: after ", ", ". ", " " before a marker or digit. */
static int locator_start(const char *p)
{
	if (isdigit((unsigned char)*p) || *p == '(')
		return 1;
	return marker_at(p, vol_markers) || marker_at(p, iss_markers) || marker_at(p, page_markers);
}

int dc_citation_parse(const char *s, dc_citation *c)
{
	memset(c, 0, sizeof *c);
	s = skip_ws(s);
	size_t len = strlen(s);
	if (!len || len > 2000)
		return 0;
	/* PKP form: "Title; issue identification; pages" (2 or 3 parts) */
	const char *s1 = strstr(s, "; ");
	if (s1) {
		const char *s2 = strstr(s1 + 2, "; ");
		const char *s3 = s2 ? strstr(s2 + 2, "; ") : NULL;
		if (!s3) {
			char part[1024];
			copy_trim(c->container, sizeof c->container, s, s1);
			copy_trim(part, sizeof part, s1 + 2, s2 ? s2 : s + len);
			int ok = parse_locators(part, c, 0, 1);
			if (ok && s2) {
				copy_trim(part, sizeof part, s2 + 2, s + len);
				ok = parse_locators(part, c, 1, 0);
			}
			if (ok && citation_ok(c) && !locator_start(c->container))
				return 1;
		}
		memset(c, 0, sizeof *c);
	}
	/* citation form: find the earliest split where the rest parses as locators */
	for (const char *p = s + 1; *p; p++) {
		if (!(p[-1] == ' ' || p[-1] == ',' || p[-1] == '.' || p[-1] == ';'))
			continue;
		if (is_space(*p) || !locator_start(p))
			continue;
		dc_citation t;
		memset(&t, 0, sizeof t);
		const char *e = p;
		while (e > s && (is_space(e[-1]) || e[-1] == ',' || e[-1] == ';' || e[-1] == ':'))
			e--;
		/* keep a trailing '.' only when it ends an abbreviation ("J. Appl. Phys.") */
		if (e > s && e[-1] == '.' && e - s >= 2 && is_space(e[-2]))
			e--;
		copy_trim(t.container, sizeof t.container, s, e);
		if (strchr(t.container, ';'))
			break; /* "A; B; 15": a list, not a journal title */
		if (parse_locators(p, &t, 0, 0) && citation_ok(&t)) {
			/* "Journal of Things. 2008;9(1)" -> drop a sentence-final dot */
			size_t cl = strlen(t.container);
			if (cl > 1 && t.container[cl - 1] == '.') {
				const char *w = strrchr(t.container, ' ');
				w = w ? w + 1 : t.container;
				if (strlen(w) > 5)
					t.container[cl - 1] = '\0';
			}
			*c = t;
			return 1;
		}
	}
	memset(c, 0, sizeof *c);
	return 0;
}

int dc_citation_format(const dc_citation *c, cw_buf *out)
{
	int rc = cw_buf_append(out, c->container, CW_NUL);
	if (c->volume[0] || c->issue[0] || c->year || c->issue_title[0]) {
		rc |= cw_buf_append(out, "; ", CW_NUL);
		const char *sep = "";
		if (c->volume[0]) {
			rc |= cw_buf_printf(out, "Vol. %s", c->volume);
			sep = " ";
		}
		if (c->issue[0]) {
			rc |= cw_buf_printf(out, "%sNo. %s", sep, c->issue);
			sep = " ";
		}
		if (c->year) {
			rc |= cw_buf_printf(out, "%s(%d)", sep, c->year);
			sep = " ";
		}
		if (c->issue_title[0])
			rc |= cw_buf_printf(out, "%s%s", c->year ? ": " : sep, c->issue_title);
	}
	if (c->pages[0])
		rc |= cw_buf_printf(out, "; %s", c->pages);
	return rc ? CW_ENOMEM : CW_OK;
}
