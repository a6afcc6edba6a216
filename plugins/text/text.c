/*
 * Format "text": a reference list as plain text, read into one record per
 * reference with the core's citation parser (cw_citation_parse_text).
 *
 * Where a reference ends: when the input has a blank line between two
 * lines of text in its first 64 KiB, references are paragraphs (lines
 * joined with a space up to a blank line); else each line is one. In
 * either mode a line that starts with a list marker ("1.", "[1]", "(1)",
 * "•", "-", "*") starts a new reference. Bullets are dropped; a number is
 * the parser's citation-number. UTF-8 (a byte order mark is skipped;
 * invalid bytes become U+FFFD with a warning). A reference longer than the
 * record-bytes limit is an error for that reference, which is skipped.
 * Reader only.
 */
#include <string.h>

#include "crosswalk/crosswalk.h"

/* How far the reader looks for a blank line to choose paragraphs. */
#define TEXT_SNIFF_BYTES 65536

typedef struct text_reader {
	cw_istream *in;
	int paragraphs; /* references are paragraphs, not lines */
	cw_buf ref;     /* the reference being gathered */
	uint32_t line, column;
	int pending; /* a line read but not yet used (put back) */
	size_t max;
} text_reader;

static int blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\f')
			return 0;
	return 1;
}

/* 1 if the input's first bytes hold a blank line between two lines of text. */
static int sniff_paragraphs(const char *p, size_t n)
{
	int seen_text = 0, seen_blank = 0;
	size_t i = 0;
	while (i < n) {
		size_t e = i;
		while (e < n && p[e] != '\n')
			e++;
		if (e == n && n == TEXT_SNIFF_BYTES)
			break; /* a cut line says nothing */
		if (blank(p + i, e - i)) {
			seen_blank = seen_text;
		} else {
			if (seen_blank)
				return 1;
			seen_text = 1;
		}
		i = e + 1;
	}
	return 0;
}

/* Length of a bullet at the start of a line ("• ", "- ", "* ", "– "), or 0. */
static size_t bullet_len(const char *p, size_t n)
{
	static const char *const bullets[] = {"\xE2\x80\xA2", "\xE2\x80\x93", "\xE2\x97\xA6", "-",
	                                      "*", "\xC2\xB7"};
	for (size_t i = 0; i < sizeof bullets / sizeof bullets[0]; i++) {
		size_t bl = strlen(bullets[i]);
		if (n > bl && memcmp(p, bullets[i], bl) == 0 && (p[bl] == ' ' || p[bl] == '\t'))
			return bl + 1;
	}
	return 0;
}

/* 1 if a line starts with a list marker: a bullet, "12.", "[12]", "(12)". */
static int list_marker(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	if (bullet_len(p, n))
		return 1;
	size_t i = 0;
	char close = 0;
	if (n && (p[0] == '[' || p[0] == '(')) {
		close = p[0] == '[' ? ']' : ')';
		i = 1;
	}
	size_t d = i;
	while (d < n && d - i < 4 && p[d] >= '0' && p[d] <= '9')
		d++;
	if (d == i || d >= n)
		return 0;
	if (close)
		return p[d] == close;
	return (p[d] == '.' || p[d] == ')') && d + 1 < n && p[d + 1] == ' ';
}

/* Consumes the rest of a line too long to read (up to and with its '\n'). */
static int skip_line(cw_istream *in)
{
	for (;;) {
		const char *data = NULL;
		size_t avail = 0;
		int rc = cw_istream_peek(in, 4096, &data, &avail);
		if (rc < 0 && rc != CW_EOF)
			return rc;
		if (!avail)
			return CW_EOF;
		const char *nl = memchr(data, '\n', avail);
		if (nl) {
			cw_istream_consume(in, (size_t)(nl - data) + 1);
			return CW_OK;
		}
		cw_istream_consume(in, avail);
	}
}

static int text_open(void *state, cw_session *s, cw_istream *in)
{
	text_reader *r = state;
	memset(r, 0, sizeof *r);
	r->in = in;
	uint64_t most = cw_session_limits(s)->max_record_bytes;
	r->max = most > SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)most;
	const char *data = NULL;
	size_t avail = 0;
	int rc = cw_istream_peek(in, TEXT_SNIFF_BYTES, &data, &avail);
	if (rc < 0 && rc != CW_EOF)
		return rc;
	if (avail >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		cw_istream_consume(in, 3);
		rc = cw_istream_peek(in, TEXT_SNIFF_BYTES, &data, &avail);
		if (rc < 0 && rc != CW_EOF)
			return rc;
	}
	r->paragraphs = data && sniff_paragraphs(data, avail);
	return CW_OK;
}

/* Appends a line's text (a bullet dropped) to the reference, with a space between lines. */
static int add_line(text_reader *r, const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	if (!r->ref.len) {
		size_t b = bullet_len(p, n);
		p += b, n -= b;
	} else {
		cw_buf_putc(&r->ref, ' ');
	}
	return cw_buf_append(&r->ref, p, n);
}

static int text_next(void *state, cw_session *s, cw_record **out)
{
	text_reader *r = state;
	*out = NULL;
	cw_buf_clear(&r->ref);
	int too_long = 0;
	for (;;) {
		uint32_t line = 0, col = 0;
		cw_istream_position(r->in, &line, &col);
		const char *p = NULL;
		size_t n = 0;
		int rc = cw_istream_read_line(r->in, r->max ? r->max : 0, &p, &n);
		if (rc == CW_EOF)
			break;
		if (rc == CW_ELIMIT) {
			/* the stream consumed nothing: skip the line, and the reference */
			rc = skip_line(r->in);
			if (rc < 0 && rc != CW_EOF)
				return rc;
			cw_buf_clear(&r->ref);
			return cw_session_limit_error(s, CW_ERECORD, CW_LIMIT_RECORD_BYTES, line, col,
			                              "a line longer than");
		}
		if (rc < 0)
			return rc;
		if (blank(p, n)) {
			if (r->ref.len)
				break; /* a blank line ends the reference in either mode */
			continue;
		}
		if (r->ref.len && (!r->paragraphs || list_marker(p, n))) {
			cw_istream_unread_line(r->in);
			break;
		}
		if (!r->ref.len) {
			r->line = line;
			r->column = col;
			cw_session_set_line(s, line);
		}
		if (r->max && r->ref.len + n + 1 > r->max)
			too_long = 1;
		else if (add_line(r, p, n))
			return CW_ENOMEM;
	}
	if (too_long) {
		cw_buf_clear(&r->ref);
		return cw_session_limit_error(s, CW_ERECORD, CW_LIMIT_RECORD_BYTES, r->line, r->column,
		                              "a reference longer than");
	}
	if (!r->ref.len)
		return CW_EOF;
	cw_record *rec = NULL;
	int rc = cw_record_new(&rec);
	if (rc)
		return rc;
	cw_record_set_origin(rec, r->line, r->column);
	/* invalid UTF-8: the record repairs it; say so once for the reference */
	rc = cw_record_set_text(rec, CW_FIELD_ORIGINAL_CITATION, r->ref.data, r->ref.len);
	if (rc == CW_REPLACED)
		cw_diag_emit(s, CW_SEV_WARNING, CW_REPLACED, r->line, r->column,
		             "invalid UTF-8 in the reference replaced by U+FFFD");
	else if (rc < 0) {
		cw_record_free(rec);
		return rc;
	}
	rc = cw_citation_parse(s, rec, CW_FIELD_ORIGINAL_CITATION, 0);
	if (rc < 0) {
		cw_record_free(rec);
		return rc;
	}
	*out = rec;
	return CW_OK;
}

static void text_close(void *state, cw_session *s)
{
	(void)s;
	text_reader *r = state;
	cw_buf_free(&r->ref);
}

static const cw_reader_ops text_reader_ops = {
    .struct_size = sizeof(cw_reader_ops),
    .state_size = sizeof(text_reader),
    .open = text_open,
    .next = text_next,
    .close = text_close,
};

static const char *const text_ext[] = {"refs.txt", NULL}; /* not ".txt": any text would claim it */
static const char *const text_alias[] = {"references", "plain", NULL};
static const char *const text_mime[] = {"text/plain", NULL};

static const cw_format text_format = {
    .struct_size = sizeof(cw_format),
    .name = "text",
    .description = "Reference list as plain text, one reference per line or paragraph (read only)",
    .aliases = text_alias,
    .extensions = text_ext,
    .mime_types = text_mime,
    .caps = CW_CAN_READ,
    .probe = NULL, /* any text would do: chosen by name or extension only */
    .reader_options = NULL,
    .writer_options = NULL,
    .reader = &text_reader_ops,
    .writer = NULL,
    .table = NULL,
};

static const cw_format *const text_formats[] = {&text_format, NULL};

static const cw_plugin text_plugin = {
    CW_PLUGIN_HEADER,
    .name = "text",
    .version = "1.0.0",
    .description = "Plain-text reference lists, read with the core's citation parser",
    .license = "MIT",
    .formats = text_formats,
    .filters = NULL,
};

CW_PLUGIN_DEFINE(text, text_plugin)
