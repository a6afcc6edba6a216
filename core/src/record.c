/*
 * The canonical record: field storage over a per-record arena.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * A record and its arena's first chunk are one allocation, so a record whose
 * values fit in that chunk costs one malloc and one free. Freed records are
 * freed, never kept for the next cw_record_new: a stale pointer must point
 * at freed memory, where sanitizers see its use, and not into a live record.
 */
enum { RECORD_MAGIC = 0x43575243 /* "CWRC" */, RECORD_FIRST_CHUNK = 2048 };

/*
 * Where each value struct ends in the ABI 1.0 headers: no caller ever had a
 * smaller one, so a smaller struct_size is a corrupt struct, refused. The
 * structs have not grown since; a member added later is read only when the
 * caller's struct_size covers it.
 */
#define V10_END(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))
#define V10_NAME V10_END(cw_name, extra)
#define V10_DATE V10_END(cw_date, extra)
#define V10_ITEM V10_END(cw_item, scheme)
#define V10_AFFILIATION V10_END(cw_affiliation, other_id_type)
#define V10_FUNDING V10_END(cw_funding, award_title)

/* A growable array of pointers living in the record's arena. */
typedef struct ptrvec {
	void **items;
	size_t n, cap;
} ptrvec;

struct cw_record {
	uint32_t magic;
	enum cw_item_type type;
	cw__arena arena;
	const char *source_format;
	uint32_t line, column;
	enum cw_children_mark children_mark; /* for a filter that takes children apart */
	cw_buf scratch;
	ptrvec passthrough;
	/* bit f set when val[f] is: the field iterator skips unset fields by word */
	uint64_t present[(CW_FIELD_COUNT_ + 63) / 64];
	void *val[CW_FIELD_COUNT_];
	max_align_t first[]; /* the arena's first chunk (RECORD_FIRST_CHUNK bytes) */
};

/* The one place val[] is written. */
static void put_val(cw_record *rec, enum cw_field f, void *v)
{
	uint64_t bit = (uint64_t)1 << ((unsigned)f % 64);
	rec->val[f] = v;
	if (v)
		rec->present[(unsigned)f / 64] |= bit;
	else
		rec->present[(unsigned)f / 64] &= ~bit;
}

static int field_ok(const cw_record *rec, enum cw_field f)
{
	return rec && rec->magic == RECORD_MAGIC && (int)f > 0 && (int)f < CW_FIELD_COUNT_;
}

/*
 * Each field's kind, expanded here from the fields.h table so the checks of
 * every getter and setter need no call. Index only with a valid field.
 */
/* clang-format off */
static const unsigned char field_kinds[CW_FIELD_COUNT_] = {
	CW_KIND_NONE,
#define X(id, kind, name, csl, doc) CW_KIND_##kind,
	CW_FIELDS(X)
#undef X
};
/* clang-format on */

static enum cw_kind kind_of(enum cw_field f)
{
	return (enum cw_kind)field_kinds[f];
}

static int kind_is(enum cw_field f, enum cw_kind k)
{
	return kind_of(f) == k;
}

static int is_text_kind(enum cw_kind k)
{
	return k == CW_KIND_TEXT || k == CW_KIND_RICH || k == CW_KIND_NUMBER;
}

static int is_list_kind(enum cw_kind k)
{
	return k == CW_KIND_LIST || k == CW_KIND_RICH_LIST;
}

static int vec_push(cw__arena *a, ptrvec *v, void *item)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 4;
		void **items = cw__arena_alloc(a, cap * sizeof *items);
		if (!items)
			return CW_ENOMEM;
		if (v->n)
			memcpy(items, v->items, v->n * sizeof *items);
		v->items = items;
		v->cap = cap;
	}
	v->items[v->n++] = item;
	return CW_OK;
}

static ptrvec *vec_of(cw_record *rec, enum cw_field f)
{
	ptrvec *v = rec->val[f];
	if (!v) {
		v = cw__arena_alloc(&rec->arena, sizeof *v);
		if (!v)
			return NULL;
		memset(v, 0, sizeof *v);
		put_val(rec, f, v);
	}
	return v;
}

static const ptrvec *vec_get(const cw_record *rec, enum cw_field f)
{
	return rec->val[f];
}

int cw_record_new(cw_record **out)
{
	if (!out)
		return CW_EINVAL;
	cw_record *rec = malloc(sizeof *rec + RECORD_FIRST_CHUNK);
	*out = rec;
	if (!rec)
		return CW_ENOMEM;
	memset(rec, 0, sizeof *rec);
	cw__arena_init_fixed(&rec->arena, rec->first, RECORD_FIRST_CHUNK);
	rec->magic = RECORD_MAGIC;
	return CW_OK;
}

void cw_record_free(cw_record *rec)
{
	if (!rec || rec->magic != RECORD_MAGIC)
		return;
	ptrvec *kids = rec->val[CW_FIELD_REFERENCE_LIST];
	if (kids)
		for (size_t i = 0; i < kids->n; i++)
			cw_record_free(kids->items[i]);
	cw__arena_free(&rec->arena);
	cw_buf_free(&rec->scratch);
	free(rec);
}

enum cw_item_type cw_record_type_known(const cw_record *rec, int known)
{
	if (!rec || rec->magic != RECORD_MAGIC || (int)rec->type >= known)
		return CW_TYPE_UNSET;
	return rec->type;
}

enum cw_item_type(cw_record_type)(const cw_record *rec)
{
	return cw_record_type_known(rec, CW__V10_TYPE_COUNT);
}

int cw_record_set_type(cw_record *rec, enum cw_item_type type)
{
	if (!rec || rec->magic != RECORD_MAGIC || (int)type < 0 || (int)type >= CW_TYPE_COUNT_)
		return CW_EINVAL;
	rec->type = type;
	return CW_OK;
}

const char *cw_record_source_format(const cw_record *rec)
{
	return rec && rec->magic == RECORD_MAGIC ? rec->source_format : NULL;
}

int cw_record_set_source_format(cw_record *rec, const char *format)
{
	if (!rec || rec->magic != RECORD_MAGIC)
		return CW_EINVAL;
	if (!format) {
		rec->source_format = NULL;
		return CW_OK;
	}
	if (rec->source_format && strcmp(rec->source_format, format) == 0)
		return CW_OK;
	char *p = cw__arena_memdup(&rec->arena, format, strlen(format));
	if (!p)
		return CW_ENOMEM;
	rec->source_format = p;
	return CW_OK;
}

void cw_record_set_origin(cw_record *rec, uint32_t line, uint32_t column)
{
	if (!rec || rec->magic != RECORD_MAGIC)
		return;
	rec->line = line;
	rec->column = column;
}

void cw_record_origin(const cw_record *rec, uint32_t *line, uint32_t *column)
{
	int ok = rec && rec->magic == RECORD_MAGIC;
	if (line)
		*line = ok ? rec->line : 0;
	if (column)
		*column = ok ? rec->column : 0;
}

/* cw_record_has without the argument checks, for the field iterator. */
static int holds(const cw_record *rec, enum cw_field f)
{
	if (!rec->val[f])
		return 0;
	enum cw_kind k = kind_of(f);
	if (is_text_kind(k) || k == CW_KIND_DATE)
		return 1;
	return ((const ptrvec *)rec->val[f])->n > 0;
}

int cw_record_has(const cw_record *rec, enum cw_field f)
{
	return field_ok(rec, f) && holds(rec, f);
}

enum cw_field cw_record_next_field_known(const cw_record *rec, enum cw_field after, int known)
{
	if (!rec || rec->magic != RECORD_MAGIC || (int)after < 0)
		return CW_FIELD_NONE;
	unsigned end = known <= 0 ? 0 : known < CW_FIELD_COUNT_ ? (unsigned)known : CW_FIELD_COUNT_;
	for (unsigned f = (unsigned)after + 1; f < end;) {
		uint64_t word = rec->present[f / 64] >> (f % 64);
		if (!word) {
			f = (f / 64 + 1) * 64;
			continue;
		}
		f += (unsigned)__builtin_ctzll(word);
		if (f < end && holds(rec, (enum cw_field)f))
			return (enum cw_field)f;
		f++;
	}
	return CW_FIELD_NONE;
}

enum cw_field(cw_record_next_field)(const cw_record *rec, enum cw_field after)
{
	return cw_record_next_field_known(rec, after, CW__V10_FIELD_COUNT);
}

int cw_record_clear(cw_record *rec, enum cw_field f)
{
	if (!field_ok(rec, f))
		return CW_EINVAL;
	if (f == CW_FIELD_REFERENCE_LIST) {
		ptrvec *kids = rec->val[f];
		if (kids) {
			for (size_t i = 0; i < kids->n; i++)
				cw_record_free(kids->items[i]);
			kids->n = 0;
		}
		return CW_OK;
	}
	put_val(rec, f, NULL); /* memory is reclaimed with the arena */
	return CW_OK;
}

/* Cleans s into the record's arena. *out = NULL when the result is empty. */
static int store_text(cw_record *rec, const char *s, size_t len, int rich, const char **out,
                      int *replaced)
{
	*out = NULL;
	if (!s)
		return CW_OK;
	if (len == CW_NUL)
		len = strlen(s);
	len = cw__text_trim(&s, len);
	size_t clean = cw__text_clean_prefix(s, len);
	if (clean == len) { /* the common case: no scratch copy */
		if (len == 0)
			return CW_OK;
		char *p = cw__arena_memdup(&rec->arena, s, len);
		if (!p)
			return CW_ENOMEM;
		*out = p;
		return CW_OK;
	}
	cw_buf_clear(&rec->scratch);
	int rc = cw__text_clean_rest(&rec->scratch, s, len, clean, rich, replaced);
	if (rc)
		return rc;
	if (rec->scratch.len == 0)
		return CW_OK;
	char *p = cw__arena_memdup(&rec->arena, rec->scratch.data, rec->scratch.len);
	if (!p)
		return CW_ENOMEM;
	*out = p;
	return CW_OK;
}

static int status_of(int rc, int replaced)
{
	return rc ? rc : replaced ? CW_REPLACED : CW_OK;
}

/*
 * Split at ';' when the text has one (so "Diabetes, Type 2; Obesity" keeps
 * its comma), else at ','. CSL's keyword variable is one such string; the
 * record keeps keywords one by one in CW_FIELD_KEYWORDS, so that every
 * reader and writer has one path.
 */
int cw_record_add_words(cw_record *rec, enum cw_field f, const char *s, size_t len)
{
	if (!field_ok(rec, f) || !is_list_kind(kind_of(f)))
		return CW_EINVAL;
	if (!s)
		return CW_OK;
	if (len == CW_NUL)
		len = strlen(s);
	char sep = memchr(s, ';', len) ? ';' : ',';
	int st = CW_OK;
	const char *end = s + len;
	while (s < end) {
		const char *e = memchr(s, sep, (size_t)(end - s));
		if (!e)
			e = end;
		const char *v;
		int replaced = 0;
		int rc = store_text(rec, s, (size_t)(e - s), kind_is(f, CW_KIND_RICH_LIST), &v,
		                    &replaced);
		if (rc)
			return rc;
		if (v) {
			cw_item *c = cw__arena_alloc(&rec->arena, sizeof *c);
			ptrvec *vec = c ? vec_of(rec, f) : NULL;
			if (!vec)
				return CW_ENOMEM;
			memset(c, 0, sizeof *c);
			c->struct_size = sizeof *c;
			c->value = v;
			if (vec_push(&rec->arena, vec, c))
				return CW_ENOMEM;
		}
		if (replaced)
			st = CW_REPLACED;
		s = e < end ? e + 1 : end;
	}
	return st;
}

int cw_record_set_text(cw_record *rec, enum cw_field f, const char *s, size_t len)
{
	if (!field_ok(rec, f) || !is_text_kind(kind_of(f)))
		return CW_EINVAL;
	if (f == CW_FIELD_KEYWORD)
		return cw_record_add_words(rec, CW_FIELD_KEYWORDS, s, len);
	int replaced = 0;
	const char *v;
	int rc = store_text(rec, s, len, kind_is(f, CW_KIND_RICH), &v, &replaced);
	if (rc)
		return rc;
	put_val(rec, f, (void *)(uintptr_t)v);
	return status_of(rc, replaced);
}

const char *cw_record_text(const cw_record *rec, enum cw_field f)
{
	if (!field_ok(rec, f) || !is_text_kind(kind_of(f)))
		return NULL;
	return rec->val[f];
}

/* The subtitle and addon fields of a title field; 0 when f is not one. */
static int title_parts(enum cw_field f, enum cw_field *sub, enum cw_field *addon)
{
	switch (f) {
	case CW_FIELD_TITLE:
		*sub = CW_FIELD_SUBTITLE;
		*addon = CW_FIELD_TITLE_ADDON;
		return 1;
	case CW_FIELD_CONTAINER_TITLE:
		*sub = CW_FIELD_CONTAINER_SUBTITLE;
		*addon = CW_FIELD_CONTAINER_TITLE_ADDON;
		return 1;
	case CW_FIELD_VOLUME_TITLE:
		*sub = CW_FIELD_VOLUME_SUBTITLE;
		*addon = CW_FIELD_VOLUME_TITLE_ADDON;
		return 1;
	default:
		return 0;
	}
}

int cw_record_title_has_parts(const cw_record *rec, enum cw_field title)
{
	enum cw_field sub, addon;
	return title_parts(title, &sub, &addon) &&
	       (cw_record_has(rec, sub) || cw_record_has(rec, addon));
}

/* The last character of out that is not a rich-text marker or a closing quote, or 0. */
static char last_visible(const cw_buf *out, size_t from)
{
	size_t i = out->len;
	while (i > from) {
		unsigned char c = (unsigned char)out->data[i - 1];
		enum cw_style st;
		int open;
		if (cw_rich_marker(c, &st, &open) || c == '"' || c == ')') {
			i--;
			continue;
		}
		/* U+2019 and U+201D, closing quotes */
		if (i - from >= 3 && (c == 0x99 || c == 0x9D) &&
		    (unsigned char)out->data[i - 3] == 0xE2 &&
		    (unsigned char)out->data[i - 2] == 0x80) {
			i -= 3;
			continue;
		}
		return (char)c;
	}
	return 0;
}

int cw_record_joined_title(const cw_record *rec, enum cw_field title, cw_buf *out)
{
	enum cw_field fields[3];
	if (!rec || !out || !title_parts(title, &fields[1], &fields[2]))
		return CW_EINVAL;
	fields[0] = title;
	size_t from = out->len;
	for (int i = 0; i < 3; i++) {
		const char *v = cw_record_text(rec, fields[i]);
		if (!v)
			continue;
		if (out->len > from) {
			char last = last_visible(out, from);
			int ends =
			    last == '?' || last == '!' || last == '.' || (i == 1 && last == ':');
			const char *sep = ends ? " " : i == 1 ? ": " : ". ";
			if (cw_buf_append(out, sep, CW_NUL))
				return CW_ENOMEM;
		}
		if (cw_buf_append(out, v, CW_NUL))
			return CW_ENOMEM;
	}
	return CW_OK;
}

/* Copies one optional plain string member (most are absent: no call for those). */
#define COPY_STR(dst, src, rich)                                                                   \
	do {                                                                                       \
		if (!(src)) {                                                                      \
			(dst) = NULL;                                                              \
			break;                                                                     \
		}                                                                                  \
		int rc_ = store_text(rec, (src), CW_NUL, (rich), &(dst), &replaced);               \
		if (rc_)                                                                           \
			return rc_;                                                                \
	} while (0)

static int copy_extra(cw_record *rec, const char *fmt, const char *extra, const char **ofmt,
                      const char **oextra)
{
	*ofmt = *oextra = NULL;
	if (!extra || !*extra)
		return CW_OK;
	/* extras are a format's own text: kept byte for byte */
	*oextra = cw__arena_memdup(&rec->arena, extra, strlen(extra));
	*ofmt = fmt ? cw__arena_memdup(&rec->arena, fmt, strlen(fmt)) : NULL;
	return *oextra && (!fmt || *ofmt) ? CW_OK : CW_ENOMEM;
}

int cw_record_set_date(cw_record *rec, enum cw_field f, const cw_date *d)
{
	if (!field_ok(rec, f) || !kind_is(f, CW_KIND_DATE) || !d || d->struct_size < V10_DATE)
		return CW_EINVAL;
	if (d->parts > 3 || d->end_parts > 3)
		return CW_EINVAL;
	int replaced = 0;
	cw_date *c = cw__arena_alloc(&rec->arena, sizeof *c);
	if (!c)
		return CW_ENOMEM;
	memset(c, 0, sizeof *c);
	c->struct_size = sizeof *c;
	c->year = d->year;
	c->month = d->parts >= 2 ? d->month : 0;
	c->day = d->parts >= 3 ? d->day : 0;
	c->parts = d->parts;
	c->end_year = d->end_parts ? d->end_year : 0;
	c->end_month = d->end_parts >= 2 ? d->end_month : 0;
	c->end_day = d->end_parts >= 3 ? d->end_day : 0;
	c->end_parts = d->end_parts;
	c->flags = d->flags;
	if (!d->parts)
		c->year = 0;
	COPY_STR(c->season, d->season, 0);
	COPY_STR(c->literal, d->literal, 0);
	COPY_STR(c->raw, d->raw, 0);
	int rc = copy_extra(rec, d->extra_format, d->extra, &c->extra_format, &c->extra);
	if (rc)
		return rc;
	if (!c->parts && !c->end_parts && !c->season && !c->literal && !c->raw && !c->extra &&
	    !(c->flags & (CW_DATE_OPEN_START | CW_DATE_OPEN_END)))
		return CW_EINVAL;
	put_val(rec, f, c);
	return replaced ? CW_REPLACED : CW_OK;
}

const cw_date *cw_record_date(const cw_record *rec, enum cw_field f)
{
	if (!field_ok(rec, f) || !kind_is(f, CW_KIND_DATE))
		return NULL;
	return rec->val[f];
}

int cw_record_add_name(cw_record *rec, enum cw_field f, const cw_name *n)
{
	if (!field_ok(rec, f) || !kind_is(f, CW_KIND_NAMES) || !n || n->struct_size < V10_NAME)
		return CW_EINVAL;
	int replaced = 0;
	cw_name *c = cw__arena_alloc(&rec->arena, sizeof *c);
	if (!c)
		return CW_ENOMEM;
	memset(c, 0, sizeof *c);
	c->struct_size = sizeof *c;
	COPY_STR(c->family, n->family, 0);
	COPY_STR(c->given, n->given, 0);
	COPY_STR(c->dropping_particle, n->dropping_particle, 0);
	COPY_STR(c->non_dropping_particle, n->non_dropping_particle, 0);
	COPY_STR(c->suffix, n->suffix, 0);
	COPY_STR(c->literal, n->literal, 0);
	c->flags = n->flags;
	COPY_STR(c->orcid, n->orcid, 0);
	COPY_STR(c->email, n->email, 0);
	COPY_STR(c->degrees, n->degrees, 0);
	COPY_STR(c->role, n->role, 0);
	if (n->affiliation_count && n->affiliation_ids) {
		const char **ids = cw__arena_alloc(&rec->arena, n->affiliation_count * sizeof *ids);
		if (!ids)
			return CW_ENOMEM;
		size_t k = 0;
		for (size_t i = 0; i < n->affiliation_count; i++) {
			COPY_STR(ids[k], n->affiliation_ids[i], 0);
			if (ids[k])
				k++;
		}
		c->affiliation_ids = ids;
		c->affiliation_count = k;
	}
	int rc = copy_extra(rec, n->extra_format, n->extra, &c->extra_format, &c->extra);
	if (rc)
		return rc;
	if (!c->family && !c->given && !c->literal && !c->dropping_particle &&
	    !c->non_dropping_particle && !c->suffix && !(c->flags & CW_NAME_ETAL) && !c->extra)
		return CW_EINVAL;
	ptrvec *v = vec_of(rec, f);
	if (!v)
		return CW_ENOMEM;
	return status_of(vec_push(&rec->arena, v, c), replaced);
}

size_t cw_record_name_count(const cw_record *rec, enum cw_field f)
{
	if (!field_ok(rec, f) || !kind_is(f, CW_KIND_NAMES) || !rec->val[f])
		return 0;
	return vec_get(rec, f)->n;
}

const cw_name *cw_record_name(const cw_record *rec, enum cw_field f, size_t i)
{
	if (i >= cw_record_name_count(rec, f))
		return NULL;
	return vec_get(rec, f)->items[i];
}

int cw_record_add_item(cw_record *rec, enum cw_field f, const cw_item *item)
{
	if (!field_ok(rec, f) || !is_list_kind(kind_of(f)) || !item ||
	    item->struct_size < V10_ITEM || !item->value)
		return CW_EINVAL;
	int replaced = 0;
	cw_item *c = cw__arena_alloc(&rec->arena, sizeof *c);
	if (!c)
		return CW_ENOMEM;
	memset(c, 0, sizeof *c);
	c->struct_size = sizeof *c;
	COPY_STR(c->value, item->value, kind_is(f, CW_KIND_RICH_LIST));
	if (!c->value)
		return CW_EINVAL;
	COPY_STR(c->lang, item->lang, 0);
	COPY_STR(c->type, item->type, 0);
	COPY_STR(c->scheme, item->scheme, 0);
	ptrvec *v = vec_of(rec, f);
	if (!v)
		return CW_ENOMEM;
	return status_of(vec_push(&rec->arena, v, c), replaced);
}

int cw_record_join_items(const cw_record *rec, enum cw_field f, cw_buf *out)
{
	size_t n = cw_record_item_count(rec, f);
	if (!out || (!n && !field_ok(rec, f)))
		return CW_EINVAL;
	const char *sep = ", ";
	for (size_t i = 0; i < n; i++)
		if (strchr(cw_record_item(rec, f, i)->value, ','))
			sep = "; ";
	for (size_t i = 0; i < n; i++)
		if ((i && cw_buf_append(out, sep, 2)) ||
		    cw_buf_append(out, cw_record_item(rec, f, i)->value, CW_NUL))
			return CW_ENOMEM;
	return CW_OK;
}

size_t cw_record_item_count(const cw_record *rec, enum cw_field f)
{
	if (!field_ok(rec, f) || !is_list_kind(kind_of(f)) || !rec->val[f])
		return 0;
	return vec_get(rec, f)->n;
}

const cw_item *cw_record_item(const cw_record *rec, enum cw_field f, size_t i)
{
	if (i >= cw_record_item_count(rec, f))
		return NULL;
	return vec_get(rec, f)->items[i];
}

int cw_record_add_affiliation(cw_record *rec, const cw_affiliation *a)
{
	if (!field_ok(rec, CW_FIELD_AFFILIATIONS) || !a || a->struct_size < V10_AFFILIATION)
		return CW_EINVAL;
	int replaced = 0;
	cw_affiliation *c = cw__arena_alloc(&rec->arena, sizeof *c);
	if (!c)
		return CW_ENOMEM;
	memset(c, 0, sizeof *c);
	c->struct_size = sizeof *c;
	COPY_STR(c->id, a->id, 0);
	COPY_STR(c->text, a->text, 0);
	COPY_STR(c->institution, a->institution, 0);
	COPY_STR(c->department, a->department, 0);
	COPY_STR(c->address, a->address, 0);
	COPY_STR(c->city, a->city, 0);
	COPY_STR(c->region, a->region, 0);
	COPY_STR(c->postal_code, a->postal_code, 0);
	COPY_STR(c->country, a->country, 0);
	COPY_STR(c->country_code, a->country_code, 0);
	COPY_STR(c->ror, a->ror, 0);
	COPY_STR(c->other_id, a->other_id, 0);
	COPY_STR(c->other_id_type, a->other_id_type, 0);
	if (!c->text && !c->institution && !c->department && !c->address && !c->city &&
	    !c->country && !c->ror && !c->other_id && !c->region && !c->postal_code &&
	    !c->country_code)
		return CW_EINVAL;
	ptrvec *v = vec_of(rec, CW_FIELD_AFFILIATIONS);
	if (!v)
		return CW_ENOMEM;
	return status_of(vec_push(&rec->arena, v, c), replaced);
}

size_t cw_record_affiliation_count(const cw_record *rec)
{
	if (!field_ok(rec, CW_FIELD_AFFILIATIONS) || !rec->val[CW_FIELD_AFFILIATIONS])
		return 0;
	return vec_get(rec, CW_FIELD_AFFILIATIONS)->n;
}

const cw_affiliation *cw_record_affiliation(const cw_record *rec, size_t i)
{
	if (i >= cw_record_affiliation_count(rec))
		return NULL;
	return vec_get(rec, CW_FIELD_AFFILIATIONS)->items[i];
}

const cw_affiliation *cw_record_affiliation_by_id(const cw_record *rec, const char *id)
{
	size_t n = cw_record_affiliation_count(rec);
	for (size_t i = 0; id && i < n; i++) {
		const cw_affiliation *a = cw_record_affiliation(rec, i);
		if (a->id && strcmp(a->id, id) == 0)
			return a;
	}
	return NULL;
}

int cw_record_add_funding(cw_record *rec, const cw_funding *fu)
{
	if (!field_ok(rec, CW_FIELD_FUNDING) || !fu || fu->struct_size < V10_FUNDING)
		return CW_EINVAL;
	int replaced = 0;
	cw_funding *c = cw__arena_alloc(&rec->arena, sizeof *c);
	if (!c)
		return CW_ENOMEM;
	memset(c, 0, sizeof *c);
	c->struct_size = sizeof *c;
	COPY_STR(c->funder, fu->funder, 0);
	COPY_STR(c->funder_id, fu->funder_id, 0);
	COPY_STR(c->award_id, fu->award_id, 0);
	COPY_STR(c->award_title, fu->award_title, 0);
	if (!c->funder && !c->funder_id && !c->award_id && !c->award_title)
		return CW_EINVAL;
	ptrvec *v = vec_of(rec, CW_FIELD_FUNDING);
	if (!v)
		return CW_ENOMEM;
	return status_of(vec_push(&rec->arena, v, c), replaced);
}

size_t cw_record_funding_count(const cw_record *rec)
{
	if (!field_ok(rec, CW_FIELD_FUNDING) || !rec->val[CW_FIELD_FUNDING])
		return 0;
	return vec_get(rec, CW_FIELD_FUNDING)->n;
}

const cw_funding *cw_record_funding(const cw_record *rec, size_t i)
{
	if (i >= cw_record_funding_count(rec))
		return NULL;
	return vec_get(rec, CW_FIELD_FUNDING)->items[i];
}

int cw_record_adopt_child(cw_record *parent, cw_record *child)
{
	if (!field_ok(parent, CW_FIELD_REFERENCE_LIST) || !child || child->magic != RECORD_MAGIC ||
	    child == parent)
		return CW_EINVAL;
	ptrvec *v = vec_of(parent, CW_FIELD_REFERENCE_LIST);
	if (!v)
		return CW_ENOMEM;
	return vec_push(&parent->arena, v, child);
}

int cw_record_add_child(cw_record *parent, cw_record **child)
{
	if (!child)
		return CW_EINVAL;
	*child = NULL;
	cw_record *c;
	int rc = cw_record_new(&c);
	if (rc)
		return rc;
	rc = cw_record_adopt_child(parent, c);
	if (rc) {
		cw_record_free(c);
		return rc;
	}
	*child = c;
	return CW_OK;
}

size_t cw_record_child_count(const cw_record *rec)
{
	if (!field_ok(rec, CW_FIELD_REFERENCE_LIST) || !rec->val[CW_FIELD_REFERENCE_LIST])
		return 0;
	return vec_get(rec, CW_FIELD_REFERENCE_LIST)->n;
}

const cw_record *cw_record_child(const cw_record *rec, size_t i)
{
	if (i >= cw_record_child_count(rec))
		return NULL;
	return vec_get(rec, CW_FIELD_REFERENCE_LIST)->items[i];
}

int cw_record_take_children(cw_record *parent, cw_record ***out, size_t *count)
{
	if (!out || !count || !field_ok(parent, CW_FIELD_REFERENCE_LIST))
		return CW_EINVAL;
	*out = NULL;
	*count = 0;
	ptrvec *v = parent->val[CW_FIELD_REFERENCE_LIST];
	if (!v || v->n == 0)
		return CW_OK;
	cw_record **arr = malloc(v->n * sizeof *arr);
	if (!arr)
		return CW_ENOMEM;
	memcpy(arr, v->items, v->n * sizeof *arr);
	/* a child came from where its parent came from: writers that treat a
	 * format's own ids or passthrough specially must see it on the child too */
	for (size_t i = 0; i < v->n && parent->source_format; i++)
		if (!arr[i]->source_format &&
		    cw_record_set_source_format(arr[i], parent->source_format)) {
			free(arr);
			return CW_ENOMEM;
		}
	*out = arr;
	*count = v->n;
	v->n = 0;
	return CW_OK;
}

int cw_record_mark_children(cw_record *rec, enum cw_children_mark mark)
{
	if (!rec || rec->magic != RECORD_MAGIC ||
	    (mark != CW_CHILDREN_UNMARKED && mark != CW_CHILDREN_HERE && mark != CW_CHILDREN_FOLLOW))
		return CW_EINVAL;
	rec->children_mark = mark;
	return CW_OK;
}

enum cw_children_mark cw_record_children_mark(const cw_record *rec)
{
	return rec && rec->magic == RECORD_MAGIC ? rec->children_mark : CW_CHILDREN_UNMARKED;
}

int cw_record_add_passthrough(cw_record *rec, const char *format, const char *name,
                              const char *value, size_t value_len)
{
	if (!rec || rec->magic != RECORD_MAGIC || !format || !name || !value)
		return CW_EINVAL;
	if (value_len == CW_NUL)
		value_len = strlen(value);
	cw_passthrough *p = cw__arena_alloc(&rec->arena, sizeof *p);
	if (!p)
		return CW_ENOMEM;
	p->struct_size = sizeof *p;
	p->format = cw__arena_memdup(&rec->arena, format, strlen(format));
	p->name = cw__arena_memdup(&rec->arena, name, strlen(name));
	/* a format's own text, kept byte for byte (it may be JSON, LaTeX...) */
	p->value = cw__arena_memdup(&rec->arena, value, value_len);
	if (!p->format || !p->name || !p->value)
		return CW_ENOMEM;
	return vec_push(&rec->arena, &rec->passthrough, p);
}

size_t cw_record_passthrough_count(const cw_record *rec)
{
	return rec && rec->magic == RECORD_MAGIC ? rec->passthrough.n : 0;
}

const cw_passthrough *cw_record_passthrough(const cw_record *rec, size_t i)
{
	if (i >= cw_record_passthrough_count(rec))
		return NULL;
	return rec->passthrough.items[i];
}

const cw_passthrough *cw_record_find_passthrough(const cw_record *rec, const char *format,
                                                 const char *name)
{
	size_t n = cw_record_passthrough_count(rec);
	for (size_t i = 0; format && name && i < n; i++) {
		const cw_passthrough *p = rec->passthrough.items[i];
		if (strcmp(p->format, format) == 0 && strcmp(p->name, name) == 0)
			return p;
	}
	return NULL;
}

const char *cw_record_label(const cw_record *rec)
{
	const char *id = cw_record_text(rec, CW_FIELD_ID);
	return id ? id : cw_record_text(rec, CW_FIELD_DOI);
}

/* --- clone --- */

int cw_record_clone(cw_record **out, const cw_record *src)
{
	if (!out || !src || src->magic != RECORD_MAGIC)
		return CW_EINVAL;
	*out = NULL;
	cw_record *rec;
	int rc = cw_record_new(&rec);
	if (rc)
		return rc;
	rec->type = src->type;
	rec->line = src->line;
	rec->column = src->column;
	rc = cw_record_set_source_format(rec, src->source_format);
	for (enum cw_field f = cw_record_next_field(src, CW_FIELD_NONE); rc >= 0 && f;
	     f = cw_record_next_field(src, f)) {
		enum cw_kind k = kind_of(f);
		const ptrvec *v = src->val[f];
		if (is_text_kind(k)) {
			rc = cw_record_set_text(rec, f, src->val[f], CW_NUL);
		} else if (k == CW_KIND_DATE) {
			rc = cw_record_set_date(rec, f, src->val[f]);
		} else if (k == CW_KIND_NAMES) {
			for (size_t i = 0; rc >= 0 && i < v->n; i++)
				rc = cw_record_add_name(rec, f, v->items[i]);
		} else if (is_list_kind(k)) {
			for (size_t i = 0; rc >= 0 && i < v->n; i++)
				rc = cw_record_add_item(rec, f, v->items[i]);
		} else if (k == CW_KIND_AFFILIATIONS) {
			for (size_t i = 0; rc >= 0 && i < v->n; i++)
				rc = cw_record_add_affiliation(rec, v->items[i]);
		} else if (k == CW_KIND_FUNDING) {
			for (size_t i = 0; rc >= 0 && i < v->n; i++)
				rc = cw_record_add_funding(rec, v->items[i]);
		} else if (k == CW_KIND_RECORDS) {
			for (size_t i = 0; rc >= 0 && i < v->n; i++) {
				cw_record *kid;
				rc = cw_record_clone(&kid, v->items[i]);
				if (rc >= 0 && (rc = cw_record_adopt_child(rec, kid)) < 0)
					cw_record_free(kid);
			}
		}
	}
	for (size_t i = 0; rc >= 0 && i < src->passthrough.n; i++) {
		const cw_passthrough *p = src->passthrough.items[i];
		rc = cw_record_add_passthrough(rec, p->format, p->name, p->value, CW_NUL);
	}
	if (rc < 0) {
		cw_record_free(rec);
		return rc;
	}
	*out = rec;
	return CW_OK;
}

/* --- compare --- */

static int str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int name_eq(const cw_name *a, const cw_name *b)
{
	if (!str_eq(a->family, b->family) || !str_eq(a->given, b->given) ||
	    !str_eq(a->dropping_particle, b->dropping_particle) ||
	    !str_eq(a->non_dropping_particle, b->non_dropping_particle) ||
	    !str_eq(a->suffix, b->suffix) || !str_eq(a->literal, b->literal) ||
	    a->flags != b->flags || !str_eq(a->orcid, b->orcid) || !str_eq(a->email, b->email) ||
	    !str_eq(a->degrees, b->degrees) || !str_eq(a->role, b->role) ||
	    !str_eq(a->extra_format, b->extra_format) || !str_eq(a->extra, b->extra) ||
	    a->affiliation_count != b->affiliation_count)
		return 0;
	for (size_t i = 0; i < a->affiliation_count; i++)
		if (!str_eq(a->affiliation_ids[i], b->affiliation_ids[i]))
			return 0;
	return 1;
}

static int date_eq(const cw_date *a, const cw_date *b)
{
	return a->parts == b->parts && a->end_parts == b->end_parts && a->year == b->year &&
	       a->month == b->month && a->day == b->day && a->end_year == b->end_year &&
	       a->end_month == b->end_month && a->end_day == b->end_day && a->flags == b->flags &&
	       str_eq(a->season, b->season) && str_eq(a->literal, b->literal) &&
	       str_eq(a->raw, b->raw) && str_eq(a->extra_format, b->extra_format) &&
	       str_eq(a->extra, b->extra);
}

static int item_eq(const cw_item *a, const cw_item *b)
{
	return str_eq(a->value, b->value) && str_eq(a->lang, b->lang) && str_eq(a->type, b->type) &&
	       str_eq(a->scheme, b->scheme);
}

static int aff_eq(const cw_affiliation *a, const cw_affiliation *b)
{
	return str_eq(a->id, b->id) && str_eq(a->text, b->text) &&
	       str_eq(a->institution, b->institution) && str_eq(a->department, b->department) &&
	       str_eq(a->address, b->address) && str_eq(a->city, b->city) &&
	       str_eq(a->region, b->region) && str_eq(a->postal_code, b->postal_code) &&
	       str_eq(a->country, b->country) && str_eq(a->country_code, b->country_code) &&
	       str_eq(a->ror, b->ror) && str_eq(a->other_id, b->other_id) &&
	       str_eq(a->other_id_type, b->other_id_type);
}

static int fund_eq(const cw_funding *a, const cw_funding *b)
{
	return str_eq(a->funder, b->funder) && str_eq(a->funder_id, b->funder_id) &&
	       str_eq(a->award_id, b->award_id) && str_eq(a->award_title, b->award_title);
}

static int field_eq(const cw_record *a, const cw_record *b, enum cw_field f, cw_buf *diff)
{
	enum cw_kind k = kind_of(f);
	const void *va = a->val[f], *vb = b->val[f];
	int ha = cw_record_has(a, f), hb = cw_record_has(b, f);
	if (!ha && !hb)
		return 1;
	if (ha != hb) {
		if (diff)
			cw_buf_printf(diff, "%s: %s on one side only", cw_field_name(f),
			              ha ? "set" : "unset");
		return 0;
	}
	if (is_text_kind(k)) {
		if (strcmp(va, vb) == 0)
			return 1;
		if (diff)
			cw_buf_printf(diff, "%s: \"%s\" != \"%s\"", cw_field_name(f),
			              (const char *)va, (const char *)vb);
		return 0;
	}
	if (k == CW_KIND_DATE) {
		if (date_eq(va, vb))
			return 1;
		if (diff)
			cw_buf_printf(diff, "%s: dates differ", cw_field_name(f));
		return 0;
	}
	const ptrvec *pa = va, *pb = vb;
	if (pa->n != pb->n) {
		if (diff)
			cw_buf_printf(diff, "%s: %zu != %zu elements", cw_field_name(f), pa->n,
			              pb->n);
		return 0;
	}
	for (size_t i = 0; i < pa->n; i++) {
		int eq = k == CW_KIND_NAMES          ? name_eq(pa->items[i], pb->items[i])
		         : is_list_kind(k)           ? item_eq(pa->items[i], pb->items[i])
		         : k == CW_KIND_AFFILIATIONS ? aff_eq(pa->items[i], pb->items[i])
		         : k == CW_KIND_FUNDING
		             ? fund_eq(pa->items[i], pb->items[i])
		             : cw_record_compare(pa->items[i], pb->items[i], NULL) == 0;
		if (!eq) {
			if (diff)
				cw_buf_printf(diff, "%s: element %zu differs", cw_field_name(f), i);
			return 0;
		}
	}
	return 1;
}

int cw_record_compare(const cw_record *a, const cw_record *b, cw_buf *diff)
{
	if (!a || !b || a->magic != RECORD_MAGIC || b->magic != RECORD_MAGIC)
		return -1;
	if (a->type != b->type) {
		if (diff)
			cw_buf_printf(
			    diff, "type: %s != %s",
			    cw_item_type_name(a->type) ? cw_item_type_name(a->type) : "(unset)",
			    cw_item_type_name(b->type) ? cw_item_type_name(b->type) : "(unset)");
		return -1;
	}
	for (int f = 1; f < CW_FIELD_COUNT_; f++)
		if (!field_eq(a, b, (enum cw_field)f, diff))
			return f;
	if (a->passthrough.n != b->passthrough.n) {
		if (diff)
			cw_buf_printf(diff, "passthrough: %zu != %zu fields", a->passthrough.n,
			              b->passthrough.n);
		return -1;
	}
	for (size_t i = 0; i < a->passthrough.n; i++) {
		const cw_passthrough *pa = a->passthrough.items[i], *pb = b->passthrough.items[i];
		if (strcmp(pa->format, pb->format) || strcmp(pa->name, pb->name) ||
		    strcmp(pa->value, pb->value)) {
			if (diff)
				cw_buf_printf(diff, "passthrough %s:%s differs", pa->format,
				              pa->name);
			return -1;
		}
	}
	return 0;
}
