/*
 * Zero records give a document that parses, and validates against the
 * format's schema where there is one, for every writer and every writer
 * option that changes the document's shape (docs/formats/, "No
 * records"). JATS article mode, which promises one article, refuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include "cw_test.h"
#include "cwt_cases.h"

enum shape {
	EMPTY_FILE,  /* zero bytes: a valid BibTeX file and JSON Lines stream */
	EMPTY_ARRAY, /* [] */
	OAI_EMPTY,   /* an OAI-PMH response with the noRecordsMatch error */
	REF_LIST,    /* an empty JATS <ref-list> */
	HTML_PAGE,   /* a page whose head has no metadata */
	REFUSED      /* an error, and no output */
};

typedef struct empty_case {
	const char *format;
	const char *opts[4];
	enum shape shape;
	const char *schema; /* corpus file to validate against: .xsd or .dtd */
	const char *root;   /* the document element */
} empty_case;

#define OAI_XSD "dc/schema/OAI-PMH.xsd"
#define JATS_DTD "jats/schema/1.3/JATS-journalpublishing1-3-mathml3.dtd"

static const empty_case cases[] = {
    {"bibtex", {NULL}, EMPTY_FILE, NULL, NULL},
    {"bibtex", {"ascii", "keys=auth-year", NULL}, EMPTY_FILE, NULL, NULL},
    {"biblatex", {NULL}, EMPTY_FILE, NULL, NULL},
    {"csljson", {NULL}, EMPTY_ARRAY, NULL, NULL},
    {"csljson", {"compact", NULL}, EMPTY_ARRAY, NULL, NULL},
    {"csljson", {"inline-unknown", NULL}, EMPTY_ARRAY, NULL, NULL},
    {"csljsonl", {NULL}, EMPTY_FILE, NULL, NULL},
    {"dc", {NULL}, OAI_EMPTY, OAI_XSD, "OAI-PMH"},
    {"dc", {"container=listrecords", NULL}, OAI_EMPTY, OAI_XSD, "OAI-PMH"},
    {"dc",
     {"response-date=2024-05-06T07:08:09Z", "base-url=https://example.org/oai", NULL},
     OAI_EMPTY,
     OAI_XSD,
     "OAI-PMH"},
    {"dcterms", {NULL}, OAI_EMPTY, OAI_XSD, "OAI-PMH"},
    {"dcterms", {"container=listrecords", NULL}, OAI_EMPTY, OAI_XSD, "OAI-PMH"},
    {"html-meta", {NULL}, HTML_PAGE, NULL, "html"},
    {"jats", {NULL}, REF_LIST, JATS_DTD, "ref-list"},
    {"jats", {"jats-fragment=ref-list", NULL}, REF_LIST, JATS_DTD, "ref-list"},
    {"jats", {"jats-fragment=auto", "jats-doctype=false", NULL}, REF_LIST, JATS_DTD, "ref-list"},
    {"jats", {"jats-fragment=article", NULL}, REFUSED, NULL, NULL},
};

static const char *name_of(const empty_case *c)
{
	static char buf[256];
	snprintf(buf, sizeof buf, "%s", c->format);
	for (size_t i = 0; c->opts[i]; i++) {
		strncat(buf, " --", sizeof buf - strlen(buf) - 1);
		strncat(buf, c->opts[i], sizeof buf - strlen(buf) - 1);
	}
	return buf;
}

/* Writes zero records; NULL when the writer failed. */
static char *write_none(const empty_case *c, cwt_diags *d)
{
	return cwt_write_records(c->format, NULL, 0, d, c->opts);
}

/* The root element's name of a well-formed XML document, or a failed test. */
static void expect_xml_root(const empty_case *c, const char *out)
{
	xmlDocPtr doc = xmlReadMemory(out, (int)strlen(out), "empty.xml", NULL,
	                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	cr_assert(doc, "%s: zero records give no well-formed XML:\n%s", name_of(c), out);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	cr_expect(root && strcmp((const char *)root->name, c->root) == 0,
	          "%s: the document element is not <%s>:\n%s", name_of(c), c->root, out);
	if (c->shape == REF_LIST)
		cr_expect(root && !xmlFirstElementChild(root), "%s: the ref-list is not empty",
		          name_of(c));
	if (c->shape == OAI_EMPTY) {
		xmlNodePtr e = root ? xmlFirstElementChild(root) : NULL;
		while (e && strcmp((const char *)e->name, "error") != 0)
			e = xmlNextElementSibling(e);
		xmlChar *code = e ? xmlGetProp(e, (const xmlChar *)"code") : NULL;
		cr_expect(code && strcmp((const char *)code, "noRecordsMatch") == 0,
		          "%s: no noRecordsMatch error:\n%s", name_of(c), out);
		xmlFree(code);
	}
	xmlFreeDoc(doc);
}

CWT_CASES(writers_empty, parses, cases)
ParameterizedTest(size_t *ix, writers_empty, parses)
{
	const empty_case *c = &cases[*ix];
	cwt_diags d = {0};
	char *out = write_none(c, &d);
	switch (c->shape) {
	case REFUSED:
		cr_expect_null(out, "%s: zero records were not refused", name_of(c));
		cr_expect_eq(cwt_diags_count(&d, CW_SEV_ERROR), 1, "%s", cw_buf_str(&d.text));
		cr_expect(strstr(cw_buf_str(&d.text), "no records") != NULL, "%s",
		          cw_buf_str(&d.text));
		break;
	case EMPTY_FILE:
		cr_assert_not_null(out, "%s: %s", name_of(c), cw_buf_str(&d.text));
		cr_expect_str_empty(out, "%s", name_of(c));
		break;
	case EMPTY_ARRAY: {
		cr_assert_not_null(out, "%s: %s", name_of(c), cw_buf_str(&d.text));
		json_error_t err;
		json_t *j = json_loads(out, 0, &err);
		cr_assert(j, "%s: no JSON: %s\n%s", name_of(c), err.text, out);
		cr_expect(json_is_array(j) && json_array_size(j) == 0, "%s: not []: %s", name_of(c),
		          out);
		json_decref(j);
		break;
	}
	case OAI_EMPTY:
	case REF_LIST:
		cr_assert_not_null(out, "%s: %s", name_of(c), cw_buf_str(&d.text));
		expect_xml_root(c, out);
		break;
	case HTML_PAGE: {
		cr_assert_not_null(out, "%s: %s", name_of(c), cw_buf_str(&d.text));
		htmlDocPtr doc =
		    htmlReadMemory(out, (int)strlen(out), "empty.html", "utf-8",
		                   HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
		cr_assert(doc, "%s: no HTML:\n%s", name_of(c), out);
		xmlNodePtr root = xmlDocGetRootElement(doc);
		xmlNodePtr head = root ? xmlFirstElementChild(root) : NULL;
		cr_expect(head && strcmp((const char *)head->name, "head") == 0, "%s", out);
		size_t metadata = 0, titles = 0;
		for (xmlNodePtr e = head ? xmlFirstElementChild(head) : NULL; e;
		     e = xmlNextElementSibling(e)) {
			xmlChar *nm = xmlGetProp(e, (const xmlChar *)"name");
			metadata += nm != NULL || strcmp((const char *)e->name, "link") == 0;
			titles += strcmp((const char *)e->name, "title") == 0 && e->children;
			xmlFree(nm);
		}
		cr_expect_eq(metadata, 0, "the empty page has metadata:\n%s", out);
		cr_expect_eq(titles, 1, "HTML wants one title that is not empty:\n%s", out);
		xmlFreeDoc(doc);
		/* well-formed as XML too, as the writer's pages are */
		expect_xml_root(c, out);
		break;
	}
	}
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_WARNING), c->shape == REFUSED,
	             "%s: zero records are no warning:\n%s", name_of(c), cw_buf_str(&d.text));
	free(out);
	cwt_diags_free(&d);
}

/* Against the schemas of ../shared/corpus: skipped (not passed) without them. */
CWT_CASES(writers_empty_corpus, validates, cases)
ParameterizedTest(size_t *ix, writers_empty_corpus, validates)
{
	const empty_case *c = &cases[*ix];
	if (!c->schema)
		cr_skip_test("%s: no schema (\"parses\" checks all there is)", name_of(c));
	char *out = write_none(c, NULL);
	cr_assert_not_null(out, "%s", name_of(c));
	cw_buf log = CW_BUF_INIT;
	cr_expect_eq(cwt_corpus_validate(c->schema, out, strlen(out), &log), 0,
	             "%s: zero records give an invalid document:\n%s\n%s", name_of(c), out,
	             cw_buf_str(&log));
	cw_buf_free(&log);
	free(out);
}

/* The CLI case of the issue: `crosswalk convert e.json -f csljson -t dc -o -`. */
Test(writers_empty, cli_writes_the_empty_document)
{
	const char *cli = getenv("CW_CROSSWALK");
	cr_assert(cli, "CW_CROSSWALK is not set");
	char in[4300];
	snprintf(in, sizeof in, "%s/e.json", cwt_tmpdir());
	cr_assert_eq(cwt_write_file(in, "[]", 2), 0);
	static const char *const to[] = {"dc", "dcterms", "jats", "html-meta"};
	for (size_t i = 0; i < sizeof to / sizeof to[0]; i++) {
		cw_buf cmd = CW_BUF_INIT, out = CW_BUF_INIT;
		cw_buf_printf(&cmd, "'%s' convert '%s' -f csljson -t %s -o - 2>/dev/null", cli, in,
		              to[i]);
		int rc = cwt_run(cmd.data, &out);
		cr_expect_eq(rc, 0, "%s", cmd.data);
		cr_expect_gt(out.len, 0, "%s: zero records give a 0-byte file", to[i]);
		cw_buf_free(&cmd);
		cw_buf_free(&out);
	}
}
