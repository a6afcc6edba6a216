/*
 * Rich text markers, the walker, and the text cleaning that keeps the
 * record's invariants (valid UTF-8, no stray control bytes, balanced
 * markers).
 */
#include <string.h>

#include "internal.h"

static const char open_bytes[CW_STYLE_COUNT_] = {
	CW_RICH_MARKER_ITALIC, CW_RICH_MARKER_BOLD,   CW_RICH_MARKER_SUP,  CW_RICH_MARKER_SUB,
	CW_RICH_MARKER_SMALLCAPS, CW_RICH_MARKER_NOCASE, CW_RICH_MARKER_MONO,
};

/* byte (< 0x20) -> style + 1 for openers, -(style + 1) for closers, 0 otherwise */
static const signed char marker_class[32] = {
	[0x01] = 1,  [0x02] = -1, [0x03] = 2,  [0x04] = -2, [0x05] = 3,  [0x06] = -3,
	[0x07] = 4,  [0x08] = -4, [0x0b] = 5,  [0x0c] = -5, [0x0e] = 6,  [0x0f] = -6,
	[0x10] = 7,  [0x11] = -7,
};

char cw_rich_open_byte(enum cw_style style)
{
	return (unsigned)style < CW_STYLE_COUNT_ ? open_bytes[style] : '\0';
}

char cw_rich_close_byte(enum cw_style style)
{
	return (unsigned)style < CW_STYLE_COUNT_ ? (char)(open_bytes[style] + 1) : '\0';
}

int cw_rich_marker_known(unsigned char c, enum cw_style *style, int *open, int known)
{
	if (c >= 32 || marker_class[c] == 0)
		return 0;
	int k = marker_class[c];
	int st = (k > 0 ? k : -k) - 1;
	if (st >= known)
		return 0;
	if (style)
		*style = (enum cw_style)st;
	if (open)
		*open = k > 0;
	return 1;
}

int(cw_rich_marker)(unsigned char c, enum cw_style *style, int *open)
{
	return cw_rich_marker_known(c, style, open, CW__V10_STYLE_COUNT);
}

int cw_rich_open(cw_buf *b, enum cw_style style)
{
	if ((unsigned)style >= CW_STYLE_COUNT_)
		return CW_EINVAL;
	return cw_buf_putc(b, open_bytes[style]);
}

int cw_rich_close(cw_buf *b, enum cw_style style)
{
	if ((unsigned)style >= CW_STYLE_COUNT_)
		return CW_EINVAL;
	return cw_buf_putc(b, (char)(open_bytes[style] + 1));
}

/*
 * The next event of the text at *at: a run (text, len), or a marker of one
 * of the first `known` styles (style). Markers of later styles end a run and
 * are skipped. marker_class is 0 for tab and newline, which are text.
 */
static enum cw_rich_event rich_step(const char **at, int known, const char **text, size_t *len,
                                    enum cw_style *style)
{
	const unsigned char *p = (const unsigned char *)*at;
	if (!p)
		return CW_RICH_END;
	for (; *p && *p < 32 && marker_class[*p]; p++) {
		int k = marker_class[*p];
		int st = (k > 0 ? k : -k) - 1;
		if (st < known) {
			*style = (enum cw_style)st;
			*at = (const char *)p + 1;
			return k > 0 ? CW_RICH_OPEN : CW_RICH_CLOSE;
		}
		/* else a style the caller does not know: skipped */
	}
	*at = (const char *)p;
	if (!*p)
		return CW_RICH_END;
	const unsigned char *q = p;
	for (;;) {
		while (*q >= 0x20) /* the common case first */
			q++;
		if (!*q || marker_class[*q])
			break;
		q++;
	}
	*text = (const char *)p;
	*len = (size_t)(q - p);
	*at = (const char *)q;
	return CW_RICH_TEXT;
}

enum cw_rich_event cw_rich_iter_next(cw_rich_iter *it)
{
	if (!it || it->struct_size < offsetof(cw_rich_iter, style) + sizeof it->style)
		return CW_RICH_END;
	return rich_step(&it->p, (int)it->styles, &it->text, &it->len, &it->style);
}

enum cw_rich_event(cw_rich_next)(cw__rich_iter_v10 *it)
{
	if (!it)
		return CW_RICH_END;
	return rich_step(&it->p, CW__V10_STYLE_COUNT, &it->text, &it->len, &it->style);
}

int cw_rich_to_plain(cw_buf *out, const char *rich)
{
	if (!rich)
		return CW_OK;
	const char *run = rich;
	const char *p = rich;
	for (; *p; p++) {
		if (cw_rich_marker((unsigned char)*p, NULL, NULL)) {
			int rc = cw_buf_append(out, run, (size_t)(p - run));
			if (rc)
				return rc;
			run = p + 1;
		}
	}
	return cw_buf_append(out, run, (size_t)(p - run));
}

int cw_rich_has_markup(const char *s)
{
	for (; s && *s; s++)
		if (cw_rich_marker((unsigned char)*s, NULL, NULL))
			return 1;
	return 0;
}

int cw_rich_normalize(cw_buf *out, const char *s, size_t len)
{
	int replaced = 0;
	int rc = cw__text_clean(out, s, len, 1, &replaced);
	if (rc)
		return rc;
	return replaced ? CW_REPLACED : CW_OK;
}

/* --- cleaning --- */

static int is_trim_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

enum { MAX_STYLE_DEPTH = 64 };

typedef struct cleaner {
	cw_buf *out;
	size_t start; /* where this value begins in out */
	enum cw_style stack[MAX_STYLE_DEPTH];
	int depth;
	int *replaced;
} cleaner;

static int emit_open(cleaner *c, enum cw_style st)
{
	return cw_buf_putc(c->out, open_bytes[st]);
}

/* Closes a style; an empty span (opener just written) disappears instead. */
static int emit_close(cleaner *c, enum cw_style st)
{
	cw_buf *b = c->out;
	if (b->len > c->start && b->data[b->len - 1] == open_bytes[st]) {
		b->data[--b->len] = '\0';
		return CW_OK;
	}
	return cw_buf_putc(b, (char)(open_bytes[st] + 1));
}

static int handle_marker(cleaner *c, enum cw_style st, int open)
{
	int rc = CW_OK;
	if (open) {
		if (c->depth == MAX_STYLE_DEPTH) {
			*c->replaced = 1;
			return CW_OK;
		}
		c->stack[c->depth++] = st;
		return emit_open(c, st);
	}
	int k = c->depth - 1;
	while (k >= 0 && c->stack[k] != st)
		k--;
	if (k < 0) { /* closes nothing */
		*c->replaced = 1;
		return CW_OK;
	}
	if (k != c->depth - 1)
		*c->replaced = 1;
	/* close the styles above k, close st, reopen the ones above */
	for (int i = c->depth - 1; i > k && rc == CW_OK; i--)
		rc = emit_close(c, c->stack[i]);
	if (rc == CW_OK)
		rc = emit_close(c, st);
	for (int i = k + 1; i < c->depth && rc == CW_OK; i++) {
		c->stack[i - 1] = c->stack[i];
		rc = emit_open(c, c->stack[i]);
	}
	c->depth--;
	return rc;
}

/*
 * Markers may hide white space at the edges ("\x01 Title \x02") or leave
 * spans that hold nothing once it is gone: drop white space before the
 * first and after the last text byte, then drop the spans left empty.
 */
static void trim_edges(cw_buf *out, size_t start)
{
	char *d = out->data;
	size_t w = start;
	int seen_text = 0;
	size_t last_text = start; /* end of the last text byte written */
	for (size_t i = start; i < out->len; i++) {
		unsigned char ch = (unsigned char)d[i];
		int marker = cw_rich_marker(ch, NULL, NULL);
		if (!marker && !seen_text && is_trim_space(ch))
			continue;
		d[w++] = (char)ch;
		if (!marker) {
			seen_text = 1;
			if (!is_trim_space(ch))
				last_text = w;
		}
	}
	/* white space after last_text goes, markers stay */
	size_t end = w;
	w = last_text;
	for (size_t i = last_text; i < end; i++)
		if (cw_rich_marker((unsigned char)d[i], NULL, NULL))
			d[w++] = d[i];
	/* empty spans: an opener directly followed by its closer, innermost first */
	size_t k = start;
	for (size_t i = start; i < w; i++) {
		enum cw_style st;
		int open;
		if (k > start && cw_rich_marker((unsigned char)d[i], &st, &open) && !open &&
		    d[k - 1] == open_bytes[st]) {
			k--;
			continue;
		}
		d[k++] = d[i];
	}
	out->len = k;
	if (out->data)
		out->data[k] = '\0';
}

/*
 * 1 if trim_edges would change nothing: the first and last bytes that are
 * not markers are not white space. (The cleaner drops a span as soon as it
 * closes empty, so only white space at an edge can leave one behind.)
 */
static int edges_trimmed(const cw_buf *out, size_t start)
{
	const unsigned char *d = (const unsigned char *)out->data;
	size_t a = start, z = out->len;
	while (a < z && cw_rich_marker(d[a], NULL, NULL))
		a++;
	while (z > a && cw_rich_marker(d[z - 1], NULL, NULL))
		z--;
	return a < z && !is_trim_space(d[a]) && !is_trim_space(d[z - 1]);
}

/* 1 if 8 bytes at p are all printable ASCII (0x20..0x7F). */
static int word_printable(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	/* a byte below 0x20 or with the high bit set shows in the high bits */
	return ((w - ones * 0x20) | w) & high ? 0 : 1;
}

size_t cw__text_trim(const char **s, size_t len)
{
	const char *p = *s;
	while (len && is_trim_space((unsigned char)p[0]))
		p++, len--;
	while (len && is_trim_space((unsigned char)p[len - 1]))
		len--;
	*s = p;
	return len;
}

size_t cw__text_clean_prefix(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		if (len - i >= 8 && word_printable(p + i)) {
			i += 8;
			continue;
		}
		unsigned c = p[i];
		if (c >= 0x20 && c < 0x80) {
			i++;
			continue;
		}
		if (c < 0x80) /* controls, markers, tab, newline: the cleaner decides */
			return i;
		size_t n = cw__utf8_len(p + i, len - i);
		if (!n || (n == 3 && c == 0xEF && p[i + 1] == 0xBF && p[i + 2] >= 0xBE))
			return i; /* invalid, or the non-characters U+FFFE/U+FFFF */
		i += n;
	}
	return len;
}

int cw__text_clean(cw_buf *out, const char *s, size_t len, int rich, int *replaced)
{
	if (len == CW_NUL)
		len = s ? strlen(s) : 0;
	len = cw__text_trim(&s, len);
	return cw__text_clean_rest(out, s, len, cw__text_clean_prefix(s, len), rich, replaced);
}

int cw__text_clean_rest(cw_buf *out, const char *s, size_t len, size_t i, int rich,
                        int *replaced)
{
	int rc = cw_buf_reserve(out, len);
	if (rc)
		return rc;
	if (i == len) /* printable and valid already */
		return cw_buf_append(out, s, len);
	cleaner c = {.out = out, .start = out->len, .depth = 0, .replaced = replaced};
	rc = cw_buf_append(out, s, i);
	while (rc == CW_OK && i < len) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x20) {
			/* one append for a whole run of printable ASCII and valid UTF-8 */
			const unsigned char *u = (const unsigned char *)s;
			size_t j = i, n = 0;
			while (j < len) {
				if (len - j >= 8 && word_printable(u + j)) {
					j += 8;
					continue;
				}
				if (u[j] < 0x20)
					break;
				if (u[j] < 0x80) {
					j++;
					continue;
				}
				n = cw__utf8_len(u + j, len - j);
				if (!n || (n == 3 && u[j] == 0xEF && u[j + 1] == 0xBF && u[j + 2] >= 0xBE)) {
					n = n ? n : 1; /* a non-character goes whole, a bad byte alone */
					break;
				}
				j += n;
			}
			rc = cw_buf_append(out, s + i, j - i);
			i = j;
			if (rc == CW_OK && i < len && (unsigned char)s[i] >= 0x80) {
				/* the run stopped at an invalid sequence or a non-character */
				*replaced = 1;
				rc = cw_buf_append(out, "\xEF\xBF\xBD", 3);
				i += n;
			}
		} else if (ch == '\t' || ch == '\n') {
			rc = cw_buf_putc(out, (char)ch);
			i++;
		} else if (ch == '\r') {
			if (!(i + 1 < len && s[i + 1] == '\n'))
				rc = cw_buf_putc(out, '\n');
			i++;
		} else {
			enum cw_style st;
			int open;
			if (rich && cw_rich_marker(ch, &st, &open))
				rc = handle_marker(&c, st, open);
			else
				*replaced = 1;
			i++;
		}
	}
	while (rc == CW_OK && c.depth > 0) {
		*replaced = 1;
		rc = emit_close(&c, c.stack[--c.depth]);
	}
	if (rc == CW_OK && out->len > c.start && !edges_trimmed(out, c.start))
		trim_edges(out, c.start);
	return rc;
}
