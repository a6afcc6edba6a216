/*
 * ISO 8601 / EDTF dates <-> cw_date.
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

static int days_in_month(int32_t y, int32_t m)
{
	static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
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
		return 1;
	}
	if (skip_unspecified(s, len, i)) {
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
			if (p->m > 12 || p->d < 1 || p->d > days_in_month(p->y, p->m))
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

static int put_point(cw_buf *b, int32_t y, int32_t m, int32_t dd, uint8_t parts, uint32_t flags)
{
	int rc = y < 0 ? cw_buf_printf(b, "-%04ld", -(long)y) : cw_buf_printf(b, "%04ld", (long)y);
	if (rc == CW_OK && parts >= 2)
		rc = cw_buf_printf(b, "-%02ld", (long)m);
	if (rc == CW_OK && parts >= 3)
		rc = cw_buf_printf(b, "-%02ld", (long)dd);
	uint32_t q = flags & (CW_DATE_CIRCA | CW_DATE_UNCERTAIN);
	if (rc == CW_OK && q)
		rc = cw_buf_putc(b, q == (CW_DATE_CIRCA | CW_DATE_UNCERTAIN) ? '%'
		                    : q == CW_DATE_CIRCA                     ? '~'
		                                                             : '?');
	return rc;
}

/* "19XX" for the range 1900/1999 read from it; 0 when d is no such range. */
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
	return cw_buf_append(b, y, 4) == CW_OK;
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
