/*
 * The unified diff of convert --diff (core/cli/cli_diff.c): its text
 * against what diff -u prints, minimality against a textbook LCS, every diff
 * applied back by a small patcher, and its bounds on large inputs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cli.h"
#include "cw_test.h"

/* The diff of a to b under opts (NULL: the defaults); *res its result. Free it. */
static char *diff_of(const char *a, size_t alen, const char *b, size_t blen,
                     const cli_diff_opts *opts, int *res)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cr_assert_not_null(f);
	*res = cli_diff(f, "a.txt", a, alen, "b.txt", b, blen, opts);
	cr_assert_eq(fclose(f), 0);
	return text;
}

static char *diff_str(const char *a, const char *b, int *res)
{
	return diff_of(a, strlen(a), b, strlen(b), NULL, res);
}

/* A line of text at *p (with its newline if any); advances *p. */
static size_t take_line(const char **p, const char *end)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	size_t n = nl ? (size_t)(nl + 1 - *p) : (size_t)(end - *p);
	*p += n;
	return n;
}

/*
 * Applies a unified diff to a, checking every context and removed line
 * against a; returns b (malloc'd, *blen) and counts the changed lines.
 */
static char *apply(const char *a, size_t alen, const char *d, size_t *blen, size_t *changed)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "", 0);
	const char *ap = a, *aend = a + alen;
	long aline = 0; /* lines of a consumed */
	const char *p = d, *end = d + strlen(d);
	*changed = 0;
	cr_assert(strncmp(p, "--- a.txt\n+++ b.txt\n", 20) == 0, "%s", d);
	p += 20;
	while (p < end) {
		long as, al = 1, bl = 1;
		cr_assert(strncmp(p, "@@ -", 4) == 0, "no hunk at: %.40s", p);
		/* "-s[,l] +s[,l] @@" */
		const char *q = p + 4;
		char *e;
		as = strtol(q, &e, 10);
		if (*e == ',')
			al = strtol(e + 1, &e, 10);
		cr_assert(e[0] == ' ' && e[1] == '+');
		strtol(e + 2, &e, 10);
		if (*e == ',')
			bl = strtol(e + 1, &e, 10);
		cr_assert(strncmp(e, " @@\n", 4) == 0);
		p = e + 4;
		long first = al ? as - 1 : as;
		cr_assert_geq(first, aline, "hunks out of order");
		while (aline < first) { /* lines between hunks */
			const char *s = ap;
			size_t k = take_line(&ap, aend);
			cw_buf_append(&b, s, k);
			aline++;
		}
		long seen_a = 0, seen_b = 0;
		while (p < end && (*p == ' ' || *p == '-' || *p == '+')) {
			char mark = *p++;
			const char *s = p;
			size_t k = take_line(&p, end);
			if (p < end && *p == '\\') { /* the line had no newline */
				cr_assert(strncmp(p, "\\ No newline at end of file\n", 28) == 0);
				p += 28;
				k--;
			}
			if (mark != '+') {
				const char *t = ap;
				size_t ak = take_line(&ap, aend);
				cr_assert(ak == k && memcmp(t, s, k) == 0,
				          "line %ld of a is not '%.*s'", aline + 1, (int)k, s);
				aline++;
				seen_a++;
			}
			if (mark != '-') {
				cw_buf_append(&b, s, k);
				seen_b++;
			}
			*changed += mark != ' ';
		}
		cr_assert_eq(seen_a, al, "hunk header says %ld old lines, body has %ld", al,
		             seen_a);
		cr_assert_eq(seen_b, bl);
	}
	cw_buf_append(&b, ap, (size_t)(aend - ap));
	*blen = b.len;
	return b.data;
}

/* Diffs a to b, applies the diff to a and expects b; returns the changed lines. */
static size_t round_trip(const char *a, size_t alen, const char *b, size_t blen)
{
	int res;
	char *d = diff_of(a, alen, b, blen, NULL, &res);
	if (alen == blen && memcmp(a, b, alen) == 0) {
		cr_assert_eq(res, CLI_DIFF_SAME);
		free(d);
		return 0;
	}
	cr_assert_eq(res, CLI_DIFF_SHOWN, "%s", d);
	size_t got_len, changed;
	char *got = apply(a, alen, d, &got_len, &changed);
	cr_assert(got_len == blen && memcmp(got, b, blen) == 0, "diff:\n%s\ngave:\n%s", d, got);
	free(got);
	free(d);
	return changed;
}

/* Our diff has diff -u's text (after its header lines with timestamps). */
static void agrees_with_diff_u(const char *a, const char *b)
{
	const char *dir = cwt_tmpdir();
	char pa[4096], pb[4096];
	snprintf(pa, sizeof pa, "%s/a.txt", dir);
	snprintf(pb, sizeof pb, "%s/b.txt", dir);
	cr_assert_eq(cwt_write_file(pa, a, strlen(a)), 0);
	cr_assert_eq(cwt_write_file(pb, b, strlen(b)), 0);
	cwt_require_tool("diff");
	cw_buf cmd = CW_BUF_INIT, want = CW_BUF_INIT;
	cw_buf_printf(&cmd, "cd '%s' && diff -u a.txt b.txt | sed 1,2d", dir);
	cr_assert_eq(cwt_run(cmd.data, &want), 0);
	int res;
	char *got = diff_str(a, b, &res);
	cr_assert_eq(res, CLI_DIFF_SHOWN);
	const char *body = strstr(got, "\n+++ b.txt\n");
	cr_assert_not_null(body);
	body += 11;
	cr_expect_str_eq(body, cw_buf_str(&want));
	free(got);
	cw_buf_free(&cmd);
	cw_buf_free(&want);
}

/* "1\n2\n...n\n" with line k replaced by repl (NULL: deleted), or extra inserted after k. */
static char *numbers(int n, int k, const char *repl, const char *extra)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "", 0);
	for (int i = 1; i <= n; i++) {
		if (i != k)
			cw_buf_printf(&b, "%d\n", i);
		else if (repl)
			cw_buf_printf(&b, "%s\n", repl);
		if (i == k && extra)
			cw_buf_printf(&b, "%s\n", extra);
	}
	return b.data;
}

Test(diff, identical_texts_print_nothing)
{
	int res;
	char *d = diff_str("a\nb\n", "a\nb\n", &res);
	cr_expect_eq(res, CLI_DIFF_SAME);
	cr_expect(!d || !*d);
	free(d);
	d = diff_str("", "", &res);
	cr_expect_eq(res, CLI_DIFF_SAME);
	free(d);
}

Test(diff, insertion)
{
	char *a = numbers(10, 0, NULL, NULL), *b = numbers(10, 5, "5", "x");
	int res;
	char *d = diff_str(a, b, &res);
	cr_expect_eq(res, CLI_DIFF_SHOWN);
	cr_expect_str_eq(d, "--- a.txt\n+++ b.txt\n"
	                    "@@ -3,6 +3,7 @@\n 3\n 4\n 5\n+x\n 6\n 7\n 8\n");
	agrees_with_diff_u(a, b);
	free(d);
	free(a);
	free(b);
}

Test(diff, deletion)
{
	char *a = numbers(10, 0, NULL, NULL), *b = numbers(10, 2, NULL, NULL);
	int res;
	char *d = diff_str(a, b, &res);
	cr_expect_str_eq(d, "--- a.txt\n+++ b.txt\n"
	                    "@@ -1,5 +1,4 @@\n 1\n-2\n 3\n 4\n 5\n");
	agrees_with_diff_u(a, b);
	free(d);
	free(a);
	free(b);
}

Test(diff, change)
{
	char *a = numbers(10, 0, NULL, NULL), *b = numbers(10, 9, "nine", NULL);
	int res;
	char *d = diff_str(a, b, &res);
	cr_expect_str_eq(d, "--- a.txt\n+++ b.txt\n"
	                    "@@ -6,5 +6,5 @@\n 6\n 7\n 8\n-9\n+nine\n 10\n");
	agrees_with_diff_u(a, b);
	free(d);
	free(a);
	free(b);
}

Test(diff, empty_files)
{
	int res;
	char *d = diff_str("", "x\ny\n", &res);
	cr_expect_str_eq(d, "--- a.txt\n+++ b.txt\n@@ -0,0 +1,2 @@\n+x\n+y\n");
	free(d);
	d = diff_str("x\n", "", &res);
	cr_expect_str_eq(d, "--- a.txt\n+++ b.txt\n@@ -1 +0,0 @@\n-x\n");
	free(d);
	agrees_with_diff_u("", "x\ny\n");
	agrees_with_diff_u("x\n", "");
}

Test(diff, no_newline_at_end_of_file)
{
	int res;
	char *d = diff_str("a\nb", "a\nb\n", &res);
	cr_expect_str_eq(d, "--- a.txt\n+++ b.txt\n"
	                    "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
	free(d);
	d = diff_str("a\nb\n", "a\nc", &res);
	cr_expect_str_eq(d, "--- a.txt\n+++ b.txt\n"
	                    "@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ No newline at end of file\n");
	free(d);
	/* a common last line without newline is context, marked too */
	agrees_with_diff_u("x\na\nb", "y\na\nb");
	agrees_with_diff_u("a\nb", "a\nb\n");
	agrees_with_diff_u("a", "b");
}

static size_t count_hunks(const char *d)
{
	size_t n = 0;
	for (const char *p = strstr(d, "\n@@ "); p; p = strstr(p + 1, "\n@@ "))
		n++;
	return n;
}

/* 1..20 with line x and line y changed. */
static char *two_changes(int x, int y)
{
	cw_buf b = CW_BUF_INIT;
	for (int i = 1; i <= 20; i++)
		cw_buf_printf(&b, i == x || i == y ? "changed %d\n" : "%d\n", i);
	return b.data;
}

Test(diff, hunks_merge_when_their_context_overlaps)
{
	char *a = numbers(20, 0, NULL, NULL);
	/* 6 common lines between the changes: the contexts touch, one hunk */
	char *b = two_changes(3, 10);
	int res;
	char *d = diff_str(a, b, &res);
	cr_expect_eq(count_hunks(d), 1, "%s", d);
	agrees_with_diff_u(a, b);
	free(d);
	free(b);
	/* 7 common lines between: two hunks */
	b = two_changes(3, 11);
	d = diff_str(a, b, &res);
	cr_expect_eq(count_hunks(d), 2, "%s", d);
	agrees_with_diff_u(a, b);
	free(d);
	free(b);
	/* the context of a hunk stops at either end of the file */
	b = two_changes(1, 20);
	agrees_with_diff_u(a, b);
	free(b);
	free(a);
}

Test(diff, context_is_an_option)
{
	char *a = numbers(10, 0, NULL, NULL), *b = numbers(10, 5, "five", NULL);
	cli_diff_opts o = CLI_DIFF_OPTS_INIT;
	o.context = 0;
	int res;
	char *d = diff_of(a, strlen(a), b, strlen(b), &o, &res);
	cr_expect_str_eq(d, "--- a.txt\n+++ b.txt\n@@ -5 +5 @@\n-5\n+five\n");
	free(d);
	free(a);
	free(b);
}

/* A text of n lines drawn from an alphabet of k lines, from a seed. */
static char *random_text(unsigned *seed, int n, int k, size_t *len)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "", 0);
	for (int i = 0; i < n; i++) {
		*seed = *seed * 1103515245u + 12345u;
		cw_buf_printf(&b, "%c\n", 'a' + (int)((*seed >> 16) % (unsigned)k));
	}
	if (n && (*seed >> 8) % 4 == 0)
		b.data[--b.len] = '\0'; /* now and then no newline at the end */
	*len = b.len;
	return b.data;
}

/* The lines of t as single bytes ('a'...), '$' for a last line without newline. */
static size_t as_symbols(const char *t, size_t len, char *out)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (t[i] != '\n')
			out[n++] = i + 1 < len || t[i] == '\n' ? t[i] : (char)(t[i] - 'a' + 'A');
	return n;
}

static size_t lcs(const char *x, size_t n, const char *y, size_t m)
{
	size_t *row = calloc(m + 1, sizeof *row);
	for (size_t i = 1; i <= n; i++) {
		size_t diag = 0;
		for (size_t j = 1; j <= m; j++) {
			size_t up = row[j];
			row[j] = x[i - 1] == y[j - 1]  ? diag + 1
			         : row[j] > row[j - 1] ? row[j]
			                               : row[j - 1];
			diag = up;
		}
	}
	size_t r = row[m];
	free(row);
	return r;
}

Test(diff, minimal_and_correct_on_random_texts)
{
	unsigned seed = 12345;
	for (int t = 0; t < 400; t++) {
		size_t alen, blen;
		int n = (int)(seed % 60), m = (int)((seed >> 8) % 60), k = 2 + (int)(seed % 5);
		char *a = random_text(&seed, n, k, &alen), *b = random_text(&seed, m, k, &blen);
		size_t changed = round_trip(a, alen, b, blen);
		/* a minimal diff changes every line but those of a longest common subsequence */
		char sa[64], sb[64];
		size_t na = as_symbols(a, alen, sa), nb = as_symbols(b, blen, sb);
		cr_expect_eq(changed, na + nb - 2 * lcs(sa, na, sb, nb), "case %d: not minimal", t);
		free(a);
		free(b);
	}
}

/* Lines "line N" for N in [0, n); with step, lines k and k + 1 swapped every step lines. */
static char *long_text(int n, int step, size_t *len)
{
	cw_buf b = CW_BUF_INIT;
	for (int i = 0; i < n; i++) {
		int k = i;
		if (step && i % step == step / 2 && i + 1 < n)
			k = i + 1;
		else if (step && i % step == step / 2 + 1)
			k = i - 1;
		cw_buf_printf(&b, "line %d\n", k);
	}
	*len = b.len;
	return b.data;
}

static long max_rss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

Test(diff, large_similar_texts, .timeout = 120)
{
	/* 200000 lines, 10 pairs swapped: every line is in both, the search runs */
	size_t alen, blen;
	char *a = long_text(200000, 0, &alen);
	char *b = long_text(200000, 20000, &blen);
	cr_expect_eq(round_trip(a, alen, b, blen), 20);
	/* one line inserted at the top and one dropped at the end */
	char *c = malloc(alen + 16);
	memcpy(c, "new first line\n", 15);
	memcpy(c + 15, a, alen - strlen("line 199999\n"));
	cr_expect_eq(round_trip(a, alen, c, 15 + alen - strlen("line 199999\n")), 2);
	free(a);
	free(b);
	free(c);
}

Test(diff, large_and_very_different_texts_stay_bounded, .timeout = 120)
{
	/* 100000 distinct lines against the same lines reversed: no useful diff, and a
	 * minimal one would take ~10^10 steps. Memory stays linear: the first
	 * lines' tables take a few MiB, a table per pair of lines 10^10 bytes. */
	int n = 100000;
	cw_buf a = CW_BUF_INIT, b = CW_BUF_INIT;
	for (int i = 0; i < n; i++) {
		cw_buf_printf(&a, "line %d\n", i);
		cw_buf_printf(&b, "line %d\n", n - 1 - i);
	}
	long before = max_rss_kib();
	int res;
	char *d = diff_of(a.data, a.len, b.data, b.len, NULL, &res);
	long grew = max_rss_kib() - before;
	cr_expect_eq(res, CLI_DIFF_TOO_DIFFERENT);
	cr_expect_str_eq(d, "b.txt: files differ (too different to show)\n");
	cr_expect_lt(grew, 64 * 1024, "the diff took %ld KiB", grew);
	free(d);
	/* texts with no line in common need no search at all: every line changes */
	cw_buf_clear(&b);
	for (int i = 0; i < n; i++)
		cw_buf_printf(&b, "other %d\n", i);
	cr_expect_eq(round_trip(a.data, a.len, b.data, b.len), 2 * (size_t)n);
	cw_buf_free(&a);
	cw_buf_free(&b);
}

Test(diff, the_budget_decides_what_is_too_different)
{
	/* 2000 lines, a pair swapped in every 10: 400 changed lines */
	size_t alen, blen;
	char *a = long_text(2000, 0, &alen), *b = long_text(2000, 10, &blen);
	cli_diff_opts o = CLI_DIFF_OPTS_INIT;
	o.max_cost = 1000;
	int res;
	char *d = diff_of(a, alen, b, blen, &o, &res);
	cr_expect_eq(res, CLI_DIFF_TOO_DIFFERENT);
	cr_expect_str_eq(d, "b.txt: files differ (too different to show)\n");
	free(d);
	cr_expect_eq(round_trip(a, alen, b, blen), 400, "the default budget shows it");
	free(a);
	free(b);
}
