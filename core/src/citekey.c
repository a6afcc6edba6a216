/*
 * Generated citation keys: the first creator's family name, the year and the
 * first significant word of the title, folded to lower-case ASCII
 * ("smith2008kazakhstan"). The BibTeX writer and the CSL-JSON writer (for
 * ids) share this one scheme, so the same record gets the same key in both.
 */
#include <stdint.h>
#include <string.h>

#include "internal.h"

#include "fold_table.h"

/* The ASCII letters of code point cp ("" when it has none). */
static const char *fold_cp(uint32_t cp)
{
	size_t lo = 0, hi = sizeof fold_rows / sizeof fold_rows[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (fold_rows[mid].cp == cp)
			return fold_rows[mid].ascii;
		if (fold_rows[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return "";
}

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * Appends plain text s folded to ASCII: other ASCII bytes become spaces
 * (word breaks), other code points nothing ("O’Brien" is one word).
 */
static int fold(cw_buf *out, const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (cw_buf_putc(out, is_alnum((char)c) ? (char)c : ' '))
				return CW_ENOMEM;
			i++;
			continue;
		}
		uint32_t cp;
		i += cw_utf8_decode(s + i, len - i, &cp);
		if (cw_buf_append(out, fold_cp(cp), CW_NUL))
			return CW_ENOMEM;
	}
	return CW_OK;
}

static int stop_word(const char *w, size_t n)
{
	static const char *const stop[] = {
	    "a",   "an",   "the", "on",  "of",  "in",  "and",  "for",   "to",  "with",
	    "at",  "from", "by",  "der", "die", "das", "le",   "la",    "les", "el",
	    "los", "il",   "de",  "un",  "une", "ein", "eine", "about", "is",  "are"};
	for (size_t i = 0; i < sizeof stop / sizeof stop[0]; i++)
		if (strlen(stop[i]) == n && strncmp(stop[i], w, n) == 0)
			return 1;
	return 0;
}

/*
 * Appends up to max_words words of folded text, lower-cased, run together;
 * with skip_stop the first word that is not a stop word, at most 31 letters.
 */
static int words(cw_buf *out, const char *folded, int max_words, int skip_stop)
{
	const char *p = folded;
	int n = 0;
	while (*p && n < max_words) {
		while (*p == ' ')
			p++;
		const char *q = p;
		while (*q && *q != ' ')
			q++;
		if (q == p)
			break;
		char lw[32];
		size_t l = (size_t)(q - p);
		if (skip_stop && l > sizeof lw - 1)
			l = sizeof lw - 1;
		for (size_t i = 0; i < (size_t)(q - p); i++) {
			char c = p[i] >= 'A' && p[i] <= 'Z' ? (char)(p[i] + 32) : p[i];
			if (i < sizeof lw)
				lw[i] = c;
			if (!skip_stop && cw_buf_putc(out, c))
				return CW_ENOMEM;
		}
		p = q;
		if (skip_stop) {
			if (stop_word(lw, l))
				continue;
			return cw_buf_append(out, lw, l);
		}
		n++;
	}
	return CW_OK;
}

int cw_record_make_key(const cw_record *rec, enum cw_key_scheme scheme, cw_buf *out)
{
	if (!rec || !out)
		return CW_EINVAL;
	static const enum cw_field who[] = {CW_FIELD_AUTHOR, CW_FIELD_EDITOR, CW_FIELD_TRANSLATOR,
	                                    CW_FIELD_CONTAINER_AUTHOR};
	const cw_name *n = NULL;
	for (size_t i = 0; i < sizeof who / sizeof who[0] && !n; i++)
		n = cw_record_name(rec, who[i], 0);
	size_t start = out->len;
	cw_buf tmp = CW_BUF_INIT;
	int rc = CW_OK;
	if (n && !(n->flags & CW_NAME_ETAL)) {
		const char *s = n->family ? n->family : n->literal ? n->literal : n->given;
		rc = fold(&tmp, s ? s : "");
		if (rc == CW_OK)
			rc = words(out, cw_buf_str(&tmp), n->family ? 3 : 1, 0);
	}
	if (rc == CW_OK && out->len == start)
		rc = cw_buf_append(out, "anon", 4);
	const cw_date *d = cw_record_date(rec, CW_FIELD_ISSUED);
	if (rc == CW_OK && d && d->parts)
		rc = cw_buf_printf(out, "%d", (int)d->year);
	const char *t = cw_record_text(rec, CW_FIELD_TITLE);
	if (rc == CW_OK && scheme == CW_KEY_AUTH_YEAR_TITLE && t) {
		cw_buf plain = CW_BUF_INIT;
		cw_buf_clear(&tmp);
		rc = cw_rich_to_plain(&plain, t);
		if (rc == CW_OK)
			rc = fold(&tmp, cw_buf_str(&plain));
		if (rc == CW_OK)
			rc = words(out, cw_buf_str(&tmp), 1, 1);
		cw_buf_free(&plain);
	}
	cw_buf_free(&tmp);
	return rc;
}

int cw_key_suffix(cw_buf *out, unsigned long k)
{
	if (!out || k == 0)
		return CW_EINVAL;
	char tmp[16];
	int n = 0;
	while (k > 0 && n < (int)sizeof tmp) {
		k--;
		tmp[n++] = (char)('a' + k % 26);
		k /= 26;
	}
	while (n)
		if (cw_buf_putc(out, tmp[--n]))
			return CW_ENOMEM;
	return CW_OK;
}
