/*
 * cw_map: finding and adding, case folding, borrowed keys, order, growth.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

Test(map, put_and_find)
{
	cw_map *m;
	cr_assert_eq(cw_map_new(&m, 0), CW_OK);
	cr_expect_null(cw_map_find(m, "a", CW_NUL));
	cw_map_entry *e;
	cr_assert_eq(cw_map_put(m, "alpha", CW_NUL, &e), 1);
	cr_expect_str_eq(e->key, "alpha");
	cr_expect_eq(e->key_len, 5);
	cr_expect_null(e->value);
	cr_expect_eq(e->size, 0);
	static char first[] = "first";
	e->value = first;
	e->size = 7;
	cw_map_entry *again;
	cr_expect_eq(cw_map_put(m, "alpha", 5, &again), 0);
	cr_expect_eq(again, e);
	cr_expect_str_eq(again->value, "first");
	cr_expect_eq(cw_map_find(m, "alphabet", 5), e);
	cr_expect_null(cw_map_find(m, "Alpha", CW_NUL));
	cr_expect_null(cw_map_find(m, "alph", CW_NUL));
	cr_expect_eq(cw_map_count(m), 1);
	cw_map_free(m, NULL);
}

Test(map, keys_are_bytes)
{
	cw_map *m;
	cr_assert_eq(cw_map_new(&m, 0), CW_OK);
	cr_expect_eq(cw_map_put(m, "a\0b", 3, NULL), 1);
	cr_expect_eq(cw_map_put(m, "a\0c", 3, NULL), 1);
	cr_expect_eq(cw_map_put(m, "", 0, NULL), 1);
	cr_expect_not_null(cw_map_find(m, "a\0b", 3));
	cr_expect_null(cw_map_find(m, "a", CW_NUL));
	cr_expect_not_null(cw_map_find(m, "", 0));
	cr_expect_eq(cw_map_count(m), 3);
	cw_map_free(m, NULL);
}

Test(map, fold_case)
{
	cw_map *m;
	cr_assert_eq(cw_map_new(&m, CW_MAP_FOLD_CASE), CW_OK);
	cw_map_entry *e;
	cr_assert_eq(cw_map_put(m, "Smith2008", CW_NUL, &e), 1);
	cr_expect_str_eq(e->key, "smith2008");
	cr_expect_eq(cw_map_put(m, "SMITH2008", CW_NUL, NULL), 0);
	cr_expect_eq(cw_map_find(m, "sMiTh2008", CW_NUL), e);
	/* only ASCII folds */
	cr_expect_eq(cw_map_put(m, "Émile", CW_NUL, NULL), 1);
	cr_expect_null(cw_map_find(m, "éMILE", CW_NUL));
	cw_map_free(m, NULL);
}

/*
 * The fold works eight bytes at a time: every byte value at every place in
 * a word and in the tail. The byte with its case bit flipped finds the key
 * exactly when the byte is an ASCII letter ("É" is not "é", '@' is not '`').
 */
Test(map, fold_case_every_byte)
{
	char key[19], other[19];
	for (int c = 0; c < 256; c++) {
		int letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
		for (size_t at = 0; at < sizeof key; at++) {
			cw_map *m;
			cr_assert_eq(cw_map_new(&m, CW_MAP_FOLD_CASE), CW_OK);
			memset(key, 'k', sizeof key);
			key[at] = (char)c;
			memcpy(other, key, sizeof key);
			other[at] = (char)(c ^ 0x20);
			other[(at + 5) % sizeof key] = 'K'; /* and another letter's case */
			cr_assert_eq(cw_map_put(m, key, sizeof key, NULL), 1);
			cr_expect_not_null(cw_map_find(m, key, sizeof key));
			cr_expect_eq(cw_map_find(m, other, sizeof other) != NULL, letter,
			             "byte %d at %zu", c, at);
			cw_map_free(m, NULL);
		}
	}
}

Test(map, borrowed_keys)
{
	char text[] = "one two three";
	cw_map *m;
	cr_assert_eq(cw_map_new(&m, CW_MAP_BORROW_KEYS | CW_MAP_FOLD_CASE), CW_OK);
	cw_map_entry *e;
	cr_assert_eq(cw_map_put(m, text + 4, 3, &e), 1);
	cr_expect_eq(e->key, text + 4); /* not copied */
	cr_expect_eq(cw_map_find(m, "TWO", 3), e);
	cw_map_free(m, NULL);
}

static int freed;
static void count_free(void *v)
{
	freed++;
	free(v);
}

Test(map, many_keys_keep_their_entries_and_order)
{
	cw_map *m;
	cr_assert_eq(cw_map_new(&m, 0), CW_OK);
	enum { N = 5000 };
	cw_map_entry *first = NULL;
	char key[32];
	for (int i = 0; i < N; i++) {
		snprintf(key, sizeof key, "key-%d", i);
		cw_map_entry *e;
		cr_assert_eq(cw_map_put(m, key, CW_NUL, &e), 1);
		e->value = malloc(4);
		e->size = (size_t)i;
		if (!first)
			first = e;
	}
	cr_expect_eq(cw_map_count(m), N);
	/* entries never move while the map grows */
	cr_expect_eq(cw_map_find(m, "key-0", CW_NUL), first);
	for (int i = 0; i < N; i++) {
		snprintf(key, sizeof key, "key-%d", i);
		cw_map_entry *e = cw_map_find(m, key, CW_NUL);
		cr_assert_not_null(e, "%s lost", key);
		cr_expect_eq(e->size, (size_t)i);
		cr_expect_eq(cw_map_at(m, (size_t)i), e, "entry %d out of order", i);
	}
	cr_expect_null(cw_map_at(m, N));
	for (int i = 0; i < N; i++) {
		snprintf(key, sizeof key, "absent-%d", i);
		cr_expect_null(cw_map_find(m, key, CW_NUL));
	}
	freed = 0;
	cw_map_free(m, count_free);
	cr_expect_eq(freed, N);
}

Test(map, long_keys)
{
	cw_map *m;
	cr_assert_eq(cw_map_new(&m, 0), CW_OK);
	size_t n = 200 * 1024;
	char *big = malloc(n);
	memset(big, 'x', n);
	cw_map_entry *e;
	cr_assert_eq(cw_map_put(m, big, n, &e), 1);
	cr_assert_eq(cw_map_put(m, "short", CW_NUL, NULL), 1);
	big[n - 1] = 'y';
	cr_expect_null(cw_map_find(m, big, n));
	big[n - 1] = 'x';
	cr_expect_eq(cw_map_find(m, big, n), e);
	free(big);
	cw_map_free(m, NULL);
}

Test(map, misuse)
{
	cr_expect_eq(cw_map_new(NULL, 0), CW_EINVAL);
	cw_map *m;
	cr_assert_eq(cw_map_new(&m, 0), CW_OK);
	cw_map_entry *e = (cw_map_entry *)1;
	cr_expect_eq(cw_map_put(m, NULL, 0, &e), CW_EINVAL);
	cr_expect_null(e);
	cr_expect_eq(cw_map_put(NULL, "a", 1, NULL), CW_EINVAL);
	cr_expect_null(cw_map_find(NULL, "a", 1));
	cr_expect_null(cw_map_find(m, NULL, 0));
	cr_expect_eq(cw_map_count(NULL), 0);
	cr_expect_null(cw_map_at(NULL, 0));
	cw_map_free(m, NULL);
	cw_map_free(NULL, NULL);
}
