/*
 * The set of keys a writer has written (citation keys, CSL ids, XML ids),
 * making each new one unique with a suffix. One implementation for every
 * writer: memory is what keeps it flat at 10^6 records, so it is laid out
 * for size.
 *
 * A key is stored once, in blocks that never move, as [uint32 next suffix]
 * [key bytes][NUL], 4-byte aligned. The hash table's slot is a 32-bit
 * reference to that entry (block number << 16 | offset / 4, plus one; 0 is a
 * free slot), so 10^6 keys of 12 bytes cost 8 MiB of slots and about 20 MB
 * of text. The hash is not stored; growing the table recomputes it.
 *
 * The next-suffix counter makes n equal keys cost O(n) lookups, not O(n^2):
 * the suffixes below a key's counter are all taken (keys are never
 * forgotten), so starting from the counter gives the same key as starting
 * from the first suffix.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum {
	BLOCK_SIZE = 256 * 1024, /* offsets / 4 fit 16 bits */
	BLOCK_MAX = 0xFFFF,      /* block numbers fit 16 bits, slot 0 stays free */
	ENTRY_HEAD = sizeof(uint32_t),
};

struct cw_keyset {
	uint32_t *slot; /* 0: free; else entry reference + 1 */
	size_t cap, n;
	char **block;
	size_t nblock, capblock;
	size_t used; /* bytes used in the last block */
	unsigned flags;
};

static int folds(const cw_keyset *set)
{
	return (set->flags & CW_KEYSET_FOLD_CASE) != 0;
}

static unsigned char fold(const cw_keyset *set, unsigned char c)
{
	return folds(set) && c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static uint64_t hash(const cw_keyset *set, const char *s, size_t n)
{
	return cw__hash(s, n, folds(set));
}

/* The entry's key text (after its counter). */
static char *entry(const cw_keyset *set, uint32_t ref)
{
	uint32_t r = ref - 1;
	return set->block[r >> 16] + (size_t)(r & 0xFFFF) * 4 + ENTRY_HEAD;
}

static uint32_t entry_next(const char *key)
{
	uint32_t v;
	memcpy(&v, key - ENTRY_HEAD, sizeof v);
	return v;
}

static void entry_set_next(char *key, unsigned long next)
{
	uint32_t v = next > UINT32_MAX ? UINT32_MAX : (uint32_t)next;
	memcpy(key - ENTRY_HEAD, &v, sizeof v);
}

/* Stored keys are folded already: only s needs folding. */
static int key_eq(const cw_keyset *set, const char *stored, const char *s, size_t n)
{
	if (!folds(set))
		return strncmp(stored, s, n) == 0 && stored[n] == '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)stored[i] != fold(set, (unsigned char)s[i]))
			return 0;
	return stored[n] == '\0';
}

/* The slot holding s, or the free slot where it would go. */
static size_t probe(const cw_keyset *set, const char *s, size_t n, uint64_t h)
{
	size_t mask = set->cap - 1;
	size_t i = (size_t)h & mask;
	while (set->slot[i] && !key_eq(set, entry(set, set->slot[i]), s, n))
		i = (i + 1) & mask;
	return i;
}

static int grow_table(cw_keyset *set)
{
	size_t nc = set->cap ? set->cap * 2 : 64;
	if (nc > SIZE_MAX / sizeof(uint32_t))
		return CW_ENOMEM;
	uint32_t *ns = calloc(nc, sizeof *ns);
	if (!ns)
		return CW_ENOMEM;
	for (size_t i = 0; i < set->cap; i++) {
		uint32_t ref = set->slot[i];
		if (!ref)
			continue;
		const char *k = entry(set, ref);
		size_t j = (size_t)hash(set, k, strlen(k)) & (nc - 1);
		while (ns[j])
			j = (j + 1) & (nc - 1);
		ns[j] = ref;
	}
	free(set->slot);
	set->slot = ns;
	set->cap = nc;
	return CW_OK;
}

/* A new entry for s (folded), counter at first; its reference + 1, or 0. */
static uint32_t store(cw_keyset *set, const char *s, size_t n, uint32_t first)
{
	if (n > SIZE_MAX - ENTRY_HEAD - 4)
		return 0;
	size_t len = (ENTRY_HEAD + n + 1 + 3) & ~(size_t)3;
	if (!set->nblock || BLOCK_SIZE - set->used < len) {
		if (set->nblock >= BLOCK_MAX)
			return 0;
		if (set->nblock == set->capblock) {
			size_t nc = set->capblock ? set->capblock * 2 : 16;
			char **nb = realloc(set->block, nc * sizeof *nb);
			if (!nb)
				return 0;
			set->block = nb;
			set->capblock = nc;
		}
		/* a key longer than a block gets a block of its own (offset 0) */
		char *b = malloc(len > BLOCK_SIZE ? len : BLOCK_SIZE);
		if (!b)
			return 0;
		set->block[set->nblock++] = b;
		set->used = 0;
	}
	char *p = set->block[set->nblock - 1] + set->used;
	uint32_t ref = (uint32_t)((set->nblock - 1) << 16 | set->used / 4) + 1;
	set->used += len;
	if (set->used > BLOCK_SIZE)
		set->used = BLOCK_SIZE; /* the oversized block is full */
	memcpy(p, &first, sizeof first);
	for (size_t i = 0; i < n; i++)
		p[ENTRY_HEAD + i] = (char)fold(set, (unsigned char)s[i]);
	p[ENTRY_HEAD + n] = '\0';
	return ref;
}

int cw_keyset_new(cw_keyset **out, unsigned flags)
{
	if (!out)
		return CW_EINVAL;
	*out = calloc(1, sizeof **out);
	if (!*out)
		return CW_ENOMEM;
	(*out)->flags = flags;
	return CW_OK;
}

void cw_keyset_free(cw_keyset *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->nblock; i++)
		free(set->block[i]);
	free(set->block);
	free(set->slot);
	free(set);
}

static char *find(const cw_keyset *set, const char *s, size_t n)
{
	if (!set->n)
		return NULL;
	size_t i = probe(set, s, n, hash(set, s, n));
	return set->slot[i] ? entry(set, set->slot[i]) : NULL;
}

int cw_keyset_has(const cw_keyset *set, const char *key)
{
	return set && key && find(set, key, strlen(key)) != NULL;
}

size_t cw_keyset_count(const cw_keyset *set)
{
	return set ? set->n : 0;
}

static int append_suffix(const cw_keyset *set, cw_buf *key, unsigned long k)
{
	if (set->flags & CW_KEYSET_SUFFIX_NUMBER)
		return cw_buf_printf(key, "-%lu", k);
	return cw_key_suffix(key, k);
}

int cw_keyset_claim(cw_keyset *set, cw_buf *key)
{
	if (!set || !key)
		return CW_EINVAL;
	uint32_t first = set->flags & CW_KEYSET_SUFFIX_NUMBER ? 2 : 1;
	if ((set->n + 1) * 2 > set->cap && grow_table(set))
		return CW_ENOMEM;
	/* a key is a C string: what follows a NUL is no part of it */
	key->len = strlen(cw_buf_str(key));
	/* one hash and one probe for a new key: the slot found is where it goes */
	size_t i = probe(set, cw_buf_str(key), key->len, hash(set, cw_buf_str(key), key->len));
	int taken = set->slot[i] != 0;
	if (taken) {
		char *e = entry(set, set->slot[i]);
		size_t base = key->len;
		for (unsigned long k = entry_next(e);; k++) {
			key->len = base;
			if (key->data)
				key->data[base] = '\0';
			if (append_suffix(set, key, k))
				return CW_ENOMEM;
			i = probe(set, key->data, key->len, hash(set, key->data, key->len));
			if (!set->slot[i]) {
				entry_set_next(e, k + 1);
				break;
			}
		}
	}
	uint32_t ref = store(set, cw_buf_str(key), key->len, first);
	if (!ref)
		return CW_ENOMEM;
	set->slot[i] = ref;
	set->n++;
	return taken;
}
