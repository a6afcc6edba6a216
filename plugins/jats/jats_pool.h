/*
 * A string pool for one record's reading: strings that must live until the
 * record's setters have copied them. Reset after each article.
 */
#ifndef JATS_POOL_H
#define JATS_POOL_H

#include <stddef.h>

typedef struct jats_pool_block jats_pool_block;

typedef struct jats_pool {
	jats_pool_block *head;
	int failed; /* a copy failed since the last reset (sticky, like cw_buf's) */
} jats_pool;

/* Copies len bytes (CW_NUL: strlen) and a NUL; NULL on out of memory (and failed is set). */
char *jats_pool_dup(jats_pool *p, const char *s, size_t len);
/* Forgets every string (and a failure) but keeps the first block for reuse. */
void jats_pool_reset(jats_pool *p);
/* Frees everything. */
void jats_pool_free(jats_pool *p);

#endif
