/*
 * The CSL-JSON plugin's own JSON parser: strict RFC 8259, one value at a
 * time, into a read-only tree that lives in the parser's arena until the
 * next parse. Written for speed (jansson builds a hash table and a malloc'd
 * node per value, and parses this project's benchmark input at 32 MB/s);
 * its acceptance is checked against jansson's in tests/csljson.
 *
 * What it rejects, like jansson with JSON_REJECT_DUPLICATES: invalid UTF-8,
 * control characters and \u0000 in strings, lone surrogates, duplicate
 * keys, integers outside int64, leading zeros, trailing text. Numbers keep
 * the text they were written with.
 */
#ifndef CSLJSON_JSON_H
#define CSLJSON_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "crosswalk/common.h"

enum csljson_jtype {
	CJ_NULL,
	CJ_FALSE,
	CJ_TRUE,
	CJ_INTEGER,
	CJ_REAL,
	CJ_STRING,
	CJ_ARRAY,
	CJ_OBJECT
};

/*
 * One value. Members of an object carry their key; array elements have
 * key NULL. Strings and keys are NUL-terminated (and hold no NUL).
 */
typedef struct cj_value {
	const char *key;
	union {
		const char *text;          /* string bytes, or a number as written */
		const struct cj_value *kids; /* array elements or object members */
	} u;
	uint32_t len;  /* string or number bytes, or number of kids */
	uint32_t klen; /* key bytes */
	uint8_t type;  /* enum csljson_jtype */
} cj_value;

typedef struct cj_block cj_block;

/* Owns the arena and the work stacks; reused from one parse to the next. */
typedef struct cj_parser {
	cj_block *blocks, *cur;
	cj_value *stack;
	size_t nstack, capstack;
	uint32_t max_depth;
	/* the last error */
	size_t err_off;   /* byte offset of the error in the parsed text */
	char err_msg[96]; /* what is wrong */
} cj_parser;

#define CJ_PARSER_INIT {0}

/*
 * Parses the JSON value that is all of s[0..len) (white space around it
 * allowed). *out borrows the parser's arena: valid until the next parse or
 * cj_parser_free. CW_ERECORD with err_off/err_msg set when the text is not
 * JSON; CW_ENOMEM.
 */
int cj_parse(cj_parser *p, const char *s, size_t len, const cj_value **out);
/*
 * Like cj_parse for the value at the start of s; the text after it is left
 * alone and *used says where the value (and the white space after it) ends.
 */
int cj_parse_prefix(cj_parser *p, const char *s, size_t len, const cj_value **out, size_t *used);
void cj_parser_free(cj_parser *p);

/* Line and column (1-based, columns in characters) of byte off of s. */
void cj_position(const char *s, size_t off, uint32_t *line, uint32_t *col);

/* Appends the value as compact JSON (the way jansson's JSON_COMPACT writes). */
int cj_dump(cw_buf *out, const cj_value *v);

/* Accessors; each takes NULL and the wrong type and answers 0 / NULL. */
static inline int cj_is(const cj_value *v, enum csljson_jtype t)
{
	return v && v->type == t;
}
static inline int cj_is_string(const cj_value *v) { return cj_is(v, CJ_STRING); }
static inline int cj_is_object(const cj_value *v) { return cj_is(v, CJ_OBJECT); }
static inline int cj_is_array(const cj_value *v) { return cj_is(v, CJ_ARRAY); }
static inline int cj_is_integer(const cj_value *v) { return cj_is(v, CJ_INTEGER); }
static inline int cj_is_real(const cj_value *v) { return cj_is(v, CJ_REAL); }
static inline int cj_is_true(const cj_value *v) { return cj_is(v, CJ_TRUE); }
static inline int cj_is_number(const cj_value *v)
{
	return v && (v->type == CJ_INTEGER || v->type == CJ_REAL);
}
static inline int cj_is_boolean(const cj_value *v)
{
	return v && (v->type == CJ_TRUE || v->type == CJ_FALSE);
}
/* A string's bytes (NULL for anything else) and length. */
static inline const char *cj_str(const cj_value *v)
{
	return cj_is_string(v) ? v->u.text : NULL;
}
static inline size_t cj_strlen(const cj_value *v)
{
	return cj_is_string(v) ? v->len : 0;
}
static inline size_t cj_array_size(const cj_value *v)
{
	return cj_is_array(v) ? v->len : 0;
}
static inline size_t cj_object_size(const cj_value *v)
{
	return cj_is_object(v) ? v->len : 0;
}
/* Element i of an array, or NULL. */
static inline const cj_value *cj_at(const cj_value *v, size_t i)
{
	return i < cj_array_size(v) ? &v->u.kids[i] : NULL;
}
/* Member i of an object, in document order, or NULL. */
static inline const cj_value *cj_member(const cj_value *v, size_t i)
{
	return i < cj_object_size(v) ? &v->u.kids[i] : NULL;
}
/* The member named key, or NULL. */
const cj_value *cj_get(const cj_value *obj, const char *key);
/* An integer's value (0 for anything else). */
long long cj_integer(const cj_value *v);

#endif
