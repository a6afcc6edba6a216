/*
 * The crosswalk table (formats/csljson.yaml): its schema, and what the
 * reader and writer look up in it.
 */
#include <stddef.h>
#include <string.h>

#include "csljson.h"

/* Sections and their columns, in schema order. */
enum { SEC_ALIASES, SEC_CUSTOM, SEC_LOCAL_IDS, SEC_ARTNUM };
enum { ALIAS_KEY, ALIAS_FIELD };
enum { CUSTOM_FIELD, CUSTOM_KEY };
enum { LOCAL_FORMAT };
enum { ARTNUM_TYPE };

static const cw_table_column alias_columns[] = {
    CW_TABLE_COLUMN(.name = "key", .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY,
                    .help = "the key a CSL-JSON producer writes"),
    CW_TABLE_COLUMN(.name = "field", .type = CW_CELL_FIELD, .flags = CW_COLUMN_REQUIRED,
                    .help = "the field it is read as"),
    {0},
};

static const cw_table_column custom_columns[] = {
    CW_TABLE_COLUMN(.name = "field", .type = CW_CELL_FIELD,
                    .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY,
                    .help = "a field with no CSL variable"),
    CW_TABLE_COLUMN(.name = "key", .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY,
                    .help = "its key in the item's custom object"),
    {0},
};

static const cw_table_column local_id_columns[] = {
    CW_TABLE_COLUMN(.name = "format", .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY,
                    .help = "a source format whose record ids are not citation keys"),
    {0},
};

static const cw_table_column artnum_columns[] = {
    CW_TABLE_COLUMN(.name = "type", .type = CW_CELL_ITEM_TYPE,
                    .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY,
                    .help = "a CSL type whose number is the article number"),
    {0},
};

static const cw_table_section sections[] = {
    CW_TABLE_SECTION(.name = "aliases", .columns = alias_columns),
    CW_TABLE_SECTION(.name = "custom", .columns = custom_columns),
    CW_TABLE_SECTION(.name = "local-ids", .columns = local_id_columns),
    CW_TABLE_SECTION(.name = "article-number-types", .columns = artnum_columns),
    {0},
};

const cw_table_schema csljson_table_schema = CW_TABLE_SCHEMA(
    .name = "csljson",
    .yaml = csljson_csljson_yaml,
    .yaml_len = CW_NUL,
    .yaml_name = "formats/csljson.yaml",
    .sections = sections);

int csljson_map_load(csljson_map *m, cw_session *s)
{
	memset(m, 0, sizeof *m);
	int rc = cw_session_table(s, &csljson_table_schema, &m->t);
	if (rc)
		return rc;
	/* rows are in precedence order: the first row for a field wins */
	size_t n = cw_table_row_count(m->t, SEC_CUSTOM);
	for (size_t i = 0; i < n; i++) {
		const cw_table_cell *c = cw_table_row_at(m->t, SEC_CUSTOM, i)->cells;
		int32_t f = c[CUSTOM_FIELD].value;
		if (f > 0 && f < CW_FIELD_COUNT_ && !m->custom_key[f])
			m->custom_key[f] = c[CUSTOM_KEY].text;
	}
	n = cw_table_row_count(m->t, SEC_ARTNUM);
	for (size_t i = 0; i < n; i++) {
		int32_t ty = cw_table_row_at(m->t, SEC_ARTNUM, i)->cells[ARTNUM_TYPE].value;
		if (ty > 0 && ty < CW_TYPE_COUNT_)
			m->artnum_type[ty] = 1;
	}
	return CW_OK;
}

int csljson_map_id_is_key(const csljson_map *m, const char *format)
{
	return !format ||
	       cw_table_find(m->t, SEC_LOCAL_IDS, LOCAL_FORMAT, format, CW_NUL) == CW_TABLE_NONE;
}

enum cw_field csljson_map_custom_field(const csljson_map *m, const char *key)
{
	/* a key stands for a field when it is that field's first custom row */
	for (size_t r = cw_table_find(m->t, SEC_CUSTOM, CUSTOM_KEY, key, CW_NUL);
	     r != CW_TABLE_NONE; r = cw_table_find_next(m->t, SEC_CUSTOM, CUSTOM_KEY, r)) {
		int32_t f = cw_table_row_at(m->t, SEC_CUSTOM, r)->cells[CUSTOM_FIELD].value;
		if (f > 0 && f < CW_FIELD_COUNT_ && m->custom_key[f] &&
		    strcmp(m->custom_key[f], key) == 0)
			return (enum cw_field)f;
	}
	return CW_FIELD_NONE;
}

enum cw_field csljson_map_alias(const csljson_map *m, const char *key)
{
	size_t r = cw_table_find(m->t, SEC_ALIASES, ALIAS_KEY, key, CW_NUL);
	if (r == CW_TABLE_NONE)
		return CW_FIELD_NONE;
	int32_t f = cw_table_row_at(m->t, SEC_ALIASES, r)->cells[ALIAS_FIELD].value;
	return f > 0 && f < CW_FIELD_COUNT_ ? (enum cw_field)f : CW_FIELD_NONE;
}

#define PART(key, member) {key, offsetof(cw_name, member)}
const csljson_name_part csljson_name_parts[] = {
	PART("family", family),
	PART("given", given),
	PART("dropping-particle", dropping_particle),
	PART("non-dropping-particle", non_dropping_particle),
	PART("suffix", suffix),
	PART("literal", literal),
};
#undef PART
const size_t csljson_name_part_count = sizeof csljson_name_parts / sizeof csljson_name_parts[0];
