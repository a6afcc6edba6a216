/*
 * Field and item-type metadata, expanded from the tables in fields.h.
 */
#include <string.h>

#include "internal.h"

static const struct field_meta {
	const char *name;
	size_t len; /* of name: lookups compare it before any byte */
	enum cw_kind kind;
	int csl;
	const char *doc;
} fields[] = {
	{NULL, 0, CW_KIND_NONE, 0, NULL},
#define X(id, kind, name, csl, doc) {name, sizeof name - 1, CW_KIND_##kind, csl, doc},
	CW_FIELDS(X)
#undef X
};

static const char *const type_names[] = {
	NULL,
#define X(id, name) name,
	CW_ITEM_TYPES(X)
#undef X
};

static const size_t type_name_len[] = {
	0,
#define X(id, name) sizeof name - 1,
	CW_ITEM_TYPES(X)
#undef X
};

static const char *const kind_names[] = {
	"none",      "text",       "rich text",    "number",  "date",   "names",
	"text list", "rich list", "affiliations", "funding", "records",
};

#define NFIELDS ((int)(sizeof fields / sizeof fields[0]))
#define NTYPES ((int)(sizeof type_names / sizeof type_names[0]))

static int valid_field(enum cw_field f)
{
	return (int)f > 0 && (int)f < NFIELDS;
}

const char *cw_field_name(enum cw_field f)
{
	return valid_field(f) ? fields[f].name : NULL;
}

enum cw_kind cw_field_kind(enum cw_field f)
{
	return valid_field(f) ? fields[f].kind : CW_KIND_NONE;
}

const char *cw_field_doc(enum cw_field f)
{
	return valid_field(f) ? fields[f].doc : NULL;
}

int cw_field_is_csl(enum cw_field f)
{
	return valid_field(f) ? fields[f].csl : 0;
}

int cw_field_count(void)
{
	return NFIELDS - 1;
}

const char *cw_kind_name(enum cw_kind k)
{
	return (int)k >= 0 && (size_t)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k]
	                                                                           : "unknown";
}

enum cw_field cw_field_from_name_known(const char *name, size_t len, int known)
{
	if (!name)
		return CW_FIELD_NONE;
	if (len == CW_NUL)
		len = strlen(name);
	int end = known < NFIELDS ? known : NFIELDS;
	for (int i = 1; i < end; i++)
		if (fields[i].len == len && fields[i].name[0] == name[0] &&
		    memcmp(fields[i].name, name, len) == 0)
			return (enum cw_field)i;
	return CW_FIELD_NONE;
}

enum cw_field(cw_field_from_name)(const char *name, size_t len)
{
	return cw_field_from_name_known(name, len, CW__V12_FIELD_COUNT);
}

const char *cw_item_type_name(enum cw_item_type t)
{
	return (int)t > 0 && (int)t < NTYPES ? type_names[t] : NULL;
}

enum cw_item_type cw_item_type_from_name_known(const char *name, size_t len, int known)
{
	if (!name)
		return CW_TYPE_UNSET;
	if (len == CW_NUL)
		len = strlen(name);
	int end = known < NTYPES ? known : NTYPES;
	for (int i = 1; i < end; i++)
		if (type_name_len[i] == len && memcmp(type_names[i], name, len) == 0)
			return (enum cw_item_type)i;
	return CW_TYPE_UNSET;
}

enum cw_item_type(cw_item_type_from_name)(const char *name, size_t len)
{
	return cw_item_type_from_name_known(name, len, CW__V12_TYPE_COUNT);
}
