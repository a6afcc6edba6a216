/*
 * crosswalk/map.h - a hash map from byte strings to the caller's values
 * (ABI 1.3): @string macros, citation keys seen, the classes of lines.
 */
#ifndef CROSSWALK_MAP_H
#define CROSSWALK_MAP_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A map from keys (any bytes, NUL included, with a length) to entries that
 * hold the caller's value. Entries are never removed; they stay at one
 * address until the map is freed, and cw_map_at visits them in the order
 * they were added, so output built from a map is deterministic. A lookup
 * costs one hash of the key and, at most half full, about two probes; an
 * absent key is usually told by one bit. It takes about 40 bytes per entry
 * and the key's bytes (none for CW_MAP_BORROW_KEYS).
 */
typedef struct cw_map cw_map;

/** cw_map_new flags */
enum cw_map_flag {
	/** ASCII case does not matter: "Smith" and "SMITH" are one key (stored in lower case) */
	CW_MAP_FOLD_CASE = 1u << 0,
	/** keys are not copied: each must stay unchanged, at its address, as long as the map */
	CW_MAP_BORROW_KEYS = 1u << 1
};

/** One key and the caller's data. */
typedef struct cw_map_entry {
	const char *key; /**< the stored key: NUL-terminated when copied (folded with FOLD_CASE) */
	size_t key_len;  /**< its length */
	void *value;     /**< the caller's; NULL when the entry is added */
	size_t size;     /**< the caller's too (a length, an index); 0 when added */
} cw_map_entry;

/** An empty map. @param[out] out returns owned; free with cw_map_free. */
CW_API int cw_map_new(cw_map **out, unsigned flags);
/**
 * Frees the map and its keys; free_value (may be NULL) is called on each
 * entry's value first, in the order they were added. NULL is a no-op.
 */
CW_API void cw_map_free(cw_map *m, void (*free_value)(void *value));
/**
 * The entry of key[0..len) (len may be CW_NUL), or NULL; borrowed: valid
 * until the map is freed.
 */
CW_API cw_map_entry *cw_map_find(const cw_map *m, const char *key, size_t len);
/**
 * Finds the entry of key[0..len) (len may be CW_NUL) or adds one with value
 * NULL and size 0, and stores it in *entry (may be NULL; borrowed).
 * @return 1 when added, 0 when the key was there, CW_ENOMEM, CW_EINVAL.
 */
CW_API int cw_map_put(cw_map *m, const char *key, size_t len, cw_map_entry **entry);
/** Number of entries. */
CW_API size_t cw_map_count(const cw_map *m);
/** The i-th entry added (0-based), or NULL past the end; borrowed. */
CW_API cw_map_entry *cw_map_at(const cw_map *m, size_t i);

#ifdef __cplusplus
}
#endif
#endif
