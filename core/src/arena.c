/*
 * Chunked bump allocator. A record allocates all its strings and values from
 * one arena, so freeing the record is a walk over a few chunks.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct cw__chunk {
	cw__chunk *next;
	size_t used, size;
	max_align_t data[]; /* aligned storage */
};

enum { ARENA_FIRST = 1024, ARENA_MAX_STEP = 64 * 1024, ARENA_ALIGN = sizeof(void *) };

void *cw__arena_alloc(cw__arena *a, size_t n)
{
	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (n == 0)
		n = ARENA_ALIGN;
	cw__chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		/* 1, 1, 2, 4... KiB up to 64: a small record (a reference) needing
		 * a little more than one chunk takes two small ones, not 1 + 2 */
		size_t want = a->next_size ? a->next_size : ARENA_FIRST;
		if (!a->next_size)
			a->next_size = ARENA_FIRST;
		else if (a->next_size < ARENA_MAX_STEP)
			a->next_size = want * 2;
		if (want < n)
			want = n;
		if (want > SIZE_MAX - sizeof(cw__chunk))
			return NULL;
		c = malloc(sizeof(cw__chunk) + want);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = want;
		c->next = a->head;
		a->head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

char *cw__arena_memdup(cw__arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = cw__arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void cw__arena_init_fixed(cw__arena *a, void *mem, size_t n)
{
	cw__chunk *c = mem;
	c->next = NULL;
	c->used = 0;
	c->size = n - sizeof *c;
	a->head = a->fixed = c;
	/* the chunks that follow grow as they would after a first one */
	a->next_size = ARENA_FIRST;
}

void cw__arena_free(cw__arena *a)
{
	cw__chunk *c = a->head;
	while (c) {
		cw__chunk *next = c->next;
		if (c != a->fixed)
			free(c);
		c = next;
	}
	a->head = a->fixed = NULL;
	a->next_size = 0;
}
