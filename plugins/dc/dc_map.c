/*
 * Statements <-> record. The reader side recovers structure (names, dates,
 * identifiers, citations, types); the writer side follows PKP's article
 * mapping. A value whose canonical rewrite would differ from what the
 * source said is also kept as passthrough; the DC writers write such a
 * value back verbatim as long as it still says what the record says, so
 * DC -> record -> DC gives the same statements.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dc.h"

/* --- statements --- */

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

int dc_stmts_add(dc_stmts *s, const char *elem, const char *lang, const char *value, size_t len,
                 uint32_t line, uint32_t col)
{
	if (len == CW_NUL)
		len = strlen(value);
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		dc_stmt *v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return CW_ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	dc_stmt *t = &s->v[s->n];
	t->elem = dup_n(elem, strlen(elem));
	t->lang = lang && *lang ? dup_n(lang, strlen(lang)) : NULL;
	t->value = dup_n(value, len);
	t->line = line;
	t->col = col;
	if (!t->elem || !t->value || (lang && *lang && !t->lang)) {
		free(t->elem);
		free(t->lang);
		free(t->value);
		return CW_ENOMEM;
	}
	s->n++;
	return CW_OK;
}

void dc_stmts_clear(dc_stmts *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].elem);
		free(s->v[i].lang);
		free(s->v[i].value);
	}
	s->n = 0;
}

void dc_stmts_free(dc_stmts *s)
{
	dc_stmts_clear(s);
	free(s->v);
	s->v = NULL;
	s->cap = 0;
}

/* --- tables --- */

/* The 15 elements of DCMES, in the order the writers group statements by. */
#define DC_ELEMENTS(X)                                                                             \
	X(title)                                                                                   \
	X(creator) X(subject) X(description) X(publisher) X(contributor) X(date) X(type) X(format) \
	    X(identifier) X(source) X(language) X(relation) X(coverage) X(rights)

static const char *const dc15[] = {
#define DC_NAME_(e) #e,
    DC_ELEMENTS(DC_NAME_)
#undef DC_NAME_
        NULL};

int dc_is_element(const char *term)
{
	for (size_t i = 0; dc15[i]; i++)
		if (strcmp(dc15[i], term) == 0)
			return 1;
	return 0;
}

/* Reader handlers, named in the table's handler column (X(id, name)). */
#define DC_HANDLERS(X)                                                                             \
	X(H_NONE, "none")                                                                          \
	X(H_TITLE, "title")                                                                        \
	X(H_ALTERNATIVE, "alternative")                                                            \
	X(H_CREATOR, "creator")                                                                    \
	X(H_CONTRIBUTOR, "contributor")                                                            \
	X(H_SUBJECT, "subject")                                                                    \
	X(H_DESCRIPTION, "description")                                                            \
	X(H_PUBLISHER, "publisher")                                                                \
	X(H_DATE, "date")                                                                          \
	X(H_ISSUED, "issued")                                                                      \
	X(H_AVAILABLE, "available")                                                                \
	X(H_ACCEPTED, "accepted")                                                                  \
	X(H_SUBMITTED, "submitted")                                                                \
	X(H_COPYRIGHT_YEAR, "copyright-year")                                                      \
	X(H_TYPE, "type")                                                                          \
	X(H_IDENTIFIER, "identifier")                                                              \
	X(H_SOURCE, "source")                                                                      \
	X(H_LANGUAGE, "language")                                                                  \
	X(H_RELATION, "relation")                                                                  \
	X(H_ISPARTOF, "ispartof")                                                                  \
	X(H_RIGHTS, "rights")                                                                      \
	X(H_LICENSE, "license")                                                                    \
	X(H_COPYRIGHT_HOLDER, "copyright-holder")

enum dc_handler {
#define DC_ENUM_(id, name) id,
	DC_HANDLERS(DC_ENUM_)
#undef DC_ENUM_
};

/* "none|title|alternative|...": the handler column's words, index = enum dc_handler */
#define DC_HANDLER_WORD_(id, name) "|" name
#define DC_HANDLER_WORDS (&DC_HANDLERS(DC_HANDLER_WORD_)[1])
/* "-|title|creator|...": the parent column's words, index - 1 = the element's group */
#define DC_PARENT_WORD_(e) "|" #e
#define DC_PARENT_WORDS ("-" DC_ELEMENTS(DC_PARENT_WORD_))

static const cw_table_column element_columns[] = {
    CW_TABLE_COLUMN(.name = "term", .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY | CW_COLUMN_NOCASE,
                    .help = "a DCMI term (its local name)"),
    CW_TABLE_COLUMN(.name = "parent", .type = CW_CELL_ENUM, .values = DC_PARENT_WORDS,
                    .default_value = "-",
                    .help = "the DC element it dumbs down to in oai_dc (-: none)"),
    CW_TABLE_COLUMN(.name = "handler", .type = CW_CELL_ENUM, .values = DC_HANDLER_WORDS,
                    .default_value = "none", .help = "what the reader does with the value"),
    {0},
};

static const cw_table_column type_columns[] = {
    CW_TABLE_COLUMN(.name = "dc", .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY | CW_COLUMN_NOCASE,
                    .help = "a dc:type value"),
    CW_TABLE_COLUMN(.name = "csl", .type = CW_CELL_ITEM_TYPE, .flags = CW_COLUMN_KEY,
                    .help = "the item type it means"),
    CW_TABLE_COLUMN(.name = "vocab", .type = CW_CELL_ENUM, .flags = CW_COLUMN_REQUIRED,
                    .values = "eu-repo|coar|dini|dcmi|version|word|jats",
                    .help = "the vocabulary of the value"),
    CW_TABLE_COLUMN(.name = "write", .type = CW_CELL_BOOL, .default_value = "no",
                    .help = "the writers emit it for the item type"),
    CW_TABLE_COLUMN(.name = "genre", .type = CW_CELL_BOOL, .default_value = "yes",
                    .help = "a word that is also the record's genre"),
    {0},
};

static const cw_table_column article_type_columns[] = {
    CW_TABLE_COLUMN(.name = "article-type",
                    .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY | CW_COLUMN_NOCASE,
                    .help = "the record's article-type"),
    CW_TABLE_COLUMN(.name = "dc", .flags = CW_COLUMN_REQUIRED,
                    .help = "the info:eu-repo type written for it"),
    {0},
};

static const cw_table_column language_columns[] = {
    CW_TABLE_COLUMN(.name = "dc", .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY | CW_COLUMN_NOCASE,
                    .help = "a dc:language value"),
    CW_TABLE_COLUMN(.name = "bcp47", .flags = CW_COLUMN_REQUIRED, .help = "its BCP 47 tag"),
    {0},
};

static const cw_table_column write_columns[] = {
    CW_TABLE_COLUMN(.name = "dc", .flags = CW_COLUMN_REQUIRED, .help = "an oai_dc element"),
    CW_TABLE_COLUMN(.name = "fields", .help = "what the writer puts there"),
    CW_TABLE_COLUMN(.name = "pkp", .help = "what OJS puts there"),
    {0},
};

static const cw_table_section sections[] = {
    CW_TABLE_SECTION(.name = "elements", .columns = element_columns),
    CW_TABLE_SECTION(.name = "types", .columns = type_columns),
    CW_TABLE_SECTION(.name = "article-types", .columns = article_type_columns),
    CW_TABLE_SECTION(.name = "languages", .columns = language_columns),
    CW_TABLE_SECTION(.name = "write", .columns = write_columns,
                     .help = "documentation of the writer's mapping; not read"),
    {0},
};

const cw_table_schema dc_table_schema = CW_TABLE_SCHEMA(
    .name = "dc",
    .yaml = dc_dc_yaml,
    .yaml_len = CW_NUL,
    .yaml_name = "formats/dc.yaml",
    .sections = sections);

int dc_tables_load(dc_tables *t, cw_session *s)
{
	int rc = cw_session_table(s, &dc_table_schema, &t->t);
	if (rc)
		return rc;
	size_t n = cw_table_row_count(t->t, DC_SEC_ELEMENTS);
	t->rows = calloc(n ? n : 1, sizeof *t->rows);
	if (!t->rows)
		return CW_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const cw_table_cell *c = cw_table_row_at(t->t, DC_SEC_ELEMENTS, i)->cells;
		dc_term_row *r = &t->rows[t->nrows++];
		r->term = c[DC_EL_TERM].text;
		r->handler = c[DC_EL_HANDLER].value;
		r->group = 15;
		for (int e = 0; dc15[e]; e++)
			if (!strcmp(dc15[e], r->term))
				r->group = e;
		if (r->group == 15 && c[DC_EL_PARENT].value > 0)
			r->group = c[DC_EL_PARENT].value - 1;
		r->parent = r->group < 15 ? dc15[r->group] : NULL;
	}
	return CW_OK;
}

void dc_tables_free(dc_tables *t)
{
	free(t->rows);
	t->rows = NULL;
	t->nrows = 0;
}

const dc_term_row *dc_term_row_of(const dc_tables *t, const char *term)
{
	/* the index matches without case: the first row that has the term exactly */
	for (size_t r = cw_table_find(t->t, DC_SEC_ELEMENTS, DC_EL_TERM, term, CW_NUL);
	     r != CW_TABLE_NONE && r < t->nrows;
	     r = cw_table_find_next(t->t, DC_SEC_ELEMENTS, DC_EL_TERM, r))
		if (!strcmp(t->rows[r].term, term))
			return &t->rows[r];
	return NULL;
}

const char *dc_term_canonical(const dc_tables *t, const char *term)
{
	size_t r = cw_table_find(t->t, DC_SEC_ELEMENTS, DC_EL_TERM, term, CW_NUL);
	return r == CW_TABLE_NONE
	           ? NULL
	           : cw_table_row_at(t->t, DC_SEC_ELEMENTS, r)->cells[DC_EL_TERM].text;
}

const cw_table_cell *dc_type_cell(const dc_tables *t, const char *value, size_t col)
{
	return cw_table_lookup(t->t, DC_SEC_TYPES, DC_TY_DC, value, CW_NUL, col);
}

const char *dc_term_parent(const dc_tables *t, const char *term)
{
	const dc_term_row *r = dc_term_row_of(t, term);
	if (r)
		return r->parent;
	return dc_is_element(term) ? term : NULL;
}

static enum dc_handler handler_of(const dc_tables *t, const char *term)
{
	const dc_term_row *r = dc_term_row_of(t, term);
	return r ? (enum dc_handler)r->handler : H_NONE;
}

static size_t group_of(const dc_tables *t, const char *term)
{
	const dc_term_row *r = dc_term_row_of(t, term);
	if (r)
		return (size_t)r->group;
	for (size_t e = 0; dc15[e]; e++)
		if (!strcmp(dc15[e], term))
			return e;
	return 15;
}

/* --- reader side --- */

/* Keeps a statement as passthrough: name "term" or "term@lang". */
static int keep(cw_record *rec, const dc_stmt *st)
{
	char name[160];
	if (st->lang)
		snprintf(name, sizeof name, "%s@%s", st->elem, st->lang);
	else
		snprintf(name, sizeof name, "%s", st->elem);
	return cw_record_add_passthrough(rec, DC_PT, name, st->value, CW_NUL);
}

/* Remembers the xml:lang of the value that went into a single-valued field. */
static int keep_lang(cw_record *rec, enum cw_field f, const char *lang)
{
	if (!lang)
		return CW_OK;
	char name[96];
	snprintf(name, sizeof name, "xml:lang:%s", cw_field_name(f));
	return cw_record_add_passthrough(rec, DC_PT, name, lang, CW_NUL);
}

static int set_text_lang(cw_record *rec, enum cw_field f, const dc_stmt *st)
{
	int rc = cw_record_set_text(rec, f, st->value, CW_NUL);
	if (rc < 0)
		return rc;
	return keep_lang(rec, f, st->lang);
}

static int add_item(cw_record *rec, enum cw_field f, const char *value, const char *lang,
                    const char *type, const char *scheme)
{
	cw_item it = CW_ITEM_INIT;
	it.value = value;
	it.lang = lang;
	it.type = type;
	it.scheme = scheme;
	if (!*value)
		return CW_OK;
	return cw_record_add_item(rec, f, &it);
}

static int trimmed_equal(const char *a, const char *b)
{
	while (isspace((unsigned char)*a))
		a++;
	size_t la = strlen(a);
	while (la && isspace((unsigned char)a[la - 1]))
		la--;
	return strlen(b) == la && strncmp(a, b, la) == 0;
}

/* Keeps st as passthrough when the canonical form differs from what it said. */
static int keep_if_differs(cw_record *rec, const dc_stmt *st, const char *canonical)
{
	if (trimmed_equal(st->value, canonical))
		return CW_OK;
	return keep(rec, st);
}

static int read_name(cw_session *s, cw_record *rec, enum cw_field f, const dc_stmt *st,
                     size_t *naff)
{
	const cw_limits *lim = cw_session_limits(s);
	if (cw_record_name_count(rec, f) >= lim->max_names) {
		return cw_session_limit_error(s, CW_ELIMIT, CW_LIMIT_NAMES, st->line, st->col,
		                              "more names in dc:%s than", st->elem);
	}
	size_t len = strlen(st->value);
	char *buf = malloc(len + 8);
	if (!buf)
		return CW_ENOMEM;
	cw_name n = CW_NAME_INIT;
	const char *aff = NULL;
	int rc = CW_OK;
	if (!dc_name_parse(st->value, &n, buf, &aff)) {
		free(buf);
		return keep(rec, st);
	}
	char affid[32];
	const char *ids[1];
	if (aff) {
		cw_affiliation a = CW_AFFILIATION_INIT;
		snprintf(affid, sizeof affid, "dc-aff%zu", ++*naff);
		a.id = affid;
		a.text = aff;
		rc = cw_record_add_affiliation(rec, &a);
		ids[0] = affid;
		n.affiliation_ids = ids;
		n.affiliation_count = 1;
	}
	cw_buf canon = CW_BUF_INIT;
	if (rc >= 0)
		rc = dc_name_format(&n, &canon);
	if (rc >= 0 && !trimmed_equal(st->value, cw_buf_str(&canon))) {
		/* keep the source's wording for the DC writers */
		n.extra_format = DC_PT;
		n.extra = st->value;
	}
	if (rc >= 0)
		rc = cw_record_add_name(rec, f, &n);
	/* names carry no language; the list remembers the first xml:lang */
	if (rc >= 0 && st->lang && cw_record_name_count(rec, f) == 1)
		rc = keep_lang(rec, f, st->lang);
	cw_buf_free(&canon);
	free(buf);
	if (rc == CW_EINVAL)
		return keep(rec, st);
	return rc < 0 ? rc : CW_OK;
}

static int read_date(cw_session *s, cw_record *rec, enum cw_field f, const dc_stmt *st)
{
	cw_date d = CW_DATE_INIT;
	cw_buf why = CW_BUF_INIT;
	if (dc_date_parse(&d, st->value, &why) != CW_OK) {
		/* a date's form, but no date ("2008-02-30"): said, and kept as text */
		if (why.len)
			cw_diag_emit(s, CW_SEV_WARNING, CW_OK, st->line, st->col,
			             "dc:%s '%s': %s; kept as text", st->elem, st->value, why.data);
		cw_buf_free(&why);
		d = (cw_date)CW_DATE_INIT;
		d.literal = st->value;
		return cw_record_set_date(rec, f, &d);
	}
	cw_buf canon = CW_BUF_INIT;
	int rc = cw_date_format_iso(&d, &canon);
	if (rc == CW_OK && !trimmed_equal(st->value, cw_buf_str(&canon))) {
		d.extra_format = DC_PT;
		d.extra = st->value;
	}
	cw_buf_free(&canon);
	return cw_record_set_date(rec, f, &d);
}

/* Maps a language code to BCP 47 into out. */
static void map_language(const dc_tables *t, const char *v, char *out, size_t cap)
{
	const cw_table_cell *m =
	    cw_table_lookup(t->t, DC_SEC_LANGUAGES, DC_LANG_DC, v, CW_NUL, DC_LANG_BCP47);
	if (m) {
		snprintf(out, cap, "%s", m->text);
		return;
	}
	snprintf(out, cap, "%s", v);
	for (char *p = out; *p; p++)
		if (*p == '_')
			*p = '-'; /* OJS locales: en_US */
}

struct read_state {
	int type_rank;
	enum cw_item_type type;
	int issn_count, issn_seen;
	int citation_year;
	const dc_stmt *citation; /* the source statement parsed into fields */
	size_t naff;
	int pkp; /* an info:eu-repo/semantics type was seen: PKP-style typing */
};

/* 1 if a types row has value as its dc cell exactly (the index ignores case). */
static int dc_type_exact(const dc_tables *t, const char *value)
{
	for (size_t r = cw_table_find(t->t, DC_SEC_TYPES, DC_TY_DC, value, CW_NUL);
	     r != CW_TABLE_NONE; r = cw_table_find_next(t->t, DC_SEC_TYPES, DC_TY_DC, r))
		if (!strcmp(cw_table_row_at(t->t, DC_SEC_TYPES, r)->cells[DC_TY_DC].text, value))
			return 1;
	return 0;
}

static int read_type(const dc_tables *t, cw_record *rec, const dc_stmt *st, struct read_state *rs)
{
	const cw_table_cell *vocab = dc_type_cell(t, st->value, DC_TY_VOCAB);
	const cw_table_cell *csl = dc_type_cell(t, st->value, DC_TY_CSL);
	/* JATS words are lower-case tokens: "Editorial" is a section's label */
	int jats = vocab && vocab->value == DC_VOCAB_JATS;
	if (jats && !dc_type_exact(t, st->value))
		vocab = csl = NULL, jats = 0;
	int rank = 0;
	if (vocab) {
		if (vocab->value == DC_VOCAB_EU_REPO || vocab->value == DC_VOCAB_COAR ||
		    vocab->value == DC_VOCAB_DINI)
			rank = 4;
		else if (vocab->value == DC_VOCAB_WORD || jats)
			rank = 3;
		else if (vocab->value == DC_VOCAB_DCMI)
			rank = 2;
	}
	if (csl && csl->value == CW_TYPE_DOCUMENT)
		rank = 1; /* "other" says less than any other type */
	if (csl && rank > rs->type_rank) {
		rs->type = (enum cw_item_type)csl->value;
		rs->type_rank = rank;
	}
	if (jats && !cw_record_has(rec, CW_FIELD_ARTICLE_TYPE)) {
		/* the source's own type word: chooses the type, never printed as a genre */
		int rc = cw_record_set_text(rec, CW_FIELD_ARTICLE_TYPE, st->value, CW_NUL);
		if (rc < 0)
			return rc;
	}
	const cw_table_cell *genre = dc_type_cell(t, st->value, DC_TY_GENRE);
	if (vocab && (vocab->value != DC_VOCAB_WORD || (csl && csl->value == CW_TYPE_DOCUMENT) ||
	              (genre && !genre->value)))
		return keep(rec, st); /* a vocabulary statement, or a word that only names the
		                         type: written back as it was, never a genre */
	if (!vocab && (strchr(st->value, ':') || strchr(st->value, '/')))
		return keep(rec, st); /* some other vocabulary */
	/* PKP writes the section's label as a free-text type next to its eu-repo type;
	 * elsewhere free text is only a genre */
	if (!vocab && rs->pkp && !cw_record_has(rec, CW_FIELD_SECTION))
		return set_text_lang(rec, CW_FIELD_SECTION, st);
	if (!cw_record_has(rec, CW_FIELD_GENRE))
		return set_text_lang(rec, CW_FIELD_GENRE, st);
	return keep(rec, st);
}

static int read_identifier(cw_record *rec, const dc_stmt *st)
{
	dc_ident id;
	dc_ident_classify(st->value, &id);
	cw_buf canon = CW_BUF_INIT;
	int rc = CW_OK;
	enum cw_field f = CW_FIELD_NONE;
	switch (id.kind) {
	case DC_ID_DOI:
		f = CW_FIELD_DOI;
		break;
	case DC_ID_URL:
		f = CW_FIELD_URL;
		break;
	case DC_ID_ISBN:
		f = CW_FIELD_ISBN;
		break;
	case DC_ID_ISSN:
		f = cw_record_has(rec, CW_FIELD_ISSN) ? CW_FIELD_ISSN_ELECTRONIC : CW_FIELD_ISSN;
		break;
	case DC_ID_PMID:
		f = CW_FIELD_PMID;
		break;
	case DC_ID_ARXIV:
		f = CW_FIELD_ARXIV;
		break;
	default:
		break;
	}
	if (f != CW_FIELD_NONE && !cw_record_has(rec, f)) {
		rc = cw_record_set_text(rec, f, id.value, CW_NUL);
	} else {
		const char *type = id.kind == DC_ID_OTHER ? NULL : dc_ident_kind_name(id.kind);
		rc = add_item(rec, CW_FIELD_IDENTIFIERS, id.value, NULL, type, NULL);
	}
	if (rc >= 0 && id.handle[0])
		rc = add_item(rec, CW_FIELD_IDENTIFIERS, id.handle, NULL, "handle", NULL);
	if (rc >= 0)
		rc = dc_ident_format(id.kind, id.value, &canon);
	/* an ISSN is written in dc:source; one given as an identifier is kept where it was */
	if (rc >= 0 && id.kind == DC_ID_ISSN)
		rc = keep(rec, st);
	else if (rc >= 0)
		rc = keep_if_differs(rec, st, cw_buf_str(&canon));
	cw_buf_free(&canon);
	return rc < 0 ? rc : CW_OK;
}

static int set_num(cw_record *rec, enum cw_field f, const char *v)
{
	return *v ? cw_record_set_text(rec, f, v, CW_NUL) : CW_OK;
}

/* Keeps the source statement when the PKP rewrite of what it gave would differ.
 * Dates come before sources (element order), so issued is known here. */
static int keep_citation_if_differs(cw_record *rec, const dc_stmt *st, dc_citation *c)
{
	const cw_date *d = cw_record_date(rec, CW_FIELD_ISSUED);
	if (d && d->parts)
		c->year = d->year;
	cw_buf canon = CW_BUF_INIT;
	int rc = dc_citation_format(c, &canon);
	if (rc >= 0)
		rc = keep_if_differs(rec, st, cw_buf_str(&canon));
	cw_buf_free(&canon);
	return rc;
}

static int read_source(cw_record *rec, const dc_stmt *st, struct read_state *rs)
{
	dc_ident id;
	dc_ident_classify(st->value, &id);
	cw_buf canon = CW_BUF_INIT;
	int rc = CW_OK;
	if (id.kind == DC_ID_ISSN) {
		rs->issn_seen++;
		enum cw_field f = CW_FIELD_ISSN;
		if (rs->issn_count > 1 && rs->issn_seen == 1)
			f = CW_FIELD_ISSN_ELECTRONIC; /* PKP writes the online ISSN first */
		if (cw_record_has(rec, f))
			f = f == CW_FIELD_ISSN ? CW_FIELD_ISSN_ELECTRONIC : CW_FIELD_ISSN;
		if (cw_record_has(rec, f))
			return keep(rec, st);
		rc = cw_record_set_text(rec, f, id.value, CW_NUL);
		if (rc >= 0)
			rc = keep_if_differs(rec, st, id.value);
		return rc < 0 ? rc : CW_OK;
	}
	if (id.kind == DC_ID_DOI) {
		rc = add_item(rec, CW_FIELD_CONTAINER_IDENTIFIERS, id.value, NULL, "doi", NULL);
		if (rc >= 0)
			rc = dc_ident_format(id.kind, id.value, &canon);
		if (rc >= 0)
			rc = keep_if_differs(rec, st, cw_buf_str(&canon));
		cw_buf_free(&canon);
		return rc < 0 ? rc : CW_OK;
	}
	dc_citation c;
	if (!rs->citation && !cw_record_has(rec, CW_FIELD_CONTAINER_TITLE) &&
	    dc_citation_parse(st->value, &c)) {
		rc = cw_record_set_text(rec, CW_FIELD_CONTAINER_TITLE, c.container, CW_NUL);
		if (rc >= 0 && !cw_record_has(rec, CW_FIELD_VOLUME))
			rc = set_num(rec, CW_FIELD_VOLUME, c.volume);
		if (rc >= 0 && !cw_record_has(rec, CW_FIELD_ISSUE))
			rc = set_num(rec, CW_FIELD_ISSUE, c.issue);
		if (rc >= 0 && !cw_record_has(rec, CW_FIELD_PAGE))
			rc = set_num(rec, CW_FIELD_PAGE, c.pages);
		if (rc >= 0 && c.issue_title[0])
			rc = cw_record_set_text(rec, CW_FIELD_ISSUE_TITLE, c.issue_title, CW_NUL);
		if (rc >= 0)
			rc = keep_lang(rec, CW_FIELD_CONTAINER_TITLE, st->lang);
		rs->citation_year = c.year;
		rs->citation = st;
		if (rc >= 0)
			rc = keep_citation_if_differs(rec, st, &c);
		return rc < 0 ? rc : CW_OK;
	}
	/* a bare journal title (OJS's DC.Source, a citation without locators): taken as the
	 * container title in PKP-style records only; elsewhere dc:source may name a database */
	if (rs->pkp && !rs->citation && !cw_record_has(rec, CW_FIELD_CONTAINER_TITLE) &&
	    id.kind == DC_ID_OTHER && !strchr(st->value, ';') && strlen(st->value) < 300) {
		memset(&c, 0, sizeof c);
		snprintf(c.container, sizeof c.container, "%s", st->value);
		rc = cw_record_set_text(rec, CW_FIELD_CONTAINER_TITLE, st->value, CW_NUL);
		if (rc >= 0)
			rc = keep_lang(rec, CW_FIELD_CONTAINER_TITLE, st->lang);
		rs->citation = st;
		if (rc >= 0)
			rc = keep_citation_if_differs(rec, st, &c);
		return rc < 0 ? rc : CW_OK;
	}
	return keep(rec, st);
}

static int read_relation(cw_record *rec, const dc_stmt *st)
{
	dc_ident id;
	dc_ident_classify(st->value, &id);
	int rc;
	if (id.kind == DC_ID_URL)
		return add_item(rec, CW_FIELD_LINKS, id.value, NULL, NULL, NULL);
	if (id.kind == DC_ID_DOI) {
		rc = add_item(rec, CW_FIELD_RELATED, id.value, NULL, "relation", "doi");
		cw_buf canon = CW_BUF_INIT;
		if (rc >= 0)
			rc = dc_ident_format(id.kind, id.value, &canon);
		if (rc >= 0)
			rc = keep_if_differs(rec, st, cw_buf_str(&canon));
		cw_buf_free(&canon);
		return rc < 0 ? rc : CW_OK;
	}
	return keep(rec, st);
}

static int is_url(const char *v)
{
	return !strncasecmp(v, "http://", 7) || !strncasecmp(v, "https://", 8);
}

static int contains_nocase(const char *h, const char *n)
{
	size_t nl = strlen(n);
	for (; *h; h++)
		if (strncasecmp(h, n, nl) == 0)
			return 1;
	return 0;
}

static int mentions_copyright(const char *v)
{
	return contains_nocase(v, "copyright") || strstr(v, "\xc2\xa9") ||
	       contains_nocase(v, "(c)");
}

int dc_map_read(const dc_tables *t, cw_session *s, const dc_stmts *st, cw_record *rec)
{
	struct read_state rs = {0};
	/* which date is the publication date: dcterms:issued, else the first dc:date without a
	 * time of day (DSpace lists accession timestamps too), else the first dc:date */
	size_t issued_at = (size_t)-1;
	int have_issued = 0;
	for (size_t i = 0; i < st->n; i++) {
		enum dc_handler h = handler_of(t, st->v[i].elem);
		if (h == H_ISSUED && !have_issued) {
			issued_at = i;
			have_issued = 1;
		}
		if (h == H_DATE && issued_at == (size_t)-1)
			issued_at = i;
		if (h == H_TYPE && !strncmp(st->v[i].value, "info:eu-repo/semantics/", 23))
			rs.pkp = 1;
		if (h == H_SOURCE) {
			dc_ident id;
			dc_ident_classify(st->v[i].value, &id);
			rs.issn_count += id.kind == DC_ID_ISSN;
		}
	}
	if (issued_at != (size_t)-1 && handler_of(t, st->v[issued_at].elem) == H_DATE &&
	    strchr(st->v[issued_at].value, 'T')) {
		for (size_t i = issued_at + 1; i < st->n; i++)
			if (handler_of(t, st->v[i].elem) == H_DATE &&
			    !strchr(st->v[i].value, 'T')) {
				issued_at = i;
				break;
			}
	}
	/* statements are taken element by element in the order of the 15 elements (the order
	 * the writers use), each element's values in document order: then a record read back
	 * from our own output is the record we wrote, passthrough order included */
	size_t *order = malloc((st->n ? st->n : 1) * sizeof *order);
	if (!order)
		return CW_ENOMEM;
	size_t count[17] = {0};
	unsigned char *grp = malloc(st->n ? st->n : 1);
	if (!grp) {
		free(order);
		return CW_ENOMEM;
	}
	for (size_t i = 0; i < st->n; i++) {
		grp[i] = (unsigned char)group_of(t, st->v[i].elem);
		count[grp[i] + 1]++;
	}
	for (size_t g = 1; g <= 16; g++)
		count[g] += count[g - 1]; /* start of each group: a stable counting sort */
	for (size_t i = 0; i < st->n; i++)
		order[count[grp[i]]++] = i;
	free(grp);
	int rc = CW_OK;
	for (size_t oi = 0; oi < st->n && rc >= 0; oi++) {
		size_t i = order[oi];
		const dc_stmt *x = &st->v[i];
		switch (handler_of(t, x->elem)) {
		case H_TITLE:
			if (!cw_record_has(rec, CW_FIELD_TITLE)) {
				rc = set_text_lang(rec, CW_FIELD_TITLE, x);
			} else {
				const cw_passthrough *pl =
				    cw_record_find_passthrough(rec, DC_PT, "xml:lang:title");
				if (x->lang && (!pl || strcmp(pl->value, x->lang) != 0))
					rc = add_item(rec, CW_FIELD_TRANSLATED_TITLES, x->value,
					              x->lang, NULL, NULL);
				else
					rc = add_item(rec, CW_FIELD_ALTERNATIVE_TITLES, x->value,
					              x->lang, NULL, NULL);
			}
			break;
		case H_ALTERNATIVE:
			rc = add_item(rec, CW_FIELD_ALTERNATIVE_TITLES, x->value, x->lang, NULL,
			              NULL);
			break;
		case H_CREATOR:
			rc = read_name(s, rec, CW_FIELD_AUTHOR, x, &rs.naff);
			break;
		case H_CONTRIBUTOR:
			rc = read_name(s, rec, CW_FIELD_CONTRIBUTOR, x, &rs.naff);
			break;
		case H_SUBJECT:
			rc = add_item(rec, CW_FIELD_KEYWORDS, x->value, x->lang, NULL, NULL);
			break;
		case H_DESCRIPTION:
			if (!cw_record_has(rec, CW_FIELD_ABSTRACT))
				rc = set_text_lang(rec, CW_FIELD_ABSTRACT, x);
			else
				rc = add_item(rec, CW_FIELD_ABSTRACTS, x->value, x->lang, NULL,
				              NULL);
			break;
		case H_PUBLISHER:
			rc = cw_record_has(rec, CW_FIELD_PUBLISHER)
			         ? keep(rec, x)
			         : set_text_lang(rec, CW_FIELD_PUBLISHER, x);
			break;
		case H_DATE:
		case H_ISSUED:
			rc = i == issued_at ? read_date(s, rec, CW_FIELD_ISSUED, x) : keep(rec, x);
			break;
		case H_AVAILABLE:
		case H_ACCEPTED:
		case H_SUBMITTED: {
			enum dc_handler h = handler_of(t, x->elem);
			enum cw_field f = h == H_AVAILABLE  ? CW_FIELD_AVAILABLE_DATE
			                  : h == H_ACCEPTED ? CW_FIELD_ACCEPTED
			                                    : CW_FIELD_SUBMITTED;
			rc = cw_record_has(rec, f) ? keep(rec, x) : read_date(s, rec, f, x);
			break;
		}
		case H_COPYRIGHT_YEAR:
			rc = cw_record_has(rec, CW_FIELD_COPYRIGHT_YEAR)
			         ? keep(rec, x)
			         : cw_record_set_text(rec, CW_FIELD_COPYRIGHT_YEAR, x->value,
			                              CW_NUL);
			break;
		case H_COPYRIGHT_HOLDER:
			rc = cw_record_has(rec, CW_FIELD_COPYRIGHT_HOLDER)
			         ? keep(rec, x)
			         : cw_record_set_text(rec, CW_FIELD_COPYRIGHT_HOLDER, x->value,
			                              CW_NUL);
			break;
		case H_TYPE:
			rc = read_type(t, rec, x, &rs);
			break;
		case H_IDENTIFIER:
			rc = read_identifier(rec, x);
			break;
		case H_SOURCE:
			rc = read_source(rec, x, &rs);
			break;
		case H_LANGUAGE: {
			char lang[64];
			/* DSpace writes "other" for a language it does not know */
			if (cw_record_has(rec, CW_FIELD_LANGUAGE) ||
			    strlen(x->value) >= sizeof lang || !strcasecmp(x->value, "other") ||
			    strchr(x->value, ' ')) {
				rc = keep(rec, x);
				break;
			}
			map_language(t, x->value, lang, sizeof lang);
			rc = cw_record_set_text(rec, CW_FIELD_LANGUAGE, lang, CW_NUL);
			if (rc >= 0)
				rc = keep_if_differs(rec, x, lang);
			break;
		}
		case H_RELATION:
			rc = read_relation(rec, x);
			break;
		case H_ISPARTOF: {
			dc_ident id;
			dc_ident_classify(x->value, &id);
			if (id.kind == DC_ID_ISSN) {
				enum cw_field f = cw_record_has(rec, CW_FIELD_ISSN)
				                      ? CW_FIELD_ISSN_ELECTRONIC
				                      : CW_FIELD_ISSN;
				if (cw_record_has(rec, f)) {
					rc = keep(rec, x);
					break;
				}
				rc = cw_record_set_text(rec, f, id.value, CW_NUL);
				char canon[600];
				snprintf(canon, sizeof canon, "urn:ISSN:%s", id.value);
				if (rc >= 0)
					rc = keep_if_differs(rec, x, canon);
			} else if (id.kind == DC_ID_OTHER &&
			           !cw_record_has(rec, CW_FIELD_CONTAINER_TITLE)) {
				rc = set_text_lang(rec, CW_FIELD_CONTAINER_TITLE, x);
			} else {
				rc = keep(rec, x);
			}
			break;
		}
		case H_RIGHTS:
		case H_LICENSE: {
			enum cw_field f;
			if (is_url(x->value))
				f = CW_FIELD_LICENSE_URL;
			else if (handler_of(t, x->elem) == H_RIGHTS && mentions_copyright(x->value))
				f = CW_FIELD_COPYRIGHT;
			else
				f = CW_FIELD_LICENSE;
			rc = cw_record_has(rec, f) ? keep(rec, x) : set_text_lang(rec, f, x);
			break;
		}
		case H_NONE:
		default:
			rc = keep(rec, x);
			break;
		}
	}
	free(order);
	if (rc < 0)
		return rc;
	if (rs.citation_year && !cw_record_has(rec, CW_FIELD_ISSUED)) {
		cw_date d = CW_DATE_INIT;
		d.year = rs.citation_year;
		d.parts = 1;
		rc = cw_record_set_date(rec, CW_FIELD_ISSUED, &d);
		if (rc < 0)
			return rc;
	}
	if (rs.type != CW_TYPE_UNSET)
		rc = cw_record_set_type(rec, rs.type);
	return rc < 0 ? rc : CW_OK;
}

/* --- writer side --- */

struct wctx {
	const dc_tables *t;
	cw_session *s;
	const cw_record *rec;
	enum dc_profile prof;
	dc_stmts *out;
	int from_dc;
	int terms; /* qualified DC (dcterms, HTML): not the OAI profile's 15 elements */
	/* what passthrough values already said */
	int done_doi, done_url, done_isbn, done_issn, done_eissn, done_pmid, done_arxiv;
	int done_citation, done_language, done_license_url;
	unsigned char *done_ids, *done_cids, *done_links, *done_related;
	int rc;
};

/*
 * Adds a statement. Record text is valid by construction, but passthrough
 * values and a name's or date's extra are kept byte for byte and may hold
 * invalid UTF-8 or control characters (a program's records, a legacy
 * file's junk field): they are repaired and reported, so output is valid.
 */
static void emit(struct wctx *w, const char *elem, const char *lang, const char *value)
{
	if (w->rc < 0 || !value || !*value)
		return;
	cw_buf fv = CW_BUF_INIT, fl = CW_BUF_INIT;
	if (!dc_xml_text_ok(value)) {
		dc_xml_text_repair(&fv, value);
		value = cw_buf_str(&fv);
		cw_diag_emit(w->s, CW_SEV_WARNING, CW_OK, 0, 0,
		             "dc:%s has invalid UTF-8 or characters XML cannot hold; they are "
		             "replaced",
		             elem);
	}
	if (lang && *lang && !dc_language_ok(lang)) {
		/* OJS locales (en_US) are BCP 47 with a hyphen; anything else is no xml:lang */
		for (const char *p = lang; *p; p++)
			cw_buf_putc(&fl, *p == '_' ? '-' : *p);
		if (!dc_language_ok(cw_buf_str(&fl))) {
			cw_buf_clear(&fl);
			dc_xml_text_repair(&fl, lang);
			cw_diag_emit(w->s, CW_SEV_WARNING, CW_OK, 0, 0,
			             "the language \"%s\" of dc:%s is no language tag; dropped",
			             cw_buf_str(&fl), elem);
			cw_buf_clear(&fl);
		}
		lang = cw_buf_str(&fl);
	}
	if (cw_buf_error(&fv) || cw_buf_error(&fl))
		w->rc = CW_ENOMEM; /* a repaired value or language is not whole */
	else if (*value)
		w->rc = dc_stmts_add(w->out, elem, lang && *lang ? lang : NULL, value, CW_NUL, 0, 0);
	cw_buf_free(&fv);
	cw_buf_free(&fl);
}

/* The element a term is written as in this profile. */
static const char *out_elem(struct wctx *w, const char *term)
{
	if (w->prof != DC_PROFILE_OAI)
		return term;
	return dc_term_parent(w->t, term);
}

static const char *lang_of(struct wctx *w, enum cw_field f)
{
	char name[96];
	snprintf(name, sizeof name, "xml:lang:%s", cw_field_name(f));
	const cw_passthrough *p = cw_record_find_passthrough(w->rec, DC_PT, name);
	if (p)
		return p->value;
	if (!w->from_dc && (f == CW_FIELD_TITLE || f == CW_FIELD_ABSTRACT || f == CW_FIELD_SECTION))
		return cw_record_text(w->rec, CW_FIELD_LANGUAGE);
	return NULL;
}

static int find_item(const cw_record *rec, enum cw_field f, const char *type, const char *value,
                     unsigned char *done)
{
	size_t n = cw_record_item_count(rec, f);
	for (size_t i = 0; i < n; i++) {
		const cw_item *it = cw_record_item(rec, f, i);
		if ((!type || (it->type && !strcmp(it->type, type))) &&
		    !strcasecmp(it->value, value) && !(done && done[i])) {
			if (done)
				done[i] = 1;
			return 1;
		}
	}
	return 0;
}

static int text_is(const cw_record *rec, enum cw_field f, const char *v, int nocase)
{
	const char *x = cw_record_text(rec, f);
	return x && (nocase ? !strcasecmp(x, v) : !strcmp(x, v));
}

static int same_opt(const char *a, const char *b)
{
	if (!a || !*a)
		return !b || !*b;
	return b && !strcmp(a, b);
}

/* Does a kept identifier still say what the record says? Marks it done. */
static int ident_consistent(struct wctx *w, const char *value, int source)
{
	dc_ident id;
	dc_ident_classify(value, &id);
	const cw_record *r = w->rec;
	switch (id.kind) {
	case DC_ID_DOI:
		if (source)
			return find_item(r, CW_FIELD_CONTAINER_IDENTIFIERS, "doi", id.value,
			                 w->done_cids);
		if (!w->done_doi && text_is(r, CW_FIELD_DOI, id.value, 1))
			return w->done_doi = 1;
		return find_item(r, CW_FIELD_IDENTIFIERS, "doi", id.value, w->done_ids);
	case DC_ID_URL:
		if (!w->done_url && text_is(r, CW_FIELD_URL, id.value, 0))
			return w->done_url = 1;
		return find_item(r, CW_FIELD_IDENTIFIERS, "url", id.value, w->done_ids);
	case DC_ID_ISSN:
		if (!w->done_issn && text_is(r, CW_FIELD_ISSN, id.value, 1))
			return w->done_issn = 1;
		if (!w->done_eissn && text_is(r, CW_FIELD_ISSN_ELECTRONIC, id.value, 1))
			return w->done_eissn = 1;
		return 0;
	case DC_ID_ISBN:
		if (!w->done_isbn && text_is(r, CW_FIELD_ISBN, id.value, 1))
			return w->done_isbn = 1;
		return find_item(r, CW_FIELD_IDENTIFIERS, "isbn", id.value, w->done_ids);
	case DC_ID_PMID:
		if (!w->done_pmid && text_is(r, CW_FIELD_PMID, id.value, 0))
			return w->done_pmid = 1;
		return 0;
	case DC_ID_ARXIV:
		if (!w->done_arxiv && text_is(r, CW_FIELD_ARXIV, id.value, 0))
			return w->done_arxiv = 1;
		return 0;
	default:
		return find_item(r, CW_FIELD_IDENTIFIERS, NULL, id.value, w->done_ids);
	}
}

static int citation_consistent(struct wctx *w, const dc_citation *c)
{
	const cw_record *r = w->rec;
	return same_opt(cw_record_text(r, CW_FIELD_CONTAINER_TITLE), c->container) &&
	       same_opt(cw_record_text(r, CW_FIELD_VOLUME), c->volume) &&
	       same_opt(cw_record_text(r, CW_FIELD_ISSUE), c->issue) &&
	       same_opt(cw_record_text(r, CW_FIELD_PAGE), c->pages) &&
	       same_opt(cw_record_text(r, CW_FIELD_ISSUE_TITLE), c->issue_title);
}

/* 1: write this kept statement; 0: the record no longer says it. */
static int kept_consistent(struct wctx *w, const char *term, const char *value)
{
	switch (handler_of(w->t, term)) {
	case H_IDENTIFIER:
		return ident_consistent(w, value, 0);
	case H_SOURCE: {
		dc_ident id;
		dc_ident_classify(value, &id);
		if (id.kind == DC_ID_ISSN || id.kind == DC_ID_DOI)
			return ident_consistent(w, value, 1);
		dc_citation c;
		if (dc_citation_parse(value, &c)) {
			if (!w->done_citation && citation_consistent(w, &c))
				return w->done_citation = 1;
			/* a second citation the reader kept as it was */
			return !citation_consistent(w, &c);
		}
		/* a bare title that is still the container title */
		const char *ct = cw_record_text(w->rec, CW_FIELD_CONTAINER_TITLE);
		if (!w->done_citation && ct && !strcmp(ct, value))
			w->done_citation = 1;
		return 1;
	}
	case H_ISPARTOF: {
		dc_ident id;
		dc_ident_classify(value, &id);
		return id.kind == DC_ID_ISSN ? ident_consistent(w, value, 0) : 1;
	}
	case H_LANGUAGE: {
		char lang[64];
		map_language(w->t, value, lang, sizeof lang);
		if (!w->done_language && text_is(w->rec, CW_FIELD_LANGUAGE, lang, 1))
			return w->done_language = 1;
		return !text_is(w->rec, CW_FIELD_LANGUAGE, lang, 1);
	}
	case H_RELATION: {
		dc_ident id;
		dc_ident_classify(value, &id);
		if (id.kind == DC_ID_DOI)
			return find_item(w->rec, CW_FIELD_RELATED, NULL, id.value, w->done_related);
		return 1;
	}
	case H_TYPE: {
		/* vocabulary types stay while the item type they imply is the record's */
		const cw_table_cell *csl = dc_type_cell(w->t, value, DC_TY_CSL);
		if (!csl)
			return 1;
		return (enum cw_item_type)csl->value == cw_record_type(w->rec);
	}
	default:
		return 1;
	}
}

/* Writes the kept statements whose element (in this profile) is group. */
static void emit_kept(struct wctx *w, const char *group)
{
	size_t n = cw_record_passthrough_count(w->rec);
	for (size_t i = 0; i < n; i++) {
		const cw_passthrough *p = cw_record_passthrough(w->rec, i);
		if (strcmp(p->format, DC_PT) != 0 || !strncmp(p->name, "xml:lang:", 9) ||
		    !strncmp(p->name, "oai:", 4))
			continue;
		char term[128];
		const char *at = strchr(p->name, '@');
		size_t tl = at ? (size_t)(at - p->name) : strlen(p->name);
		if (tl >= sizeof term)
			continue;
		memcpy(term, p->name, tl);
		term[tl] = '\0';
		const char *e = out_elem(w, term);
		if (!e || strcmp(e, group) != 0)
			continue;
		if (!kept_consistent(w, term, p->value))
			continue;
		emit(w, e, at ? at + 1 : NULL, p->value);
	}
}

static const char *lang_of(struct wctx *w, enum cw_field f);

/* A value built in b: emitted, unless building it ran out of memory. */
static void emit_built(struct wctx *w, const char *elem, const char *lang, const cw_buf *b)
{
	if (cw_buf_error(b))
		w->rc = CW_ENOMEM;
	emit(w, elem, lang, cw_buf_str(b));
}

static void emit_names(struct wctx *w, enum cw_field f, const char *elem)
{
	size_t n = cw_record_name_count(w->rec, f);
	const char *lang = lang_of(w, f);
	cw_buf b = CW_BUF_INIT;
	for (size_t i = 0; i < n && w->rc >= 0; i++) {
		const cw_name *nm = cw_record_name(w->rec, f, i);
		if (nm->flags & CW_NAME_ETAL)
			continue;
		cw_buf_clear(&b);
		const char *v = NULL;
		if (nm->extra_format && !strcmp(nm->extra_format, DC_PT) && nm->extra) {
			/* the source's wording, if it still names the same person */
			cw_name p = CW_NAME_INIT;
			const char *aff;
			char *buf = malloc(strlen(nm->extra) + 8);
			if (!buf) {
				w->rc = CW_ENOMEM;
				break;
			}
			if (dc_name_parse(nm->extra, &p, buf, &aff) && dc_name_same(&p, nm))
				v = nm->extra;
			free(buf);
		}
		if (!v) {
			if (dc_name_format(nm, &b) < 0) {
				w->rc = CW_ENOMEM;
				break;
			}
			v = cw_buf_str(&b);
		}
		emit(w, elem, lang, v);
	}
	cw_buf_free(&b);
}

static void emit_items(struct wctx *w, enum cw_field f, const char *elem, const char *skip_type,
                       unsigned char *done)
{
	size_t n = cw_record_item_count(w->rec, f);
	for (size_t i = 0; i < n; i++) {
		const cw_item *it = cw_record_item(w->rec, f, i);
		if (done && done[i])
			continue;
		if (skip_type && it->type && !strcmp(it->type, skip_type))
			continue;
		emit(w, elem, it->lang, it->value);
	}
}

static void emit_rich(struct wctx *w, const char *elem, const char *lang, const char *rich)
{
	if (!rich)
		return;
	cw_buf b = CW_BUF_INIT;
	if (cw_rich_to_plain(&b, rich) < 0)
		w->rc = CW_ENOMEM;
	emit_built(w, elem, lang, &b);
	cw_buf_free(&b);
}

static void emit_date(struct wctx *w, enum cw_field f, const char *elem)
{
	const cw_date *d = cw_record_date(w->rec, f);
	if (!d)
		return;
	if (d->extra_format && !strcmp(d->extra_format, DC_PT) && d->extra) {
		cw_date p = CW_DATE_INIT;
		if (dc_date_parse(&p, d->extra, NULL) == CW_OK && dc_date_same(&p, d)) {
			emit(w, elem, NULL, d->extra);
			return;
		}
	}
	cw_buf b = CW_BUF_INIT;
	if (d->parts && cw_date_format_iso(d, &b) == CW_OK)
		emit_built(w, elem, NULL, &b);
	else if (cw_buf_error(&b))
		w->rc = CW_ENOMEM;
	else if (d->literal)
		emit(w, elem, NULL, d->literal);
	else if (d->raw)
		emit(w, elem, NULL, d->raw);
	cw_buf_free(&b);
}

static void emit_ident(struct wctx *w, const char *elem, enum dc_id_kind kind, const char *v)
{
	if (!v)
		return;
	cw_buf b = CW_BUF_INIT;
	if (dc_ident_format(kind, v, &b) < 0)
		w->rc = CW_ENOMEM;
	emit_built(w, elem, NULL, &b);
	cw_buf_free(&b);
}

static void emit_types(struct wctx *w)
{
	const char *e = "type";
	int kept = 0;
	size_t n = cw_record_passthrough_count(w->rec);
	for (size_t i = 0; i < n; i++) {
		const cw_passthrough *p = cw_record_passthrough(w->rec, i);
		if (!strcmp(p->format, DC_PT) &&
		    (!strcmp(p->name, "type") || !strncmp(p->name, "type@", 5)) &&
		    kept_consistent(w, "type", p->value)) {
			const cw_table_cell *csl = dc_type_cell(w->t, p->value, DC_TY_CSL);
			const cw_table_cell *vo = dc_type_cell(w->t, p->value, DC_TY_VOCAB);
			/* a JATS word is no type */
			kept += csl != NULL && !(vo && vo->value == DC_VOCAB_JATS);
		}
	}
	const char *at = cw_record_text(w->rec, CW_FIELD_ARTICLE_TYPE);
	if (!kept && !w->from_dc && (cw_record_type(w->rec) != CW_TYPE_UNSET || at)) {
		/* PKP: the DRIVER type, then the version; the article-type chooses first */
		const cw_table_cell *atc =
		    at ? cw_table_lookup(w->t->t, DC_SEC_ARTICLE_TYPES, DC_AT_ARTICLE_TYPE, at,
		                         CW_NUL, DC_AT_DC)
		       : NULL;
		const char *v = atc ? atc->text : NULL;
		const char *dcmi = NULL;
		enum cw_item_type csl = cw_record_type(w->rec);
		/* the rows of the record's type, in table order */
		for (size_t r = csl == CW_TYPE_UNSET ? CW_TABLE_NONE
		                                     : cw_table_find_value(w->t->t, DC_SEC_TYPES,
		                                                           DC_TY_CSL, (int32_t)csl);
		     r != CW_TABLE_NONE && (!v || !dcmi);
		     r = cw_table_find_next(w->t->t, DC_SEC_TYPES, DC_TY_CSL, r)) {
			const cw_table_cell *c = cw_table_row_at(w->t->t, DC_SEC_TYPES, r)->cells;
			if (!c[DC_TY_WRITE].text || !c[DC_TY_WRITE].value)
				continue;
			if (!v && c[DC_TY_VOCAB].value == DC_VOCAB_EU_REPO)
				v = c[DC_TY_DC].text;
			else if (!dcmi && c[DC_TY_VOCAB].value == DC_VOCAB_DCMI)
				dcmi = c[DC_TY_DC].text;
		}
		if (!v)
			v = "info:eu-repo/semantics/other";
		emit(w, e, NULL, v);
		emit(w, e, NULL, "info:eu-repo/semantics/publishedVersion");
		emit(w, e, NULL, dcmi);
	}
	emit_kept(w, e);
	/* the section: the section field, else the first subject of type "heading" (how
	 * JATS's subj-group heading may arrive); HTML: OJS's DC.Type.articleType */
	const char *section = cw_record_text(w->rec, CW_FIELD_SECTION);
	for (size_t i = 0; !section && i < cw_record_item_count(w->rec, CW_FIELD_SUBJECTS); i++) {
		const cw_item *it = cw_record_item(w->rec, CW_FIELD_SUBJECTS, i);
		if (it->type && !strcmp(it->type, "heading"))
			section = it->value;
	}
	emit(w, w->prof == DC_PROFILE_HTML ? "type.articleType" : e, lang_of(w, CW_FIELD_SECTION),
	     section);
	emit(w, e, lang_of(w, CW_FIELD_GENRE), cw_record_text(w->rec, CW_FIELD_GENRE));
}

static void emit_citation(struct wctx *w, const char *elem)
{
	const cw_record *r = w->rec;
	if (w->done_citation || !cw_record_has(r, CW_FIELD_CONTAINER_TITLE))
		return;
	dc_citation c;
	memset(&c, 0, sizeof c);
	cw_buf plain = CW_BUF_INIT, joined = CW_BUF_INIT;
	cw_record_joined_title(r, CW_FIELD_CONTAINER_TITLE, &joined);
	cw_rich_to_plain(&plain, cw_buf_str(&joined));
	if (cw_buf_error(&joined) || cw_buf_error(&plain))
		w->rc = CW_ENOMEM;
	cw_buf_free(&joined);
	snprintf(c.container, sizeof c.container, "%s", cw_buf_str(&plain));
	cw_buf_clear(&plain);
	const char *v;
	if ((v = cw_record_text(r, CW_FIELD_VOLUME)))
		snprintf(c.volume, sizeof c.volume, "%s", v);
	if ((v = cw_record_text(r, CW_FIELD_ISSUE)))
		snprintf(c.issue, sizeof c.issue, "%s", v);
	if ((v = cw_record_text(r, CW_FIELD_PAGE)) || (v = cw_record_text(r, CW_FIELD_PAGE_FIRST)))
		snprintf(c.pages, sizeof c.pages, "%s", v);
	if ((v = cw_record_text(r, CW_FIELD_ISSUE_TITLE))) {
		if (cw_rich_to_plain(&plain, v) < 0)
			w->rc = CW_ENOMEM;
		snprintf(c.issue_title, sizeof c.issue_title, "%s", cw_buf_str(&plain));
	}
	const cw_date *d = cw_record_date(r, CW_FIELD_ISSUED);
	c.year = d && d->parts ? d->year : 0;
	cw_buf_clear(&plain);
	if (dc_citation_format(&c, &plain) < 0)
		w->rc = CW_ENOMEM;
	emit_built(w, elem, lang_of(w, CW_FIELD_CONTAINER_TITLE), &plain);
	cw_buf_free(&plain);
}

/* Fields each profile writes (everything else is reported as not carried). */
static const enum cw_field carried_common[] = {
    CW_FIELD_ID, CW_FIELD_TITLE, CW_FIELD_SUBTITLE, CW_FIELD_TITLE_ADDON,
    CW_FIELD_CONTAINER_SUBTITLE, CW_FIELD_CONTAINER_TITLE_ADDON, CW_FIELD_TRANSLATED_TITLES,
    CW_FIELD_ALTERNATIVE_TITLES, CW_FIELD_AUTHOR, CW_FIELD_KEYWORDS, CW_FIELD_SUBJECTS,
    CW_FIELD_ABSTRACT, CW_FIELD_ABSTRACTS, CW_FIELD_PUBLISHER, CW_FIELD_CONTRIBUTOR,
    CW_FIELD_EDITOR, CW_FIELD_TRANSLATOR, CW_FIELD_FUNDING, CW_FIELD_ISSUED, CW_FIELD_SECTION,
    CW_FIELD_GENRE, CW_FIELD_URL, CW_FIELD_DOI, CW_FIELD_ISBN, CW_FIELD_PMID, CW_FIELD_PMCID,
    CW_FIELD_ARXIV, CW_FIELD_IDENTIFIERS, CW_FIELD_CONTAINER_TITLE, CW_FIELD_VOLUME, CW_FIELD_ISSUE,
    CW_FIELD_PAGE, CW_FIELD_PAGE_FIRST, CW_FIELD_ISSUE_TITLE, CW_FIELD_ISSN,
    CW_FIELD_ISSN_ELECTRONIC, CW_FIELD_CONTAINER_IDENTIFIERS, CW_FIELD_LANGUAGE, CW_FIELD_LINKS,
    CW_FIELD_RELATED, CW_FIELD_COPYRIGHT, CW_FIELD_LICENSE, CW_FIELD_LICENSE_URL,
    /* the terms profile only from here */
    CW_FIELD_ACCEPTED, CW_FIELD_SUBMITTED, CW_FIELD_AVAILABLE_DATE, CW_FIELD_COPYRIGHT_YEAR,
    CW_FIELD_COPYRIGHT_HOLDER};
#define CARRIED_OAI_N 43

/* 1 if a kept dc:type statement (read from DC) says the record's article-type. */
static int article_type_kept(const cw_record *r)
{
	const char *at = cw_record_text(r, CW_FIELD_ARTICLE_TYPE);
	for (size_t i = 0; at && i < cw_record_passthrough_count(r); i++) {
		const cw_passthrough *p = cw_record_passthrough(r, i);
		if (!strcmp(p->format, DC_PT) && !strcmp(p->name, "type") && !strcmp(p->value, at))
			return 1;
	}
	return 0;
}

static void report(struct wctx *w)
{
	const cw_record *r = w->rec;
	size_t n = w->prof == DC_PROFILE_OAI ? CARRIED_OAI_N
	                                     : sizeof carried_common / sizeof carried_common[0];
	enum cw_field carried[sizeof carried_common / sizeof carried_common[0] + 1];
	memcpy(carried, carried_common, n * sizeof carried[0]);
	/* the eu-repo type says the article-type only as far as its vocabulary goes */
	if (article_type_kept(r))
		carried[n++] = CW_FIELD_ARTICLE_TYPE;
	cw_diag_uncarried(w->s, r, carried, n);
	/* passthrough of other formats */
	cw_diag_uncarried_passthrough(w->s, r, DC_PT);
	/* name details DC has no place for */
	static const enum cw_field nf[] = {CW_FIELD_AUTHOR, CW_FIELD_CONTRIBUTOR, CW_FIELD_EDITOR,
	                                   CW_FIELD_TRANSLATOR};
	for (size_t k = 0; k < sizeof nf / sizeof nf[0]; k++) {
		int orcid = 0, aff = 0, mail = 0;
		for (size_t i = 0; i < cw_record_name_count(r, nf[k]); i++) {
			const cw_name *nm = cw_record_name(r, nf[k], i);
			orcid |= nm->orcid != NULL;
			aff |= nm->affiliation_count > 0;
			mail |= nm->email != NULL;
		}
		if (orcid)
			cw_diag_not_carried(w->s, r, nf[k], "ORCID");
		if (mail)
			cw_diag_not_carried(w->s, r, nf[k], "email");
		(void)aff; /* affiliations are reported through the affiliations field */
	}
}

/*
 * The writer's steps: one per DC element, in the order PKP writes them,
 * each the record's values and then the statements kept from a DC source
 * (emit_kept, which marks the values they already say).
 */

static void write_titles(struct wctx *w)
{
	const cw_record *rec = w->rec;
	/* one dc:title: the title joined with its subtitle and addon */
	if (cw_record_has(rec, CW_FIELD_TITLE)) {
		cw_buf j = CW_BUF_INIT;
		if (cw_record_joined_title(rec, CW_FIELD_TITLE, &j) < 0)
			w->rc = CW_ENOMEM;
		emit_rich(w, "title", lang_of(w, CW_FIELD_TITLE), cw_buf_str(&j));
		cw_buf_free(&j);
	}
	for (size_t i = 0; i < cw_record_item_count(rec, CW_FIELD_TRANSLATED_TITLES); i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_TRANSLATED_TITLES, i);
		emit_rich(w, "title", it->lang, it->value);
	}
	for (size_t i = 0; i < cw_record_item_count(rec, CW_FIELD_ALTERNATIVE_TITLES); i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_ALTERNATIVE_TITLES, i);
		emit_rich(w, w->terms ? "alternative" : "title", it->lang, it->value);
	}
	emit_kept(w, "title");
	if (w->terms)
		emit_kept(w, "alternative");
}

static void write_creators(struct wctx *w)
{
	emit_names(w, CW_FIELD_AUTHOR, "creator");
	emit_kept(w, "creator");
}

static void write_subjects(struct wctx *w)
{
	const cw_record *rec = w->rec;
	emit_items(w, CW_FIELD_KEYWORDS, "subject", NULL, NULL);
	/* subjects; the first "heading" is the section when there is no section field */
	/* (JATS readers may give the heading both as section and as a subject) */
	int skip_heading = !cw_record_has(rec, CW_FIELD_SECTION);
	const char *sect = cw_record_text(rec, CW_FIELD_SECTION);
	for (size_t i = 0; i < cw_record_item_count(rec, CW_FIELD_SUBJECTS); i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_SUBJECTS, i);
		int heading = it->type && !strcmp(it->type, "heading");
		if (heading && (skip_heading || (sect && !strcmp(sect, it->value)))) {
			skip_heading = 0;
			continue;
		}
		emit(w, "subject", it->lang, it->value);
	}
	emit_kept(w, "subject");
}

static void write_descriptions(struct wctx *w)
{
	const cw_record *rec = w->rec;
	const char *de = w->terms ? "abstract" : "description";
	emit_rich(w, de, lang_of(w, CW_FIELD_ABSTRACT), cw_record_text(rec, CW_FIELD_ABSTRACT));
	for (size_t i = 0; i < cw_record_item_count(rec, CW_FIELD_ABSTRACTS); i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_ABSTRACTS, i);
		emit_rich(w, de, it->lang, it->value);
	}
	emit_kept(w, "description");
	if (w->terms) {
		emit_kept(w, "abstract");
		emit_kept(w, "tableOfContents");
	}
}

static void write_publishers(struct wctx *w)
{
	const cw_record *rec = w->rec;
	if (cw_record_has(rec, CW_FIELD_PUBLISHER))
		emit(w, "publisher", lang_of(w, CW_FIELD_PUBLISHER),
		     cw_record_text(rec, CW_FIELD_PUBLISHER));
	else if (!w->from_dc && cw_record_has(rec, CW_FIELD_CONTAINER_TITLE))
		emit_rich(w, "publisher", NULL, cw_record_text(rec, CW_FIELD_CONTAINER_TITLE));
	emit_kept(w, "publisher");
}

static void write_contributors(struct wctx *w)
{
	emit_names(w, CW_FIELD_CONTRIBUTOR, "contributor");
	emit_names(w, CW_FIELD_EDITOR, "contributor");
	emit_names(w, CW_FIELD_TRANSLATOR, "contributor");
	for (size_t i = 0; i < cw_record_funding_count(w->rec); i++)
		emit(w, "contributor", NULL, cw_record_funding(w->rec, i)->funder);
	emit_kept(w, "contributor");
}

/* Kept statements of qualified DC terms each: a list ends with NULL. */
static void emit_kept_all(struct wctx *w, const char *const *terms)
{
	for (size_t i = 0; terms[i]; i++)
		emit_kept(w, terms[i]);
}

static void write_dates(struct wctx *w)
{
	emit_date(w, CW_FIELD_ISSUED, w->terms ? "issued" : "date");
	if (w->terms) {
		emit_date(w, CW_FIELD_AVAILABLE_DATE, "available");
		emit_date(w, CW_FIELD_ACCEPTED, "dateAccepted");
		emit_date(w, CW_FIELD_SUBMITTED, "dateSubmitted");
		emit(w, "dateCopyrighted", NULL, cw_record_text(w->rec, CW_FIELD_COPYRIGHT_YEAR));
		static const char *const dates[] = {
		    "issued",       "created",       "available",
		    "dateAccepted", "dateSubmitted", "dateCopyrighted",
		    "modified",     "valid",         NULL};
		emit_kept_all(w, dates);
	}
	emit_kept(w, "date");
}

static void write_formats(struct wctx *w)
{
	emit_kept(w, "format");
	if (w->terms) {
		emit_kept(w, "extent");
		emit_kept(w, "medium");
	}
}

/*
 * An identifiers item of type handle, unless a URL says it already. A
 * hdl.handle.net URL is written where its handle stands (*url_at_handle
 * then cleared), so the order of the identifiers survives a round trip.
 */
static void emit_handle(struct wctx *w, size_t i, int *url_at_handle)
{
	const cw_record *rec = w->rec;
	const char *url = cw_record_text(rec, CW_FIELD_URL);
	size_t n = cw_record_item_count(rec, CW_FIELD_IDENTIFIERS);
	const cw_item *it = cw_record_item(rec, CW_FIELD_IDENTIFIERS, i);
	/* the hdl.handle.net URL already says it */
	char u[600];
	snprintf(u, sizeof u, "hdl.handle.net/%s", it->value);
	int dup = url && strstr(url, u);
	if (dup && *url_at_handle) {
		emit(w, "identifier", NULL, url);
		*url_at_handle = 0;
		return;
	}
	for (size_t j = 0; j < n && !dup; j++) {
		const cw_item *o = cw_record_item(rec, CW_FIELD_IDENTIFIERS, j);
		dup = j != i && strstr(o->value, u);
	}
	if (!dup)
		emit_ident(w, "identifier", DC_ID_HANDLE, it->value);
}

static void write_identifiers(struct wctx *w)
{
	const cw_record *rec = w->rec;
	/* kept (verbatim) forms first, so they mark what they cover */
	emit_kept(w, "identifier");
	if (w->terms)
		emit_kept(w, "bibliographicCitation");
	/* a hdl.handle.net URL is written where its handle item stands (emit_handle) */
	int url_at_handle = 0;
	const char *url = cw_record_text(rec, CW_FIELD_URL);
	if (url && !w->done_url) {
		dc_ident uid;
		dc_ident_classify(url, &uid);
		url_at_handle = uid.handle[0] &&
		                find_item(rec, CW_FIELD_IDENTIFIERS, "handle", uid.handle, NULL);
	}
	if (!w->done_url && !url_at_handle)
		emit(w, "identifier", NULL, url);
	if (!w->done_doi)
		emit_ident(w, "identifier", DC_ID_DOI, cw_record_text(rec, CW_FIELD_DOI));
	if (!w->done_isbn)
		emit(w, "identifier", NULL, cw_record_text(rec, CW_FIELD_ISBN));
	if (!w->done_pmid)
		emit_ident(w, "identifier", DC_ID_PMID, cw_record_text(rec, CW_FIELD_PMID));
	emit(w, "identifier", NULL, cw_record_text(rec, CW_FIELD_PMCID));
	if (!w->done_arxiv)
		emit_ident(w, "identifier", DC_ID_ARXIV, cw_record_text(rec, CW_FIELD_ARXIV));
	size_t n = cw_record_item_count(rec, CW_FIELD_IDENTIFIERS);
	for (size_t i = 0; i < n; i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_IDENTIFIERS, i);
		if (w->done_ids[i])
			continue;
		if (it->type && !strcmp(it->type, "handle"))
			emit_handle(w, i, &url_at_handle);
		else if (it->type && !strcmp(it->type, "doi"))
			emit_ident(w, "identifier", DC_ID_DOI, it->value);
		else if (it->type && !strcmp(it->type, "oai"))
			continue; /* the OAI header carries it */
		else
			emit(w, "identifier", NULL, it->value);
	}
}

/* The source: the journal citation, ISSNs, the issue DOI. */
static void write_sources(struct wctx *w)
{
	const cw_record *rec = w->rec;
	int terms = w->terms;
	emit_kept(w, "source");
	if (!terms)
		emit_kept(w, "bibliographicCitation") /* dumbs down to identifier: none here */;
	emit_citation(w, terms ? "bibliographicCitation" : "source");
	const char *issn_el = terms ? "isPartOf" : "source";
	char buf[600];
	const char *e = cw_record_text(rec, CW_FIELD_ISSN_ELECTRONIC);
	const char *p = cw_record_text(rec, CW_FIELD_ISSN);
	if (terms)
		emit_kept(w, "isPartOf");
	if (e && !w->done_eissn) {
		snprintf(buf, sizeof buf, terms ? "urn:ISSN:%s" : "%s", e);
		emit(w, issn_el, NULL, buf);
	}
	if (p && !w->done_issn) {
		snprintf(buf, sizeof buf, terms ? "urn:ISSN:%s" : "%s", p);
		emit(w, issn_el, NULL, buf);
	}
	size_t n = cw_record_item_count(rec, CW_FIELD_CONTAINER_IDENTIFIERS);
	for (size_t i = 0; i < n; i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_CONTAINER_IDENTIFIERS, i);
		if (!w->done_cids[i] && it->type && !strcmp(it->type, "doi"))
			emit_ident(w, "source", DC_ID_DOI, it->value);
	}
}

/* The language first (in the source's wording if it had one), then the others. */
static void write_languages(struct wctx *w)
{
	const cw_record *rec = w->rec;
	const cw_passthrough *prim = NULL;
	const char *lang = cw_record_text(rec, CW_FIELD_LANGUAGE);
	for (size_t i = 0; lang && i < cw_record_passthrough_count(rec) && !prim; i++) {
		const cw_passthrough *p = cw_record_passthrough(rec, i);
		char m[64];
		if (strcmp(p->format, DC_PT) || strcmp(p->name, "language"))
			continue;
		map_language(w->t, p->value, m, sizeof m);
		if (!strcasecmp(m, lang))
			prim = p;
	}
	emit(w, "language", NULL, prim ? prim->value : lang);
	w->done_language = 1;
	size_t n = cw_record_passthrough_count(rec);
	for (size_t i = 0; i < n; i++) {
		const cw_passthrough *p = cw_record_passthrough(rec, i);
		if (p != prim && !strcmp(p->format, DC_PT) &&
		    (!strcmp(p->name, "language") || !strncmp(p->name, "language@", 9)))
			emit(w, "language", strchr(p->name, '@') ? strchr(p->name, '@') + 1 : NULL,
			     p->value);
	}
}

static void write_relations(struct wctx *w)
{
	const cw_record *rec = w->rec;
	emit_kept(w, "relation");
	if (w->terms) {
		static const char *const rel[] = {
		    "hasPart",      "isVersionOf", "hasVersion", "isReferencedBy", "references",
		    "isReplacedBy", "replaces",    "requires",   "isRequiredBy",   "isFormatOf",
		    "hasFormat",    "conformsTo",  NULL};
		emit_kept_all(w, rel);
	}
	emit_items(w, CW_FIELD_LINKS, "relation", NULL, w->done_links);
	for (size_t i = 0; i < cw_record_item_count(rec, CW_FIELD_RELATED); i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_RELATED, i);
		if (w->done_related[i])
			continue;
		if (it->scheme && !strcmp(it->scheme, "doi"))
			emit_ident(w, "relation", DC_ID_DOI, it->value);
		else
			emit(w, "relation", NULL, it->value);
	}
}

static void write_coverage(struct wctx *w)
{
	emit_kept(w, "coverage");
	if (w->terms) {
		emit_kept(w, "spatial");
		emit_kept(w, "temporal");
	}
}

/* Rights; then qualified DC's rightsHolder and the terms no element of DC's has. */
static void write_rights(struct wctx *w)
{
	const cw_record *rec = w->rec;
	int terms = w->terms;
	emit_rich(w, "rights", lang_of(w, CW_FIELD_COPYRIGHT),
	          cw_record_text(rec, CW_FIELD_COPYRIGHT));
	emit_rich(w, terms ? "license" : "rights", lang_of(w, CW_FIELD_LICENSE),
	          cw_record_text(rec, CW_FIELD_LICENSE));
	emit_kept(w, "rights");
	if (terms) {
		emit_kept(w, "license");
		emit_kept(w, "accessRights");
	}
	emit(w, terms ? "license" : "rights", lang_of(w, CW_FIELD_LICENSE_URL),
	     cw_record_text(rec, CW_FIELD_LICENSE_URL));
	if (terms) {
		emit(w, "rightsHolder", NULL, cw_record_text(rec, CW_FIELD_COPYRIGHT_HOLDER));
		emit_kept(w, "rightsHolder");
		static const char *const other[] = {
		    "audience",       "provenance",         "instructionalMethod",
		    "accrualMethod",  "accrualPeriodicity", "accrualPolicy",
		    "educationLevel", "mediator",           NULL};
		emit_kept_all(w, other);
	}
}

/* The writer's steps, in order (see above). */
static void (*const write_steps[])(struct wctx *w) = {
    write_titles,       write_creators,  write_subjects,  write_descriptions, write_publishers,
    write_contributors, write_dates,     emit_types,      write_formats,      write_identifiers,
    write_sources,      write_languages, write_relations, write_coverage,     write_rights,
};

/* Kept terms with no DC element: only qualified DC can say them. */
static void report_unplaced_terms(struct wctx *w)
{
	const cw_record *rec = w->rec;
	size_t n = cw_record_passthrough_count(rec);
	for (size_t i = 0; i < n; i++) {
		const cw_passthrough *p = cw_record_passthrough(rec, i);
		if (strcmp(p->format, DC_PT) || !strncmp(p->name, "xml:lang:", 9) ||
		    !strncmp(p->name, "oai:", 4))
			continue;
		char term[128];
		size_t tl = strcspn(p->name, "@");
		if (tl >= sizeof term)
			continue;
		memcpy(term, p->name, tl);
		term[tl] = '\0';
		if (!dc_term_parent(w->t, term) && !dc_term_row_of(w->t, term)) {
			cw_diag_not_carried(w->s, rec, CW_FIELD_NONE, "%s:%s", DC_PT, p->name);
		} else if (!w->terms && !dc_term_parent(w->t, term)) {
			cw_diag_not_carried(w->s, rec, CW_FIELD_NONE, "%s:%s", DC_PT, p->name);
		}
	}
}

int dc_map_write(const dc_tables *t, cw_session *s, const cw_record *rec, enum dc_profile prof,
                 dc_stmts *out)
{
	struct wctx w = {.t = t, .s = s, .rec = rec, .prof = prof, .out = out};
	const char *sf = cw_record_source_format(rec);
	w.from_dc = sf && (!strcmp(sf, "dc") || !strcmp(sf, "dcterms") || !strcmp(sf, "html-meta"));
	w.terms = prof != DC_PROFILE_OAI;
	size_t nids = cw_record_item_count(rec, CW_FIELD_IDENTIFIERS) + 1;
	size_t ncid = cw_record_item_count(rec, CW_FIELD_CONTAINER_IDENTIFIERS) + 1;
	size_t nlnk = cw_record_item_count(rec, CW_FIELD_LINKS) + 1;
	size_t nrel = cw_record_item_count(rec, CW_FIELD_RELATED) + 1;
	w.done_ids = calloc(nids, 1);
	w.done_cids = calloc(ncid, 1);
	w.done_links = calloc(nlnk, 1);
	w.done_related = calloc(nrel, 1);
	if (!w.done_ids || !w.done_cids || !w.done_links || !w.done_related) {
		w.rc = CW_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < sizeof write_steps / sizeof write_steps[0]; i++)
		write_steps[i](&w);
	if (prof != DC_PROFILE_HTML) {
		report_unplaced_terms(&w);
		report(&w);
	}
done:
	free(w.done_ids);
	free(w.done_cids);
	free(w.done_links);
	free(w.done_related);
	return w.rc < 0 ? w.rc : CW_OK;
}
