/*
 * crosswalk/table.h - typed crosswalk tables (ABI 1.3).
 *
 * A plugin's crosswalk table (formats/<name>.yaml, embedded in the plugin)
 * holds the one-to-one parts of its mapping. The plugin declares the
 * table's shape in a cw_table_schema: its sections, each section's columns,
 * which columns every row must have, the words an enumerated column allows,
 * which columns are looked up (keys). The core then
 *
 *   - checks the embedded table and every --crosswalk override against the
 *     schema, with located messages ("my.yaml:12:5: unknown column
 *     \"feild\" in section \"fields\": did you mean \"field\"? ..."), so a
 *     misspelling is an error and never silently does nothing;
 *   - parses and checks the embedded table once per registry (not once per
 *     session) when the context knows its registry (cw_context_set_registry);
 *   - indexes key columns with a hash table (cw_table_find);
 *   - hands the plugin rows of typed cells: an enumerated column's word as
 *     its index, a field name as its enum cw_field, a CSL type as its enum
 *     cw_item_type, a number as a number.
 *
 * A plugin points cw_format.table (ABI 1.3) at its schema and asks for the
 * stage's table with cw_session_table; see docs/plugin-guide.md. The
 * untyped API of session.h (cw_session_crosswalk, cw_xwalk_*) stays for
 * plugins built against older headers.
 */
#ifndef CROSSWALK_TABLE_H
#define CROSSWALK_TABLE_H

#include "common.h"
#include "fields.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cw_session cw_session;
typedef struct cw_table cw_table;

/** What the cells of a column hold. */
enum cw_cell_type {
	CW_CELL_TEXT = 0,  /**< any string; value 0 */
	CW_CELL_ENUM,      /**< one word of the column's values; value: its index (0, 1...) */
	CW_CELL_FIELD,     /**< a field name of docs/fields.md; value: its enum cw_field */
	CW_CELL_ITEM_TYPE, /**< a CSL item type; value: its enum cw_item_type */
	CW_CELL_INT,       /**< a decimal integer that fits in 32 bits; value: it */
	CW_CELL_BOOL       /**< yes/no or true/false; value 1 or 0 */
};

/** Flags of a column (cw_table_column.flags). */
enum cw_column_flag {
	CW_COLUMN_REQUIRED = 1u << 0, /**< every row has this cell */
	CW_COLUMN_KEY = 1u << 1,      /**< indexed for cw_table_find (not with CW_COLUMN_LIST) */
	CW_COLUMN_NOCASE = 1u << 2,   /**< a TEXT key matched ASCII case-insensitively */
	CW_COLUMN_LIST = 1u << 3 /**< words separated by '|' (or a YAML list), each of the type */
};

/**
 * The value of the i-th extra word (0-based) of a FIELD or ITEM_TYPE column
 * (cw_table_column.values): -1, -2... so it never equals a field or a type.
 */
#define CW_CELL_EXTRA(i) (-(int32_t)(i)-1)

/**
 * One column of a section. Arrays of columns end with an element whose name
 * is NULL ({0}); the host steps through them by the first element's
 * struct_size, so this struct may grow.
 */
typedef struct cw_table_column {
	uint32_t struct_size; /**< sizeof(cw_table_column): use CW_TABLE_COLUMN */
	const char *name;     /**< the YAML key: "dir" */
	enum cw_cell_type type;
	uint32_t flags; /**< enum cw_column_flag */
	/**
	 * ENUM: the words, "in|out|both" (matched exactly). FIELD and ITEM_TYPE:
	 * extra words allowed besides the vocabulary ("*|infer"), valued
	 * CW_CELL_EXTRA(0), CW_CELL_EXTRA(1)...; one ending in '*' allows every
	 * word with that prefix ("@*"). Else NULL.
	 */
	const char *values;
	/** The typed value of an absent cell, as text ("both"); NULL: 0. */
	const char *default_value;
	const char *help; /**< one line, for messages and documentation; may be NULL */
	/**
	 * ABI 1.4. FIELD: the kinds of field a cell may name, CW_KIND_BIT(CW_KIND_DATE)
	 * | ...; 0 (and a column of an older plugin): any. A field of another
	 * kind is a located error ("received" where a date is wanted is fine,
	 * "title" is not).
	 */
	uint32_t kinds;
} cw_table_column;
/** The bit of field kind k in cw_table_column.kinds. */
#define CW_KIND_BIT(k) (1u << (unsigned)(k))
/** A column with its struct_size: CW_TABLE_COLUMN(.name = "dir", .type = CW_CELL_ENUM, ...). */
#define CW_TABLE_COLUMN(...)                                                                       \
	{                                                                                          \
		.struct_size = sizeof(cw_table_column), __VA_ARGS__                                \
	}

/**
 * One section: a top-level key whose value is a list of rows. Every section
 * also allows the columns "note" and "source" (text that documents a row),
 * which are not among the row's cells. Arrays end with {0}, stepped
 * through like columns.
 */
typedef struct cw_table_section {
	uint32_t struct_size;           /**< use CW_TABLE_SECTION */
	const char *name;               /**< "fields" */
	const cw_table_column *columns; /**< ends with {0} */
	const char *help;               /**< may be NULL */
} cw_table_section;
#define CW_TABLE_SECTION(...)                                                                      \
	{                                                                                          \
		.struct_size = sizeof(cw_table_section), __VA_ARGS__                               \
	}

/**
 * The schema of a plugin's table, and the table itself. Sections and
 * columns are addressed by their index in these arrays (a plugin keeps an
 * enum of them). Top-level keys with a string value are metadata
 * ("format", "description", "source"...); "format" must be name.
 */
typedef struct cw_table_schema {
	uint32_t struct_size;             /**< sizeof(cw_table_schema) */
	const char *name;                 /**< the table's "format": what --crosswalk files name */
	const char *yaml;                 /**< the embedded table */
	size_t yaml_len;                  /**< its length, or CW_NUL when NUL-terminated */
	const char *yaml_name;            /**< for messages about it: "formats/bibtex.yaml" */
	const cw_table_section *sections; /**< ends with {0} */
	/**
	 * The CW_FIELD_COUNT_ and CW_TYPE_COUNT_ of the headers the plugin was
	 * built with: a field or type cell never holds an id at or beyond them
	 * (a newer library knows more; such a name is an unknown one), so the
	 * plugin may index its own arrays with any cell's value. Required; use
	 * CW_TABLE_SCHEMA, which fills them.
	 */
	int field_count, type_count;
} cw_table_schema;

/**
 * A schema with its struct_size and this header's counts:
 * `const cw_table_schema ris_table = CW_TABLE_SCHEMA(.name = "ris", ...);`
 */
#define CW_TABLE_SCHEMA(...)                                                                       \
	{                                                                                          \
		.struct_size = sizeof(cw_table_schema), .field_count = CW_FIELD_COUNT_,            \
		.type_count = CW_TYPE_COUNT_, __VA_ARGS__                                          \
	}

/** One cell of a row. Frozen layout: plugins read it directly. */
typedef struct cw_table_cell {
	/** As written (a list: its words joined by '|'); NULL when the row lacks it. */
	const char *text;
	/** The typed value (enum cw_cell_type); an absent cell has its column's default. */
	int32_t value;
	uint32_t count;        /**< LIST: how many words */
	const int32_t *items;  /**< LIST: each word's value; NULL for a TEXT list */
	uint32_t line, column; /**< where the value is written (1-based); 0 when absent */
} cw_table_cell;

/** One row. Frozen layout. */
typedef struct cw_table_row {
	const char *file; /**< the table it comes from: yaml_name or the --crosswalk file */
	uint32_t line;    /**< where the row starts (1-based) */
	const cw_table_cell *cells; /**< one per column of its section, in schema order */
} cw_table_row;

/** "No such row": what the cw_table_find functions return when nothing matches. */
#define CW_TABLE_NONE ((size_t)-1)

/**
 * The stage's table: the plugin's embedded table (parsed and checked once
 * per registry when the context has one, else once per session) with the
 * context's override for schema->name in front of it, checked against the
 * same schema. A table that does not fit its schema is reported with its
 * location and gives CW_EFORMAT. Repeated calls with the same schema
 * return the same table.
 * @param[out] out borrowed: owned by the session (or the registry).
 */
CW_API int cw_session_table(cw_session *s, const cw_table_schema *schema, const cw_table **out);

/** Rows of a section (its index in the schema); 0 for an index out of range. */
CW_API size_t cw_table_row_count(const cw_table *t, size_t section);
/** One row, or NULL when out of range. Override rows come before embedded ones. */
CW_API const cw_table_row *cw_table_row_at(const cw_table *t, size_t section, size_t row);
/** One cell, or NULL when out of range. */
CW_API const cw_table_cell *cw_table_cell_at(const cw_table *t, size_t section, size_t row,
                                             size_t column);
/**
 * The first row (in table order) whose key column holds key (len bytes,
 * CW_NUL: strlen), or CW_TABLE_NONE. A TEXT key compares bytes (ASCII
 * case-insensitively with CW_COLUMN_NOCASE); a typed key (ENUM, FIELD,
 * ITEM_TYPE, INT, BOOL) reads key as a cell would be read and compares
 * values. An unindexed column is scanned.
 */
CW_API size_t cw_table_find(const cw_table *t, size_t section, size_t column, const char *key,
                            size_t len);
/** The first row whose typed key column has this value, or CW_TABLE_NONE. */
CW_API size_t cw_table_find_value(const cw_table *t, size_t section, size_t column, int32_t value);
/** The next row after row with the same key in column, or CW_TABLE_NONE. */
CW_API size_t cw_table_find_next(const cw_table *t, size_t section, size_t column, size_t row);
/**
 * The val_column cell of the first row whose key column holds key (as
 * cw_table_find) and that has that cell, or NULL: cw_xwalk_lookup's rule
 * on a typed table.
 */
CW_API const cw_table_cell *cw_table_lookup(const cw_table *t, size_t section, size_t key_column,
                                            const char *key, size_t len, size_t val_column);

/**
 * Parses yaml and checks it against schema, as cw_session_table does with
 * a table, without a session: for tools and tests.
 * Returns CW_OK; CW_EFORMAT with one line per problem in err ("name:LINE:COL:
 * message"); CW_EINVAL for a broken schema; CW_ENOMEM.
 * @param[out] out returns owned; free with cw_table_free.
 */
CW_API int cw_table_parse(cw_table **out, const cw_table_schema *schema, const char *yaml,
                          size_t len, const char *name, cw_buf *err);
CW_API void cw_table_free(cw_table *t);
/** The value of a top-level string key ("format", "description"), or NULL. */
CW_API const char *cw_table_meta(const cw_table *t, const char *key);
/**
 * Checks a schema as the registry does when it loads a plugin: CW_OK, or
 * CW_EINVAL with the reason appended to why (may be NULL).
 */
CW_API int cw_table_schema_check(const cw_table_schema *schema, cw_buf *why);

#ifdef __cplusplus
}
#endif
#endif
