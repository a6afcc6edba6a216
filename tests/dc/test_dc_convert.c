/*
 * Dublin Core conversions through the loaded plugin: every corpus file
 * reads without error, oai_dc output validates against the corpus
 * oai_dc.xsd (ListRecords output against OAI-PMH.xsd), DC -> record -> DC
 * keeps every statement, goldens per repository style, OAI-PMH handling
 * (deleted records, identifiers, broken input) and the article fields the
 * PKP mapping must carry.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cw_test.h"
#include "dc_dump.h"

#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_DCTERMS "http://purl.org/dc/terms/"

/* --- helpers --- */

/* cwt_read_records / cwt_write_records with diagnostics that are only collected */
static size_t read_recs(const char *fmt, const char *in, size_t len, cw_record ***out)
{
	cwt_diags d = {0};
	size_t n = cwt_read_records(fmt, in, len, out, &d, NULL);
	cwt_diags_free(&d);
	return n;
}

static char *write_recs(const char *fmt, cw_record *const *recs, size_t n)
{
	cwt_diags d = {0};
	char *s = cwt_write_records(fmt, recs, n, &d, NULL);
	cwt_diags_free(&d);
	return s;
}

static void golden(const char *name, const char *text)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/dc/golden/%s", cwt_source_dir(), name);
	if (getenv("CW_UPDATE_GOLDEN")) {
		cr_assert_eq(cwt_write_file(path, text, strlen(text)), 0, "cannot write %s", path);
		return;
	}
	size_t len;
	char *want = cwt_read_file(path, &len);
	cr_assert_not_null(want, "golden file %s missing", path);
	cr_expect_str_eq(text, want, "output differs from golden %s", name);
	free(want);
}

static char **corpus_files(size_t *n, char *dir, size_t cap)
{
	char sub[1024];
	CWT_CORPUS("dc", sub);
	snprintf(dir, cap, "%s", sub);
	return cwt_list_files(dir, ".xml", n);
}

static int is_schema(const char *path)
{
	return strstr(path, "/schema/") != NULL;
}

/* Collapses white space runs; trims. */
static void collapse(cw_buf *out, const char *s)
{
	int sp = 0, started = 0;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			sp = started;
			continue;
		}
		started = 1;
		if (sp)
			cw_buf_putc(out, ' ');
		sp = 0;
		cw_buf_putc(out, *s);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct stmts {
	char **v;
	size_t n, cap;
};

static void walk(const xmlNode *n, struct stmts *st)
{
	for (const xmlNode *c = n; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp((const char *)c->name, "header")) {
			xmlChar *status = xmlGetProp(c, (const xmlChar *)"status");
			int deleted = status && !strcmp((const char *)status, "deleted");
			xmlFree(status);
			if (deleted)
				return; /* the record's metadata, if any, is not read */
		}
		if (c->ns && (!strcmp((const char *)c->ns->href, NS_DC) ||
		              !strcmp((const char *)c->ns->href, NS_DCTERMS))) {
			xmlChar *v = xmlNodeGetContent(c);
			xmlChar *lang = xmlGetNsProp(c, (const xmlChar *)"lang", XML_XML_NAMESPACE);
			cw_buf b = CW_BUF_INIT;
			cw_buf_printf(&b, "%s|%s|", (const char *)c->name,
			              lang ? (const char *)lang : "");
			size_t before = b.len;
			collapse(&b, (const char *)v);
			if (b.len > before) {
				if (st->n == st->cap) {
					st->cap = st->cap ? st->cap * 2 : 64;
					st->v = realloc(st->v, st->cap * sizeof *st->v);
				}
				st->v[st->n++] = strdup(cw_buf_str(&b));
			}
			cw_buf_free(&b);
			xmlFree(v);
			xmlFree(lang);
			continue;
		}
		walk(c->children, st);
	}
}

/* The sorted DC statements (element|lang|value) of a document, one per line. */
static char *statements(const char *xml, size_t len)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET);
	cr_assert_not_null(doc, "test could not parse XML");
	struct stmts st = {0};
	walk(xmlDocGetRootElement(doc), &st);
	/* a record's statements per <record>: sorting the whole list compares multisets */
	qsort(st.v, st.n, sizeof *st.v, cmp_str);
	cw_buf b = CW_BUF_INIT;
	for (size_t i = 0; i < st.n; i++) {
		cw_buf_printf(&b, "%s\n", st.v[i]);
		free(st.v[i]);
	}
	free(st.v);
	xmlFreeDoc(doc);
	char *r = strdup(cw_buf_str(&b));
	cw_buf_free(&b);
	return r;
}

/* Validates against a schema of the corpus's dc/schema (a *_corpus case only). */
static int xmllint(const char *xsd_name, const char *xml, size_t len, cw_buf *log)
{
	char xsd[256];
	snprintf(xsd, sizeof xsd, "dc/schema/%s", xsd_name);
	return cwt_corpus_validate(xsd, xml, len, log);
}

/* Validates every oai_dc:dc element of a ListRecords response on its own
 * (OAI-PMH.xsd checks the payload laxly). Returns the number checked. */
static size_t validate_embedded(const char *xml, const char *what)
{
	size_t n = 0;
	for (const char *p = strstr(xml, "<oai_dc:dc "); p; p = strstr(p + 1, "<oai_dc:dc ")) {
		const char *e = strstr(p, "</oai_dc:dc>");
		cr_assert_not_null(e);
		e += strlen("</oai_dc:dc>");
		cw_buf doc = CW_BUF_INIT, log = CW_BUF_INIT;
		cw_buf_append(&doc, p, (size_t)(e - p));
		cr_expect_eq(xmllint("oai_dc.xsd", doc.data, doc.len, &log), 0,
		             "%s, record %zu:\n%s", what, n, cw_buf_str(&log));
		cw_buf_free(&doc);
		cw_buf_free(&log);
		n++;
	}
	return n;
}

/* --- every corpus file reads --- */

Test(dc_corpus, every_file_reads_without_error)
{
	char dir[1024];
	size_t n;
	char **files = corpus_files(&n, dir, sizeof dir);
	size_t tested = 0;
	for (size_t i = 0; i < n; i++) {
		if (is_schema(files[i]))
			continue;
		size_t len;
		char *data = cwt_read_file(files[i], &len);
		cr_assert_not_null(data);
		cwt_diags d = {0};
		cw_record **recs = NULL;
		size_t nrec = cwt_read_records("dc", data, len, &recs, &d, NULL);
		cr_expect_gt(nrec, 0, "%s: no records", files[i]);
		cr_expect_eq(cwt_diags_count(&d, CW_SEV_ERROR), 0, "%s: errors:\n%s", files[i],
		             cw_buf_str(&d.text));
		cwt_free_records(recs, nrec);
		cwt_diags_free(&d);
		free(data);
		tested++;
	}
	cr_expect_eq(tested, 32, "corpus files read: %zu", tested);
	cwt_free_list(files, n);
}

Test(dc_corpus, list_records_streams_all_records)
{
	char dir[1024], path[1200];
	CWT_CORPUS("dc/responses", dir);
	snprintf(path, sizeof path, "%s/pyoai-dspace-eur-ListRecords-2004.xml", dir);
	size_t len;
	char *data = cwt_read_file(path, &len);
	cr_assert_not_null(data);
	cwt_diags d = {0};
	cw_record **recs = NULL;
	size_t nrec = cwt_read_records("dc", data, len, &recs, &d, NULL);
	/* 81 <record>s, 2 of them deleted */
	cr_expect_eq(nrec, 79, "records: %zu", nrec);
	size_t notes = 0;
	for (size_t i = 0; i < d.n; i++)
		notes +=
		    d.items[i].severity == CW_SEV_NOTE && strstr(d.items[i].message, "deleted");
	cr_expect_eq(notes, 2, "deleted-record notes: %zu\n%s", notes, cw_buf_str(&d.text));
	cr_expect_str_eq(cw_record_text(recs[0], CW_FIELD_ID), "hdl:1765/9");
	const cw_passthrough *ds = cw_record_find_passthrough(recs[0], "dc", "oai:datestamp");
	cr_assert_not_null(ds);
	cw_free(NULL);
	cwt_free_records(recs, nrec);
	cwt_diags_free(&d);
	free(data);
}

/* --- oai_dc output validates, and keeps every statement --- */

static void check_round_trip(const char *path)
{
	size_t len;
	char *data = cwt_read_file(path, &len);
	cr_assert_not_null(data);
	cwt_result r;
	cwt_convert(&r, "dc", "dc", data, len, NULL, NULL, NULL);
	cr_assert_geq(r.status, 0, "%s: status %d\n%s", path, r.status, cw_buf_str(&r.diags.text));
	cr_expect_eq(cwt_diags_count(&r.diags, CW_SEV_WARNING) -
	                 (strstr(path, "INVALID") || strstr(path, "sickle-ListRecords") ? 1 : 0),
	             0, "%s: warnings:\n%s", path, cw_buf_str(&r.diags.text));
	/* validity */
	cw_buf log = CW_BUF_INIT;
	int listed = strstr(r.output, "<OAI-PMH") != NULL;
	int st = xmllint(listed ? "OAI-PMH.xsd" : "oai_dc.xsd", r.output, r.output_len, &log);
	cr_expect_eq(st, 0, "%s: output does not validate:\n%s", path, cw_buf_str(&log));
	cw_buf_free(&log);
	if (listed && !strstr(path, "ListRecords-200"))
		cr_expect_gt(validate_embedded(r.output, path), 0);
	/* every statement kept (as a multiset: order within a record may change) */
	char *in = statements(data, len), *out = statements(r.output, r.output_len);
	if (strcmp(out, in) != 0) {
		char fa[1200], fb[1200], cmd[2600];
		snprintf(fa, sizeof fa, "%s/in-%d.txt", cwt_tmpdir(), rand());
		snprintf(fb, sizeof fb, "%s/out-%d.txt", cwt_tmpdir(), rand());
		cwt_write_file(fa, in, strlen(in));
		cwt_write_file(fb, out, strlen(out));
		snprintf(cmd, sizeof cmd, "diff '%s' '%s' | head -20", fa, fb);
		cw_buf dl = CW_BUF_INIT;
		cwt_run(cmd, &dl);
		cr_expect_fail("%s: DC statements differ:\n%s", path, cw_buf_str(&dl));
		cw_buf_free(&dl);
	}
	/* and a second pass changes nothing */
	cwt_result r2;
	cwt_convert(&r2, "dc", "dc", r.output, r.output_len, NULL, NULL, NULL);
	cr_expect_str_eq(r2.output, r.output, "%s: DC -> DC is not a fixed point", path);
	cwt_result_free(&r2);
	free(in);
	free(out);
	cwt_result_free(&r);
	free(data);
}

Test(dc_corpus, round_trip_keeps_statements_and_validates, .timeout = 300)
{
	cwt_require_tool("xmllint");
	char dir[1024];
	size_t n;
	char **files = corpus_files(&n, dir, sizeof dir);
	for (size_t i = 0; i < n; i++)
		if (!is_schema(files[i]))
			check_round_trip(files[i]);
	cwt_free_list(files, n);
}

Test(dc_corpus, each_listed_record_validates_alone, .timeout = 300)
{
	cwt_require_tool("xmllint");
	char dir[1024], path[1200];
	CWT_CORPUS("dc/responses", dir);
	snprintf(path, sizeof path, "%s/pyoai-dspace-eur-ListRecords-2003.xml", dir);
	size_t len;
	char *data = cwt_read_file(path, &len);
	cr_assert_not_null(data);
	cw_record **recs = NULL;
	size_t nrec = read_recs("dc", data, len, &recs);
	cr_assert_gt(nrec, 1);
	char *xml = write_recs("dc", recs, nrec);
	cr_assert_not_null(xml);
	cr_expect_eq(validate_embedded(xml, path), nrec);
	free(xml);
	cwt_free_records(recs, nrec);
	free(data);
}

Test(dc_corpus, records_survive_dc_and_dcterms)
{
	char dir[1024];
	size_t n;
	char **files = corpus_files(&n, dir, sizeof dir);
	for (size_t i = 0; i < n; i++) {
		if (is_schema(files[i]))
			continue;
		size_t len;
		char *data = cwt_read_file(files[i], &len);
		cw_record **a = NULL, **b = NULL, **c = NULL;
		size_t na = read_recs("dc", data, len, &a);
		char *dc = write_recs("dc", a, na);
		char *qdc = write_recs("dcterms", a, na);
		cr_assert(dc && qdc);
		size_t nb = read_recs("dc", dc, strlen(dc), &b);
		size_t nc = read_recs("dcterms", qdc, strlen(qdc), &c);
		cr_assert_eq(nb, na);
		cr_assert_eq(nc, na);
		for (size_t k = 0; k < na; k++) {
			cw_buf diff = CW_BUF_INIT;
			cr_expect_eq(cw_record_compare(a[k], b[k], &diff), 0,
			             "%s #%zu via oai_dc: %s", files[i], k, cw_buf_str(&diff));
			cw_buf_clear(&diff);
			cr_expect_eq(cw_record_compare(a[k], c[k], &diff), 0,
			             "%s #%zu via dcterms: %s", files[i], k, cw_buf_str(&diff));
			cw_buf_free(&diff);
		}
		cwt_free_records(a, na);
		cwt_free_records(b, nb);
		cwt_free_records(c, nc);
		free(dc);
		free(qdc);
		free(data);
	}
	cwt_free_list(files, n);
}

/* --- goldens per repository style --- */

static void golden_record(const char *sub, const char *file, size_t index, const char *gold)
{
	char dir[1024], path[1300];
	CWT_CORPUS(sub, dir);
	snprintf(path, sizeof path, "%s/%s", dir, file);
	size_t len;
	char *data = cwt_read_file(path, &len);
	cr_assert_not_null(data, "%s", path);
	cw_record **recs = NULL;
	size_t n = read_recs("dc", data, len, &recs);
	cr_assert_gt(n, index);
	cw_buf b = CW_BUF_INIT;
	dcd_record(&b, recs[index]);
	golden(gold, cw_buf_str(&b));
	cw_buf_free(&b);
	cwt_free_records(recs, n);
	free(data);
}

Test(dc_golden_corpus, dspace_thesis)
{
	golden_record("dc/records", "dspace-eur-2004-hdl_1765_1094.xml", 0, "dspace-thesis.txt");
}
Test(dc_golden_corpus, dspace_article)
{
	golden_record("dc/records", "dspace-eur-2003-hdl_1765_308.xml", 0, "dspace-2003.txt");
}
Test(dc_golden_corpus, ojs_expected_result)
{
	golden_record("dc/records", "ojs-expectedResult.xml", 0, "ojs-expectedResult.txt");
}
Test(dc_golden_corpus, sickle_utf8)
{
	golden_record("dc/records", "sickle-utf8test-oai_test.example.com_1996652.xml", 0,
	              "sickle-utf8.txt");
}
Test(dc_golden_corpus, oai_listrecords_record)
{
	golden_record("dc/responses", "sickle-ListRecords.xml", 0, "sickle-listrecords.txt");
}
Test(dc_golden_corpus, oai_getrecord)
{
	golden_record("dc/responses", "pyoai-dspace-eur-GetRecord-2003.xml", 0,
	              "pyoai-getrecord.txt");
}

/* --- an article through oai_dc: what the PKP mapping carries --- */

static cw_record *article(void)
{
	cw_record *r = NULL;
	cr_assert_eq(cw_record_new(&r), 0);
	cw_record_set_type(r, CW_TYPE_ARTICLE_JOURNAL);
	cw_record_set_source_format(r, "jats");
	cw_record_set_text(
	    r, CW_FIELD_TITLE,
	    "KAZAKHSTAN AND RUSSIA: RELATIONS AS PART OF RUSSIA'S FOREIGN POLICY STRATEGY", CW_NUL);
	cw_name a = CW_NAME_INIT;
	a.family = "Laumulin";
	a.given = "Murat";
	a.orcid = "https://orcid.org/0000-0002-1825-0097";
	cw_record_add_name(r, CW_FIELD_AUTHOR, &a);
	cw_name b = CW_NAME_INIT;
	b.family = "Shaken";
	b.given = "Mukhtar";
	cw_record_add_name(r, CW_FIELD_AUTHOR, &b);
	cw_date d = CW_DATE_INIT;
	d.year = 2008;
	d.month = 2;
	d.day = 29;
	d.parts = 3;
	cw_record_set_date(r, CW_FIELD_ISSUED, &d);
	cw_record_set_text(r, CW_FIELD_CONTAINER_TITLE, "Central Asia and the Caucasus", CW_NUL);
	cw_record_set_text(r, CW_FIELD_VOLUME, "9", CW_NUL);
	cw_record_set_text(r, CW_FIELD_ISSUE, "1", CW_NUL);
	cw_record_set_text(r, CW_FIELD_PAGE, "112-124", CW_NUL);
	cw_record_set_text(r, CW_FIELD_URL, "https://ca-c.org/journal/article/view/123", CW_NUL);
	cw_record_set_text(r, CW_FIELD_DOI, "10.1234/cac.2008.9.1.112", CW_NUL);
	cw_record_set_text(r, CW_FIELD_SECTION, "REGIONAL POLITICS", CW_NUL);
	cw_record_set_text(
	    r, CW_FIELD_ABSTRACT,
	    "In 2006 and 2007, the geopolitical situation around Central Asia underwent "
	    "changes.\nThe worsening relations between Russia and the West are a fact.",
	    CW_NUL);
	cw_record_set_text(r, CW_FIELD_LANGUAGE, "en", CW_NUL);
	cw_record_set_text(r, CW_FIELD_ISSN, "1404-6091", CW_NUL);
	cw_record_set_text(r, CW_FIELD_PUBLISHER, "CA&CC Press", CW_NUL);
	cw_item kw = CW_ITEM_INIT;
	kw.value = "Kazakhstan";
	cw_record_add_item(r, CW_FIELD_KEYWORDS, &kw);
	kw.value = "Russia";
	cw_record_add_item(r, CW_FIELD_KEYWORDS, &kw);
	cw_record_set_text(r, CW_FIELD_LICENSE_URL, "https://creativecommons.org/licenses/by/4.0/",
	                   CW_NUL);
	cw_record_set_text(r, CW_FIELD_FUNDING_STATEMENT, "No funding.", CW_NUL);
	return r;
}

Test(dc_article, oai_dc_carries_the_article_fields)
{
	cw_record *r = article();
	cwt_diags d = {0};
	char *xml = cwt_write_records("dc", &r, 1, &d, NULL);
	cr_assert_not_null(xml);
	golden("article.dc.xml", xml);
	/* reported: the ORCID and the funding statement */
	size_t nc = 0;
	int orcid = 0, funding = 0;
	for (size_t i = 0; i < d.n; i++) {
		if (d.items[i].kind != CW_DIAG_NOT_CARRIED)
			continue;
		nc++;
		orcid |= d.items[i].field == CW_FIELD_AUTHOR;
		funding |= d.items[i].field == CW_FIELD_FUNDING_STATEMENT;
	}
	cr_expect(orcid && funding && nc == 2, "not-carried reports:\n%s", cw_buf_str(&d.text));
	cw_record **back = NULL;
	size_t n = read_recs("dc", xml, strlen(xml), &back);
	cr_assert_eq(n, 1);
	const cw_record *b = back[0];
	cr_expect_str_eq(cw_record_text(b, CW_FIELD_TITLE), cw_record_text(r, CW_FIELD_TITLE));
	cr_assert_eq(cw_record_name_count(b, CW_FIELD_AUTHOR), 2);
	cr_expect_str_eq(cw_record_name(b, CW_FIELD_AUTHOR, 0)->family, "Laumulin");
	cr_expect_str_eq(cw_record_name(b, CW_FIELD_AUTHOR, 1)->given, "Mukhtar");
	const cw_date *dd = cw_record_date(b, CW_FIELD_ISSUED);
	cr_assert_not_null(dd);
	cr_expect(dd->year == 2008 && dd->month == 2 && dd->day == 29);
	cr_expect_str_eq(cw_record_text(b, CW_FIELD_CONTAINER_TITLE),
	                 "Central Asia and the Caucasus");
	cr_expect_str_eq(cw_record_text(b, CW_FIELD_VOLUME), "9");
	cr_expect_str_eq(cw_record_text(b, CW_FIELD_ISSUE), "1");
	cr_expect_str_eq(cw_record_text(b, CW_FIELD_PAGE), "112-124");
	cr_expect_str_eq(cw_record_text(b, CW_FIELD_URL),
	                 "https://ca-c.org/journal/article/view/123");
	cr_expect_str_eq(cw_record_text(b, CW_FIELD_DOI), "10.1234/cac.2008.9.1.112");
	cr_expect_str_eq(cw_record_text(b, CW_FIELD_SECTION), "REGIONAL POLITICS");
	cr_expect_str_eq(cw_record_text(b, CW_FIELD_ABSTRACT),
	                 cw_record_text(r, CW_FIELD_ABSTRACT));
	cr_expect_str_eq(cw_record_text(b, CW_FIELD_ISSN), "1404-6091");
	cr_expect_str_eq(cw_record_text(b, CW_FIELD_LICENSE_URL),
	                 "https://creativecommons.org/licenses/by/4.0/");
	cr_expect_eq(cw_record_type(b), CW_TYPE_ARTICLE_JOURNAL);
	cwt_free_records(back, n);
	free(xml);
	cwt_diags_free(&d);
	cw_record_free(r);
}

/* r in oai_dc, expected valid against xsd of the corpus's dc/schema; the document. */
static char *valid_dc(cw_record *r, const char *xsd)
{
	char *xml = write_recs("dc", &r, 1);
	cr_assert_not_null(xml);
	cw_buf log = CW_BUF_INIT;
	cr_expect_eq(xmllint(xsd, xml, strlen(xml), &log), 0, "%s\n%s", cw_buf_str(&log), xml);
	cw_buf_free(&log);
	return xml;
}

Test(dc_article_corpus, oai_dc_validates)
{
	cw_record *r = article();
	free(valid_dc(r, "oai_dc.xsd"));
	cw_record_free(r);
}

Test(dc_article, section_as_a_heading_subject)
{
	cw_record *r = article();
	cw_record_clear(r, CW_FIELD_SECTION);
	cw_item h = CW_ITEM_INIT;
	h.value = "Articles";
	h.type = "heading";
	cw_record_add_item(r, CW_FIELD_SUBJECTS, &h);
	h.value = "Politics";
	h.type = NULL;
	cw_record_add_item(r, CW_FIELD_SUBJECTS, &h);
	char *xml = write_recs("dc", &r, 1);
	cr_assert_not_null(xml);
	cr_expect(strstr(xml, "<dc:type xml:lang=\"en\">Articles</dc:type>"), "%s", xml);
	cr_expect(strstr(xml, "<dc:subject>Politics</dc:subject>"));
	cr_expect_null(strstr(xml, "<dc:subject>Articles</dc:subject>"));
	cw_record **back = NULL;
	size_t n = read_recs("dc", xml, strlen(xml), &back);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(cw_record_text(back[0], CW_FIELD_SECTION), "Articles");
	cwt_free_records(back, n);
	free(xml);
	cw_record_free(r);
}

Test(dc_article, dcterms_and_html_goldens)
{
	cw_record *r = article();
	char *q = write_recs("dcterms", &r, 1);
	char *h = write_recs("html-meta", &r, 1);
	cr_assert(q && h);
	golden("article.dcterms.xml", q);
	golden("article.html", h);
	/* qualified DC keeps what oai_dc flattens */
	cr_expect(strstr(q, "<dcterms:issued>2008-02-29</dcterms:issued>"));
	cr_expect(strstr(q, "<dcterms:bibliographicCitation"));
	cr_expect(strstr(q, "<dcterms:isPartOf>urn:ISSN:1404-6091</dcterms:isPartOf>"));
	cr_expect(strstr(
	    q, "<dcterms:license>https://creativecommons.org/licenses/by/4.0/</dcterms:license>"));
	cw_record **back = NULL;
	size_t n = read_recs("dcterms", q, strlen(q), &back);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(cw_record_text(back[0], CW_FIELD_PAGE), "112-124");
	cr_expect_str_eq(cw_record_text(back[0], CW_FIELD_ISSN), "1404-6091");
	cwt_free_records(back, n);
	free(q);
	free(h);
	cw_record_free(r);
}

/* Three articles, two with ids of their own, as one oai_dc document. */
static char *three_articles(void)
{
	cw_record *r[3] = {article(), article(), article()};
	cw_record_set_text(r[1], CW_FIELD_ID, "smith2008", CW_NUL);
	cw_record_set_text(r[2], CW_FIELD_ID, "oai:example.org:42", CW_NUL);
	char *xml = write_recs("dc", r, 3);
	cr_assert_not_null(xml);
	for (int i = 0; i < 3; i++)
		cw_record_free(r[i]);
	return xml;
}

Test(dc_article, several_records_make_a_listrecords)
{
	char *xml = three_articles();
	cr_expect(strstr(xml, "<identifier>oai:crosswalk:smith2008</identifier>"));
	cr_expect(strstr(xml, "<identifier>oai:example.org:42</identifier>"));
	cw_record **back = NULL;
	size_t n = read_recs("dc", xml, strlen(xml), &back);
	cr_expect_eq(n, 3);
	cwt_free_records(back, n);
	free(xml);
}

Test(dc_article_corpus, several_records_make_a_valid_listrecords)
{
	char *xml = three_articles();
	cw_buf log = CW_BUF_INIT;
	cr_expect_eq(xmllint("OAI-PMH.xsd", xml, strlen(xml), &log), 0, "%s", cw_buf_str(&log));
	cw_buf_free(&log);
	free(xml);
}

/* --- bad input --- */

Test(dc_errors, malformed_xml_is_located)
{
	const char *in = "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\"\n"
	                 " xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
	                 "  <dc:title>A</dc:titel>\n</oai_dc:dc>\n";
	cwt_result r;
	cwt_convert(&r, "dc", "dc", in, strlen(in), NULL, NULL, NULL);
	cr_expect_lt(r.status, 0);
	cr_assert_geq(r.diags.n, 1);
	cr_expect_eq(r.diags.items[0].line, 3, "%s", cw_buf_str(&r.diags.text));
	cr_expect_gt(r.diags.items[0].column, 0, "%s", cw_buf_str(&r.diags.text));
	cwt_result_free(&r);
}

/* A dc:date with a date's form but no such day is said, with the reason, and kept as text. */
Test(dc_errors, impossible_date_is_reported_and_kept)
{
	const char *in = "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\"\n"
	                 " xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
	                 "  <dc:title>A</dc:title>\n  <dc:date>2008-02-30</dc:date>\n"
	                 "</oai_dc:dc>\n";
	cwt_diags d = {0};
	cw_record **recs = NULL;
	size_t n = cwt_read_records("dc", in, strlen(in), &recs, &d, NULL);
	cr_assert_eq(n, 1);
	cr_expect_not_null(strstr(cw_buf_str(&d.text),
	                          "warning: dc:date '2008-02-30': there is no 30 February 2008; "
	                          "kept as text"),
	                   "%s", cw_buf_str(&d.text));
	cr_expect_eq(d.items[0].line, 4, "%s", cw_buf_str(&d.text));
	const cw_date *date = cw_record_date(recs[0], CW_FIELD_ISSUED);
	cr_assert_not_null(date);
	cr_expect_eq(date->parts, 0);
	cr_expect_str_eq(date->literal, "2008-02-30");
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
}

Test(dc_errors, truncated_listrecords_keeps_earlier_records)
{
	const char *in =
	    "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><ListRecords>\n"
	    "<record><header><identifier>oai:x:1</identifier><datestamp>2020-01-01</datestamp></"
	    "header>"
	    "<metadata><oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>One</dc:title></oai_dc:dc></"
	    "metadata></record>\n"
	    "<record><header><identifier>oai:x:2</identifier><datestamp>2020-01-01</datestamp></"
	    "header>"
	    "<metadata><oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Two</dc:ti";
	cwt_diags d = {0};
	cw_record **recs = NULL;
	size_t n = cwt_read_records("dc", in, strlen(in), &recs, &d, NULL);
	cr_expect_eq(n, 1);
	cr_expect_geq(cwt_diags_count(&d, CW_SEV_ERROR), 1);
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
}

Test(dc_errors, non_dc_payload_is_skipped_and_reading_goes_on)
{
	const char *in =
	    "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><ListRecords>\n"
	    "<record><header><identifier>oai:x:1</identifier><datestamp>2020-01-01</datestamp></"
	    "header>"
	    "<metadata><article xmlns=\"http://jats.nlm.nih.gov\"/></metadata></record>\n"
	    "<record><header><identifier>oai:x:2</identifier><datestamp>2020-01-01</datestamp></"
	    "header>"
	    "<metadata><oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Two</dc:title></oai_dc:dc></"
	    "metadata></record>\n"
	    "</ListRecords></OAI-PMH>\n";
	cwt_diags d = {0};
	cw_record **recs = NULL;
	size_t n = cwt_read_records("dc", in, strlen(in), &recs, &d, NULL);
	cr_assert_eq(n, 1, "%s", cw_buf_str(&d.text));
	cr_expect_str_eq(cw_record_text(recs[0], CW_FIELD_TITLE), "Two");
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_ERROR), 1);
	cr_expect_eq(d.items[0].line, 2);
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
}

Test(dc_errors, external_entities_are_not_loaded)
{
	const char *in =
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/hostname\">]>\n"
	    "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>T "
	    "&e;</dc:title></oai_dc:dc>\n";
	cwt_diags d = {0};
	cw_record **recs = NULL;
	size_t n = cwt_read_records("dc", in, strlen(in), &recs, &d, NULL);
	cr_assert_eq(n, 1, "%s", cw_buf_str(&d.text));
	cr_expect_str_eq(cw_record_text(recs[0], CW_FIELD_TITLE), "T");
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
}

Test(dc_errors, billion_laughs_is_refused)
{
	cw_buf in = CW_BUF_INIT;
	cw_buf_append(&in, "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a0 \"lol\">", CW_NUL);
	for (int i = 1; i < 10; i++)
		cw_buf_printf(
		    &in, "<!ENTITY a%d \"&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;\">", i,
		    i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
	cw_buf_append(
	    &in,
	    "]>\n<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>&a9;</dc:title></oai_dc:dc>\n",
	    CW_NUL);
	cwt_diags d = {0};
	cw_record **recs = NULL;
	size_t n = cwt_read_records("dc", in.data, in.len, &recs, &d, NULL);
	/* either refused, or the entity stays unexpanded: never a 10^9-byte title */
	for (size_t i = 0; i < n; i++) {
		const char *t = cw_record_text(recs[i], CW_FIELD_TITLE);
		cr_expect(!t || strlen(t) < 1000);
	}
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
	cw_buf_free(&in);
}

Test(dc_errors, deep_nesting_is_limited)
{
	cw_buf in = CW_BUF_INIT;
	cw_buf_append(&in,
	              "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
	              "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>",
	              CW_NUL);
	for (int i = 0; i < 1000; i++)
		cw_buf_append(&in, "<b>", CW_NUL);
	cwt_diags d = {0};
	cw_record **recs = NULL;
	size_t n = cwt_read_records("dc", in.data, in.len, &recs, &d, NULL);
	cr_expect_eq(n, 0);
	cr_expect_geq(cwt_diags_count(&d, CW_SEV_ERROR), 1);
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
	cw_buf_free(&in);
}

/* --- probes: .xml is shared with JATS, so content decides --- */

static const char *detect(const char *data, const char *filename)
{
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_memory(&in, data, strlen(data), filename), 0);
	const cw_format *f = NULL;
	cw_buf why = CW_BUF_INIT;
	int rc = cw_registry_detect_input(&f, cwt_registry(), in, filename, &why);
	cw_buf_free(&why);
	cw_istream_close(in);
	return rc == CW_OK ? f->name : NULL;
}

Test(dc_probe, content_decides)
{
	cr_expect_str_eq(
	    detect("<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\"/>",
	           "record.xml"),
	    "dc");
	cr_expect_str_eq(detect("<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><request "
	                        "metadataPrefix=\"oai_dc\">x</request></OAI-PMH>",
	                        "harvest.xml"),
	                 "dc");
	cr_expect_str_eq(
	    detect("<qdc:qualifieddc xmlns:qdc=\"http://dspace.org/qualifieddc/\"/>", "r.xml"),
	    "dcterms");
	cr_expect_str_eq(
	    detect("<html><head><meta name=\"citation_title\" content=\"x\"></head></html>", NULL),
	    "html-meta");
	/* the output extension alone */
	cr_expect_str_eq(
	    detect("<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\"/>",
	           "x.dc.xml"),
	    "dc");
	/* an OAI-PMH response for another payload is no certain match */
	const char *other =
	    detect("<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><request "
	           "metadataPrefix=\"marc21\">x</request></OAI-PMH>",
	           NULL); /* by content only: ".xml" is claimed by other plugins too */
	cr_expect(!other || strcmp(other, "dc") == 0, "weak dc match or none");
	cr_expect_null(detect("<html><body>no tags</body></html>", NULL));
}

/* --- qualified DC as DSpace's qdc crosswalk writes it --- */

Test(dc_terms, dspace_qdc_record)
{
	const char *in =
	    "<qdc:qualifieddc xmlns:qdc=\"http://dspace.org/qualifieddc/\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
	    "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
	    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
	    "<dc:title>Mucins and Helicobacter</dc:title>\n"
	    "<dcterms:alternative>Mucinen</dcterms:alternative>\n"
	    "<dc:creator>Bovenkamp van de, J.H.B.</dc:creator>\n"
	    "<dcterms:abstract xml:lang=\"en\">First paragraph.\nSecond "
	    "paragraph.</dcterms:abstract>\n"
	    "<dcterms:dateAccepted "
	    "xsi:type=\"dcterms:W3CDTF\">2004-01-09T10:18:49Z</dcterms:dateAccepted>\n"
	    "<dcterms:issued xsi:type=\"dcterms:W3CDTF\">2003</dcterms:issued>\n"
	    "<dc:type>Doctoral thesis</dc:type>\n"
	    "<dc:identifier "
	    "xsi:type=\"dcterms:URI\">http://hdl.handle.net/1765/1094</dc:identifier>\n"
	    "<dcterms:bibliographicCitation>Gut, 52(6), 812-818</dcterms:bibliographicCitation>\n"
	    "<dcterms:isPartOf>urn:ISSN:0017-5749</dcterms:isPartOf>\n"
	    "<dcterms:license>https://creativecommons.org/licenses/by/4.0/</dcterms:license>\n"
	    "<dcterms:extent>16 files</dcterms:extent>\n"
	    "</qdc:qualifieddc>\n";
	cwt_diags d = {0};
	cw_record **recs = NULL;
	size_t n = cwt_read_records("dcterms", in, strlen(in), &recs, &d, NULL);
	cr_assert_eq(n, 1, "%s", cw_buf_str(&d.text));
	const cw_record *r = recs[0];
	cr_expect_eq(cw_record_type(r), CW_TYPE_THESIS);
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_ABSTRACT),
	                 "First paragraph.\nSecond paragraph.");
	cr_expect_eq(cw_record_date(r, CW_FIELD_ISSUED)->year, 2003);
	cr_expect_eq(cw_record_date(r, CW_FIELD_ACCEPTED)->year, 2004);
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_CONTAINER_TITLE), "Gut");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_VOLUME), "52");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_ISSUE), "6");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_PAGE), "812-818");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_ISSN), "0017-5749");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_LICENSE_URL),
	                 "https://creativecommons.org/licenses/by/4.0/");
	cr_expect_eq(cw_record_item_count(r, CW_FIELD_ALTERNATIVE_TITLES), 1);
	/* back out as qualified DC: the same statements, and the citation kept as written */
	char *q = write_recs("dcterms", recs, 1);
	cr_assert_not_null(q);
	char *a = statements(in, strlen(in)), *b = statements(q, strlen(q));
	cr_expect_str_eq(b, a, "qualified DC round trip:\n%s", q);
	/* as oai_dc: refinements dumbed down to their elements */
	char *o = write_recs("dc", recs, 1);
	cr_assert_not_null(o);
	cr_expect(strstr(o, "<dc:description xml:lang=\"en\">First paragraph."), "%s", o);
	cr_expect(strstr(o, "<dc:format>16 files</dc:format>"), "%s", o);
	cr_expect(strstr(o, "<dc:rights>https://creativecommons.org/licenses/by/4.0/</dc:rights>"),
	          "%s", o);
	free(a);
	free(b);
	free(q);
	free(o);
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
}

/* --- DC inside containers of other vocabularies --- */

Test(dc_foreign, epub_package_metadata)
{
	const char *in = "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\">\n"
	                 "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
	                 "<dc:identifier>urn:isbn:978-3-16-148410-0</dc:identifier>\n"
	                 "<dc:title>An Example Book</dc:title><dc:creator>Jane Doe</dc:creator>\n"
	                 "</metadata><manifest/></package>\n";
	cw_record **recs = NULL;
	size_t n = read_recs("dc", in, strlen(in), &recs);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(cw_record_text(recs[0], CW_FIELD_TITLE), "An Example Book");
	cr_expect_str_eq(cw_record_text(recs[0], CW_FIELD_ISBN), "978-3-16-148410-0");
	cwt_free_records(recs, n);
}

Test(dc_foreign, list_of_records)
{
	const char *in = "<records xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
	                 "<record><dc:title>A</dc:title></record><record><dc:title>B</dc:title></record>"
	                 "<other/></records>";
	cw_record **recs = NULL;
	size_t n = read_recs("dc", in, strlen(in), &recs);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(cw_record_text(recs[1], CW_FIELD_TITLE), "B");
	cwt_free_records(recs, n);
}

/* --- issue 15: types, titles, creators and junk as users see them --- */

/* The dc:type statements of an oai_dc document, "|"-joined. */
static void dc_types(const char *xml, cw_buf *out)
{
	for (const char *p = strstr(xml, "<dc:type"); p; p = strstr(p + 1, "<dc:type")) {
		const char *v = strchr(p, '>') + 1, *e = strstr(v, "</dc:type>");
		cw_buf_printf(out, "%s%.*s", out->len ? "|" : "", (int)(e - v), v);
	}
}

struct type_case {
	enum cw_item_type type;
	const char *article_type;
	const char *types;          /* the dc:type statements written */
	enum cw_item_type back;     /* the item type read back */
};

static const struct type_case type_cases[] = {
    {CW_TYPE_ARTICLE_JOURNAL, NULL,
     "info:eu-repo/semantics/article|info:eu-repo/semantics/publishedVersion",
     CW_TYPE_ARTICLE_JOURNAL},
    {CW_TYPE_ARTICLE_JOURNAL, "research-article",
     "info:eu-repo/semantics/article|info:eu-repo/semantics/publishedVersion",
     CW_TYPE_ARTICLE_JOURNAL},
    {CW_TYPE_ARTICLE_JOURNAL, "editorial",
     "info:eu-repo/semantics/article|info:eu-repo/semantics/publishedVersion",
     CW_TYPE_ARTICLE_JOURNAL},
    {CW_TYPE_REVIEW_BOOK, "book-review",
     "info:eu-repo/semantics/review|info:eu-repo/semantics/publishedVersion", CW_TYPE_REVIEW},
    {CW_TYPE_ARTICLE_JOURNAL, "book-review",
     "info:eu-repo/semantics/review|info:eu-repo/semantics/publishedVersion", CW_TYPE_REVIEW},
    {CW_TYPE_ARTICLE_JOURNAL, "abstract",
     "info:eu-repo/semantics/conferenceObject|info:eu-repo/semantics/publishedVersion",
     CW_TYPE_PAPER_CONFERENCE},
    {CW_TYPE_CHAPTER, NULL,
     "info:eu-repo/semantics/bookPart|info:eu-repo/semantics/publishedVersion", CW_TYPE_CHAPTER},
    {CW_TYPE_PAPER_CONFERENCE, NULL,
     "info:eu-repo/semantics/conferenceObject|info:eu-repo/semantics/publishedVersion",
     CW_TYPE_PAPER_CONFERENCE},
    {CW_TYPE_ARTICLE_NEWSPAPER, NULL,
     "info:eu-repo/semantics/contributionToPeriodical|info:eu-repo/semantics/publishedVersion",
     CW_TYPE_ARTICLE_MAGAZINE},
    {CW_TYPE_DATASET, NULL,
     "info:eu-repo/semantics/dataset|info:eu-repo/semantics/publishedVersion|Dataset",
     CW_TYPE_DATASET},
    {CW_TYPE_SOFTWARE, NULL,
     "info:eu-repo/semantics/other|info:eu-repo/semantics/publishedVersion|Software",
     CW_TYPE_SOFTWARE},
    {CW_TYPE_MOTION_PICTURE, NULL,
     "info:eu-repo/semantics/other|info:eu-repo/semantics/publishedVersion|MovingImage",
     CW_TYPE_MOTION_PICTURE},
    {CW_TYPE_LEGISLATION, NULL,
     "info:eu-repo/semantics/other|info:eu-repo/semantics/publishedVersion", CW_TYPE_DOCUMENT},
};

/* The article as c types it, in oai_dc. */
static char *typed_article(const struct type_case *c, cwt_diags *d)
{
	cw_record *r = article();
	cw_record_clear(r, CW_FIELD_SECTION);
	cw_record_set_type(r, c->type);
	if (c->article_type)
		cw_record_set_text(r, CW_FIELD_ARTICLE_TYPE, c->article_type, CW_NUL);
	char *xml = cwt_write_records("dc", &r, 1, d, NULL);
	cr_assert(xml);
	cw_record_free(r);
	return xml;
}

/* dc:type from the CSL type and the article-type: vocabulary values, never the JATS word. */
Test(dc_types, vocabulary_from_type_and_article_type)
{
	for (size_t i = 0; i < sizeof type_cases / sizeof type_cases[0]; i++) {
		const struct type_case *c = &type_cases[i];
		cwt_diags d = {0};
		char *xml = typed_article(c, &d);
		cw_buf types = CW_BUF_INIT;
		dc_types(xml, &types);
		cr_expect_str_eq(cw_buf_str(&types), c->types, "case %zu", i);
		int reported = 0;
		for (size_t k = 0; k < d.n; k++)
			reported |= d.items[k].field == CW_FIELD_ARTICLE_TYPE;
		cr_expect_eq(reported, c->article_type != NULL,
		             "case %zu: the article-type word is reported as not carried:\n%s", i,
		             cw_buf_str(&d.text));
		cw_record **back = NULL;
		size_t n = read_recs("dc", xml, strlen(xml), &back);
		cr_assert_eq(n, 1);
		cr_expect_eq(cw_record_type(back[0]), c->back, "case %zu: read back as %s", i,
		             cw_item_type_name(cw_record_type(back[0])));
		cr_expect_null(cw_record_text(back[0], CW_FIELD_GENRE), "case %zu", i);
		cwt_free_records(back, n);
		cw_buf_free(&types);
		cwt_diags_free(&d);
		free(xml);
	}
}

Test(dc_types_corpus, vocabulary_values_validate)
{
	for (size_t i = 0; i < sizeof type_cases / sizeof type_cases[0]; i++) {
		cwt_diags d = {0};
		char *xml = typed_article(&type_cases[i], &d);
		cw_buf log = CW_BUF_INIT;
		cr_expect_eq(xmllint("oai_dc.xsd", xml, strlen(xml), &log), 0, "case %zu: %s", i,
		             cw_buf_str(&log));
		cw_buf_free(&log);
		cwt_diags_free(&d);
		free(xml);
	}
}

/* A JATS word that an earlier writer put into dc:type as free text. */
Test(dc_types, jats_words_read_as_article_type)
{
	static const char xml[] =
	    "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
	    "<dc:title>T</dc:title><dc:type>book-review</dc:type></oai_dc:dc>";
	cw_record **back = NULL;
	size_t n = read_recs("dc", xml, sizeof xml - 1, &back);
	cr_assert_eq(n, 1);
	cr_expect_eq(cw_record_type(back[0]), CW_TYPE_REVIEW_BOOK);
	cr_expect_str_eq(cw_record_text(back[0], CW_FIELD_ARTICLE_TYPE), "book-review");
	cr_expect_null(cw_record_text(back[0], CW_FIELD_GENRE), "not a genre APA would print");
	char *again = write_recs("dc", back, n);
	cr_expect(strstr(again, "<dc:type>book-review</dc:type>"), "DC -> DC keeps it:\n%s", again);
	free(again);
	cwt_free_records(back, n);
	/* a PKP section label spelt like a JATS word stays the section */
	static const char pkp[] =
	    "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>T</dc:title>"
	    "<dc:type>info:eu-repo/semantics/article</dc:type><dc:type>Editorial</dc:type>"
	    "</oai_dc:dc>";
	n = read_recs("dc", pkp, sizeof pkp - 1, &back);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(cw_record_text(back[0], CW_FIELD_SECTION), "Editorial");
	cr_expect_null(cw_record_text(back[0], CW_FIELD_ARTICLE_TYPE));
	cwt_free_records(back, n);
}

/*
 * A dc:type word that only names the type ("Article", DSpace's default
 * "Other") chooses the type but is no genre: APA would print "[Article]".
 * A word that says more ("Working paper") is the genre too.
 */
static const struct {
	const char *word;
	enum cw_item_type type;
	const char *genre;
} type_words[] = {
    {"Other", CW_TYPE_DOCUMENT, NULL},
    {"Article", CW_TYPE_ARTICLE_JOURNAL, NULL},
    {"Book chapter", CW_TYPE_CHAPTER, NULL},
    {"Thesis", CW_TYPE_THESIS, NULL},
    {"Working Paper", CW_TYPE_REPORT, "Working Paper"},
    {"Doctoral thesis", CW_TYPE_THESIS, "Doctoral thesis"},
};

Test(dc_types, words_naming_the_type_are_no_genre)
{
	for (size_t i = 0; i < sizeof type_words / sizeof type_words[0]; i++) {
		cw_buf xml = CW_BUF_INIT;
		cw_buf_printf(&xml,
		              "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
		              "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
		              "<dc:title>T</dc:title><dc:type>%s</dc:type></oai_dc:dc>",
		              type_words[i].word);
		cw_record **back = NULL;
		size_t n = read_recs("dc", xml.data, xml.len, &back);
		cr_assert_eq(n, 1);
		cr_expect_eq(cw_record_type(back[0]), type_words[i].type, "%s", type_words[i].word);
		const char *g = cw_record_text(back[0], CW_FIELD_GENRE);
		if (type_words[i].genre)
			cr_expect_str_eq(g, type_words[i].genre);
		else
			cr_expect_null(g, "%s: %s", type_words[i].word, g);
		char *again = write_recs("dc", back, n);
		cw_buf want = CW_BUF_INIT;
		cw_buf_printf(&want, "<dc:type>%s</dc:type>", type_words[i].word);
		cr_expect(strstr(again, want.data), "DC -> DC keeps it:\n%s", again);
		cw_buf_free(&want);
		free(again);
		cwt_free_records(back, n);
		cw_buf_free(&xml);
	}
}

/* One DC title: subtitle and addon joined, as in every DC writer. */
Test(dc_article, subtitles_joined_into_the_titles)
{
	cw_record *r = article();
	cw_record_set_text(r, CW_FIELD_TITLE, "Kazakhstan and Russia", CW_NUL);
	cw_record_set_text(r, CW_FIELD_SUBTITLE, "Relations", CW_NUL);
	cw_record_set_text(r, CW_FIELD_TITLE_ADDON, "A review", CW_NUL);
	cw_record_set_text(r, CW_FIELD_CONTAINER_SUBTITLE, "A journal", CW_NUL);
	static const struct {
		const char *fmt, *title, *container;
	} want[] = {
	    {"dc", "<dc:title xml:lang=\"en\">Kazakhstan and Russia: Relations. A review</dc:title>",
	     "<dc:source>Central Asia and the Caucasus: A journal; Vol. 9 No. 1"},
	    {"dcterms",
	     "<dc:title xml:lang=\"en\">Kazakhstan and Russia: Relations. A review</dc:title>",
	     "Central Asia and the Caucasus: A journal; Vol. 9 No. 1"},
	    {"html-meta",
	     "<meta name=\"citation_title\" content=\"Kazakhstan and Russia: Relations. A review\" />",
	     "<meta name=\"citation_journal_title\" content=\"Central Asia and the Caucasus: A "
	     "journal\" />"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		cwt_diags d = {0};
		char *out = cwt_write_records(want[i].fmt, &r, 1, &d, NULL);
		cr_assert(out);
		cr_expect(strstr(out, want[i].title), "%s:\n%s", want[i].fmt, out);
		cr_expect(strstr(out, want[i].container), "%s:\n%s", want[i].fmt, out);
		for (size_t k = 0; k < d.n; k++)
			cr_expect(d.items[k].field != CW_FIELD_SUBTITLE &&
			              d.items[k].field != CW_FIELD_TITLE_ADDON &&
			              d.items[k].field != CW_FIELD_CONTAINER_SUBTITLE,
			          "%s carries the parts: %s", want[i].fmt, d.items[k].message);
		free(out);
		cwt_diags_free(&d);
	}
	cw_record_free(r);
}

/* An organisation's name with commas goes through DC as one literal name. */
Test(dc_article, corporate_creators_stay_whole)
{
	cw_record *r = article();
	cw_name org = CW_NAME_INIT;
	org.literal = "Universität Wien, Institut für Geschichte";
	cw_record_add_name(r, CW_FIELD_AUTHOR, &org);
	org.literal = "The PLOS ONE Staff";
	cw_record_add_name(r, CW_FIELD_AUTHOR, &org);
	char *xml = write_recs("dc", &r, 1);
	cw_record **back = NULL;
	size_t n = read_recs("dc", xml, strlen(xml), &back);
	cr_assert_eq(n, 1);
	cr_assert_eq(cw_record_name_count(back[0], CW_FIELD_AUTHOR), 4);
	cr_expect_str_eq(cw_record_name(back[0], CW_FIELD_AUTHOR, 2)->literal,
	                 "Universität Wien, Institut für Geschichte");
	cr_expect_str_eq(cw_record_name(back[0], CW_FIELD_AUTHOR, 3)->literal, "The PLOS ONE Staff");
	cwt_free_records(back, n);
	free(xml);
	cw_record_free(r);
}

/* The article with junk in its passthrough fields, a name's extra and OAI header values. */
static cw_record *junk_article(void)
{
	cw_record *r = article();
	cw_record_add_passthrough(r, "dc", "coverage", "M\xfcnchen \x01 ok", CW_NUL);
	cw_record_add_passthrough(r, "dc", "format@d\xe9", "text/html", CW_NUL);
	cw_record_add_passthrough(r, "dc", "oai:setSpec", "set\xff", CW_NUL);
	cw_record_add_passthrough(r, "dc", "oai:datestamp", "2008-01-01", CW_NUL);
	cw_name n = CW_NAME_INIT;
	n.family = "Doe";
	n.given = "Jane";
	n.extra_format = "dc";
	n.extra = "Doe, J\xe4ne";
	cw_record_add_name(r, CW_FIELD_AUTHOR, &n);
	return r;
}

/* Passthrough, extras and OAI header values are kept byte for byte: junk is repaired. */
Test(dc_article, junk_passthrough_is_repaired_and_reported)
{
	cw_record *r = junk_article();
	for (int f = 0; f < 3; f++) {
		static const char *const fmts[] = {"dc", "dcterms", "html-meta"};
		cwt_diags d = {0};
		char *out = cwt_write_records(fmts[f], &r, 1, &d, NULL);
		cr_assert(out, "%s", fmts[f]);
		cr_expect_eq(cw_utf8_check(out, strlen(out)), strlen(out), "%s:\n%s", fmts[f], out);
		cr_expect(strstr(out, "M\xef\xbf\xbdnchen  ok"), "%s:\n%s", fmts[f], out);
		cr_expect(!strchr(out, '\x01'), "%s", fmts[f]);
		cr_expect_geq(cwt_diags_count(&d, CW_SEV_WARNING), 2, "%s: %s", fmts[f],
		              cw_buf_str(&d.text));
		free(out);
		cwt_diags_free(&d);
	}
	cw_record_free(r);
}

Test(dc_article_corpus, junk_repaired_validates)
{
	cw_record *r = junk_article();
	char *out = valid_dc(r, "OAI-PMH.xsd");
	cr_expect(validate_embedded(out, "junk") == 1);
	free(out);
	cw_record_free(r);
}
