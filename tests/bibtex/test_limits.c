/*
 * Every limit the BibTeX reader enforces says so where it fires: an error
 * or warning located in the input that names the limit, and tells the host
 * which limit it is (cw_diag.limit), so that the CLI can say how to raise it. (The input-bytes limit once ended the reading
 * with exit 3, no message and "errors: 0" in the report.) The limits
 * test_positions.c locates (depth, field-bytes, record-bytes, hops, names)
 * are not repeated here.
 */
#include "read_with.h"

static void expect_message(const cwt_diags *d, const char *want)
{
	cr_expect(strstr(cw_buf_str(&d->text), want), "want %s in:\n%s", want,
	          cw_buf_str(&d->text));
}

Test(bibtex_limits, input_bytes_is_an_error_located_where_reading_stops)
{
	cw_buf b = CW_BUF_INIT;
	for (int i = 0; b.len < 300000; i++)
		cw_buf_printf(&b, "@misc{k%d, title = {Title %d}, year = 2000}\n", i, i);
	cwt_diags d;
	size_t n = read_with(cw_buf_str(&b), "input-bytes=100000", &d);
	expect_message(
	    &d,
	    ": error: input larger than the input-bytes limit (100000 bytes); reading stops here");
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_ERROR), 1, "%s", cw_buf_str(&d.text));
	cwt_expect_limit_error(&d, "input-bytes");
	cr_assert_eq(d.n, 1);
	/* where the first byte not read is: just after the last entry read */
	cr_expect_eq(d.items[0].line, n ? n : 1, "%zu records, %s", n, cw_buf_str(&d.text));
	cr_expect_gt(d.items[0].column, n ? 30 : 0, "%s", cw_buf_str(&d.text));
	cwt_diags_free(&d);
	cw_buf_free(&b);
}

Test(bibtex_limits, record_bytes_below_the_window_is_enforced)
{
	/* a 200-byte entry under a 100-byte limit (the reader peeks 64 KiB at once) */
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "@misc{a, title = {ok}}\n@misc{b, note = {", CW_NUL);
	for (int i = 0; i < 180; i++)
		cw_buf_putc(&b, 'x');
	cw_buf_append(&b, "}}\n@misc{c, title = {ok}}\n", CW_NUL);
	cwt_diags d;
	size_t n = read_with(cw_buf_str(&b), "record-bytes=100", &d);
	expect_message(&d,
	               "input:2:1: error: entry larger than the record-bytes limit (100 bytes)");
	cwt_expect_limit_error(&d, "record-bytes");
	cr_expect_eq(n, 2, "%s", cw_buf_str(&d.text));
	cwt_diags_free(&d);
	cw_buf_free(&b);
}

Test(bibtex_limits, comment_larger_than_record_bytes)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "@comment{", CW_NUL);
	for (int i = 0; i < 300; i++)
		cw_buf_append(&b, "{} ", CW_NUL);
	cw_buf_append(&b, "}\n@misc{c, title = {ok}}\n", CW_NUL);
	cwt_diags d;
	size_t n = read_with(cw_buf_str(&b), "record-bytes=200", &d);
	expect_message(&d,
	               "input:1:1: warning: the body of @comment (opened at 1:9) is larger than "
	               "the record-bytes limit (200 bytes)");
	cr_expect_eq(n, 1, "%s", cw_buf_str(&d.text));
	cwt_diags_free(&d);
	cw_buf_free(&b);
}

Test(bibtex_limits, latex_groups_deeper_than_depth)
{
	/* within the scanner's depth; the file's macro doubles the braces */
	cwt_diags d;
	read_with("@preamble{\"\\newcommand{\\w}[1]{{{#1}}}\"}\n"
	          "@misc{a,\n  title = {\\w{\\w{\\w{\\w{x}}}}}}",
	          "depth=6", &d);
	expect_message(&d, "input:3:11: warning: [a] groups nested deeper than the depth limit (6) "
	                   "are read as plain text");
	cr_assert_eq(d.n, 2, "%s", cw_buf_str(&d.text));
	cr_expect_eq(d.items[0].limit, 0, "the note is about no limit");
	cr_expect_eq(d.items[1].limit, CW_LIMIT_DEPTH, "a warning about a limit names it too");
	cwt_diags_free(&d);
}

Test(bibtex_limits, latex_macros_hops_and_field_bytes)
{
	cwt_diags d;
	read_with(
	    "@preamble{\"\\newcommand{\\xa}{\\xb}\\newcommand{\\xb}{\\xc}\\newcommand{\\xc}{x}\"}\n"
	    "@misc{a,\n  title = {\\xa}}",
	    "hops=2", &d);
	expect_message(&d,
	               "input:3:11: error: [a] \\xc still expands after 2 rounds (the hops limit; "
	               "a macro that calls itself?)");
	cwt_diags_free(&d);
	read_with(
	    "@preamble{\"\\newcommand{\\mybig}{xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxx}\"}\n@misc{a,\n  title = {\\mybig\\mybig}}",
	    "field-bytes=100", &d);
	expect_message(&d,
	               "input:3:11: error: [a] expanding \\mybig (at \\mybig) gives more than the "
	               "field-bytes limit (100 bytes)");
	cwt_diags_free(&d);
}

/*
 * Fields of one entry: the fields limit, and many fields cost linear time
 * (each is looked up among the others through an index past 16).
 */
Test(bibtex_limits, fields)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "@misc{a", CW_NUL);
	for (int i = 0; i < 4100; i++)
		cw_buf_printf(&b, ",\n f%d = {x}", i);
	cw_buf_append(&b, "}\n", CW_NUL);
	cwt_diags d;
	cr_expect_eq(read_with(cw_buf_str(&b), NULL, &d), 0);
	expect_message(&d, "input:4098:2: error: [a] more fields in one entry than the fields "
	                   "limit (4096)");
	cwt_expect_limit_error(&d, "fields");
	cwt_diags_free(&d);
	cr_expect_eq(read_with(cw_buf_str(&b), "fields=5000", &d), 1);
	cr_expect_eq(d.n, 0);
	cwt_diags_free(&d);
	cw_buf_free(&b);
}

/* A field given twice among many is still found, by name and by mapping row. */
Test(bibtex_limits, repeated_field_among_many)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "@article{a, title = {First}", CW_NUL);
	for (int i = 0; i < 40; i++)
		cw_buf_printf(&b, ",\n f%d = {x}", i);
	cw_buf_append(&b, ",\n f7 = {again},\n TITLE = {Second},\n journaltitle = {J},"
	                  "\n journal = {K}}\n",
	              CW_NUL);
	cwt_diags d;
	cr_expect_eq(read_with(cw_buf_str(&b), NULL, &d), 1);
	expect_message(&d, "input:42:7: warning: [a] field 'f7' given twice; the second value is "
	                   "ignored");
	expect_message(&d, "input:43:10: warning: [a] field 'title' given twice; the second value "
	                   "is ignored");
	cwt_diags_free(&d);
	cw_buf_free(&b);
}

Test(bibtex_limits, string_expansion_budget)
{
	/* each macro the last one and one byte more: the copies grew with the square */
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "@string{s0 = {x}}\n", CW_NUL);
	for (int i = 0; i < 40000; i++)
		cw_buf_printf(&b, "@string{s%d = s%d # {yyyyyyyyyyyyyyyyyyyyyy}}\n", i + 1, i);
	cwt_diags d;
	read_with(cw_buf_str(&b), NULL, &d);
	expect_message(&d,
	               ": error: @string macros have expanded to more than their budget (64 MiB "
	               "and 16 bytes per byte read, a fixed limit) at 's");
	cwt_diags_free(&d);
	cw_buf_free(&b);
}

/*
 * Possible crossref parents (books before any child) are kept while they
 * take less than 16 MiB: a child of an early book inherits, a child of a
 * book past the budget is reported, and the budget says so once.
 */
Test(bibtex_limits, possible_parents_are_kept_up_to_a_budget)
{
	enum { BOOKS = 60000 };
	cw_buf b = CW_BUF_INIT;
	for (int i = 0; i < BOOKS; i++)
		cw_buf_printf(&b,
		              "@book{b%d, title = {The collected book number %d, with a title "
		              "as long as titles of real books tend to be}, publisher = {A "
		              "Publisher}, address = {A Place}, year = 2000}\n",
		              i, i);
	cw_buf_printf(&b,
	              "@inbook{c1, crossref = {b0}, title = {First}, pages = {1--2}}\n"
	              "@inbook{c2, crossref = {b%d}, title = {Last}, pages = {3--4}}\n",
	              BOOKS - 1);
	cwt_result r;
	cwt_convert(&r, "bibtex", "csljson", b.data, b.len, NULL, NULL, NULL);
	cr_assert_eq(r.stats.records_read, BOOKS + 2);
	const char *budget = "possible crossref parents (a fixed limit); from here on a parent "
	                     "is kept only when a child before it names it";
	const char *hit = strstr(cw_buf_str(&r.diags.text), budget);
	cr_expect_not_null(hit, "%s", cw_buf_str(&r.diags.text));
	cr_expect(hit && !strstr(hit + 1, budget), "the budget is reported once");
	const char *c1 = strstr(r.output, "\"title\": \"First\"");
	cr_assert_not_null(c1);
	const char *c2 = strstr(r.output, "\"title\": \"Last\"");
	cr_assert_not_null(c2);
	/* c1 holds b0's title as its container, c2 nothing of its parent */
	const char *b0 = strstr(r.output, "\"container-title\": \"The collected book number 0,");
	cr_expect(b0 && b0 > strstr(r.output, "\"id\": \"c1\"") && b0 < c2);
	cr_expect_null(strstr(c2, "container-title"));
	char want[64];
	snprintf(want, sizeof want, "[c2] crossref target 'b%d' not found", BOOKS - 1);
	cr_expect_not_null(strstr(cw_buf_str(&r.diags.text), want), "%s", want);
	cwt_result_free(&r);
	cw_buf_free(&b);
}

/* The @preamble's macro definitions a file keeps: the macros limit counts them. */
Test(bibtex_limits, macros)
{
	const char *in = "@preamble{\"\\def\\ma{A}\\def\\mb{B}\\def\\mc{C}\\def\\md{D}\"}\n"
	                 "@misc{a, title = {\\ma\\md}}\n";
	cwt_diags d;
	cr_expect_eq(read_with(in, "macros=3", &d), 1);
	expect_message(&d, "input:1:1: warning: more macro definitions than the macros limit (3); "
	                   "the rest are not used");
	expect_message(&d, "its 3 macro definitions");
	cr_assert_geq(d.n, 1);
	cr_expect_eq(d.items[0].limit, CW_LIMIT_MACROS, "%s", cw_buf_str(&d.text));
	cwt_diags_free(&d);
	cr_expect_eq(read_with(in, "macros=4", &d), 1);
	expect_message(&d, "its 4 macro definitions");
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_WARNING), 0, "%s", cw_buf_str(&d.text));
	cwt_diags_free(&d);

	/* the default, 8192, and raised past it */
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "@preamble{\"", CW_NUL);
	for (int i = 0; i < 8193; i++)
		cw_buf_printf(&b, "\\def\\zz%c%c%c{x}", 'a' + i / 676, 'a' + i / 26 % 26,
		              'a' + i % 26);
	cw_buf_append(&b, "\"}\n@misc{a, title = {\\zzaaa}}\n", CW_NUL);
	read_with(cw_buf_str(&b), NULL, &d);
	expect_message(&d,
	               "input:1:1: warning: more macro definitions than the macros limit (8192)");
	expect_message(&d, "its 8192 macro definitions");
	cwt_diags_free(&d);
	read_with(cw_buf_str(&b), "macros=9000", &d);
	expect_message(&d, "its 8193 macro definitions");
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_WARNING), 0, "%s", cw_buf_str(&d.text));
	cwt_diags_free(&d);
	cw_buf_free(&b);
}

/*
 * The text of the definitions (names, bodies, defaults), held for the whole
 * file, is what record-bytes bounds: what a reader must hold whole.
 */
Test(bibtex_limits, macro_text_is_bounded_by_record_bytes)
{
	cw_buf b = CW_BUF_INIT;
	for (int k = 0; k < 2; k++) {
		cw_buf_printf(&b, "@preamble{\"\\def\\m%c{", 'a' + k);
		for (int i = 0; i < 600; i++)
			cw_buf_putc(&b, 'x');
		cw_buf_append(&b, "}\"}\n", CW_NUL);
	}
	cw_buf_append(&b, "@misc{a, title = {\\ma}}\n", CW_NUL);
	cwt_diags d;
	cr_expect_eq(read_with(cw_buf_str(&b), "record-bytes=1000", &d), 1);
	expect_message(&d, "input:2:1: warning: macro definitions larger in all than the "
	                   "record-bytes limit (1000 bytes); the rest are not used");
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_WARNING), 1, "%s", cw_buf_str(&d.text));
	cwt_diags_free(&d);
	cr_expect_eq(read_with(cw_buf_str(&b), "record-bytes=2000", &d), 1);
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_WARNING), 0, "%s", cw_buf_str(&d.text));
	cwt_diags_free(&d);
	cw_buf_free(&b);
}

/* Definitions inside conditionals nested past 16 are not read, and a warning says so. */
Test(bibtex_limits, definitions_nested_too_deep_are_said)
{
	for (int levels = 16; levels <= 17; levels++) {
		cw_buf b = CW_BUF_INIT;
		cw_buf_append(&b, "@preamble{\"", CW_NUL);
		for (int i = 0; i < levels; i++)
			cw_buf_append(&b, "\\@ifundefined{zz}{", CW_NUL);
		cw_buf_append(&b, "\\def\\ok{K}", CW_NUL);
		for (int i = 0; i < levels; i++)
			cw_buf_append(&b, "}{}", CW_NUL);
		cw_buf_append(&b, "\"}\n@misc{a, title = {\\ok}}\n", CW_NUL);
		cwt_diags d;
		cr_expect_eq(read_with(cw_buf_str(&b), NULL, &d), 1);
		if (levels == 16) {
			expect_message(&d, "its 1 macro definition decodes");
		} else {
			expect_message(&d,
			               "input:1:1: warning: macro definitions inside more than 16 "
			               "nested conditionals (a fixed limit) are not read");
			cr_expect(!strstr(cw_buf_str(&d.text), "macro definition decodes"), "%s",
			          cw_buf_str(&d.text));
		}
		cwt_diags_free(&d);
		cw_buf_free(&b);
	}
}
