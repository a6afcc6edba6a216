/*
 * CSL-JSON plugin: private declarations shared by its files.
 */
#ifndef CSLJSON_H
#define CSLJSON_H

#include "csljson_json.h"

#include "crosswalk/crosswalk.h"

extern const char csljson_csljson_yaml[];
extern const size_t csljson_csljson_yaml_len;

extern const cw_reader_ops csljson_reader;
extern const cw_writer_ops csljson_writer_array;
extern const cw_writer_ops csljson_writer_lines;

/* The schema of formats/csljson.yaml (csljson_table.c), shared by both formats. */
extern const cw_table_schema csljson_table_schema;

/* The table (csljson_table.c): lookups by key, and arrays indexed by field and type. */
typedef struct csljson_map {
	const cw_table *t;                       /* the session's table */
	const char *custom_key[CW_FIELD_COUNT_]; /* extension field -> custom key */
	uint8_t artnum_type[CW_TYPE_COUNT_];     /* 1: CSL number is the article number */
} csljson_map;

int csljson_map_load(csljson_map *m, cw_session *s);
/* The field a custom key stands for, or CW_FIELD_NONE. */
enum cw_field csljson_map_custom_field(const csljson_map *m, const char *key);
/* The field an alias key stands for, or CW_FIELD_NONE. */
enum cw_field csljson_map_alias(const csljson_map *m, const char *key);
/*
 * 1 if records read from format have citation keys as ids: every format
 * but those of the local-ids table (records a program built: NULL, too).
 */
int csljson_map_id_is_key(const csljson_map *m, const char *format);

/* The string parts of a CSL name object and where cw_name keeps them. */
typedef struct csljson_name_part {
	const char *key;
	size_t off; /* offsetof(cw_name, ...) */
} csljson_name_part;
extern const csljson_name_part csljson_name_parts[];
extern const size_t csljson_name_part_count;

/*
 * The literal name that ends a name list in "et al.", as pandoc and
 * citation-js write BibTeX's "and others".
 */
#define CSLJSON_ETAL_LITERAL "others"

/*
 * The deepest markup read as styles: as deep as the core's rich text nests
 * styles (richtext.c), so that an opener the record would drop stays text.
 */
enum { CSLJSON_MARKUP_DEPTH = 64 };
/*
 * CSL HTML-like markup <-> rich text (csljson_markup.c). Markup nested
 * deeper than max_depth (the session's depth limit) or than
 * CSLJSON_MARKUP_DEPTH stays text, and sets *too_deep.
 */
int csljson_markup_to_rich(cw_buf *out, const char *s, size_t len, uint32_t max_depth,
                           int *too_deep);
int csljson_rich_to_markup(cw_buf *out, const char *rich);

#endif
