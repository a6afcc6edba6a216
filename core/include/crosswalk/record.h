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

/**
 * The item type; CW_TYPE_UNSET when the source gave none or when it is not
 * one of the first `known` types (pass CW_TYPE_COUNT_: cw_record_type
 * does), so that the type always indexes an array of CW_TYPE_COUNT_
 * entries, even with a later library that knows more types. Since ABI 1.3.
 */
CW_API enum cw_item_type cw_record_type_known(const cw_record *rec, int known);
/*
 * cw_record_type(rec) is cw_record_type_known(rec, CW_TYPE_COUNT_). The
 * exported function of that name serves plugins built against the headers
 * before ABI 1.3: it gives only the types of the ABI 1.0 headers.
 */
#define cw_record_type(rec) cw_record_type_known((rec), CW_TYPE_COUNT_)
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
 * Iterates over the fields that hold a value, in field order, among the
 * first `known` field ids. Start with CW_FIELD_NONE; returns CW_FIELD_NONE
 * after the last. Pass CW_FIELD_COUNT_ (cw_record_next_field does): a
 * field id from it then always indexes an array of CW_FIELD_COUNT_ entries,
 * even with a later library that knows more fields (the writer never sees
 * those; cw_diag_uncarried reports them as not carried). Since ABI 1.3.
 */
CW_API enum cw_field cw_record_next_field_known(const cw_record *rec, enum cw_field after,
                                                int known);
/*
 * cw_record_next_field(rec, after) is cw_record_next_field_known(rec,
 * after, CW_FIELD_COUNT_). The exported function of that name serves
 * plugins built against the headers before ABI 1.3: it gives only the
 * fields of the ABI 1.0 headers (ids below 129).
 */
#define cw_record_next_field(rec, after) cw_record_next_field_known((rec), (after), CW_FIELD_COUNT_)
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
/*
 * CW_FIELD_KEYWORD is not stored: setting it appends its words to
 * CW_FIELD_KEYWORDS (split at ';' when the text has one, else at ','), and
 * it never reads back. The one keyword path every reader and writer uses is
 * CW_FIELD_KEYWORDS.
 */
/** The value of a text field, or NULL when unset. */
CW_API const char *cw_record_text(const cw_record *rec, enum cw_field f);

/**
 * Appends a title with its subtitle and addon joined, as formats with one
 * title field print it: title is CW_FIELD_TITLE, CW_FIELD_CONTAINER_TITLE
 * or CW_FIELD_VOLUME_TITLE, whose subtitle follows after ": " (after a
 * space when the title ends with ? ! : or .) and whose addon follows after
 * ". " (a space after ? ! or .). Rich text stays rich. Appends nothing when
 * none of the three is set.
 * @return CW_OK, CW_ENOMEM or CW_EINVAL (another field).
 */
CW_API int cw_record_joined_title(const cw_record *rec, enum cw_field title, cw_buf *out);
/** 1 if the joined title of title (as above) differs from the title alone. */
CW_API int cw_record_title_has_parts(const cw_record *rec, enum cw_field title);

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
/**
 * Appends the words of a separated list as items of a LIST or RICH_LIST
 * field: s is split at ';' when it has one, else at ','; each word is
 * trimmed and empty ones are skipped. @param s borrowed; len may be CW_NUL.
 * @return CW_OK, CW_REPLACED (some text repaired), CW_EINVAL, CW_ENOMEM.
 */
CW_API int cw_record_add_words(cw_record *rec, enum cw_field f, const char *s, size_t len);
/**
 * Appends the values of a LIST or RICH_LIST field as one string, joined by
 * ", " or, when a value holds a comma, by "; " (so cw_record_add_words
 * reads it back as the same items).
 */
CW_API int cw_record_join_items(const cw_record *rec, enum cw_field f, cw_buf *out);
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
 * Removes all children from parent and hands them over in their order; a
 * child without a source format takes its parent's.
 * @param[out] out returns owned: an array of *count owned records; free each
 * with cw_record_free and the array with cw_free.
 */
CW_API int cw_record_take_children(cw_record *parent, cw_record ***out, size_t *count);

/* --- passthrough --- */

/**
 * Keeps a source field the model has no place for. All strings copied. A
 * name starting with '.' is a hint for the same format's writer (how the
 * source spelled something the record holds), not data: other writers
 * neither carry nor report it (cw_diag_uncarried_passthrough skips it).
 */
CW_API int cw_record_add_passthrough(cw_record *rec, const char *format, const char *name,
                                     const char *value, size_t value_len);
CW_API size_t cw_record_passthrough_count(const cw_record *rec);
CW_API const cw_passthrough *cw_record_passthrough(const cw_record *rec, size_t i);
/** The first passthrough of this format and name, or NULL. */
CW_API const cw_passthrough *cw_record_find_passthrough(const cw_record *rec, const char *format,
                                                        const char *name);

/**
 * Compares two records field by field, children and passthrough included.
 * Returns 0 when equal; otherwise the first field that differs (children
 * count as CW_FIELD_REFERENCE_LIST; -1 for type or passthrough
 * differences) and, when diff is not NULL,
 * appends a one-line description of the difference to it.
 */
CW_API int cw_record_compare(const cw_record *a, const cw_record *b, cw_buf *diff);

/** How cw_record_make_key builds a key. */
enum cw_key_scheme {
	CW_KEY_AUTH_YEAR_TITLE = 0, /**< "smith2008kazakhstan" */
	CW_KEY_AUTH_YEAR            /**< "smith2008" */
};

/**
 * Appends a generated citation key: the first author's (else editor's,
 * translator's, container author's) family name (up to three words; one
 * word of a literal or given name), else "anon"; the year of issued; and,
 * for CW_KEY_AUTH_YEAR_TITLE, the first title word that is not a stop word.
 * Letters are folded to lower-case ASCII. The key is not made unique: that
 * is the writer's job, over the keys it has written.
 */
CW_API int cw_record_make_key(const cw_record *rec, enum cw_key_scheme scheme, cw_buf *out);
/**
 * Appends the k-th suffix (k >= 1) that makes a taken key unique: "a".."z",
 * then "aa", "ab"... One scheme for BibTeX keys and CSL ids, as for the keys.
 */
CW_API int cw_key_suffix(cw_buf *out, unsigned long k);

/**
 * The keys a writer has written (citation keys, ids), making each new key
 * unique with a suffix. Claiming n keys costs O(n) time, equal keys
 * included, and about 4 bytes of table plus the key's length rounded up to
 * 4, plus 4, per key. Since ABI 1.2.
 */
typedef struct cw_keyset cw_keyset;
enum cw_keyset_flags {
	/** keys equal but for ASCII case are the same key (as bibtex compares keys) */
	CW_KEYSET_FOLD_CASE = 1u << 0,
	/** suffixes "-2", "-3"... (XML ids) instead of cw_key_suffix's "a", "b"... */
	CW_KEYSET_SUFFIX_NUMBER = 1u << 1
};
/** An empty set; flags: cw_keyset_flags. @param[out] out returns owned. */
CW_API int cw_keyset_new(cw_keyset **out, unsigned flags);
/** Frees the set. NULL is a no-op. */
CW_API void cw_keyset_free(cw_keyset *set);
/** 1 if key is in the set, else 0. */
CW_API int cw_keyset_has(const cw_keyset *set, const char *key);
/** The number of keys in the set. */
CW_API size_t cw_keyset_count(const cw_keyset *set);
/**
 * Adds key (a C string) to the set. When it is taken, the first suffix that
 * gives a key not in the set is appended to key first: the same one
 * whatever the order of earlier claims of that key. @return 0 when key was
 * added as it was, 1 when a suffix was appended, or CW_ENOMEM (nothing
 * added; key may hold a suffix).
 */
CW_API int cw_keyset_claim(cw_keyset *set, cw_buf *key);

/**
 * Best short identifier for messages: the ID field, else the DOI, else
 * NULL. Borrowed.
 */
CW_API const char *cw_record_label(const cw_record *rec);

#ifdef __cplusplus
}
#endif
#endif
