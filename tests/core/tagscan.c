/*
 * cw_tagscan, the attribute guard of the XML and HTML readers: it counts
 * the attributes of each tag and nothing else, across chunk boundaries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

/* Feeds s in chunks of step bytes; returns the status of the last feed. */
static int scan(const char *s, uint32_t max, int html, size_t step, uint32_t *line)
{
	cw_tagscan *t = NULL;
	cr_assert_eq(cw_tagscan_new(&t, max, html), CW_OK);
	int rc = CW_OK;
	size_t n = strlen(s);
	for (size_t i = 0; i < n && rc == CW_OK; i += step)
		rc = cw_tagscan_feed(t, s + i, n - i < step ? n - i : step);
	if (line)
		*line = cw_tagscan_line(t);
	cw_tagscan_free(t);
	return rc;
}

/* Every chunking of s gives the same answer. */
static int scan_all(const char *s, uint32_t max, int html, uint32_t *line)
{
	int first = scan(s, max, html, strlen(s) + 1, line);
	for (size_t step = 1; step < 8; step++) {
		uint32_t l;
		cr_expect_eq(scan(s, max, html, step, &l), first, "step %zu: %s", step, s);
		if (line)
			cr_expect_eq(l, *line, "step %zu: line", step);
	}
	return first;
}

Test(tagscan, counts_attributes_per_tag)
{
	cr_expect_eq(scan_all("<a x=\"1\" y='2' z=\"3\"/>", 3, 0, NULL), CW_OK);
	uint32_t line = 0;
	cr_expect_eq(scan_all("<r>\n<a\nx=\"1\" y='2' z=\"3\" w=\"4\"/>", 3, 0, &line), CW_ELIMIT);
	cr_expect_eq(line, 3, "the line of the attribute over the bound");
	/* the count starts again at each tag */
	cr_expect_eq(scan_all("<a x='1' y='2'/><b x='1' y='2'/><c x='1' y='2'/>", 2, 0, NULL),
	             CW_OK);
}

Test(tagscan, skips_what_is_no_attribute)
{
	/* quoted values, comments, CDATA, processing instructions, DOCTYPE, text */
	const char *xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	                  "<!DOCTYPE a [<!ENTITY e \"x=y\">]>"
	                  "<a x=\"p=q=r=s\"><!-- <b a=1 b=2 c=3 d=4> --> x=y=z"
	                  "<![CDATA[<c a=1 b=2 c=3 d=4>]]></a>";
	cr_expect_eq(scan_all(xml, 1, 0, NULL), CW_OK);
	/* a comment may hold '>' before its end */
	cr_expect_eq(scan_all("<!-- a > b <c d=1 e=2 f=3> --><a x='1'/>", 1, 0, NULL), CW_OK);
}

Test(tagscan, html_text_that_is_no_tag)
{
	/* "a < b" is text in HTML, and script, style, title and textarea hold text */
	const char *page = "<html><head><script>for (i=0; i<n; i++) { a=1; b=2; c=3; }</script>"
	                   "<style>p{x:y} a<b{c=d;e=f;g=h}</STYLE>"
	                   "<title>1 < 2, a<b c=d e=f g=h</title>"
	                   "<meta name=\"citation_title\" content=\"T\"></head>"
	                   "<body>x < y = z; w = v; u = t</body></html>";
	cr_expect_eq(scan_all(page, 2, 1, NULL), CW_OK);
	/* the same bytes read as XML count what follows each '<' */
	cr_expect_eq(scan(page, 2, 0, 4096, NULL), CW_ELIMIT);
	/* after the raw text ends, tags count again */
	cr_expect_eq(scan_all("<script>a<b</script><p a=1 b=2 c=3>", 2, 1, NULL), CW_ELIMIT);
}

Test(tagscan, stays_over_the_bound)
{
	cw_tagscan *t = NULL;
	cr_assert_eq(cw_tagscan_new(&t, 1, 0), CW_OK);
	cr_expect_eq(cw_tagscan_feed(t, "<a x='1' y='2'>", 15), CW_ELIMIT);
	cr_expect_eq(cw_tagscan_feed(t, "<b/>", 4), CW_ELIMIT);
	cr_expect_eq(cw_tagscan_max(t), 1);
	cw_tagscan_free(t);
	cw_tagscan_free(NULL);
	cr_expect_eq(cw_tagscan_new(NULL, 1, 0), CW_EINVAL);
	cr_expect_eq(cw_tagscan_feed(NULL, "", 0), CW_EINVAL);
}

/*
 * Reads doc with format under an attributes limit (0: the default); the
 * records read. Expects the reading to end at an element with more
 * attributes than the limit, at line `line`, when line is not 0.
 */
static size_t read_attrs(const char *format, const cw_buf *doc, uint32_t limit, uint32_t line)
{
	cw_limits l = CW_LIMITS_INIT;
	l.max_attributes = limit;
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_memory(&in, doc->data, doc->len, "in"), CW_OK);
	cwt_diags d = {0};
	cw_record **recs = NULL;
	size_t n = 0;
	cwt_read_stream(format, in, &l, NULL, 0, &recs, &n, &d);
	if (line) {
		char want[96];
		snprintf(
		    want, sizeof want,
		    "in:%u: error: more attributes on one element than the attributes limit (%u)",
		    line, limit ? limit : 256);
		cr_expect(strstr(cw_buf_str(&d.text), want), "%s: want %s in:\n%s", format, want,
		          cw_buf_str(&d.text));
		cwt_expect_limit_error(&d, "attributes");
	} else {
		cr_expect_eq(cwt_diags_count(&d, CW_SEV_ERROR), 0, "%s: %s", format,
		             cw_buf_str(&d.text));
	}
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
	return n;
}

Test(tagscan, readers_refuse_an_element_with_too_many_attributes)
{
	/* the DC and html-meta readers (the JATS reader's is in tests/jats) */
	cw_buf doc = CW_BUF_INIT;
	cw_buf_append(&doc,
	              "<?xml version=\"1.0\"?>\n<oai_dc:dc "
	              "xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
	              "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<dc:title",
	              CW_NUL);
	for (int i = 0; i < 300; i++)
		cw_buf_printf(&doc, " a%d=\"v\"", i);
	cw_buf_append(&doc, ">T</dc:title></oai_dc:dc>\n", CW_NUL);
	cr_expect_eq(read_attrs("dc", &doc, 0, 3), 0);
	cr_expect_eq(read_attrs("dc", &doc, 100, 3), 0);
	/* the attributes limit raised: the element is read */
	cr_expect_eq(read_attrs("dc", &doc, 400, 0), 1);
	/* and the same element in a landing page */
	cw_buf_clear(&doc);
	cw_buf_append(&doc, "<html><head>\n<meta name=\"citation_title\" content=\"T\"", CW_NUL);
	for (int i = 0; i < 300; i++)
		cw_buf_printf(&doc, " a%d=\"v\"", i);
	cw_buf_append(&doc, "></head></html>\n", CW_NUL);
	cr_expect_eq(read_attrs("html-meta", &doc, 0, 2), 0);
	cr_expect_eq(read_attrs("html-meta", &doc, 400, 0), 1);
	cw_buf_free(&doc);
}
