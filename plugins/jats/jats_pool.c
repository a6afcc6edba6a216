/*
 * The record string pool: a chain of blocks; big strings get their own.
 */
#include <stdlib.h>
#include <string.h>

#include <crosswalk/common.h>

#include "jats_pool.h"

#define JATS_POOL_BLOCK 16384

struct jats_pool_block {
	jats_pool_block *next;
	size_t used, cap;
	char data[];
};

char *jats_pool_dup(jats_pool *p, const char *s, size_t len)
{
	if (!s)
		return NULL;
	if (len == CW_NUL)
		len = strlen(s);
	size_t need = len + 1;
	jats_pool_block *b = p->head;
	if (!b || b->cap - b->used < need) {
		size_t cap = need > JATS_POOL_BLOCK ? need : JATS_POOL_BLOCK;
		jats_pool_block *nb = malloc(sizeof *nb + cap);
		if (!nb) {
			p->failed = 1;
			return NULL;
		}
		nb->used = 0;
		nb->cap = cap;
		nb->next = p->head;
		p->head = nb;
		b = nb;
	}
	char *out = b->data + b->used;
	memcpy(out, s, len);
	out[len] = 0;
	b->used += need;
	return out;
}

void jats_pool_reset(jats_pool *p)
{
	p->failed = 0;
	jats_pool_block *b = p->head;
	if (!b)
		return;
	/* keep the last block in the chain (the oldest, usually a standard one) */
	while (b->next) {
		jats_pool_block *n = b->next;
		free(b);
		b = n;
	}
	b->used = 0;
	p->head = b;
}

void jats_pool_free(jats_pool *p)
{
	jats_pool_block *b = p->head;
	while (b) {
		jats_pool_block *n = b->next;
		free(b);
		b = n;
	}
	p->head = NULL;
}
