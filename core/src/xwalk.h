/*
 * The parsed form of a crosswalk table (xwalk.c), shared with the typed
 * tables built from it (table.c): sections of rows of string cells, each
 * with where it was written.
 */
#ifndef CW_XWALK_H
#define CW_XWALK_H

#include "internal.h"

typedef struct cw__mark {
	uint32_t line, column; /* 1-based */
} cw__mark;

typedef struct cw__cell {
	const char *col, *val;
	cw__mark col_at, val_at;
	/* a YAML list: its words (joined by '|' in val) and where each is */
	uint32_t nitems;
	const cw__mark *item_at;
} cw__cell;

typedef struct cw__row {
	cw__cell *cells;
	size_t n;
	cw__mark at;
} cw__row;

typedef struct cw__section {
	const char *name;
	cw__mark at;
	cw__row *rows;
	size_t n, cap;
} cw__section;

struct cw_xwalk {
	cw__arena arena;
	const char *name; /* the file name messages give, or NULL */
	cw__cell *meta;
	size_t nmeta, capmeta;
	cw__section *secs;
	size_t nsec, capsec;
};

/* The meta cell of key, or NULL. */
const cw__cell *cw__xwalk_meta_cell(const cw_xwalk *t, const char *key);

/* --- typed tables (table.c) --- */

/* Where a table's problems go: one call per problem, with its location. */
typedef struct cw__table_errs {
	void (*fn)(void *ud, const char *file, uint32_t line, uint32_t column, const char *msg);
	void *ud;
	size_t count;
} cw__table_errs;

/*
 * Checks src against schema and builds the typed table, which borrows src
 * (its strings and metadata) unless given it with cw__table_own. Problems go
 * to errs (each of the first few, then a count); CW_EFORMAT when there was one.
 */
int cw__table_build(cw_table **out, const cw_table_schema *schema, const cw_xwalk *src,
                    cw__table_errs *errs);
/* Parses and checks a schema's embedded table (problems to errs). */
int cw__table_embedded(cw_table **out, const cw_table_schema *schema, cw__table_errs *errs);
/* t takes src: cw_table_free frees it. */
void cw__table_own(cw_table *t, cw_xwalk *src);
/* The parsed table t was built from (NULL for a merged one). */
const cw_xwalk *cw__table_source(const cw_table *t);
/* over's rows, then base's: borrows both, which must outlive the result. */
int cw__table_merge(cw_table **out, const cw_table *over, const cw_table *base);
/* The schema a table was checked against. */
const cw_table_schema *cw__table_schema(const cw_table *t);
/*
 * The registry's typed table of a schema's embedded table, parsed and
 * checked on the first call (problems to errs). CW_ENOTFOUND when no
 * format of the registry has this schema.
 */
int cw__registry_table(const cw_registry *r, const cw_table_schema *schema, const cw_table **out,
                       cw__table_errs *errs);
/*
 * The schema of the table named name ("bibtex") among the registry's
 * formats; *known is 1 when a format has that table name (its schema may
 * still be NULL: a plugin built for ABI 1.2 or older). The table names are
 * appended to names ("a|b|c", may be NULL).
 */
const cw_table_schema *cw__registry_schema(const cw_registry *r, const char *name, int *known,
                                           cw_buf *names);
/* The closest of the '|'-separated words to word, or NULL when none is close. */
const char *cw__nearest_word(const char *words, const char *word, size_t *len);

#endif
