/*
 * JATS conformance over the shared corpus:
 * - every article reads, with at most located warnings;
 * - the number of references equals the number of citations in the article's
 *   main ref-list (counted independently with libxml2: a mixed citation beside
 *   an element citation is one citation, an empty citation element none);
 * - every DOI of article-meta and of the reference list is in the records;
 * - JATS -> record -> JATS -> record is identical, and the written JATS is
 *   valid against the JATS 1.3 Journal Publishing (MathML3) DTD (xmllint);
 * - CSL-JSON goldens, one per publisher style, match (tests/jats/golden).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "cw_test.h"

static char **jats_files(size_t *count)
{
	char root[4096];
	CWT_CORPUS("jats", root);
	size_t nx, nn;
	char **xml = cwt_list_files(root, ".xml", &nx);
	char **nxml = cwt_list_files(root, ".nxml", &nn);
	char **all = malloc((nx + nn) * sizeof *all);
	cr_assert(all);
	size_t n = 0;
	for (size_t i = 0; i < nx; i++) {
		if (strstr(xml[i], "/schema/"))
			free(xml[i]);
		else
			all[n++] = xml[i];
	}
	for (size_t i = 0; i < nn; i++)
		all[n++] = nxml[i];
	free(xml);
	free(nxml);
	*count = n;
	return all;
}

/* An XPath over the file (no DTD, no network), with its node set; NULL on error. */
static xmlXPathObjectPtr xpath(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	cr_assert(ctx);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	xmlXPathFreeContext(ctx);
	cr_assert(o, "xpath %s failed", expr);
	return o;
}

static size_t nodes(xmlXPathObjectPtr o)
{
	return (o && o->nodesetval) ? (size_t)o->nodesetval->nodeNr : 0;
}

/* The main ref-list: back/ref-list and back/sec/ref-list, nested ref-lists included. */
#define MAIN_REFS                                                                                  \
	"(/article/back/ref-list | /article/back/sec/ref-list)/descendant-or-self::ref-list/ref"

/* 1 when a citation element holds neither an element nor text. */
static int empty_citation(const xmlNode *n)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE || c->type == XML_ENTITY_REF_NODE)
			return 0;
		if (c->type == XML_TEXT_NODE && c->content &&
		    strspn((const char *)c->content, " \t\r\n") != strlen((const char *)c->content))
			return 0;
	}
	return 1;
}

static int name_is(const xmlNode *n, const char *a, const char *b)
{
	return n->type == XML_ELEMENT_NODE &&
	       (strcmp((const char *)n->name, a) == 0 || strcmp((const char *)n->name, b) == 0);
}

/*
 * The citations of a <ref>, counted as the issue defines them: a mixed
 * citation beside an element citation is the same citation (SciELO, Redalyc),
 * a <citation-alternatives> is one, and an empty citation element is none.
 */
static size_t ref_citations(const xmlNode *ref)
{
	size_t el = 0, mixed = 0, alts = 0;
	for (const xmlNode *c = ref->children; c; c = c->next) {
		if (name_is(c, "element-citation", "nlm-citation"))
			el += !empty_citation(c);
		else if (name_is(c, "mixed-citation", "citation"))
			mixed += !empty_citation(c);
		else if (name_is(c, "citation-alternatives", "citation-alternatives")) {
			int full = 0;
			for (const xmlNode *a = c->children; a; a = a->next)
				full |= a->type == XML_ELEMENT_NODE && !empty_citation(a);
			if (full)
				alts++;
		}
	}
	return (el > mixed ? el : mixed) + alts;
}

static xmlDocPtr parse_plain(const char *data, size_t len)
{
	/* PMC files use namespaces freely; XPath here uses local names via no-ns elements */
	return xmlReadMemory(data, (int)len, "corpus.xml", NULL,
	                     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static int has_doi(const cw_record *rec, const char *doi)
{
	const char *d = cw_record_text(rec, CW_FIELD_DOI);
	if (d && strcasecmp(d, doi) == 0)
		return 1;
	for (size_t i = 0; i < cw_record_child_count(rec); i++)
		if (has_doi(cw_record_child(rec, i), doi))
			return 1;
	return 0;
}

/* The bare DOI of an id element's text (trimmed, doi.org/ and doi: removed). */
static void bare_doi(const char *in, char *out, size_t cap)
{
	while (*in == ' ' || *in == '\n' || *in == '\t')
		in++;
	const char *p = strstr(in, "doi.org/");
	if (p)
		in = p + 8;
	else if (strncasecmp(in, "doi:", 4) == 0)
		in += 4;
	snprintf(out, cap, "%s", in);
	size_t n = strlen(out);
	while (n && (out[n - 1] == ' ' || out[n - 1] == '\n' || out[n - 1] == '\t'))
		out[--n] = 0;
}

Test(jats_corpus, every_article_reads_with_all_refs_and_dois)
{
	size_t n;
	char **files = jats_files(&n);
	cr_assert(n >= 47, "expected the 47 corpus articles, found %zu", n);
	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *data = cwt_read_file(files[i], &len);
		cr_assert(data, "cannot read %s", files[i]);
		cwt_diags d = {0};
		cw_record **recs = NULL;
		size_t nrec = cwt_read_records("jats", data, len, &recs, &d, NULL);
		cr_expect_eq(nrec, 1, "%s: %zu records\n%s", files[i], nrec, cw_buf_str(&d.text));
		cr_expect_eq(cwt_diags_count(&d, CW_SEV_ERROR), 0, "%s: errors\n%s", files[i],
		             cw_buf_str(&d.text));
		for (size_t k = 0; k < d.n; k++)
			cr_expect(d.items[k].line > 0, "%s: diagnostic without a line: %s",
			          files[i], d.items[k].message);
		if (nrec == 1) {
			xmlDocPtr doc = parse_plain(data, len);
			cr_assert(doc, "%s: libxml2 cannot parse it", files[i]);
			xmlXPathObjectPtr c = xpath(doc, MAIN_REFS);
			size_t want = 0;
			for (size_t k = 0; k < nodes(c); k++)
				want += ref_citations(c->nodesetval->nodeTab[k]);
			cr_expect_eq(cw_record_child_count(recs[0]), want,
			             "%s: %zu references read, %zu citations", files[i],
			             cw_record_child_count(recs[0]), want);
			xmlXPathFreeObject(c);
			xmlXPathObjectPtr dois =
			    xpath(doc, "/article/front/article-meta/article-id[@pub-id-type='doi'] "
			               "| " MAIN_REFS "//pub-id[@pub-id-type='doi']");
			for (size_t k = 0; k < nodes(dois); k++) {
				xmlChar *t = xmlNodeGetContent(dois->nodesetval->nodeTab[k]);
				char doi[1024];
				bare_doi((const char *)t, doi, sizeof doi);
				xmlFree(t);
				cr_expect(has_doi(recs[0], doi), "%s: DOI %s not in the records",
				          files[i], doi);
			}
			xmlXPathFreeObject(dois);
			xmlFreeDoc(doc);
		}
		cwt_free_records(recs, nrec);
		cwt_diags_free(&d);
		free(data);
		free(files[i]);
	}
	free(files);
}

/* Fails with the first difference of two records. */
static void expect_same(const cw_record *a, const cw_record *b, const char *what)
{
	cw_buf diff = CW_BUF_INIT;
	int rc = cw_record_compare(a, b, &diff);
	cr_expect_eq(rc, 0, "%s: round trip differs: %s", what, cw_buf_str(&diff));
	cw_buf_free(&diff);
}

static void dtd_valid(const char *path, const char *what)
{
	char root[4096];
	CWT_CORPUS("jats/schema/1.3/JATS-journalpublishing1-3-mathml3.dtd", root);
	cw_buf cmd = CW_BUF_INIT, out = CW_BUF_INIT;
	cw_buf_printf(&cmd,
	              "xmllint --noout --nonet --dtdvalid '%s' '%s' 2>&1 | grep -v "
	              "'failed to load external entity' | grep -c 'error'",
	              root, path);
	cwt_run(cmd.data, &out);
	cr_expect_eq(atoi(cw_buf_str(&out)), 0, "%s: not valid JATS 1.3 Journal Publishing:\n%s",
	             what, path);
	cw_buf_free(&cmd);
	cw_buf_free(&out);
}

Test(jats_corpus, round_trip_is_identical_and_dtd_valid)
{
	cwt_require_tool("xmllint");
	size_t n;
	char **files = jats_files(&n);
	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *data = cwt_read_file(files[i], &len);
		cwt_diags d1 = {0}, d2 = {0}, d3 = {0};
		cw_record **r1 = NULL, **r2 = NULL;
		size_t n1 = cwt_read_records("jats", data, len, &r1, &d1, NULL);
		cr_assert_eq(n1, 1, "%s", files[i]);
		char *out = cwt_write_records("jats", r1, n1, &d2, NULL);
		cr_assert(out, "%s: writer failed\n%s", files[i], cw_buf_str(&d2.text));
		cr_expect_eq(cwt_diags_count(&d2, CW_SEV_WARNING), 0,
		             "%s: JATS -> JATS reported losses:\n%s", files[i],
		             cw_buf_str(&d2.text));
		size_t n2 = cwt_read_records("jats", out, strlen(out), &r2, &d3, NULL);
		cr_assert_eq(n2, 1, "%s: written JATS does not read back\n%s", files[i],
		             cw_buf_str(&d3.text));
		expect_same(r1[0], r2[0], files[i]);
		/* the writer is deterministic and idempotent */
		char *again = cwt_write_records("jats", r2, n2, NULL, NULL);
		cr_expect_str_eq(again, out, "%s: second write differs", files[i]);
		char path[4200];
		const char *base = strrchr(files[i], '/');
		snprintf(path, sizeof path, "%s/%s.jats.xml", cwt_tmpdir(),
		         base ? base + 1 : files[i]);
		cr_assert_eq(cwt_write_file(path, out, strlen(out)), 0);
		dtd_valid(path, files[i]);
		free(again);
		free(out);
		cwt_free_records(r1, n1);
		cwt_free_records(r2, n2);
		cwt_diags_free(&d1);
		cwt_diags_free(&d2);
		cwt_diags_free(&d3);
		free(data);
		free(files[i]);
	}
	free(files);
}

/* One article per publisher style; the expected CSL-JSON was checked by hand. */
static const char *const golden[][2] = {
    {"biorxiv/biorxiv-87253.xml", "biorxiv"},
    {"elife/elife00351.xml", "elife"},
    {"f1000/f1000-7-1655-v1.xml", "f1000"},
    {"ijm/ijm-00202.xml", "ijm"},
    {"jats4r/acs9.xml", "jats4r-acs"},
    {"ojs/ie1.xml", "ojs"},
    {"pensoft/phytokeys_24609_tp.xml", "pensoft"},
    {"plos/journal.pbio.0020188.xml", "plos"},
    {"pmc/1472-6831-8-11.nxml", "pmc-nlm23"},
    {"scielo/0034-8910-rsp-48-2-0322.xml", "scielo"},
};

Test(jats_corpus, csljson_goldens_per_publisher)
{
	char root[4096];
	CWT_CORPUS("jats", root);
	for (size_t i = 0; i < sizeof golden / sizeof golden[0]; i++) {
		char path[8192], gpath[8192];
		snprintf(path, sizeof path, "%s/%s", root, golden[i][0]);
		snprintf(gpath, sizeof gpath, "%s/tests/jats/golden/%s.csl.json", cwt_source_dir(),
		         golden[i][1]);
		size_t len, glen;
		char *data = cwt_read_file(path, &len);
		cr_assert(data, "%s", path);
		cwt_result r;
		cwt_convert(&r, "jats", "csljson", data, len, NULL, NULL, NULL);
		cr_expect_eq(r.status, CW_OK, "%s\n%s", path, cw_buf_str(&r.diags.text));
		char *want = cwt_read_file(gpath, &glen);
		if (!want || getenv("CW_UPDATE_GOLDEN")) {
			cr_assert(getenv("CW_UPDATE_GOLDEN"), "missing golden %s", gpath);
			cwt_write_file(gpath, r.output, r.output_len);
		} else {
			cr_expect_str_eq(r.output, want, "%s differs from %s", golden[i][0], gpath);
		}
		free(want);
		cwt_result_free(&r);
		free(data);
	}
}

/* Every CSL test-suite item, written as JATS (an article, or a ref-list for several), validates. */
Test(jats_corpus, csl_test_suite_items_write_valid_jats)
{
	cwt_require_tool("xmllint");
	char root[4096], dtd[4096];
	CWT_CORPUS("csl/test-suite-inputs", root);
	CWT_CORPUS("jats/schema/1.3/JATS-journalpublishing1-3-mathml3.dtd", dtd);
	size_t n;
	char **files = cwt_list_files(root, ".json", &n);
	cr_assert(n > 800, "%zu files", n);
	char dir[4200];
	snprintf(dir, sizeof dir, "%s/csl-jats", cwt_tmpdir());
	cr_assert_eq(mkdir(dir, 0700), 0);
	size_t written = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *data = cwt_read_file(files[i], &len);
		cwt_result res;
		cwt_convert(&res, "csljson", "jats", data, len, NULL, NULL, NULL);
		cr_expect(res.status == CW_OK || res.status == CW_ERECORD, "%s: %s\n%s", files[i],
		          cw_status_str(res.status), cw_buf_str(&res.diags.text));
		if (res.output_len) {
			char path[4400];
			snprintf(path, sizeof path, "%s/%05zu.xml", dir, i);
			cwt_write_file(path, res.output, res.output_len);
			written++;
		}
		cwt_result_free(&res);
		free(data);
	}
	cwt_free_list(files, n);
	cr_assert(written > 700, "%zu written", written);
	cw_buf cmd = CW_BUF_INIT, out = CW_BUF_INIT;
	cw_buf_printf(&cmd,
	              "xmllint --noout --nonet --dtdvalid '%s' '%s'/*.xml 2>&1 | "
	              "grep -v 'failed to load external entity' | grep 'error' | head -5",
	              dtd, dir);
	cwt_run(cmd.data, &out);
	cr_expect_eq(out.len, 0, "invalid JATS written:\n%s", cw_buf_str(&out));
	cw_buf_free(&cmd);
	cw_buf_free(&out);
}
