/*
 * CSL-JSON reader.
 *
 * The input is never parsed as a whole. A small scanner finds the extent of
 * the next item (brackets and strings counted, nothing else), the plugin's
 * JSON parser (csljson_json.c) parses just that item, and the item is mapped
 * onto a record. So memory follows the largest item, not the file, and a
 * broken item in a JSON Lines file costs only that line. Parse errors are
 * located in the item; they are moved to file line:column when reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csljson.h"

enum mode {
	MODE_START,  /* nothing read yet */
	MODE_ARRAY,  /* inside the top-level array */
	MODE_SINGLE, /* one top-level object */
	MODE_LINES,  /* one object per line */
	MODE_DONE
};

typedef struct reader {
	cw_istream *in;
	csljson_map map;
	cj_parser jp;
	cw_buf label; /* of the current item, for messages */
	enum mode mode;
	int skip_custom;
	uint32_t line, col; /* position of the next unconsumed byte (cw_istream_position) */
	size_t want;        /* peek size that holds the current item */
	uint64_t items;
	struct key_memo {   /* a key's field, for the keys every item repeats */
		char key[23];
		uint8_t len; /* 0: empty */
		enum cw_field field;
	} memo[64];
} reader;

/*
 * cw_field_from_name of an item's key, remembered: the core compares the
 * key with every field's name, and items repeat a few keys.
 */
static enum cw_field key_field(reader *r, const char *k, size_t n)
{
	if (n == 0 || n >= sizeof r->memo[0].key)
		return cw_field_from_name(k, n);
	struct key_memo *m =
	    &r->memo[(n * 31u + (unsigned char)k[0] * 7u + (unsigned char)k[n - 1]) & 63u];
	if (m->len != n || memcmp(m->key, k, n) != 0) {
		m->field = cw_field_from_name(k, n);
		memcpy(m->key, k, n);
		m->len = (uint8_t)n;
	}
	return m->field;
}

/* Consumes n bytes; the stream counts their lines and columns (characters). */
static void consume(reader *r, size_t n)
{
	cw_istream_consume(r->in, n);
	cw_istream_position(r->in, &r->line, &r->col);
}

/* Peeks at least want bytes (fewer at the end of input). */
static int peek(reader *r, cw_session *s, size_t want, const char **p, size_t *n)
{
	int rc = cw_istream_peek(r->in, want, p, n);
	if (rc == CW_ELIMIT)
		return cw_session_limit_error(s, CW_ELIMIT, CW_LIMIT_INPUT_BYTES, r->line, r->col,
		                              "input larger than");
	if (rc)
		return cw_diag_emit(s, CW_SEV_ERROR, rc, r->line, r->col, "cannot read input: %s",
		                    cw_status_str(rc));
	return CW_OK;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

enum { END = -1 }; /* skip_ws at the end of input */

/* Skips white space; *next is the next byte (0-255), or END. */
static int skip_ws(reader *r, cw_session *s, int *next)
{
	for (;;) {
		const char *p;
		size_t n;
		int rc = peek(r, s, 4096, &p, &n);
		if (rc)
			return rc;
		size_t i = 0;
		while (i < n && is_ws(p[i]))
			i++;
		consume(r, i);
		if (i < n || n == 0) {
			*next = i < n ? (unsigned char)p[i] : END;
			return CW_OK;
		}
	}
}

/*
 * Finds the extent of the JSON value at the current position: an object or
 * array up to its matching bracket, a string up to its closing quote, any
 * other token up to a delimiter. In lines mode the value also ends at the
 * end of its line. *len is its length; the bytes stay unconsumed.
 */
static int value_extent(reader *r, cw_session *s, int line_mode, size_t *len, const char **data)
{
	const cw_limits *lim = cw_session_limits(s);
	size_t i = 0, want = 65536;
	uint32_t depth = 0, max_depth = 0;
	int in_str = 0, esc = 0, started = 0;
	for (;;) {
		const char *p;
		size_t n;
		int rc = peek(r, s, want, &p, &n);
		if (rc)
			return rc;
		for (; i < n; i++) {
			char c = p[i];
			if (in_str) {
				if (esc)
					esc = 0;
				else if (c == '\\')
					esc = 1;
				else if (c == '"') {
					in_str = 0;
					if (depth == 0)
						goto done_incl;
				} else if (c == '\n' && line_mode)
					goto done;
				continue;
			}
			if (c == '"') {
				in_str = 1, started = 1;
			} else if (c == '{' || c == '[') {
				started = 1;
				if (++depth > max_depth)
					max_depth = depth;
				if (depth > lim->max_depth) {
					consume(r, i); /* the stream ends here: point at it */
					return cw_session_limit_error(s, CW_ELIMIT, CW_LIMIT_DEPTH,
					                              r->line, r->col,
					                              "nesting deeper than");
				}
			} else if (c == '}' || c == ']') {
				if (depth == 0)
					goto done; /* a bare token ends at a closer */
				if (--depth == 0)
					goto done_incl;
			} else if (depth == 0 && started && (is_ws(c) || c == ',')) {
				goto done;
			} else if (c == '\n' && line_mode) {
				goto done;
			} else {
				started = 1;
			}
		}
		if (n < want) /* end of input */
			goto done;
		if (n >= lim->max_record_bytes)
			return cw_session_limit_error(s, CW_ELIMIT, CW_LIMIT_RECORD_BYTES, r->line,
			                              r->col, "item larger than");
		want = n * 2;
		continue;
	done_incl:
		i++;
	done:
		if (i > lim->max_record_bytes) /* the window held it whole */
			return cw_session_limit_error(s, CW_ELIMIT, CW_LIMIT_RECORD_BYTES, r->line,
			                              r->col, "item larger than");
		*len = i;
		*data = p;
		return CW_OK;
	}
}

/* Reports a parse error at its position in the file. */
static int json_fail(cw_session *s, const cj_parser *jp, const char *item, uint32_t line0,
                     uint32_t col0)
{
	uint32_t line, col;
	cj_position(item, jp->err_off, &line, &col);
	if (line > 1)
		line0 += line - 1, col0 = col;
	else
		col0 += col - 1;
	return cw_diag_emit(s, CW_SEV_ERROR, CW_ERECORD, line0, col0, "invalid JSON: %s",
	                    jp->err_msg);
}

/*
 * A NUL byte, which JSON text never has (and which must not end the input
 * silently: a zero-filled block is what a crash leaves in a file), at the
 * current position plus off bytes of p.
 */
static int nul_error(reader *r, cw_session *s, int status, const char *p, size_t off)
{
	uint32_t line = r->line, col = r->col, l, c;
	if (off) {
		cj_position(p, off, &l, &c);
		if (l > 1)
			line += l - 1, col = c;
		else
			col += c - 1;
	}
	return cw_diag_emit(s, CW_SEV_ERROR, status, line, col,
	                    "a NUL byte in the input (JSON text never has one)");
}

/* ---- mapping one item ---- */

typedef struct item_ctx {
	reader *r;
	cw_session *s;
	uint32_t line, col; /* where the item starts, for messages */
	const char *label;
} item_ctx;

/* 1 if member v's key is the string literal lit. */
#define KEY_IS(v, lit) ((v)->klen == sizeof lit - 1 && memcmp((v)->key, lit, sizeof lit - 1) == 0)

#define CSLJSON_WARN(x, ...)                                                                       \
	cw_diag_emit((x)->s, CW_SEV_WARNING, CW_OK, (x)->line, (x)->col, __VA_ARGS__)

static int keep(cw_record *rec, const char *format, const char *name, const cj_value *v)
{
	cw_buf t = CW_BUF_INIT;
	int rc = cj_dump(&t, v);
	if (rc == CW_OK)
		rc = cw_record_add_passthrough(rec, format, name, cw_buf_str(&t), t.len);
	cw_buf_free(&t);
	return rc < 0 ? rc : CW_OK;
}

/* A string or number as text (numbers as they were written). */
static int scalar_text(const cj_value *v, cw_buf *out)
{
	cw_buf_clear(out);
	if (cj_is_string(v) || cj_is_number(v))
		return cw_buf_append(out, v->u.text, v->len);
	return CW_EINVAL;
}

/* Adds member m to the compact JSON object being built in b ("{..." until closed). */
static int extra_add(cw_buf *b, const cj_value *m)
{
	int rc = cw_buf_putc(b, b->len ? ',' : '{');
	if (rc == CW_OK)
		rc = cw_buf_append_json(b, m->key, m->klen);
	if (rc == CW_OK)
		rc = cw_buf_putc(b, ':');
	return rc ? rc : cj_dump(b, m);
}

/* Closes the object of extra_add; NULL when it stayed empty. */
static const char *extra_close(cw_buf *b)
{
	if (!b->len || cw_buf_putc(b, '}'))
		return NULL;
	return b->data;
}

/* Markup of field f nested deeper than it may: read as text, and said. */
static void markup_too_deep(item_ctx *x, enum cw_field f)
{
	uint32_t depth = cw_session_limits(x->s)->max_depth;
	if (depth < CSLJSON_MARKUP_DEPTH)
		cw_session_limit_diag(x->s, CW_SEV_WARNING, CW_ELIMIT, CW_LIMIT_DEPTH, x->line,
		                      x->col,
		                      "markup in \"%s\" nested deeper than the depth limit (%lu) "
		                      "is read as text",
		                      cw_field_name(f), (unsigned long)depth);
	else
		cw_diag_emit(x->s, CW_SEV_WARNING, CW_ELIMIT, x->line, x->col,
		             "markup in \"%s\" nested deeper than %d styles (a fixed limit: the "
		             "styles rich text nests) is read as text",
		             cw_field_name(f), CSLJSON_MARKUP_DEPTH);
}

/* CSL markup s[0..n) of field f as rich text into out, nested as deep as the limits let. */
static int markup_to_rich(item_ctx *x, enum cw_field f, cw_buf *out, const char *s, size_t n)
{
	int too_deep = 0;
	int rc = csljson_markup_to_rich(out, s, n, cw_session_limits(x->s)->max_depth, &too_deep);
	if (too_deep)
		markup_too_deep(x, f);
	return rc;
}

static int set_text_field(item_ctx *x, cw_record *rec, enum cw_field f, const cj_value *v,
                          cw_buf *tmp)
{
	int rc = scalar_text(v, tmp);
	if (rc)
		return rc;
	if (cw_field_kind(f) == CW_KIND_RICH) {
		cw_buf rich = CW_BUF_INIT;
		rc = markup_to_rich(x, f, &rich, tmp->data ? tmp->data : "", tmp->len);
		if (rc == CW_OK)
			rc = cw_record_set_text(rec, f, cw_buf_str(&rich), rich.len);
		cw_buf_free(&rich);
	} else {
		rc = cw_record_set_text(rec, f, cw_buf_str(tmp), tmp->len);
	}
	return rc < 0 ? rc : CW_OK;
}

/*
 * A date part: an integer or a string of digits (white space around it
 * allowed), within int32. 1 when it holds a number, 0 when it is empty
 * ("" or null: processors read ["2000", "", ""] as the year 2000), -1 when
 * it is something else.
 */
static int date_part(const cj_value *v, int32_t *out)
{
	long long n = 0;
	if (cj_is(v, CJ_NULL))
		return 0;
	if (cj_is_integer(v)) {
		n = cj_integer(v);
	} else if (cj_is_string(v)) {
		const char *s = cj_str(v), *e = s + cj_strlen(v);
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (s == e)
			return 0;
		const char *d = s + (*s == '-');
		if (d == e || e - d > 10)
			return -1;
		for (const char *p = d; p < e; p++) {
			if (*p < '0' || *p > '9')
				return -1;
			n = n * 10 + (*p - '0');
		}
		if (*s == '-')
			n = -n;
	} else {
		return -1;
	}
	if (n < -2147483647LL || n > 2147483647LL)
		return -1;
	*out = (int32_t)n;
	return 1;
}

/*
 * Reads "date-parts" into d. Parts stop at the first empty one (the rest
 * must be empty too); an empty list ([] or [[]]) gives no parts. 0 if it
 * does not have the CSL shape.
 */
static int date_parts(const cj_value *dp, cw_date *out)
{
	cw_date got = *out, *d = &got;
	size_t n = cj_array_size(dp);
	if (!cj_is_array(dp) || n > 2)
		return 0;
	for (size_t k = 0; k < n; k++) {
		const cj_value *a = cj_at(dp, k);
		size_t m = cj_array_size(a);
		if (!cj_is_array(a) || m > 3)
			return 0;
		int32_t v[3] = {0, 0, 0};
		uint8_t parts = 0;
		for (size_t j = 0; j < m; j++) {
			int32_t x;
			int r = date_part(cj_at(a, j), &x);
			if (r < 0 || (r == 1 && parts < j))
				return 0; /* not a number, or a part after an empty one */
			if (r == 1)
				v[parts++] = x;
		}
		if (k == 0)
			d->year = v[0], d->month = v[1], d->day = v[2], d->parts = parts;
		else if (parts && !v[0] && !v[1] && !v[2])
			d->flags |= CW_DATE_OPEN_END; /* [[2004], [0]]: citeproc-js's open range */
		else if (parts)
			d->end_year = v[0], d->end_month = v[1], d->end_day = v[2],
			d->end_parts = parts;
	}
	if (!d->parts && d->end_parts)
		return 0; /* a range needs its start */
	*out = got;
	return 1;
}

/*
 * CSL's circa: processors take a boolean, a number or a string. true, a
 * number other than 0 and a string other than "", "0" and "false" mean
 * circa; -1 for other JSON types.
 */
static int circa_value(const cj_value *v)
{
	if (cj_is_boolean(v))
		return cj_is_true(v);
	if (cj_is_number(v)) {
		for (const char *p = v->u.text; p < v->u.text + v->len; p++)
			if (*p >= '1' && *p <= '9')
				return 1;
		return 0; /* 0, -0, 0.0, 0e5 */
	}
	if (cj_is_string(v)) {
		const char *s = cj_str(v);
		return *s && strcmp(s, "0") != 0 && strcasecmp(s, "false") != 0;
	}
	return -1;
}

/*
 * Maps a CSL date object. Keys outside the CSL date model, and values that
 * do not fit it, go to the date's extra (a JSON object) so they are written
 * back as they came.
 */
static int read_date(item_ctx *x, cw_record *rec, enum cw_field f, const cj_value *v,
                     const cj_value *foreign)
{
	cw_date d = CW_DATE_INIT;
	cw_buf season = CW_BUF_INIT, raw_edtf = CW_BUF_INIT, extra = CW_BUF_INIT;
	int rc = CW_OK;
	if (cj_is_string(v)) {
		/* not CSL 1.0.2, but common: an EDTF/ISO string */
		d.raw = cj_str(v);
	} else {
		for (size_t i = 0; i < cj_object_size(v) && rc == CW_OK; i++) {
			const cj_value *val = cj_member(v, i);
			const char *k = val->key;
			if (strcmp(k, "date-parts") == 0) {
				if (!date_parts(val, &d))
					rc = extra_add(&extra, val);
			} else if (strcmp(k, "season") == 0 && scalar_text(val, &season) == CW_OK) {
				d.season = cw_buf_str(&season);
			} else if (strcmp(k, "circa") == 0 && circa_value(val) >= 0) {
				if (circa_value(val)) /* false is the default: nothing to keep */
					d.flags |= CW_DATE_CIRCA;
			} else if (strcmp(k, "literal") == 0 && cj_is_string(val)) {
				d.literal = cj_str(val);
			} else if (strcmp(k, "raw") == 0 && cj_is_string(val)) {
				d.raw = cj_str(val);
			} else {
				rc = extra_add(&extra, val);
			}
		}
	}
	if (d.raw) {
		cw_date p = CW_DATE_INIT;
		if (cw_date_parse_iso(&p, d.raw, CW_NUL) == CW_OK) {
			if (d.parts == 0) {
				d.year = p.year, d.month = p.month, d.day = p.day,
				d.parts = p.parts;
				d.end_year = p.end_year, d.end_month = p.end_month,
				d.end_day = p.end_day;
				d.end_parts = p.end_parts;
				d.flags |= p.flags;
			} else if (p.year == d.year) {
				d.flags |= p.flags;
			}
			/* the writer adds raw only to carry these flags: drop it when derivable */
			if (p.flags & (CW_DATE_UNCERTAIN | CW_DATE_OPEN_START | CW_DATE_OPEN_END |
			               CW_DATE_UNSPECIFIED)) {
				cw_date q = d;
				q.raw = NULL;
				if (cw_date_format_iso(&q, &raw_edtf) == CW_OK &&
				    strcmp(cw_buf_str(&raw_edtf), d.raw) == 0)
					d.raw = NULL;
			}
		}
	}
	if ((d.extra = extra_close(&extra)))
		d.extra_format = "csljson";
	if (foreign) {
		const cj_value *ef = cj_get(foreign, "extra-format");
		const cj_value *ex = cj_get(foreign, "extra");
		if (cj_is_string(ef) && cj_is_string(ex) && !d.extra) {
			d.extra_format = cj_str(ef);
			d.extra = cj_str(ex);
		}
	}
	if (rc)
		;
	else if (d.parts || d.end_parts || d.literal || d.raw || d.season || d.extra)
		rc = cw_record_set_date(rec, f, &d);
	else
		CSLJSON_WARN(x, "empty date in \"%s\" ignored", cw_field_name(f));
	cw_buf_free(&extra);
	cw_buf_free(&season);
	cw_buf_free(&raw_edtf);
	return rc < 0 ? rc : CW_OK;
}

static const char *str_or_null(const cj_value *o, const char *k)
{
	const cj_value *v = cj_get(o, k);
	return cj_is_string(v) && cj_strlen(v) ? cj_str(v) : NULL;
}

/* Fills the contributor details crosswalk keeps in custom.names. */
static void name_details(cw_name *n, const cj_value *d, const char **ids, size_t max_ids)
{
	if (!cj_is_object(d))
		return;
	n->orcid = str_or_null(d, "orcid");
	n->email = str_or_null(d, "email");
	n->degrees = str_or_null(d, "degrees");
	n->role = str_or_null(d, "role");
	if (cj_is_true(cj_get(d, "corresponding")))
		n->flags |= CW_NAME_CORRESPONDING;
	if (cj_is_true(cj_get(d, "equal-contrib")))
		n->flags |= CW_NAME_EQUAL_CONTRIB;
	const cj_value *aff = cj_get(d, "affiliations");
	size_t k = 0;
	for (size_t i = 0; i < cj_array_size(aff) && k < max_ids; i++)
		if (cj_is_string(cj_at(aff, i)))
			ids[k++] = cj_str(cj_at(aff, i));
	n->affiliation_ids = ids;
	n->affiliation_count = k;
	if (!n->extra) {
		n->extra_format = str_or_null(d, "extra-format");
		n->extra = n->extra_format ? str_or_null(d, "extra") : NULL;
	}
}

static const struct {
	const char *key;
	uint32_t on, off;
} name_flags[] = {
    {"comma-suffix", CW_NAME_COMMA_SUFFIX, 0},
    {"static-ordering", CW_NAME_STATIC_ORDERING, 0},
    {"parse-names", CW_NAME_PARSE_NAMES, CW_NAME_NO_PARSE_NAMES},
};

/* Maps one name object (or a bare string, read as a literal name). */
static int read_name(item_ctx *x, cw_record *rec, enum cw_field f, const cj_value *o,
                     const cj_value *details)
{
	cw_name n = CW_NAME_INIT;
	cw_buf extra = CW_BUF_INIT;
	const char *ids[64];
	int rc = CW_OK;
	if (cj_is_string(o)) {
		n.literal = cj_str(o); /* not CSL, but seen in the wild */
		CSLJSON_WARN(
		    x, "a name in \"%s\" is a string, not a name object; read as a literal name",
		    cw_field_name(f));
	} else {
		for (size_t m = 0; m < cj_object_size(o) && rc == CW_OK; m++) {
			const cj_value *v = cj_member(o, m);
			const char *k = v->key;
			int done = 0;
			for (size_t i = 0; i < csljson_name_part_count && !done; i++)
				if (strcmp(k, csljson_name_parts[i].key) == 0 && cj_strlen(v) > 0) {
					*(const char **)((char *)&n + csljson_name_parts[i].off) =
					    cj_str(v);
					done = 1;
				}
			for (size_t i = 0; i < sizeof name_flags / sizeof name_flags[0] && !done;
			     i++)
				if (strcmp(k, name_flags[i].key) == 0 && cj_is_boolean(v) &&
				    (cj_is_true(v) || name_flags[i].off)) {
					n.flags |=
					    cj_is_true(v) ? name_flags[i].on : name_flags[i].off;
					done = 1;
				}
			if (!done)
				rc = extra_add(&extra, v);
		}
	}
	if ((n.extra = extra_close(&extra)))
		n.extra_format = "csljson";
	name_details(&n, details, ids, sizeof ids / sizeof ids[0]);
	if (rc == CW_OK)
		rc = cw_record_add_name(rec, f, &n);
	if (rc == CW_EINVAL) {
		CSLJSON_WARN(x, "a name in \"%s\" has no name part and was dropped",
		             cw_field_name(f));
		rc = CW_OK;
	}
	cw_buf_free(&extra);
	return rc < 0 ? rc : CW_OK;
}

/* 1 for the name {"literal": "others"} and nothing else. */
static int is_etal_name(const cj_value *o)
{
	const cj_value *lit = cj_get(o, "literal");
	return cj_object_size(o) == 1 && cj_is_string(lit) &&
	       strcmp(cj_str(lit), CSLJSON_ETAL_LITERAL) == 0;
}

static int read_names(item_ctx *x, cw_record *rec, enum cw_field f, const cj_value *arr,
                      const cj_value *custom_names, const cj_value *etal)
{
	const cw_limits *lim = cw_session_limits(x->s);
	if (cj_array_size(arr) > lim->max_names)
		return cw_session_limit_error(x->s, CW_ERECORD, CW_LIMIT_NAMES, x->line, x->col,
		                              "\"%s\" has %zu names, more than", cw_field_name(f),
		                              cj_array_size(arr));
	const cj_value *details = cj_get(custom_names, cw_field_name(f));
	for (size_t i = 0; i < cj_array_size(arr); i++) {
		const cj_value *o = cj_at(arr, i);
		if (!cj_is_object(o) && !cj_is_string(o)) {
			CSLJSON_WARN(x, "a name in \"%s\" is not an object; kept as passthrough",
			             cw_field_name(f));
			return keep(rec, "csljson", cw_field_name(f), arr);
		}
	}
	/* {"literal": "others"} after at least one name is "et al." (BibTeX's "and others") */
	size_t count = cj_array_size(arr);
	int etal_last = count >= 2 && is_etal_name(cj_at(arr, count - 1));
	for (size_t i = 0; i < count - (size_t)etal_last; i++) {
		int rc = read_name(x, rec, f, cj_at(arr, i), cj_at(details, i));
		if (rc)
			return rc;
	}
	if (etal_last) {
		cw_name e = CW_NAME_INIT;
		e.flags = CW_NAME_ETAL;
		return cw_record_add_name(rec, f, &e) < 0 ? CW_ENOMEM : CW_OK;
	}
	for (size_t i = 0; i < cj_array_size(etal); i++) {
		const cj_value *v = cj_at(etal, i);
		if (cj_is_string(v) && strcmp(cj_str(v), cw_field_name(f)) == 0) {
			cw_name n = CW_NAME_INIT;
			n.flags = CW_NAME_ETAL;
			return cw_record_add_name(rec, f, &n) < 0 ? CW_ENOMEM : CW_OK;
		}
	}
	return CW_OK;
}

/* An et-al list names a variable that has no names array: add it alone. */
static int etal_alone(cw_record *rec, const cj_value *etal)
{
	for (size_t i = 0; i < cj_array_size(etal); i++) {
		const cj_value *v = cj_at(etal, i);
		if (!cj_is_string(v))
			continue;
		enum cw_field f = cw_field_from_name(cj_str(v), CW_NUL);
		if (cw_field_kind(f) != CW_KIND_NAMES || cw_record_name_count(rec, f) > 0)
			continue;
		cw_name n = CW_NAME_INIT;
		n.flags = CW_NAME_ETAL;
		int rc = cw_record_add_name(rec, f, &n);
		if (rc < 0)
			return rc;
	}
	return CW_OK;
}

static int read_item(item_ctx *x, const cj_value *obj, cw_record *rec, unsigned depth);

/* List items: strings, or objects {value, lang, type, scheme}. 0 if misshapen. */
static int read_list(item_ctx *x, cw_record *rec, enum cw_field f, const cj_value *arr)
{
	if (!cj_is_array(arr))
		return 0;
	for (size_t i = 0; i < cj_array_size(arr); i++) {
		const cj_value *v = cj_at(arr, i);
		if (!cj_is_string(v) && !(cj_is_object(v) && cj_is_string(cj_get(v, "value"))))
			return 0;
	}
	int rich = cw_field_kind(f) == CW_KIND_RICH_LIST;
	for (size_t i = 0; i < cj_array_size(arr); i++) {
		const cj_value *v = cj_at(arr, i);
		cw_item it = CW_ITEM_INIT;
		const cj_value *val = cj_is_string(v) ? v : cj_get(v, "value");
		cw_buf rbuf = CW_BUF_INIT;
		if (rich) {
			markup_to_rich(x, f, &rbuf, cj_str(val), cj_strlen(val));
			it.value = cw_buf_str(&rbuf);
		} else {
			it.value = cj_str(val);
		}
		if (cj_is_object(v)) {
			it.lang = str_or_null(v, "lang");
			it.type = str_or_null(v, "type");
			it.scheme = str_or_null(v, "scheme");
		}
		if (*it.value)
			cw_record_add_item(rec, f, &it);
		cw_buf_free(&rbuf);
	}
	return 1;
}

static int read_affiliations(cw_record *rec, const cj_value *arr)
{
	if (!cj_is_array(arr))
		return 0;
	for (size_t i = 0; i < cj_array_size(arr); i++)
		if (!cj_is_object(cj_at(arr, i)))
			return 0;
	for (size_t i = 0; i < cj_array_size(arr); i++) {
		const cj_value *o = cj_at(arr, i);
		cw_affiliation a = CW_AFFILIATION_INIT;
		a.id = str_or_null(o, "id");
		a.text = str_or_null(o, "text");
		a.institution = str_or_null(o, "institution");
		a.department = str_or_null(o, "department");
		a.address = str_or_null(o, "address");
		a.city = str_or_null(o, "city");
		a.region = str_or_null(o, "region");
		a.postal_code = str_or_null(o, "postal-code");
		a.country = str_or_null(o, "country");
		a.country_code = str_or_null(o, "country-code");
		a.ror = str_or_null(o, "ror");
		a.other_id = str_or_null(o, "other-id");
		a.other_id_type = str_or_null(o, "other-id-type");
		cw_record_add_affiliation(rec, &a);
	}
	return 1;
}

static int read_funding(cw_record *rec, const cj_value *arr)
{
	if (!cj_is_array(arr))
		return 0;
	for (size_t i = 0; i < cj_array_size(arr); i++)
		if (!cj_is_object(cj_at(arr, i)))
			return 0;
	for (size_t i = 0; i < cj_array_size(arr); i++) {
		const cj_value *o = cj_at(arr, i);
		cw_funding fu = CW_FUNDING_INIT;
		fu.funder = str_or_null(o, "funder");
		fu.funder_id = str_or_null(o, "funder-id");
		fu.award_id = str_or_null(o, "award-id");
		fu.award_title = str_or_null(o, "award-title");
		cw_record_add_funding(rec, &fu);
	}
	return 1;
}

static int read_children(item_ctx *x, cw_record *rec, const cj_value *arr, unsigned depth)
{
	const cw_limits *lim = cw_session_limits(x->s);
	if (!cj_is_array(arr))
		return 0;
	if (cj_array_size(arr) > lim->max_children) {
		cw_session_limit_error(x->s, CW_ERECORD, CW_LIMIT_CHILDREN, x->line, x->col,
		                       "reference list of %zu items, more than",
		                       cj_array_size(arr));
		return -1;
	}
	for (size_t i = 0; i < cj_array_size(arr); i++)
		if (!cj_is_object(cj_at(arr, i)))
			return 0;
	for (size_t i = 0; i < cj_array_size(arr); i++) {
		cw_record *child;
		int rc = cw_record_add_child(rec, &child);
		if (rc == CW_OK)
			rc = read_item(x, cj_at(arr, i), child, depth + 1);
		if (rc)
			return -1;
	}
	return 1;
}

/*
 * One key of the custom object that crosswalk defines: 1 taken, 0 not (kept
 * as it is), -1 when memory ran out.
 */
static int read_custom_field(item_ctx *x, cw_record *rec, enum cw_field f, const cj_value *v,
                             unsigned depth, cw_buf *tmp)
{
	int rc;
	switch (cw_field_kind(f)) {
	case CW_KIND_TEXT:
	case CW_KIND_RICH:
	case CW_KIND_NUMBER:
		if (!cj_is_string(v) && !cj_is_number(v))
			return 0;
		rc = set_text_field(x, rec, f, v, tmp);
		return rc == CW_ENOMEM ? -1 : rc == CW_OK;
	case CW_KIND_DATE:
		if (!cj_is_object(v) && !cj_is_string(v))
			return 0;
		rc = read_date(x, rec, f, v, NULL);
		return rc == CW_ENOMEM ? -1 : rc == CW_OK;
	case CW_KIND_LIST:
	case CW_KIND_RICH_LIST:
		return read_list(x, rec, f, v);
	case CW_KIND_AFFILIATIONS:
		return read_affiliations(rec, v);
	case CW_KIND_FUNDING:
		return read_funding(rec, v);
	case CW_KIND_RECORDS:
		return read_children(x, rec, v, depth);
	default:
		return 0;
	}
}

static int read_custom(item_ctx *x, cw_record *rec, const cj_value *custom, unsigned depth,
                       cw_buf *tmp)
{
	for (size_t m = 0; m < cj_object_size(custom); m++) {
		const cj_value *v = cj_member(custom, m);
		const char *k = v->key;
		enum cw_field f = csljson_map_custom_field(&x->r->map, k);
		int ok = 0;
		if (strcmp(k, "names") == 0 || strcmp(k, "etal") == 0 || strcmp(k, "dates") == 0) {
			ok = cj_is_object(v) || cj_is_array(v); /* applied with the fields */
		} else if (strcmp(k, "source-id") == 0) {
			ok = cj_is_string(v) && cj_strlen(v) > 0; /* applied after the fields */
		} else if (strcmp(k, "passthrough") == 0 && cj_is_array(v)) {
			ok = 1;
			for (size_t i = 0; i < cj_array_size(v); i++) {
				const cj_value *e = cj_at(v, i);
				const char *fmt = str_or_null(e, "format"),
				           *name = str_or_null(e, "name");
				const cj_value *val = cj_get(e, "value");
				if (!fmt || !name || !cj_is_string(val)) {
					ok = 0;
					break;
				}
			}
			for (size_t i = 0; ok && i < cj_array_size(v); i++) {
				const cj_value *e = cj_at(v, i);
				const cj_value *val = cj_get(e, "value");
				int rc = cw_record_add_passthrough(rec, str_or_null(e, "format"),
				                                   str_or_null(e, "name"),
				                                   cj_str(val), cj_strlen(val));
				if (rc < 0)
					return rc;
			}
		} else if (f) {
			int r = read_custom_field(x, rec, f, v, depth, tmp);
			if (r < 0)
				return CW_ERECORD;
			ok = r;
		}
		if (!ok) {
			cw_buf name = CW_BUF_INIT;
			cw_buf_printf(&name, "custom.%s", k);
			int rc = cw_buf_error(&name) ? CW_ENOMEM
			                             : keep(rec, "csljson", cw_buf_str(&name), v);
			cw_buf_free(&name);
			if (rc)
				return rc;
		}
	}
	return CW_OK;
}

/* Each title the writer joins with its subtitle and addon. */
static const enum cw_field joined_titles[][3] = {
    {CW_FIELD_TITLE, CW_FIELD_SUBTITLE, CW_FIELD_TITLE_ADDON},
    {CW_FIELD_CONTAINER_TITLE, CW_FIELD_CONTAINER_SUBTITLE, CW_FIELD_CONTAINER_TITLE_ADDON},
    {CW_FIELD_VOLUME_TITLE, CW_FIELD_VOLUME_SUBTITLE, CW_FIELD_VOLUME_TITLE_ADDON},
};

/*
 * The writer joins a title with its subtitle and addon (processors read no
 * subtitle) and keeps the parts in custom. When the CSL title is exactly
 * that join, the record gets the bare title back; otherwise (a title edited
 * since, or one written without its parts) it stays as it is.
 */
static int unjoin_title(cw_record *rec, const enum cw_field *tp)
{
	const char *t = cw_record_text(rec, tp[0]);
	const char *sub = cw_record_text(rec, tp[1]), *add = cw_record_text(rec, tp[2]);
	if (!t || (!sub && !add))
		return CW_OK;
	static const char *const sep_sub[] = {": ", " "}, *const sep_add[] = {". ", " "};
	cw_buf orig = CW_BUF_INIT, tail = CW_BUF_INIT, again = CW_BUF_INIT;
	int rc = cw_buf_append(&orig, t, CW_NUL);
	for (int i = 0; i < (sub ? 2 : 1) && rc == CW_OK; i++) {
		for (int j = 0; j < (add ? 2 : 1) && rc == CW_OK; j++) {
			cw_buf_clear(&tail);
			if (sub)
				cw_buf_printf(&tail, "%s%s", sep_sub[i], sub);
			if (add)
				cw_buf_printf(&tail, "%s%s", sep_add[j], add);
			if (tail.len >= orig.len ||
			    memcmp(orig.data + orig.len - tail.len, tail.data, tail.len) != 0)
				continue;
			rc = cw_record_set_text(rec, tp[0], orig.data, orig.len - tail.len);
			cw_buf_clear(&again);
			if (rc >= 0)
				rc = cw_record_joined_title(rec, tp[0], &again);
			if (rc >= 0 && strcmp(cw_buf_str(&again), orig.data) == 0)
				goto done;
			if (rc >= 0) /* not that join: the title stays as read */
				rc = cw_record_set_text(rec, tp[0], orig.data, orig.len);
			if (rc > 0)
				rc = CW_OK;
		}
	}
done:
	cw_buf_free(&orig);
	cw_buf_free(&tail);
	cw_buf_free(&again);
	return rc < 0 ? rc : CW_OK;
}

static int read_item(item_ctx *x, const cj_value *obj, cw_record *rec, unsigned depth)
{
	if (depth > cw_session_limits(x->s)->max_depth)
		return cw_session_limit_error(x->s, CW_ERECORD, CW_LIMIT_DEPTH, x->line, x->col,
		                              "reference lists nested deeper than");
	cw_buf tmp = CW_BUF_INIT;
	const cj_value *custom = x->r->skip_custom ? NULL : cj_get(obj, "custom");
	if (custom && !cj_is_object(custom))
		custom = NULL;
	const cj_value *cnames = cj_get(custom, "names");
	const cj_value *etal = cj_get(custom, "etal");
	const cj_value *cdates = cj_get(custom, "dates");
	const cj_value *source_id = cj_get(custom, "source-id");
	if (!cj_is_string(source_id) || !cj_strlen(source_id))
		source_id = NULL;
	const cj_value *tv = cj_get(obj, "type");
	enum cw_item_type ty =
	    cj_is_string(tv) ? cw_item_type_from_name(cj_str(tv), CW_NUL) : CW_TYPE_UNSET;
	int rc = CW_OK;

	/* custom first: extension fields and passthrough keep their order there */
	if (custom)
		rc = read_custom(x, rec, custom, depth, &tmp);
	/* custom.keywords, when there, is the whole list: CSL keyword is its joined copy */
	int kw_in_custom = cw_record_has(rec, CW_FIELD_KEYWORDS);
	/* CSL number is the article number of an article, unless custom holds one */
	int number_is_artnum = (unsigned)ty < CW_TYPE_COUNT_ && x->r->map.artnum_type[ty] &&
	                       !cw_record_has(rec, CW_FIELD_ARTICLE_NUMBER);

	for (size_t m = 0; m < cj_object_size(obj) && rc == CW_OK; m++) {
		const cj_value *v = cj_member(obj, m);
		const char *k = v->key;
		if (KEY_IS(v, "custom")) {
			if (!custom)
				rc = keep(rec, "csljson", k, v);
			continue;
		}
		if (KEY_IS(v, "id") && (cj_is_string(v) || cj_is_integer(v))) {
			rc = set_text_field(x, rec, CW_FIELD_ID, v, &tmp);
			continue;
		}
		if (KEY_IS(v, "type")) {
			enum cw_item_type t = cj_is_string(v)
			                          ? cw_item_type_from_name(cj_str(v), CW_NUL)
			                          : CW_TYPE_UNSET;
			if (t != CW_TYPE_UNSET) {
				rc = cw_record_set_type(rec, t);
			} else {
				cw_buf t_text = CW_BUF_INIT;
				cj_dump(&t_text, v);
				CSLJSON_WARN(x, "unknown item type %s; kept as passthrough",
				             t_text.len ? t_text.data : "?");
				cw_buf_free(&t_text);
				rc = keep(rec, "csljson", k, v);
			}
			continue;
		}
		enum cw_field f = key_field(x->r, k, v->klen);
		if (f && !cw_field_is_csl(f))
			f = CW_FIELD_NONE; /* extensions live in custom */
		if (f == CW_FIELD_KEYWORD && kw_in_custom)
			continue;
		if (f == CW_FIELD_NUMBER && number_is_artnum)
			f = CW_FIELD_ARTICLE_NUMBER;
		if (!f) {
			f = csljson_map_alias(&x->r->map, k);
			if (f && cj_get(obj, cw_field_name(f)))
				f = CW_FIELD_NONE; /* the canonical key wins; keep the alias as is
				                    */
		}
		int fits = 0;
		switch (cw_field_kind(f)) {
		case CW_KIND_TEXT:
		case CW_KIND_RICH:
		case CW_KIND_NUMBER:
			/* "" would be unset in the record: kept as passthrough instead */
			if ((cj_is_string(v) && cj_strlen(v) > 0) || cj_is_number(v)) {
				fits = 1;
				rc = set_text_field(x, rec, f, v, &tmp);
			} else if (cj_is_string(v)) {
				f = CW_FIELD_NONE; /* no warning: an empty value is legal CSL */
			}
			break;
		case CW_KIND_DATE:
			if (cj_is_object(v) || cj_is_string(v)) {
				fits = 1;
				rc = read_date(x, rec, f, v, cj_get(cdates, k));
			}
			break;
		case CW_KIND_NAMES:
			if (cj_is_array(v)) {
				fits = 1;
				rc = read_names(x, rec, f, v, cnames, etal);
			}
			break;
		case CW_KIND_LIST:
			fits = read_list(x, rec, f, v);
			break;
		default:
			break;
		}
		if (!fits && !rc) {
			if (f)
				CSLJSON_WARN(x,
				             "\"%s\" has a value of the wrong JSON type; kept as "
				             "passthrough",
				             k);
			rc = keep(rec, "csljson", k, v);
		}
	}
	if (!rc)
		rc = etal_alone(rec, etal);
	for (size_t i = 0; i < sizeof joined_titles / sizeof joined_titles[0] && !rc; i++)
		rc = unjoin_title(rec, joined_titles[i]);
	if (!rc && source_id) {
		/* the record's own id; the CSL id crosswalk chose is kept beside it */
		const cj_value *idv = cj_get(obj, "id");
		if (cj_is_string(idv) || cj_is_integer(idv))
			rc = keep(rec, "csljson", "id", idv);
		if (!rc)
			rc = set_text_field(x, rec, CW_FIELD_ID, source_id, &tmp);
	}
	cw_buf_free(&tmp);
	if (rc && rc != CW_ERECORD)
		return cw_diag_emit(x->s, CW_SEV_ERROR, rc, x->line, x->col,
		                    "cannot store the item: %s", cw_status_str(rc));
	return rc;
}

/* ---- reader ops ---- */

static int csljson_open(void *state, cw_session *s, cw_istream *in)
{
	reader *r = state;
	r->in = in;
	r->line = 1, r->col = 1;
	r->mode = MODE_START;
	r->skip_custom = cw_session_option_bool(s, "skip-custom", 0);
	r->jp = (cj_parser)CJ_PARSER_INIT;
	r->jp.max_depth = cw_session_limits(s)->max_depth;
	return csljson_map_load(&r->map, s);
}

/* Decides the layout from the first bytes. */
static int start(reader *r, cw_session *s)
{
	const char *p;
	size_t n;
	int rc = peek(r, s, 4, &p, &n);
	if (rc)
		return rc;
	if (n >= 2 && (((unsigned char)p[0] == 0xFF && (unsigned char)p[1] == 0xFE) ||
	               ((unsigned char)p[0] == 0xFE && (unsigned char)p[1] == 0xFF)))
		return cw_diag_emit(
		    s, CW_SEV_ERROR, CW_EFORMAT, 1, 1,
		    "the input is UTF-16; CSL-JSON must be UTF-8 (convert it first)");
	if (n >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
	    (unsigned char)p[2] == 0xBF)
		cw_istream_consume(r->in, 3); /* the BOM is no column (cw_istream_position) */
	int c;
	rc = skip_ws(r, s, &c);
	if (rc)
		return rc;
	int lines = strcmp(cw_session_format(s), "csljsonl") == 0;
	if (c == 0 && !lines) {
		r->mode = MODE_DONE;
		return nul_error(r, s, CW_EFORMAT, NULL, 0);
	}
	if (c == '[' && !lines) {
		consume(r, 1);
		r->mode = MODE_ARRAY;
	} else if (c == '{') {
		r->mode = lines ? MODE_LINES : MODE_SINGLE;
		if (!lines) {
			/* an object alone on its first line, followed by more: JSON Lines */
			const char *d;
			size_t len;
			rc = value_extent(r, s, 1, &len, &d);
			if (rc)
				return rc;
			if (len > 0 && d[len - 1] == '}') {
				size_t i = len;
				while (d[i] == ' ' || d[i] == '\t' || d[i] == '\r')
					i++;
				if (d[i] == '\n') {
					while (is_ws(d[i]))
						i++;
					if (d[i] == '{')
						r->mode = MODE_LINES;
				}
			}
		}
	} else if (c == END) {
		r->mode = MODE_DONE; /* empty input: no records */
	} else if (c == 0) {
		r->mode = MODE_LINES; /* a NUL on the first line: reported with the line */
	} else {
		return cw_diag_emit(s, CW_SEV_ERROR, CW_EFORMAT, r->line, r->col,
		                    lines ? "expected '{' to start a JSON Lines item"
		                          : "expected '[' or '{' to start CSL-JSON");
	}
	return CW_OK;
}

static int map_item(reader *r, cw_session *s, const cj_value *obj, uint32_t line0, uint32_t col0,
                    cw_record **out);

/* Parses and maps the value at the current position (extent len). */
static int take_item(reader *r, cw_session *s, const char *p, size_t len, cw_record **out)
{
	uint32_t line0 = r->line, col0 = r->col;
	cw_session_set_line(s, line0); /* for the host's crash message */
	const cj_value *obj;
	int rc = cj_parse(&r->jp, p, len, &obj);
	r->items++;
	if (rc == CW_ERECORD)
		rc = json_fail(s, &r->jp, p, line0, col0);
	else if (rc)
		rc = cw_diag_emit(s, CW_SEV_ERROR, rc, line0, col0, "cannot parse the item: %s",
		                  cw_status_str(rc));
	consume(r, len);
	if (rc)
		return rc;
	return map_item(r, s, obj, line0, col0, out);
}

/* Maps a parsed item that started at line0:col0 onto a new record. */
static int map_item(reader *r, cw_session *s, const cj_value *obj, uint32_t line0, uint32_t col0,
                    cw_record **out)
{
	if (!cj_is_object(obj))
		return cw_diag_emit(s, CW_SEV_ERROR, CW_ERECORD, line0, col0,
		                    "item %llu is not a JSON object", (unsigned long long)r->items);
	const cj_value *id = cj_get(obj, "id");
	cw_buf_clear(&r->label);
	if (cj_is_string(id) || cj_is_integer(id))
		cw_buf_append(&r->label, id->u.text, id->len);
	else
		cw_buf_printf(&r->label, "#%llu", (unsigned long long)r->items);
	cw_session_set_record(s, cw_buf_str(&r->label));
	cw_record *rec;
	int rc = cw_record_new(&rec);
	if (rc == CW_OK) {
		cw_record_set_origin(rec, line0, col0);
		item_ctx x = {.r = r, .s = s, .line = line0, .col = col0};
		rc = read_item(&x, obj, rec, 0);
	}
	if (rc) {
		cw_record_free(rec);
		return rc < 0 ? rc : CW_ERECORD;
	}
	*out = rec;
	return CW_OK;
}

enum { SLOW_PATH = 1 };

/*
 * The common case in one pass: parses the next item straight from the
 * input window and maps it. Anything unusual (a parse error, an item over
 * the limits, text after a JSON Lines item) answers SLOW_PATH without
 * consuming anything, and the caller takes the path that finds the item's
 * extent first and reports exactly what is wrong.
 */
static int fast_item(reader *r, cw_session *s, int line_mode, cw_record **out)
{
	const cw_limits *lim = cw_session_limits(s);
	size_t want = 16384; /* most items are far smaller; a small window moves fewer bytes */
	cw_session_set_line(s, r->line); /* for the host's crash message */
	for (;;) {
		const char *p;
		size_t n, used;
		int rc = peek(r, s, want, &p, &n);
		if (rc)
			return rc;
		int eof = n < want;
		size_t len = n;
		const char *nl = line_mode ? memchr(p, '\n', n) : NULL;
		if (nl)
			len = (size_t)(nl - p);
		int whole = eof || nl; /* the window cannot cut the item */
		const cj_value *obj;
		rc = cj_parse_prefix(&r->jp, p, len, &obj, &used);
		if (rc == CW_ENOMEM)
			return cw_diag_emit(s, CW_SEV_ERROR, rc, r->line, r->col,
			                    "cannot parse the item: %s", cw_status_str(rc));
		if (rc == CW_OK && (used < len || whole)) {
			if (used > lim->max_record_bytes)
				return SLOW_PATH; /* reported there */
			if (line_mode && used < len)
				return SLOW_PATH; /* text after the item on its line */
			uint32_t line0 = r->line, col0 = r->col;
			consume(r, used);
			r->items++;
			return map_item(r, s, obj, line0, col0, out);
		}
		if (whole || (rc && r->jp.err_off < len) || n >= lim->max_record_bytes)
			return SLOW_PATH;
		want = n * 2;
	}
}

/*
 * Skips the rest of a bad line (JSON Lines resynchronisation). A line is
 * one record: one longer than record-bytes ends the stream (/dev/zero has
 * no line end to resume at).
 */
static int skip_line(reader *r, cw_session *s)
{
	uint64_t skipped = 0, most = cw_session_limits(s)->max_record_bytes;
	for (;;) {
		const char *p;
		size_t n;
		int rc = peek(r, s, 4096, &p, &n);
		if (rc || n == 0)
			return rc;
		const char *nl = memchr(p, '\n', n);
		size_t k = nl ? (size_t)(nl - p) + 1 : n;
		consume(r, k);
		if (nl)
			return CW_OK;
		if ((skipped += k) > most) {
			r->mode = MODE_DONE;
			return cw_session_limit_error(s, CW_ELIMIT, CW_LIMIT_RECORD_BYTES, r->line,
			                              r->col, "line larger than");
		}
	}
}

static int csljson_next(void *state, cw_session *s, cw_record **out)
{
	reader *r = state;
	int rc, c;
	if (r->mode == MODE_START && (rc = start(r, s)))
		return rc;
	for (;;) {
		if (r->mode == MODE_DONE)
			return CW_EOF;
		if ((rc = skip_ws(r, s, &c)))
			return rc;
		const char *p;
		size_t len;
		switch (r->mode) {
		case MODE_ARRAY:
			if (c == ']') {
				consume(r, 1);
				r->mode = MODE_DONE;
				if ((rc = skip_ws(r, s, &c)))
					return rc;
				if (c == 0)
					return nul_error(r, s, CW_EFORMAT, NULL, 0);
				if (c != END)
					return cw_diag_emit(
					    s, CW_SEV_ERROR, CW_EFORMAT, r->line, r->col,
					    "unexpected text after the end of the array");
				return CW_EOF;
			}
			/* no resuming after a NUL: the array's structure is unknown from here */
			if (c == 0) {
				r->mode = MODE_DONE;
				return nul_error(r, s, CW_EFORMAT, NULL, 0);
			}
			if (r->items > 0) {
				if (c != ',')
					return cw_diag_emit(s, CW_SEV_ERROR, CW_EFORMAT, r->line,
					                    r->col,
					                    c != END ? "expected ',' or ']' after an item"
					                             : "unterminated array: expected ']'");
				consume(r, 1);
				if ((rc = skip_ws(r, s, &c)))
					return rc;
			}
			if (c == 0) {
				r->mode = MODE_DONE;
				return nul_error(r, s, CW_EFORMAT, NULL, 0);
			}
			if (c == END)
				return cw_diag_emit(s, CW_SEV_ERROR, CW_EFORMAT, r->line, r->col,
				                    "unterminated array: expected an item or ']'");
			if ((rc = fast_item(r, s, 0, out)) != SLOW_PATH)
				return rc;
			if ((rc = value_extent(r, s, 0, &len, &p)))
				return rc;
			if (len == 0)
				return cw_diag_emit(s, CW_SEV_ERROR, CW_EFORMAT, r->line, r->col,
				                    "expected an item");
			const char *nul = memchr(p, 0, len);
			if (nul) {
				r->mode = MODE_DONE;
				return nul_error(r, s, CW_EFORMAT, p, (size_t)(nul - p));
			}
			if (p[0] == '{' && p[len - 1] != '}') /* ran into the end of input */
				return cw_diag_emit(s, CW_SEV_ERROR, CW_EFORMAT, r->line, r->col,
				                    "unterminated item: the input ends inside it");
			return take_item(r, s, p, len, out);
		case MODE_SINGLE:
			if (c == END) {
				r->mode = MODE_DONE;
				return CW_EOF;
			}
			if (c == 0) {
				r->mode = MODE_DONE;
				return nul_error(r, s, CW_EFORMAT, NULL, 0);
			}
			if (r->items > 0)
				return cw_diag_emit(
				    s, CW_SEV_ERROR, CW_EFORMAT, r->line, r->col,
				    "unexpected text after the item (for one item per "
				    "line use JSON Lines: -f csljsonl)");
			if ((rc = value_extent(r, s, 0, &len, &p)))
				return rc;
			rc = take_item(r, s, p, len, out);
			if (rc == CW_ERECORD) {
				/* the one item is the whole input: the input is invalid, not partly
				 * read */
				r->mode = MODE_DONE;
				rc = CW_EFORMAT;
			}
			return rc;
		case MODE_LINES: {
			if (c == END) {
				r->mode = MODE_DONE;
				return CW_EOF;
			}
			if (c == 0) {
				/* this line is lost; the next may be fine */
				rc = nul_error(r, s, CW_ERECORD, NULL, 0);
				int src = skip_line(r, s);
				return src ? src : rc;
			}
			if ((rc = fast_item(r, s, 1, out)) != SLOW_PATH)
				return rc;
			if ((rc = value_extent(r, s, 1, &len, &p)))
				return rc;
			uint32_t line0 = r->line;
			rc = take_item(r, s, p, len, out);
			if (rc == CW_OK || rc == CW_ERECORD) {
				/* the rest of the line must be blank */
				const char *q;
				size_t n;
				int prc = peek(r, s, 4096, &q, &n);
				if (prc)
					return prc;
				size_t i = 0;
				while (i < n && (q[i] == ' ' || q[i] == '\t' || q[i] == '\r'))
					i++;
				if (i < n && q[i] != '\n' && r->line == line0) {
					if (rc == CW_OK) {
						cw_record_free(*out);
						*out = NULL;
						rc = q[i] == 0
						         ? nul_error(r, s, CW_ERECORD, q, i)
						         : cw_diag_emit(
						               s, CW_SEV_ERROR, CW_ERECORD, r->line,
						               r->col + (uint32_t)i,
						               "unexpected text after the item on this line");
					}
					int src = skip_line(r, s);
					if (src)
						return src;
				}
			}
			return rc;
		}
		default:
			return CW_EOF;
		}
	}
}

static void csljson_close(void *state, cw_session *s)
{
	reader *r = state;
	(void)s;
	cj_parser_free(&r->jp);
	cw_buf_free(&r->label);
}

const cw_reader_ops csljson_reader = {
    .struct_size = sizeof(cw_reader_ops),
    .state_size = sizeof(reader),
    .open = csljson_open,
    .next = csljson_next,
    .close = csljson_close,
};
