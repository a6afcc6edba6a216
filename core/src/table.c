/*
 * Typed crosswalk tables: a parsed table (xwalk.c) checked against the
 * schema its plugin declares, with every problem located, its cells read
 * into values (enumerated words as indexes, field names and CSL types as
 * their enums), and hash indexes on its key columns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xwalk.h"

/* Bounds on what a schema may declare (a broken descriptor cannot loop long). */
enum { MAX_SECTIONS = 64, MAX_COLUMNS = 64, MAX_ERRORS = 20, MAX_LISTED = 24 };

/* The smallest structs ABI 1.3 defined. */
#define V13_COLUMN (offsetof(cw_table_column, help) + sizeof(const char *))
#define V14_COLUMN (offsetof(cw_table_column, kinds) + sizeof(uint32_t))
#define V13_SECTION (offsetof(cw_table_section, help) + sizeof(const char *))
#define V13_SCHEMA (offsetof(cw_table_schema, type_count) + sizeof(int))

typedef struct tindex {
	uint32_t *slots; /* row + 1, open addressing; NULL: the column is no key */
	size_t mask;
	uint32_t *next; /* per row: the next row with the same key, + 1 */
} tindex;

typedef struct tsec {
	const cw_table_section *def;
	const cw_table_column *cols[MAX_COLUMNS];
	size_t ncols;
	const cw_table_row **rows;
	size_t nrows;
	tindex *idx; /* per column */
} tsec;

struct cw_table {
	const cw_table_schema *schema;
	cw__arena arena;
	const cw_xwalk *src;         /* metadata and strings; NULL for a merged table */
	cw_xwalk *own;               /* src, when the table owns it */
	const cw_table *over, *base; /* a merged table's parts, for metadata */
	tsec secs[MAX_SECTIONS];
	size_t nsec;
};

/* --- the schema --- */

static const cw_table_section *section_def(const cw_table_schema *sc, size_t i)
{
	size_t stride = sc->sections[0].struct_size;
	return (const cw_table_section *)(const void *)((const char *)sc->sections + i * stride);
}

static const cw_table_column *column_def(const cw_table_section *sec, size_t i)
{
	size_t stride = sec->columns[0].struct_size;
	return (const cw_table_column *)(const void *)((const char *)sec->columns + i * stride);
}

static int why_fail(cw_buf *why, const char *fmt, ...) CW_PRINTF(2, 3);

/* Appends one line saying what is wrong with a schema; CW_EINVAL. */
static int why_fail(cw_buf *why, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cw__buf_linev(why, NULL, fmt, ap);
	va_end(ap);
	return CW_EINVAL;
}
static int read_word(const cw_table_schema *sc, const cw_table_column *c, const char *w, size_t n,
                     int32_t *value);

int cw_table_schema_check(const cw_table_schema *sc, cw_buf *why)
{
	if (!sc || sc->struct_size < V13_SCHEMA)
		return why_fail(why, "crosswalk table schema missing or too small");
	if (sc->field_count <= 0 || sc->type_count <= 0)
		return why_fail(why,
		                "crosswalk table schema %s lacks its field and type counts "
		                "(declare it with CW_TABLE_SCHEMA)",
		                sc->name ? sc->name : "(unnamed)");
	if (!sc->name || !*sc->name || !sc->yaml || !sc->sections)
		return why_fail(why, "crosswalk table schema %s lacks its name, table or sections",
		                sc->name ? sc->name : "(unnamed)");
	if (sc->sections[0].name && sc->sections[0].struct_size < V13_SECTION)
		return why_fail(why, "crosswalk table schema %s: section struct_size too small",
		                sc->name);
	size_t i = 0;
	for (; i < MAX_SECTIONS && sc->sections[0].name && section_def(sc, i)->name; i++) {
		const cw_table_section *sec = section_def(sc, i);
		if (!*sec->name || !sec->columns)
			return why_fail(why,
			                "crosswalk table schema %s: section \"%s\" has no columns",
			                sc->name, sec->name);
		for (size_t k = 0; k < i; k++)
			if (strcmp(section_def(sc, k)->name, sec->name) == 0)
				return why_fail(why,
				                "crosswalk table schema %s: section \"%s\" twice",
				                sc->name, sec->name);
		if (sec->columns[0].name && sec->columns[0].struct_size < V13_COLUMN)
			return why_fail(why,
			                "crosswalk table schema %s: section \"%s\": column "
			                "struct_size too small",
			                sc->name, sec->name);
		size_t j = 0;
		for (; j < MAX_COLUMNS && sec->columns[0].name && column_def(sec, j)->name; j++) {
			const cw_table_column *c = column_def(sec, j);
			int bad = !*c->name || strcmp(c->name, "note") == 0 ||
			          strcmp(c->name, "source") == 0 ||
			          (unsigned)c->type > CW_CELL_BOOL ||
			          (c->type == CW_CELL_ENUM && (!c->values || !*c->values)) ||
			          ((c->flags & CW_COLUMN_KEY) && (c->flags & CW_COLUMN_LIST));
			for (size_t k = 0; k < j && !bad; k++)
				bad = strcmp(column_def(sec, k)->name, c->name) == 0;
			int32_t v;
			if (!bad && c->default_value &&
			    read_word(sc, c, c->default_value, strlen(c->default_value), &v) !=
			        CW_OK)
				bad = 1;
			if (bad)
				return why_fail(why, "crosswalk table schema %s: bad column \"%s\"",
				                sc->name, c->name);
		}
		if (j == MAX_COLUMNS)
			return why_fail(why,
			                "crosswalk table schema %s: section \"%s\" has too many "
			                "columns",
			                sc->name, sec->name);
	}
	if (i == MAX_SECTIONS)
		return why_fail(why, "crosswalk table schema %s has too many sections", sc->name);
	return CW_OK;
}

/* --- words --- */

/* Index of w among the '|'-separated words, or -1. */
static int word_index(const char *words, const char *w, size_t n)
{
	int i = 0;
	for (const char *p = words; p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && memcmp(p, w, n) == 0)
			return i;
		i++;
		p = bar ? bar + 1 : NULL;
	}
	return -1;
}

/* Index of the extra word (values of a FIELD or ITEM_TYPE column) w matches, or -1. */
static int extra_index(const char *words, const char *w, size_t n)
{
	int i = 0;
	for (const char *p = words; p && *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		/* "@*" takes every word starting with "@"; "*" alone is the word "*" */
		if ((len == n && memcmp(p, w, n) == 0) ||
		    (len > 1 && p[len - 1] == '*' && n >= len - 1 && memcmp(p, w, len - 1) == 0))
			return i;
		i++;
		p = bar ? bar + 1 : NULL;
	}
	return -1;
}

/* Reads one word of a cell of column c. CW_EFORMAT when it is no value of c. */
static int read_word(const cw_table_schema *sc, const cw_table_column *c, const char *w, size_t n,
                     int32_t *value)
{
	*value = 0;
	int i;
	switch (c->type) {
	case CW_CELL_TEXT:
		return CW_OK;
	case CW_CELL_ENUM:
		i = word_index(c->values, w, n);
		*value = i;
		return i >= 0 ? CW_OK : CW_EFORMAT;
	case CW_CELL_FIELD: {
		enum cw_field f = cw_field_from_name_known(w, n, sc->field_count);
		if (f != CW_FIELD_NONE) {
			*value = (int32_t)f;
			return CW_OK;
		}
		break;
	}
	case CW_CELL_ITEM_TYPE: {
		enum cw_item_type t = cw_item_type_from_name_known(w, n, sc->type_count);
		if (t != CW_TYPE_UNSET) {
			*value = (int32_t)t;
			return CW_OK;
		}
		break;
	}
	case CW_CELL_INT: {
		char buf[24];
		if (n == 0 || n >= sizeof buf)
			return CW_EFORMAT;
		memcpy(buf, w, n);
		buf[n] = '\0';
		char *end;
		errno = 0;
		long v = strtol(buf, &end, 10);
		if (errno || *end || v < INT32_MIN || v > INT32_MAX)
			return CW_EFORMAT;
		*value = (int32_t)v;
		return CW_OK;
	}
	case CW_CELL_BOOL:
		i = word_index("no|yes|false|true", w, n);
		*value = i % 2;
		return i >= 0 ? CW_OK : CW_EFORMAT;
	}
	i = extra_index(c->values, w, n);
	if (i < 0)
		return CW_EFORMAT;
	*value = CW_CELL_EXTRA(i);
	return CW_OK;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Edit distance (with transpositions), ASCII case ignored; bounded by 32 bytes. */
static size_t distance(const char *a, size_t na, const char *b, size_t nb)
{
	enum { N = 33 };
	if (na >= N || nb >= N)
		return (size_t)-1;
	size_t d[N][N];
	for (size_t i = 0; i <= na; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= nb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= na; i++)
		for (size_t j = 1; j <= nb; j++) {
			size_t cost =
			    lower((unsigned char)a[i - 1]) != lower((unsigned char)b[j - 1]);
			size_t v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 &&
			    lower((unsigned char)a[i - 1]) == lower((unsigned char)b[j - 2]) &&
			    lower((unsigned char)a[i - 2]) == lower((unsigned char)b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[na][nb];
}

const char *cw__nearest_word(const char *words, const char *word, size_t *len)
{
	size_t n = strlen(word), best = (size_t)-1;
	const char *hit = NULL;
	/* close: at most one edit in three letters (a case change is none) */
	size_t most = (n + 2) / 3;
	for (const char *p = words; p && *p;) {
		const char *bar = strchr(p, '|');
		size_t l = bar ? (size_t)(bar - p) : strlen(p);
		size_t d = distance(p, l, word, n);
		if (d <= most && d < best && !(l == n && memcmp(p, word, n) == 0)) {
			best = d;
			hit = p;
			*len = l;
		}
		p = bar ? bar + 1 : NULL;
	}
	return hit;
}

/* --- building --- */

typedef struct builder {
	cw_table *t;
	cw__table_errs *errs;
	const char *file;
	cw_buf msg;
} builder;

static void problem(builder *b, cw__mark at, const char *fmt, ...) CW_PRINTF(3, 4);

static void problem(builder *b, cw__mark at, const char *fmt, ...)
{
	b->errs->count++;
	if (b->errs->count > MAX_ERRORS || !b->errs->fn)
		return;
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	b->errs->fn(b->errs->ud, b->file, at.line, at.column, text);
}

/* "; did you mean "x"? (known: a, b, c)" for word among words, into b->msg. */
static const char *hint(builder *b, const char *words, const char *word, int list)
{
	cw_buf_clear(&b->msg);
	size_t len = 0;
	const char *near = cw__nearest_word(words, word, &len);
	if (near)
		cw_buf_printf(&b->msg, "; did you mean \"%.*s\"?", (int)len, near);
	size_t count = 1;
	for (const char *p = words; *p; p++)
		count += *p == '|';
	if (list && *words && count <= MAX_LISTED) {
		cw_buf_append(&b->msg, " (known: ", CW_NUL);
		for (const char *p = words; *p; p++)
			cw_buf_append(&b->msg, *p == '|' ? ", " : p, *p == '|' ? 2 : 1);
		cw_buf_putc(&b->msg, ')');
	}
	return cw_buf_str(&b->msg);
}

/* Every name of a vocabulary ("a|b|c") into out. */
static void vocabulary(const cw_table_column *c, cw_buf *out)
{
	if (c->type == CW_CELL_FIELD)
		for (int f = 1; cw_field_name((enum cw_field)f); f++)
			cw_buf_printf(out, "%s%s", out->len ? "|" : "",
			              cw_field_name((enum cw_field)f));
	else if (c->type == CW_CELL_ITEM_TYPE)
		for (int t = 1; cw_item_type_name((enum cw_item_type)t); t++)
			cw_buf_printf(out, "%s%s", out->len ? "|" : "",
			              cw_item_type_name((enum cw_item_type)t));
	else if (c->type == CW_CELL_BOOL)
		cw_buf_append(out, "yes|no|true|false", CW_NUL);
	if (c->values && c->type != CW_CELL_BOOL && c->type != CW_CELL_INT)
		cw_buf_printf(out, "%s%s", out->len ? "|" : "", c->values);
}

static void bad_word(builder *b, const tsec *s, const cw_table_column *c, const char *w, size_t n,
                     cw__mark at)
{
	char word[128];
	snprintf(word, sizeof word, "%.*s", (int)(n < 100 ? n : 100), w);
	static const char *const what[] = {"a value",         "a value",  "a field name",
	                                   "a CSL item type", "a number", "yes or no"};
	if (c->type == CW_CELL_INT) {
		problem(b, at, "\"%s\" is not a number (column \"%s\" of section \"%s\")", word,
		        c->name, s->def->name);
		return;
	}
	cw_buf words = CW_BUF_INIT;
	vocabulary(c, &words);
	char h[2048];
	snprintf(
	    h, sizeof h, "%s",
	    hint(b, cw_buf_str(&words), word, c->type == CW_CELL_ENUM || c->type == CW_CELL_BOOL));
	problem(b, at, "\"%s\" is not %s (column \"%s\" of section \"%s\")%s", word, what[c->type],
	        c->name, s->def->name, h);
	cw_buf_free(&words);
}

/* The words of a column's names, "a|b|c", into out. */
static void column_names(const tsec *s, cw_buf *out)
{
	for (size_t i = 0; i < s->ncols; i++)
		cw_buf_printf(out, "%s%s", i ? "|" : "", s->cols[i]->name);
	cw_buf_printf(out, "%snote|source", s->ncols ? "|" : "");
}

/* A FIELD cell's field of a kind its column does not take (cw_table_column.kinds, ABI 1.4). */
static void check_kind(builder *b, const tsec *s, const cw_table_column *c, int32_t value,
                       cw__mark at)
{
	if (c->type != CW_CELL_FIELD || value <= 0 || c->struct_size < V14_COLUMN || !c->kinds)
		return;
	enum cw_kind k = cw_field_kind((enum cw_field)value);
	if (c->kinds & CW_KIND_BIT(k))
		return;
	char want[160] = "";
	size_t used = 0;
	for (unsigned i = 1; i < 32 && used < sizeof want - 40; i++)
		if (c->kinds & CW_KIND_BIT(i) && cw_kind_name((enum cw_kind)i))
			used += (size_t)snprintf(want + used, sizeof want - used, "%s%s",
			                         used ? " or " : "", cw_kind_name((enum cw_kind)i));
	problem(b, at, "field \"%s\" holds %s; column \"%s\" of section \"%s\" takes %s fields",
	        cw_field_name((enum cw_field)value), cw_kind_name(k), c->name, s->def->name, want);
}

/* Reads a cell's text into typed values (all words of a list). */
static int read_cell(builder *b, const tsec *s, const cw_table_column *c, const cw__cell *src,
                     cw_table_cell *cell)
{
	cell->text = src->val;
	cell->line = src->val_at.line;
	cell->column = src->val_at.column;
	if (src->item_at && !(c->flags & CW_COLUMN_LIST)) {
		problem(b, src->val_at,
		        "column \"%s\" of section \"%s\" takes one value, not a list", c->name,
		        s->def->name);
		return CW_OK;
	}
	if (!(c->flags & CW_COLUMN_LIST)) {
		if (read_word(b->t->schema, c, src->val, strlen(src->val), &cell->value) != CW_OK)
			bad_word(b, s, c, src->val, strlen(src->val), src->val_at);
		else
			check_kind(b, s, c, cell->value, src->val_at);
		return CW_OK;
	}
	uint32_t n = 0;
	for (const char *p = src->val; *p; p++)
		n += *p == '|';
	n += *src->val != '\0';
	cell->count = n;
	cell->value = (int32_t)n;
	if (c->type == CW_CELL_TEXT || n == 0)
		return CW_OK;
	int32_t *items = cw__arena_alloc(&b->t->arena, n * sizeof *items);
	if (!items)
		return CW_ENOMEM;
	uint32_t k = 0;
	for (const char *p = src->val; k < n; k++) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		const char *w = p;
		size_t wl = len; /* "a | b": the words without the spaces */
		while (wl && *w == ' ')
			w++, wl--;
		while (wl && w[wl - 1] == ' ')
			wl--;
		/* a word of a YAML list is where that item is; of "a|b", where the cell is */
		cw__mark at = src->item_at && k < src->nitems ? src->item_at[k] : src->val_at;
		if (read_word(b->t->schema, c, w, wl, &items[k]) != CW_OK)
			bad_word(b, s, c, w, wl, at);
		else
			check_kind(b, s, c, items[k], at);
		p = bar ? bar + 1 : p + len;
	}
	cell->items = items;
	return CW_OK;
}

static int build_row(builder *b, tsec *s, const cw__row *src, const cw_table_row **out)
{
	cw_table_row *row = cw__arena_alloc(&b->t->arena, sizeof *row);
	cw_table_cell *cells =
	    cw__arena_alloc(&b->t->arena, (s->ncols ? s->ncols : 1) * sizeof *cells);
	if (!row || !cells)
		return CW_ENOMEM;
	memset(cells, 0, (s->ncols ? s->ncols : 1) * sizeof *cells);
	row->file = b->file;
	row->line = src->at.line;
	row->cells = cells;
	*out = row;
	for (size_t i = 0; i < s->ncols; i++)
		if (s->cols[i]->default_value)
			read_word(b->t->schema, s->cols[i], s->cols[i]->default_value,
			          strlen(s->cols[i]->default_value), &cells[i].value);
	for (size_t k = 0; k < src->n; k++) {
		const cw__cell *sc = &src->cells[k];
		size_t i = 0;
		while (i < s->ncols && strcmp(s->cols[i]->name, sc->col) != 0)
			i++;
		for (size_t j = 0; j < k; j++)
			if (strcmp(src->cells[j].col, sc->col) == 0)
				problem(b, sc->col_at, "column \"%s\" given twice in one row",
				        sc->col);
		if (i == s->ncols) {
			if (strcmp(sc->col, "note") == 0 || strcmp(sc->col, "source") == 0)
				continue;
			cw_buf names = CW_BUF_INIT;
			column_names(s, &names);
			char h[2048];
			snprintf(h, sizeof h, "%s", hint(b, cw_buf_str(&names), sc->col, 1));
			cw_buf_free(&names);
			problem(b, sc->col_at, "unknown column \"%s\" in section \"%s\"%s", sc->col,
			        s->def->name, h);
			continue;
		}
		int rc = read_cell(b, s, s->cols[i], sc, &cells[i]);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < s->ncols; i++)
		if ((s->cols[i]->flags & CW_COLUMN_REQUIRED) && !cells[i].text)
			problem(b, src->at,
			        "a row of section \"%s\" lacks column \"%s\" (required)",
			        s->def->name, s->cols[i]->name);
	return CW_OK;
}

static uint32_t hash_value(int32_t v)
{
	uint32_t x = (uint32_t)v * 2654435761u;
	return x ^ (x >> 16);
}

static int is_text_key(const cw_table_column *c)
{
	return c->type == CW_CELL_TEXT;
}

static int same_key(const cw_table_column *c, const cw_table_cell *a, const char *key, size_t n,
                    int32_t value)
{
	if (!is_text_key(c))
		return a->value == value;
	if (strlen(a->text) != n)
		return 0;
	return (c->flags & CW_COLUMN_NOCASE) ? cw__ascii_ncasecmp(a->text, key, n) == 0
	                                     : memcmp(a->text, key, n) == 0;
}

static uint32_t key_hash(const cw_table_column *c, const char *key, size_t n, int32_t value)
{
	return is_text_key(c) ? (uint32_t)cw__hash(key, n, (c->flags & CW_COLUMN_NOCASE) != 0)
	                      : hash_value(value);
}

/* The slot of key in the index, or the empty slot where it goes. */
static uint32_t *index_slot(const tsec *s, size_t col, const char *key, size_t n, int32_t value)
{
	const tindex *ix = &s->idx[col];
	const cw_table_column *c = s->cols[col];
	size_t i = key_hash(c, key, n, value) & ix->mask;
	while (ix->slots[i] && !same_key(c, &s->rows[ix->slots[i] - 1]->cells[col], key, n, value))
		i = (i + 1) & ix->mask;
	return &ix->slots[i];
}

static int build_indexes(cw_table *t, tsec *s)
{
	s->idx = cw__arena_alloc(&t->arena, (s->ncols ? s->ncols : 1) * sizeof *s->idx);
	if (!s->idx)
		return CW_ENOMEM;
	memset(s->idx, 0, (s->ncols ? s->ncols : 1) * sizeof *s->idx);
	for (size_t col = 0; col < s->ncols; col++) {
		if (!(s->cols[col]->flags & CW_COLUMN_KEY))
			continue;
		tindex *ix = &s->idx[col];
		size_t size = 16;
		while (size < 2 * s->nrows + 2)
			size *= 2;
		ix->slots = cw__arena_alloc(&t->arena, size * sizeof *ix->slots);
		ix->next = cw__arena_alloc(&t->arena, (s->nrows + 1) * sizeof *ix->next);
		if (!ix->slots || !ix->next)
			return CW_ENOMEM;
		memset(ix->slots, 0, size * sizeof *ix->slots);
		memset(ix->next, 0, (s->nrows + 1) * sizeof *ix->next);
		ix->mask = size - 1;
		/* backwards, so that each chain lists its rows in table order */
		for (size_t r = s->nrows; r-- > 0;) {
			const cw_table_cell *cell = &s->rows[r]->cells[col];
			if (!cell->text)
				continue;
			uint32_t *slot =
			    index_slot(s, col, cell->text, strlen(cell->text), cell->value);
			ix->next[r] = *slot;
			*slot = (uint32_t)r + 1;
		}
	}
	return CW_OK;
}

static int table_new(cw_table **out, const cw_table_schema *schema)
{
	cw_table *t = calloc(1, sizeof *t);
	*out = t;
	if (!t)
		return CW_ENOMEM;
	t->schema = schema;
	for (; t->nsec < MAX_SECTIONS && schema->sections[0].name &&
	       section_def(schema, t->nsec)->name;
	     t->nsec++) {
		tsec *s = &t->secs[t->nsec];
		s->def = section_def(schema, t->nsec);
		for (; s->ncols < MAX_COLUMNS && s->def->columns[0].name &&
		       column_def(s->def, s->ncols)->name;
		     s->ncols++)
			s->cols[s->ncols] = column_def(s->def, s->ncols);
	}
	return CW_OK;
}

/* The section names of a schema, "a|b|c", into out. */
static void section_names(const cw_table *t, cw_buf *out)
{
	for (size_t i = 0; i < t->nsec; i++)
		cw_buf_printf(out, "%s%s", i ? "|" : "", t->secs[i].def->name);
}

static int build_sections(builder *b, const cw_xwalk *src)
{
	cw_table *t = b->t;
	for (size_t i = 0; i < src->nsec; i++) {
		const cw__section *ss = &src->secs[i];
		size_t k = 0;
		while (k < t->nsec && strcmp(t->secs[k].def->name, ss->name) != 0)
			k++;
		if (k == t->nsec) {
			cw_buf names = CW_BUF_INIT;
			section_names(t, &names);
			char h[2048];
			snprintf(h, sizeof h, "%s", hint(b, cw_buf_str(&names), ss->name, 1));
			cw_buf_free(&names);
			problem(b, ss->at, "unknown section \"%s\" in a %s table%s", ss->name,
			        t->schema->name, h);
			continue;
		}
		tsec *s = &t->secs[k];
		s->rows = cw__arena_alloc(&t->arena, (ss->n ? ss->n : 1) * sizeof *s->rows);
		if (!s->rows)
			return CW_ENOMEM;
		for (size_t r = 0; r < ss->n; r++) {
			int rc = build_row(b, s, &ss->rows[r], &s->rows[s->nrows]);
			if (rc)
				return rc;
			s->nrows++;
		}
	}
	return CW_OK;
}

int cw__table_build(cw_table **out, const cw_table_schema *schema, const cw_xwalk *src,
                    cw__table_errs *errs)
{
	*out = NULL;
	cw_table *t;
	int rc = table_new(&t, schema);
	if (rc)
		return rc;
	t->src = src;
	builder b = {.t = t, .errs = errs, .file = src->name ? src->name : "<crosswalk>"};
	size_t before = errs->count;
	const cw__cell *fmt = cw__xwalk_meta_cell(src, "format");
	if (fmt && strcmp(fmt->val, schema->name) != 0)
		problem(&b, fmt->val_at,
		        "a table of format \"%s\" where one of \"%s\" was expected", fmt->val,
		        schema->name);
	rc = build_sections(&b, src);
	for (size_t i = 0; rc == CW_OK && i < t->nsec; i++)
		rc = build_indexes(t, &t->secs[i]);
	if (rc == CW_OK && errs->count > before)
		rc = CW_EFORMAT;
	if (rc == CW_EFORMAT && errs->count - before > MAX_ERRORS && errs->fn) {
		char msg[96];
		snprintf(msg, sizeof msg, "%zu more problems not shown",
		         errs->count - before - MAX_ERRORS);
		errs->fn(errs->ud, b.file, 0, 0, msg);
	}
	cw_buf_free(&b.msg);
	if (rc) {
		cw_table_free(t);
		return rc;
	}
	*out = t;
	return CW_OK;
}

int cw__table_embedded(cw_table **out, const cw_table_schema *schema, cw__table_errs *errs)
{
	*out = NULL;
	cw_xwalk *src = NULL;
	cw_buf err = CW_BUF_INIT;
	int rc = cw_xwalk_parse(&src, schema->yaml, schema->yaml_len, schema->yaml_name, &err);
	if (rc && errs->fn) {
		errs->count++;
		errs->fn(errs->ud, NULL, 0, 0, cw_buf_str(&err));
	}
	cw_buf_free(&err);
	if (rc == CW_OK)
		rc = cw__table_build(out, schema, src, errs);
	if (rc) {
		cw_xwalk_free(src);
		return rc;
	}
	(*out)->own = src;
	return CW_OK;
}

void cw__table_own(cw_table *t, cw_xwalk *src)
{
	t->own = src;
}

const cw_xwalk *cw__table_source(const cw_table *t)
{
	return t ? t->src : NULL;
}

const cw_table_schema *cw__table_schema(const cw_table *t)
{
	return t ? t->schema : NULL;
}

int cw__table_merge(cw_table **out, const cw_table *over, const cw_table *base)
{
	*out = NULL;
	cw_table *t;
	int rc = table_new(&t, base->schema);
	if (rc)
		return rc;
	t->over = over;
	t->base = base;
	for (size_t i = 0; rc == CW_OK && i < t->nsec; i++) {
		tsec *s = &t->secs[i];
		size_t n = over->secs[i].nrows + base->secs[i].nrows;
		s->rows = cw__arena_alloc(&t->arena, (n ? n : 1) * sizeof *s->rows);
		if (!s->rows) {
			rc = CW_ENOMEM;
			break;
		}
		for (size_t r = 0; r < over->secs[i].nrows; r++)
			s->rows[s->nrows++] = over->secs[i].rows[r];
		for (size_t r = 0; r < base->secs[i].nrows; r++)
			s->rows[s->nrows++] = base->secs[i].rows[r];
		rc = build_indexes(t, s);
	}
	if (rc) {
		cw_table_free(t);
		return rc;
	}
	*out = t;
	return CW_OK;
}

/* --- the public API --- */

/* The error sink of cw_table_parse: one line per problem into a cw_buf. */
static void errs_to_buf(void *ud, const char *file, uint32_t line, uint32_t column, const char *msg)
{
	cw_buf *err = ud;
	if (!err)
		return;
	if (err->len)
		cw_buf_putc(err, '\n');
	if (line)
		cw_buf_printf(err, "%s:%u:%u: %s", file, line, column, msg);
	else
		cw_buf_printf(err, "%s: %s", file, msg);
}

int cw_table_parse(cw_table **out, const cw_table_schema *schema, const char *yaml, size_t len,
                   const char *name, cw_buf *err)
{
	if (!out)
		return CW_EINVAL;
	*out = NULL;
	if (!yaml || cw_table_schema_check(schema, err) != CW_OK)
		return CW_EINVAL;
	cw_xwalk *src = NULL;
	int rc = cw_xwalk_parse(&src, yaml, len, name, err);
	if (rc)
		return rc;
	cw__table_errs errs = {.fn = errs_to_buf, .ud = err};
	rc = cw__table_build(out, schema, src, &errs);
	if (rc) {
		cw_xwalk_free(src);
		return rc;
	}
	cw__table_own(*out, src);
	return CW_OK;
}

void cw_table_free(cw_table *t)
{
	if (!t)
		return;
	cw__arena_free(&t->arena);
	cw_xwalk_free(t->own);
	free(t);
}

const char *cw_table_meta(const cw_table *t, const char *key)
{
	if (!t)
		return NULL;
	if (t->src)
		return cw_xwalk_meta(t->src, key);
	const char *v = cw_table_meta(t->over, key);
	return v ? v : cw_table_meta(t->base, key);
}

static const tsec *sec_of(const cw_table *t, size_t section)
{
	return t && section < t->nsec ? &t->secs[section] : NULL;
}

size_t cw_table_row_count(const cw_table *t, size_t section)
{
	const tsec *s = sec_of(t, section);
	return s ? s->nrows : 0;
}

const cw_table_row *cw_table_row_at(const cw_table *t, size_t section, size_t row)
{
	const tsec *s = sec_of(t, section);
	return s && row < s->nrows ? s->rows[row] : NULL;
}

const cw_table_cell *cw_table_cell_at(const cw_table *t, size_t section, size_t row, size_t column)
{
	const tsec *s = sec_of(t, section);
	return s && row < s->nrows && column < s->ncols ? &s->rows[row]->cells[column] : NULL;
}

/* The first row from `from` on whose column cell matches, by a scan. */
static size_t scan(const tsec *s, size_t col, size_t from, const char *key, size_t n, int32_t value)
{
	for (size_t r = from; r < s->nrows; r++) {
		const cw_table_cell *c = &s->rows[r]->cells[col];
		if (c->text && same_key(s->cols[col], c, key, n, value))
			return r;
	}
	return CW_TABLE_NONE;
}

static size_t find(const tsec *s, size_t col, const char *key, size_t n, int32_t value)
{
	if (!s->idx || !s->idx[col].slots)
		return scan(s, col, 0, key, n, value);
	uint32_t slot = *index_slot(s, col, key, n, value);
	return slot ? slot - 1 : CW_TABLE_NONE;
}

size_t cw_table_find(const cw_table *t, size_t section, size_t column, const char *key, size_t len)
{
	const tsec *s = sec_of(t, section);
	if (!s || column >= s->ncols || !key)
		return CW_TABLE_NONE;
	if (len == CW_NUL)
		len = strlen(key);
	int32_t value = 0;
	if (!is_text_key(s->cols[column]) &&
	    read_word(t->schema, s->cols[column], key, len, &value) != CW_OK)
		return CW_TABLE_NONE;
	return find(s, column, key, len, value);
}

size_t cw_table_find_value(const cw_table *t, size_t section, size_t column, int32_t value)
{
	const tsec *s = sec_of(t, section);
	if (!s || column >= s->ncols || is_text_key(s->cols[column]))
		return CW_TABLE_NONE;
	return find(s, column, NULL, 0, value);
}

size_t cw_table_find_next(const cw_table *t, size_t section, size_t column, size_t row)
{
	const tsec *s = sec_of(t, section);
	if (!s || column >= s->ncols || row >= s->nrows)
		return CW_TABLE_NONE;
	const cw_table_cell *c = &s->rows[row]->cells[column];
	if (!c->text)
		return CW_TABLE_NONE;
	if (s->idx && s->idx[column].slots) {
		uint32_t nx = s->idx[column].next[row];
		return nx ? nx - 1 : CW_TABLE_NONE;
	}
	return scan(s, column, row + 1, c->text, strlen(c->text), c->value);
}

const cw_table_cell *cw_table_lookup(const cw_table *t, size_t section, size_t key_column,
                                     const char *key, size_t len, size_t val_column)
{
	for (size_t r = cw_table_find(t, section, key_column, key, len); r != CW_TABLE_NONE;
	     r = cw_table_find_next(t, section, key_column, r)) {
		const cw_table_cell *v = cw_table_cell_at(t, section, r, val_column);
		if (!v)
			return NULL;
		if (v->text)
			return v;
	}
	return NULL;
}
