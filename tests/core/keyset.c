/*
 * cw_keyset: each claimed key comes back unique with the first free suffix,
 * case folded or not, letters or numbers, whatever was claimed before; long
 * keys, many blocks and many equal keys keep working.
 */
#include <stdio.h>
#include <string.h>

#include "cw_test.h"

static cw_keyset *new_set(unsigned flags)
{
	cw_keyset *set = NULL;
	cr_assert_eq(cw_keyset_new(&set, flags), CW_OK);
	cr_assert_not_null(set);
	return set;
}

/* Claims text; the key written back must be want, and the result taken. */
static void claim(cw_keyset *set, const char *text, const char *want, int taken)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, text, CW_NUL);
	cr_assert_eq(cw_keyset_claim(set, &b), taken, "claim(%s)", text);
	cr_expect_str_eq(cw_buf_str(&b), want, "claim(%s)", text);
	cr_expect_eq(b.len, strlen(want));
	cw_buf_free(&b);
}

Test(keyset, new_keys_are_kept_as_they_are)
{
	cw_keyset *set = new_set(0);
	cr_expect_eq(cw_keyset_count(set), 0);
	cr_expect_not(cw_keyset_has(set, "smith2008"));
	claim(set, "smith2008", "smith2008", 0);
	claim(set, "jones2010", "jones2010", 0);
	claim(set, "Smith2008", "Smith2008", 0); /* case counts without FOLD_CASE */
	cr_expect(cw_keyset_has(set, "smith2008"));
	cr_expect(cw_keyset_has(set, "Smith2008"));
	cr_expect_not(cw_keyset_has(set, "SMITH2008"));
	cr_expect_eq(cw_keyset_count(set), 3);
	cw_keyset_free(set);
}

Test(keyset, equal_keys_get_the_letters_in_order)
{
	cw_keyset *set = new_set(0);
	claim(set, "k", "k", 0);
	const char *want[] = {"ka", "kb", "kc"};
	for (int i = 0; i < 3; i++)
		claim(set, "k", want[i], 1);
	for (int i = 3; i < 26; i++) {
		cw_buf b = CW_BUF_INIT;
		cw_buf_append(&b, "k", CW_NUL);
		cr_assert_eq(cw_keyset_claim(set, &b), 1);
		cw_buf_free(&b);
	}
	claim(set, "k", "kaa", 1); /* after kz */
	claim(set, "k", "kab", 1);
	cr_expect_eq(cw_keyset_count(set), 29);
	cw_keyset_free(set);
}

Test(keyset, a_suffix_already_taken_is_skipped)
{
	cw_keyset *set = new_set(0);
	claim(set, "smitha", "smitha", 0);
	claim(set, "smithc", "smithc", 0);
	claim(set, "smith", "smith", 0);
	claim(set, "smith", "smithb", 1);
	claim(set, "smith", "smithd", 1);
	/* a key that is itself a suffixed one gets its own suffix */
	claim(set, "smitha", "smithaa", 1);
	cw_keyset_free(set);
}

Test(keyset, fold_case_compares_without_ascii_case_and_keeps_the_spelling)
{
	cw_keyset *set = new_set(CW_KEYSET_FOLD_CASE);
	claim(set, "Smith2008", "Smith2008", 0);
	claim(set, "smith2008", "smith2008a", 1);
	claim(set, "SMITH2008", "SMITH2008b", 1);
	claim(set, "Smith2008A", "Smith2008Aa", 1); /* smith2008a is taken */
	cr_expect(cw_keyset_has(set, "sMiTh2008"));
	cr_expect(cw_keyset_has(set, "SMITH2008B"));
	/* only ASCII folds: É and é are different keys */
	claim(set, "\xC3\x89t\xC3\xA9", "\xC3\x89t\xC3\xA9", 0);
	claim(set, "\xC3\xA9t\xC3\xA9", "\xC3\xA9t\xC3\xA9", 0);
	cw_keyset_free(set);
}

Test(keyset, number_suffixes_start_at_two)
{
	cw_keyset *set = new_set(CW_KEYSET_SUFFIX_NUMBER);
	claim(set, "ref-1", "ref-1", 0);
	claim(set, "ref-1", "ref-1-2", 1);
	claim(set, "ref-1-3", "ref-1-3", 0);
	claim(set, "ref-1", "ref-1-4", 1);
	claim(set, "Ref-1", "Ref-1", 0);
	cw_keyset_free(set);
}

Test(keyset, a_key_ends_at_its_first_nul)
{
	cw_keyset *set = new_set(0);
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "ab\0cd", 5);
	cr_assert_eq(cw_keyset_claim(set, &b), 0);
	cr_expect_eq(b.len, 2);
	cr_expect(cw_keyset_has(set, "ab"));
	cw_buf_free(&b);
	claim(set, "ab", "aba", 1);
	cw_keyset_free(set);
}

Test(keyset, the_empty_key_is_a_key)
{
	cw_keyset *set = new_set(0);
	cw_buf b = CW_BUF_INIT; /* never appended to: data is NULL */
	cr_assert_eq(cw_keyset_claim(set, &b), 0);
	cr_assert_eq(cw_keyset_claim(set, &b), 1);
	cr_expect_str_eq(cw_buf_str(&b), "a");
	cw_buf_free(&b);
	cr_expect(cw_keyset_has(set, ""));
	cw_keyset_free(set);
}

Test(keyset, misuse_is_refused)
{
	cw_buf b = CW_BUF_INIT;
	cr_expect_eq(cw_keyset_new(NULL, 0), CW_EINVAL);
	cr_expect_eq(cw_keyset_claim(NULL, &b), CW_EINVAL);
	cw_keyset *set = new_set(0);
	cr_expect_eq(cw_keyset_claim(set, NULL), CW_EINVAL);
	cr_expect_not(cw_keyset_has(NULL, "x"));
	cr_expect_not(cw_keyset_has(set, NULL));
	cr_expect_eq(cw_keyset_count(NULL), 0);
	cw_keyset_free(set);
	cw_keyset_free(NULL);
}

/* Many keys over many blocks, long keys in blocks of their own. */
Test(keyset, many_and_long_keys)
{
	cw_keyset *set = new_set(CW_KEYSET_FOLD_CASE);
	enum { N = 100000 };
	char key[64];
	for (int i = 0; i < N; i++) {
		snprintf(key, sizeof key, "Key-%d-with-some-length-to-fill-blocks", i);
		claim(set, key, key, 0);
	}
	size_t big = 600 * 1024;
	cw_buf b = CW_BUF_INIT;
	for (size_t i = 0; i < big; i++)
		cw_buf_putc(&b, (char)('A' + i % 26));
	for (int round = 0; round < 2; round++) {
		cw_buf c = CW_BUF_INIT;
		cw_buf_append(&c, b.data, b.len);
		cr_assert_eq(cw_keyset_claim(set, &c), round);
		cr_expect_eq(c.len, big + (size_t)round);
		cw_buf_free(&c);
	}
	for (int i = 0; i < N; i += 997) {
		snprintf(key, sizeof key, "KEY-%d-WITH-SOME-LENGTH-TO-FILL-BLOCKS", i);
		cr_expect(cw_keyset_has(set, key), "%s", key);
	}
	cr_expect(cw_keyset_has(set, b.data));
	cr_expect_eq(cw_keyset_count(set), N + 2);
	cw_buf_free(&b);
	cw_keyset_free(set);
}

/* n equal keys: each one different, the last with the n-th suffix. */
Test(keyset, many_equal_keys)
{
	cw_keyset *set = new_set(0);
	enum { N = 200000 };
	cw_buf b = CW_BUF_INIT;
	for (int i = 0; i < N; i++) {
		cw_buf_clear(&b);
		cw_buf_append(&b, "anon", CW_NUL);
		cr_assert_eq(cw_keyset_claim(set, &b), i > 0);
	}
	cw_buf want = CW_BUF_INIT;
	cw_buf_append(&want, "anon", CW_NUL);
	cw_key_suffix(&want, N - 1);
	cr_expect_str_eq(cw_buf_str(&b), cw_buf_str(&want));
	cr_expect_eq(cw_keyset_count(set), N);
	cw_buf_free(&want);
	cw_buf_free(&b);
	cw_keyset_free(set);
}
