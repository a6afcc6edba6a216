/*
 * crosswalk/record.h - the canonical record.
 *
 * A record is one bibliographic item. It is opaque; all access goes through
 * the functions below, keyed by enum cw_field (fields.h). The record owns
 * everything it holds: setters copy their input, getters borrow from the
 * record (valid until the record is freed or the field is changed), and
 * cw_record_free releases the record, its strings and its children at once.
 *
 * Text invariants kept by every setter: values are valid UTF-8 (invalid
 * bytes become U+FFFD and the setter returns CW_REPLACED), contain no C0
 * control bytes but tab and newline, and rich-text markers only in RICH
 * fields and items, where they are balanced. Empty strings are stored as
 * "unset".
 */
#ifndef CROSSWALK_RECORD_H
#define CROSSWALK_RECORD_H

#include "common.h"
#include "fields.h"
#include "values.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cw_record cw_record;

/** Creates an empty record. @param[out] out returns owned; free with cw_record_free. */
CW_API int cw_record_new(cw_record **out);
/** Frees a record and everything it owns, children included. NULL is a no-op. */
CW_API void cw_record_free(cw_record *rec);
/** Deep copy. @param[out] out returns owned. */
CW_API int cw_record_clone(cw_record **out, const cw_record *rec);

/** The item type; CW_TYPE_UNSET when the source gave none. */
CW_API enum cw_item_type cw_record_type(const cw_record *rec);
/** Sets the item type. */
CW_API int cw_record_set_type(cw_record *rec, enum cw_item_type type);

/**
 * Name of the format the record was read from ("bibtex"); set by the host
 * when a reader hands the record over. NULL if unknown.
 */
CW_API const char *cw_record_source_format(const cw_record *rec);
/** Sets the source format name (copied). */
CW_API int cw_record_set_source_format(cw_record *rec, const char *format);
/** Where the record starts in its input (1-based; 0 = unknown). */
CW_API void cw_record_set_origin(cw_record *rec, uint32_t line, uint32_t column);
/** Reads back what cw_record_set_origin stored; either pointer may be NULL. */
CW_API void cw_record_origin(const cw_record *rec, uint32_t *line, uint32_t *column);

/** 1 if the field holds a value (for lists: at least one element). */
CW_API int cw_record_has(const cw_record *rec, enum cw_field f);
/**
 * Iterates over the fields that hold a value, in field order. Start with
 * CW_FIELD_NONE; returns CW_FIELD_NONE after the last.
 */
CW_API enum cw_field cw_record_next_field(const cw_record *rec, enum cw_field after);
/** Removes a field's value(s). */
CW_API int cw_record_clear(cw_record *rec, enum cw_field f);

/* --- TEXT, RICH and NUMBER fields --- */

/**
 * Sets a text field (kind TEXT, RICH or NUMBER), replacing any value.
 * Leading and trailing white space is trimmed; an empty result unsets the
 * field. @param s borrowed; len may be CW_NUL.
 * @return CW_OK, CW_REPLACED (stored after repairing the text), CW_EINVAL
 * (wrong kind).
 */
CW_API int cw_record_set_text(cw_record *rec, enum cw_field f, const char *s, size_t len);
/** The value of a text field, or NULL when unset. */
CW_API const char *cw_record_text(const cw_record *rec, enum cw_field f);

/* --- DATE fields --- */

/** Sets a date field, copying d and its strings. */
CW_API int cw_record_set_date(cw_record *rec, enum cw_field f, const cw_date *d);
/** The date, or NULL when unset. */
CW_API const cw_date *cw_record_date(const cw_record *rec, enum cw_field f);

/* --- NAMES fields --- */

/** Appends a name, copying it. A name without any part is refused (CW_EINVAL). */
CW_API int cw_record_add_name(cw_record *rec, enum cw_field f, const cw_name *n);
/** Number of names in the field. */
CW_API size_t cw_record_name_count(const cw_record *rec, enum cw_field f);
/** The i-th name, or NULL. */
CW_API const cw_name *cw_record_name(const cw_record *rec, enum cw_field f, size_t i);

/* --- LIST and RICH_LIST fields --- */

/** Appends an item (value required), copying it. */
CW_API int cw_record_add_item(cw_record *rec, enum cw_field f, const cw_item *item);
/** Number of items in the field. */
CW_API size_t cw_record_item_count(const cw_record *rec, enum cw_field f);
/** The i-th item, or NULL. */
CW_API const cw_item *cw_record_item(const cw_record *rec, enum cw_field f, size_t i);

/* --- AFFILIATIONS (CW_FIELD_AFFILIATIONS) --- */

/** Appends an affiliation, copying it. */
CW_API int cw_record_add_affiliation(cw_record *rec, const cw_affiliation *a);
CW_API size_t cw_record_affiliation_count(const cw_record *rec);
CW_API const cw_affiliation *cw_record_affiliation(const cw_record *rec, size_t i);
/** The affiliation with this id, or NULL. */
CW_API const cw_affiliation *cw_record_affiliation_by_id(const cw_record *rec, const char *id);

/* --- FUNDING (CW_FIELD_FUNDING) --- */

CW_API int cw_record_add_funding(cw_record *rec, const cw_funding *fu);
CW_API size_t cw_record_funding_count(const cw_record *rec);
CW_API const cw_funding *cw_record_funding(const cw_record *rec, size_t i);

/* --- child records (CW_FIELD_REFERENCE_LIST) --- */

/**
 * Appends a new empty child record and returns it for filling.
 * @param[out] child borrowed: owned by parent.
 */
CW_API int cw_record_add_child(cw_record *parent, cw_record **child);
/** Appends an existing record as a child. @param child consumed. */
CW_API int cw_record_adopt_child(cw_record *parent, cw_record *child);
CW_API size_t cw_record_child_count(const cw_record *rec);
/** The i-th child, or NULL; borrowed. */
CW_API const cw_record *cw_record_child(const cw_record *rec, size_t i);
/**
 * Removes all children from parent and hands them over in their order.
 * @param[out] out returns owned: an array of *count owned records; free each
 * with cw_record_free and the array with cw_free.
 */
CW_API int cw_record_take_children(cw_record *parent, cw_record ***out, size_t *count);

/* --- passthrough --- */

/** Keeps a source field the model has no place for. All strings copied. */
CW_API int cw_record_add_passthrough(cw_record *rec, const char *format, const char *name,
                                     const char *value, size_t value_len);
CW_API size_t cw_record_passthrough_count(const cw_record *rec);
CW_API const cw_passthrough *cw_record_passthrough(const cw_record *rec, size_t i);
/** The first passthrough of this format and name, or NULL. */
CW_API const cw_passthrough *cw_record_find_passthrough(const cw_record *rec, const char *format,
                                                        const char *name);

/**
 * Compares two records field by field, children and passthrough included.
 * Returns 0 when equal; otherwise the first field that differs (or -1 for
 * type, passthrough or children differences) and, when diff is not NULL,
 * appends a one-line description of the difference to it.
 */
CW_API int cw_record_compare(const cw_record *a, const cw_record *b, cw_buf *diff);

/**
 * Best short identifier for messages: the ID field, else the DOI, else
 * NULL. Borrowed.
 */
CW_API const char *cw_record_label(const cw_record *rec);

#ifdef __cplusplus
}
#endif
#endif
