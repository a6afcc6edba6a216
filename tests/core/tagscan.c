/*
 * cw_tagscan, the attribute guard of the XML and HTML readers: it counts
 * the attributes of each tag and nothing else, across chunk boundaries.
 */
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
	cwt_diags d = {0};
	cw_record **recs = NULL;
	size_t n = cwt_read_records("dc", doc.data, doc.len, &recs, &d, NULL);
	cr_expect_eq(n, 0);
	cr_expect(strstr(cw_buf_str(&d.text), ":3:") &&
	              strstr(cw_buf_str(&d.text), "more than 256 attributes on one element"),
	          "%s", cw_buf_str(&d.text));
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
	/* and the same element in a landing page */
	cw_buf_clear(&doc);
	cw_buf_append(&doc, "<html><head>\n<meta name=\"citation_title\" content=\"T\"", CW_NUL);
	for (int i = 0; i < 300; i++)
		cw_buf_printf(&doc, " a%d=\"v\"", i);
	cw_buf_append(&doc, "></head></html>\n", CW_NUL);
	memset(&d, 0, sizeof d);
	n = cwt_read_records("html-meta", doc.data, doc.len, &recs, &d, NULL);
	cr_expect_eq(n, 0);
	cr_expect(strstr(cw_buf_str(&d.text), ":2:") &&
	              strstr(cw_buf_str(&d.text), "more than 256 attributes on one element"),
	          "%s", cw_buf_str(&d.text));
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
	cw_buf_free(&doc);
}
