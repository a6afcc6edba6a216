/*
 * The differential check of csljson_json.c against jansson.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../../plugins/csljson/csljson_json.h"
#include "json_oracle.h"

enum { DEPTH = 2048 }; /* jansson's own nesting limit */

static int differ(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int differ(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return 1;
}

static int same(const cj_value *c, json_t *j, char *why, size_t whylen)
{
	switch (c->type) {
	case CJ_NULL:
		return json_is_null(j) ? 0 : differ(why, whylen, "null vs jansson type %d", json_typeof(j));
	case CJ_TRUE:
	case CJ_FALSE:
		return json_is_boolean(j) && json_is_true(j) == (c->type == CJ_TRUE)
		           ? 0
		           : differ(why, whylen, "boolean differs");
	case CJ_INTEGER:
		return json_is_integer(j) && json_integer_value(j) == cj_integer(c)
		           ? 0
		           : differ(why, whylen, "integer %s differs", c->u.text);
	case CJ_REAL: {
		if (!json_is_real(j))
			return differ(why, whylen, "real %s is not a real in jansson", c->u.text);
		double mine = strtod(c->u.text, NULL), theirs = json_real_value(j);
		return mine == theirs ? 0 : differ(why, whylen, "real %s: %g vs %g", c->u.text, mine, theirs);
	}
	case CJ_STRING:
		if (!json_is_string(j) || json_string_length(j) != c->len ||
		    memcmp(json_string_value(j), c->u.text, c->len) != 0)
			return differ(why, whylen, "string \"%.60s\" differs", c->u.text);
		return strlen(c->u.text) == c->len ? 0 : differ(why, whylen, "string holds a NUL");
	case CJ_ARRAY:
		if (!json_is_array(j) || json_array_size(j) != c->len)
			return differ(why, whylen, "array of %u differs", c->len);
		for (uint32_t i = 0; i < c->len; i++)
			if (same(&c->u.kids[i], json_array_get(j, i), why, whylen))
				return 1;
		return 0;
	case CJ_OBJECT: {
		if (!json_is_object(j) || json_object_size(j) != c->len)
			return differ(why, whylen, "object of %u members differs", c->len);
		/* jansson iterates in insertion order: document order, like ours */
		uint32_t i = 0;
		const char *k;
		json_t *v;
		json_object_foreach(j, k, v) {
			const cj_value *m = &c->u.kids[i++];
			if (strcmp(k, m->key) != 0 || strlen(m->key) != m->klen)
				return differ(why, whylen, "key \"%s\" vs \"%s\"", m->key, k);
			if (same(m, v, why, whylen))
				return 1;
		}
		return c->len == 0 || cj_get(c, c->u.kids[0].key) == &c->u.kids[0]
		           ? 0
		           : differ(why, whylen, "cj_get finds the wrong member");
	}
	default:
		return differ(why, whylen, "unknown type %d", c->type);
	}
}

/* The same value written by cj_dump and read back by jansson. */
static int dump_roundtrips(const cj_value *c, json_t *j, char *why, size_t whylen)
{
	cw_buf b = CW_BUF_INIT;
	int bad = cj_dump(&b, c) != CW_OK;
	json_t *again = bad ? NULL : json_loadb(cw_buf_str(&b), b.len, JSON_DECODE_ANY, NULL);
	if (!again || !json_equal(again, j))
		bad = differ(why, whylen, "cj_dump wrote %.80s", cw_buf_str(&b));
	json_decref(again);
	cw_buf_free(&b);
	return bad;
}

int cwt_json_oracle(const char *s, size_t len, char *why, size_t whylen)
{
	cj_parser p = CJ_PARSER_INIT;
	p.max_depth = DEPTH;
	const cj_value *mine;
	int rc = cj_parse(&p, s, len, &mine);
	json_error_t err;
	json_t *theirs = json_loadb(s, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
	int bad = 0;
	why[0] = '\0';
	if (memchr(s, '\0', len)) {
		/* jansson takes a NUL byte for the end of the text; JSON allows none */
		if (rc != CW_ERECORD)
			bad = differ(why, whylen, "a text with a NUL byte accepted");
	} else if (rc == CW_OK && theirs) {
		bad = same(mine, theirs, why, whylen) || dump_roundtrips(mine, theirs, why, whylen);
	} else if (rc == CW_OK) {
		/* by design: reals beyond double's range keep their text; nesting limits differ */
		if (!strstr(err.text, "real number overflow") && !strstr(err.text, "too deep") &&
		    !strstr(err.text, "maximum parsing depth"))
			bad = differ(why, whylen, "jansson rejects (%s), we accept", err.text);
	} else if (theirs) {
		if (!strstr(p.err_msg, "too deep"))
			bad = differ(why, whylen, "we reject (%s at %zu), jansson accepts", p.err_msg,
			             p.err_off);
	} else if (rc != CW_ERECORD) {
		bad = differ(why, whylen, "parser failed with %d", rc);
	} else if (p.err_off > len) {
		bad = differ(why, whylen, "error offset %zu past the end %zu", p.err_off, len);
	}
	json_decref(theirs);
	cj_parser_free(&p);
	return bad;
}
