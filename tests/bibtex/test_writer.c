/*
 * The writers: field order and formatting, dialect differences, citation
 * keys (kept, generated, unique), --ascii, rich text and case protection,
 * the "not carried" reports for what a dialect cannot hold, and (issue 15)
 * fields chosen by entry type, sort keys, eid, the source's field names,
 * no empty fields and valid UTF-8.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

static char *convert(const char *from, const char *to, const char *in, const char *const *wopts,
                     cwt_diags *d)
{
	cwt_result r = {0};
	cwt_convert(&r, from, to, in, strlen(in), NULL, wopts, NULL);
	cr_assert_eq(r.status, CW_OK, "%s", cw_buf_str(&r.diags.text));
	char *out = r.output;
	r.output = NULL;
	if (d) {
		*d = r.diags;
		memset(&r.diags, 0, sizeof r.diags);
	}
	cwt_result_free(&r);
	return out;
}

Test(bibtex_writer, bibtex_layout_and_order)
{
	const char *in = "@article{k, year = 2001, title = {T}, author = {Doe, Jane and Roe, R.}, "
	                 "journal = {J}, pages = {1--9}, month = mar, volume = 3, number = 4}";
	char *out = convert("bibtex", "bibtex", in, NULL, NULL);
	cr_expect_str_eq(out, "@article{k,\n"
	                      "  author = {Doe, Jane and Roe, R.},\n"
	                      "  title = {T},\n"
	                      "  journal = {J},\n"
	                      "  volume = {3},\n"
	                      "  number = {4},\n"
	                      "  pages = {1--9},\n"
	                      "  year = {2001},\n"
	                      "  month = mar\n"
	                      "}\n");
	free(out);
}

Test(bibtex_writer, biblatex_dialect)
{
	const char *in = "@article{k, title = {T}, journal = {J}, year = 2001, month = mar, "
	                 "address = {Paris}, eprint = {2101.00001}, archiveprefix = {arXiv}}\n"
	                 "@online{w, title = {W}, url = {https://x.org}, urldate = {2020-01-02}}";
	char *out = convert("bibtex", "biblatex", in, NULL, NULL);
	cr_expect(strstr(out, "journaltitle = {J}"), "%s", out);
	cr_expect(strstr(out, "date = {2001-03}"), "%s", out);
	cr_expect(strstr(out, "location = {Paris}"), "%s", out);
	cr_expect(strstr(out, "eprint = {2101.00001},\n  eprinttype = {arxiv}"), "%s", out);
	cr_expect(strstr(out, "@online{w"), "%s", out);
	cr_expect(strstr(out, "urldate = {2020-01-02}"), "%s", out);
	free(out);
}

Test(bibtex_writer, dates_ranges_and_days)
{
	const char *in = "@misc{a, date = {2001-02-03/2001-02-05}}\n@misc{b, date = {1999-04-01}}";
	cwt_diags d = {0};
	char *bt = convert("bibtex", "bibtex", in, NULL, &d);
	cr_expect(strstr(bt, "year = {2001},\n  date = {2001-02-03/2001-02-05}"), "%s", bt);
	cr_expect(strstr(bt, "year = {1999},\n  month = apr,\n  date = {1999-04-01}"), "%s", bt);
	char *bl = convert("bibtex", "biblatex", in, NULL, NULL);
	cr_expect(strstr(bl, "date = {2001-02-03/2001-02-05}"), "%s", bl);
	free(bt);
	free(bl);
	cwt_diags_free(&d);
}

Test(bibtex_writer, generated_keys_are_ascii_and_unique)
{
	const char *in = "[{\"type\": \"article-journal\", \"title\": \"The Éclair of Knowledge\", "
	                 "\"author\": [{\"family\": \"Müller\", \"given\": \"J\"}], "
	                 "\"issued\": {\"date-parts\": [[2020]]}},"
	                 "{\"type\": \"article-journal\", \"title\": \"Éclair again\", "
	                 "\"author\": [{\"family\": \"Müller\", \"given\": \"K\"}], "
	                 "\"issued\": {\"date-parts\": [[2020]]}},"
	                 "{\"id\": \"keep me\", \"type\": \"book\", \"title\": \"No author\"}]";
	char *out = convert("csljson", "bibtex", in, NULL, NULL);
	cr_expect(strstr(out, "@misc{muller2020eclair,"), "%s", out); /* no journal: @misc */
	cr_expect(strstr(out, "@misc{muller2020eclaira,"), "%s", out);
	cr_expect(strstr(out, "@book{anonno,") || strstr(out, "@misc{anonno,"), "%s", out);
	free(out);
	const char *const opts[] = {"keys=auth-year", NULL};
	const char *in2 = "@misc{src, author = {Ann Smith}, year = 1999, title = {A Title}}\n"
	                  "@misc{src2, author = {Ann Smith}, year = 1999, title = {B}}";
	out = convert("bibtex", "bibtex", in2, opts, NULL);
	cr_expect(strstr(out, "@misc{smith1999,"), "%s", out);
	cr_expect(strstr(out, "@misc{smith1999a,"), "%s", out);
	free(out);
}

Test(bibtex_writer, source_keys_kept_and_duplicates_renamed)
{
	const char *in =
	    "@misc{Dup, title = {A}}\n@misc{dup, title = {B}}\n@misc{ünï:1, title = {C}}";
	cwt_diags d = {0};
	char *out = convert("bibtex", "biblatex", in, NULL, &d);
	cr_expect(strstr(out, "@misc{Dup,"), "%s", out);
	cr_expect(strstr(out, "@misc{dupa,"), "%s", out);
	cr_expect(strstr(out, "@misc{ünï:1,"), "%s", out);
	cr_expect(strstr(cw_buf_str(&d.text), "already written"), "%s", cw_buf_str(&d.text));
	free(out);
	cwt_diags_free(&d);
}

Test(bibtex_writer, specials_rich_text_and_protection)
{
	const char *in = "[{\"id\": \"x\", \"type\": \"article-journal\", "
	                 "\"title\": \"DNA & RNA: 50% of <i>E. coli</i> in H<sub>2</sub>O, "
	                 "x<sup>2</sup> <span class=\\\"nocase\\\">iPhone</span> #1 a_b {c} ~\"}]";
	char *out = convert("csljson", "bibtex", in, NULL, NULL);
	cr_expect(strstr(out, "title = {{DNA} \\& {RNA}: 50\\% of \\textit{E. coli} in "
	                      "H\\textsubscript{2}O, x\\textsuperscript{2} {iPhone} \\#1 a\\_b "
	                      "\\textbraceleft{}c\\textbraceright{} \\textasciitilde{}}"),
	          "%s", out);
	free(out);
}

Test(bibtex_writer, ascii_option)
{
	const char *in = "@misc{k, title = {Gödel – Łódź ß “q” α}, author = {Erdős, Pál}}";
	const char *const opts[] = {"ascii", NULL};
	char *out = convert("bibtex", "bibtex", in, opts, NULL);
	cr_expect(strstr(out, "title = {G{\\\"o}del -- {\\L}{\\'o}d{\\'z} {\\ss} ``q'' $\\alpha$}"),
	          "%s", out);
	cr_expect(strstr(out, "author = {Erd{\\H o}s, P{\\'a}l}"), "%s", out);
	free(out);
}

Test(bibtex_writer, not_carried_is_reported)
{
	const char *in = "[{\"id\": \"x\", \"type\": \"dataset\", \"title\": \"D\", "
	                 "\"accessed\": {\"date-parts\": [[2020, 1, 1]]}, \"PMCID\": \"PMC1\", "
	                 "\"archive\": \"Zenodo\", \"custom\": {\"a\": 1}}]";
	cwt_diags d = {0};
	char *out = convert("csljson", "bibtex", in, NULL, &d);
	size_t nc = 0;
	for (size_t i = 0; i < d.n; i++)
		nc += d.items[i].kind == CW_DIAG_NOT_CARRIED;
	/* type dataset (no classic type), accessed (biblatex only), archive */
	cr_expect_geq(nc, 3, "%s", cw_buf_str(&d.text));
	cr_expect(strstr(cw_buf_str(&d.text), "accessed"), "%s", cw_buf_str(&d.text));
	cr_expect(strstr(cw_buf_str(&d.text), "archive"), "%s", cw_buf_str(&d.text));
	cr_expect(strstr(out, "@misc{x,"), "%s", out);
	free(out);
	cwt_diags_free(&d);
	/* biblatex carries dataset and urldate */
	out = convert("csljson", "biblatex", in, NULL, &d);
	cr_expect(strstr(out, "@dataset{x,"), "%s", out);
	cr_expect(strstr(out, "urldate = {2020-01-01}"), "%s", out);
	free(out);
	cwt_diags_free(&d);
}

Test(bibtex_writer_corpus, output_is_deterministic)
{
	size_t len = 0;
	char dir[1024], path[1200];
	CWT_CORPUS("bibtex/citation-js", dir);
	snprintf(path, sizeof path, "%s/mapping-biblatex-input.bib", dir);
	char *data = cwt_read_file(path, &len);
	cr_assert(data);
	char *a = convert("bibtex", "biblatex", data, NULL, NULL);
	char *b = convert("bibtex", "biblatex", data, NULL, NULL);
	cr_expect_str_eq(a, b);
	free(a);
	free(b);
	free(data);
}

/* --- issue 15: fields by entry type, keys, eid, same-format round trips, UTF-8 --- */

/* The field a publisher goes into, by the entry type written. */
static const struct {
	const char *csl_type;
	const char *bibtex_type, *bibtex_field;     /* classic */
	const char *biblatex_type, *biblatex_field; /* NULL: not written */
} publisher_fields[] = {
    {"book", "@book", "publisher", "@book", "publisher"},
    {"chapter", "@incollection", "publisher", "@incollection", "publisher"},
    {"paper-conference", "@inproceedings", "publisher", "@inproceedings", "publisher"},
    {"report", "@techreport", "institution", "@report", "institution"},
    {"thesis", "@phdthesis", "school", "@thesis", "institution"},
    {"pamphlet", "@booklet", "howpublished", "@booklet", "howpublished"},
    {"document", "@misc", "howpublished", "@misc", "howpublished"},
    {"webpage", "@misc", "howpublished", "@online", "organization"},
    {"dataset", "@misc", "howpublished", "@dataset", "publisher"},
    {"article-journal", "@article", "publisher", "@article", NULL},
};

Test(bibtex_writer, publisher_by_entry_type)
{
	for (size_t i = 0; i < sizeof publisher_fields / sizeof publisher_fields[0]; i++) {
		char in[512];
		snprintf(
		    in, sizeof in,
		    "[{\"id\": \"x\", \"type\": \"%s\", \"title\": \"T\", \"publisher\": \"Pub\","
		    " \"author\": [{\"family\": \"A\"}], \"genre\": \"%s\", \"container-title\": "
		    "\"C\", \"chapter-number\": \"1\", \"issued\": {\"date-parts\": [[2000]]}}]",
		    publisher_fields[i].csl_type,
		    strcmp(publisher_fields[i].csl_type, "thesis") == 0 ? "PhD thesis" : "");
		for (int dialect = 0; dialect < 2; dialect++) {
			const char *type = dialect ? publisher_fields[i].biblatex_type
			                           : publisher_fields[i].bibtex_type;
			const char *field = dialect ? publisher_fields[i].biblatex_field
			                            : publisher_fields[i].bibtex_field;
			cwt_diags d = {0};
			char *out =
			    convert("csljson", dialect ? "biblatex" : "bibtex", in, NULL, &d);
			char want[64];
			snprintf(want, sizeof want, "%s{x,", type);
			cr_expect(strstr(out, want), "%s: %s\n%s", publisher_fields[i].csl_type,
			          want, out);
			if (field) {
				snprintf(want, sizeof want, "  %s = {Pub}", field);
				cr_expect(strstr(out, want), "%s: %s\n%s",
				          publisher_fields[i].csl_type, want, out);
			} else {
				cr_expect(!strstr(out, "{Pub}"), "%s\n%s",
				          publisher_fields[i].csl_type, out);
				cr_expect(strstr(cw_buf_str(&d.text),
				                 "not carried by biblatex: publisher"),
				          "%s", cw_buf_str(&d.text));
			}
			free(out);
			cwt_diags_free(&d);
		}
	}
}

/* The name a BibTeX source used comes back, where the dialect allows it. */
Test(bibtex_writer, source_field_names_come_back)
{
	static const struct {
		const char *in, *biblatex, *bibtex;
	} cases[] = {
	    {"@manual{m, title = {M}, organization = {Org}}", "organization = {Org}",
	     "organization = {Org}"},
	    {"@manual{m, title = {M}, publisher = {Pub}}", "publisher = {Pub}",
	     "organization = {Pub}"},
	    {"@inproceedings{p, title = {P}, author = {A}, booktitle = {B}, year = 2000, "
	     "organization = {IEEE}}",
	     "organization = {IEEE}", "organization = {IEEE}"},
	    {"@booklet{b, title = {B}, howpublished = {Privately}}", "howpublished = {Privately}",
	     "howpublished = {Privately}"},
	    {"@misc{m, title = {M}, institution = {Inst}}", "institution = {Inst}",
	     "howpublished = {Inst}"},
	    {"@article{a, title = {A}, author = {A}, date = 2000, journaltitle = {J}, "
	     "publisher = {Pub}}",
	     "publisher = {Pub}", "publisher = {Pub}"},
	    {"@article{a, title = {A}, journaltitle = {J}, issue = {Spring}}", "issue = {Spring}",
	     "number = {Spring}"},
	    {"@book{b, title = {B}, language = {Dutch}}", "language = {Dutch}",
	     "language = {Dutch}"},
	    {"@book{b, title = {B}, langid = {dutch}}", "langid = {dutch}", "language = {dutch}"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *bl = convert("bibtex", "biblatex", cases[i].in, NULL, NULL);
		cr_expect(strstr(bl, cases[i].biblatex), "%s\n%s", cases[i].in, bl);
		cr_expect(!strstr(bl, "sourcefields"), "%s", bl);
		char *bt = convert("bibtex", "bibtex", cases[i].in, NULL, NULL);
		cr_expect(strstr(bt, cases[i].bibtex), "%s\n%s", cases[i].in, bt);
		free(bl);
		free(bt);
	}
}

Test(bibtex_writer, sort_key_for_entries_without_names)
{
	const char *in =
	    "[{\"id\": \"m\", \"type\": \"document\", \"title\": \"<i>The</i> Chicago Manual of "
	    "Style & Its Uses\"},"
	    " {\"id\": \"e\", \"type\": \"document\", \"title\": \"T\", \"editor\": [{\"family\": "
	    "\"Miller\", \"given\": \"J\"}]},"
	    " {\"id\": \"b\", \"type\": \"book\", \"title\": \"B\", \"editor\": [{\"family\": "
	    "\"Roe\"}], \"publisher\": \"P\", \"issued\": {\"date-parts\": [[2000]]}},"
	    " {\"id\": \"a\", \"type\": \"document\", \"title\": \"A\", \"author\": [{\"family\": "
	    "\"Doe\"}]},"
	    " {\"id\": \"n\", \"type\": \"document\", \"URL\": \"https://example.org\"}]";
	char *out = convert("csljson", "bibtex", in, NULL, NULL);
	/* misc sorts by author: the title's words, markup and & left out */
	cr_expect(strstr(out, "@misc{m,\n  title = {\\textit{The} Chicago Manual of Style \\& Its "
	                      "Uses},\n  key = {The Chicago Manual of Style Its Uses}\n}"),
	          "%s", out);
	cr_expect(strstr(out, "  key = {Miller}\n"), "%s", out);
	/* a book sorts by its editor; an entry with an author or nothing to print: no key */
	cr_expect(!strstr(strstr(out, "@book{b,"), "key ="), "%s", out);
	cr_expect(!strstr(strstr(out, "@misc{a,"), "key ="), "%s", out);
	cr_expect(!strstr(strstr(out, "@misc{n,"), "key ="), "%s", out);
	free(out);
	/* BibLaTeX sorts by its own fields: no key */
	out = convert("csljson", "biblatex", in, NULL, NULL);
	cr_expect(!strstr(out, "key ="), "%s", out);
	free(out);
}

/* Records of every kind written as classic BibTeX, run through bibtex with the four
 * standard styles: no error, no warning. */
Test(bibtex_writer, standard_styles_accept_the_output)
{
	cwt_require_tool("bibtex");
	cwt_require_tool("python3");
	const char *in =
	    "[{\"id\": \"art\", \"type\": \"article-journal\", \"title\": \"A\", \"author\": "
	    "[{\"family\": \"Doe\"}], \"container-title\": \"J\", \"volume\": \"2\", \"issue\": "
	    "\"3\", \"page\": \"1-9\", \"issued\": {\"date-parts\": [[2001, 3]]}},"
	    " {\"id\": \"bk\", \"type\": \"book\", \"title\": \"B\", \"editor\": [{\"family\": "
	    "\"Roe\"}], \"publisher\": \"P\", \"issued\": {\"date-parts\": [[2000]]}},"
	    " {\"id\": \"ch\", \"type\": \"chapter\", \"title\": \"C\", \"subtitle\": \"S\", "
	    "\"author\": [{\"family\": \"Doe\"}], \"container-title\": \"Book\", \"publisher\": "
	    "\"P\", \"issued\": {\"date-parts\": [[2000]]}},"
	    " {\"id\": \"pc\", \"type\": \"paper-conference\", \"title\": \"P\", \"author\": "
	    "[{\"family\": \"Doe\"}], \"container-title\": \"Proc\", \"issued\": {\"date-parts\": "
	    "[[2000]]}},"
	    " {\"id\": \"pr\", \"type\": \"book\", \"title\": \"Proc\", \"publisher\": \"ACM\", "
	    "\"issued\": {\"date-parts\": [[2000]]}},"
	    " {\"id\": \"rep\", \"type\": \"report\", \"title\": \"R\", \"author\": [{\"family\": "
	    "\"Doe\"}], \"publisher\": \"Inst\", \"number\": \"7\", \"issued\": {\"date-parts\": "
	    "[[2000]]}},"
	    " {\"id\": \"th\", \"type\": \"thesis\", \"genre\": \"PhD thesis\", \"title\": \"T\", "
	    "\"author\": [{\"family\": \"Doe\"}], \"publisher\": \"Univ\", \"issued\": "
	    "{\"date-parts\": [[2000]]}},"
	    " {\"id\": \"ms\", \"type\": \"thesis\", \"genre\": \"Master's thesis\", \"title\": "
	    "\"T\", \"author\": [{\"family\": \"Doe\"}], \"publisher\": \"Univ\", \"issued\": "
	    "{\"date-parts\": [[2000]]}},"
	    " {\"id\": \"pam\", \"type\": \"pamphlet\", \"title\": \"Pam\", \"publisher\": "
	    "\"Self\"},"
	    " {\"id\": \"web\", \"type\": \"webpage\", \"title\": \"W\", \"URL\": "
	    "\"https://example.org\", \"container-title\": \"Site\"},"
	    " {\"id\": \"doc\", \"type\": \"document\", \"title\": \"D\", \"publisher\": \"Org\"},"
	    " {\"id\": \"man\", \"type\": \"manuscript\", \"title\": \"M\", \"author\": "
	    "[{\"family\": \"Doe\"}], \"note\": \"In preparation\"},"
	    " {\"id\": \"eid\", \"type\": \"article-journal\", \"title\": \"E\", \"author\": "
	    "[{\"family\": \"Doe\"}], \"container-title\": \"J\", \"volume\": \"9\", \"number\": "
	    "\"e1001\", \"issued\": {\"date-parts\": [[2020]]}}]";
	char *out = convert("csljson", "bibtex", in, NULL, NULL);
	const char *tmp = cwt_tmpdir();
	char bib[1024], list[1100], cmd[4096];
	snprintf(bib, sizeof bib, "%s/styles.bib", tmp);
	snprintf(list, sizeof list, "%s/styles.list", tmp);
	cr_assert_eq(cwt_write_file(bib, out, strlen(out)), 0);
	char line[1200];
	int n = snprintf(line, sizeof line, "-\t%s\n", bib);
	cr_assert_eq(cwt_write_file(list, line, (size_t)n), 0);
	snprintf(cmd, sizeof cmd, "python3 %s/tests/bibtex/validate.py bibtex '%s' '%s/styles'",
	         cwt_source_dir(), list, tmp);
	cw_buf res = CW_BUF_INIT;
	cr_expect_eq(cwt_run(cmd, &res), 0, "%s\n%s", cw_buf_str(&res), out);
	cw_buf_free(&res);
	free(out);
}

Test(bibtex_writer, eid_is_the_article_number)
{
	const char *in = "@article{a, author = {Doe, J}, title = {T}, journaltitle = {J}, "
	                 "volume = 9, eid = {e1001}, date = 2020}\n"
	                 "@article{b, author = {Doe, J}, title = {T}, journaltitle = {J}, "
	                 "volume = 9, eid = {e1002}, pages = {1--12}, date = 2020}";
	cw_record **recs = NULL;
	size_t n = cwt_read_records("bibtex", in, strlen(in), &recs, NULL, NULL);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(cw_record_text(recs[0], CW_FIELD_ARTICLE_NUMBER), "e1001");
	cwt_free_records(recs, n);
	char *bl = convert("bibtex", "biblatex", in, NULL, NULL);
	cr_expect(strstr(bl, "eid = {e1001}"), "%s", bl);
	cr_expect(strstr(bl, "eid = {e1002}"), "%s", bl);
	free(bl);
	/* classic BibTeX keeps eid too: its standard styles ignore it, other styles
	 * (revtex's) print it, and a BibTeX round trip gives it back */
	cwt_diags d = {0};
	char *bt = convert("bibtex", "bibtex", in, NULL, &d);
	cr_expect(strstr(bt, "eid = {e1001}"), "%s", bt);
	cr_expect(strstr(bt, "pages = {1--12}"), "%s", bt);
	cr_expect_not(strstr(cw_buf_str(&d.text), "article-number"), "%s", cw_buf_str(&d.text));
	free(bt);
	cwt_diags_free(&d);
}

Test(bibtex_writer, no_empty_fields)
{
	cwt_diags d = {0};
	const char *in = "@article{a, author = undefinedmacro, title = {T}, note = {  }}\n"
	                 "@book{p, title = {P}, organization = {Org}, year = 2000}\n"
	                 "@inbook{c, crossref = {p}, title = {C}, organization = {}}";
	char *out = convert("bibtex", "biblatex", in, NULL, &d);
	cr_expect(!strstr(strstr(out, "@article{a,"), "author ="), "%s", out);
	cr_expect(!strstr(out, "note ="), "%s", out);
	cr_expect(strstr(cw_buf_str(&d.text), "bibtex:author (empty)"), "%s", cw_buf_str(&d.text));
	/* an empty field that stops the parent's from being inherited stays */
	cr_expect(strstr(out, "  organization = {}"), "%s", out);
	free(out);
	cwt_diags_free(&d);
}

Test(bibtex_writer, output_is_valid_utf8)
{
	/* a field the record keeps as written (passthrough) with bytes that are not UTF-8,
	 * and a key that is no valid BibTeX key */
	cw_record *rec = NULL;
	cr_assert_eq(cw_record_new(&rec), CW_OK);
	cw_record_set_type(rec, CW_TYPE_DOCUMENT);
	cw_record_set_text(rec, CW_FIELD_TITLE, "T", CW_NUL);
	cw_record_set_text(rec, CW_FIELD_ID, "bad key", CW_NUL);
	cw_record_add_passthrough(rec, "bibtex", "foo", "b\xe4r \xff", CW_NUL);
	cwt_diags d = {0};
	char *out = cwt_write_records("biblatex", &rec, 1, &d, NULL);
	cr_assert(out);
	cr_expect_eq(cw_utf8_check(out, strlen(out)), strlen(out), "%s", out);
	cr_expect(strstr(out, "foo = {b\xEF\xBF\xBDr \xEF\xBF\xBD}"), "%s", out);
	cr_expect(strstr(out, "@misc{anont,"), "%s", out);
	cr_expect(strstr(cw_buf_str(&d.text), "not UTF-8"), "%s", cw_buf_str(&d.text));
	cr_expect(strstr(cw_buf_str(&d.text), "not a valid BibTeX key"), "%s", cw_buf_str(&d.text));
	free(out);
	cwt_diags_free(&d);
	cw_record_free(rec);
}

Test(bibtex_writer, biblatex_round_trip_keeps_what_biblatex_means)
{
	/* maintitle stays maintitle, a booklet's howpublished stays howpublished, a
	 * techreport stays what biber reads as @report with type techreport */
	const char *in =
	    "@inbook{c, title = {C}, maintitle = {M}, author = {A}, date = 2000}\n"
	    "@booklet{b, title = {B}, howpublished = {Privately printed}}\n"
	    "@techreport{t, title = {T}, author = {A}, institution = {I}, year = 2000}";
	char *out = convert("bibtex", "biblatex", in, NULL, NULL);
	cr_expect(strstr(out, "  maintitle = {M}"), "%s", out);
	cr_expect(!strstr(out, "booktitle"), "%s", out);
	cr_expect(strstr(out, "  howpublished = {Privately printed}"), "%s", out);
	cr_expect(!strstr(out, "publisher"), "%s", out);
	cr_expect(strstr(out, "@techreport{t,"), "%s", out);
	char *again = convert("biblatex", "biblatex", out, NULL, NULL);
	cr_expect_str_eq(again, out);
	free(again);
	free(out);
}

Test(bibtex_writer, a_type_written_as_misc_is_reported_once)
{
	/* BibTeX's @book needs an author or editor: the record falls back to
	 * @misc, and the one message says why (not a second "type book") */
	cwt_diags d = {0};
	char *out = convert("csljson", "bibtex", "[{\"id\":\"a\",\"type\":\"book\",\"title\":\"T\"}]",
	                 NULL, &d);
	cr_expect(strstr(out, "@misc{a,"), "%s", out);
	cr_expect_eq(d.n, 1, "%s", cw_buf_str(&d.text));
	cr_expect(strstr(cw_buf_str(&d.text), "entry type @book (it needs author; written as @misc)"),
	          "%s", cw_buf_str(&d.text));
	free(out);
	cwt_diags_free(&d);
}
