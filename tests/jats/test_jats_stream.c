/*
 * The JATS reader walks each article instead of expanding it whole. The
 * record-bytes limit holds for an article and for an OAI-PMH record: a
 * located error naming the limit and its key, and the next record is still
 * read (the references filter already has the references before the limit).
 * The references filter, which the reader feeds one reference at a time,
 * gives what reading whole articles and taking their children gives. The
 * memory bound of that path is test_refs_memory.py.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

#define FRONT                                                                                      \
	"<front><article-meta><title-group><article-title>Article %d</article-title>"              \
	"</title-group><pub-date><year>2001</year></pub-date></article-meta></front>\n"

/* An <article> with nrefs references (about 200 bytes each) into b. */
static void put_article(cw_buf *b, int n, int nrefs, const char *xmlns)
{
	cw_buf_printf(b, "<article%s%s%s>\n", xmlns ? " xmlns=\"" : "", xmlns ? xmlns : "",
	              xmlns ? "\"" : "");
	cw_buf_printf(b, FRONT, n);
	cw_buf_printf(b, "<back><ref-list>\n");
	for (int i = 1; i <= nrefs; i++)
		cw_buf_printf(b,
		              "<ref id=\"a%d-r%d\"><element-citation publication-type=\"journal\">"
		              "<article-title>Reference %d of article %d</article-title><source>"
		              "Journal</source><year>1999</year><volume>%d</volume>"
		              "</element-citation></ref>\n",
		              n, i, i, n, i);
	cw_buf_printf(b, "</ref-list></back>\n</article>\n");
}

/* Converts xml (JATS) to CSL-JSON with record-bytes set, through the filters. */
static void convert_limited(cwt_result *r, const char *xml, uint64_t record_bytes,
                            const char *filter)
{
	cw_limits lim = CW_LIMITS_INIT;
	lim.max_record_bytes = record_bytes;
	const char *const filters[] = {filter, NULL};
	cwt_convert_limited(r, "jats", "csljson", xml, strlen(xml), NULL, NULL, filter ? filters : NULL,
	                    &lim);
}

/* The one error diagnostic, which must name the limit and its key. */
static const cwt_diag *limit_error(const cwt_result *r)
{
	const cwt_diag *hit = NULL;
	size_t errors = 0;
	for (size_t i = 0; i < r->diags.n; i++) {
		if (r->diags.items[i].severity < CW_SEV_ERROR)
			continue;
		errors++;
		hit = &r->diags.items[i];
	}
	cr_assert_eq(errors, 1, "%s", cw_buf_str(&r->diags.text));
	cr_expect(strstr(hit->message, "record-bytes limit (64 KiB)"), "%s", hit->message);
	cr_expect_eq(hit->code, CW_ELIMIT);
	return hit;
}

static const char *filters[] = {NULL, "references"};

Test(jats_stream, an_article_larger_than_record_bytes_is_a_located_error)
{
	cw_buf xml = CW_BUF_INIT;
	cw_buf_printf(&xml, "<?xml version=\"1.0\"?>\n");
	put_article(&xml, 1, 1000, NULL); /* about 200 KB */
	for (size_t f = 0; f < 2; f++) {
		cwt_result r;
		convert_limited(&r, xml.data, 64 * 1024, filters[f]);
		cr_expect_eq(r.status, CW_ERECORD, "%s", cw_buf_str(&r.diags.text));
		const cwt_diag *e = limit_error(&r);
		cr_expect_str_eq(e->message, "article larger than the record-bytes limit (64 KiB)");
		cr_expect_eq(e->line, 2, "the article's line");
		/* the references filter has the references before the limit, none after */
		if (filters[f])
			cr_expect(r.stats.records_written > 0 && r.stats.records_written < 1000,
			          "%llu", (unsigned long long)r.stats.records_written);
		else
			cr_expect_eq(r.stats.records_read, 0);
		cr_expect(!strstr(r.output, "Reference 1000 of"), "%s", r.output);
		cwt_result_free(&r);
	}
	/* under the limit it converts */
	cwt_result r;
	convert_limited(&r, xml.data, 1024 * 1024, NULL);
	cr_expect_eq(r.status, CW_OK, "%s", cw_buf_str(&r.diags.text));
	cr_expect_eq(r.stats.records_written, 1);
	cwt_result_free(&r);
	cw_buf_free(&xml);
}

Test(jats_stream, the_articles_around_one_too_large_are_read)
{
	cw_buf xml = CW_BUF_INIT;
	cw_buf_printf(&xml, "<pmc-articleset>\n");
	put_article(&xml, 1, 3, NULL);
	put_article(&xml, 2, 1000, NULL);
	put_article(&xml, 3, 2, NULL);
	cw_buf_printf(&xml, "</pmc-articleset>\n");
	for (size_t f = 0; f < 2; f++) {
		cwt_result r;
		convert_limited(&r, xml.data, 64 * 1024, filters[f]);
		cr_expect_eq(r.status, CW_ERECORD, "%s", cw_buf_str(&r.diags.text));
		limit_error(&r);
		cr_expect(strstr(r.output, "Article 1") ||
		              strstr(r.output, "Reference 3 of article 1"),
		          "%s", r.output);
		cr_expect(strstr(r.output, "Article 3") ||
		              strstr(r.output, "Reference 2 of article 3"),
		          "%s", r.output);
		cr_expect(!strstr(r.output, "Article 2"), "%s", r.output);
		cr_expect(!strstr(r.output, "Reference 1000 of article 2"), "%s", r.output);
		if (filters[f])
			cr_expect(r.stats.records_written >= 5 && r.stats.records_written < 1000,
			          "%llu", (unsigned long long)r.stats.records_written);
		else
			cr_expect_eq(r.stats.records_written, 2);
		cwt_result_free(&r);
	}
	cw_buf_free(&xml);
}

Test(jats_stream, an_oai_record_larger_than_record_bytes_lets_the_next_be_read)
{
	const char *ns = "https://jats.nlm.nih.gov/ns/archiving/1.3/";
	cw_buf xml = CW_BUF_INIT;
	cw_buf_printf(&xml, "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\">"
	                    "<ListRecords>\n");
	for (int n = 1; n <= 3; n++) {
		cw_buf_printf(&xml,
		              "<record><header><identifier>oai:test:%d</identifier>"
		              "<datestamp>2024-01-0%d</datestamp></header><metadata>\n",
		              n, n);
		put_article(&xml, n, n == 2 ? 1000 : 2, ns);
		cw_buf_printf(&xml, "</metadata></record>\n");
	}
	cw_buf_printf(&xml, "</ListRecords></OAI-PMH>\n");
	for (size_t f = 0; f < 2; f++) {
		cwt_result r;
		convert_limited(&r, xml.data, 64 * 1024, filters[f]);
		cr_expect_eq(r.status, CW_ERECORD, "%s", cw_buf_str(&r.diags.text));
		const cwt_diag *e = limit_error(&r);
		cr_expect(strncmp(e->message, "OAI-PMH record larger than", 26) == 0, "%s",
		          e->message);
		cr_expect_str_eq(e->record, "oai:test:2");
		cr_expect(!strstr(r.output, "Article 2"), "%s", r.output);
		cr_expect(!strstr(r.output, "Reference 1000 of article 2"), "%s", r.output);
		if (filters[f])
			cr_expect(r.stats.records_written >= 4 && r.stats.records_written < 1000,
			          "%llu", (unsigned long long)r.stats.records_written);
		else
			cr_expect_eq(r.stats.records_written, 2);
		if (!filters[f]) {
			cr_expect(strstr(r.output, "Article 1"), "%s", r.output);
			cr_expect(strstr(r.output, "Article 3"), "the record after the large one");
		} else {
			cr_expect(strstr(r.output, "Reference 2 of article 3"), "%s", r.output);
		}
		cwt_result_free(&r);
	}
	cw_buf_free(&xml);
}

Test(jats_stream, the_cli_refuses_an_article_over_record_bytes)
{
	const char *cw = getenv("CW_CROSSWALK");
	cr_assert(cw, "CW_CROSSWALK is not set");
	cw_buf xml = CW_BUF_INIT;
	put_article(&xml, 1, 1000, NULL);
	char path[4200];
	snprintf(path, sizeof path, "%s/big.xml", cwt_tmpdir());
	cr_assert_eq(cwt_write_file(path, xml.data, xml.len), 0);
	cw_buf cmd = CW_BUF_INIT, out = CW_BUF_INIT;
	cw_buf_printf(&cmd, "'%s' convert --limit record-bytes=64K '%s' -t csljson -o '%s.json'",
	              cw, path, path);
	int rc = cwt_run(cmd.data, &out);
	cr_expect_neq(rc, 0, "%s", cw_buf_str(&out));
	cr_expect(strstr(cw_buf_str(&out),
	                 "big.xml:1: error: article larger than the record-bytes limit (64 KiB); "
	                 "raise it with --limit record-bytes=N\n"),
	          "%s", cw_buf_str(&out));
	cw_buf_free(&cmd);
	cw_buf_free(&out);
	cw_buf_free(&xml);
}

/*
 * What the references filter writes when the reader hands it references one
 * at a time must be what reading whole articles and taking their children
 * gives: the records, in order, through the same writer.
 */
static void expect_same_references(const char *name, const char *data, size_t len, int keep)
{
	cwt_diags d = {0};
	cw_record **recs = NULL;
	size_t n = cwt_read_records("jats", data, len, &recs, &d, NULL);
	size_t cap = 16, m = 0;
	cw_record **flat = malloc(cap * sizeof *flat);
	for (size_t i = 0; i < n; i++) {
		cw_record **kids = NULL;
		size_t nk = 0;
		cr_assert_eq(cw_record_take_children(recs[i], &kids, &nk), CW_OK);
		if (m + nk + 1 > cap) {
			cap = (m + nk + 1) * 2;
			flat = realloc(flat, cap * sizeof *flat);
		}
		if (keep)
			flat[m++] = recs[i];
		else
			cw_record_free(recs[i]);
		for (size_t k = 0; k < nk; k++)
			flat[m++] = kids[k];
		cw_free(kids);
	}
	free(recs);
	cwt_diags wd = {0};
	char *want = cwt_write_records("csljson", flat, m, &wd, NULL);
	cwt_free_records(flat, m);
	const char *keep_filter[] = {"references", NULL};
	cwt_result r;
	cwt_convert(&r, "jats", "csljson", data, len, NULL, NULL, keep_filter);
	if (keep) {
		/* the filter option goes through a pipeline of our own */
		cwt_result_free(&r);
		memset(&r, 0, sizeof r);
		r.stats.struct_size = sizeof r.stats;
		cw_context *ctx = cwt_context(&r.diags);
		cw_registry *reg = cwt_registry();
		cw_istream *in = NULL;
		cw_ostream *out = NULL;
		cw_pipeline *p = NULL;
		cw_option opt = {"keep-article", "true"};
		cw_istream_open_memory(&in, data, len, "input");
		cw_ostream_open_memory(&out, "output");
		cw_pipeline_new(&p, ctx);
		cr_assert_eq(
		    cw_pipeline_set_reader(p, cw_registry_find_format(reg, "jats"), in, NULL, 0),
		    CW_OK);
		cr_assert_eq(
		    cw_pipeline_add_filter(p, cw_registry_find_filter(reg, "references"), &opt, 1),
		    CW_OK);
		cr_assert_eq(cw_pipeline_add_writer(p, cw_registry_find_format(reg, "csljson"), out,
		                                    NULL, 0),
		             CW_OK);
		r.status = cw_pipeline_run(p, &r.stats);
		cw_pipeline_free(p);
		size_t olen;
		const char *o = cw_ostream_memory(out, &olen);
		r.output = malloc(olen + 1);
		memcpy(r.output, o, olen + 1);
		cw_ostream_close(out);
		cw_istream_close(in);
		cw_context_free(ctx);
	}
	cr_expect_eq(r.stats.records_written, m, "%s: %s", name, cw_buf_str(&r.diags.text));
	cr_expect_str_eq(r.output ? r.output : "", want ? want : "", "%s%s", name,
	                 keep ? " (keep-article)" : "");
	cwt_result_free(&r);
	free(want);
	cwt_diags_free(&d);
	cwt_diags_free(&wd);
}

/* Articles in orders and shapes the walk must follow as the whole-tree reading did. */
static const char *const shapes[] = {
    /* several articles, one without references */
    "<pmc-articleset><article><front><article-meta><title-group><article-title>A"
    "</article-title></title-group></article-meta></front><back><ref-list><ref id=\"r1\">"
    "<mixed-citation>One. 2001. Title one. J.</mixed-citation></ref><ref id=\"r2\">"
    "<element-citation><source>Two</source><year>2002</year></element-citation>"
    "<mixed-citation>Two, 2002.</mixed-citation></ref></ref-list></back></article>"
    "<article><front><article-meta><title-group><article-title>B</article-title>"
    "</title-group></article-meta></front></article>"
    "<article><front><article-meta><title-group><article-title>C</article-title>"
    "</title-group></article-meta></front><back><sec><ref-list><ref-list><ref id=\"r3\">"
    "<element-citation><source>Three</source></element-citation></ref></ref-list>"
    "</ref-list></sec><ref-list><ref id=\"r4\"><element-citation><source>Four</source>"
    "</element-citation></ref></ref-list></back></article></pmc-articleset>",
    /* <back> before <front> (invalid), empty citations, a second <back> ignored */
    "<article><back><ref-list><ref id=\"x\"><mixed-citation/></ref><ref id=\"y\">"
    "<element-citation><source>Y</source></element-citation></ref></ref-list></back>"
    "<front><article-meta><title-group><article-title>Late front</article-title>"
    "</title-group></article-meta></front><back><ref-list><ref id=\"z\">"
    "<element-citation><source>Z</source></element-citation></ref></ref-list></back>"
    "</article>",
    /* an OAI record whose metadata comes before its header (invalid), then a usual one */
    "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><ListRecords><record>"
    "<metadata><article><front><article-meta><title-group><article-title>M"
    "</article-title></title-group></article-meta></front><back><ref-list><ref id=\"m\">"
    "<element-citation><source>M1</source></element-citation></ref></ref-list></back>"
    "</article></metadata><header><identifier>oai:x:1</identifier><datestamp>2024-01-01"
    "</datestamp><setSpec>t</setSpec></header></record>"
    "<record><header><identifier>oai:x:2</identifier><setSpec>s</setSpec></header>"
    "<metadata><article><front><article-meta><title-group><article-title>N"
    "</article-title></title-group></article-meta></front><back><ref-list><ref id=\"n\">"
    "<element-citation><source>N1</source></element-citation></ref></ref-list></back>"
    "</article></metadata></record></ListRecords></OAI-PMH>",
};

Test(jats_stream, references_one_at_a_time_are_the_articles_children)
{
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		char name[32];
		snprintf(name, sizeof name, "shape %zu", i);
		for (int keep = 0; keep < 2; keep++)
			expect_same_references(name, shapes[i], strlen(shapes[i]), keep);
	}
	/* a header after its metadata still gives its fields once */
	cw_record **recs = NULL;
	cwt_diags d = {0};
	size_t n = cwt_read_records("jats", shapes[2], strlen(shapes[2]), &recs, &d, NULL);
	cr_assert_eq(n, 2, "%s", cw_buf_str(&d.text));
	cr_expect_str_eq(cw_record_text(recs[0], CW_FIELD_ID), "oai:x:1");
	cr_expect_eq(cw_record_passthrough_count(recs[0]), 2, "a datestamp and a setSpec");
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/jats/oai/pmc-listrecords.xml", cwt_source_dir());
	size_t len;
	char *data = cwt_read_file(path, &len);
	cr_assert(data);
	expect_same_references("pmc-listrecords.xml", data, len, 0);
	free(data);
}

Test(jats_stream_corpus, references_one_at_a_time)
{
	char root[4096];
	CWT_CORPUS("jats", root);
	size_t n;
	char **files = cwt_list_files(root, ".xml", &n);
	size_t tried = 0;
	for (size_t i = 0; i < n; i++) {
		if (strstr(files[i], "/schema/"))
			continue;
		size_t len;
		char *data = cwt_read_file(files[i], &len);
		expect_same_references(files[i], data, len, i % 2);
		free(data);
		tried++;
	}
	cr_expect(tried > 10, "%zu corpus articles", tried);
	cwt_free_list(files, n);
}

Test(jats_stream, a_reference_over_a_limit_is_skipped_alone_by_the_references_filter)
{
	const char *cw = getenv("CW_CROSSWALK");
	cr_assert(cw, "CW_CROSSWALK is not set");
	cw_buf xml = CW_BUF_INIT;
	cw_buf_printf(&xml, "<article>");
	cw_buf_printf(&xml, FRONT, 1);
	cw_buf_printf(&xml, "<back><ref-list><ref id=\"a\"><element-citation><source>First"
	                    "</source></element-citation></ref>\n<ref id=\"b\"><element-citation>"
	                    "<source>");
	for (int i = 0; i < 300; i++)
		cw_buf_printf(&xml, "long ");
	cw_buf_printf(&xml, "</source></element-citation></ref>\n<ref id=\"c\"><element-citation>"
	                    "<source>Third</source></element-citation></ref></ref-list></back>"
	                    "</article>\n");
	char path[4200];
	snprintf(path, sizeof path, "%s/long.xml", cwt_tmpdir());
	cr_assert_eq(cwt_write_file(path, xml.data, xml.len), 0);
	cw_buf cmd = CW_BUF_INIT, out = CW_BUF_INIT;
	cw_buf_printf(&cmd,
	              "'%s' convert --limit field-bytes=1K --filter references '%s' -t csljson "
	              "-o - 2>&1",
	              cw, path);
	int rc = cwt_run(cmd.data, &out);
	const char *o = cw_buf_str(&out);
	cr_expect_neq(rc, 0, "%s", o);
	cr_expect(strstr(o, "long.xml:3: error: <source> holds more than 1024 bytes of text"), "%s",
	          o);
	cr_expect(strstr(o, "\"title\": \"First\""), "%s", o);
	cr_expect(strstr(o, "\"title\": \"Third\""), "%s", o);
	cw_buf_free(&cmd);
	cw_buf_free(&out);
	cw_buf_free(&xml);
}
