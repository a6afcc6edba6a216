/*
 * The writers: field order and formatting, dialect differences, citation
 * keys (kept, generated, unique), --ascii, rich text and case protection,
 * and the "not carried" reports for what a dialect cannot hold.
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

Test(bibtex_writer, output_is_deterministic)
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
