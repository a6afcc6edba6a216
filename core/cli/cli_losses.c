/*
 * Accepted losses: --allow-loss [FORMAT:]FIELD and --allow-loss-from a
 * --report file, read as a stream by a small JSON reader of its own (the
 * report of a large run is large; only a few members of each entry matter).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Whether name is a writer format of reg. */
static int is_writer(const cw_registry *reg, const char *name)
{
	const cw_format *f = cw_registry_find_format(reg, name);
	return f && (f->caps & CW_CAN_WRITE);
}

static int accept(cw_context *ctx, const char *format, const char *field, const char *what)
{
	int rc = cw_context_accept_loss(ctx, format, field);
	if (rc == CW_ENOTFOUND) {
		const char *colon = strchr(field, ':');
		if (colon || !format)
			cli_error("%s: unknown field '%s' (a field of docs/fields.md, \"type\", "
			          "FORMAT:NAME for a passthrough field or \"*\")",
			          what, field);
		else
			cli_error("%s: unknown field '%s'; a passthrough field is named after the "
			          "writer: '*:%s:%s'",
			          what, field, format, field);
		return -1;
	}
	if (rc) {
		cli_error("%s: %s", what, cw_status_str(rc));
		return -1;
	}
	return 0;
}

int cli_accept_loss(cw_context *ctx, const cw_registry *reg, const char *spec)
{
	char what[64];
	snprintf(what, sizeof what, "--allow-loss");
	const char *colon = strchr(spec, ':');
	if (!colon)
		return accept(ctx, NULL, spec, what);
	size_t n = (size_t)(colon - spec);
	char *format = malloc(n + 1);
	if (!format) {
		cli_error("out of memory");
		return -1;
	}
	memcpy(format, spec, n);
	format[n] = '\0';
	int rc = 0;
	if (strcmp(format, "*") != 0 && !is_writer(reg, format)) {
		cli_error("--allow-loss %s: '%s' is no format crosswalk writes (FORMAT:FIELD names "
		          "the writer; a passthrough field is '*:%s')",
		          spec, format, spec);
		rc = -1;
	} else {
		rc = accept(ctx, format, colon + 1, what);
	}
	free(format);
	return rc;
}

/* --- a streaming reader of the report's JSON --- */

#define JR_DEPTH 64           /* nesting a report never comes near */
#define JR_STRING (64u << 10) /* the longest string kept (a message is at most 4 KiB) */

typedef struct jreader {
	FILE *f;
	const char *path;
	unsigned long line;
	int failed; /* an error was reported */
} jreader;

static int jr_get(jreader *r)
{
	int c = getc(r->f);
	if (c == '\n')
		r->line++;
	return c;
}

static void jr_unget(jreader *r, int c)
{
	if (c == '\n')
		r->line--;
	if (c != EOF)
		ungetc(c, r->f);
}

static int jr_fail(jreader *r, const char *what)
{
	if (!r->failed)
		cli_error("%s:%lu: not a crosswalk report: %s", r->path, r->line, what);
	r->failed = 1;
	return -1;
}

/* The next byte that is not white space. */
static int jr_next(jreader *r)
{
	int c;
	do
		c = jr_get(r);
	while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
	return c;
}

static int hex4(jreader *r, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		int c = jr_get(r);
		int d = c >= '0' && c <= '9'   ? c - '0'
		        : c >= 'a' && c <= 'f' ? c - 'a' + 10
		        : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                               : -1;
		if (d < 0)
			return -1;
		v = v * 16 + (unsigned)d;
	}
	*out = v;
	return 0;
}

static void put_utf8(cw_buf *b, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	}
	cw_buf_append(b, u, n);
}

/* A string whose '"' was read; decoded into out, or skipped when out is NULL. */
static int jr_string(jreader *r, cw_buf *out)
{
	if (out)
		cw_buf_clear(out), cw_buf_append(out, "", 0);
	for (;;) {
		int c = jr_get(r);
		if (c == EOF || c == '\n')
			return jr_fail(r, "a string does not end");
		if (c == '"')
			return 0;
		if (c == '\\') {
			c = jr_get(r);
			unsigned cp;
			switch (c) {
			case '"':
			case '\\':
			case '/':
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case 'u':
				if (hex4(r, &cp))
					return jr_fail(r, "a bad \\u escape");
				if (cp >= 0xD800 && cp < 0xDC00) {
					unsigned lo;
					if (jr_get(r) != '\\' || jr_get(r) != 'u' || hex4(r, &lo) ||
					    lo < 0xDC00 || lo > 0xDFFF)
						return jr_fail(r, "a bad \\u escape");
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				} else if (cp >= 0xDC00 && cp < 0xE000) {
					return jr_fail(r, "a bad \\u escape");
				}
				if (out)
					put_utf8(out, cp);
				continue;
			default:
				return jr_fail(r, "a bad escape");
			}
		}
		if (out) {
			if (out->len >= JR_STRING)
				return jr_fail(r, "a string longer than 64 KiB");
			cw_buf_putc(out, (char)c);
		}
	}
}

/* Skips one value whose first byte c was read. */
static int jr_skip(jreader *r, int c, int depth)
{
	if (depth > JR_DEPTH)
		return jr_fail(r, "nested too deep");
	if (c == '"')
		return jr_string(r, NULL);
	if (c == '{' || c == '[') {
		int close = c == '{' ? '}' : ']';
		c = jr_next(r);
		if (c == close)
			return 0;
		for (;;) {
			if (close == '}') {
				if (c != '"' || jr_string(r, NULL) || jr_next(r) != ':')
					return jr_fail(r, "a member name expected");
				c = jr_next(r);
			}
			if (jr_skip(r, c, depth + 1))
				return -1;
			c = jr_next(r);
			if (c == close)
				return 0;
			if (c != ',')
				return jr_fail(r, "',' expected");
			c = jr_next(r);
		}
	}
	/* a number, true, false or null */
	size_t n = 0;
	while (c != EOF && strchr("0123456789+-.eEtrufalsn", c)) {
		n++;
		c = jr_get(r);
	}
	jr_unget(r, c);
	return n ? 0 : jr_fail(r, "a value expected");
}

/*
 * After a member or an item whose reading gave *rc: the first byte of the
 * next one, or close at the end; EOF (with *rc set) on a failure.
 */
static int jr_after(jreader *r, int *rc, int close)
{
	int c = *rc ? EOF : jr_next(r);
	if (c == ',')
		return jr_next(r);
	if (*rc == 0 && c != close) {
		*rc = jr_fail(r, close == '}' ? "',' or '}' expected" : "',' or ']' expected");
		return EOF;
	}
	return c;
}

/* One entry of "diagnostics" (its '{' read): accepts its loss, if it is one. */
static int jr_entry(jreader *r, cw_context *ctx, cw_buf *key, cw_buf *val, size_t index)
{
	enum { KIND, PLUGIN, FIELD, NKEYS };
	static const char *const names[NKEYS] = {"kind", "plugin", "field"};
	cw_buf got[NKEYS] = {CW_BUF_INIT, CW_BUF_INIT, CW_BUF_INIT};
	int have[NKEYS] = {0};
	int rc = 0;
	int c = jr_next(r);
	while (c != '}') {
		if (c != '"' || jr_string(r, key) || jr_next(r) != ':') {
			rc = jr_fail(r, "a member name expected");
			break;
		}
		c = jr_next(r);
		int k = 0;
		while (k < NKEYS && strcmp(cw_buf_str(key), names[k]) != 0)
			k++;
		if (k < NKEYS && c == '"') {
			if ((rc = jr_string(r, val)))
				break;
			cw_buf_clear(&got[k]);
			cw_buf_append(&got[k], cw_buf_str(val), val->len);
			have[k] = 1;
		} else if ((rc = jr_skip(r, c, 2))) {
			break;
		}
		if ((c = jr_after(r, &rc, '}')) == EOF)
			break;
	}
	if (rc == 0 && have[KIND] && strcmp(cw_buf_str(&got[KIND]), "not-carried") == 0) {
		if (!have[PLUGIN] || !have[FIELD]) {
			cli_error(
			    "%s:%lu: entry %zu is a loss without a plugin or field: a report of "
			    "crosswalk 0.1 or older? Write it again with this version",
			    r->path, r->line, index + 1);
			rc = -1;
		} else {
			char what[256];
			snprintf(what, sizeof what, "%s:%lu", r->path, r->line);
			rc = accept(ctx, cw_buf_str(&got[PLUGIN]), cw_buf_str(&got[FIELD]), what);
		}
	}
	for (int k = 0; k < NKEYS; k++)
		cw_buf_free(&got[k]);
	return rc;
}

static int jr_report(jreader *r, cw_context *ctx, cw_buf *key, cw_buf *val, int *found,
                     int nested);

/* One entry of a batch report's "files" (its '{' read): the losses of its "report". */
static int jr_file(jreader *r, cw_context *ctx, cw_buf *key, cw_buf *val)
{
	int rc = 0;
	int c = jr_next(r);
	while (rc == 0 && c != '}') {
		if (c != '"' || jr_string(r, key) || jr_next(r) != ':')
			return jr_fail(r, "a member name expected");
		c = jr_next(r);
		if (strcmp(cw_buf_str(key), "report") == 0 && c == '{') {
			int found = 0;
			rc = jr_report(r, ctx, key, val, &found, 1);
		} else {
			rc = jr_skip(r, c, 2);
		}
		c = jr_after(r, &rc, '}');
	}
	return rc;
}

/*
 * The members of a report (its '{' read): the losses of its "diagnostics",
 * or, in a batch report (not nested), those of each file's own report.
 */
static int jr_report(jreader *r, cw_context *ctx, cw_buf *key, cw_buf *val, int *found,
                     int nested)
{
	int rc = 0;
	int c = jr_next(r);
	while (rc == 0 && c != '}') {
		if (c != '"' || jr_string(r, key) || jr_next(r) != ':') {
			rc = jr_fail(r, "a member name expected");
			break;
		}
		c = jr_next(r);
		if (strcmp(cw_buf_str(key), "diagnostics") == 0) {
			if (c != '[') {
				rc = jr_fail(r, "\"diagnostics\" is not a list");
				break;
			}
			*found = 1;
			c = jr_next(r);
			for (size_t i = 0; rc == 0 && c != ']'; i++) {
				if (c != '{') {
					rc = jr_fail(
					    r, "an entry of \"diagnostics\" is not an object");
					break;
				}
				rc = jr_entry(r, ctx, key, val, i);
				c = jr_after(r, &rc, ']');
			}
		} else if (!nested && strcmp(cw_buf_str(key), "files") == 0 && c == '[') {
			*found = 1; /* a batch report */
			c = jr_next(r);
			while (rc == 0 && c != ']') {
				if (c != '{') {
					rc = jr_fail(r, "an entry of \"files\" is not an object");
					break;
				}
				rc = jr_file(r, ctx, key, val);
				c = jr_after(r, &rc, ']');
			}
		} else {
			rc = jr_skip(r, c, 1);
		}
		c = jr_after(r, &rc, '}');
	}
	return rc;
}

int cli_accept_losses_from(cw_context *ctx, const char *path)
{
	jreader r = {.path = path, .line = 1};
	r.f = fopen(path, "rb");
	if (!r.f) {
		cli_error("--allow-loss-from %s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	cw_buf key = CW_BUF_INIT, val = CW_BUF_INIT;
	int rc = 0, found = 0;
	if (jr_next(&r) != '{')
		rc = jr_fail(&r, "'{' expected");
	if (rc == 0)
		rc = jr_report(&r, ctx, &key, &val, &found, 0);
	if (rc == 0 && ferror(r.f)) {
		cli_error("--allow-loss-from %s: cannot read: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && !found)
		rc = jr_fail(&r, "no \"diagnostics\" list (nor a batch report's \"files\")");
	fclose(r.f);
	cw_buf_free(&key);
	cw_buf_free(&val);
	return rc;
}
