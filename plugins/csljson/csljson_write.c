/*
 * CSL-JSON writer: an array of items (pretty or compact) or JSON Lines.
 *
 * Output is built as text in a fixed key order (id, type, CSL variables in
 * field order, custom), so the same record always gives the same bytes and
 * no JSON tree is built. Everything the record holds is written: CSL
 * variables in place, the rest in the item's "custom" object (see
 * docs/formats/csljson.md), so CSL-JSON carries every field.
 */
#include <stdlib.h>
#include <string.h>

#include "csljson.h"

/* ---- a small JSON text emitter ---- */

/*
 * The emitter writes straight into its cw_buf (a frozen, public layout):
 * each call reserves once for the separator, the indentation and its text,
 * then stores them. This is the writer's inner loop; see docs/benchmarks.md.
 */

enum { JW_MAX_DEPTH = 64 };

typedef struct jw {
	cw_buf out;
	int compact;
	int level; /* open containers */
	int base;  /* indentation of level 0 */
	int count[JW_MAX_DEPTH];
	int after_key; /* a key was written; the value follows on the same line */
	int failed;    /* out of memory: nothing more is written */
} jw;

static const char jw_spaces[16] = "                ";

/* The most a separator, line break and indentation take. */
static size_t jw_lead_max(const jw *w)
{
	size_t n = (size_t)(w->base + w->level) * 2;
	return 2 + (n < sizeof jw_spaces ? sizeof jw_spaces : n);
}

/* Where n more bytes (and the NUL) go, or NULL when memory ran out. */
static char *jw_room(jw *w, size_t n)
{
	cw_buf *b = &w->out;
	if (w->failed)
		return NULL;
	if ((b->cap <= b->len || n >= b->cap - b->len) && cw_buf_reserve(b, n) != CW_OK) {
		w->failed = 1;
		return NULL;
	}
	return b->data + b->len;
}

static void jw_done(jw *w, char *d)
{
	*d = '\0';
	w->out.len = (size_t)(d - w->out.data);
}

/* Line break and indentation at d (room for jw_lead_max reserved). */
static char *jw_newline(const jw *w, char *d, int level)
{
	if (w->compact)
		return d;
	size_t n = (size_t)(w->base + level) * 2;
	*d++ = '\n';
	if (n <= sizeof jw_spaces)
		memcpy(d, jw_spaces, sizeof jw_spaces);
	else
		memset(d, ' ', n);
	return d + n;
}

/* Separator and indentation before a value or key at the current level. */
static char *jw_lead(jw *w, char *d)
{
	if (w->after_key) {
		w->after_key = 0;
		return d;
	}
	if (w->level > 0) {
		if (w->count[w->level - 1]++ > 0)
			*d++ = ',';
		d = jw_newline(w, d, w->level);
	}
	return d;
}

static void jw_item(jw *w)
{
	char *d = jw_room(w, jw_lead_max(w));
	if (d)
		jw_done(w, jw_lead(w, d));
}

static void jw_open(jw *w, char c)
{
	char *d = jw_room(w, jw_lead_max(w) + 1);
	if (!d)
		return;
	d = jw_lead(w, d);
	*d++ = c;
	jw_done(w, d);
	if (w->level < JW_MAX_DEPTH)
		w->count[w->level] = 0;
	w->level++;
}

static void jw_close(jw *w, char c)
{
	w->level--;
	char *d = jw_room(w, jw_lead_max(w) + 1);
	if (!d)
		return;
	if (w->level < JW_MAX_DEPTH && w->count[w->level] > 0)
		d = jw_newline(w, d, w->level);
	*d++ = c;
	jw_done(w, d);
}

/* 1 if the n bytes at s go into a JSON string as they are. */
static int json_plain(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == '"' || c == '\\')
			return 0;
	}
	return 1;
}

/* A key of n bytes that needs no escaping (a field name or custom key). */
static void jw_key_n(jw *w, const char *k, size_t n)
{
	char *d = jw_room(w, jw_lead_max(w) + n + 4);
	if (!d)
		return;
	d = jw_lead(w, d);
	*d++ = '"';
	memcpy(d, k, n);
	d += n;
	*d++ = '"';
	*d++ = ':';
	if (!w->compact)
		*d++ = ' ';
	jw_done(w, d);
	w->after_key = 1;
}

/*
 * A key quoted once, with its colon and blank: written with one fixed-size
 * copy. len 0 when the key is too long or needs escaping (use jw_key).
 */
typedef struct jw_qkey {
	char text[32];
	size_t len;
} jw_qkey;

static void jw_qkey_init(jw_qkey *q, const char *k, int compact)
{
	size_t n = k ? strlen(k) : 0;
	memset(q, 0, sizeof *q);
	if (!k || n + 4 > sizeof q->text || !json_plain(k, n))
		return;
	q->text[0] = '"';
	memcpy(q->text + 1, k, n);
	memcpy(q->text + 1 + n, compact ? "\":" : "\": ", compact ? 2 : 3);
	q->len = n + (compact ? 3 : 4);
}

static void jw_put_qkey(jw *w, const jw_qkey *q)
{
	char *d = jw_room(w, jw_lead_max(w) + sizeof q->text);
	if (!d)
		return;
	d = jw_lead(w, d);
	memcpy(d, q->text, sizeof q->text);
	jw_done(w, d + q->len);
	w->after_key = 1;
}

/* k is one of the writer's own keys or a key read from JSON: text, no NUL. */
static void jw_key(jw *w, const char *k)
{
	size_t n = strlen(k);
	if (json_plain(k, n)) {
		jw_key_n(w, k, n);
		return;
	}
	jw_item(w);
	cw_buf_append_json(&w->out, k, n);
	cw_buf_append(&w->out, ": ", w->compact ? 1 : 2);
	w->after_key = 1;
}

static void jw_str_n(jw *w, const char *s, size_t n)
{
	char *d = jw_room(w, jw_lead_max(w) + n + 2);
	if (!d)
		return;
	jw_done(w, jw_lead(w, d));
	cw_buf_append_json(&w->out, s, n);
}

static void jw_str(jw *w, const char *s)
{
	jw_str_n(w, s, strlen(s));
}

static void jw_bool(jw *w, int v)
{
	jw_item(w);
	cw_buf_append(&w->out, v ? "true" : "false", CW_NUL);
}

/* Already-encoded JSON text (a passthrough value). */
static void jw_raw(jw *w, const char *json)
{
	jw_item(w);
	cw_buf_append(&w->out, json, CW_NUL);
}

static void jw_kstr(jw *w, const char *k, const char *v)
{
	if (v) {
		jw_key(w, k);
		jw_str(w, v);
	}
}

/* ---- writer state ---- */

/* What the writer asks of each field, looked up once per output. */
typedef struct field_info {
	const char *name;
	jw_qkey key; /* the name as a key */
	enum cw_kind kind;
	int csl;
} field_info;

typedef struct writer {
	cw_ostream *out;
	field_info fi[CW_FIELD_COUNT_];
	jw_qkey part_key[8]; /* csljson_name_parts[i].key */
	jw_qkey key_id, key_type, key_date_parts;
	csljson_map map;
	int lines;
	int inline_unknown; /* unknown CSL-JSON keys back at top level */
	uint64_t n;
	jw w;
	cw_buf tmp, tmp2;
	cw_buf id;      /* the id of the item being written */
	cw_buf fix;     /* text repaired before it is written */
	cw_keyset *ids; /* ids of the top-level items written */
	int io_rc;      /* a write error while an item was being written */
	cj_parser jp;   /* for the extras written inline and passthrough checks */
	/* csljson_map_id_is_key of the last source format seen: a stream's
	 * records come from one format, and the answer costs a table lookup */
	char id_format[32];
	int id_format_is_key;
} writer;

/* csljson_map_id_is_key for rec's source format, remembered for the last format. */
static int id_is_key(writer *st, const cw_record *rec)
{
	const char *format = cw_record_source_format(rec);
	if (!format)
		return csljson_map_id_is_key(&st->map, NULL);
	size_t n = strlen(format); /* 0 < n: an empty memo holds "" */
	if (n && n < sizeof st->id_format && memcmp(st->id_format, format, n + 1) == 0)
		return st->id_format_is_key;
	int is_key = csljson_map_id_is_key(&st->map, format);
	if (n && n < sizeof st->id_format) {
		memcpy(st->id_format, format, n + 1);
		st->id_format_is_key = is_key;
	}
	return is_key;
}

/* The fields a record holds, in order: walked once per item. */
typedef struct field_list {
	enum cw_field f[CW_FIELD_COUNT_];
	size_t n;
} field_list;

static void list_fields(const cw_record *rec, field_list *fl)
{
	fl->n = 0;
	for (enum cw_field f = cw_record_next_field(rec, CW_FIELD_NONE);
	     f && fl->n < CW_FIELD_COUNT_; f = cw_record_next_field(rec, f))
		fl->f[fl->n++] = f;
}

/* The field's cached facts (an unknown field: no name, kind CW_KIND_NONE). */
static const field_info *finfo(const writer *st, enum cw_field f)
{
	static const field_info unknown = {NULL, {{0}, 0}, CW_KIND_NONE, 0};
	return (unsigned)f < CW_FIELD_COUNT_ && f != CW_FIELD_NONE ? &st->fi[f] : &unknown;
}

/* 1 if the n bytes at s hold a rich-text marker (a C0 byte but tab and newline). */
static int has_marker(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) { /* skip 8 bytes at a time while none is below 0x20 */
		uint64_t x;
		memcpy(&x, s + i, 8);
		if ((x - ones * 0x20) & ~x & high)
			break;
	}
	for (; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n')
			return 1;
	return 0;
}

/* A key quoted in advance (q->len > 0), else k. */
static void put_key(jw *w, const jw_qkey *q, const char *k)
{
	if (q && q->len)
		jw_put_qkey(w, q);
	else
		jw_key(w, k);
}

/* A text field under the quoted key q or, when q is NULL, key. */
static void put_text_field(writer *st, const cw_record *rec, enum cw_field f, const jw_qkey *q,
                           const char *key)
{
	const char *v = cw_record_text(rec, f);
	int rich = finfo(st, f)->kind == CW_KIND_RICH;
	if (!v && !rich)
		return;
	size_t n = v ? strlen(v) : 0;
	if (rich && n && has_marker(v, n)) {
		cw_buf_clear(&st->tmp);
		csljson_rich_to_markup(&st->tmp, v);
		v = cw_buf_str(&st->tmp);
		n = st->tmp.len;
	}
	put_key(&st->w, q, key);
	jw_str_n(&st->w, v ? v : "", n);
}

/* 1 if the JSON object text has key k. */
static int extra_has(const cj_value *extra, const char *k)
{
	return extra && cj_get(extra, k) != NULL;
}

static void put_extra_keys(writer *st, const cj_value *extra)
{
	for (size_t i = 0; i < cj_object_size(extra); i++) {
		const cj_value *v = cj_member(extra, i);
		cw_buf_clear(&st->tmp);
		if (cj_dump(&st->tmp, v) == CW_OK) {
			jw_key(&st->w, v->key);
			jw_raw(&st->w, cw_buf_str(&st->tmp));
		}
	}
}

/*
 * The csljson extra of a name or date, parsed, when it is to be written
 * inline; valid until the next call.
 */
static const cj_value *inline_extra(writer *st, const char *format, const char *text)
{
	if (!st->inline_unknown || !format || !text || strcmp(format, "csljson") != 0)
		return NULL;
	const cj_value *o;
	if (cj_parse(&st->jp, text, strlen(text), &o) != CW_OK || !cj_is_object(o))
		return NULL;
	return o;
}

/* Writes v in decimal at d (at most 11 bytes); returns the end. */
static char *format_int(char *d, int32_t v)
{
	char digits[12];
	size_t i = sizeof digits;
	uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
	do {
		digits[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		digits[--i] = '-';
	memcpy(d, digits + i, sizeof digits - i);
	return d + (sizeof digits - i);
}

/* [[2008, 2, 29], [2008, 3, 1]]: kept on one line, written in place. */
static void put_date_parts(jw *w, const cw_date *dt)
{
	int32_t a[2][3] = {{dt->year, dt->month, dt->day},
	                   {dt->end_year, dt->end_month, dt->end_day}};
	int np[2] = {dt->parts, dt->end_parts};
	/* an open end is zeros, as many as the start has parts: citeproc-js prints
	 * [[2004, 5], [0, 0]] as "2004–" and refuses parts that do not match */
	int open_end = !dt->end_parts && (dt->flags & CW_DATE_OPEN_END);
	if (open_end)
		np[1] = np[0];
	char *d =
	    jw_room(w, jw_lead_max(w) + 96); /* 2 lists of 3 numbers of 11 bytes, 8 separators */
	if (!d)
		return;
	d = jw_lead(w, d);
	*d++ = '[';
	for (int k = 0; k < (dt->end_parts || open_end ? 2 : 1); k++) {
		if (k) {
			*d++ = ',';
			if (!w->compact)
				*d++ = ' ';
		}
		*d++ = '[';
		for (int j = 0; j < np[k] && j < 3; j++) {
			if (j) {
				*d++ = ',';
				if (!w->compact)
					*d++ = ' ';
			}
			d = format_int(d, a[k][j]);
		}
		*d++ = ']';
	}
	*d++ = ']';
	jw_done(w, d);
}

static void put_date(writer *st, const cw_date *d)
{
	jw *w = &st->w;
	const cj_value *extra = inline_extra(st, d->extra_format, d->extra);
	jw_open(w, '{');
	if (d->parts > 0 && !extra_has(extra, "date-parts")) {
		jw_put_qkey(w, &st->key_date_parts);
		put_date_parts(w, d);
	}
	if (d->season && !extra_has(extra, "season"))
		jw_kstr(w, "season", d->season);
	if ((d->flags & CW_DATE_CIRCA) && !extra_has(extra, "circa")) {
		jw_key(w, "circa");
		jw_bool(w, 1);
	}
	if (d->literal && !extra_has(extra, "literal"))
		jw_kstr(w, "literal", d->literal);
	if (!extra_has(extra, "raw")) {
		if (d->raw) {
			jw_kstr(w, "raw", d->raw);
		} else if ((d->parts || d->end_parts) &&
		           (d->flags &
		            (CW_DATE_UNCERTAIN | CW_DATE_OPEN_START | CW_DATE_UNSPECIFIED))) {
			/* CSL's date-parts cannot say "uncertain" or an open start (an open
			 * end is [0]): EDTF in raw can (citeproc-js reads "../2004" as 2004) */
			cw_buf_clear(&st->tmp);
			if (cw_date_format_iso(d, &st->tmp) == CW_OK)
				jw_kstr(w, "raw", cw_buf_str(&st->tmp));
		}
	}
	put_extra_keys(st, extra);
	jw_close(w, '}');
}

/* 1 if the name has details that only custom.names can carry. */
static int name_has_details(const cw_name *n, int inline_unknown)
{
	int foreign_extra = n->extra && n->extra_format &&
	                    (strcmp(n->extra_format, "csljson") != 0 || !inline_unknown);
	return n->orcid || n->email || n->degrees || n->role || n->affiliation_count ||
	       (n->flags & (CW_NAME_CORRESPONDING | CW_NAME_EQUAL_CONTRIB)) || foreign_extra;
}

static void put_name(writer *st, const cw_name *n)
{
	jw *w = &st->w;
	const cj_value *extra = n->extra ? inline_extra(st, n->extra_format, n->extra) : NULL;
	jw_open(w, '{');
	for (size_t i = 0; i < csljson_name_part_count; i++) {
		const csljson_name_part *np = &csljson_name_parts[i];
		const char *v = *(const char *const *)((const char *)n + np->off);
		if (v && !extra_has(extra, np->key)) {
			put_key(w, i < 8 ? &st->part_key[i] : NULL, np->key);
			jw_str(w, v);
		}
	}
	if (n->flags) {
		if ((n->flags & CW_NAME_COMMA_SUFFIX) && !extra_has(extra, "comma-suffix"))
			jw_key(w, "comma-suffix"), jw_bool(w, 1);
		if ((n->flags & CW_NAME_STATIC_ORDERING) && !extra_has(extra, "static-ordering"))
			jw_key(w, "static-ordering"), jw_bool(w, 1);
		if ((n->flags & (CW_NAME_PARSE_NAMES | CW_NAME_NO_PARSE_NAMES)) &&
		    !extra_has(extra, "parse-names"))
			jw_key(w, "parse-names"), jw_bool(w, (n->flags & CW_NAME_PARSE_NAMES) != 0);
	}
	if (extra)
		put_extra_keys(st, extra);
	jw_close(w, '}');
}

/* ---- text that is written as it was kept ---- */

/*
 * Passthrough values and a name's or date's extra are kept byte for byte,
 * so they may hold what no other record text can: invalid UTF-8 (a junk
 * field of a Latin-1 file, a program's record), or JSON that does not
 * parse. Output stays valid: such text is repaired (invalid bytes become
 * U+FFFD) and reported.
 */

/* v as it goes into the output: itself, or its repaired copy in st->fix. */
static const char *checked(writer *st, cw_session *s, const char *v, const char *what,
                           const char *name)
{
	size_t n = strlen(v);
	if (cw_utf8_check(v, n) == n)
		return v;
	cw_buf_clear(&st->fix);
	cw_buf_append_utf8(&st->fix, v, n);
	cw_diag_emit(s, CW_SEV_WARNING, CW_OK, 0, 0,
	             "%s%s%s is not valid UTF-8: its invalid bytes are written as U+FFFD", what,
	             name ? " " : "", name ? name : "");
	return cw_buf_str(&st->fix);
}

static void put_kstr_checked(writer *st, cw_session *s, const char *k, const char *v,
                             const char *what)
{
	if (v) {
		jw_key(&st->w, k);
		jw_str(&st->w, checked(st, s, v, what, NULL));
	}
}

/* A passthrough value that is CSL-JSON's own JSON text: written as JSON when it parses. */
static void put_json_checked(writer *st, cw_session *s, const char *json, const char *name)
{
	const cj_value *v;
	int rc = cj_parse(&st->jp, json, strlen(json), &v);
	if (rc == CW_OK) {
		jw_raw(&st->w, json);
		return;
	}
	if (rc == CW_ENOMEM) { /* not a verdict on the value: the write fails */
		cw_buf_fail(&st->w.out);
		return;
	}
	cw_diag_emit(s, CW_SEV_WARNING, CW_OK, 0, 0,
	             "kept CSL-JSON value of \"%s\" is not JSON; written as a string", name);
	jw_str(&st->w, checked(st, s, json, "kept CSL-JSON value of", name));
}

/* A key read from CSL-JSON (kept as a passthrough name). */
static void put_key_checked(writer *st, cw_session *s, const char *k)
{
	jw_key(&st->w, checked(st, s, k, "kept CSL-JSON key", NULL));
}

/* ---- names ---- */

static void put_name_details(writer *st, cw_session *s, const cw_name *n)
{
	jw *w = &st->w;
	if (!name_has_details(n, st->inline_unknown)) {
		jw_item(w);
		cw_buf_append(&w->out, "null", CW_NUL);
		return;
	}
	jw_open(w, '{');
	jw_kstr(w, "orcid", n->orcid);
	jw_kstr(w, "email", n->email);
	if (n->affiliation_count) {
		jw_key(w, "affiliations");
		jw_open(w, '[');
		for (size_t i = 0; i < n->affiliation_count; i++)
			jw_str(w, n->affiliation_ids[i]);
		jw_close(w, ']');
	}
	jw_kstr(w, "degrees", n->degrees);
	jw_kstr(w, "role", n->role);
	if (n->flags & CW_NAME_CORRESPONDING)
		jw_key(w, "corresponding"), jw_bool(w, 1);
	if (n->flags & CW_NAME_EQUAL_CONTRIB)
		jw_key(w, "equal-contrib"), jw_bool(w, 1);
	if (n->extra && n->extra_format &&
	    (strcmp(n->extra_format, "csljson") != 0 || !st->inline_unknown)) {
		put_kstr_checked(st, s, "extra-format", n->extra_format, "a name's extra format");
		put_kstr_checked(st, s, "extra", n->extra, "a name's extra data");
	}
	jw_close(w, '}');
}

/* 1 if the list has a name besides "et al." */
static int has_real_names(const cw_record *rec, enum cw_field f)
{
	for (size_t i = 0; i < cw_record_name_count(rec, f); i++)
		if (!(cw_record_name(rec, f, i)->flags & CW_NAME_ETAL))
			return 1;
	return 0;
}

static int has_etal(const cw_record *rec, enum cw_field f)
{
	for (size_t i = 0; i < cw_record_name_count(rec, f); i++)
		if (cw_record_name(rec, f, i)->flags & CW_NAME_ETAL)
			return 1;
	return 0;
}

/*
 * A name list. "et al." ends it as the name {"literal": "others"}, as
 * pandoc and citation-js write BibTeX's "and others", so processors print
 * "et al."; a list that is only "et al." has nothing to print and is kept
 * in custom.etal.
 */
static void put_names(writer *st, const cw_record *rec, enum cw_field f)
{
	jw *w = &st->w;
	size_t n = cw_record_name_count(rec, f);
	if (!has_real_names(rec, f))
		return;
	put_key(w, &finfo(st, f)->key, finfo(st, f)->name);
	jw_open(w, '[');
	for (size_t i = 0; i < n; i++) {
		const cw_name *nm = cw_record_name(rec, f, i);
		if (!(nm->flags & CW_NAME_ETAL))
			put_name(st, nm);
	}
	if (has_etal(rec, f)) {
		jw_open(w, '{');
		jw_key(w, "literal");
		jw_str(w, CSLJSON_ETAL_LITERAL);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* 1 if a passthrough field of CSL-JSON goes back at the top level. */
static int passthrough_inline(const writer *st, const cw_record *rec, const cw_passthrough *p)
{
	if (!st->inline_unknown || strcmp(p->format, "csljson") != 0)
		return 0;
	if (strncmp(p->name, "custom", 6) == 0 || strcmp(p->name, "id") == 0)
		return 0;
	enum cw_field f = cw_field_from_name(p->name, CW_NUL);
	return !(f && finfo(st, f)->csl && cw_record_has(rec, f));
}

/* ---- ids ---- */

/*
 * Chooses the CSL id of rec into st->id (see docs/formats/csljson.md):
 * the CSL id it was read with, when crosswalk had kept it beside a source
 * id; else its own id, when its source's ids are citation keys (keys);
 * else its citation key; else its DOI; else a generated key (the BibTeX
 * writer's scheme). The id is made unique in used with a suffix, reported
 * when the source chose the id. Returns the passthrough used as the id, or
 * NULL.
 */
static const cw_passthrough *choose_id(writer *st, cw_session *s, const cw_record *rec, int keys,
                                       cw_keyset *used)
{
	cw_buf *id = &st->id;
	cw_buf_clear(id);
	const cw_passthrough *kept = cw_record_find_passthrough(rec, "csljson", "id");
	const cj_value *v = NULL;
	if (kept && cj_parse(&st->jp, kept->value, strlen(kept->value), &v) == CW_OK &&
	    (cj_is_string(v) || cj_is_integer(v)) && v->len)
		cw_buf_append(id, v->u.text, v->len);
	else
		kept = NULL;
	const char *t;
	if (!id->len && keys && (t = cw_record_text(rec, CW_FIELD_ID)))
		cw_buf_append(id, t, CW_NUL);
	if (!id->len && (t = cw_record_text(rec, CW_FIELD_CITATION_KEY)))
		cw_buf_append(id, t, CW_NUL);
	int given = id->len > 0;
	/* a DOI with a suffix would look like another DOI: a taken one is not used */
	if (!id->len && (t = cw_record_text(rec, CW_FIELD_DOI)) && !cw_keyset_has(used, t))
		cw_buf_append(id, t, CW_NUL);
	if (!id->len && cw_record_make_key(rec, CW_KEY_AUTH_YEAR_TITLE, id) < 0)
		cw_buf_fail(id);
	if (!id->len)
		cw_buf_append(id, "anon", CW_NUL);
	size_t base = strlen(cw_buf_str(id));
	int taken = cw_buf_error(id) ? CW_ENOMEM : cw_keyset_claim(used, id);
	if (taken < 0)
		st->w.failed = 1;
	else if (taken && given)
		cw_diag_emit(s, CW_SEV_WARNING, CW_OK, 0, 0,
		             "id \"%.*s\" is already used in this %s; a suffix makes it unique",
		             (int)base, cw_buf_str(id), used == st->ids ? "output" : "reference list");
	return kept;
}

/* ---- the item ---- */

/* 1 if the record's article number is written as CSL "number". */
static int artnum_as_number(const writer *st, const cw_record *rec)
{
	enum cw_item_type t = cw_record_type(rec);
	return (unsigned)t < CW_TYPE_COUNT_ && st->map.artnum_type[t] &&
	       cw_record_has(rec, CW_FIELD_ARTICLE_NUMBER) && !cw_record_has(rec, CW_FIELD_NUMBER);
}

/* 1 if every keyword is a plain value, so CSL's keyword string says them all. */
static int keywords_plain(const cw_record *rec)
{
	for (size_t i = 0; i < cw_record_item_count(rec, CW_FIELD_KEYWORDS); i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_KEYWORDS, i);
		if (it->lang || it->type || it->scheme)
			return 0;
	}
	return 1;
}

/* CSL's one-string keyword variable: the keyword list joined. */
static void put_keyword(writer *st, const cw_record *rec)
{
	cw_buf_clear(&st->tmp);
	cw_record_join_items(rec, CW_FIELD_KEYWORDS, &st->tmp);
	if (!st->tmp.len)
		return;
	put_key(&st->w, &finfo(st, CW_FIELD_KEYWORD)->key, "keyword");
	jw_str_n(&st->w, st->tmp.data, st->tmp.len);
}

/*
 * A title joined with its subtitle and addon: no CSL 1.0.2 processor reads
 * a subtitle, so "Title: Subtitle. Addon" is the CSL title; the parts also
 * travel in custom, and the reader takes them off again.
 */
static void put_joined_title(writer *st, const cw_record *rec, enum cw_field f)
{
	cw_buf_clear(&st->tmp2);
	cw_record_joined_title(rec, f, &st->tmp2);
	cw_buf_clear(&st->tmp);
	csljson_rich_to_markup(&st->tmp, cw_buf_str(&st->tmp2));
	put_key(&st->w, &finfo(st, f)->key, finfo(st, f)->name);
	jw_str_n(&st->w, cw_buf_str(&st->tmp), st->tmp.len);
}

static int is_joined_title(enum cw_field f)
{
	return f == CW_FIELD_TITLE || f == CW_FIELD_CONTAINER_TITLE || f == CW_FIELD_VOLUME_TITLE;
}

/* What put_item decided that put_custom needs. */
typedef struct item_plan {
	int depth;
	int keys;                  /* the source's ids are citation keys */
	const char *source_id;     /* the record's own id, when it is not the CSL id */
	const cw_passthrough *idp; /* the passthrough used as the CSL id */
	int artnum_written;        /* article-number went to CSL number */
} item_plan;

static void put_item(writer *st, cw_session *s, const cw_record *rec, int depth, int keys,
                     cw_keyset *used);
static int flush(writer *st);

static void put_list(writer *st, cw_session *s, const cw_record *rec, enum cw_field f, int csl)
{
	jw *w = &st->w;
	jw_open(w, '[');
	for (size_t i = 0; i < cw_record_item_count(rec, f); i++) {
		const cw_item *it = cw_record_item(rec, f, i);
		int rich = finfo(st, f)->kind == CW_KIND_RICH_LIST;
		const char *v = it->value;
		if (rich) {
			cw_buf_clear(&st->tmp);
			csljson_rich_to_markup(&st->tmp, it->value);
			v = cw_buf_str(&st->tmp);
		}
		if (csl && (it->lang || it->type || it->scheme))
			cw_diag_not_carried(s, rec, f, "the language, type or scheme of \"%s\"",
			                    it->value);
		if (csl || (!it->lang && !it->type && !it->scheme)) {
			jw_str(w, v); /* CSL's own lists hold strings only */
		} else {
			jw_open(w, '{');
			jw_kstr(w, "value", v);
			jw_kstr(w, "lang", it->lang);
			jw_kstr(w, "type", it->type);
			jw_kstr(w, "scheme", it->scheme);
			jw_close(w, '}');
		}
	}
	jw_close(w, ']');
}

static void put_affiliations(writer *st, const cw_record *rec)
{
	jw *w = &st->w;
	jw_open(w, '[');
	for (size_t i = 0; i < cw_record_affiliation_count(rec); i++) {
		const cw_affiliation *a = cw_record_affiliation(rec, i);
		jw_open(w, '{');
		jw_kstr(w, "id", a->id);
		jw_kstr(w, "text", a->text);
		jw_kstr(w, "institution", a->institution);
		jw_kstr(w, "department", a->department);
		jw_kstr(w, "address", a->address);
		jw_kstr(w, "city", a->city);
		jw_kstr(w, "region", a->region);
		jw_kstr(w, "postal-code", a->postal_code);
		jw_kstr(w, "country", a->country);
		jw_kstr(w, "country-code", a->country_code);
		jw_kstr(w, "ror", a->ror);
		jw_kstr(w, "other-id", a->other_id);
		jw_kstr(w, "other-id-type", a->other_id_type);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

static void put_funding(writer *st, const cw_record *rec)
{
	jw *w = &st->w;
	jw_open(w, '[');
	for (size_t i = 0; i < cw_record_funding_count(rec); i++) {
		const cw_funding *fu = cw_record_funding(rec, i);
		jw_open(w, '{');
		jw_kstr(w, "funder", fu->funder);
		jw_kstr(w, "funder-id", fu->funder_id);
		jw_kstr(w, "award-id", fu->award_id);
		jw_kstr(w, "award-title", fu->award_title);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

static void put_custom(writer *st, cw_session *s, const cw_record *rec, const field_list *fl,
                       const item_plan *plan)
{
	jw *w = &st->w;
	/* written, then taken back when it stayed empty */
	size_t len0 = w->out.len;
	int level0 = w->level, after0 = w->after_key;
	int count0 = w->level > 0 && w->level <= JW_MAX_DEPTH ? w->count[w->level - 1] : 0;
	jw_key(w, "custom");
	jw_open(w, '{');
	jw_kstr(w, "source-id", plan->source_id);
	for (size_t idx = 0; idx < fl->n; idx++) {
		enum cw_field f = fl->f[idx];
		if (finfo(st, f)->csl || f == CW_FIELD_REFERENCE_LIST)
			continue;
		if (f == CW_FIELD_ARTICLE_NUMBER && plan->artnum_written)
			continue; /* it is CSL number */
		if (f == CW_FIELD_KEYWORDS && keywords_plain(rec))
			continue; /* it is CSL keyword */
		const char *key = st->map.custom_key[f];
		if (!key) {
			cw_diag_not_carried(s, rec, f,
			                    "no custom key for it in the crosswalk table");
			continue;
		}
		switch (finfo(st, f)->kind) {
		case CW_KIND_TEXT:
		case CW_KIND_RICH:
		case CW_KIND_NUMBER:
			put_text_field(st, rec, f, NULL, key);
			break;
		case CW_KIND_DATE:
			jw_key(w, key);
			put_date(st, cw_record_date(rec, f));
			break;
		case CW_KIND_LIST:
		case CW_KIND_RICH_LIST:
			jw_key(w, key);
			put_list(st, s, rec, f, 0);
			break;
		case CW_KIND_AFFILIATIONS:
			jw_key(w, key);
			put_affiliations(st, rec);
			break;
		case CW_KIND_FUNDING:
			jw_key(w, key);
			put_funding(st, rec);
			break;
		default:
			cw_diag_not_carried(s, rec, f, NULL);
			break;
		}
	}
	/* contributor details, parallel to the CSL name arrays */
	int opened = 0;
	for (size_t idx = 0; idx < fl->n; idx++) {
		enum cw_field f = fl->f[idx];
		if (finfo(st, f)->kind != CW_KIND_NAMES)
			continue;
		size_t n = cw_record_name_count(rec, f), any = 0;
		for (size_t i = 0; i < n; i++)
			any |=
			    (size_t)name_has_details(cw_record_name(rec, f, i), st->inline_unknown);
		if (!any)
			continue;
		if (!opened) {
			jw_key(w, "names");
			jw_open(w, '{');
			opened = 1;
		}
		jw_key(w, cw_field_name(f));
		jw_open(w, '[');
		for (size_t i = 0; i < n; i++) {
			const cw_name *nm = cw_record_name(rec, f, i);
			if (!(nm->flags & CW_NAME_ETAL))
				put_name_details(st, s, nm);
		}
		jw_close(w, ']');
	}
	if (opened)
		jw_close(w, '}');
	/* name lists that are only "et al." (others end in the literal "others") */
	opened = 0;
	for (size_t idx = 0; idx < fl->n; idx++) {
		enum cw_field f = fl->f[idx];
		if (finfo(st, f)->kind != CW_KIND_NAMES || !has_etal(rec, f) ||
		    has_real_names(rec, f))
			continue;
		if (!opened) {
			jw_key(w, "etal");
			jw_open(w, '[');
			opened = 1;
		}
		jw_str(w, cw_field_name(f));
	}
	if (opened)
		jw_close(w, ']');
	/* date data of other formats (or CSL-JSON's own, when not inline) */
	opened = 0;
	for (size_t idx = 0; idx < fl->n; idx++) {
		enum cw_field f = fl->f[idx];
		const cw_date *d =
		    finfo(st, f)->kind == CW_KIND_DATE ? cw_record_date(rec, f) : NULL;
		if (!d || !d->extra ||
		    (st->inline_unknown && d->extra_format &&
		     strcmp(d->extra_format, "csljson") == 0))
			continue;
		if (!opened) {
			jw_key(w, "dates");
			jw_open(w, '{');
			opened = 1;
		}
		jw_key(w, cw_field_name(f));
		jw_open(w, '{');
		put_kstr_checked(st, s, "extra-format", d->extra_format, "a date's extra format");
		put_kstr_checked(st, s, "extra", d->extra, "a date's extra data");
		jw_close(w, '}');
	}
	if (opened)
		jw_close(w, '}');
	/* CSL-JSON's own unknown custom keys go back where they were */
	for (size_t i = 0; i < cw_record_passthrough_count(rec); i++) {
		const cw_passthrough *p = cw_record_passthrough(rec, i);
		if (strcmp(p->format, "csljson") == 0 && strncmp(p->name, "custom.", 7) == 0) {
			put_key_checked(st, s, p->name + 7);
			put_json_checked(st, s, p->value, p->name);
		}
	}
	/* every other passthrough field, in order */
	opened = 0;
	for (size_t i = 0; i < cw_record_passthrough_count(rec); i++) {
		const cw_passthrough *p = cw_record_passthrough(rec, i);
		if (p == plan->idp || passthrough_inline(st, rec, p) ||
		    (strcmp(p->format, "csljson") == 0 && strncmp(p->name, "custom.", 7) == 0))
			continue;
		if (!opened) {
			jw_key(w, "passthrough");
			jw_open(w, '[');
			opened = 1;
		}
		jw_open(w, '{');
		put_kstr_checked(st, s, "format", p->format, "a passthrough format name");
		put_kstr_checked(st, s, "name", p->name, "the name of passthrough field");
		jw_key(w, "value");
		jw_str(w, checked(st, s, p->value, "passthrough field", p->name));
		jw_close(w, '}');
	}
	if (opened)
		jw_close(w, ']');
	size_t nc = cw_record_child_count(rec);
	if (nc) {
		if (plan->depth >= JW_MAX_DEPTH / 4) {
			cw_diag_not_carried(s, rec, CW_FIELD_REFERENCE_LIST,
			                    "reference lists nested too deeply");
		} else {
			/* a reference list is one article's: its ids are unique within it */
			cw_keyset *list_ids = NULL;
			if (cw_keyset_new(&list_ids, 0) != CW_OK) {
				w->failed = 1;
				return;
			}
			jw_key(w, st->map.custom_key[CW_FIELD_REFERENCE_LIST]
			              ? st->map.custom_key[CW_FIELD_REFERENCE_LIST]
			              : "reference-list");
			jw_open(w, '[');
			for (size_t i = 0; i < nc; i++) {
				put_item(st, s, cw_record_child(rec, i), plan->depth + 1,
				         plan->keys, list_ids);
				/*
				 * a long list is written as it goes, not held: nothing
				 * before this point is taken back (the list's key is
				 * written, so no enclosing object is empty)
				 */
				if (w->out.len >= 65536 && !st->io_rc)
					st->io_rc = flush(st);
			}
			jw_close(w, ']');
			cw_keyset_free(list_ids);
		}
	}
	if (w->level > 0 && w->level <= JW_MAX_DEPTH && w->count[w->level - 1] == 0 && !w->failed) {
		w->out.len = len0;
		if (w->out.data)
			w->out.data[len0] = '\0';
		w->level = level0;
		w->after_key = after0;
		if (level0 > 0 && level0 <= JW_MAX_DEPTH)
			w->count[level0 - 1] = count0;
		return;
	}
	jw_close(w, '}');
}

static void put_item(writer *st, cw_session *s, const cw_record *rec, int depth, int keys,
                     cw_keyset *used)
{
	jw *w = &st->w;
	field_list fl;
	list_fields(rec, &fl);
	jw_open(w, '{');
	item_plan plan = {.depth = depth, .keys = keys};
	plan.idp = choose_id(st, s, rec, keys, used);
	jw_put_qkey(w, &st->key_id);
	jw_str_n(w, cw_buf_str(&st->id), st->id.len);
	const char *own = cw_record_text(rec, CW_FIELD_ID);
	if (own && strcmp(own, cw_buf_str(&st->id)) != 0)
		plan.source_id = own;
	const char *type = cw_item_type_name(cw_record_type(rec));
	const cw_passthrough *ptype = cw_record_find_passthrough(rec, "csljson", "type");
	jw_put_qkey(w, &st->key_type);
	if (!type && ptype && st->inline_unknown)
		put_json_checked(st, s, ptype->value, "type");
	else
		jw_str(w, type ? type : "document"); /* CSL requires a type */

	/* two CSL variables the record keeps elsewhere, written at their place in the order */
	int kw_pending = cw_record_has(rec, CW_FIELD_KEYWORDS);
	int num_pending = plan.artnum_written = artnum_as_number(st, rec);
	for (size_t idx = 0; idx <= fl.n; idx++) {
		enum cw_field f = idx < fl.n ? fl.f[idx] : CW_FIELD_COUNT_;
		if (kw_pending && f > CW_FIELD_KEYWORD) {
			put_keyword(st, rec);
			kw_pending = 0;
		}
		if (num_pending && f > CW_FIELD_NUMBER) {
			put_text_field(st, rec, CW_FIELD_ARTICLE_NUMBER,
			               &finfo(st, CW_FIELD_NUMBER)->key, "number");
			num_pending = 0;
		}
		if (idx == fl.n || f == CW_FIELD_ID || !finfo(st, f)->csl)
			continue;
		switch (finfo(st, f)->kind) {
		case CW_KIND_TEXT:
		case CW_KIND_RICH:
		case CW_KIND_NUMBER:
			if (is_joined_title(f) && cw_record_title_has_parts(rec, f))
				put_joined_title(st, rec, f);
			else
				put_text_field(st, rec, f, &finfo(st, f)->key, finfo(st, f)->name);
			break;
		case CW_KIND_DATE:
			put_key(w, &finfo(st, f)->key, finfo(st, f)->name);
			put_date(st, cw_record_date(rec, f));
			break;
		case CW_KIND_NAMES:
			put_names(st, rec, f);
			break;
		case CW_KIND_LIST:
			put_key(w, &finfo(st, f)->key, finfo(st, f)->name);
			put_list(st, s, rec, f, 1);
			break;
		default:
			cw_diag_not_carried(s, rec, f, NULL);
			break;
		}
	}
	for (size_t i = 0; i < cw_record_passthrough_count(rec); i++) {
		const cw_passthrough *p = cw_record_passthrough(rec, i);
		if (passthrough_inline(st, rec, p) && !(p == ptype && !type)) {
			put_key_checked(st, s, p->name);
			put_json_checked(st, s, p->value, p->name);
		}
	}
	put_custom(st, s, rec, &fl, &plan);
	jw_close(w, '}');
}

/* ---- writer ops ---- */

static int begin_common(writer *st, cw_session *s, cw_ostream *out, int lines)
{
	st->out = out;
	st->lines = lines;
	st->inline_unknown = cw_session_option_bool(s, "inline-unknown", 0);
	st->w.compact = lines || cw_session_option_bool(s, "compact", 0);
	for (int f = 1; f < CW_FIELD_COUNT_; f++) {
		field_info *fi = &st->fi[f];
		fi->name = cw_field_name((enum cw_field)f);
		jw_qkey_init(&fi->key, fi->name, st->w.compact);
		fi->kind = cw_field_kind((enum cw_field)f);
		fi->csl = cw_field_is_csl((enum cw_field)f);
	}
	jw_qkey_init(&st->key_id, "id", st->w.compact);
	jw_qkey_init(&st->key_type, "type", st->w.compact);
	jw_qkey_init(&st->key_date_parts, "date-parts", st->w.compact);
	for (size_t i = 0; i < csljson_name_part_count && i < 8; i++)
		jw_qkey_init(&st->part_key[i], csljson_name_parts[i].key, st->w.compact);
	if (cw_keyset_new(&st->ids, 0) != CW_OK)
		return CW_ENOMEM;
	return csljson_map_load(&st->map, s);
}

static int flush(writer *st)
{
	if (st->w.failed)
		return CW_ENOMEM;
	int rc = cw_ostream_write(st->out, st->w.out.data ? st->w.out.data : "", st->w.out.len);
	cw_buf_clear(&st->w.out);
	return rc;
}

static int array_begin(void *state, cw_session *s, cw_ostream *out)
{
	writer *st = state;
	int rc = begin_common(st, s, out, 0);
	if (rc)
		return rc;
	cw_buf_putc(&st->w.out, '[');
	st->w.level = 1;
	st->w.count[0] = 0;
	return CW_OK;
}

static int array_write(void *state, cw_session *s, const cw_record *rec)
{
	writer *st = state;
	st->n++;
	put_item(st, s, rec, 0, id_is_key(st, rec),
	         st->ids);
	if (st->io_rc)
		return st->io_rc;
	return st->w.out.len >= 65536 ? flush(st) : CW_OK;
}

static int array_end(void *state, cw_session *s)
{
	writer *st = state;
	(void)s;
	jw_close(&st->w, ']');
	cw_buf_putc(&st->w.out, '\n');
	return flush(st);
}

static int lines_begin(void *state, cw_session *s, cw_ostream *out)
{
	return begin_common(state, s, out, 1);
}

static int lines_write(void *state, cw_session *s, const cw_record *rec)
{
	writer *st = state;
	st->n++;
	st->w.level = 0;
	put_item(st, s, rec, 0, id_is_key(st, rec),
	         st->ids);
	if (st->io_rc)
		return st->io_rc;
	cw_buf_putc(&st->w.out, '\n');
	return st->w.out.len >= 65536 ? flush(st) : CW_OK;
}

static int lines_end(void *state, cw_session *s)
{
	(void)s;
	return flush(state);
}

static void writer_close(void *state, cw_session *s)
{
	writer *st = state;
	(void)s;
	cw_buf_free(&st->w.out);
	cw_buf_free(&st->tmp);
	cw_buf_free(&st->tmp2);
	cw_buf_free(&st->id);
	cw_buf_free(&st->fix);
	cw_keyset_free(st->ids);
	st->ids = NULL;
	cj_parser_free(&st->jp);
}

const cw_writer_ops csljson_writer_array = {
    .struct_size = sizeof(cw_writer_ops),
    .state_size = sizeof(writer),
    .begin = array_begin,
    .write = array_write,
    .end = array_end,
    .close = writer_close,
};

const cw_writer_ops csljson_writer_lines = {
    .struct_size = sizeof(cw_writer_ops),
    .state_size = sizeof(writer),
    .begin = lines_begin,
    .write = lines_write,
    .end = lines_end,
    .close = writer_close,
};
