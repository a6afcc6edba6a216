/*
 * ISO 8601 / EDTF dates <-> cw_date, and the other ways people write
 * dates (cw_date_parse), with the check that a date is one of the calendar.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

typedef struct point {
	int32_t y, m, d;
	uint8_t parts;
	uint32_t flags;
	int32_t spread; /* unspecified year digits: the year is y..y+spread */
} point;

static int digits(const char *s, size_t len, size_t *i, size_t n, int32_t *out)
{
	int32_t v = 0;
	for (size_t k = 0; k < n; k++) {
		if (*i + k >= len || s[*i + k] < '0' || s[*i + k] > '9')
			return 0;
		v = v * 10 + (s[*i + k] - '0');
	}
	*i += n;
	*out = v;
	return 1;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int cw_date_days_in_month(int32_t y, int m)
{
	static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	if (m == 2) {
		/* proleptic Gregorian, as ISO 8601 counts */
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		return leap ? 29 : 28;
	}
	return days[m - 1];
}

/* 1 if b is earlier than a on the parts both know (a season is not ordered against a month). */
static int before(const point *b, const point *a)
{
	if (b->y != a->y)
		return b->y < a->y;
	if (b->parts < 2 || a->parts < 2 || (b->m > 12) != (a->m > 12) || b->m == a->m)
		return b->m == a->m && b->parts >= 3 && a->parts >= 3 && b->d < a->d;
	return b->m < a->m;
}

/*
 * The end of "open" or "unknown" at s[i..len) (an earlier EDTF draft's
 * words for an open or unknown end of an interval, which biber and pandoc
 * read: "1999/open"), else 0. CSL cannot tell the two apart.
 */
static size_t open_word(const char *s, size_t len, size_t i)
{
	static const char *const words[] = {"open", "unknown"};
	for (size_t k = 0; k < 2; k++) {
		size_t n = strlen(words[k]);
		if (len - i >= n && memcmp(s + i, words[k], n) == 0 &&
		    (i + n == len || s[i + n] == '/'))
			return i + n;
	}
	return 0;
}

/* 1 (and *i past it) if s[*i..] is an unspecified month or day: "-XX" ("-uu"). */
static int skip_unspecified(const char *s, size_t len, size_t *i)
{
	if (*i + 3 > len || s[*i] != '-' || (s[*i + 1] != 'X' && s[*i + 1] != 'u') ||
	    s[*i + 2] != s[*i + 1])
		return 0;
	*i += 3;
	return 1;
}

/* Parses one EDTF date at s[*i..len). */
static int parse_point(const char *s, size_t len, size_t *i, point *p)
{
	memset(p, 0, sizeof *p);
	int neg = 0;
	if (*i < len && s[*i] == '-') {
		neg = 1;
		(*i)++;
	}
	/* EDTF's unspecified digits: "19XX" (older drafts "19uu") is some year
	 * of the century, kept as the range of years it may be */
	int32_t span = 1;
	size_t known = 4;
	for (size_t k = 1; k <= 4 && *i + 4 <= len; k++) {
		char c = s[*i + 4 - k];
		if (c != 'X' && c != 'u')
			break;
		known = 4 - k;
		span *= 10;
	}
	if (known < 4) {
		if (neg || known == 0 || !digits(s, len, i, known, &p->y))
			return 0;
		*i += 4 - known;
		p->y *= span;
		p->spread = span - 1;
	} else if (!digits(s, len, i, 4, &p->y)) {
		return 0;
	}
	if (*i < len && is_digit(s[*i]))
		return 0; /* more than four digits: not handled */
	if (neg)
		p->y = -p->y;
	p->parts = 1;
	if (p->spread) {
		/* a month or day of an unspecified year says nothing more */
		if (skip_unspecified(s, len, i))
			skip_unspecified(s, len, i);
	} else if (skip_unspecified(s, len, i)) {
		skip_unspecified(s, len, i); /* "2004-XX(-XX)": the month is not known */
	} else if (*i + 2 < len + 0 && s[*i] == '-' && is_digit(s[*i + 1])) {
		(*i)++;
		if (!digits(s, len, i, 2, &p->m))
			return 0;
		if (!((p->m >= 1 && p->m <= 12) || (p->m >= 21 && p->m <= 24)))
			return 0;
		p->parts = 2;
		if (skip_unspecified(s, len, i)) {
			/* "2004-05-XX": the day is not known */
		} else if (*i + 2 < len + 0 && s[*i] == '-' && is_digit(s[*i + 1])) {
			(*i)++;
			if (!digits(s, len, i, 2, &p->d))
				return 0;
			if (p->m > 12 || p->d < 1 || p->d > cw_date_days_in_month(p->y, p->m))
				return 0;
			p->parts = 3;
			if (*i < len && (s[*i] == 'T' || s[*i] == 't' || s[*i] == ' ')) {
				/* a time: hh:mm[:ss[.f]][Z|+hh:mm]; checked loosely, then dropped
				 */
				size_t j = *i + 1;
				int32_t hh;
				if (digits(s, len, &j, 2, &hh) && hh <= 24) {
					while (j < len &&
					       (is_digit(s[j]) || strchr(":.+-Zz", s[j])))
						j++;
					*i = j;
				} else if (s[*i] != ' ') {
					return 0;
				}
			}
		}
	}
	while (*i < len && (s[*i] == '?' || s[*i] == '~' || s[*i] == '%')) {
		if (s[*i] != '?')
			p->flags |= CW_DATE_CIRCA;
		if (s[*i] != '~')
			p->flags |= CW_DATE_UNCERTAIN;
		(*i)++;
	}
	return 1;
}

int cw_date_parse_iso(cw_date *out, const char *s, size_t len)
{
	if (!out || !s)
		return CW_EINVAL;
	if (len == CW_NUL)
		len = strlen(s);
	while (len && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n'))
		len--;
	if (!len)
		return CW_EFORMAT;

	cw_date d = CW_DATE_INIT;
	size_t i = 0;
	point a, b;
	int open_start = 0;
	if (len >= 2 && s[0] == '.' && s[1] == '.') {
		open_start = 1;
		i = 2;
	} else if (s[0] == '/') {
		open_start = 1;
	} else if ((i = open_word(s, len, 0)) != 0) {
		open_start = 1; /* "unknown/2004": an earlier EDTF draft's open start */
	} else if (!parse_point(s, len, &i, &a)) {
		return CW_EFORMAT;
	}
	if (i == len) {
		if (open_start)
			return CW_EFORMAT;
		d.year = a.y, d.month = a.m, d.day = a.d, d.parts = a.parts, d.flags = a.flags;
		if (a.spread) { /* "19XX": the years it may be */
			d.end_year = a.y + a.spread, d.end_parts = 1;
			d.flags |= CW_DATE_UNSPECIFIED;
		}
		*out = d;
		return CW_OK;
	}
	if (s[i] != '/')
		return CW_EFORMAT;
	i++;
	if (i == len || (len - i == 2 && s[i] == '.' && s[i + 1] == '.') ||
	    open_word(s, len, i) == len) {
		if (open_start)
			return CW_EFORMAT;
		d.year = a.y, d.month = a.m, d.day = a.d, d.parts = a.parts;
		d.flags = a.flags | CW_DATE_OPEN_END;
		*out = d;
		return CW_OK;
	}
	if (!parse_point(s, len, &i, &b) || i != len)
		return CW_EFORMAT;
	if (open_start) {
		/* "../2008": only the end is known; keep it as the end of a range */
		d.end_year = b.y, d.end_month = b.m, d.end_day = b.d, d.end_parts = b.parts;
		d.flags = b.flags | CW_DATE_OPEN_START;
		*out = d;
		return CW_OK;
	}
	b.y += b.spread; /* "1990/20XX" ends with the last year it may be */
	if (before(&b, &a))
		return CW_EFORMAT; /* an interval ends after it starts */
	d.year = a.y, d.month = a.m, d.day = a.d, d.parts = a.parts;
	d.end_year = b.y, d.end_month = b.m, d.end_day = b.d, d.end_parts = b.parts;
	d.flags = a.flags | b.flags;
	*out = d;
	return CW_OK;
}

/* EDTF's qualifier after a date: "~" approximate, "?" uncertain, "%" both. */
static int put_qualifier(cw_buf *b, uint32_t flags)
{
	uint32_t q = flags & (CW_DATE_CIRCA | CW_DATE_UNCERTAIN);
	if (!q)
		return CW_OK;
	return cw_buf_putc(b, q == (CW_DATE_CIRCA | CW_DATE_UNCERTAIN) ? '%'
	                      : q == CW_DATE_CIRCA                     ? '~'
	                                                               : '?');
}

static int put_point(cw_buf *b, int32_t y, int32_t m, int32_t dd, uint8_t parts, uint32_t flags)
{
	int rc = y < 0 ? cw_buf_printf(b, "-%04ld", -(long)y) : cw_buf_printf(b, "%04ld", (long)y);
	if (rc == CW_OK && parts >= 2)
		rc = cw_buf_printf(b, "-%02ld", (long)m);
	if (rc == CW_OK && parts >= 3)
		rc = cw_buf_printf(b, "-%02ld", (long)dd);
	return rc == CW_OK ? put_qualifier(b, flags) : rc;
}

/* "19XX" for the range 1900/1999 read from it, with its qualifier ("19XX~");
 * 0 when d is no such range. */
static int put_unspecified(const cw_date *d, cw_buf *b)
{
	int32_t span = d->end_year - d->year + 1;
	if (!(d->flags & CW_DATE_UNSPECIFIED) || d->parts != 1 || d->end_parts != 1 ||
	    d->year < 0 || d->year > 9999 || (span != 10 && span != 100 && span != 1000) ||
	    d->year % span)
		return 0;
	char y[16];
	snprintf(y, sizeof y, "%04ld", (long)d->year);
	for (int k = 3; span > 1; k--, span /= 10)
		y[k] = 'X';
	return cw_buf_append(b, y, 4) == CW_OK && put_qualifier(b, d->flags) == CW_OK;
}

int cw_date_format_iso(const cw_date *d, cw_buf *b)
{
	if (!d || !b || (d->parts == 0 && d->end_parts == 0))
		return CW_EINVAL;
	if (put_unspecified(d, b))
		return CW_OK;
	int rc = CW_OK;
	if (d->parts)
		rc = put_point(b, d->year, d->month, d->day, d->parts, d->flags);
	else
		rc = cw_buf_append(b, "..", 2);
	if (rc == CW_OK && d->end_parts) {
		rc = cw_buf_putc(b, '/');
		if (rc == CW_OK)
			rc = put_point(b, d->end_year, d->end_month, d->end_day, d->end_parts,
			               d->flags);
	} else if (rc == CW_OK && (d->flags & CW_DATE_OPEN_END)) {
		rc = cw_buf_append(b, "/..", 3);
	}
	return rc;
}

/* --- checking a date against the calendar ------------------------------- */

/*
 * CW_OK if y-m-d (parts of it) is a day, month or season of the calendar;
 * csl_seasons also takes CSL's months 13-16 for the seasons.
 */
static int check_point(int32_t y, int32_t m, int32_t d, uint8_t parts, int csl_seasons, cw_buf *why)
{
	if (parts >= 2 &&
	    !((m >= 1 && m <= 12) || (m >= 21 && m <= 24) || (csl_seasons && m >= 13 && m <= 16))) {
		if (why)
			cw_buf_printf(why, "there is no month %ld", (long)m);
		return CW_EFORMAT;
	}
	if (parts >= 3 && (m > 12 || d < 1 || d > cw_date_days_in_month(y, (int)m))) {
		if (why) {
			if (m > 12)
				cw_buf_printf(why, "a season has no day %ld", (long)d);
			else
				cw_buf_printf(why, "there is no %ld %s %ld", (long)d,
				              cw_month_name((int)m, 0), (long)y);
		}
		return CW_EFORMAT;
	}
	return CW_OK;
}

int cw_date_check(const cw_date *d, cw_buf *why)
{
	if (!d)
		return CW_EINVAL;
	if (check_point(d->year, d->month, d->day, d->parts, 1, why) ||
	    check_point(d->end_year, d->end_month, d->end_day, d->end_parts, 1, why))
		return CW_EFORMAT;
	point a = {d->year, d->month, d->day, d->parts, 0, 0};
	point b = {d->end_year, d->end_month, d->end_day, d->end_parts, 0, 0};
	if (d->parts && d->end_parts && before(&b, &a)) {
		if (why)
			cw_buf_append(why, "the range ends before it starts", CW_NUL);
		return CW_EFORMAT;
	}
	return CW_OK;
}

/* --- dates as people write them ------------------------------------------ */

enum {
	TEXT_MAX = 256, /* longer text is no date: the range search below is quadratic */
	NOT_A_DATE = 0,
	A_DATE = 1,
	NO_SUCH_DATE = -1 /* a date's form, but no date of the calendar; why says why */
};

typedef struct text {
	const char *s;
	size_t n;
} text;

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static text trimmed(const char *s, size_t n)
{
	while (n && is_space(*s))
		s++, n--;
	while (n && is_space(s[n - 1]))
		n--;
	return (text){s, n};
}

static void skip_spaces(text t, size_t *i)
{
	while (*i < t.n && is_space(t.s[*i]))
		(*i)++;
}

/* A number of 1..most digits at *i, not followed by another digit; -1 if none. */
static int32_t number(text t, size_t *i, size_t most)
{
	size_t k = 0;
	int32_t v = 0;
	while (*i + k < t.n && is_digit(t.s[*i + k]) && k < most)
		v = v * 10 + (t.s[*i + k++] - '0');
	if (!k || (*i + k < t.n && is_digit(t.s[*i + k])))
		return -1;
	*i += k;
	return v;
}

/* A year of four digits at *i; -1 if none. */
static int32_t year4(text t, size_t *i)
{
	size_t j = *i;
	int32_t y = number(t, &j, 4);
	if (y < 0 || j - *i != 4)
		return -1;
	*i = j;
	return y;
}

/* The word of letters at *i (and a '.' after it); its month or season, or 0. */
static int month_word(text t, size_t *i)
{
	size_t j = *i;
	while (j < t.n && ((t.s[j] | 0x20) >= 'a' && (t.s[j] | 0x20) <= 'z'))
		j++;
	if (j < t.n && t.s[j] == '.')
		j++;
	int m = cw_month_from_name(t.s + *i, j - *i);
	if (m)
		*i = j;
	return m;
}

/* "1st", "2nd", "3rd", "30th": the letters after a day. */
static void skip_ordinal(text t, size_t *i)
{
	static const char *const ends[] = {"st", "nd", "rd", "th"};
	for (size_t k = 0; k < 4; k++)
		if (*i + 2 <= t.n && (t.s[*i] | 0x20) == ends[k][0] &&
		    (t.s[*i + 1] | 0x20) == ends[k][1] &&
		    (*i + 2 == t.n ||
		     !((t.s[*i + 2] | 0x20) >= 'a' && (t.s[*i + 2] | 0x20) <= 'z'))) {
			*i += 2;
			return;
		}
}

/* Sets p to y-m-d (parts as given) if that is a date; else says why. */
static int make_point(point *p, int32_t y, int32_t m, int32_t d, uint8_t parts, cw_buf *why)
{
	if (check_point(y, m, d, parts, 0, why))
		return NO_SUCH_DATE;
	memset(p, 0, sizeof *p);
	p->y = y, p->m = m, p->d = d, p->parts = parts;
	return A_DATE;
}

/* "2008/02/29", "2008.02.29", "2008-2-29", "2008/02", and RIS's "2008/02/29/other", "2008///". */
static int numeric_ymd(text t, point *p, cw_buf *why)
{
	size_t i = 0;
	int32_t y = year4(t, &i), f[2] = {0, 0};
	if (y < 0 || i == t.n || (t.s[i] != '/' && t.s[i] != '.' && t.s[i] != '-'))
		return NOT_A_DATE;
	char sep = t.s[i];
	size_t nf = 0, slashes = 0;
	int season = 0;
	while (i < t.n && t.s[i] == sep && nf < 2) {
		i++;
		slashes++;
		int32_t v = number(t, &i, 2);
		if (v < 0 && sep != '/')
			return NOT_A_DATE;
		f[nf++] = v < 0 ? 0 : v; /* RIS leaves a part out as empty */
	}
	if (sep == '/' && i < t.n && t.s[i] == '/') {
		/* RIS: the rest after a third slash is other information; a season is read */
		i++;
		slashes++;
		text rest = trimmed(t.s + i, t.n - i);
		size_t j = 0;
		season = rest.n ? month_word(rest, &j) : 0;
		if (season && (season < 21 || j != rest.n))
			season = 0;
		i = t.n;
	}
	if (i != t.n || (sep == '/' && slashes == 1 && !f[0]))
		return NOT_A_DATE;
	if (!f[0] && f[1])
		return NOT_A_DATE; /* a day without a month */
	if (f[0] == 0 && f[1] == 0 && sep != '/')
		return NOT_A_DATE;
	if (season && !f[0])
		return make_point(p, y, season, 0, 2, why);
	return make_point(p, y, f[0], f[1], (uint8_t)(f[1] ? 3 : f[0] ? 2 : 1), why);
}

/* "29/02/2008", "29.02.2008", "02/29/2008": day and month in the order they must be. */
static int numeric_dmy(text t, unsigned flags, point *p, cw_buf *why)
{
	size_t i = 0;
	int32_t a = number(t, &i, 2);
	if (a < 0 || i == t.n || (t.s[i] != '/' && t.s[i] != '.'))
		return NOT_A_DATE;
	char sep = t.s[i++];
	int32_t b = number(t, &i, 2);
	if (b < 0 || i == t.n || t.s[i] != sep)
		return NOT_A_DATE;
	i++;
	int32_t y = year4(t, &i);
	if (y < 0 || i != t.n)
		return NOT_A_DATE;
	int32_t day = a, month = b; /* most of the world writes the day first */
	int either = a >= 1 && a <= 12 && b >= 1 && b <= 12 && a != b;
	if ((b > 12 && a <= 12) || (either && (flags & CW_DATE_PARSE_MONTH_FIRST))) {
		day = b, month = a;
	} else if (either) {
		if (why)
			cw_buf_printf(
			    why,
			    "'%.*s' may be %ld %s or %ld %s: the order of day and month is "
			    "not known",
			    (int)t.n, t.s, (long)a, cw_month_name((int)b, 0), (long)b,
			    cw_month_name((int)a, 0));
		return NO_SUCH_DATE;
	}
	return make_point(p, y, month, day, 3, why);
}

/*
 * Month names: "29 February 2008", "29th Feb. 2008", "February 29, 2008",
 * "February 2008", "Spring 2008". need_year 0 also takes "5 March",
 * "March" and "5" alone (the start of a range whose end has the year):
 * the missing parts are then 0.
 */
static int worded(text t, point *p, cw_buf *why, int need_year)
{
	size_t i = 0;
	int32_t day = 0, y;
	int m = 0;
	if (i < t.n && is_digit(t.s[i])) {
		if ((day = number(t, &i, 2)) <= 0)
			return NOT_A_DATE;
		skip_ordinal(t, &i);
		skip_spaces(t, &i);
		if (i < t.n && (!(m = month_word(t, &i)) || m > 12))
			return NOT_A_DATE;
	} else {
		if (!(m = month_word(t, &i)))
			return NOT_A_DATE;
		size_t j = i;
		skip_spaces(t, &j);
		int32_t dd = m <= 12 && j > i ? number(t, &j, 2) : -1;
		if (dd > 0) {
			skip_ordinal(t, &j);
			if (j == t.n || t.s[j] == ',' || is_space(t.s[j])) {
				day = dd;
				i = j;
			}
		}
	}
	size_t at = i;
	if (i < t.n && t.s[i] == ',')
		i++;
	skip_spaces(t, &i);
	if (i == t.n) {
		if (need_year)
			return NOT_A_DATE;
		memset(p, 0, sizeof *p); /* completed by the range's end */
		p->m = m, p->d = day;
		return A_DATE;
	}
	if (i == at) /* "March2008" */
		return NOT_A_DATE;
	if ((y = year4(t, &i)) < 0 || i != t.n || !m)
		return NOT_A_DATE;
	return make_point(p, y, m, day, (uint8_t)(day ? 3 : 2), why);
}

/* One date in any of the forms; no range. */
static int one_date(text t, unsigned flags, point *p, cw_buf *why)
{
	cw_date d = CW_DATE_INIT;
	if (cw_date_parse_iso(&d, t.s, t.n) == CW_OK) {
		if (d.end_parts || !d.parts || (d.flags & (CW_DATE_OPEN_END | CW_DATE_OPEN_START)))
			return NOT_A_DATE;
		memset(p, 0, sizeof *p);
		p->y = d.year, p->m = d.month, p->d = d.day, p->parts = d.parts, p->flags = d.flags;
		return A_DATE;
	}
	int rc;
	if ((rc = numeric_ymd(t, p, why)) != NOT_A_DATE)
		return rc;
	if ((rc = numeric_dmy(t, flags, p, why)) != NOT_A_DATE)
		return rc;
	return worded(t, p, why, 1);
}

/* Length of a range separator at t.s[i] ("-", "–", "—", "/"), else 0. */
static size_t range_sep(text t, size_t i)
{
	unsigned char c = (unsigned char)t.s[i];
	if (c == '-' || c == '/')
		return 1;
	if (c == 0xE2 && i + 2 < t.n && (unsigned char)t.s[i + 1] == 0x80 &&
	    ((unsigned char)t.s[i + 2] == 0x93 || (unsigned char)t.s[i + 2] == 0x94))
		return 3;
	return 0;
}

/* "2008-2010", "January–March 2008", "5-7 March 2008": a start, a separator, an end. */
static int date_range(text t, unsigned flags, point *a, point *b, cw_buf *why)
{
	text bad = {NULL, 0}; /* an end that names no date: said when nothing else fits */
	for (size_t i = 1; i + 1 < t.n; i++) {
		size_t k = range_sep(t, i);
		if (!k)
			continue;
		text left = trimmed(t.s, i), right = trimmed(t.s + i + k, t.n - i - k);
		if (!left.n || !right.n)
			continue;
		int rc = one_date(right, flags, b, NULL);
		if (rc == NO_SUCH_DATE && !bad.s)
			bad = right;
		if (rc != A_DATE)
			continue;
		if (one_date(left, flags, a, NULL) != A_DATE) {
			/* the start takes what it leaves out from the end: "January–March 2008" */
			if (b->parts < 2 || worded(left, a, NULL, 0) != A_DATE ||
			    (a->d && b->parts < 2))
				continue;
			int32_t m = a->m ? a->m : b->m;
			if (!a->m && b->parts < 3)
				continue; /* "5-March 2008" */
			if (make_point(a, b->y, m, a->d, (uint8_t)(a->d ? 3 : 2), why) != A_DATE)
				return NO_SUCH_DATE;
		}
		if (before(b, a)) {
			if (why)
				cw_buf_append(why, "the range ends before it starts", CW_NUL);
			return NO_SUCH_DATE;
		}
		return A_DATE;
	}
	if (bad.s)
		return one_date(bad, flags, b, why);
	return NOT_A_DATE;
}

/* A word that says "approximately" before a date: "circa", "ca.", "c."; or "c2008". */
static size_t circa_prefix(text t)
{
	static const char *const words[] = {"circa", "ca.", "ca", "c."};
	for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
		size_t n = strlen(words[k]), j = 0;
		while (j < n && j < t.n && (t.s[j] | 0x20) == words[k][j])
			j++;
		if (j == n && t.n > n && (is_space(t.s[n]) || words[k][n - 1] == '.'))
			return n;
	}
	if (t.n > 1 && t.s[0] == 'c' && is_digit(t.s[1]))
		return 1;
	return 0;
}

int cw_date_parse(cw_date *out, const char *s, size_t len, unsigned flags, cw_buf *why)
{
	if (!out || !s)
		return CW_EINVAL;
	if (len == CW_NUL)
		len = strlen(s);
	text t = trimmed(s, len);
	if (!t.n || t.n > TEXT_MAX)
		return CW_EFORMAT;
	if (t.n > 2 && t.s[0] == '[' && t.s[t.n - 1] == ']')
		t = trimmed(t.s + 1, t.n - 2); /* "[2008]": a date the cataloguer supplied */
	uint32_t circa = 0;
	size_t c = circa_prefix(t);
	if (c) {
		circa = CW_DATE_CIRCA;
		t = trimmed(t.s + c, t.n - c);
	}
	cw_date d = CW_DATE_INIT;
	if (cw_date_parse_iso(&d, t.s, t.n) == CW_OK) {
		d.flags |= circa;
		*out = d;
		return CW_OK;
	}
	point a, b = {0};
	size_t mark = why ? why->len : 0;
	int rc = one_date(t, flags, &a, why);
	if (rc == NOT_A_DATE)
		rc = date_range(t, flags, &a, &b, why);
	if (rc != A_DATE) {
		if (why && rc == NOT_A_DATE && why->len > mark)
			why->len = mark, why->data[mark] = '\0';
		return CW_EFORMAT;
	}
	d.year = a.y, d.month = a.m, d.day = a.d, d.parts = a.parts;
	if (b.parts)
		d.end_year = b.y, d.end_month = b.m, d.end_day = b.d, d.end_parts = b.parts;
	d.flags = a.flags | (b.parts ? b.flags : 0) | circa;
	*out = d;
	return CW_OK;
}
