/*
 * html-meta: reading landing pages of several shapes (OJS, DSpace, one
 * whose DC and citation_* tags disagree) and writing the meta block.
 */
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"
#include "dc_dump.h"

static char *page(const char *name, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/dc/pages/%s", cwt_source_dir(), name);
	char *d = cwt_read_file(path, len);
	cr_assert_not_null(d, "%s", path);
	return d;
}

static cw_record *read_page(const char *name, cwt_diags *d)
{
	size_t len;
	char *data = page(name, &len);
	cw_record **recs = NULL;
	size_t n = cwt_read_records("html-meta", data, len, &recs, d, NULL);
	free(data);
	cr_assert_eq(n, 1, "%s: %zu records\n%s", name, n, cw_buf_str(&d->text));
	cw_record *r = recs[0];
	cw_free(recs);
	return r;
}

static void golden(const char *name, const cw_record *r)
{
	cw_buf b = CW_BUF_INIT;
	dcd_record(&b, r);
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/dc/golden/%s", cwt_source_dir(), name);
	if (getenv("CW_UPDATE_GOLDEN")) {
		cwt_write_file(path, b.data, b.len);
	} else {
		size_t len;
		char *want = cwt_read_file(path, &len);
		cr_assert_not_null(want, "golden %s missing", path);
		cr_expect_str_eq(cw_buf_str(&b), want, "differs from golden %s", name);
		free(want);
	}
	cw_buf_free(&b);
}

Test(dc_html, ojs_article_page)
{
	cwt_diags d = {0};
	cw_record *r = read_page("ojs-article.html", &d);
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_WARNING), 0, "%s", cw_buf_str(&d.text));
	cr_expect_eq(cw_record_type(r), CW_TYPE_ARTICLE_JOURNAL);
	cr_assert_eq(cw_record_name_count(r, CW_FIELD_AUTHOR), 2);
	const cw_name *a = cw_record_name(r, CW_FIELD_AUTHOR, 0);
	cr_expect_str_eq(a->family, "LAUMULIN");
	cr_expect_str_eq(a->given, "Murat");
	cr_assert_eq(a->affiliation_count, 1);
	const cw_affiliation *af = cw_record_affiliation_by_id(r, a->affiliation_ids[0]);
	cr_assert_not_null(af);
	cr_expect(strstr(af->text, "Kazakhstan Institute of Strategic Studies"));
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_VOLUME), "9");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_ISSUE), "1");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_PAGE), "112-124");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_DOI), "10.37178/ca-c.2008.9.1.112");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_SECTION), "REGIONAL POLITICS");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_ISSN), "1404-6091");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_CONTAINER_TITLE_SHORT), "CA&C");
	cr_expect_not_null(cw_record_text(r, CW_FIELD_ABSTRACT));
	const cw_date *dt = cw_record_date(r, CW_FIELD_ISSUED);
	cr_assert_not_null(dt);
	cr_expect(dt->year == 2008 && dt->month == 2 && dt->day == 29);
	const cw_date *sub = cw_record_date(r, CW_FIELD_SUBMITTED);
	cr_assert_not_null(sub);
	cr_expect_eq(sub->month, 1);
	golden("page-ojs.txt", r);
	cw_record_free(r);
	cwt_diags_free(&d);
}

Test(dc_html, dspace_item_page)
{
	cwt_diags d = {0};
	cw_record *r = read_page("dspace-item.html", &d);
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_WARNING), 0, "%s", cw_buf_str(&d.text));
	cr_expect_eq(cw_record_type(r), CW_TYPE_SPEECH, "inaugural lecture");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_ISBN), "90-5892-036-4");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_URL), "https://repub.eur.nl/handle/1765/308");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_LANGUAGE), "nl");
	cr_expect_eq(cw_record_item_count(r, CW_FIELD_KEYWORDS), 2);
	cr_expect_eq(cw_record_item_count(r, CW_FIELD_LINKS), 1);
	const cw_date *dt = cw_record_date(r, CW_FIELD_ISSUED);
	cr_assert_not_null(dt);
	cr_expect_eq(dt->year, 2002);
	cr_expect_eq(dt->parts, 1);
	cr_expect_not_null(cw_record_date(r, CW_FIELD_ACCEPTED));
	golden("page-dspace.txt", r);
	cw_record_free(r);
	cwt_diags_free(&d);
}

Test(dc_html, citation_tags_win_over_dc)
{
	cwt_diags d = {0};
	cw_record *r = read_page("disagreeing.html", &d);
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_TITLE), "Published title of the article");
	cr_expect_eq(cw_record_name_count(r, CW_FIELD_AUTHOR), 1,
	             "citation_author list wins whole");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_VOLUME), "4");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_PAGE), "1-12");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_DOI), "10.5555/jex.2020.4.1");
	const cw_date *dt = cw_record_date(r, CW_FIELD_ISSUED);
	cr_assert_not_null(dt);
	cr_expect_eq(dt->year, 2020);
	/* what only DC says is still read */
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_PUBLISHER), "Example University Press");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_LICENSE_URL),
	                 "https://creativecommons.org/licenses/by/4.0/");
	/* and each disagreement is named */
	size_t notes = 0;
	for (size_t i = 0; i < d.n; i++)
		notes += d.items[i].severity == CW_SEV_NOTE &&
		         strstr(d.items[i].message, "citation_* wins");
	cr_expect_geq(notes, 4, "%s", cw_buf_str(&d.text)); /* title, DOI, volume, issue, page */
	golden("page-disagreeing.txt", r);
	cw_record_free(r);
	cwt_diags_free(&d);
}

Test(dc_html, page_without_tags_is_an_error)
{
	const char *in =
	    "<html><head><title>x</title><meta name=\"description\" content=\"y\"></head></html>";
	cwt_diags d = {0};
	cw_record **recs = NULL;
	size_t n = cwt_read_records("html-meta", in, strlen(in), &recs, &d, NULL);
	cr_expect_eq(n, 0);
	cr_expect_geq(cwt_diags_count(&d, CW_SEV_ERROR), 1);
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
}

Test(dc_html, written_page_reads_back)
{
	cwt_diags d = {0};
	cw_record *r = read_page("ojs-article.html", &d);
	cwt_diags d2 = {0};
	char *html = cwt_write_records("html-meta", &r, 1, &d2, NULL);
	cr_assert_not_null(html);
	cr_expect(strstr(html, "<link rel=\"schema.DC\""));
	cr_expect(strstr(html, "name=\"citation_author_institution\""));
	cr_expect(strstr(html, "name=\"citation_firstpage\" content=\"112\""));
	cr_expect(strstr(html, "name=\"citation_pdf_url\""));
	cw_record **back = NULL;
	cwt_diags d3 = {0};
	size_t n = cwt_read_records("html-meta", html, strlen(html), &back, &d3, NULL);
	cr_assert_eq(n, 1, "%s", cw_buf_str(&d3.text));
	static const enum cw_field same[] = {CW_FIELD_TITLE,   CW_FIELD_CONTAINER_TITLE,
	                                     CW_FIELD_VOLUME,  CW_FIELD_ISSUE,
	                                     CW_FIELD_PAGE,    CW_FIELD_DOI,
	                                     CW_FIELD_ISSN,    CW_FIELD_URL,
	                                     CW_FIELD_SECTION, CW_FIELD_LANGUAGE};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
		cr_expect_str_eq(cw_record_text(back[0], same[i]), cw_record_text(r, same[i]), "%s",
		                 cw_field_name(same[i]));
	cr_expect_eq(cw_record_name_count(back[0], CW_FIELD_AUTHOR), 2);
	cr_expect_eq(cw_record_type(back[0]), CW_TYPE_ARTICLE_JOURNAL);
	cwt_free_records(back, n);
	free(html);
	cw_record_free(r);
	cwt_diags_free(&d);
	cwt_diags_free(&d2);
	cwt_diags_free(&d3);
}

Test(dc_html, page_to_oai_dc)
{
	size_t len;
	char *data = page("ojs-article.html", &len);
	cwt_result res;
	cwt_convert(&res, "html-meta", "dc", data, len, NULL, NULL, NULL);
	cr_assert_eq(res.status, 0, "%s", cw_buf_str(&res.diags.text));
	cr_expect(strstr(res.output, "<dc:source>Central Asia and the Caucasus; Vol. 9 No. 1 "
	                             "(2008); 112-124</dc:source>"),
	          "%s", res.output);
	/* the page's own wording of the DOI is kept */
	cr_expect(strstr(res.output, "<dc:identifier>10.37178/ca-c.2008.9.1.112</dc:identifier>"));
	cwt_result_free(&res);
	free(data);
}

Test(dc_html, one_article_per_page)
{
	size_t len;
	char *data = page("ojs-article.html", &len);
	cwt_diags d = {0};
	cw_record **recs = NULL;
	size_t n = cwt_read_records("html-meta", data, len, &recs, &d, NULL);
	cr_assert_eq(n, 1);
	cw_record *two[2] = {recs[0], recs[0]};
	cwt_diags d2 = {0};
	char *out = cwt_write_records("html-meta", two, 2, &d2, NULL);
	cr_expect_geq(cwt_diags_count(&d2, CW_SEV_ERROR), 1);
	free(out);
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
	cwt_diags_free(&d2);
	free(data);
}
