/*
 * Internal declarations of the JATS plugin: the element-name table shared by
 * the reader and the writer, the stage ops, and the embedded crosswalk table.
 */
#ifndef JATS_H
#define JATS_H

#include <crosswalk/crosswalk.h>

extern const char jats_jats_yaml[];
extern const size_t jats_jats_yaml_len;

extern const cw_reader_ops jats_reader_ops;
extern const cw_writer_ops jats_writer_ops;

/* Element names the reader acts on (X(ID, "name")), sorted by name. */
#define JATS_ELEMENTS(X)                                                                           \
	X(ABBREV_JOURNAL_TITLE, "abbrev-journal-title")                                            \
	X(ABSTRACT, "abstract")                                                                    \
	X(ADDR_LINE, "addr-line")                                                                  \
	X(AFF, "aff")                                                                              \
	X(AFF_ALTERNATIVES, "aff-alternatives")                                                    \
	X(ALT_TITLE, "alt-title")                                                                  \
	X(ANONYMOUS, "anonymous")                                                                  \
	X(ARTICLE, "article")                                                                      \
	X(ARTICLE_CATEGORIES, "article-categories")                                                \
	X(ARTICLE_ID, "article-id")                                                                \
	X(ARTICLE_META, "article-meta")                                                            \
	X(ARTICLE_TITLE, "article-title")                                                          \
	X(ARTICLE_VERSION, "article-version")                                                      \
	X(AWARD_GROUP, "award-group")                                                              \
	X(AWARD_ID, "award-id")                                                                    \
	X(AWARD_NAME, "award-name")                                                                \
	X(BACK, "back")                                                                            \
	X(BOLD, "bold")                                                                            \
	X(BREAK, "break")                                                                          \
	X(CHAPTER_TITLE, "chapter-title")                                                          \
	X(CITATION, "citation")                                                                    \
	X(CITATION_ALTERNATIVES, "citation-alternatives")                                          \
	X(CITY, "city")                                                                            \
	X(COLLAB, "collab")                                                                        \
	X(COLLAB_ALTERNATIVES, "collab-alternatives")                                              \
	X(COMMENT, "comment")                                                                      \
	X(CONF_DATE, "conf-date")                                                                  \
	X(CONF_LOC, "conf-loc")                                                                    \
	X(CONF_NAME, "conf-name")                                                                  \
	X(CONTRIB, "contrib")                                                                      \
	X(CONTRIB_GROUP, "contrib-group")                                                          \
	X(CONTRIB_ID, "contrib-id")                                                                \
	X(COPYRIGHT_HOLDER, "copyright-holder")                                                    \
	X(COPYRIGHT_STATEMENT, "copyright-statement")                                              \
	X(COPYRIGHT_YEAR, "copyright-year")                                                        \
	X(COUNT, "count")                                                                          \
	X(COUNTRY, "country")                                                                      \
	X(COUNTS, "counts")                                                                        \
	X(DATA_TITLE, "data-title")                                                                \
	X(DATE, "date")                                                                            \
	X(DATE_IN_CITATION, "date-in-citation")                                                    \
	X(DAY, "day")                                                                              \
	X(DEGREES, "degrees")                                                                      \
	X(EDITION, "edition")                                                                      \
	X(ELEMENT_CITATION, "element-citation")                                                    \
	X(ELOCATION_ID, "elocation-id")                                                            \
	X(EMAIL, "email")                                                                          \
	X(EQUATION_COUNT, "equation-count")                                                        \
	X(ETAL, "etal")                                                                            \
	X(EXT_LINK, "ext-link")                                                                    \
	X(FIG_COUNT, "fig-count")                                                                  \
	X(FN, "fn")                                                                                \
	X(FPAGE, "fpage")                                                                          \
	X(FRONT, "front")                                                                          \
	X(FUNDING_GROUP, "funding-group")                                                          \
	X(FUNDING_SOURCE, "funding-source")                                                        \
	X(FUNDING_STATEMENT, "funding-statement")                                                  \
	X(GIVEN_NAMES, "given-names")                                                              \
	X(HISTORY, "history")                                                                      \
	X(INLINE_FORMULA, "inline-formula")                                                        \
	X(INSTITUTION, "institution")                                                              \
	X(INSTITUTION_ID, "institution-id")                                                        \
	X(INSTITUTION_WRAP, "institution-wrap")                                                    \
	X(ISBN, "isbn")                                                                            \
	X(ISSN, "issn")                                                                            \
	X(ISSN_L, "issn-l")                                                                        \
	X(ISSUE, "issue")                                                                          \
	X(ISSUE_TITLE, "issue-title")                                                              \
	X(ITALIC, "italic")                                                                        \
	X(JOURNAL_ID, "journal-id")                                                                \
	X(JOURNAL_META, "journal-meta")                                                            \
	X(JOURNAL_SUBTITLE, "journal-subtitle")                                                    \
	X(JOURNAL_TITLE, "journal-title")                                                          \
	X(JOURNAL_TITLE_GROUP, "journal-title-group")                                              \
	X(KWD, "kwd")                                                                              \
	X(KWD_GROUP, "kwd-group")                                                                  \
	X(LABEL, "label")                                                                          \
	X(LICENSE, "license")                                                                      \
	X(LICENSE_P, "license-p")                                                                  \
	X(LICENSE_REF, "license_ref")                                                              \
	X(LPAGE, "lpage")                                                                          \
	X(MATH, "math")                                                                            \
	X(MIXED_CITATION, "mixed-citation")                                                        \
	X(MONOSPACE, "monospace")                                                                  \
	X(MONTH, "month")                                                                          \
	X(NAME, "name")                                                                            \
	X(NAME_ALTERNATIVES, "name-alternatives")                                                  \
	X(NLM_CITATION, "nlm-citation")                                                            \
	X(P, "p")                                                                                  \
	X(PAGE_COUNT, "page-count")                                                                \
	X(PAGE_RANGE, "page-range")                                                                \
	X(PART_TITLE, "part-title")                                                                \
	X(PATENT, "patent")                                                                        \
	X(PERMISSIONS, "permissions")                                                              \
	X(PERSON_GROUP, "person-group")                                                            \
	X(POSTAL_CODE, "postal-code")                                                              \
	X(PREFIX, "prefix")                                                                        \
	X(PRODUCT, "product")                                                                      \
	X(PUB_DATE, "pub-date")                                                                    \
	X(PUB_ID, "pub-id")                                                                        \
	X(PUBLISHER, "publisher")                                                                  \
	X(PUBLISHER_LOC, "publisher-loc")                                                          \
	X(PUBLISHER_NAME, "publisher-name")                                                        \
	X(REF, "ref")                                                                              \
	X(REF_COUNT, "ref-count")                                                                  \
	X(REF_LIST, "ref-list")                                                                    \
	X(RELATED_ARTICLE, "related-article")                                                      \
	X(ROLE, "role")                                                                            \
	X(SC, "sc")                                                                                \
	X(SEASON, "season")                                                                        \
	X(SEC, "sec")                                                                              \
	X(SELF_URI, "self-uri")                                                                    \
	X(SERIES, "series")                                                                        \
	X(SIZE, "size")                                                                            \
	X(SOURCE, "source")                                                                        \
	X(STATE, "state")                                                                          \
	X(STD, "std")                                                                              \
	X(STRING_DATE, "string-date")                                                              \
	X(STRING_NAME, "string-name")                                                              \
	X(SUB, "sub")                                                                              \
	X(SUB_ARTICLE, "sub-article")                                                              \
	X(SUBJ_GROUP, "subj-group")                                                                \
	X(SUBJECT, "subject")                                                                      \
	X(SUBTITLE, "subtitle")                                                                    \
	X(SUFFIX, "suffix")                                                                        \
	X(SUP, "sup")                                                                              \
	X(SUPPLEMENT, "supplement")                                                                \
	X(SURNAME, "surname")                                                                      \
	X(TABLE_COUNT, "table-count")                                                              \
	X(TARGET, "target")                                                                        \
	X(TEX_MATH, "tex-math")                                                                    \
	X(TITLE, "title")                                                                          \
	X(TITLE_GROUP, "title-group")                                                              \
	X(TRANS_ABSTRACT, "trans-abstract")                                                        \
	X(TRANS_SOURCE, "trans-source")                                                            \
	X(TRANS_SUBTITLE, "trans-subtitle")                                                        \
	X(TRANS_TITLE, "trans-title")                                                              \
	X(TRANS_TITLE_GROUP, "trans-title-group")                                                  \
	X(URI, "uri")                                                                              \
	X(VERSION, "version")                                                                      \
	X(VOLUME, "volume")                                                                        \
	X(WORD_COUNT, "word-count")                                                                \
	X(XREF, "xref")                                                                            \
	X(YEAR, "year")

enum jats_el {
	JEL_UNKNOWN = 0,
#define JATS_X_(id, name) JEL_##id,
	JATS_ELEMENTS(JATS_X_)
#undef JATS_X_
	    JEL_COUNT_
};

/* The element with this local name (a "prefix:" is ignored), or JEL_UNKNOWN. */
enum jats_el jats_element(const char *name);
/* The name of an element id. */
const char *jats_element_name(enum jats_el el);

/* The schema of formats/jats.yaml (jats.c). */
extern const cw_table_schema jats_table_schema;

/* Sections of the table and their columns, in schema order. */
enum {
	JATS_SEC_ARTICLE_TYPES,
	JATS_SEC_PUBLICATION_TYPES,
	JATS_SEC_TYPE_INFERENCE,
	JATS_SEC_IDS,
	JATS_SEC_PUB_DATES,
	JATS_SEC_HISTORY_DATES,
	JATS_SEC_ROLES,
	JATS_SEC_CITATION_ELEMENTS
};
/* article-types and publication-types; csl's extra words are "*" and "infer" */
enum { JATS_TY_JATS, JATS_TY_CSL, JATS_TY_DIR };
#define JATS_CSL_ANY CW_CELL_EXTRA(0)
#define JATS_CSL_INFER CW_CELL_EXTRA(1)
enum { JATS_INF_HAS, JATS_INF_ANY, JATS_INF_LACKS, JATS_INF_CSL };
/* ids, pub-dates, history-dates, roles: the word, then the field */
enum { JATS_MAP_JATS, JATS_MAP_FIELD, JATS_MAP_DIR };
enum { JATS_PD_JATS, JATS_PD_FIELD, JATS_PD_RANK };
enum { JATS_CE_JATS, JATS_CE_FIELD, JATS_CE_ADD, JATS_CE_NOISE, JATS_CE_TYPE };
/* citation-elements' add column: how an element's text goes into its field */
enum jats_add { JATS_ADD_ONCE, JATS_ADD_REPLACE, JATS_ADD_ITEM };

/* The direction of a crosswalk table row (its dir cell: in, out, both). */
enum jats_dir { JATS_READ = 1, JATS_WRITE = 2 };

/*
 * The directions a row of a section with a dir column (article-types,
 * publication-types, history-dates, roles) is used in: JATS_READ |
 * JATS_WRITE unless its dir cell says in or out.
 */
unsigned jats_row_dir(const cw_table *t, size_t section, size_t row);

/*
 * The val_col cell of the first row of section (article-types or
 * publication-types) whose key_col cell holds key (a word of the jats
 * column, ASCII case-insensitive; a CSL type name for the csl column), or
 * is "*" when wildcard, among the rows used in direction dir. NULL when no
 * row matches. Borrowed from the table.
 */
const cw_table_cell *jats_table_find(const cw_table *t, size_t section, size_t key_col,
                                     const char *key, size_t val_col, enum jats_dir dir,
                                     int wildcard);

/* Month names (the core's cw_month_from_name) and numbers: 1..12, or 0 when s is not a month. */
int jats_month(const char *s);
/* The UTF-8 text of an HTML/ISO named character entity, or NULL. */
const char *jats_named_entity(const char *name);

/*
 * A citation's publication-type when it is the word the writer gives its
 * type anyway: a passthrough hint ('.' name) for the JATS writer only.
 */
#define JATS_PUBTYPE_HINT ".publication-type"

#endif
