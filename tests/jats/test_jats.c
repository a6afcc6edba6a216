/*
 * JATS plugin behaviour: mapping details, the references filter, ref-list
 * fragments, safe XML (bombs, external entities, depth, attributes, huge
 * text), recoverable faults as located warnings, and the seed example.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cw_test.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t read_one(const char *xml, cw_record ***recs, cwt_diags *d)
{
	return cwt_read_records("jats", xml, strlen(xml), recs, d, NULL);
}

static const char *minimal_article =
    "<?xml version=\"1.0\"?>\n"
    "<article xmlns:xlink=\"http://www.w3.org/1999/xlink\" article-type=\"research-article\" "
    "xml:lang=\"en\">\n"
    "<front><journal-meta><journal-id journal-id-type=\"nlm-ta\">J Test</journal-id>"
    "<journal-title-group><journal-title>Journal of <italic>Tests</italic></journal-title>"
    "<abbrev-journal-title>J Test</abbrev-journal-title></journal-title-group>"
    "<issn pub-type=\"ppub\">1234-5678</issn><issn pub-type=\"epub\">8765-4321</issn>"
    "<publisher><publisher-name>Test Press</publisher-name><publisher-loc>Almaty</publisher-loc>"
    "</publisher></journal-meta>\n"
    "<article-meta><article-id pub-id-type=\"doi\">10.1000/xyz</article-id>"
    "<article-id pub-id-type=\"pmid\">123</article-id><article-id "
    "pub-id-type=\"pmc\">456</article-id>"
    "<article-categories><subj-group subj-group-type=\"heading\"><subject>Politics</subject>"
    "</subj-group></article-categories>"
    "<title-group><article-title>A title with H<sub>2</sub>O<xref ref-type=\"fn\" "
    "rid=\"f1\">*</xref>"
    "</article-title><subtitle>and a subtitle</subtitle></title-group>\n"
    "<contrib-group><contrib contrib-type=\"author\" corresp=\"yes\">"
    "<contrib-id contrib-id-type=\"orcid\">http://orcid.org/0000-0002-1825-0097</contrib-id>"
    "<name><surname>Smith</surname><given-names>Jane</given-names></name>"
    "<degrees>PhD</degrees><email>j@example.org</email><xref ref-type=\"aff\" rid=\"a1\">1</xref>"
    "</contrib><contrib contrib-type=\"editor\"><string-name>Bob Editor</string-name></contrib>"
    "<aff id=\"a1\"><label>1</label><institution content-type=\"dept\">Dept of X</institution>, "
    "<institution>Univ of Y</institution>, <city>Almaty</city>, "
    "<country country=\"KZ\">Kazakhstan</country></aff></contrib-group>\n"
    "<pub-date pub-type=\"epub\"><day>29</day><month>02</month><year>2008</year></pub-date>"
    "<pub-date pub-type=\"collection\"><season>Spring</season><year>2008</year></pub-date>"
    "<volume>9</volume><issue>1</issue><fpage>112</fpage><lpage>124</lpage>"
    "<history><date date-type=\"received\"><day>1</day><month>1</month><year>2007</year></date>"
    "</history>"
    "<permissions><copyright-statement>(c) 2008</copyright-statement>"
    "<license xlink:href=\"https://creativecommons.org/licenses/by/4.0/\"><license-p>CC "
    "BY</license-p>"
    "</license></permissions>"
    "<abstract><sec><title>Background</title><p>One "
    "<bold>two</bold>.</p></sec><p>Three.</p></abstract>"
    "<trans-abstract xml:lang=\"ru\"><p>Tri.</p></trans-abstract>"
    "<kwd-group kwd-group-type=\"author\"><kwd>Russia</kwd><kwd>Kazakhstan</kwd></kwd-group>"
    "<funding-group><award-group><funding-source>Agency</funding-source><award-id>A-1</award-id>"
    "</award-group></funding-group>"
    "</article-meta></front>\n"
    "<back><ref-list><ref id=\"r1\"><label>1</label><element-citation publication-type=\"journal\">"
    "<person-group "
    "person-group-type=\"author\"><name><surname>Doe</surname><given-names>J</given-names>"
    "</name><etal/></person-group><article-title>Paper</article-title><source>Journal</source>"
    "<year>2004a</year><volume>3</volume><fpage>5</fpage><lpage>9</lpage>"
    "<pub-id pub-id-type=\"doi\">10.1000/ref1</pub-id></element-citation></ref>\n"
    "<ref id=\"r2\"><mixed-citation>Doe J. <italic>A Book</italic>. 2001.</mixed-citation></ref>\n"
    "<ref id=\"r3\"><element-citation publication-type=\"book\"><source>Book One</source>"
    "<year>1999</year></element-citation><element-citation publication-type=\"book\">"
    "<source>Book Two</source><year>2000</year></element-citation></ref>\n"
    "<ref id=\"r4\"><citation-alternatives><element-citation publication-type=\"journal\">"
    "<article-title>Alt</article-title><source>S</source><year>2010</year></element-citation>"
    "<mixed-citation>Alt. S. 2010.</mixed-citation></citation-alternatives></ref>"
    "</ref-list></back></article>\n";

Test(jats, front_matter_maps_to_fields)
{
	cw_record **recs;
	cwt_diags d = {0};
	cr_assert_eq(read_one(minimal_article, &recs, &d), 1, "%s", cw_buf_str(&d.text));
	const cw_record *r = recs[0];
	cr_expect_eq(cw_record_type(r), CW_TYPE_ARTICLE_JOURNAL);
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_DOI), "10.1000/xyz");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_PMID), "123");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_PMCID), "PMC456");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_ISSN), "1234-5678");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_ISSN_ELECTRONIC), "8765-4321");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_PUBLISHER_PLACE), "Almaty");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_CONTAINER_TITLE_SHORT), "J Test");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_SECTION), "Politics");
	/* article-type chooses the type and is kept as the source's word, never a genre */
	cr_expect_null(cw_record_text(r, CW_FIELD_GENRE));
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_ARTICLE_TYPE), "research-article");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_LANGUAGE), "en");
	/* markup kept, footnote marker dropped */
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_TITLE), "A title with H\x07"
	                                                    "2\x08O");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_SUBTITLE), "and a subtitle");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_PAGE), "112-124");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_PAGE_FIRST), "112");
	cr_assert_eq(cw_record_name_count(r, CW_FIELD_AUTHOR), 1);
	const cw_name *a = cw_record_name(r, CW_FIELD_AUTHOR, 0);
	cr_expect_str_eq(a->family, "Smith");
	cr_expect_str_eq(a->orcid, "https://orcid.org/0000-0002-1825-0097");
	cr_expect_str_eq(a->degrees, "PhD");
	cr_expect(a->flags & CW_NAME_CORRESPONDING);
	cr_assert_eq(a->affiliation_count, 1);
	const cw_affiliation *af = cw_record_affiliation_by_id(r, a->affiliation_ids[0]);
	cr_assert(af);
	cr_expect_str_eq(af->text, "Dept of X, Univ of Y, Almaty, Kazakhstan");
	cr_expect_str_eq(af->institution, "Univ of Y");
	cr_expect_str_eq(af->department, "Dept of X");
	cr_expect_str_eq(af->country_code, "KZ");
	cr_assert_eq(cw_record_name_count(r, CW_FIELD_EDITOR), 1);
	cr_expect_str_eq(cw_record_name(r, CW_FIELD_EDITOR, 0)->literal, "Bob Editor");
	/* the collection date is the citation date; epub is the online date */
	const cw_date *is = cw_record_date(r, CW_FIELD_ISSUED);
	cr_assert(is);
	cr_expect_eq(is->year, 2008);
	cr_expect_str_eq(is->season, "Spring");
	const cw_date *on = cw_record_date(r, CW_FIELD_PUBLISHED_ONLINE);
	cr_assert(on);
	cr_expect_eq(on->parts, 3);
	cr_expect_eq(on->day, 29);
	cr_expect(cw_record_date(r, CW_FIELD_RECEIVED) != NULL);
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_LICENSE_URL),
	                 "https://creativecommons.org/licenses/by/4.0/");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_ABSTRACT),
	                 "\x03"
	                 "Background\x04\nOne \x03two\x04.\nThree.");
	cr_assert_eq(cw_record_item_count(r, CW_FIELD_ABSTRACTS), 1);
	cr_expect_str_eq(cw_record_item(r, CW_FIELD_ABSTRACTS, 0)->lang, "ru");
	cr_expect_eq(cw_record_item_count(r, CW_FIELD_KEYWORDS), 2);
	cr_assert_eq(cw_record_funding_count(r), 1);
	cr_expect_str_eq(cw_record_funding(r, 0)->award_id, "A-1");
	cwt_free_records(recs, 1);
	cwt_diags_free(&d);
}

/* A day its month does not have is dropped with the reason; year and month stay. */
Test(jats, impossible_day_is_dropped_with_the_reason)
{
	const char *xml = "<article><front><article-meta><title-group><article-title>T"
	                  "</article-title></title-group>\n"
	                  "<pub-date pub-type=\"epub\"><day>30</day><month>02</month>"
	                  "<year>2008</year></pub-date></article-meta></front></article>";
	cw_record **recs;
	cwt_diags d = {0};
	cr_assert_eq(read_one(xml, &recs, &d), 1);
	const cw_date *issued = cw_record_date(recs[0], CW_FIELD_ISSUED);
	cr_assert_not_null(issued);
	cr_expect_eq(issued->parts, 2);
	cr_expect_eq(issued->year, 2008);
	cr_expect_eq(issued->month, 2);
	cr_expect_not_null(strstr(cw_buf_str(&d.text),
	                          "<pub-date>: day '30' dropped: there is no 30 February 2008"),
	                   "%s", cw_buf_str(&d.text));
	cwt_free_records(recs, 1);
	cwt_diags_free(&d);
}

Test(jats, references_become_children)
{
	cw_record **recs;
	cwt_diags d = {0};
	cr_assert_eq(read_one(minimal_article, &recs, &d), 1);
	const cw_record *r = recs[0];
	/* r3 holds two citations: two records; r4's alternatives are one */
	cr_assert_eq(cw_record_child_count(r), 5);
	const cw_record *c1 = cw_record_child(r, 0);
	cr_expect_eq(cw_record_type(c1), CW_TYPE_ARTICLE_JOURNAL);
	cr_expect_str_eq(cw_record_text(c1, CW_FIELD_ID), "r1");
	cr_expect_str_eq(cw_record_text(c1, CW_FIELD_CITATION_LABEL), "1");
	cr_expect_str_eq(cw_record_text(c1, CW_FIELD_DOI), "10.1000/ref1");
	cr_expect_str_eq(cw_record_text(c1, CW_FIELD_PAGE), "5-9");
	cr_expect_str_eq(cw_record_text(c1, CW_FIELD_YEAR_SUFFIX), "a");
	cr_expect_eq(cw_record_date(c1, CW_FIELD_ISSUED)->year, 2004);
	cr_assert_eq(cw_record_name_count(c1, CW_FIELD_AUTHOR), 2);
	cr_expect(cw_record_name(c1, CW_FIELD_AUTHOR, 1)->flags & CW_NAME_ETAL);
	const cw_record *c2 = cw_record_child(r, 1);
	cr_expect_str_eq(cw_record_text(c2, CW_FIELD_ORIGINAL_CITATION), "Doe J. \x01"
	                                                                 "A Book\x02. 2001.");
	const cw_record *c3 = cw_record_child(r, 2), *c4 = cw_record_child(r, 3);
	cr_expect_eq(cw_record_type(c3), CW_TYPE_BOOK);
	cr_expect_str_eq(cw_record_text(c3, CW_FIELD_TITLE), "Book One");
	cr_expect_str_eq(cw_record_text(c4, CW_FIELD_ID), "r3-2");
	const cw_record *c5 = cw_record_child(r, 4);
	cr_expect_str_eq(cw_record_text(c5, CW_FIELD_TITLE), "Alt");
	cr_expect_str_eq(cw_record_text(c5, CW_FIELD_ORIGINAL_CITATION), "Alt. S. 2010.");
	cwt_free_records(recs, 1);
	cwt_diags_free(&d);
}

Test(jats, references_filter_replaces_the_article)
{
	cwt_result res;
	const char *filters[] = {"references", NULL};
	cwt_convert(&res, "jats", "csljson", minimal_article, strlen(minimal_article), NULL, NULL,
	            filters);
	cr_assert_eq(res.status, CW_OK, "%s", cw_buf_str(&res.diags.text));
	cr_expect_eq(res.stats.records_written, 5);
	/* the ref's own id is only unique within its article: it travels as the source id */
	cr_expect(strstr(res.output, "\"source-id\": \"r3-2\""), "%s", res.output);
	cr_expect(!strstr(res.output, "\"id\": \"r3-2\""), "%s", res.output);
	cr_expect(!strstr(res.output, "A title with"), "the article itself is gone");
	cwt_result_free(&res);
}

Test(jats_writer_corpus, several_records_become_a_valid_ref_list)
{
	char root[4096];
	CWT_CORPUS("csljson/better-bibtex", root);
	size_t n;
	char **files = cwt_list_files(root, ".json", &n);
	cr_assert(n > 0);
	cwt_require_tool("xmllint");
	char dtd[4096];
	CWT_CORPUS("jats/schema/1.3/JATS-journalpublishing1-3-mathml3.dtd", dtd);
	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *data = cwt_read_file(files[i], &len);
		const char *wopts[] = {"jats-fragment=ref-list", NULL};
		cwt_result res;
		cwt_convert(&res, "csljson", "jats", data, len, NULL, wopts, NULL);
		if (res.status == CW_OK && res.output_len) {
			cr_expect(strstr(res.output, "<ref-list") != NULL, "%s", files[i]);
			char path[4300];
			snprintf(path, sizeof path, "%s/frag-%zu.xml", cwt_tmpdir(), i);
			cwt_write_file(path, res.output, res.output_len);
			cw_buf cmd = CW_BUF_INIT, out = CW_BUF_INIT;
			cw_buf_printf(&cmd, "xmllint --noout --nonet --dtdvalid '%s' '%s' 2>&1",
			              dtd, path);
			int rc = cwt_run(cmd.data, &out);
			cr_expect_eq(rc, 0, "%s -> ref-list is not valid:\n%s", files[i],
			             cw_buf_str(&out));
			cw_buf_free(&cmd);
			cw_buf_free(&out);
		}
		cwt_result_free(&res);
		free(data);
	}
	cwt_free_list(files, n);
}

Test(jats_writer_corpus, bibtex_to_ref_list_validates)
{
	cw_registry *reg = cwt_registry();
	if (!cw_registry_find_format(reg, "bibtex"))
		cr_skip_test("skipped: the bibtex plugin is not in this build");
	char root[4096];
	CWT_CORPUS("bibtex/citation-js", root);
	size_t n;
	char **files = cwt_list_files(root, ".bib", &n);
	char dtd[4096];
	CWT_CORPUS("jats/schema/1.3/JATS-journalpublishing1-3-mathml3.dtd", dtd);
	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *data = cwt_read_file(files[i], &len);
		const char *wopts[] = {"jats-fragment=ref-list", NULL};
		cwt_result res;
		cwt_convert(&res, "bibtex", "jats", data, len, NULL, wopts, NULL);
		if (res.output_len) {
			char path[4300];
			snprintf(path, sizeof path, "%s/bib-%zu.xml", cwt_tmpdir(), i);
			cwt_write_file(path, res.output, res.output_len);
			cw_buf cmd = CW_BUF_INIT, out = CW_BUF_INIT;
			cw_buf_printf(&cmd, "xmllint --noout --nonet --dtdvalid '%s' '%s' 2>&1",
			              dtd, path);
			cr_expect_eq(cwt_run(cmd.data, &out), 0, "%s:\n%s", files[i],
			             cw_buf_str(&out));
			cw_buf_free(&cmd);
			cw_buf_free(&out);
		}
		cwt_result_free(&res);
		free(data);
	}
	cwt_free_list(files, n);
}

Test(jats, pmc_articleset_streams_articles)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "<pmc-articleset>", CW_NUL);
	for (int i = 0; i < 3; i++)
		cw_buf_printf(&b,
		              "<article><front><article-meta><title-group><article-title>T%d"
		              "</article-title></title-group></article-meta></front></article>",
		              i);
	cw_buf_append(&b, "</pmc-articleset>", CW_NUL);
	cw_record **recs;
	cwt_diags d = {0};
	size_t n = cwt_read_records("jats", b.data, b.len, &recs, &d, NULL);
	cr_assert_eq(n, 3, "%s", cw_buf_str(&d.text));
	cr_expect_str_eq(cw_record_text(recs[2], CW_FIELD_TITLE), "T2");
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
	cw_buf_free(&b);
}

Test(jats, unbound_prefix_is_a_located_warning)
{
	const char *xml =
	    "<article><front><article-meta><title-group><article-title>T"
	    "</article-title></title-group>\n<self-uri xlink:href=\"http://x.org/a\"/>"
	    "</article-meta></front></article>";
	cw_record **recs;
	cwt_diags d = {0};
	cr_assert_eq(read_one(xml, &recs, &d), 1, "%s", cw_buf_str(&d.text));
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_ERROR), 0);
	cr_assert(cwt_diags_count(&d, CW_SEV_WARNING) >= 1);
	cr_expect_eq(d.items[0].line, 2);
	cr_expect(d.items[0].column > 0);
	cr_expect_str_eq(cw_record_text(recs[0], CW_FIELD_URL), "http://x.org/a");
	cwt_free_records(recs, 1);
	cwt_diags_free(&d);
}

/* Runs a hostile input: it must fail with a located error, quickly. */
static void expect_rejected(const char *xml, size_t len, const char *what, const char *needle)
{
	cw_record **recs = NULL;
	cwt_diags d = {0};
	double t0 = now();
	size_t n = cwt_read_records("jats", xml, len, &recs, &d, NULL);
	double dt = now() - t0;
	cr_expect_eq(n, 0, "%s: %zu records", what, n);
	cr_expect(cwt_diags_count(&d, CW_SEV_ERROR) >= 1, "%s: no error\n%s", what,
	          cw_buf_str(&d.text));
	cr_expect(dt < 2.0, "%s took %.2f s", what, dt);
	if (needle)
		cr_expect(strstr(cw_buf_str(&d.text), needle), "%s: message lacks '%s':\n%s", what,
		          needle, cw_buf_str(&d.text));
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
}

Test(jats_safety, billion_laughs)
{
	const char *xml =
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE article [\n<!ENTITY a0 \"lol\">\n"
	    "<!ENTITY a1 \"&a0;&a0;&a0;&a0;&a0;&a0;&a0;&a0;&a0;&a0;\">\n"
	    "<!ENTITY a2 \"&a1;&a1;&a1;&a1;&a1;&a1;&a1;&a1;&a1;&a1;\">\n"
	    "<!ENTITY a3 \"&a2;&a2;&a2;&a2;&a2;&a2;&a2;&a2;&a2;&a2;\">\n"
	    "<!ENTITY a4 \"&a3;&a3;&a3;&a3;&a3;&a3;&a3;&a3;&a3;&a3;\">\n"
	    "<!ENTITY a5 \"&a4;&a4;&a4;&a4;&a4;&a4;&a4;&a4;&a4;&a4;\">\n"
	    "<!ENTITY a6 \"&a5;&a5;&a5;&a5;&a5;&a5;&a5;&a5;&a5;&a5;\">\n"
	    "<!ENTITY a7 \"&a6;&a6;&a6;&a6;&a6;&a6;&a6;&a6;&a6;&a6;\">\n"
	    "<!ENTITY a8 \"&a7;&a7;&a7;&a7;&a7;&a7;&a7;&a7;&a7;&a7;\">\n"
	    "<!ENTITY a9 \"&a8;&a8;&a8;&a8;&a8;&a8;&a8;&a8;&a8;&a8;\">\n]>\n"
	    "<article><front><article-meta><title-group><article-title>&a9;</article-title>"
	    "</title-group></article-meta></front></article>\n";
	cw_record **recs = NULL;
	cwt_diags d = {0};
	double t0 = now();
	size_t n = cwt_read_records("jats", xml, strlen(xml), &recs, &d, NULL);
	double dt = now() - t0;
	cr_expect(dt < 2.0, "billion laughs took %.2f s", dt);
	/* either refused, or read without expanding: never a billion "lol"s */
	if (n == 1) {
		const char *t = cw_record_text(recs[0], CW_FIELD_TITLE);
		cr_expect(!t || strlen(t) < 1000, "entity expanded");
	} else {
		cr_expect(cwt_diags_count(&d, CW_SEV_ERROR) >= 1, "%s", cw_buf_str(&d.text));
	}
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
}

Test(jats_safety, external_entity_is_never_read)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/secret.txt", cwt_tmpdir());
	cwt_write_file(path, "TOPSECRET", 9);
	char xml[8192];
	snprintf(xml, sizeof xml,
	         "<?xml version=\"1.0\"?>\n<!DOCTYPE article [<!ENTITY x SYSTEM \"file://%s\">]>\n"
	         "<article><front><article-meta><title-group><article-title>A &x; B</article-title>"
	         "</title-group></article-meta></front></article>\n",
	         path);
	cw_record **recs = NULL;
	cwt_diags d = {0};
	size_t n = cwt_read_records("jats", xml, strlen(xml), &recs, &d, NULL);
	for (size_t i = 0; i < n; i++) {
		const char *t = cw_record_text(recs[i], CW_FIELD_TITLE);
		cr_expect(!t || !strstr(t, "TOPSECRET"), "external entity was loaded: %s", t);
	}
	cr_expect(!strstr(cw_buf_str(&d.text), "TOPSECRET"));
	cr_expect(cwt_diags_count(&d, CW_SEV_WARNING) >= 1, "the unexpanded entity is reported");
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
}

Test(jats_safety, external_dtd_is_never_fetched)
{
	const char *xml =
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE article PUBLIC \"-//NLM//DTD JATS (Z39.96) Journal "
	    "Archiving and Interchange DTD v1.1 20151215//EN\" "
	    "\"http://jats.nlm.nih.gov/archiving/1.1/JATS-archivearticle1.dtd\">\n"
	    "<article><front><article-meta><title-group><article-title>x&nbsp;y&mdash;z"
	    "</article-title></title-group></article-meta></front></article>\n";
	cw_record **recs = NULL;
	cwt_diags d = {0};
	double t0 = now();
	size_t n = cwt_read_records("jats", xml, strlen(xml), &recs, &d, NULL);
	cr_expect(now() - t0 < 1.0);
	cr_assert_eq(n, 1, "%s", cw_buf_str(&d.text));
	/* undeclared HTML entities map to their characters */
	cr_expect_str_eq(cw_record_text(recs[0], CW_FIELD_TITLE), "x\xc2\xa0y\xe2\x80\x94z");
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
}

Test(jats_safety, deep_nesting)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "<article><front><article-meta><title-group><article-title>", CW_NUL);
	for (int i = 0; i < 100000; i++)
		cw_buf_append(&b, "<italic>", CW_NUL);
	expect_rejected(b.data, b.len, "100k nested elements", NULL);
	cw_buf_free(&b);
}

Test(jats_safety, many_attributes)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "<article><front", CW_NUL);
	for (int i = 0; i < 200000; i++)
		cw_buf_printf(&b, " a%d=\"1\"", i);
	cw_buf_append(&b, "/></article>", CW_NUL);
	expect_rejected(b.data, b.len, "200k attributes", "attributes");
	cw_buf_free(&b);
}

/* Attributes of one element: the attributes limit, which names itself and can be raised. */
Test(jats_safety, attributes_limit)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "<article><front><article-meta><title-group>\n<article-title", CW_NUL);
	for (int i = 0; i < 300; i++)
		cw_buf_printf(&b, " a%d=\"1\"", i);
	cw_buf_append(&b, ">T</article-title></title-group></article-meta></front></article>\n",
	              CW_NUL);
	for (uint32_t limit = 256; limit <= 512; limit += 256) {
		cw_limits l = CW_LIMITS_INIT;
		l.max_attributes = limit;
		cw_istream *in = NULL;
		cr_assert_eq(cw_istream_open_memory(&in, b.data, b.len, "in.xml"), CW_OK);
		cwt_diags d = {0};
		cw_record **recs = NULL;
		size_t n = 0;
		cwt_read_stream("jats", in, &l, NULL, 0, &recs, &n, &d);
		if (limit == 256) {
			cr_expect_eq(n, 0);
			cr_expect(strstr(cw_buf_str(&d.text),
			                 "in.xml:2: error: more attributes on one "
			                 "element than the attributes limit (256)"),
			          "%s", cw_buf_str(&d.text));
			cwt_expect_limit_error(&d, "attributes");
		} else {
			cr_assert_eq(n, 1, "%s", cw_buf_str(&d.text));
			cr_expect_str_eq(cw_record_text(recs[0], CW_FIELD_TITLE), "T");
		}
		cwt_free_records(recs, n);
		cwt_diags_free(&d);
	}
	cw_buf_free(&b);
}

Test(jats_safety, huge_title_is_a_limit)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "<article><front><article-meta><title-group><article-title>", CW_NUL);
	for (int i = 0; i < 2 * 1024 * 1024 / 8; i++)
		cw_buf_append(&b, "abcdefg ", 8);
	cw_buf_append(&b, "</article-title></title-group></article-meta></front></article>",
	              CW_NUL);
	cw_record **recs = NULL;
	cwt_diags d = {0};
	size_t n = cwt_read_records("jats", b.data, b.len, &recs, &d, NULL);
	cr_expect_eq(n, 0);
	cr_expect(strstr(cw_buf_str(&d.text), "bytes of text"), "%s", cw_buf_str(&d.text));
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
	cw_buf_free(&b);
}

Test(jats_safety, not_jats_and_broken_xml)
{
	const char *html = "<html><body>x</body></html>";
	expect_rejected(html, strlen(html), "html root", "unexpected root element <html>");
	const char *trunc = "<article><front><article-meta>";
	expect_rejected(trunc, strlen(trunc), "truncated", NULL);
	const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03};
	expect_rejected((const char *)gz, sizeof gz, "gzip", NULL);
	expect_rejected("", 0, "empty", NULL);
}

Test(jats_safety, bad_dates_are_dropped_not_overflowed)
{
	const char *xml =
	    "<article><front><article-meta><title-group><article-title>T</article-title>"
	    "</title-group><pub-date pub-type=\"epub\"><day>-1</day><month>13</month>"
	    "<year>99999999999999999999</year></pub-date></article-meta></front></article>";
	cw_record **recs = NULL;
	cwt_diags d = {0};
	cr_assert_eq(read_one(xml, &recs, &d), 1);
	const cw_date *dt = cw_record_date(recs[0], CW_FIELD_ISSUED);
	cr_expect(!dt || dt->parts == 0, "an impossible year became a date");
	cwt_free_records(recs, 1);
	cwt_diags_free(&d);
}

Test(jats, seed_example_converts)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/examples/article.xml", cwt_source_dir());
	size_t len;
	char *data = cwt_read_file(path, &len);
	cr_assert(data, "examples/article.xml is missing");
	cw_record **recs;
	cwt_diags d = {0};
	cr_assert_eq(cwt_read_records("jats", data, len, &recs, &d, NULL), 1, "%s",
	             cw_buf_str(&d.text));
	/* its unstructured citations are parsed, which a note of each says */
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_WARNING), 0, "%s", cw_buf_str(&d.text));
	cr_expect(strstr(cw_buf_str(&d.text), "fields inferred from the reference text"), "%s",
	          cw_buf_str(&d.text));
	const cw_record *r = recs[0];
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_PAGE), "112-124");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_VOLUME), "9");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_ISSUE), "1");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_SECTION), "REGIONAL POLITICS");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_URL),
	                 "https://ca-c.org/CAC/index.php/cac/article/view/1169");
	cr_expect_eq(cw_record_name_count(r, CW_FIELD_AUTHOR), 2);
	cr_expect_eq(cw_record_affiliation_count(r), 2);
	cr_expect_eq(cw_record_child_count(r), 5);
	const cw_date *is = cw_record_date(r, CW_FIELD_ISSUED);
	cr_assert(is);
	cr_expect_eq(is->year, 2008);
	cr_expect_eq(is->month, 2);
	cr_expect_eq(is->day, 29);
	cwt_free_records(recs, 1);
	cwt_diags_free(&d);
	/* to every other format the build has */
	static const char *const to[] = {"csljson", "bibtex", "dc", "jats"};
	for (size_t i = 0; i < sizeof to / sizeof to[0]; i++) {
		if (!cw_registry_find_format(cwt_registry(), to[i]))
			continue;
		cwt_result res;
		cwt_convert(&res, "jats", to[i], data, len, NULL, NULL, NULL);
		cr_expect_eq(res.status, CW_OK, "seed -> %s\n%s", to[i],
		             cw_buf_str(&res.diags.text));
		cr_expect(res.output_len > 0);
		cwt_result_free(&res);
	}
	free(data);
}

Test(jats, probe_scores)
{
	const cw_format *f = cw_registry_find_format(cwt_registry(), "jats");
	cr_assert(f);
	const char *doctype =
	    "<!DOCTYPE article PUBLIC \"-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 "
	    "20210610//EN\" \"x.dtd\"><article>";
	unsigned char buf[512 + CW_PROBE_PADDING] = {0};
	memcpy(buf, doctype, strlen(doctype));
	cw_probe_input in = {sizeof in, buf, strlen(doctype), NULL};
	cr_expect_eq(f->probe(&in), CW_PROBE_CERTAIN);
	const char *dc = "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\">";
	memset(buf, 0, sizeof buf);
	memcpy(buf, dc, strlen(dc));
	in.size = strlen(dc);
	cr_expect_eq(f->probe(&in), CW_PROBE_NONE);
}

static const char *csl_item =
    "[{\"id\":\"gogh:1888\",\"type\":\"article-journal\",\"title\":\"Letters <i>to</i> Theo\","
    "\"container-title\":\"Art Journal\",\"author\":[{\"family\":\"Gogh\",\"given\":\"Vincent\","
    "\"non-dropping-particle\":\"van\"}],\"issued\":{\"date-parts\":[[1888,5]]},"
    "\"page\":\"1-3, 5\",\"note\":\"a note JATS has no place for\",\"DOI\":\"10.1/x\"}]";

Test(jats_writer, one_csl_item_is_an_article_with_losses_reported)
{
	cwt_result res;
	cwt_convert(&res, "csljson", "jats", csl_item, strlen(csl_item), NULL, NULL, NULL);
	cr_assert_eq(res.status, CW_OK, "%s", cw_buf_str(&res.diags.text));
	cr_expect(strstr(res.output, "<article "), "%s", res.output);
	cr_expect(strstr(res.output, "<surname>van Gogh</surname>"), "%s", res.output);
	cr_expect(
	    strstr(res.output, "<article-title>Letters <italic>to</italic> Theo</article-title>"),
	    "%s", res.output);
	cr_expect(strstr(res.output, "<fpage>1</fpage><page-range>1-3, 5</page-range>"), "%s",
	          res.output);
	cr_expect(strstr(res.output, "<article-id pub-id-type=\"doi\">10.1/x</article-id>"));
	int note = 0;
	for (size_t i = 0; i < res.diags.n; i++)
		note |= res.diags.items[i].kind == CW_DIAG_NOT_CARRIED &&
		        res.diags.items[i].field == CW_FIELD_NOTE;
	cr_expect(note, "note not reported as not carried:\n%s", cw_buf_str(&res.diags.text));
	cwt_result_free(&res);
}

/* The Journal Publishing DTD, which the corpus holds, takes that article. */
Test(jats_writer_corpus, one_csl_item_is_a_valid_article)
{
	char dtd[4096];
	CWT_CORPUS("jats/schema/1.3/JATS-journalpublishing1-3-mathml3.dtd", dtd);
	cwt_result res;
	cwt_convert(&res, "csljson", "jats", csl_item, strlen(csl_item), NULL, NULL, NULL);
	cr_assert_eq(res.status, CW_OK, "%s", cw_buf_str(&res.diags.text));
	char path[4300];
	snprintf(path, sizeof path, "%s/one-item.xml", cwt_tmpdir());
	cwt_write_file(path, res.output, res.output_len);
	cw_buf cmd = CW_BUF_INIT, out = CW_BUF_INIT;
	cw_buf_printf(
	    &cmd,
	    "xmllint --noout --nonet --dtdvalid '%s' '%s' 2>&1 | grep -v 'failed to load' "
	    "| grep -c error",
	    dtd, path);
	cwt_run(cmd.data, &out);
	cr_expect_eq(atoi(cw_buf_str(&out)), 0, "not valid: %s", path);
	cw_buf_free(&cmd);
	cw_buf_free(&out);
	cwt_result_free(&res);
}

Test(jats_writer, fragment_modes)
{
	const char *wo_ref[] = {"jats-fragment=ref-list", NULL};
	cwt_result res;
	cwt_convert(&res, "csljson", "jats", csl_item, strlen(csl_item), NULL, wo_ref, NULL);
	cr_assert_eq(res.status, CW_OK);
	cr_expect(
	    strncmp(res.output, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ref-list>", 49) == 0,
	    "%s", res.output);
	/* an XML ID cannot contain ':' */
	cr_expect(strstr(res.output, "<ref id=\"gogh-1888\">"), "%s", res.output);
	cr_expect(strstr(res.output, "<person-group person-group-type=\"author\">"));
	cwt_result_free(&res);
	/* two records in an article document: the second is refused */
	const char *two = "[{\"id\":\"a\",\"type\":\"book\",\"title\":\"A\"},"
	                  "{\"id\":\"a\",\"type\":\"book\",\"title\":\"B\"}]";
	const char *wo_art[] = {"jats-fragment=article", NULL};
	cwt_convert(&res, "csljson", "jats", two, strlen(two), NULL, wo_art, NULL);
	cr_expect(cwt_diags_count(&res.diags, CW_SEV_ERROR) >= 1, "%s",
	          cw_buf_str(&res.diags.text));
	cwt_result_free(&res);
	/* auto: two records are a ref-list, with unique ids */
	cwt_convert(&res, "csljson", "jats", two, strlen(two), NULL, NULL, NULL);
	cr_assert_eq(res.status, CW_OK, "%s", cw_buf_str(&res.diags.text));
	cr_expect(strstr(res.output, "<ref-list>"));
	cr_expect(strstr(res.output, "<ref id=\"a\">"));
	cr_expect(strstr(res.output, "<ref id=\"a-2\">"), "%s", res.output);
	cr_expect(
	    strstr(res.output, "<element-citation publication-type=\"book\"><source>B</source>"),
	    "%s", res.output);
	cwt_result_free(&res);
}
