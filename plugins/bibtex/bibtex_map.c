/*
 * The mapping tables: formats/bibtex.yaml (plus --crosswalk overrides) turned
 * into arrays and hash lookups once per session.
 */
#include <stdlib.h>
#include <string.h>

#include "bibtex.h"

static const struct {
	const char *name;
	enum bibtex_conv conv;
} conv_names[] = {
    {"text", BIBTEX_CONV_TEXT},         {"rich", BIBTEX_CONV_RICH},
    {"verbatim", BIBTEX_CONV_VERBATIM}, {"names", BIBTEX_CONV_NAMES},
    {"date", BIBTEX_CONV_DATE},         {"year", BIBTEX_CONV_YEAR},
    {"month", BIBTEX_CONV_MONTH},       {"day", BIBTEX_CONV_DAY},
    {"pages", BIBTEX_CONV_PAGES},       {"number", BIBTEX_CONV_NUMBER},
    {"doi", BIBTEX_CONV_DOI},           {"isbn", BIBTEX_CONV_ISBN},
    {"issn", BIBTEX_CONV_ISSN},         {"eprint", BIBTEX_CONV_EPRINT},
    {"list", BIBTEX_CONV_LIST},
};

static uint32_t hash_name(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

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

static unsigned parse_dir(const char *v)
{
	if (!v || strcmp(v, "both") == 0)
		return BIBTEX_IN | BIBTEX_OUT;
	if (strcmp(v, "in") == 0)
		return BIBTEX_IN;
	if (strcmp(v, "out") == 0)
		return BIBTEX_OUT;
	return 0;
}

static unsigned parse_dialect(const char *v)
{
	if (!v || strcmp(v, "both") == 0)
		return BIBTEX_DIALECT_BIBTEX | BIBTEX_DIALECT_BIBLATEX;
	if (strcmp(v, "bibtex") == 0)
		return BIBTEX_DIALECT_BIBTEX;
	if (strcmp(v, "biblatex") == 0)
		return BIBTEX_DIALECT_BIBLATEX;
	return 0;
}

/* The slot of tab holding name (rows keyed by key), or the empty slot where it goes. */
static uint32_t *hash_slot(uint32_t *tab, size_t size, const char *name,
                           const char *(*key)(const bibtex_map *, uint32_t), const bibtex_map *m)
{
	size_t mask = size - 1;
	size_t i = hash_name(name, strlen(name)) & mask;
	while (tab[i] && strcmp(key(m, tab[i] - 1), name) != 0)
		i = (i + 1) & mask;
	return &tab[i];
}

static void hash_insert(uint32_t *tab, size_t size, const char *name, uint32_t idx,
                        const char *(*key)(const bibtex_map *, uint32_t), const bibtex_map *m)
{
	uint32_t *slot = hash_slot(tab, size, name, key, m);
	if (!*slot)
		*slot = idx + 1; /* else an earlier row wins */
}

static const char *field_key(const bibtex_map *m, uint32_t i)
{
	return m->fields[i].bib;
}

static const char *type_key(const bibtex_map *m, uint32_t i)
{
	return m->types[i].bib;
}

static const char *inherit_key(const bibtex_map *m, uint32_t i)
{
	return m->inherit[i].from;
}

/* The first writing row for t in dialect: what bibtex_map_type_out returns. */
static const char *type_out_scan(const bibtex_map *m, enum cw_item_type t, unsigned dialect)
{
	for (size_t i = 0; i < m->ntypes; i++) {
		const bibtex_type_row *r = &m->types[i];
		if ((r->dir & BIBTEX_OUT) && (r->dialect & dialect) && (r->any || r->csl == t))
			return r->bib;
	}
	return "misc";
}

int bibtex_map_load(bibtex_map *m, cw_session *s)
{
	memset(m, 0, sizeof *m);
	const cw_xwalk *t = NULL;
	int rc = cw_session_crosswalk(s, bibtex_bibtex_yaml, bibtex_bibtex_yaml_len, &t);
	if (rc)
		return rc;
	size_t nf = cw_xwalk_row_count(t, "fields"), nt = cw_xwalk_row_count(t, "types"),
	       ni = cw_xwalk_row_count(t, "inherit");
	m->fields = calloc(nf ? nf : 1, sizeof *m->fields);
	m->types = calloc(nt ? nt : 1, sizeof *m->types);
	m->inherit = calloc(ni ? ni : 1, sizeof *m->inherit);
	m->hash_size = 64;
	while (m->hash_size < 2 * (nf + nt + 1))
		m->hash_size *= 2;
	m->field_hash = calloc(m->hash_size, sizeof *m->field_hash);
	m->type_hash = calloc(m->hash_size, sizeof *m->type_hash);
	if (!m->fields || !m->types || !m->inherit || !m->field_hash || !m->type_hash)
		return CW_ENOMEM;
	for (size_t i = 0; i < nf; i++) {
		const char *bib = cw_xwalk_cell(t, "fields", i, "bibtex");
		const char *fld = cw_xwalk_cell(t, "fields", i, "field");
		const char *conv = cw_xwalk_cell(t, "fields", i, "conv");
		enum cw_field f = fld ? cw_field_from_name(fld, CW_NUL) : CW_FIELD_NONE;
		bibtex_field_row *r = &m->fields[m->nfields];
		if (!bib || f == CW_FIELD_NONE) {
			cw_diag_emit(
			    s, CW_SEV_WARNING, CW_EINVAL, 0, 0,
			    "crosswalk table: fields row %zu ignored (bibtex or field missing "
			    "or unknown)",
			    i + 1);
			continue;
		}
		r->bib = bib;
		r->bib_len = strlen(bib);
		r->field = f;
		r->conv = BIBTEX_CONV_TEXT;
		if (conv) {
			size_t k = 0;
			while (k < sizeof conv_names / sizeof conv_names[0] &&
			       strcmp(conv_names[k].name, conv) != 0)
				k++;
			if (k < sizeof conv_names / sizeof conv_names[0])
				r->conv = conv_names[k].conv;
			else
				cw_diag_emit(s, CW_SEV_WARNING, CW_EINVAL, 0, 0,
				             "crosswalk table: unknown conv '%s' for %s", conv,
				             bib);
		} else if (cw_field_kind(f) == CW_KIND_RICH) {
			r->conv = BIBTEX_CONV_RICH;
		}
		r->dir = parse_dir(cw_xwalk_cell(t, "fields", i, "dir"));
		r->dialect = parse_dialect(cw_xwalk_cell(t, "fields", i, "dialect"));
		r->types = cw_xwalk_cell(t, "fields", i, "types");
		const char *bs = cw_xwalk_cell(t, "fields", i, "bibstring");
		r->bibstring = bs && strcmp(bs, "yes") == 0;
		r->role = cw_xwalk_cell(t, "fields", i, "role");
		if (r->role && r->conv != BIBTEX_CONV_NAMES) {
			cw_diag_emit(s, CW_SEV_WARNING, CW_EINVAL, 0, 0,
			             "crosswalk table: fields row %zu: role without conv names",
			             i + 1);
			r->role = NULL;
		}
		m->nfields++;
	}
	for (size_t i = 0; i < nt; i++) {
		const char *bib = cw_xwalk_cell(t, "types", i, "bibtex");
		const char *csl = cw_xwalk_cell(t, "types", i, "csl");
		bibtex_type_row *r = &m->types[m->ntypes];
		if (!bib || !csl)
			continue;
		r->bib = bib;
		r->bib_len = strlen(bib);
		r->any = strcmp(csl, "*") == 0;
		r->csl = r->any ? CW_TYPE_UNSET : cw_item_type_from_name(csl, CW_NUL);
		if (!r->any && r->csl == CW_TYPE_UNSET) {
			cw_diag_emit(s, CW_SEV_WARNING, CW_EINVAL, 0, 0,
			             "crosswalk table: types row %zu: unknown CSL type '%s'", i + 1,
			             csl);
			continue;
		}
		r->dir = parse_dir(cw_xwalk_cell(t, "types", i, "dir"));
		r->dialect = parse_dialect(cw_xwalk_cell(t, "types", i, "dialect"));
		m->ntypes++;
	}
	for (size_t i = 0; i < ni; i++) {
		bibtex_inherit_row *r = &m->inherit[m->ninherit];
		r->parents = cw_xwalk_cell(t, "inherit", i, "parents");
		r->children = cw_xwalk_cell(t, "inherit", i, "children");
		r->from = cw_xwalk_cell(t, "inherit", i, "from");
		r->to = cw_xwalk_cell(t, "inherit", i, "to");
		if (r->parents && r->children && r->from && r->to) {
			r->star = strcmp(r->parents, "*") == 0 && strcmp(r->children, "*") == 0;
			r->next = -1;
			m->ninherit++;
		}
	}
	for (int k = 0; k < CW_TYPE_COUNT_; k++) {
		m->type_out[k][0] = type_out_scan(m, (enum cw_item_type)k, BIBTEX_DIALECT_BIBTEX);
		m->type_out[k][1] = type_out_scan(m, (enum cw_item_type)k, BIBTEX_DIALECT_BIBLATEX);
	}
	m->inherit_hash_size = 64;
	while (m->inherit_hash_size < 2 * (m->ninherit + 1))
		m->inherit_hash_size *= 2;
	m->inherit_hash = calloc(m->inherit_hash_size, sizeof *m->inherit_hash);
	if (!m->inherit_hash)
		return CW_ENOMEM;
	/* backwards, so that each chain lists its rows in table order */
	for (size_t i = m->ninherit; i-- > 0;) {
		uint32_t *slot = hash_slot(m->inherit_hash, m->inherit_hash_size,
		                           m->inherit[i].from, inherit_key, m);
		m->inherit[i].next = *slot ? (int)*slot - 1 : -1;
		*slot = (uint32_t)i + 1;
	}
	for (size_t i = 0; i < m->nfields; i++)
		if (m->fields[i].dir & BIBTEX_IN)
			hash_insert(m->field_hash, m->hash_size, m->fields[i].bib, (uint32_t)i,
			            field_key, m);
	m->out_next = calloc(m->nfields ? m->nfields : 1, sizeof *m->out_next);
	if (!m->out_next)
		return CW_ENOMEM;
	for (size_t i = m->nfields; i-- > 0;) {
		const bibtex_field_row *r = &m->fields[i];
		if (!(r->dir & BIBTEX_OUT) || (int)r->field <= 0 ||
		    (int)r->field >= CW_FIELD_COUNT_)
			continue;
		m->out_next[i] = m->out_first[r->field];
		m->out_first[r->field] = (uint32_t)i + 1;
	}
	for (size_t i = 0; i < m->ntypes; i++)
		if (m->types[i].dir & BIBTEX_IN)
			hash_insert(m->type_hash, m->hash_size, m->types[i].bib, (uint32_t)i,
			            type_key, m);
	return CW_OK;
}

void bibtex_map_free(bibtex_map *m)
{
	free(m->fields);
	free(m->types);
	free(m->inherit);
	free(m->field_hash);
	free(m->type_hash);
	free(m->inherit_hash);
	free(m->out_next);
	memset(m, 0, sizeof *m);
}

int bibtex_map_field_in(const bibtex_map *m, const char *name, size_t len)
{
	if (!m->field_hash)
		return -1;
	size_t mask = m->hash_size - 1;
	for (size_t i = hash_name(name, len) & mask; m->field_hash[i]; i = (i + 1) & mask) {
		const bibtex_field_row *r = &m->fields[m->field_hash[i] - 1];
		if (r->bib_len == len && memcmp(r->bib, name, len) == 0)
			return (int)(m->field_hash[i] - 1);
	}
	return -1;
}

const bibtex_field_row *bibtex_map_role_in(const bibtex_map *m, const char *base, const char *word,
                                           size_t len)
{
	for (size_t i = 0; i < m->nfields; i++) {
		const bibtex_field_row *r = &m->fields[i];
		if (!r->role || !(r->dir & BIBTEX_IN) || strcmp(r->bib, base) != 0)
			continue;
		for (const char *p = r->role; *p;) {
			const char *e = strchr(p, '|');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			if (n == len && memcmp(p, word, n) == 0)
				return r;
			if (!e)
				break;
			p = e + 1;
		}
	}
	return NULL;
}

int bibtex_map_inherit_first(const bibtex_map *m, const char *name, size_t len)
{
	if (!m->inherit_hash)
		return -1;
	size_t mask = m->inherit_hash_size - 1;
	for (size_t i = hash_name(name, len) & mask; m->inherit_hash[i]; i = (i + 1) & mask) {
		const char *from = m->inherit[m->inherit_hash[i] - 1].from;
		if (strncmp(from, name, len) == 0 && from[len] == '\0')
			return (int)(m->inherit_hash[i] - 1);
	}
	return -1;
}

const bibtex_type_row *bibtex_map_type_in(const bibtex_map *m, const char *name, size_t len)
{
	if (!m->type_hash)
		return NULL;
	size_t mask = m->hash_size - 1;
	for (size_t i = hash_name(name, len) & mask; m->type_hash[i]; i = (i + 1) & mask) {
		const bibtex_type_row *r = &m->types[m->type_hash[i] - 1];
		if (r->bib_len == len && memcmp(r->bib, name, len) == 0)
			return r;
	}
	return NULL;
}

const char *bibtex_map_type_out(const bibtex_map *m, enum cw_item_type t, unsigned dialect)
{
	if ((unsigned)t < CW_TYPE_COUNT_ && dialect == BIBTEX_DIALECT_BIBTEX)
		return m->type_out[t][0];
	if ((unsigned)t < CW_TYPE_COUNT_ && dialect == BIBTEX_DIALECT_BIBLATEX)
		return m->type_out[t][1];
	return type_out_scan(m, t, dialect);
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
	if (t == CW_TYPE_CHAPTER)
		return cw_record_has(rec, CW_FIELD_EDITOR) ||
		               cw_record_has(rec, CW_FIELD_CONTAINER_TITLE)
		           ? "incollection"
		           : "inbook";
	if (t == CW_TYPE_THESIS) {
		if (dialect == BIBTEX_DIALECT_BIBLATEX)
			return "thesis";
		const char *g = cw_record_text(rec, CW_FIELD_GENRE);
		for (const char *p = g; p && *p; p++)
			if ((p[0] == 'm' || p[0] == 'M') && strncmp(p + 1, "aster", 5) == 0)
				return "mastersthesis";
		return "phdthesis";
	}
	return bibtex_map_type_out(m, t, dialect);
}
