/*
 * JATS inside OAI-PMH: PMC's responses (metadataPrefix=pmc) wrap namespaced
 * JATS 1.3 articles in GetRecord/ListRecords; each record is read as one
 * article, one at a time; deleted records, OAI errors and resumption tokens
 * are notes; the probe recognises such a response as JATS. The fixtures in
 * tests/jats/oai are made up in the public shape of PMC's OAI service.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

static char *fixture(const char *name, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/jats/oai/%s", cwt_source_dir(), name);
	char *data = cwt_read_file(path, len);
	cr_assert(data, "missing fixture %s", path);
	return data;
}

Test(jats_oai, getrecord_is_one_article)
{
	size_t len;
	char *data = fixture("pmc-getrecord.xml", &len);
	cw_record **recs;
	cwt_diags d = {0};
	size_t n = cwt_read_records("jats", data, len, &recs, &d, NULL);
	cr_assert_eq(n, 1, "%s", cw_buf_str(&d.text));
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_WARNING), 0, "%s", cw_buf_str(&d.text));
	const cw_record *r = recs[0];
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_ID), "oai:pubmedcentral.nih.gov:9000001");
	cr_expect_eq(cw_record_type(r), CW_TYPE_ARTICLE_JOURNAL);
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_ARTICLE_TYPE), "research-article");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_DOI), "10.5555/exampl.2024.001");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_PMCID), "PMC9000001");
	/* the default JATS namespace changes nothing: MathML, xlink, ali, xml:lang */
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_TITLE), "Counting \x01k\x02-mers in O(n) time");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_SUBTITLE), "a worked example");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_LANGUAGE), "en");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_LICENSE_URL),
	                 "https://creativecommons.org/licenses/by/4.0/");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_ARTICLE_NUMBER), "e1001");
	cr_expect_eq(cw_record_item_count(r, CW_FIELD_KEYWORDS), 2);
	cr_expect_eq(cw_record_affiliation_count(r), 1);
	const cw_passthrough *ds = cw_record_find_passthrough(r, "jats", "oai:datestamp");
	cr_assert(ds);
	cr_expect_str_eq(ds->value, "2024-01-15");
	/* its reference: the mixed and the element citation are one */
	cr_assert_eq(cw_record_child_count(r), 1);
	const cw_record *c = cw_record_child(r, 0);
	cr_expect_str_eq(cw_record_text(c, CW_FIELD_TITLE), "Counting things");
	cr_expect(cw_record_has(c, CW_FIELD_ORIGINAL_CITATION));
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
	free(data);
}

Test(jats_oai, listrecords_streams_articles_and_skips_deleted_records)
{
	size_t len;
	char *data = fixture("pmc-listrecords.xml", &len);
	cw_record **recs;
	cwt_diags d = {0};
	size_t n = cwt_read_records("jats", data, len, &recs, &d, NULL);
	cr_assert_eq(n, 2, "%s", cw_buf_str(&d.text));
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_WARNING), 0, "%s", cw_buf_str(&d.text));
	cr_expect_str_eq(cw_record_text(recs[0], CW_FIELD_ID), "oai:pubmedcentral.nih.gov:9000002");
	cr_expect_eq(cw_record_type(recs[0]), CW_TYPE_REVIEW_BOOK);
	cr_expect_eq(cw_record_child_count(recs[0]), 1);
	cr_expect_str_eq(cw_record_text(recs[1], CW_FIELD_ID), "oai:pubmedcentral.nih.gov:9000004");
	cr_expect_str_eq(cw_record_text(recs[1], CW_FIELD_ARTICLE_TYPE), "correction");
	/* the deleted record and the resumption token are notes, located */
	int deleted = 0, token = 0;
	for (size_t i = 0; i < d.n; i++) {
		if (strstr(d.items[i].message, "deleted")) {
			deleted++;
			cr_expect_str_eq(d.items[i].record, "oai:pubmedcentral.nih.gov:9000003");
			cr_expect(d.items[i].line > 0);
		}
		token += strstr(d.items[i].message, "resumption token") != NULL;
	}
	cr_expect_eq(deleted, 1, "%s", cw_buf_str(&d.text));
	cr_expect_eq(token, 1, "%s", cw_buf_str(&d.text));
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
	free(data);
}

/* The format the registry picks for bytes without a telling file name. */
static const char *detected(const char *data, size_t len)
{
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_memory(&in, data, len, NULL), CW_OK);
	const cw_format *f = NULL;
	cw_buf why = CW_BUF_INIT;
	int rc = cw_registry_detect_input(&f, cwt_registry(), in, NULL, &why);
	cw_istream_close(in);
	cw_buf_free(&why);
	return rc == CW_OK && f ? f->name : "(none)";
}

Test(jats_oai, probe_recognises_pmc_responses_as_jats)
{
	static const char *const files[] = {"pmc-getrecord.xml", "pmc-listrecords.xml"};
	for (size_t i = 0; i < 2; i++) {
		size_t len;
		char *data = fixture(files[i], &len);
		cr_expect_str_eq(detected(data, len), "jats", "%s", files[i]);
		free(data);
	}
}

/* An oai_dc response of the corpus stays Dublin Core's. */
Test(jats_oai_corpus, probe_leaves_oai_dc_responses_alone)
{
	char path[4096];
	CWT_CORPUS("dc/responses/sickle-ListRecords.xml", path);
	size_t len;
	char *data = cwt_read_file(path, &len);
	cr_assert(data, "%s", path);
	const cw_format *jats = cw_registry_find_format(cwt_registry(), "jats");
	unsigned char buf[CW_PROBE_MAX + CW_PROBE_PADDING] = {0};
	size_t n = len < CW_PROBE_MAX ? len : CW_PROBE_MAX;
	memcpy(buf, data, n);
	cw_probe_input in = {sizeof in, buf, n, NULL};
	cr_expect_eq(jats->probe(&in), CW_PROBE_NONE);
	free(data);
}

Test(jats_oai, errors_and_foreign_metadata)
{
	/* noRecordsMatch: nothing to read, and no error */
	const char *none =
	    "<OAI-PMH "
	    "xmlns=\"http://www.openarchives.org/OAI/2.0/\"><responseDate>2024-01-01T00:00:00Z"
	    "</responseDate><request verb=\"ListRecords\" "
	    "metadataPrefix=\"pmc\">https://x</request>"
	    "<error code=\"noRecordsMatch\">No records match</error></OAI-PMH>";
	cw_record **recs = NULL;
	cwt_diags d = {0};
	size_t n = cwt_read_records("jats", none, strlen(none), &recs, &d, NULL);
	cr_expect_eq(n, 0);
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_WARNING), 0, "%s", cw_buf_str(&d.text));
	cr_expect(strstr(cw_buf_str(&d.text), "noRecordsMatch"), "%s", cw_buf_str(&d.text));
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
	/* oai_dc metadata is not JATS: a located error for that record, the next one is read */
	const char *dc =
	    "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\">\n<ListRecords>\n"
	    "<record><header><identifier>oai:x:1</identifier></header><metadata>\n"
	    "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\"/>"
	    "</metadata></record>\n"
	    "<record><header><identifier>oai:x:2</identifier></header><metadata>"
	    "<article><front><article-meta><title-group><article-title>T</article-title>"
	    "</title-group></article-meta></front></article></metadata></record>\n"
	    "</ListRecords></OAI-PMH>";
	memset(&d, 0, sizeof d);
	n = cwt_read_records("jats", dc, strlen(dc), &recs, &d, NULL);
	cr_expect_eq(n, 1, "%s", cw_buf_str(&d.text));
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_ERROR), 1, "%s", cw_buf_str(&d.text));
	cr_expect(strstr(cw_buf_str(&d.text), "metadataPrefix=pmc"), "%s", cw_buf_str(&d.text));
	cr_expect(d.n && d.items[0].line == 4, "%s", cw_buf_str(&d.text));
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
	/* another OAI-PMH verb has no records */
	const char *ident = "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><Identify>"
	                    "<repositoryName>x</repositoryName></Identify></OAI-PMH>";
	memset(&d, 0, sizeof d);
	n = cwt_read_records("jats", ident, strlen(ident), &recs, &d, NULL);
	cr_expect_eq(n, 0);
	cr_expect(strstr(cw_buf_str(&d.text), "without records"), "%s", cw_buf_str(&d.text));
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
}

Test(jats_oai, many_records_stream_in_order)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(
	    &b,
	    "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><request "
	    "verb=\"ListRecords\" metadataPrefix=\"pmc\">https://x</request><ListRecords>",
	    CW_NUL);
	for (int i = 0; i < 3000; i++)
		cw_buf_printf(&b,
		              "<record><header%s><identifier>oai:x:%d</identifier></header>%s"
		              "</record>\n",
		              i % 3 == 2 ? " status=\"deleted\"" : "", i,
		              i % 3 == 2 ? ""
		                         : "<metadata><article xmlns=\"https://jats.nlm.nih.gov/ns/"
		                           "archiving/1.3/\"><front><article-meta><title-group>"
		                           "<article-title>T</article-title></title-group>"
		                           "</article-meta></front></article></metadata>");
	cw_buf_append(&b, "</ListRecords></OAI-PMH>", CW_NUL);
	cw_record **recs;
	cwt_diags d = {0};
	size_t n = cwt_read_records("jats", b.data, b.len, &recs, &d, NULL);
	cr_expect_eq(n, 2000, "%s", cw_buf_str(&d.text));
	cr_expect_str_eq(cw_record_text(recs[1], CW_FIELD_ID), "oai:x:1");
	cr_expect_str_eq(cw_record_text(recs[2], CW_FIELD_ID), "oai:x:3");
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_WARNING), 0);
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
	cw_buf_free(&b);
}
