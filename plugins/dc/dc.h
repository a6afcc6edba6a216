/*
 * Dublin Core plugin internals: the statement list every DC serialisation
 * (oai_dc XML, qualified DC XML, HTML meta tags) is read into and written
 * from, the value parsers that recover structure DC flattens, and the
 * mapping between statements and the canonical record.
 */
#ifndef DC_H
#define DC_H

#include <crosswalk/crosswalk.h>
#include <crosswalk/plugin.h>

/* Passthrough format name of everything this plugin keeps. */
#define DC_PT "dc"

/*
 * One DC statement. elem is the DCMI term's local name ("title",
 * "abstract", "bibliographicCitation"): the 15 elements are the same terms
 * in the /elements/1.1/ and /terms/ namespaces, so local names are unique.
 */
typedef struct dc_stmt {
	char *elem;
	char *lang; /* xml:lang or NULL */
	char *value;
	uint32_t line, col;
} dc_stmt;

typedef struct dc_stmts {
	dc_stmt *v;
	size_t n, cap;
} dc_stmts;

int dc_stmts_add(dc_stmts *s, const char *elem, const char *lang, const char *value, size_t len,
                 uint32_t line, uint32_t col);
void dc_stmts_clear(dc_stmts *s);
void dc_stmts_free(dc_stmts *s);

/* Profiles a statement list is written for. */
enum dc_profile {
	DC_PROFILE_OAI = 0, /* the 15 elements only: refinements dumbed down */
	DC_PROFILE_TERMS,   /* DCMI terms: refinements kept */
	DC_PROFILE_HTML     /* DC.* / DCTERMS.* meta tags (terms kept) */
};

/* --- value parsers (dc_text.c) --- */

/* Parses a dc:creator/contributor string into n; strings point into buf
 * (size >= strlen(s) + 8). Returns 1 if a name was found. *aff is set to
 * the text after ';' (an old OJS "name; affiliation" form) or NULL. */
int dc_name_parse(const char *s, cw_name *n, char *buf, const char **aff);
/* Writes a name in the "Family, Given" form PKP uses. */
int dc_name_format(const cw_name *n, cw_buf *out);
/* 1 if the two names have the same parts (family, given, particles, suffix, literal). */
int dc_name_same(const cw_name *a, const cw_name *b);

/* Parses a date in W3CDTF/ISO 8601 or a common written form (the core's
 * cw_date_parse). Returns CW_OK, or CW_EFORMAT (d untouched) when it is no
 * date; why (may be NULL) then says why when it only looked like one. */
int dc_date_parse(cw_date *d, const char *s, cw_buf *why);
/* 1 if two dates have the same parts and flags. */
int dc_date_same(const cw_date *a, const cw_date *b);

enum dc_id_kind {
	DC_ID_OTHER = 0,
	DC_ID_DOI,
	DC_ID_URL,
	DC_ID_HANDLE, /* hdl:X / info:hdl/X; a hdl.handle.net URL is DC_ID_URL with handle set */
	DC_ID_URN,
	DC_ID_ISBN,
	DC_ID_ISSN,
	DC_ID_PMID,
	DC_ID_ARXIV
};

typedef struct dc_ident {
	enum dc_id_kind kind;
	char value[512];  /* normalised: bare DOI, ISSN NNNN-NNNN, ISBN as written... */
	char handle[512]; /* for a hdl.handle.net URL: the handle; else "" */
} dc_ident;

/* Classifies an identifier string. */
void dc_ident_classify(const char *s, dc_ident *out);
/* The canonical written form of an identifier of a kind (DOIs as https://doi.org/...). */
int dc_ident_format(enum dc_id_kind kind, const char *value, cw_buf *out);
const char *dc_ident_kind_name(enum dc_id_kind kind);

/* A journal citation parsed out of dc:source / dcterms:bibliographicCitation. */
typedef struct dc_citation {
	char container[1024];
	char volume[64];
	char issue[64];
	char issue_title[512];
	char pages[128];
	int year; /* 0 = none */
} dc_citation;

/* Parses a citation string of the usual repository/journal shapes. Returns
 * 1 when the whole string was understood (container title and at least one
 * of volume, issue, year, pages), 0 otherwise (c unspecified). */
int dc_citation_parse(const char *s, dc_citation *c);
/* Writes the PKP form "Title; Vol. 9 No. 1 (2008); 112-124". */
int dc_citation_format(const dc_citation *c, cw_buf *out);

/* --- mapping (dc_map.c) --- */

/* The schema of formats/dc.yaml, shared by the plugin's formats. */
extern const cw_table_schema dc_table_schema;

/* Sections of the table and their columns, in schema order (dc_map.c). */
enum { DC_SEC_ELEMENTS, DC_SEC_TYPES, DC_SEC_ARTICLE_TYPES, DC_SEC_LANGUAGES, DC_SEC_WRITE };
enum { DC_EL_TERM, DC_EL_PARENT, DC_EL_HANDLER };
enum { DC_TY_DC, DC_TY_CSL, DC_TY_VOCAB, DC_TY_WRITE, DC_TY_GENRE };
enum { DC_AT_ARTICLE_TYPE, DC_AT_DC };
enum { DC_LANG_DC, DC_LANG_BCP47 };
/* The vocab column's words, in order. */
enum dc_vocab {
	DC_VOCAB_EU_REPO,
	DC_VOCAB_COAR,
	DC_VOCAB_DINI,
	DC_VOCAB_DCMI,
	DC_VOCAB_VERSION,
	DC_VOCAB_WORD,
	DC_VOCAB_JATS
};

/* One row of the elements table, resolved once per stage. */
typedef struct dc_term_row {
	const char *term;   /* borrowed from the table */
	const char *parent; /* the DC element it dumbs down to, or NULL */
	int handler;        /* reader handler (dc_map.c) */
	int group;          /* index of parent among the 15 elements; 15 = none */
} dc_term_row;

typedef struct dc_tables {
	const cw_table *t; /* formats/dc.yaml with overrides; owned by the session */
	dc_term_row *rows; /* the elements section, row for row */
	size_t nrows;
} dc_tables;

int dc_tables_load(dc_tables *t, cw_session *s);
void dc_tables_free(dc_tables *t);
/* The row of a term (exact), or NULL. */
const dc_term_row *dc_term_row_of(const dc_tables *t, const char *term);
/* The table's spelling of a term, matched ASCII case-insensitively, or NULL. */
const char *dc_term_canonical(const dc_tables *t, const char *term);
/*
 * The cell col of the types row of value (matched ASCII case-insensitively)
 * that is the first to have one, or NULL.
 */
const cw_table_cell *dc_type_cell(const dc_tables *t, const char *value, size_t col);

/* Builds a record from statements. Diagnostics use the statements' lines. */
int dc_map_read(const dc_tables *t, cw_session *s, const dc_stmts *st, cw_record *rec);
/* Turns a record into statements for a profile and reports what is not carried. */
int dc_map_write(const dc_tables *t, cw_session *s, const cw_record *rec, enum dc_profile prof,
                 dc_stmts *out);
/* The element a refinement dumbs down to ("abstract" -> "description"); the
 * term itself for the 15 elements; NULL for a term with no DC element. */
const char *dc_term_parent(const dc_tables *t, const char *term);
/* 1 for the 15 DC elements. */
int dc_is_element(const char *term);

/* --- readers and writers --- */
extern const cw_reader_ops dc_xml_reader;
extern const cw_writer_ops dc_oai_writer;
extern const cw_writer_ops dc_terms_writer;
extern const cw_reader_ops dc_html_reader;
extern const cw_writer_ops dc_html_writer;

/* 1 if s is valid UTF-8 of characters XML 1.0 can hold. */
int dc_xml_text_ok(const char *s);
/* 1 if s is an xs:language tag (what xml:lang may say). */
int dc_language_ok(const char *s);
/* Appends s with invalid bytes and non-XML characters as U+FFFD (C0 controls dropped). */
void dc_xml_text_repair(cw_buf *b, const char *s);

extern const char dc_dc_yaml[];
extern const size_t dc_dc_yaml_len;

#endif
