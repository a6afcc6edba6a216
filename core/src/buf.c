/*
 * cw_buf, the growable byte buffer, and the UTF-8 helpers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * A buffer that failed (an append ran out of memory) keeps its bytes and has
 * cap 0, so that every fast path (cap > len) fails and takes the slow one,
 * grow(), which refuses it. One that failed before it held anything points
 * at this empty string, whose byte never changes: nothing is appended to a
 * failed buffer, and code that cuts one back to its length 0 stores the
 * NUL that is there.
 */
static char failed_empty[1];

static int is_failed(const cw_buf *b)
{
	return b->cap == 0 && b->data != NULL;
}

/* Puts b in the failed state (see failed_empty); returns CW_ENOMEM. */
static int fail(cw_buf *b)
{
	if (!b->data)
		b->data = failed_empty;
	b->cap = 0;
	return CW_ENOMEM;
}

/* The slow half of cw_buf_reserve: grows the allocation. */
static int grow(cw_buf *b, size_t extra)
{
	if (is_failed(b))
		return CW_ENOMEM;
	if (extra > SIZE_MAX - b->len - 1)
		return fail(b);
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return CW_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return fail(b);
	b->data = p;
	b->cap = cap;
	return CW_OK;
}

/* room for extra bytes and the NUL (cap > len whenever cap is not 0) */
#define HAS_ROOM(b, extra) ((b)->cap > (b)->len && (extra) < (b)->cap - (b)->len)

int cw_buf_reserve(cw_buf *b, size_t extra)
{
	if (!b)
		return CW_EINVAL;
	return HAS_ROOM(b, extra) ? CW_OK : grow(b, extra);
}

int cw_buf_append(cw_buf *b, const char *s, size_t len)
{
	if (len == CW_NUL)
		len = s ? strlen(s) : 0;
	if (!b)
		return CW_EINVAL;
	if (!HAS_ROOM(b, len)) {
		int rc = grow(b, len);
		if (rc)
			return rc;
	}
	if (len)
		memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
	return CW_OK;
}

int(cw_buf_putc)(cw_buf *b, char c)
{
	if (b && b->len + 1 < b->cap) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return CW_OK;
	}
	return cw_buf_append(b, &c, 1);
}

int cw_buf_printf(cw_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char small[256];
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	int rc = CW_OK;
	if (n < 0) {
		if (b)
			fail(b); /* what was to be appended is not known */
		rc = CW_EINVAL;
	} else if ((size_t)n < sizeof small) {
		rc = cw_buf_append(b, small, (size_t)n);
	} else if ((rc = cw_buf_reserve(b, (size_t)n)) == CW_OK) {
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
		b->len += (size_t)n;
	}
	va_end(ap2);
	return rc;
}

void cw__buf_linev(cw_buf *b, const char *prefix, const char *fmt, va_list ap)
{
	if (!b)
		return;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (b->len)
		cw_buf_putc(b, '\n');
	if (prefix)
		cw_buf_printf(b, "%s: %s", prefix, msg);
	else
		cw_buf_append(b, msg, CW_NUL);
}

void(cw_buf_clear)(cw_buf *b)
{
	if (!b)
		return;
	if (is_failed(b)) { /* its size is forgotten: start again */
		cw_buf_free(b);
		return;
	}
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void cw_buf_free(cw_buf *b)
{
	if (!b)
		return;
	if (b->data != failed_empty)
		free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int cw_buf_error(const cw_buf *b)
{
	if (!b)
		return CW_EINVAL;
	return is_failed(b) ? CW_ENOMEM : CW_OK;
}

int cw_buf_fail(cw_buf *b)
{
	return b ? fail(b) : CW_EINVAL;
}

int cw_buf_append_buf(cw_buf *b, const cw_buf *part)
{
	if (!b || !part)
		return CW_EINVAL;
	if (is_failed(part))
		return is_failed(b) ? CW_ENOMEM : fail(b);
	return cw_buf_append(b, part->data, part->len);
}

const char *cw_buf_str(const cw_buf *b)
{
	return b && b->data ? b->data : "";
}

size_t cw_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	if (len == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t n = cw__utf8_len(s, len);
	if (!n) {
		*cp = 0xFFFD;
		return 1;
	}
	/* the lead byte keeps 5, 4 or 3 bits for 2, 3 or 4 bytes */
	uint32_t v = s[0] & (0x7Fu >> n);
	for (size_t i = 1; i < n; i++)
		v = (v << 6) | (s[i] & 0x3F);
	*cp = v;
	return n;
}

int cw_buf_append_escaped(cw_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	if (len == CW_NUL)
		len = s ? strlen(s) : 0;
	size_t from = 0, i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? (c >= 0x20 && c != 0x7F)
		                    : cw__utf8_len((const unsigned char *)s + i, len - i);
		if (n) {
			i += n;
			continue;
		}
		char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
		if (cw_buf_append(b, s + from, i - from) || cw_buf_append(b, esc, 4))
			return CW_ENOMEM;
		from = ++i;
	}
	return cw_buf_append(b, s + from, len - from);
}

int cw_buf_append_utf8(cw_buf *b, const char *s, size_t len)
{
	if (len == CW_NUL)
		len = s ? strlen(s) : 0;
	int st = CW_OK;
	size_t i = 0;
	while (i < len) {
		size_t ok = cw_utf8_check(s + i, len - i);
		if (cw_buf_append(b, s + i, ok))
			return CW_ENOMEM;
		i += ok;
		if (i < len) {
			if (cw_buf_put_utf8(b, 0xFFFD))
				return CW_ENOMEM;
			i++;
			st = CW_REPLACED;
		}
	}
	return st;
}

size_t cw_utf8_check(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n = cw__utf8_len((const unsigned char *)s + i, len - i);
		if (!n)
			return i;
		i += n;
	}
	return len;
}

int cw_buf_put_utf8(cw_buf *b, uint32_t cp)
{
	char tmp[4];
	size_t n;
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		tmp[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		tmp[0] = (char)(0xC0 | (cp >> 6));
		tmp[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		tmp[0] = (char)(0xE0 | (cp >> 12));
		tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		tmp[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		tmp[0] = (char)(0xF0 | (cp >> 18));
		tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		tmp[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return cw_buf_append(b, tmp, n);
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int cw__ascii_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = ascii_lower((unsigned char)*a), cb = ascii_lower((unsigned char)*b);
		if (ca != cb || !ca)
			return ca - cb;
	}
}

int cw__ascii_ncasecmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int ca = ascii_lower((unsigned char)a[i]), cb = ascii_lower((unsigned char)b[i]);
		if (ca != cb || !ca)
			return ca - cb;
	}
	return 0;
}

/* 1 if byte c goes into a JSON string as it is. */
static int json_plain_byte(unsigned char c)
{
	return c >= 0x20 && c != '"' && c != '\\';
}

/* The high bit of each byte of w that is a control, a quote or a backslash. */
static uint64_t json_special(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');
	/* the high bit of a byte is set in (x - ones) & ~x when that byte is zero */
	return ((w - ones * 0x20) | (q - ones) | (bs - ones)) & ~w & high;
}

int cw_buf_append_json(cw_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	if (len == CW_NUL)
		len = s ? strlen(s) : 0;
	if (len > SIZE_MAX - 3)
		return CW_ENOMEM;
	int rc = cw_buf_reserve(b, len + 2);
	if (rc)
		return rc;
	/*
	 * Copy while checking, 8 bytes at a time, into the reserved room; the
	 * last partial word is checked as the overlapping final 8 bytes. i ends
	 * at the first word that needs escaping, everything before it copied.
	 */
	char *d = b->data + b->len + 1;
	size_t i = 0;
	uint64_t w;
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		if (json_special(w))
			break;
		memcpy(d + i, &w, 8);
	}
	if (i + 8 > len) {
		if (len >= 8) {
			memcpy(&w, s + len - 8, 8);
			if (!json_special(w)) {
				memcpy(d + len - 8, &w, 8);
				i = len;
			}
		} else {
			for (; i < len && json_plain_byte((unsigned char)s[i]); i++)
				d[i] = s[i];
		}
	}
	d[-1] = '"';
	if (i == len) { /* nothing to escape: the common case */
		d[len] = '"';
		d[len + 1] = '\0';
		b->len += len + 2;
		return CW_OK;
	}
	b->len += 1 + i;
	/* from the word that needs escaping on: copy up to each special byte,
	 * escape it, go on */
	for (;;) {
		size_t run = i;
		for (; i + 8 <= len; i += 8) {
			memcpy(&w, s + i, 8);
			if (json_special(w))
				break;
		}
		while (i < len && json_plain_byte((unsigned char)s[i]))
			i++;
		if ((rc = cw_buf_reserve(b, (i - run) + 6)))
			return rc;
		char *e = b->data + b->len;
		memcpy(e, s + run, i - run);
		e += i - run;
		if (i == len) {
			b->len = (size_t)(e - b->data);
			break;
		}
		unsigned char c = (unsigned char)s[i++];
		*e++ = '\\';
		switch (c) {
		case '"':
			*e++ = '"';
			break;
		case '\\':
			*e++ = '\\';
			break;
		case '\n':
			*e++ = 'n';
			break;
		case '\t':
			*e++ = 't';
			break;
		case '\r':
			*e++ = 'r';
			break;
		case '\b':
			*e++ = 'b';
			break;
		case '\f':
			*e++ = 'f';
			break;
		default:
			*e++ = 'u', *e++ = '0', *e++ = '0';
			*e++ = hex[c >> 4], *e++ = hex[c & 15];
		}
		b->len = (size_t)(e - b->data);
	}
	return cw_buf_putc(b, '"');
}

/*
 * What cw_buf_append_xml writes for an ASCII byte: NULL to copy it, "" to
 * drop it, else its escape; attr: in an attribute value.
 */
static const char *xml_ascii_escape(unsigned char c, int attr)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '\r':
		return "&#13;";
	case '"':
		return attr ? "&quot;" : NULL;
	case '\t':
		return attr ? "&#9;" : NULL;
	case '\n':
		return attr ? "&#10;" : NULL;
	default:
		return c < 0x20 ? "" : NULL; /* XML 1.0 has no form for other C0 controls */
	}
}

int cw_buf_append_xml(cw_buf *b, const char *s, size_t len, enum cw_xml_mode mode)
{
	if (len == CW_NUL)
		len = s ? strlen(s) : 0;
	int attr = mode == CW_XML_ATTR, replaced = 0, rc = CW_OK;
	size_t from = 0, i = 0;
	while (i < len && rc == CW_OK) {
		const unsigned char *p = (const unsigned char *)s + i;
		const char *rep = NULL;
		size_t n = 1;
		if (*p < 0x80) {
			if (*p >= 0x3F || (*p >= 0x20 && *p != '&' && *p != '<' && *p != '>' &&
			                   *p != '"')) {
				i++; /* the common case: nothing to escape */
				continue;
			}
			rep = xml_ascii_escape(*p, attr);
		} else {
			n = cw__utf8_len(p, len - i);
			/* EF BF BE and EF BF BF are U+FFFE and U+FFFF */
			if (n == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)
				rep = "\xEF\xBF\xBD";
			else if (n == 0)
				rep = "\xEF\xBF\xBD", n = 1;
			replaced |= rep != NULL;
		}
		if (!rep) {
			i += n;
			continue;
		}
		replaced |= !*rep;
		rc = cw_buf_append(b, s + from, i - from);
		if (rc == CW_OK)
			rc = cw_buf_append(b, rep, CW_NUL);
		i += n;
		from = i;
	}
	if (rc == CW_OK)
		rc = cw_buf_append(b, s + from, len - from);
	return rc ? rc : replaced ? CW_REPLACED : CW_OK;
}
