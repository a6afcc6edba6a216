/*
 * A strict JSON parser into an arena (see csljson_json.h for why).
 *
 * The parse is iterative: finished values are pushed on a work stack, and
 * when a container closes its elements are copied off the stack into one
 * arena block. So nesting costs a frame per level, never C stack, and every
 * container's children are contiguous.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csljson_json.h"

/* ---- arena ---- */

struct cj_block {
	cj_block *next;
	size_t used, size;
	max_align_t data[];
};

enum {
	BLOCK_MIN = 64 * 1024,
	KEEP_BYTES = 4 * 1024 * 1024, /* blocks past this are freed after a parse */
	ALIGN = sizeof(void *)
};

static void *arena_alloc(cj_parser *p, size_t n)
{
	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	cj_block *b = p->cur;
	while (b && b->size - b->used < n)
		b = b->next;
	if (!b) {
		size_t size = n > BLOCK_MIN ? n : BLOCK_MIN;
		b = malloc(sizeof *b + size);
		if (!b)
			return NULL;
		b->used = 0;
		b->size = size;
		/* new blocks go after the current one, so reuse order stays stable */
		if (p->cur) {
			b->next = p->cur->next;
			p->cur->next = b;
		} else {
			b->next = p->blocks;
			p->blocks = b;
		}
	}
	p->cur = b;
	void *r = (char *)b->data + b->used;
	b->used += n;
	return r;
}

/* Empties the arena, keeping up to KEEP_BYTES of blocks for the next parse. */
static void arena_reset(cj_parser *p)
{
	size_t kept = 0;
	cj_block **link = &p->blocks;
	while (*link) {
		cj_block *b = *link;
		if (kept + b->size > KEEP_BYTES && kept > 0) {
			*link = b->next;
			free(b);
			continue;
		}
		kept += b->size;
		b->used = 0;
		link = &b->next;
	}
	p->cur = p->blocks;
}

void cj_parser_free(cj_parser *p)
{
	if (!p)
		return;
	while (p->blocks) {
		cj_block *next = p->blocks->next;
		free(p->blocks);
		p->blocks = next;
	}
	p->cur = NULL;
	free(p->stack);
	p->stack = NULL;
	p->nstack = p->capstack = 0;
}

/* ---- lexing ---- */

typedef struct lexer {
	cj_parser *p;
	const char *s;
	size_t len, pos;
} lexer;

/* Records the first error; returns CW_ERECORD. */
static int fail(lexer *lx, size_t at, const char *msg)
{
	/* no JSON token has a NUL: say what the byte is rather than what was expected */
	if (at < lx->len && lx->s[at] == '\0')
		msg = "a NUL byte (JSON text never has one)";
	lx->p->err_off = at;
	snprintf(lx->p->err_msg, sizeof lx->p->err_msg, "%s", msg);
	return CW_ERECORD;
}

static void skip_ws(lexer *lx)
{
	const char *s = lx->s;
	size_t i = lx->pos, n = lx->len;
	while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
		i++;
	lx->pos = i;
}

/* Byte classes inside a string: 0 plain, 1 quote or backslash, 2 control, 3 non-ASCII. */
static const unsigned char str_class[256] = {
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3,
};

static int hex4(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return 0;
	}
	*out = v;
	return 1;
}

static size_t put_utf8(char *d, uint32_t cp)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xC0 | (cp >> 6));
		d[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (char)(0xE0 | (cp >> 12));
		d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		d[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	d[0] = (char)(0xF0 | (cp >> 18));
	d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	d[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Decodes the escapes of s[a..b) (known to be well-formed) into d; returns the length. */
static size_t unescape(const char *s, size_t a, size_t b, char *d)
{
	size_t w = 0;
	for (size_t i = a; i < b;) {
		if (s[i] != '\\') {
			d[w++] = s[i++];
			continue;
		}
		char e = s[i + 1];
		i += 2;
		switch (e) {
		case 'b': d[w++] = '\b'; break;
		case 'f': d[w++] = '\f'; break;
		case 'n': d[w++] = '\n'; break;
		case 'r': d[w++] = '\r'; break;
		case 't': d[w++] = '\t'; break;
		case 'u': {
			uint32_t cp = 0, lo = 0xDC00;
			hex4(s + i, &cp);
			i += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				hex4(s + i + 2, &lo);
				i += 6;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			w += put_utf8(d + w, cp);
			break;
		}
		default: d[w++] = e; break; /* " \ / */
		}
	}
	return w;
}

/*
 * Scans the string whose opening quote is at lx->pos into the arena.
 * Escapes are checked on the way and decoded in a second pass, only for
 * strings that have them.
 */
static int lex_string(lexer *lx, const char **text, uint32_t *tlen)
{
	const unsigned char *s = (const unsigned char *)lx->s;
	size_t n = lx->len, start = lx->pos + 1, i = start;
	int escapes = 0;
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	for (;;) {
		/* 8 plain bytes at a time: no control, quote, backslash or non-ASCII */
		for (; i + 8 <= n; i += 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');
			if ((((w - ones * 0x20) | (q - ones) | (bs - ones)) & ~w & high) | (w & high))
				break;
		}
		while (i < n && str_class[s[i]] == 0)
			i++;
		if (i >= n)
			return fail(lx, n, "premature end of input inside a string");
		unsigned char c = s[i];
		if (c == '"')
			break;
		if (c == '\\') {
			if (i + 1 >= n)
				return fail(lx, n, "premature end of input inside a string");
			char e = (char)s[i + 1];
			if (e == 'u') {
				uint32_t cp = 0, lo = 0;
				if (i + 6 > n || !hex4((const char *)s + i + 2, &cp))
					return fail(lx, i, "invalid \\u escape");
				if (cp == 0)
					return fail(lx, i, "\\u0000 is not allowed in a string");
				if (cp >= 0xDC00 && cp <= 0xDFFF)
					return fail(lx, i, "invalid Unicode: a lone low surrogate");
				if (cp >= 0xD800 && cp <= 0xDBFF) {
					if (i + 12 > n || s[i + 6] != '\\' || s[i + 7] != 'u' ||
					    !hex4((const char *)s + i + 8, &lo) || lo < 0xDC00 || lo > 0xDFFF)
						return fail(lx, i, "invalid Unicode: a lone high surrogate");
					i += 6;
				}
				i += 6;
			} else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' ||
			           e == 'n' || e == 'r' || e == 't') {
				i += 2;
			} else {
				return fail(lx, i, "invalid escape in a string");
			}
			escapes = 1;
		} else if (c < 0x20) {
			return fail(lx, i, "control character in a string");
		} else {
			uint32_t cp;
			size_t k = cw_utf8_decode((const char *)s + i, n - i, &cp);
			if (cp == 0xFFFD && k == 1)
				return fail(lx, i, "invalid UTF-8 in a string");
			i += k;
		}
	}
	size_t raw = i - start;
	if (raw > UINT32_MAX - 1)
		return fail(lx, start, "string too long");
	char *d = arena_alloc(lx->p, raw + 1);
	if (!d)
		return CW_ENOMEM;
	size_t w = escapes ? unescape(lx->s, start, i, d) : raw;
	if (!escapes)
		memcpy(d, lx->s + start, raw);
	d[w] = '\0';
	*text = d;
	*tlen = (uint32_t)w;
	lx->pos = i + 1;
	return CW_OK;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Lexes a number; the text stays the way it was written. */
static int lex_number(lexer *lx, cj_value *v)
{
	const char *s = lx->s;
	size_t n = lx->len, i = lx->pos, start = i;
	int real = 0;
	if (s[i] == '-')
		i++;
	if (i < n && s[i] == '0') {
		i++;
		if (i < n && is_digit(s[i]))
			return fail(lx, start, "invalid number: leading zero");
	} else if (i < n && is_digit(s[i])) {
		while (i < n && is_digit(s[i]))
			i++;
	} else {
		return fail(lx, start, "invalid number");
	}
	if (i < n && s[i] == '.') {
		real = 1;
		if (++i >= n || !is_digit(s[i]))
			return fail(lx, start, "invalid number: no digit after '.'");
		while (i < n && is_digit(s[i]))
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		real = 1;
		if (++i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || !is_digit(s[i]))
			return fail(lx, start, "invalid number: no digit in the exponent");
		while (i < n && is_digit(s[i]))
			i++;
	}
	if (!real) {
		/* int64 range, like jansson's json_int_t */
		int neg = s[start] == '-';
		unsigned long long acc = 0, lim = neg ? 9223372036854775808ULL : 9223372036854775807ULL;
		for (size_t k = start + (size_t)neg; k < i; k++) {
			unsigned d = (unsigned)(s[k] - '0');
			if (acc > (lim - d) / 10)
				return fail(lx, start, "too big integer");
			acc = acc * 10 + d;
		}
	}
	if (i - start > 4096)
		return fail(lx, start, "number too long");
	char *d = arena_alloc(lx->p, i - start + 1);
	if (!d)
		return CW_ENOMEM;
	memcpy(d, s + start, i - start);
	d[i - start] = '\0';
	v->type = real ? CJ_REAL : CJ_INTEGER;
	v->u.text = d;
	v->len = (uint32_t)(i - start);
	lx->pos = i;
	return CW_OK;
}

static int lex_word(lexer *lx, const char *word, size_t wlen, enum csljson_jtype t, cj_value *v)
{
	if (lx->len - lx->pos < wlen || memcmp(lx->s + lx->pos, word, wlen) != 0)
		return fail(lx, lx->pos, "invalid token");
	lx->pos += wlen;
	v->type = (uint8_t)t;
	return CW_OK;
}

/* ---- parsing ---- */

static int push(cj_parser *p, const cj_value *v)
{
	if (p->nstack == p->capstack) {
		size_t cap = p->capstack ? p->capstack * 2 : 256;
		cj_value *st = realloc(p->stack, cap * sizeof *st);
		if (!st)
			return CW_ENOMEM;
		p->stack = st;
		p->capstack = cap;
	}
	p->stack[p->nstack++] = *v;
	return CW_OK;
}

static int key_cmp(const void *a, const void *b)
{
	const cj_value *x = *(const cj_value *const *)a, *y = *(const cj_value *const *)b;
	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	return memcmp(x->key, y->key, x->klen);
}

/* The first member whose key occurs again, or NULL. */
static const cj_value *duplicate_key(const cj_value *m, size_t n)
{
	if (n <= 16) {
		for (size_t i = 1; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (m[i].klen == m[j].klen && memcmp(m[i].key, m[j].key, m[i].klen) == 0)
					return &m[i];
		return NULL;
	}
	const cj_value **sorted = malloc(n * sizeof *sorted);
	if (!sorted)
		return NULL; /* cannot check: accept rather than fail the item */
	for (size_t i = 0; i < n; i++)
		sorted[i] = &m[i];
	qsort(sorted, n, sizeof *sorted, key_cmp);
	const cj_value *dup = NULL;
	for (size_t i = 1; i < n && !dup; i++)
		if (key_cmp(&sorted[i - 1], &sorted[i]) == 0)
			dup = sorted[i];
	free(sorted);
	return dup;
}

typedef struct frame {
	size_t first; /* stack index of the first child */
	size_t open;  /* offset of the bracket, for messages */
	const char *key;
	uint32_t klen;
	uint8_t type;
} frame;

/* Reads `"key" :` of an object member. */
static int lex_key(lexer *lx, const char **key, uint32_t *klen)
{
	skip_ws(lx);
	if (lx->pos >= lx->len)
		return fail(lx, lx->pos, "premature end of input: expected a key");
	if (lx->s[lx->pos] != '"')
		return fail(lx, lx->pos, "expected a string as object key");
	int rc = lex_string(lx, key, klen);
	if (rc)
		return rc;
	skip_ws(lx);
	if (lx->pos >= lx->len || lx->s[lx->pos] != ':')
		return fail(lx, lx->pos, "expected ':' after an object key");
	lx->pos++;
	return CW_OK;
}

/* Moves the children of the innermost frame into the arena as its value. */
static int close_frame(lexer *lx, frame *f)
{
	cj_parser *p = lx->p;
	size_t n = p->nstack - f->first;
	cj_value v = {.key = f->key, .klen = f->klen, .type = f->type, .len = (uint32_t)n};
	if (n > UINT32_MAX)
		return fail(lx, f->open, "container too large");
	if (n) {
		cj_value *kids = arena_alloc(p, n * sizeof *kids);
		if (!kids)
			return CW_ENOMEM;
		memcpy(kids, p->stack + f->first, n * sizeof *kids);
		if (f->type == CJ_OBJECT) {
			const cj_value *dup = duplicate_key(kids, n);
			if (dup) {
				snprintf(p->err_msg, sizeof p->err_msg, "duplicate object key \"%.40s\"",
				         dup->key);
				p->err_off = f->open;
				return CW_ERECORD;
			}
		}
		v.u.kids = kids;
	}
	p->nstack = f->first;
	return push(p, &v);
}

static int parse(cj_parser *p, const char *s, size_t len, const cj_value **out, size_t *used)
{
	*out = NULL;
	arena_reset(p);
	p->nstack = 0;
	p->err_off = 0;
	p->err_msg[0] = '\0';
	uint32_t max_depth = p->max_depth ? p->max_depth : 256;
	frame *frames = malloc(((size_t)max_depth + 1) * sizeof *frames);
	if (!frames)
		return CW_ENOMEM;
	lexer lx = {.p = p, .s = s, .len = len, .pos = 0};
	int depth = 0, rc = CW_OK;
	const char *key = NULL;
	uint32_t klen = 0;

	for (;;) {
		/* a value is expected */
		skip_ws(&lx);
		if (lx.pos >= len) {
			rc = fail(&lx, len, "premature end of input: expected a value");
			goto done;
		}
		cj_value v = {.key = key, .klen = klen};
		key = NULL, klen = 0;
		char c = s[lx.pos];
		if (c == '{' || c == '[') {
			if ((uint32_t)depth >= max_depth) {
				rc = fail(&lx, lx.pos, "nesting too deep");
				goto done;
			}
			frame *f = &frames[depth++];
			*f = (frame){.first = p->nstack, .open = lx.pos, .key = v.key, .klen = v.klen,
			             .type = c == '{' ? CJ_OBJECT : CJ_ARRAY};
			lx.pos++;
			skip_ws(&lx);
			char close = c == '{' ? '}' : ']';
			if (lx.pos < len && s[lx.pos] == close) {
				lx.pos++;
				if ((rc = close_frame(&lx, &frames[--depth])))
					goto done;
			} else {
				if (c == '{' && (rc = lex_key(&lx, &key, &klen)))
					goto done;
				continue;
			}
		} else {
			if (c == '"') {
				v.type = CJ_STRING;
				rc = lex_string(&lx, &v.u.text, &v.len);
			} else if (c == '-' || is_digit(c)) {
				rc = lex_number(&lx, &v);
			} else if (c == 't') {
				rc = lex_word(&lx, "true", 4, CJ_TRUE, &v);
			} else if (c == 'f') {
				rc = lex_word(&lx, "false", 5, CJ_FALSE, &v);
			} else if (c == 'n') {
				rc = lex_word(&lx, "null", 4, CJ_NULL, &v);
			} else {
				rc = fail(&lx, lx.pos, c == '}' || c == ']' || c == ','
				                           ? "unexpected punctuation: expected a value"
				                           : "invalid token");
			}
			if (rc || (rc = push(p, &v)))
				goto done;
		}
		/* a value is complete: close containers or go on to the next element */
		for (;;) {
			skip_ws(&lx);
			if (depth == 0) {
				if (used)
					*used = lx.pos;
				else if (lx.pos < len)
					rc = fail(&lx, lx.pos, "unexpected text after the value");
				goto done;
			}
			frame *f = &frames[depth - 1];
			char close = f->type == CJ_OBJECT ? '}' : ']';
			if (lx.pos >= len) {
				rc = fail(&lx, len, f->type == CJ_OBJECT
				                        ? "premature end of input: expected ',' or '}'"
				                        : "premature end of input: expected ',' or ']'");
				goto done;
			}
			c = s[lx.pos];
			if (c == close) {
				lx.pos++;
				depth--;
				if ((rc = close_frame(&lx, f)))
					goto done;
				continue;
			}
			if (c != ',') {
				rc = fail(&lx, lx.pos, f->type == CJ_OBJECT ? "expected ',' or '}'"
				                                            : "expected ',' or ']'");
				goto done;
			}
			lx.pos++;
			if (f->type == CJ_OBJECT && (rc = lex_key(&lx, &key, &klen)))
				goto done;
			break;
		}
	}
done:
	free(frames);
	if (rc == CW_OK)
		*out = &p->stack[0];
	return rc;
}

int cj_parse(cj_parser *p, const char *s, size_t len, const cj_value **out)
{
	return parse(p, s, len, out, NULL);
}

int cj_parse_prefix(cj_parser *p, const char *s, size_t len, const cj_value **out, size_t *used)
{
	*used = 0;
	return parse(p, s, len, out, used);
}

void cj_position(const char *s, size_t off, uint32_t *line, uint32_t *col)
{
	uint32_t l = 1, c = 1;
	for (size_t i = 0; i < off; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\n')
			l++, c = 1;
		else if ((ch & 0xC0) != 0x80)
			c++;
	}
	*line = l;
	*col = c;
}

const cj_value *cj_get(const cj_value *obj, const char *key)
{
	size_t n = cj_object_size(obj);
	if (!n || !key)
		return NULL;
	size_t klen = strlen(key);
	for (size_t i = 0; i < n; i++) {
		const cj_value *m = &obj->u.kids[i];
		if (m->klen == klen && memcmp(m->key, key, klen) == 0)
			return m;
	}
	return NULL;
}

long long cj_integer(const cj_value *v)
{
	if (!cj_is_integer(v))
		return 0;
	const char *s = v->u.text;
	int neg = *s == '-';
	unsigned long long acc = 0;
	for (s += neg; *s; s++)
		acc = acc * 10 + (unsigned)(*s - '0');
	/* the lexer checked the range: -2^63 is the one value that needs care */
	return neg ? (long long)(0ULL - acc) : (long long)acc;
}

int cj_dump(cw_buf *out, const cj_value *v)
{
	int rc;
	switch (v->type) {
	case CJ_NULL: return cw_buf_append(out, "null", 4);
	case CJ_TRUE: return cw_buf_append(out, "true", 4);
	case CJ_FALSE: return cw_buf_append(out, "false", 5);
	case CJ_INTEGER:
	case CJ_REAL: return cw_buf_append(out, v->u.text, v->len);
	case CJ_STRING: return cw_buf_append_json(out, v->u.text, v->len);
	default: break;
	}
	int obj = v->type == CJ_OBJECT;
	if ((rc = cw_buf_putc(out, obj ? '{' : '[')))
		return rc;
	for (uint32_t i = 0; i < v->len; i++) {
		const cj_value *k = &v->u.kids[i];
		if (i && (rc = cw_buf_putc(out, ',')))
			return rc;
		if (obj && ((rc = cw_buf_append_json(out, k->key, k->klen)) ||
		            (rc = cw_buf_putc(out, ':'))))
			return rc;
		if ((rc = cj_dump(out, k)))
			return rc;
	}
	return cw_buf_putc(out, obj ? '}' : ']');
}
