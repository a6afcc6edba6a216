/*
 * The reference-string parser's public face: the citations table (its
 * schema, the embedded formats/citations.yaml, its words compiled once per
 * session), cw_citation_parse and its kin, and the mark a parse leaves.
 * The parse itself is citation_parse.c.
 */
#include <stdlib.h>
#include <string.h>

#include "citation_int.h"

extern const char cw__citations_yaml[];
extern const size_t cw__citations_yaml_len;

enum { COL_WORD, COL_ROLE, COL_VALUE, COL_TYPE, COL_LANG };

static const cw_table_column word_columns[] = {
    CW_TABLE_COLUMN(.name = "word", .type = CW_CELL_TEXT, .flags = CW_COLUMN_REQUIRED,
                    .help = "the phrase, with its own punctuation (\"pp.\", \"et al.\")"),
    CW_TABLE_COLUMN(.name = "role", .type = CW_CELL_ENUM, .flags = CW_COLUMN_REQUIRED,
                    .values = "particle|month|etal|and|editor|translator|container|nodate|inpress|"
                              "page|volume|issue|edition|access|accessed|genre|report|conference|"
                              "journal|publisher|cue|repeat|organisation|versus|law|abbrev",
                    .help = "what the phrase means where the parser meets it"),
    CW_TABLE_COLUMN(.name = "value", .type = CW_CELL_INT,
                    .help = "month: the month 1-12 (seasons 21-24)"),
    CW_TABLE_COLUMN(.name = "type", .type = CW_CELL_ITEM_TYPE,
                    .help = "genre, report: the CSL type the phrase names"),
    CW_TABLE_COLUMN(.name = "lang", .type = CW_CELL_TEXT,
                    .help = "the language of the phrase (documentation)"),
    {0}};

static const cw_table_section sections[] = {
    CW_TABLE_SECTION(.name = "words", .columns = word_columns,
                     .help = "the words of reference strings the parser knows"),
    {0}};

static const cw_table_schema citation_schema = CW_TABLE_SCHEMA(
        .name = "citations", .yaml = cw__citations_yaml, .yaml_len = CW_NUL,
        .yaml_name = "formats/citations.yaml", .sections = sections);

const cw_table_schema *const cw__core_schemas[] = {&citation_schema, NULL};

int cw__table_schema_is_core(const cw_table_schema *schema)
{
	for (const cw_table_schema *const *c = cw__core_schemas; *c; c++)
		if (*c == schema)
			return 1;
	return 0;
}

const cw_table_schema *cw_citation_table_schema(void)
{
	return &citation_schema;
}

/* --- the words, compiled ------------------------------------------------- */

static unsigned char lower_ascii(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static void words_free(void *p)
{
	cite_words *w = p;
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++)
		free(w->p[i].low);
	free(w->p);
	free(w);
}

static int phrase_cmp(const void *a, const void *b)
{
	const cite_phrase *x = a, *y = b;
	int c = strcmp(x->low, y->low);
	return c;
}

/* Compiles the table's rows: one phrase per distinct text, its roles or-ed. */
static int words_compile(const cw_table *t, cite_words **out)
{
	*out = NULL;
	size_t rows = cw_table_row_count(t, 0);
	cite_words *w = calloc(1, sizeof *w);
	if (!w || !(w->p = calloc(rows ? rows : 1, sizeof *w->p))) {
		free(w);
		return CW_ENOMEM;
	}
	for (size_t r = 0; r < rows; r++) {
		const cw_table_cell *word = cw_table_cell_at(t, 0, r, COL_WORD),
		                    *role = cw_table_cell_at(t, 0, r, COL_ROLE),
		                    *value = cw_table_cell_at(t, 0, r, COL_VALUE),
		                    *type = cw_table_cell_at(t, 0, r, COL_TYPE);
		if (!word || !word->text || !*word->text || !role)
			continue;
		size_t len = strlen(word->text);
		char *low = malloc(len + 1);
		if (!low) {
			words_free(w);
			return CW_ENOMEM;
		}
		for (size_t i = 0; i < len; i++)
			low[i] = (char)lower_ascii((unsigned char)word->text[i]);
		low[len] = 0;
		cite_phrase *p = &w->p[w->n++];
		p->low = low;
		p->len = len;
		p->roles = 1u << (unsigned)role->value;
		p->month = value && value->text ? value->value : 0;
		p->type = type && type->text && type->value > 0 ? type->value : 0;
	}
	qsort(w->p, w->n, sizeof *w->p, phrase_cmp);
	/* one phrase per text: the roles of its rows together */
	size_t k = 0;
	for (size_t i = 0; i < w->n; i++) {
		if (k && strcmp(w->p[k - 1].low, w->p[i].low) == 0) {
			cite_phrase *d = &w->p[k - 1];
			d->roles |= w->p[i].roles;
			if (!d->month)
				d->month = w->p[i].month;
			if (!d->type)
				d->type = w->p[i].type;
			free(w->p[i].low);
			continue;
		}
		w->p[k++] = w->p[i];
	}
	w->n = k;
	size_t i = 0;
	for (unsigned b = 0; b < 256; b++) {
		w->first[b] = (uint32_t)i;
		while (i < w->n && (unsigned char)w->p[i].low[0] == b)
			i++;
	}
	w->first[256] = (uint32_t)w->n;
	*out = w;
	return CW_OK;
}

int cw__cite_words(cw_session *s, const cite_words **out)
{
	*out = cw__session_citation(s);
	if (*out)
		return CW_OK;
	const cw_table *t = NULL;
	int rc = cw_session_table(s, &citation_schema, &t);
	if (rc)
		return rc;
	cite_words *w = NULL;
	rc = words_compile(t, &w);
	if (rc)
		return cw_diag_emit(s, CW_SEV_ERROR, rc, 0, 0, "out of memory");
	cw__session_set_citation(s, w, words_free);
	*out = w;
	return CW_OK;
}

static int word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

size_t cw__cite_match(const cite_words *w, const char *text, size_t at, size_t end, unsigned mask,
                      const cite_phrase **hit)
{
	*hit = NULL;
	if (at >= end)
		return 0;
	unsigned char b = lower_ascii((unsigned char)text[at]);
	size_t best = 0;
	for (uint32_t i = w->first[b]; i < w->first[b + 1]; i++) {
		const cite_phrase *p = &w->p[i];
		if (!(p->roles & mask))
			continue;
		size_t n = 0;
		while (n < p->len && at + n < end &&
		       lower_ascii((unsigned char)text[at + n]) == (unsigned char)p->low[n])
			n++;
		size_t len = n;
		if (n < p->len) {
			/* a phrase ending in '.' also matches without it */
			if (!(n == p->len - 1 && p->low[n] == '.'))
				continue;
		}
		/* the phrase ends where a word ends, unless it ends in punctuation */
		unsigned char last = (unsigned char)p->low[p->len - 1];
		if (word_byte(last) || len < p->len) {
			if (at + len < end && word_byte((unsigned char)text[at + len]))
				continue;
		}
		if (len > best) {
			best = len;
			*hit = p;
		}
	}
	return best;
}

/* --- the API ------------------------------------------------------------- */

static const enum cw_field not_content[] = {CW_FIELD_ID, CW_FIELD_CITATION_KEY,
                                            CW_FIELD_CITATION_LABEL, CW_FIELD_CITATION_NUMBER,
                                            CW_FIELD_NOTE};

enum cw_field cw_citation_source(const cw_record *rec)
{
	if (!rec)
		return CW_FIELD_NONE;
	static const enum cw_field structured[] = {CW_FIELD_AUTHOR, CW_FIELD_EDITOR, CW_FIELD_TITLE,
	                                           CW_FIELD_CONTAINER_TITLE, CW_FIELD_ISSUED};
	if (cw_record_has(rec, CW_FIELD_ORIGINAL_CITATION)) {
		for (size_t i = 0; i < sizeof structured / sizeof structured[0]; i++)
			if (cw_record_has(rec, structured[i]))
				return CW_FIELD_NONE;
		return CW_FIELD_ORIGINAL_CITATION;
	}
	if (!cw_record_has(rec, CW_FIELD_NOTE))
		return CW_FIELD_NONE;
	for (enum cw_field f = cw_record_next_field(rec, CW_FIELD_NONE); f != CW_FIELD_NONE;
	     f = cw_record_next_field(rec, f)) {
		int other = 1;
		for (size_t i = 0; i < sizeof not_content / sizeof not_content[0]; i++)
			if (f == not_content[i])
				other = 0;
		if (other)
			return CW_FIELD_NONE;
	}
	return CW_FIELD_NOTE;
}

/* Marks rec as parsed and tells of it: custom.inferred and the "inferred" note. */
static int mark_inferred(cw_session *s, cw_record *rec, const unsigned char *inferred,
                         unsigned flags)
{
	cw_buf json = CW_BUF_INIT, names = CW_BUF_INIT;
	cw_buf_putc(&json, '[');
	size_t n = 0;
	for (int f = 0; f < CW_FIELD_COUNT_; f++) {
		if (!inferred[f])
			continue;
		/* slot 0 (CW_FIELD_NONE, never a field) stands for the item type */
		const char *name = f ? cw_field_name((enum cw_field)f) : "type";
		cw_buf_printf(&json, "%s\"%s\"", n ? "," : "", name);
		cw_buf_printf(&names, "%s%s", n ? ", " : "", name);
		n++;
	}
	cw_buf_putc(&json, ']');
	int rc = cw_buf_error(&json) ? CW_ENOMEM : cw_buf_error(&names) ? CW_ENOMEM : CW_OK;
	if (rc == CW_OK && n) {
		/* a second parse of the record adds no second mark */
		if (!cw_record_find_passthrough(rec, CW_CITATION_MARK_FORMAT, CW_CITATION_MARK_NAME))
			rc = cw_record_add_passthrough(rec, CW_CITATION_MARK_FORMAT,
			                               CW_CITATION_MARK_NAME, cw_buf_str(&json), json.len);
		if (rc == CW_OK && !(flags & CW_CITATION_QUIET)) {
			uint32_t line = 0, col = 0;
			cw_record_origin(rec, &line, &col);
			cw__diag_inferred(s, line, col, "fields inferred from the reference text: %s",
			                  cw_buf_str(&names));
		}
	}
	cw_buf_free(&json);
	cw_buf_free(&names);
	return rc < 0 ? rc : CW_OK;
}

int cw_citation_parse(cw_session *s, cw_record *rec, enum cw_field from, unsigned flags)
{
	if (!s || !rec)
		return CW_EINVAL;
	enum cw_kind k = cw_field_kind(from);
	if (k != CW_KIND_TEXT && k != CW_KIND_RICH)
		return CW_EINVAL;
	const char *text = cw_record_text(rec, from);
	if (!text)
		return CW_OK;
	const cite_words *w = NULL;
	int rc = cw__cite_words(s, &w);
	if (rc)
		return rc;
	unsigned char inferred[CW_FIELD_COUNT_];
	memset(inferred, 0, sizeof inferred);
	rc = cw__cite_parse(w, rec, text, strlen(text), inferred);
	if (rc == CW_OK)
		rc = mark_inferred(s, rec, inferred, flags);
	if (rc == CW_ENOMEM)
		cw_diag_emit(s, CW_SEV_ERROR, rc, 0, 0, "out of memory while parsing a reference");
	return rc;
}

int cw_citation_parse_text(cw_session *s, cw_record *rec, const char *text, size_t len,
                           unsigned flags)
{
	if (!s || !rec || !text)
		return CW_EINVAL;
	int rc = cw_record_set_text(rec, CW_FIELD_ORIGINAL_CITATION, text, len);
	if (rc < 0)
		return rc;
	return cw_citation_parse(s, rec, CW_FIELD_ORIGINAL_CITATION, flags);
}
