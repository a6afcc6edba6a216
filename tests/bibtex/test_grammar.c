/*
 * The BibTeX grammar's corners: delimiters, @string (before and after use),
 * concatenation, nested braces, comments, @preamble, broken entries with
 * located errors and resynchronisation, crossref/xdata inheritance.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

typedef struct parsed {
	cw_record **recs;
	size_t n;
	cwt_diags d;
} parsed;

static void parse(parsed *p, const char *in)
{
	memset(p, 0, sizeof *p);
	p->n = cwt_read_records("bibtex", in, strlen(in), &p->recs, &p->d, NULL);
}

static void done(parsed *p)
{
	cwt_free_records(p->recs, p->n);
	cwt_diags_free(&p->d);
}

static const char *text(const parsed *p, size_t i, enum cw_field f)
{
	cr_assert_lt(i, p->n, "record %zu missing\n%s", i, cw_buf_str(&p->d.text));
	const char *t = cw_record_text(p->recs[i], f);
	return t ? t : "(null)";
}

static const char *pt(const parsed *p, size_t i, const char *name)
{
	const cw_passthrough *x = cw_record_find_passthrough(p->recs[i], "bibtex", name);
	return x ? x->value : "(null)";
}

Test(bibtex_grammar, braces_and_parentheses)
{
	parsed p;
	parse(&p, "@article{a, title = {One}}\n@article(b, title = {Two})\n"
	          "@ARTICLE ( c , TITLE = \"Three\" , )");
	cr_assert_eq(p.n, 3, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(text(&p, 0, CW_FIELD_TITLE), "One");
	cr_expect_str_eq(text(&p, 1, CW_FIELD_TITLE), "Two");
	cr_expect_str_eq(text(&p, 2, CW_FIELD_TITLE), "Three");
	cr_expect_str_eq(text(&p, 2, CW_FIELD_ID), "c");
	cr_expect_eq(cw_record_type(p.recs[0]), CW_TYPE_ARTICLE_JOURNAL);
	cr_expect_eq(cwt_diags_count(&p.d, CW_SEV_WARNING), 0, "%s", cw_buf_str(&p.d.text));
	done(&p);
}

Test(bibtex_grammar, parenthesis_entry_with_parenthesis_in_quotes)
{
	parsed p;
	parse(&p, "@misc(a, title = \"x) y\", note = {(z)})");
	cr_assert_eq(p.n, 1, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(text(&p, 0, CW_FIELD_TITLE), "x) y");
	cr_expect_str_eq(text(&p, 0, CW_FIELD_NOTE), "(z)");
	done(&p);
}

Test(bibtex_grammar, string_macros_and_concatenation)
{
	parsed p;
	parse(&p, "@string{jn = \"Journal of \"}\n@STRING(Pub = {Springer})\n"
	          "@article{a, journal = jn # {Things}, publisher = pub, "
	          "note = \"x\" # 12 # {y} # PUB}");
	cr_assert_eq(p.n, 1, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(text(&p, 0, CW_FIELD_CONTAINER_TITLE), "Journal of Things");
	cr_expect_str_eq(text(&p, 0, CW_FIELD_PUBLISHER), "Springer");
	cr_expect_str_eq(text(&p, 0, CW_FIELD_NOTE), "x12ySpringer");
	done(&p);
}

Test(bibtex_grammar, string_used_before_definition_is_reported)
{
	parsed p;
	parse(&p, "@misc{a, publisher = later}\n@string{later = {Defined}}\n"
	          "@misc{b, publisher = later}");
	cr_assert_eq(p.n, 2, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(text(&p, 0, CW_FIELD_PUBLISHER), "(null)");
	cr_expect_str_eq(text(&p, 1, CW_FIELD_PUBLISHER), "Defined");
	cr_expect(strstr(cw_buf_str(&p.d.text), ":1:22: warning: [a] undefined macro 'later'"),
	          "%s", cw_buf_str(&p.d.text));
	done(&p);
}

Test(bibtex_grammar, string_referring_to_string)
{
	parsed p;
	parse(&p, "@string{a = {Alpha}}\n@string{b = a # { and } # a}\n@misc{k, note = b}");
	cr_assert_eq(p.n, 1);
	cr_expect_str_eq(text(&p, 0, CW_FIELD_NOTE), "Alpha and Alpha");
	done(&p);
}

Test(bibtex_grammar, month_macros)
{
	parsed p;
	parse(&p,
	      "@misc{a, year = 2020, month = feb}\n@misc{b, year = {2020}, month = {October}}\n"
	      "@misc{c, year = 1999, month = 7, day = 14}\n@misc{d, year = 2001, month = {Sept.}}");
	cr_assert_eq(p.n, 4, "%s", cw_buf_str(&p.d.text));
	const cw_date *d = cw_record_date(p.recs[0], CW_FIELD_ISSUED);
	cr_assert(d);
	cr_expect_eq(d->year, 2020);
	cr_expect_eq(d->month, 2);
	cr_expect_eq(d->parts, 2);
	cr_expect_eq(cw_record_date(p.recs[1], CW_FIELD_ISSUED)->month, 10);
	d = cw_record_date(p.recs[2], CW_FIELD_ISSUED);
	cr_expect_eq(d->parts, 3);
	cr_expect_eq(d->day, 14);
	cr_expect_eq(cw_record_date(p.recs[3], CW_FIELD_ISSUED)->month, 9);
	done(&p);
}

Test(bibtex_grammar, nested_braces_and_numbers)
{
	parsed p;
	parse(&p, "@misc{a, title = {A {B {C {D}}} E}, volume = 12, pages = 3}");
	cr_assert_eq(p.n, 1);
	cr_expect_str_eq(text(&p, 0, CW_FIELD_TITLE), "A \x0e"
	                                              "B C D\x0f E");
	cr_expect_str_eq(text(&p, 0, CW_FIELD_VOLUME), "12");
	cr_expect_str_eq(text(&p, 0, CW_FIELD_PAGE), "3");
	done(&p);
}

Test(bibtex_grammar, comments_and_junk_between_entries)
{
	parsed p;
	parse(&p,
	      "This is junk text.\n% a comment @misc{no}\n@comment{ @misc{inside, title={x}} }\n"
	      "@Comment{jabref-meta: groupstree:}\n"
	      "@preamble{ \"\\newcommand{\\noopsort}[1]{}\" }\n"
	      "@misc{a, % a comment inside\n title = {T}}\nmore junk");
	cr_expect_eq(p.n, 1, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(text(&p, 0, CW_FIELD_ID), "a");
	cr_expect_eq(cwt_diags_count(&p.d, CW_SEV_ERROR), 0, "%s", cw_buf_str(&p.d.text));
	done(&p);
}

Test(bibtex_grammar, case_insensitive_types_fields_macros)
{
	parsed p;
	parse(&p, "@STRING{MyMac = {M}}\n@InProceedings{a, TiTlE = {x}, BookTitle = mymac}");
	cr_assert_eq(p.n, 1);
	cr_expect_eq(cw_record_type(p.recs[0]), CW_TYPE_PAPER_CONFERENCE);
	cr_expect_str_eq(text(&p, 0, CW_FIELD_TITLE), "x");
	cr_expect_str_eq(text(&p, 0, CW_FIELD_CONTAINER_TITLE), "M");
	done(&p);
}

Test(bibtex_grammar, broken_entry_is_located_and_reading_resumes)
{
	parsed p;
	parse(&p, "@misc{a, title = {ok}}\n"
	          "@misc{b, title = {unterminated\n"
	          "@misc{c, title = {fine}}\n"
	          "@misc{d title = {x}}\n"
	          "@misc{e, title = {last}}\n");
	cr_expect_eq(p.n, 3, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(text(&p, 0, CW_FIELD_ID), "a");
	cr_expect_str_eq(text(&p, 1, CW_FIELD_ID), "c");
	cr_expect_str_eq(text(&p, 2, CW_FIELD_ID), "e");
	cr_expect(strstr(cw_buf_str(&p.d.text), ":2:18: error: [b] unterminated braced value"),
	          "%s", cw_buf_str(&p.d.text));
	cr_expect(strstr(cw_buf_str(&p.d.text), ":4:"), "%s", cw_buf_str(&p.d.text));
	cr_expect_eq(cwt_diags_count(&p.d, CW_SEV_ERROR), 2, "%s", cw_buf_str(&p.d.text));
	done(&p);
}

Test(bibtex_grammar, unterminated_at_end_of_input)
{
	parsed p;
	parse(&p, "@misc{a, title = {ok}}\n@misc{b, title = \"never closed");
	cr_expect_eq(p.n, 1);
	cr_expect(strstr(cw_buf_str(&p.d.text), ":2:18: error: [b] unterminated quoted value"),
	          "%s", cw_buf_str(&p.d.text));
	done(&p);
}

Test(bibtex_grammar, strict_stops_at_the_first_broken_entry)
{
	const char *in = "@misc{a, title = {x}}\n@misc{b title}\n@misc{c, title = {y}}\n";
	cw_context *ctx = NULL;
	cwt_diags d = {0};
	ctx = cwt_context(&d);
	cw_context_set_strict(ctx, 1);
	cw_reader *r = NULL;
	cw_istream *is = NULL;
	cr_assert_eq(cw_istream_open_memory(&is, in, strlen(in), "x.bib"), CW_OK);
	const cw_format *f = cw_registry_find_format(cwt_registry(), "bibtex");
	cr_assert(f);
	cr_assert_eq(cw_reader_open(&r, ctx, f, is, NULL, 0), CW_OK);
	cw_record *rec = NULL;
	cr_expect_eq(cw_reader_next(r, &rec), CW_OK);
	cw_record_free(rec);
	cr_expect_eq(cw_reader_next(r, &rec), CW_ERECORD);
	cw_reader_close(r);
	cw_istream_close(is);
	cw_context_free(ctx);
	cwt_diags_free(&d);
}

Test(bibtex_grammar, empty_and_odd_inputs)
{
	const char *inputs[] = {"",
	                        "@",
	                        "@@@",
	                        "@misc",
	                        "@misc{",
	                        "@misc{a,",
	                        "@misc{a, title",
	                        "@misc{a, title =",
	                        "@misc{a, title = {",
	                        "}}}}",
	                        "@string{x}",
	                        "@misc{a, title = x # }",
	                        "@comment",
	                        "@preamble{",
	                        "@misc(a, b = {)})"};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		parsed p;
		parse(&p, inputs[i]);
		cr_expect_leq(p.n, 1, "%s", inputs[i]);
		done(&p);
	}
}

Test(bibtex_grammar, crossref_biblatex_rules_any_order)
{
	parsed p;
	parse(
	    &p,
	    "@inbook{ch, title = {Chapter}, crossref = {bk}, pages = {1--2}}\n"
	    "@book{bk, title = {The Book}, author = {Ann Author}, publisher = {Pub}, year = 2000}\n"
	    "@inproceedings{pa, title = {Paper}, crossref = {pr}}\n"
	    "@proceedings{pr, title = {Proc}, editor = {Ed Itor}, year = 2001, "
	    "booktitle = {Proc BT}}\n");
	cr_assert_eq(p.n, 4, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(text(&p, 0, CW_FIELD_ID), "ch");
	cr_expect_str_eq(text(&p, 0, CW_FIELD_CONTAINER_TITLE), "The Book");
	cr_expect_str_eq(text(&p, 0, CW_FIELD_PUBLISHER), "Pub");
	/* biblatex: the book's author is the chapter's author and bookauthor */
	cr_expect_eq(cw_record_name_count(p.recs[0], CW_FIELD_CONTAINER_AUTHOR), 1);
	cr_expect_eq(cw_record_name_count(p.recs[0], CW_FIELD_AUTHOR), 1);
	cr_expect_eq(cw_record_date(p.recs[0], CW_FIELD_ISSUED)->year, 2000);
	cr_expect_str_eq(text(&p, 1, CW_FIELD_ID), "bk");
	cr_expect_str_eq(text(&p, 2, CW_FIELD_CONTAINER_TITLE), "Proc");
	cr_expect_eq(cw_record_name_count(p.recs[2], CW_FIELD_EDITOR), 1);
	cr_expect_str_eq(pt(&p, 0, "crossref"), "bk");
	done(&p);
}

Test(bibtex_grammar, crossref_parent_first_and_mvbook)
{
	parsed p;
	parse(&p, "@mvbook{mv, title = {Collected Works}, volumes = 4}\n"
	          "@book{v1, title = {Volume One}, crossref = {mv}, volume = 1}\n"
	          "@inbook{c1, title = {Essay}, crossref = {v1}}\n");
	cr_assert_eq(p.n, 3, "%s", cw_buf_str(&p.d.text));
	/* the book takes maintitle from the mvbook (a volume of it: the work's title is the
	 * title, its own the volume-title), the chapter booktitle from the book and
	 * maintitle through it: in the work, the volume its volume-title */
	cr_expect_str_eq(text(&p, 1, CW_FIELD_TITLE), "Collected Works");
	cr_expect_str_eq(text(&p, 1, CW_FIELD_VOLUME_TITLE), "Volume One");
	cr_expect_eq(cw_record_has(p.recs[1], CW_FIELD_CONTAINER_TITLE), 0);
	cr_expect_str_eq(text(&p, 2, CW_FIELD_CONTAINER_TITLE), "Collected Works");
	cr_expect_str_eq(text(&p, 2, CW_FIELD_VOLUME_TITLE), "Volume One");
	cr_expect_str_eq(text(&p, 2, CW_FIELD_VOLUME), "1");
	done(&p);
}

Test(bibtex_grammar, crossref_gives_the_parents_whole_date)
{
	parsed p;
	parse(&p, "@inproceedings{a, title = {A}, crossref = {p}}\n"
	          "@inproceedings{b, title = {B}, crossref = {q}}\n"
	          "@inproceedings{c, title = {C}, year = 2001, crossref = {p}}\n"
	          "@proceedings{p, title = {P}, year = 2006, month = oct}\n"
	          "@proceedings{q, title = {Q}, month = sep, year = 1977}\n");
	cr_assert_eq(p.n, 5, "%s", cw_buf_str(&p.d.text));
	const cw_date *d = cw_record_date(p.recs[0], CW_FIELD_ISSUED);
	cr_expect(d && d->year == 2006 && d->month == 10);
	d = cw_record_date(p.recs[1], CW_FIELD_ISSUED);
	cr_expect(d && d->year == 1977 && d->month == 9);
	/* a child's own year is not mixed with its parent's month */
	d = cw_record_date(p.recs[2], CW_FIELD_ISSUED);
	cr_expect(d && d->year == 2001 && d->parts == 1);
	done(&p);
	/* a child with only a month takes its parent's year (biber's crossrefs.bib cr1) */
	parse(&p, "@inbook{c, title = {C}, month = jan, crossref = {m}}\n"
	          "@book{m, title = {M}, year = 1974}\n");
	cr_assert_eq(p.n, 2, "%s", cw_buf_str(&p.d.text));
	d = cw_record_date(p.recs[0], CW_FIELD_ISSUED);
	cr_expect(d && d->year == 1974 && d->month == 1 && d->parts == 2);
	done(&p);
}

Test(bibtex_grammar, crossref_cycles_are_reported)
{
	parsed p;
	parse(&p, "@book{a, title = {A}, crossref = {b}}\n@book{b, title = {B}, crossref = {a}}\n"
	          "@book{self, title = {S}, crossref = {self}}\n@misc{m, crossref = {missing}}");
	cr_assert_eq(p.n, 4, "%s", cw_buf_str(&p.d.text));
	cr_expect(strstr(cw_buf_str(&p.d.text), "cycle"), "%s", cw_buf_str(&p.d.text));
	cr_expect(strstr(cw_buf_str(&p.d.text), "'missing' not found"), "%s",
	          cw_buf_str(&p.d.text));
	done(&p);
}

Test(bibtex_grammar, xdata_inheritance)
{
	parsed p;
	parse(&p, "@xdata{pub, publisher = {Macmillan}, location = {London}}\n"
	          "@book{a, title = {T}, xdata = {pub}}\n");
	cr_assert_eq(p.n, 1, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(text(&p, 0, CW_FIELD_PUBLISHER), "Macmillan");
	cr_expect_str_eq(text(&p, 0, CW_FIELD_PUBLISHER_PLACE), "London");
	done(&p);
}

Test(bibtex_grammar, biblatex_dates_and_fields)
{
	parsed p;
	parse(&p, "@online{a, title = {Page}, date = {2019-03/2020-04-05}, urldate = {2021-01-02}, "
	          "url = {https://x.org/a\\_b}, eprint = {2101.00001}, eprinttype = {arxiv}, "
	          "langid = {english}, journaltitle = {J}, location = {Paris}}\n"
	          "@report{b, date = {2018/..}, number = {TR-1}, doi = {https://doi.org/10.1/ABC}, "
	          "isbn = {ISBN 978-3-16-148410-0}, issn = {1234-567x}}\n");
	cr_assert_eq(p.n, 2, "%s", cw_buf_str(&p.d.text));
	cr_expect_eq(cw_record_type(p.recs[0]), CW_TYPE_WEBPAGE);
	const cw_date *d = cw_record_date(p.recs[0], CW_FIELD_ISSUED);
	cr_assert(d);
	cr_expect_eq(d->end_parts, 3);
	cr_expect_eq(d->end_day, 5);
	cr_expect_eq(cw_record_date(p.recs[0], CW_FIELD_ACCESSED)->day, 2);
	cr_expect_str_eq(text(&p, 0, CW_FIELD_URL), "https://x.org/a_b");
	cr_expect_str_eq(text(&p, 0, CW_FIELD_ARXIV), "2101.00001");
	cr_expect_str_eq(text(&p, 0, CW_FIELD_LANGUAGE), "english");
	cr_expect_str_eq(text(&p, 0, CW_FIELD_PUBLISHER_PLACE), "Paris");
	cr_expect_str_eq(pt(&p, 0, "eprinttype"), "(null)");
	cr_expect(cw_record_date(p.recs[1], CW_FIELD_ISSUED)->flags & CW_DATE_OPEN_END);
	cr_expect_str_eq(text(&p, 1, CW_FIELD_NUMBER), "TR-1");
	cr_expect_str_eq(text(&p, 1, CW_FIELD_DOI), "10.1/ABC");
	cr_expect_str_eq(text(&p, 1, CW_FIELD_ISBN), "978-3-16-148410-0");
	cr_expect_str_eq(text(&p, 1, CW_FIELD_ISSN), "1234-567X");
	done(&p);
}

Test(bibtex_grammar, number_depends_on_type)
{
	parsed p;
	parse(&p, "@article{a, number = 3}\n@techreport{b, number = 3}\n@book{c, number = 3}");
	cr_assert_eq(p.n, 3);
	cr_expect_str_eq(text(&p, 0, CW_FIELD_ISSUE), "3");
	cr_expect_str_eq(text(&p, 1, CW_FIELD_NUMBER), "3");
	cr_expect_str_eq(text(&p, 2, CW_FIELD_COLLECTION_NUMBER), "3");
	done(&p);
}

Test(bibtex_grammar, unknown_fields_are_passthrough)
{
	parsed p;
	parse(&p, "@misc{a, owner = {me}, timestamp = {2020.01.01}, file = {:a.pdf:PDF}}");
	cr_assert_eq(p.n, 1);
	cr_expect_str_eq(pt(&p, 0, "owner"), "me");
	cr_expect_str_eq(pt(&p, 0, "file"), ":a.pdf:PDF");
	done(&p);
}

Test(bibtex_grammar, large_input_streams_with_bounded_entries)
{
	/* many entries and a long junk run: every entry read, in order */
	cw_buf b = CW_BUF_INIT;
	for (int i = 0; i < 3000; i++) {
		cw_buf_printf(
		    &b,
		    "@article{k%d, title = {Title %d}, author = {A. Author and B. Buthor}, "
		    "year = %d, journal = {J}}\n",
		    i, i, 1900 + i % 100);
		if (i == 1500)
			for (int j = 0; j < 20000; j++)
				cw_buf_append(&b, "junk ", 5);
	}
	parsed p;
	parse(&p, cw_buf_str(&b));
	cr_assert_eq(p.n, 3000, "%zu\n%s", p.n, cw_buf_str(&p.d.text));
	cr_expect_str_eq(text(&p, 2999, CW_FIELD_ID), "k2999");
	uint32_t line = 0;
	cw_record_origin(p.recs[2999], &line, NULL);
	cr_expect_eq(line, 3000);
	done(&p);
	cw_buf_free(&b);
}

/*
 * A message about a place lines before the scanner's position (a value
 * opened on an earlier line) gives that place: the column once wrapped
 * around to 4294967xxx.
 */
typedef struct where_case {
	const char *in;
	const char *want; /* ":line:col: " of the first error or warning */
} where_case;

static const where_case where_cases[] = {
    {"@article{a,\n  title = {Unclosed\n  more text\n\n@article{b, title = {ok}}\n", ":2:11: "},
    {"@article{a,\n  title = \"Unclosed\n  more text\n  yet more", ":2:11: "},
    {"%% a comment\n   @article{\n  author\n = {x}}\n", ":3:3: "},
    {"\n\n@misc{a, note = {\n\n\n}, title = {\n\n\n", ":6:12: "},
};

static void expect_sane_positions(const parsed *p, uint32_t lines)
{
	for (size_t k = 0; k < p->d.n; k++) {
		cr_expect_leq(p->d.items[k].line, lines, "%s", cw_buf_str(&p->d.text));
		cr_expect_leq(p->d.items[k].column, 200, "%s", cw_buf_str(&p->d.text));
	}
}

Test(bibtex_grammar, positions_never_wrap)
{
	for (size_t i = 0; i < sizeof where_cases / sizeof where_cases[0]; i++) {
		const where_case *c = &where_cases[i];
		parsed p;
		parse(&p, c->in);
		cr_assert_gt(p.d.n, 0, "%s", c->in);
		cr_expect(strstr(cw_buf_str(&p.d.text), c->want), "want %s in:\n%s", c->want,
		          cw_buf_str(&p.d.text));
		expect_sane_positions(&p, 12);
		done(&p);
	}
}

Test(bibtex_grammar, value_over_the_limit_is_located_where_it_starts)
{
	/* a value of more than 1 MiB over many lines */
	cw_buf in = CW_BUF_INIT;
	cw_buf_append(&in, "@article{a,\n  title = {", CW_NUL);
	for (int i = 0; i < 20000; i++)
		cw_buf_append(&in, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
		              CW_NUL);
	cw_buf_append(&in, "}}\n@misc{b, title = {ok}}\n", CW_NUL);
	parsed p;
	parse(&p, cw_buf_str(&in));
	cr_expect(strstr(cw_buf_str(&p.d.text), ":2:11: error: [a] value larger than the "
	                                        "field-bytes limit (1 MiB)"),
	          "%s", cw_buf_str(&p.d.text));
	expect_sane_positions(&p, 20005);
	cr_expect_eq(p.n, 1, "%s", cw_buf_str(&p.d.text));
	done(&p);
	cw_buf_free(&in);
}

Test(bibtex_grammar, a_nul_byte_between_entries_is_an_error)
{
	/* text between entries is ignored, but a NUL is never text: one located
	 * error, the entries around it still read, the run partial (status 1) */
	static const char in[] = "@misc{a, title={A}}\n\0\0junk\n@misc{b, title={B}}\n";
	cwt_result r = {0};
	cwt_convert(&r, "bibtex", "csljson", in, sizeof in - 1, NULL, NULL, NULL);
	cr_expect_eq(r.status, CW_ERECORD, "%s", cw_buf_str(&r.diags.text));
	cr_expect_eq(r.stats.records_written, 2);
	cr_expect_eq(cwt_diags_count(&r.diags, CW_SEV_ERROR), 1, "%s", cw_buf_str(&r.diags.text));
	cr_expect(strstr(cw_buf_str(&r.diags.text), ":2:1: error: a NUL byte in the input"), "%s",
	          cw_buf_str(&r.diags.text));
	cwt_result_free(&r);

	/* binary data without an entry ends the input after record-bytes (16 MiB)
	 * instead of being read for ever (/dev/zero) */
	size_t n = (17u << 20) + 1;
	char *zeros = calloc(1, n);
	cr_assert(zeros);
	memset(&r, 0, sizeof r);
	cwt_convert(&r, "bibtex", "csljson", zeros, n, NULL, NULL, NULL);
	cr_expect_eq(r.status, CW_EFORMAT, "%s", cw_buf_str(&r.diags.text));
	cr_expect(strstr(cw_buf_str(&r.diags.text), "1:1: error: a NUL byte in the input") &&
	              strstr(cw_buf_str(&r.diags.text), "error: binary data: more than the "
	                                                "record-bytes limit (16 MiB"),
	          "%s", cw_buf_str(&r.diags.text));
	cr_expect_eq(r.stats.records_written, 0);
	cwt_result_free(&r);
	free(zeros);
}
