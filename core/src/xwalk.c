/*
 * Crosswalk tables: YAML (through libyaml's event API, with our own depth
 * and size limits and no aliases, because libyaml 0.2.5 has no depth limit)
 * into sections of rows of string cells.
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "xwalk.h"

typedef cw__cell cell;
typedef cw__row row;
typedef cw__section section;

enum { MAX_EVENTS = 1000000, MAX_SCALAR = 65536, MAX_CELLS = 64 };

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	size_t c = *cap ? *cap * 2 : 8;
	void *q = realloc(p, c * size);
	if (q)
		*cap = c;
	return q;
}

static const char *intern(cw_xwalk *t, const char *s, size_t n)
{
	return cw__arena_memdup(&t->arena, s, n);
}

static section *section_get(cw_xwalk *t, const char *name, int create)
{
	for (size_t i = 0; i < t->nsec; i++)
		if (strcmp(t->secs[i].name, name) == 0)
			return &t->secs[i];
	if (!create)
		return NULL;
	section *s = grow(t->secs, &t->capsec, t->nsec, sizeof *s);
	if (!s)
		return NULL;
	t->secs = s;
	section *n = &t->secs[t->nsec++];
	memset(n, 0, sizeof *n);
	n->name = intern(t, name, strlen(name));
	return n->name ? n : NULL;
}

static int row_add(cw_xwalk *t, section *sec, const cell *cells, size_t n, cw__mark at)
{
	row *r = grow(sec->rows, &sec->cap, sec->n, sizeof *r);
	if (!r)
		return CW_ENOMEM;
	sec->rows = r;
	cell *c = cw__arena_alloc(&t->arena, (n ? n : 1) * sizeof *c);
	if (!c)
		return CW_ENOMEM;
	if (n)
		memcpy(c, cells, n * sizeof *c);
	sec->rows[sec->n].cells = c;
	sec->rows[sec->n].n = n;
	sec->rows[sec->n].at = at;
	sec->n++;
	return CW_OK;
}

typedef struct parser {
	yaml_parser_t p;
	yaml_event_t ev;
	int have_ev;
	cw_xwalk *t;
	const char *name;
	cw_buf *err;
	size_t events;
} parser;

static cw__mark mark_of(const yaml_mark_t *m)
{
	cw__mark k = {(uint32_t)m->line + 1, (uint32_t)m->column + 1};
	return k;
}

static int fail(parser *ps, const yaml_mark_t *m, const char *what)
{
	if (ps->err)
		cw_buf_printf(ps->err, "%s:%lu:%lu: %s", ps->name ? ps->name : "<crosswalk>",
		              (unsigned long)m->line + 1, (unsigned long)m->column + 1, what);
	return CW_EFORMAT;
}

static int next(parser *ps)
{
	if (ps->have_ev)
		yaml_event_delete(&ps->ev);
	ps->have_ev = 0;
	if (++ps->events > MAX_EVENTS)
		return fail(ps, &ps->p.mark, "crosswalk table too large");
	if (!yaml_parser_parse(&ps->p, &ps->ev))
		return fail(ps, &ps->p.problem_mark, ps->p.problem ? ps->p.problem : "YAML error");
	ps->have_ev = 1;
	if (ps->ev.type == YAML_ALIAS_EVENT)
		return fail(ps, &ps->ev.start_mark, "YAML aliases are not allowed in crosswalk tables");
	if (ps->ev.type == YAML_SCALAR_EVENT && ps->ev.data.scalar.length > MAX_SCALAR)
		return fail(ps, &ps->ev.start_mark, "value too long");
	return CW_OK;
}

/* Current scalar event as an interned string. */
static const char *scalar(parser *ps)
{
	return intern(ps->t, (const char *)ps->ev.data.scalar.value, ps->ev.data.scalar.length);
}

/* A cell value: a scalar, or a flat sequence of scalars joined with '|'. */
static int cell_value(parser *ps, cell *c)
{
	c->val_at = mark_of(&ps->ev.start_mark);
	if (ps->ev.type == YAML_SCALAR_EVENT) {
		c->val = scalar(ps);
		return c->val ? CW_OK : CW_ENOMEM;
	}
	if (ps->ev.type != YAML_SEQUENCE_START_EVENT)
		return fail(ps, &ps->ev.start_mark, "a cell must be a string or a list of strings");
	cw_buf b = CW_BUF_INIT, at = CW_BUF_INIT;
	int rc;
	while ((rc = next(ps)) == CW_OK && ps->ev.type == YAML_SCALAR_EVENT) {
		if (b.len)
			cw_buf_putc(&b, '|');
		cw_buf_append(&b, (const char *)ps->ev.data.scalar.value, ps->ev.data.scalar.length);
		cw__mark m = mark_of(&ps->ev.start_mark);
		cw_buf_append(&at, (const char *)&m, sizeof m);
	}
	if (rc == CW_OK && ps->ev.type != YAML_SEQUENCE_END_EVENT)
		rc = fail(ps, &ps->ev.start_mark, "a list in a cell may hold only strings");
	if (rc == CW_OK) {
		c->val = intern(ps->t, cw_buf_str(&b), b.len);
		c->nitems = (uint32_t)(at.len / sizeof(cw__mark));
		cw__mark *marks = cw__arena_alloc(&ps->t->arena, at.len ? at.len : 1);
		if (marks && at.len)
			memcpy(marks, at.data, at.len);
		c->item_at = marks;
		if (!c->val || !marks)
			rc = CW_ENOMEM;
	}
	cw_buf_free(&b);
	cw_buf_free(&at);
	return rc;
}

static int parse_row(parser *ps, section *sec)
{
	cell cells[MAX_CELLS];
	size_t n = 0;
	cw__mark at = mark_of(&ps->ev.start_mark);
	int rc;
	while ((rc = next(ps)) == CW_OK && ps->ev.type != YAML_MAPPING_END_EVENT) {
		if (ps->ev.type != YAML_SCALAR_EVENT)
			return fail(ps, &ps->ev.start_mark, "a row's keys must be strings");
		if (n == MAX_CELLS)
			return fail(ps, &ps->ev.start_mark, "too many cells in one row");
		memset(&cells[n], 0, sizeof cells[n]);
		cells[n].col = scalar(ps);
		cells[n].col_at = mark_of(&ps->ev.start_mark);
		if (!cells[n].col)
			return CW_ENOMEM;
		if ((rc = next(ps)) || (rc = cell_value(ps, &cells[n])))
			return rc;
		n++;
	}
	return rc ? rc : row_add(ps->t, sec, cells, n, at);
}

static int parse_section(parser *ps, section *sec)
{
	int rc;
	while ((rc = next(ps)) == CW_OK && ps->ev.type != YAML_SEQUENCE_END_EVENT) {
		if (ps->ev.type != YAML_MAPPING_START_EVENT)
			return fail(ps, &ps->ev.start_mark, "each row of a section must be a mapping");
		if ((rc = parse_row(ps, sec)))
			return rc;
	}
	return rc;
}

static int parse_doc(parser *ps)
{
	int rc;
	if ((rc = next(ps)) || ps->ev.type != YAML_STREAM_START_EVENT)
		return rc ? rc : fail(ps, &ps->ev.start_mark, "not a YAML stream");
	if ((rc = next(ps)))
		return rc;
	if (ps->ev.type == YAML_STREAM_END_EVENT)
		return CW_OK; /* empty table */
	if (ps->ev.type != YAML_DOCUMENT_START_EVENT)
		return fail(ps, &ps->ev.start_mark, "expected a document");
	if ((rc = next(ps)))
		return rc;
	if (ps->ev.type != YAML_MAPPING_START_EVENT)
		return fail(ps, &ps->ev.start_mark, "a crosswalk table is a mapping at the top");
	while ((rc = next(ps)) == CW_OK && ps->ev.type != YAML_MAPPING_END_EVENT) {
		if (ps->ev.type != YAML_SCALAR_EVENT)
			return fail(ps, &ps->ev.start_mark, "top-level keys must be strings");
		const char *key = scalar(ps);
		cw__mark key_at = mark_of(&ps->ev.start_mark);
		if (!key)
			return CW_ENOMEM;
		if ((rc = next(ps)))
			return rc;
		if (ps->ev.type == YAML_SCALAR_EVENT) {
			cell *m = grow(ps->t->meta, &ps->t->capmeta, ps->t->nmeta, sizeof *m);
			if (!m)
				return CW_ENOMEM;
			ps->t->meta = m;
			m += ps->t->nmeta;
			memset(m, 0, sizeof *m);
			m->col = key;
			m->col_at = key_at;
			m->val = scalar(ps);
			m->val_at = mark_of(&ps->ev.start_mark);
			if (!m->val)
				return CW_ENOMEM;
			ps->t->nmeta++;
		} else if (ps->ev.type == YAML_SEQUENCE_START_EVENT) {
			section *sec = section_get(ps->t, key, 1);
			if (!sec)
				return CW_ENOMEM;
			if (!sec->at.line)
				sec->at = key_at;
			if ((rc = parse_section(ps, sec)))
				return rc;
		} else {
			return fail(ps, &ps->ev.start_mark,
			            "a top-level value must be a string or a list of rows");
		}
	}
	if (rc)
		return rc;
	if ((rc = next(ps)))
		return rc;
	if (ps->ev.type != YAML_DOCUMENT_END_EVENT)
		return fail(ps, &ps->ev.start_mark, "expected the end of the document");
	if ((rc = next(ps)))
		return rc;
	if (ps->ev.type != YAML_STREAM_END_EVENT)
		return fail(ps, &ps->ev.start_mark, "only one YAML document is allowed");
	return CW_OK;
}

int cw_xwalk_parse(cw_xwalk **out, const char *yaml, size_t len, const char *name, cw_buf *err)
{
	if (!out || !yaml)
		return CW_EINVAL;
	*out = NULL;
	if (len == CW_NUL)
		len = strlen(yaml);
	cw_xwalk *t = calloc(1, sizeof *t);
	if (!t)
		return CW_ENOMEM;
	if (name && !(t->name = intern(t, name, strlen(name)))) {
		cw_xwalk_free(t);
		return CW_ENOMEM;
	}
	parser ps = {.t = t, .name = name, .err = err};
	if (!yaml_parser_initialize(&ps.p)) {
		cw_xwalk_free(t);
		return CW_ENOMEM;
	}
	yaml_parser_set_input_string(&ps.p, (const unsigned char *)yaml, len);
	int rc = parse_doc(&ps);
	if (ps.have_ev)
		yaml_event_delete(&ps.ev);
	yaml_parser_delete(&ps.p);
	if (rc) {
		cw_xwalk_free(t);
		return rc;
	}
	*out = t;
	return CW_OK;
}

void cw_xwalk_free(cw_xwalk *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nsec; i++)
		free(t->secs[i].rows);
	free(t->secs);
	free(t->meta);
	cw__arena_free(&t->arena);
	free(t);
}

const cw__cell *cw__xwalk_meta_cell(const cw_xwalk *t, const char *key)
{
	for (size_t i = 0; t && key && i < t->nmeta; i++)
		if (strcmp(t->meta[i].col, key) == 0)
			return &t->meta[i];
	return NULL;
}

const char *cw_xwalk_meta(const cw_xwalk *t, const char *key)
{
	const cw__cell *c = cw__xwalk_meta_cell(t, key);
	return c ? c->val : NULL;
}

static const section *find_section(const cw_xwalk *t, const char *name)
{
	for (size_t i = 0; t && name && i < t->nsec; i++)
		if (strcmp(t->secs[i].name, name) == 0)
			return &t->secs[i];
	return NULL;
}

size_t cw_xwalk_row_count(const cw_xwalk *t, const char *name)
{
	const section *s = find_section(t, name);
	return s ? s->n : 0;
}

static const char *row_cell(const row *r, const char *column)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->cells[i].col, column) == 0)
			return r->cells[i].val;
	return NULL;
}

const char *cw_xwalk_cell(const cw_xwalk *t, const char *name, size_t i, const char *column)
{
	const section *s = find_section(t, name);
	if (!s || i >= s->n || !column)
		return NULL;
	return row_cell(&s->rows[i], column);
}

const char *cw_xwalk_lookup(const cw_xwalk *t, const char *name, const char *key_col,
                            const char *key, const char *val_col, int nocase)
{
	const section *s = find_section(t, name);
	if (!s || !key_col || !key || !val_col)
		return NULL;
	for (size_t i = 0; i < s->n; i++) {
		const char *k = row_cell(&s->rows[i], key_col);
		if (k && (nocase ? cw__ascii_casecmp(k, key) : strcmp(k, key)) == 0) {
			const char *v = row_cell(&s->rows[i], val_col);
			if (v)
				return v;
		}
	}
	return NULL;
}

static int copy_rows(cw_xwalk *t, const cw_xwalk *src)
{
	for (size_t i = 0; i < src->nsec; i++) {
		section *sec = section_get(t, src->secs[i].name, 1);
		if (!sec)
			return CW_ENOMEM;
		for (size_t r = 0; r < src->secs[i].n; r++) {
			const row *from = &src->secs[i].rows[r];
			cell cells[MAX_CELLS];
			for (size_t c = 0; c < from->n; c++) {
				cells[c] = from->cells[c];
				cells[c].nitems = 0; /* the marks stay with src */
				cells[c].item_at = NULL;
				cells[c].col = intern(t, from->cells[c].col, strlen(from->cells[c].col));
				cells[c].val = intern(t, from->cells[c].val, strlen(from->cells[c].val));
				if (!cells[c].col || !cells[c].val)
					return CW_ENOMEM;
			}
			int rc = row_add(t, sec, cells, from->n, from->at);
			if (rc)
				return rc;
		}
	}
	return CW_OK;
}

int cw__xwalk_merge(cw_xwalk **out, const cw_xwalk *over, const cw_xwalk *base)
{
	*out = NULL;
	cw_xwalk *t = calloc(1, sizeof *t);
	if (!t)
		return CW_ENOMEM;
	int rc = CW_OK;
	const cw_xwalk *order[2] = {over, base};
	for (int k = 0; k < 2 && rc == CW_OK; k++) {
		for (size_t i = 0; i < order[k]->nmeta && rc == CW_OK; i++) {
			if (cw_xwalk_meta(t, order[k]->meta[i].col))
				continue;
			cell *m = grow(t->meta, &t->capmeta, t->nmeta, sizeof *m);
			if (!m) {
				rc = CW_ENOMEM;
				break;
			}
			t->meta = m;
			m[t->nmeta] = order[k]->meta[i];
			m[t->nmeta].col = intern(t, order[k]->meta[i].col, strlen(order[k]->meta[i].col));
			m[t->nmeta].val = intern(t, order[k]->meta[i].val, strlen(order[k]->meta[i].val));
			t->nmeta++;
		}
		if (rc == CW_OK)
			rc = copy_rows(t, order[k]);
	}
	if (rc) {
		cw_xwalk_free(t);
		return rc;
	}
	*out = t;
	return CW_OK;
}
