/*
 * cw_map: open addressing with linear probing over 64-bit slots (the high
 * half of the key's hash beside the entry's number), at most half full; a
 * filter of four bits per slot answers most lookups of absent keys without
 * touching the slots. Entries live in chunks that never move, in the order
 * they were added; copied keys in blocks that never move.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum {
	CHUNK_BITS = 10,
	CHUNK = 1 << CHUNK_BITS, /* entries per chunk */
	TEXT_BLOCK = 64 * 1024,  /* bytes per block of copied keys */
	FIRST_CAP = 64           /* slots of the first table */
};

struct cw_map {
	uint64_t *slot;   /* 0: free; else hash >> 32 << 32 | entry number + 1 */
	uint64_t *filter; /* cap * 4 bits, one set per key */
	size_t cap, n;
	cw_map_entry **chunk;
	size_t nchunk;
	char **block;
	size_t nblock, used; /* bytes used in the last block */
	unsigned flags;
};

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

#define ONES 0x0101010101010101u

/* The first 8 bytes at s, or all n of them when fewer (the rest 0), as one word. */
static uint64_t load8(const char *s, size_t n)
{
	uint64_t x = 0;
	if (n >= 8) {
		memcpy(&x, s, 8); /* a fixed size: one load, not a call */
		return x;
	}
	/* the tail in pieces of 4, 2 and 1, each in lanes of its own */
	size_t at = 0;
	if (n & 4) {
		uint32_t v;
		memcpy(&v, s, 4);
		x = v;
		at = 4;
	}
	if (n & 2) {
		uint16_t v;
		memcpy(&v, s + at, 2);
		x |= (uint64_t)v << (8 * at);
		at += 2;
	}
	if (n & 1)
		x |= (uint64_t)(unsigned char)s[at] << (8 * at);
	return x;
}

/* Each byte of x with ASCII capitals made small: eight folds at once. */
static uint64_t fold8(uint64_t x)
{
	uint64_t t = x & 0x7f * ONES;              /* each byte < 0x80: no carry below */
	uint64_t from_a = t + (0x80 - 'A') * ONES; /* high bit: byte >= 'A' */
	uint64_t past_z = t + (0x7f - 'Z') * ONES; /* high bit: byte > 'Z' */
	uint64_t upper = from_a & ~past_z & ~x & 0x80 * ONES;
	return x | upper >> 2; /* 0x80 >> 2 is the case bit */
}

uint64_t cw__hash(const char *s, size_t n, int fold_case)
{
	/* a word at a time: multiply, then fold the high bits down, so that
	 * every byte reaches every bit of the result */
	uint64_t h = 0x9e3779b97f4a7c15u ^ (n * 0xff51afd7ed558ccdu);
	for (size_t i = 0; i < n; i += 8) {
		uint64_t w = load8(s + i, n - i);
		if (fold_case)
			w = fold8(w);
		h = (h ^ w) * 0xbf58476d1ce4e5b9u;
		h ^= h >> 29;
	}
	h *= 0x94d049bb133111ebu;
	return h ^ (h >> 32);
}

static int folds(const cw_map *m)
{
	return (m->flags & CW_MAP_FOLD_CASE) != 0;
}

static cw_map_entry *entry_of(const cw_map *m, uint64_t slot)
{
	size_t i = (size_t)(uint32_t)slot - 1;
	return &m->chunk[i >> CHUNK_BITS][i & (CHUNK - 1)];
}

static size_t filter_bit(uint64_t h, size_t cap)
{
	return (size_t)(h >> 20) & (cap * 4 - 1);
}

static int key_eq(const cw_map *m, const cw_map_entry *e, const char *s, size_t n)
{
	if (e->key_len != n)
		return 0;
	if (!folds(m))
		return memcmp(e->key, s, n) == 0;
	for (size_t i = 0; i < n; i += 8)
		if (fold8(load8(e->key + i, n - i)) != fold8(load8(s + i, n - i)))
			return 0;
	return 1;
}

/* The slot holding s, or the free slot where it would go. */
static size_t probe(const cw_map *m, const char *s, size_t n, uint64_t h)
{
	size_t mask = m->cap - 1;
	uint64_t tag = h >> 32;
	size_t i = (size_t)h & mask;
	while (m->slot[i] &&
	       !((m->slot[i] >> 32) == tag && key_eq(m, entry_of(m, m->slot[i]), s, n)))
		i = (i + 1) & mask;
	return i;
}

static void set_filter(uint64_t *filter, uint64_t h, size_t cap)
{
	size_t b = filter_bit(h, cap);
	filter[b / 64] |= (uint64_t)1 << (b % 64);
}

static int grow(cw_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : FIRST_CAP;
	if (cap > SIZE_MAX / sizeof(uint64_t) / 2)
		return CW_ENOMEM;
	uint64_t *slot = calloc(cap, sizeof *slot);
	uint64_t *filter = calloc(cap * 4 / 64, sizeof *filter);
	if (!slot || !filter) {
		free(slot);
		free(filter);
		return CW_ENOMEM;
	}
	for (size_t k = 0; k < m->n; k++) {
		const cw_map_entry *e = &m->chunk[k >> CHUNK_BITS][k & (CHUNK - 1)];
		uint64_t h = cw__hash(e->key, e->key_len, folds(m));
		size_t i = (size_t)h & (cap - 1);
		while (slot[i])
			i = (i + 1) & (cap - 1);
		slot[i] = (h >> 32 << 32) | (uint64_t)(k + 1);
		set_filter(filter, h, cap);
	}
	free(m->slot);
	free(m->filter);
	m->slot = slot;
	m->filter = filter;
	m->cap = cap;
	return CW_OK;
}

/* A copy of s[0..n) and a NUL (folded when the map folds), in a block that never moves. */
static char *copy_key(cw_map *m, const char *s, size_t n)
{
	if (n >= SIZE_MAX - TEXT_BLOCK)
		return NULL;
	if (!m->nblock || TEXT_BLOCK - m->used < n + 1) {
		char **nb = realloc(m->block, (m->nblock + 1) * sizeof *nb);
		if (!nb)
			return NULL;
		m->block = nb;
		/* a key longer than a block gets a block of its own, then full */
		char *b = malloc(n + 1 > TEXT_BLOCK ? n + 1 : TEXT_BLOCK);
		if (!b)
			return NULL;
		m->block[m->nblock++] = b;
		m->used = 0;
	}
	char *p = m->block[m->nblock - 1] + m->used;
	m->used += n + 1;
	if (m->used > TEXT_BLOCK)
		m->used = TEXT_BLOCK;
	for (size_t i = 0; i < n; i++)
		p[i] = folds(m) ? (char)fold((unsigned char)s[i]) : s[i];
	p[n] = '\0';
	return p;
}

int cw_map_new(cw_map **out, unsigned flags)
{
	if (!out)
		return CW_EINVAL;
	*out = calloc(1, sizeof **out);
	if (!*out)
		return CW_ENOMEM;
	(*out)->flags = flags;
	return CW_OK;
}

void cw_map_free(cw_map *m, void (*free_value)(void *value))
{
	if (!m)
		return;
	if (free_value)
		for (size_t k = 0; k < m->n; k++)
			free_value(m->chunk[k >> CHUNK_BITS][k & (CHUNK - 1)].value);
	for (size_t i = 0; i < m->nchunk; i++)
		free(m->chunk[i]);
	for (size_t i = 0; i < m->nblock; i++)
		free(m->block[i]);
	free(m->chunk);
	free(m->block);
	free(m->slot);
	free(m->filter);
	free(m);
}

cw_map_entry *cw_map_find(const cw_map *m, const char *key, size_t len)
{
	if (!m || !key || !m->n)
		return NULL;
	if (len == CW_NUL)
		len = strlen(key);
	uint64_t h = cw__hash(key, len, folds(m));
	size_t b = filter_bit(h, m->cap);
	if (!(m->filter[b / 64] >> (b % 64) & 1))
		return NULL;
	size_t i = probe(m, key, len, h);
	return m->slot[i] ? entry_of(m, m->slot[i]) : NULL;
}

int cw_map_put(cw_map *m, const char *key, size_t len, cw_map_entry **entry)
{
	if (entry)
		*entry = NULL;
	if (!m || !key)
		return CW_EINVAL;
	if (len == CW_NUL)
		len = strlen(key);
	if (m->n >= UINT32_MAX - 1)
		return CW_ENOMEM;
	if ((m->n + 1) * 2 > m->cap && grow(m))
		return CW_ENOMEM;
	uint64_t h = cw__hash(key, len, folds(m));
	size_t i = probe(m, key, len, h);
	if (m->slot[i]) {
		if (entry)
			*entry = entry_of(m, m->slot[i]);
		return 0;
	}
	size_t k = m->n;
	if ((k >> CHUNK_BITS) == m->nchunk) {
		cw_map_entry **nc = realloc(m->chunk, (m->nchunk + 1) * sizeof *nc);
		if (!nc)
			return CW_ENOMEM;
		m->chunk = nc;
		if (!(m->chunk[m->nchunk] = malloc(CHUNK * sizeof(cw_map_entry))))
			return CW_ENOMEM;
		m->nchunk++;
	}
	cw_map_entry *e = &m->chunk[k >> CHUNK_BITS][k & (CHUNK - 1)];
	const char *stored = key;
	if (!(m->flags & CW_MAP_BORROW_KEYS) && !(stored = copy_key(m, key, len)))
		return CW_ENOMEM;
	*e = (cw_map_entry){stored, len, NULL, 0};
	m->slot[i] = (h >> 32 << 32) | (uint64_t)(k + 1);
	set_filter(m->filter, h, m->cap);
	m->n++;
	if (entry)
		*entry = e;
	return 1;
}

size_t cw_map_count(const cw_map *m)
{
	return m ? m->n : 0;
}

cw_map_entry *cw_map_at(const cw_map *m, size_t i)
{
	if (!m || i >= m->n)
		return NULL;
	return &m->chunk[i >> CHUNK_BITS][i & (CHUNK - 1)];
}
