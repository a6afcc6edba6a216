/*
 * The mapping tables: formats/bibtex.yaml (plus --crosswalk overrides),
 * checked by the core against the schema declared here, turned into row
 * arrays once per session; lookups by name go through the table's indexes.
 */
#include <stdlib.h>
#include <string.h>

#include "bibtex.h"

/* Sections and columns, in schema order. */
enum { SEC_TYPES, SEC_FIELDS, SEC_INHERIT, SEC_TYPE_SETS };
enum { TY_BIBTEX, TY_CSL, TY_DIR, TY_DIALECT, TY_HAS, TY_GENRE };
enum { FL_BIBTEX, FL_FIELD, FL_CONV, FL_ROLE, FL_DIALECT, FL_DIR, FL_TYPES, FL_BIBSTRING };
enum { IN_PARENTS, IN_CHILDREN, IN_FROM, IN_TO };
enum { SET_SET, SET_TYPES };
/* the words of the dir and dialect columns, and their bits */
static const unsigned dir_bits[] = {BIBTEX_IN, BIBTEX_OUT, BIBTEX_IN | BIBTEX_OUT};
static const unsigned dialect_bits[] = {BIBTEX_DIALECT_BIBTEX, BIBTEX_DIALECT_BIBLATEX,
                                        BIBTEX_DIALECT_BIBTEX | BIBTEX_DIALECT_BIBLATEX};
/* the extra words of a types cell: the type-sets, then any @entrytype */
#define TYPES_EXTRA_SETS 2

#define DIR_COLUMN                                                                                 \
	CW_TABLE_COLUMN(.name = "dir", .type = CW_CELL_ENUM, .values = "in|out|both",              \
	                .default_value = "both", .help = "in: read only; out: written only")
#define DIALECT_COLUMN                                                                             \
	CW_TABLE_COLUMN(.name = "dialect", .type = CW_CELL_ENUM, .values = "bibtex|biblatex|both", \
	                .default_value = "both", .help = "the writer that uses the row")

static const cw_table_column type_columns[] = {
    CW_TABLE_COLUMN(.name = "bibtex", .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY,
                    .help = "the entry type (lower case)"),
    CW_TABLE_COLUMN(.name = "csl", .type = CW_CELL_ITEM_TYPE,
                    .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY, .values = "*",
                    .help = "the CSL type (*: every other, on writing)"),
    DIR_COLUMN,
    DIALECT_COLUMN,
    CW_TABLE_COLUMN(.name = "has", .type = CW_CELL_FIELD, .flags = CW_COLUMN_LIST,
                    .help = "writing: only for a record with one of these fields"),
    CW_TABLE_COLUMN(.name = "genre",
                    .help = "writing: only for a record whose genre holds this word"),
    {0},
};

static const cw_table_column field_columns[] = {
    CW_TABLE_COLUMN(.name = "bibtex", .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY,
                    .help = "the field name (lower case)"),
    CW_TABLE_COLUMN(.name = "field", .type = CW_CELL_FIELD,
                    .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY, .help = "the canonical field"),
    CW_TABLE_COLUMN(.name = "conv", .type = CW_CELL_ENUM,
                    .values = "text|rich|verbatim|names|date|year|month|day|pages|number|doi|"
                              "isbn|issn|eprint|list",
                    .help = "how the value is converted (default: rich for a rich field, "
                            "else text)"),
    CW_TABLE_COLUMN(.name = "role", .flags = CW_COLUMN_LIST,
                    .help = "names rows: the biblatex role words (editortype)"),
    DIALECT_COLUMN,
    DIR_COLUMN,
    CW_TABLE_COLUMN(.name = "types", .type = CW_CELL_ITEM_TYPE, .flags = CW_COLUMN_LIST,
                    .values = "articles|numbered|@*",
                    .help = "writing: only for these CSL types, type-sets or @entrytypes"),
    CW_TABLE_COLUMN(.name = "bibstring", .type = CW_CELL_BOOL, .default_value = "no",
                    .help = "a biblatex localisation key is read as its words"),
    {0},
};

static const cw_table_column inherit_columns[] = {
    CW_TABLE_COLUMN(.name = "parents", .flags = CW_COLUMN_REQUIRED | CW_COLUMN_LIST,
                    .help = "entry types of the parent (*: any)"),
    CW_TABLE_COLUMN(.name = "children", .flags = CW_COLUMN_REQUIRED | CW_COLUMN_LIST,
                    .help = "entry types of the child (*: any)"),
    CW_TABLE_COLUMN(.name = "from", .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY,
                    .help = "the parent's field"),
    CW_TABLE_COLUMN(.name = "to", .flags = CW_COLUMN_REQUIRED,
                    .help = "the child's field (-: not inherited)"),
    {0},
};

static const cw_table_column type_set_columns[] = {
    CW_TABLE_COLUMN(.name = "set", .type = CW_CELL_ENUM,
                    .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY, .values = "articles|numbered",
                    .help = "the set (a types cell of fields may name it)"),
    CW_TABLE_COLUMN(.name = "types", .type = CW_CELL_ITEM_TYPE,
                    .flags = CW_COLUMN_REQUIRED | CW_COLUMN_LIST, .help = "its CSL types"),
    {0},
};

static const cw_table_section sections[] = {
    CW_TABLE_SECTION(.name = "types", .columns = type_columns),
    CW_TABLE_SECTION(.name = "fields", .columns = field_columns),
    CW_TABLE_SECTION(.name = "inherit", .columns = inherit_columns),
    CW_TABLE_SECTION(.name = "type-sets", .columns = type_set_columns),
    {0},
};

const cw_table_schema bibtex_table_schema = CW_TABLE_SCHEMA(
    .name = "bibtex",
    .yaml = bibtex_bibtex_yaml,
    .yaml_len = CW_NUL,
    .yaml_name = "formats/bibtex.yaml",
    .sections = sections);

int bibtex_list_has(const char *list, const char *word, size_t len)
{
	if (!list || strcmp(list, "*") == 0)
		return 1;
	const char *p = list;
	while (*p) {
		const char *e = strchr(p, '|');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == len && memcmp(p, word, len) == 0)
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

/* The CSL types of a types cell (a set's or a fields row's): types and type-sets. */
static uint64_t type_mask(const bibtex_map *m, const cw_table_cell *c)
{
	uint64_t mask = 0;
	for (uint32_t i = 0; i < c->count; i++) {
		int32_t v = c->items[i];
		if (v > 0 && v < 64)
			mask |= (uint64_t)1 << v;
		else if (v < 0 && v > CW_CELL_EXTRA(TYPES_EXTRA_SETS))
			mask |= m->sets[CW_CELL_EXTRA(0) - v];
	}
	return mask;
}

/* The type-sets: the first row of each set wins (an override replaces a set). */
static void load_sets(bibtex_map *m)
{
	int seen[BIBTEX_SET_COUNT_] = {0};
	size_t n = cw_table_row_count(m->t, SEC_TYPE_SETS);
	for (size_t i = 0; i < n; i++) {
		const cw_table_cell *c = cw_table_row_at(m->t, SEC_TYPE_SETS, i)->cells;
		int32_t set = c[SET_SET].value;
		if (set < 0 || set >= BIBTEX_SET_COUNT_ || seen[set])
			continue;
		seen[set] = 1;
		m->sets[set] = type_mask(m, &c[SET_TYPES]);
	}
}

/*
 * A memo of names looked up: a file names the same few fields and types in
 * every entry, and a memo slot costs a compare where the table costs a hash
 * of the name and a probe. One slot per hash of the name; a new name takes
 * its slot over. Names of 23 bytes or more are not kept.
 */
typedef struct memo_slot {
	char name[23];
	uint8_t len; /* 0: empty */
	int row;
} memo_slot;
enum { MEMO_SLOTS = 64 };
struct bibtex_memo {
	memo_slot field_in[MEMO_SLOTS], type_in[MEMO_SLOTS], inherit[MEMO_SLOTS];
};

/* The slot of name in memo, or NULL when a name of that length is not kept. */
static memo_slot *memo_at(memo_slot *memo, const char *name, size_t n)
{
	if (n == 0 || n >= sizeof memo->name)
		return NULL;
	return &memo[(n * 31u + (unsigned char)name[0] * 7u + (unsigned char)name[n - 1]) &
	             (MEMO_SLOTS - 1)];
}

/* 1 with *row when slot holds name. */
static int memo_has(const memo_slot *slot, const char *name, size_t n, int *row)
{
	if (!slot || slot->len != n || memcmp(slot->name, name, n) != 0)
		return 0;
	*row = slot->row;
	return 1;
}

static int memo_keep(memo_slot *slot, const char *name, size_t n, int row)
{
	if (slot) {
		memcpy(slot->name, name, n);
		slot->len = (uint8_t)n;
		slot->row = row;
	}
	return row;
}

static int load_fields(bibtex_map *m, cw_session *s)
{
	size_t n = cw_table_row_count(m->t, SEC_FIELDS);
	m->fields = calloc(n ? n : 1, sizeof *m->fields);
	m->out_next = calloc(n ? n : 1, sizeof *m->out_next);
	if (!m->fields || !m->out_next)
		return CW_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const cw_table_row *row = cw_table_row_at(m->t, SEC_FIELDS, i);
		const cw_table_cell *c = row->cells;
		bibtex_field_row *r = &m->fields[m->nfields++];
		r->bib = c[FL_BIBTEX].text;
		r->bib_len = strlen(r->bib);
		r->field = (enum cw_field)c[FL_FIELD].value;
		if (c[FL_CONV].text)
			r->conv = (enum bibtex_conv)c[FL_CONV].value;
		else
			r->conv = cw_field_kind(r->field) == CW_KIND_RICH ? BIBTEX_CONV_RICH
			                                                  : BIBTEX_CONV_TEXT;
		r->dir = dir_bits[c[FL_DIR].value];
		r->dialect = dialect_bits[c[FL_DIALECT].value];
		r->types = c[FL_TYPES].text;
		r->type_mask = r->types ? type_mask(m, &c[FL_TYPES]) : ~(uint64_t)0;
		r->by_entry_type = r->types && strchr(r->types, '@') != NULL;
		r->bibstring = c[FL_BIBSTRING].value;
		r->role = c[FL_ROLE].text;
		if (r->role && r->conv != BIBTEX_CONV_NAMES)
			return cw_diag_emit(s, CW_SEV_ERROR, CW_EFORMAT, 0, 0,
			                    "%s:%u: fields row of %s: a role needs conv: names",
			                    row->file, row->line, r->bib);
	}
	/* the writing rows of each field, in table order */
	for (size_t i = m->nfields; i-- > 0;) {
		const bibtex_field_row *r = &m->fields[i];
		if (!(r->dir & BIBTEX_OUT) || (int)r->field <= 0 ||
		    (int)r->field >= CW_FIELD_COUNT_)
			continue;
		m->out_next[i] = m->out_first[r->field];
		m->out_first[r->field] = (uint32_t)i + 1;
	}
	return CW_OK;
}

static int load_types(bibtex_map *m)
{
	size_t n = cw_table_row_count(m->t, SEC_TYPES);
	m->types = calloc(n ? n : 1, sizeof *m->types);
	if (!m->types)
		return CW_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const cw_table_cell *c = cw_table_row_at(m->t, SEC_TYPES, i)->cells;
		bibtex_type_row *r = &m->types[m->ntypes++];
		r->bib = c[TY_BIBTEX].text;
		r->bib_len = strlen(r->bib);
		r->any = c[TY_CSL].value == CW_CELL_EXTRA(0);
		r->csl = r->any ? CW_TYPE_UNSET : (enum cw_item_type)c[TY_CSL].value;
		r->dir = dir_bits[c[TY_DIR].value];
		r->dialect = dialect_bits[c[TY_DIALECT].value];
		r->has = c[TY_HAS].items;
		r->nhas = c[TY_HAS].count;
		r->genre = c[TY_GENRE].text;
	}
	for (size_t i = m->ntypes; i-- > 0;) {
		const bibtex_type_row *r = &m->types[i];
		if (r->any)
			m->type_any = (uint32_t)i + 1;
		else if ((int)r->csl > 0 && (int)r->csl < CW_TYPE_COUNT_)
			m->type_first[r->csl] = (uint32_t)i + 1;
	}
	return CW_OK;
}

static int load_inherit(bibtex_map *m)
{
	size_t n = cw_table_row_count(m->t, SEC_INHERIT);
	m->inherit = calloc(n ? n : 1, sizeof *m->inherit);
	if (!m->inherit)
		return CW_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const cw_table_cell *c = cw_table_row_at(m->t, SEC_INHERIT, i)->cells;
		bibtex_inherit_row *r = &m->inherit[m->ninherit++];
		r->parents = c[IN_PARENTS].text;
		r->children = c[IN_CHILDREN].text;
		r->from = c[IN_FROM].text;
		r->to = c[IN_TO].text;
		r->star = strcmp(r->parents, "*") == 0 && strcmp(r->children, "*") == 0;
		size_t next = cw_table_find_next(m->t, SEC_INHERIT, IN_FROM, i);
		r->next = next == CW_TABLE_NONE ? -1 : (int)next;
	}
	return CW_OK;
}

int bibtex_map_load(bibtex_map *m, cw_session *s)
{
	memset(m, 0, sizeof *m);
	int rc = cw_session_table(s, &bibtex_table_schema, &m->t);
	if (rc)
		return rc;
	m->memo = calloc(1, sizeof *m->memo);
	if (!m->memo)
		return CW_ENOMEM;
	load_sets(m);
	rc = load_fields(m, s);
	if (rc == CW_OK)
		rc = load_types(m);
	if (rc == CW_OK)
		rc = load_inherit(m);
	return rc;
}

void bibtex_map_free(bibtex_map *m)
{
	free(m->fields);
	free(m->types);
	free(m->inherit);
	free(m->out_next);
	free(m->memo);
	memset(m, 0, sizeof *m);
}

int bibtex_map_in_set(const bibtex_map *m, enum bibtex_type_set set, enum cw_item_type t)
{
	return (unsigned)set < BIBTEX_SET_COUNT_ && (int)t > 0 && (int)t < 64 &&
	       (m->sets[set] >> t & 1);
}

int bibtex_map_field_in(const bibtex_map *m, const char *name, size_t len)
{
	memo_slot *slot = memo_at(m->memo->field_in, name, len);
	int row;
	if (memo_has(slot, name, len, &row))
		return row;
	for (size_t i = cw_table_find(m->t, SEC_FIELDS, FL_BIBTEX, name, len); i != CW_TABLE_NONE;
	     i = cw_table_find_next(m->t, SEC_FIELDS, FL_BIBTEX, i))
		if (m->fields[i].dir & BIBTEX_IN)
			return memo_keep(slot, name, len, (int)i);
	return memo_keep(slot, name, len, -1);
}

const bibtex_field_row *bibtex_map_role_in(const bibtex_map *m, const char *base, const char *word,
                                           size_t len)
{
	for (size_t i = cw_table_find(m->t, SEC_FIELDS, FL_BIBTEX, base, CW_NUL);
	     i != CW_TABLE_NONE; i = cw_table_find_next(m->t, SEC_FIELDS, FL_BIBTEX, i)) {
		const bibtex_field_row *r = &m->fields[i];
		if (r->role && (r->dir & BIBTEX_IN) && bibtex_list_has(r->role, word, len))
			return r;
	}
	return NULL;
}

int bibtex_map_inherit_first(const bibtex_map *m, const char *name, size_t len)
{
	memo_slot *slot = memo_at(m->memo->inherit, name, len);
	int row;
	if (memo_has(slot, name, len, &row))
		return row;
	size_t i = cw_table_find(m->t, SEC_INHERIT, IN_FROM, name, len);
	return memo_keep(slot, name, len, i == CW_TABLE_NONE ? -1 : (int)i);
}

const bibtex_type_row *bibtex_map_type_in(const bibtex_map *m, const char *name, size_t len)
{
	memo_slot *slot = memo_at(m->memo->type_in, name, len);
	int row;
	if (!memo_has(slot, name, len, &row)) {
		row = -1;
		for (size_t i = cw_table_find(m->t, SEC_TYPES, TY_BIBTEX, name, len);
		     i != CW_TABLE_NONE; i = cw_table_find_next(m->t, SEC_TYPES, TY_BIBTEX, i))
			if (m->types[i].dir & BIBTEX_IN) {
				row = (int)i;
				break;
			}
		memo_keep(slot, name, len, row);
	}
	return row < 0 ? NULL : &m->types[row];
}

/* 1 if s holds word, ASCII case ignored. */
static int holds_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	for (; s && *s; s++) {
		size_t i = 0;
		while (i < n && s[i] && (s[i] | 0x20) == (word[i] | 0x20))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

/* 1 if writing row r fits rec: its has and genre conditions. */
static int type_row_fits(const bibtex_type_row *r, const cw_record *rec)
{
	if (r->nhas) {
		uint32_t k = 0;
		while (k < r->nhas && !cw_record_has(rec, (enum cw_field)r->has[k]))
			k++;
		if (k == r->nhas)
			return 0;
	}
	return !r->genre || holds_word(cw_record_text(rec, CW_FIELD_GENRE), r->genre);
}

/* The first writing row from row i on (a chain of the csl column) for dialect that fits rec. */
static size_t type_out_row(const bibtex_map *m, size_t i, unsigned dialect, const cw_record *rec)
{
	for (; i != CW_TABLE_NONE; i = cw_table_find_next(m->t, SEC_TYPES, TY_CSL, i)) {
		const bibtex_type_row *r = &m->types[i];
		if ((r->dir & BIBTEX_OUT) && (r->dialect & dialect) && type_row_fits(r, rec))
			return i;
	}
	return CW_TABLE_NONE;
}

int bibtex_classic_type(const char *type)
{
	static const char *const classic[] = {
	    "article",      "book",          "booklet",    "conference",    "inbook",
	    "incollection", "inproceedings", "manual",     "mastersthesis", "misc",
	    "phdthesis",    "proceedings",   "techreport", "unpublished"};
	for (size_t i = 0; i < sizeof classic / sizeof classic[0]; i++)
		if (strcmp(classic[i], type) == 0)
			return 1;
	return 0;
}

const char *bibtex_type_out(const bibtex_map *m, const cw_record *rec, unsigned dialect)
{
	enum cw_item_type t = cw_record_type(rec);
	size_t own = (int)t <= 0 || (int)t >= CW_TYPE_COUNT_
	                 ? CW_TABLE_NONE
	                 : type_out_row(m, (size_t)m->type_first[t] - 1, dialect, rec);
	/* the rows of "*" take every type, in their place among the others */
	size_t any = type_out_row(m, (size_t)m->type_any - 1, dialect, rec);
	size_t i = own < any ? own : any;
	return i == CW_TABLE_NONE ? "misc" : m->types[i].bib;
}
