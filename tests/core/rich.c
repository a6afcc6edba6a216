/*
 * Rich text: marker bytes, building, walking, plain text and normalising.
 */
#include <string.h>

#include "cw_test.h"

#include "cwt_cases.h"

Test(rich, marker_bytes)
{
	static const char opens[CW_STYLE_COUNT_] = {
	    CW_RICH_MARKER_ITALIC,    CW_RICH_MARKER_BOLD,   CW_RICH_MARKER_SUP, CW_RICH_MARKER_SUB,
	    CW_RICH_MARKER_SMALLCAPS, CW_RICH_MARKER_NOCASE, CW_RICH_MARKER_MONO};
	unsigned seen[32] = {0};
	for (int st = 0; st < CW_STYLE_COUNT_; st++) {
		char o = cw_rich_open_byte((enum cw_style)st),
		     c = cw_rich_close_byte((enum cw_style)st);
		cr_expect_eq(o, opens[st]);
		cr_expect_eq(c, o + 1);
		/* never tab, newline or carriage return, and never shared */
		cr_expect(o != '\t' && o != '\n' && o != '\r' && c != '\t' && c != '\n' &&
		          c != '\r');
		cr_expect_eq(seen[(unsigned char)o]++, 0);
		cr_expect_eq(seen[(unsigned char)c]++, 0);
		enum cw_style got = CW_STYLE_COUNT_;
		int open = -1;
		cr_expect(cw_rich_marker((unsigned char)o, &got, &open));
		cr_expect_eq(got, (enum cw_style)st);
		cr_expect_eq(open, 1);
		cr_expect(cw_rich_marker((unsigned char)c, &got, &open));
		cr_expect_eq(got, (enum cw_style)st);
		cr_expect_eq(open, 0);
	}
	cr_expect_not(cw_rich_marker('\t', NULL, NULL));
	cr_expect_not(cw_rich_marker('\n', NULL, NULL));
	cr_expect_not(cw_rich_marker('\r', NULL, NULL));
	cr_expect_not(cw_rich_marker('a', NULL, NULL));
	cr_expect_not(cw_rich_marker(0xC3, NULL, NULL));
	cr_expect_not(cw_rich_marker(0, NULL, NULL));
	cr_expect_eq(cw_rich_open_byte(CW_STYLE_COUNT_), '\0');
	cr_expect_eq(cw_rich_close_byte((enum cw_style)(-1)), '\0');
}

Test(rich, build_and_walk)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "The ", CW_NUL);
	cr_assert_eq(cw_rich_open(&b, CW_STYLE_ITALIC), CW_OK);
	cw_buf_append(&b, "E. coli", CW_NUL);
	cr_assert_eq(cw_rich_open(&b, CW_STYLE_SUP), CW_OK);
	cw_buf_append(&b, "2", CW_NUL);
	cr_assert_eq(cw_rich_close(&b, CW_STYLE_SUP), CW_OK);
	cr_assert_eq(cw_rich_close(&b, CW_STYLE_ITALIC), CW_OK);
	cw_buf_append(&b, " genome\tand\nmore", CW_NUL);
	cr_expect_eq(cw_rich_open(&b, CW_STYLE_COUNT_), CW_EINVAL);
	cr_expect_eq(cw_rich_close(&b, (enum cw_style)99), CW_EINVAL);
	cr_expect(cw_rich_has_markup(b.data));

	struct {
		enum cw_rich_event ev;
		const char *text;
		enum cw_style style;
	} want[] = {
	    {CW_RICH_TEXT, "The ", 0},
	    {CW_RICH_OPEN, NULL, CW_STYLE_ITALIC},
	    {CW_RICH_TEXT, "E. coli", 0},
	    {CW_RICH_OPEN, NULL, CW_STYLE_SUP},
	    {CW_RICH_TEXT, "2", 0},
	    {CW_RICH_CLOSE, NULL, CW_STYLE_SUP},
	    {CW_RICH_CLOSE, NULL, CW_STYLE_ITALIC},
	    {CW_RICH_TEXT, " genome\tand\nmore", 0},
	    {CW_RICH_END, NULL, 0},
	};
	cw_rich_iter it = CW_RICH_ITER_INIT(b.data);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		enum cw_rich_event ev = cw_rich_next(&it);
		cr_assert_eq(ev, want[i].ev, "event %zu: %d, want %d", i, ev, want[i].ev);
		if (ev == CW_RICH_TEXT) {
			cr_expect_eq(it.len, strlen(want[i].text));
			cr_expect_eq(strncmp(it.text, want[i].text, it.len), 0, "run %zu: %.*s", i,
			             (int)it.len, it.text);
		} else if (ev != CW_RICH_END) {
			cr_expect_eq(it.style, want[i].style, "event %zu style", i);
		}
	}
	/* the end is sticky */
	cr_expect_eq(cw_rich_next(&it), CW_RICH_END);

	cw_buf plain = CW_BUF_INIT;
	cr_assert_eq(cw_rich_to_plain(&plain, b.data), CW_OK);
	cr_expect_str_eq(cw_buf_str(&plain), "The E. coli2 genome\tand\nmore");
	cr_expect_not(cw_rich_has_markup(plain.data));
	cw_buf_free(&plain);
	cw_buf_free(&b);
}

Test(rich, walk_empty_and_null)
{
	cw_rich_iter it = CW_RICH_ITER_INIT("");
	cr_expect_eq(cw_rich_next(&it), CW_RICH_END);
	cw_rich_iter none = CW_RICH_ITER_INIT(NULL);
	cr_expect_eq(cw_rich_next(&none), CW_RICH_END);
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw_rich_to_plain(&out, NULL), CW_OK);
	cr_expect_eq(cw_rich_to_plain(&out, "\x01\x02\x03\x04"), CW_OK);
	cr_expect_str_eq(cw_buf_str(&out), "");
	cr_expect_not(cw_rich_has_markup(NULL));
	cr_expect_not(cw_rich_has_markup("plain \xc3\xa9"));
	cw_buf_free(&out);
}

struct norm_case {
	const char *what;
	const char *in;
	const char *want;
	int status;
};

/* clang-format off */
static struct norm_case norm_cases[] = {
	{"plain", "plain text", "plain text", CW_OK},
	{"balanced", "a \x01" "b\x02 c", "a \x01" "b\x02 c", CW_OK},
	{"nested", "\x01" "a \x03" "b\x04 c\x02", "\x01" "a \x03" "b\x04 c\x02", CW_OK},
	{"deep nesting", "\x01\x03\x05" "x\x06\x04\x02", "\x01\x03\x05" "x\x06\x04\x02", CW_OK},
	{"unclosed", "a \x01" "b", "a \x01" "b\x02", CW_REPLACED},
	{"two unclosed", "\x01" "a\x03" "b", "\x01" "a\x03" "b\x04\x02", CW_REPLACED},
	{"stray closer", "a\x02" "b", "ab", CW_REPLACED},
	{"closer of another style", "\x01" "a\x04" "b\x02", "\x01" "ab\x02", CW_REPLACED},
	{"crossed", "\x01" "a\x03" "b\x02" "c\x04", "\x01" "a\x03" "b\x04\x02\x03" "c\x04", CW_REPLACED},
	{"empty span", "a\x01\x02" "b", "ab", CW_OK},
	{"nested empty spans", "a\x01\x03\x04\x02" "b", "ab", CW_OK},
	{"empty after repair", "a\x01", "a", CW_REPLACED},
	{"stray control bytes", "a\x1b[0m\x7f" "b\x00", "a[0m\x7f" "b", CW_REPLACED},
	{"invalid utf-8", "\xff" "x", "\xef\xbf\xbd" "x", CW_REPLACED},
	{"edge space inside span", "\x01 spaced \x02", "\x01spaced\x02", CW_OK},
	{"only space in spans", " \x01 \x03 \x04 \x02 ", "", CW_OK},
	{"same style nested", "\x01" "a\x01" "b\x02" "c\x02", "\x01" "a\x01" "b\x02" "c\x02", CW_OK},
	{"all styles", "\x01" "i\x02\x03" "b\x04\x05" "p\x06\x07" "s\x08\x0b" "k\x0c\x0e" "n\x0f\x10" "m\x11",
	 "\x01" "i\x02\x03" "b\x04\x05" "p\x06\x07" "s\x08\x0b" "k\x0c\x0e" "n\x0f\x10" "m\x11", CW_OK},
};
/* clang-format on */

CWT_CASES(rich, normalize, norm_cases)

ParameterizedTest(size_t *i, rich, normalize)
{
	const struct norm_case *c = &norm_cases[*i];
	cw_buf out = CW_BUF_INIT;
	int rc = cw_rich_normalize(&out, c->in, strlen(c->in));
	cr_expect_eq(rc, c->status, "%s: status %d, want %d", c->what, rc, c->status);
	cr_expect_str_eq(cw_buf_str(&out), c->want, "%s", c->what);
	/* normalising is idempotent and the result is clean */
	cw_buf again = CW_BUF_INIT;
	cr_expect_eq(cw_rich_normalize(&again, out.data ? out.data : "", out.len), CW_OK, "%s",
	             c->what);
	cr_expect_str_eq(cw_buf_str(&again), cw_buf_str(&out), "%s: not idempotent", c->what);
	cw_buf_free(&again);
	cw_buf_free(&out);
}

Test(rich, normalize_appends_and_limits_depth)
{
	cw_buf out = CW_BUF_INIT;
	cw_buf_append(&out, "keep|", CW_NUL);
	cr_expect_eq(cw_rich_normalize(&out, "\x01x\x02", 3), CW_OK);
	cr_expect_str_eq(cw_buf_str(&out), "keep|\x01x\x02");
	cw_buf_free(&out);

	/* nesting far deeper than any source has: bounded, balanced, no crash */
	cw_buf deep = CW_BUF_INIT;
	for (int i = 0; i < 10000; i++)
		cw_rich_open(&deep, (enum cw_style)(i % CW_STYLE_COUNT_));
	cw_buf_append(&deep, "x", 1);
	cr_expect_eq(cw_rich_normalize(&out, deep.data, deep.len), CW_REPLACED);
	int depth = 0, max = 0;
	for (size_t i = 0; i < out.len; i++) {
		int open;
		if (cw_rich_marker((unsigned char)out.data[i], NULL, &open)) {
			depth += open ? 1 : -1;
			cr_assert_geq(depth, 0);
			if (depth > max)
				max = depth;
		}
	}
	cr_expect_eq(depth, 0);
	cr_expect_leq(max, 256);
	cw_buf_free(&deep);
	cw_buf_free(&out);
}
