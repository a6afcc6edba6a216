/*
 * Resolves the embedded crosswalk table (formats/csljson.yaml) into arrays.
 */
#include <stddef.h>
#include <string.h>

#include "csljson.h"

int csljson_map_load(csljson_map *m, cw_session *s)
{
	memset(m, 0, sizeof *m);
	const cw_xwalk *t;
	int rc = cw_session_crosswalk(s, csljson_csljson_yaml, csljson_csljson_yaml_len, &t);
	if (rc)
		return rc;
	size_t n = cw_xwalk_row_count(t, "custom");
	/* rows are in precedence order: the first row for a field wins */
	for (size_t i = 0; i < n; i++) {
		const char *fname = cw_xwalk_cell(t, "custom", i, "field");
		const char *key = cw_xwalk_cell(t, "custom", i, "key");
		enum cw_field f = cw_field_from_name(fname, CW_NUL);
		if (!f || !key)
			return cw_diag_emit(s, CW_SEV_ERROR, CW_EINVAL, 0, 0,
			                    "crosswalk table: custom row %zu names no known field", i + 1);
		if (!m->custom_key[f])
			m->custom_key[f] = key;
	}
	n = cw_xwalk_row_count(t, "aliases");
	for (size_t i = 0; i < n && m->naliases < sizeof m->alias_key / sizeof m->alias_key[0]; i++) {
		const char *key = cw_xwalk_cell(t, "aliases", i, "key");
		enum cw_field f = cw_field_from_name(cw_xwalk_cell(t, "aliases", i, "field"), CW_NUL);
		if (!f || !key)
			return cw_diag_emit(s, CW_SEV_ERROR, CW_EINVAL, 0, 0,
			                    "crosswalk table: alias row %zu names no known field", i + 1);
		m->alias_key[m->naliases] = key;
		m->alias_field[m->naliases++] = f;
	}
	n = cw_xwalk_row_count(t, "local-ids");
	for (size_t i = 0; i < n && m->nlocal_ids < sizeof m->local_ids / sizeof m->local_ids[0];
	     i++) {
		const char *fmt = cw_xwalk_cell(t, "local-ids", i, "format");
		if (fmt)
			m->local_ids[m->nlocal_ids++] = fmt;
	}
	n = cw_xwalk_row_count(t, "article-number-types");
	for (size_t i = 0; i < n; i++) {
		const char *name = cw_xwalk_cell(t, "article-number-types", i, "type");
		enum cw_item_type ty = name ? cw_item_type_from_name(name, CW_NUL) : CW_TYPE_UNSET;
		if (ty == CW_TYPE_UNSET || (unsigned)ty >= CW_TYPE_COUNT_)
			return cw_diag_emit(s, CW_SEV_ERROR, CW_EINVAL, 0, 0,
			                    "crosswalk table: article-number-types row %zu names no "
			                    "CSL type",
			                    i + 1);
		m->artnum_type[ty] = 1;
	}
	return CW_OK;
}

int csljson_map_id_is_key(const csljson_map *m, const char *format)
{
	if (!format)
		return 1;
	for (size_t i = 0; i < m->nlocal_ids; i++)
		if (strcmp(m->local_ids[i], format) == 0)
			return 0;
	return 1;
}

enum cw_field csljson_map_custom_field(const csljson_map *m, const char *key)
{
	for (int f = 1; f < CW_FIELD_COUNT_; f++)
		if (m->custom_key[f] && strcmp(m->custom_key[f], key) == 0)
			return (enum cw_field)f;
	return CW_FIELD_NONE;
}

enum cw_field csljson_map_alias(const csljson_map *m, const char *key)
{
	for (size_t i = 0; i < m->naliases; i++)
		if (strcmp(m->alias_key[i], key) == 0)
			return m->alias_field[i];
	return CW_FIELD_NONE;
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
