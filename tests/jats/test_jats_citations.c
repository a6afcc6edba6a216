/*
 * The JATS reader and writer with the citation parser (crosswalk/citation.h):
 * unstructured references (a <mixed-citation> that is only text) are read
 * into fields by default and marked as inferred, with their text kept;
 * parse-citations=false reads them as before (the text as the title); tagged
 * and partly tagged citations are not parsed; the JATS writer writes an
 * inferred reference as its text alone, so JATS -> JATS keeps the source's
 * form and reads back the same. The fixture, citations/ojs-unstructured.xml,
 * is an OJS-like article with references in several styles.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <crosswalk/citation.h>

#include "cw_test.h"

static char *fixture(const char *name, size_t *len)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/tests/jats/citations/%s", cwt_source_dir(), name);
	char *data = cwt_read_file(path, len);
	cr_assert(data, "%s", path);
	return data;
}

static int marked(const cw_record *rec)
{
	return cw_record_find_passthrough(rec, CW_CITATION_MARK_FORMAT, CW_CITATION_MARK_NAME) !=
	       NULL;
}

/* The child with this id, or NULL. */
static const cw_record *ref(const cw_record *art, const char *id)
{
	for (size_t i = 0; i < cw_record_child_count(art); i++) {
		const char *cid = cw_record_text(cw_record_child(art, i), CW_FIELD_ID);
		if (cid && strcmp(cid, id) == 0)
			return cw_record_child(art, i);
	}
	return NULL;
}

static const char *const unstructured[] = {"R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8"};

Test(jats_citations, unstructured_refs_are_parsed_by_default)
{
	size_t len;
	char *xml = fixture("ojs-unstructured.xml", &len);
	cw_record **recs;
	cwt_diags d = {0};
	cr_assert_eq(cwt_read_records("jats", xml, len, &recs, &d, NULL), 1, "%s",
	             cw_buf_str(&d.text));
	const cw_record *art = recs[0];
	cr_assert_eq(cw_record_child_count(art), 10);
	for (size_t i = 0; i < sizeof unstructured / sizeof unstructured[0]; i++) {
		const cw_record *c = ref(art, unstructured[i]);
		cr_assert_not_null(c, "%s", unstructured[i]);
		cr_expect(marked(c), "%s is not marked as inferred", unstructured[i]);
		cr_expect(cw_record_has(c, CW_FIELD_ORIGINAL_CITATION), "%s lost its text",
		          unstructured[i]);
		cr_expect(cw_record_name_count(c, CW_FIELD_AUTHOR) > 0, "%s: no author",
		          unstructured[i]);
		const cw_date *dt = cw_record_date(c, CW_FIELD_ISSUED);
		cr_expect(dt && dt->year > 1900, "%s: no year", unstructured[i]);
		cr_expect(cw_record_has(c, CW_FIELD_TITLE), "%s: no title", unstructured[i]);
		/* the title is no longer the whole text */
		const char *t = cw_record_text(c, CW_FIELD_TITLE);
		cr_expect(t && !strstr(t, "(19") && !strstr(t, "(20"), "%s: title %s",
		          unstructured[i], t ? t : "(none)");
	}
	const cw_record *r1 = ref(art, "R1");
	cr_expect_str_eq(cw_record_name(r1, CW_FIELD_AUTHOR, 0)->family, "Thompson");
	cr_expect_eq(cw_record_date(r1, CW_FIELD_ISSUED)->year, 1963);
	/* the source's publication-type wins over the parser's guess */
	cr_expect_eq(cw_record_type(ref(art, "R8")), CW_TYPE_ARTICLE_JOURNAL);
	/* a DOI in a link is read by the reader as before */
	cr_expect_str_eq(cw_record_text(ref(art, "R8"), CW_FIELD_DOI),
	                 "10.1590/2318-0331.231820170012");
	/* tagged and partly tagged citations are read as tagged, not parsed */
	const cw_record *r9 = ref(art, "R9"), *r10 = ref(art, "R10");
	cr_expect(!marked(r9) && !marked(r10));
	cr_expect_str_eq(cw_record_text(r9, CW_FIELD_TITLE), "A tagged reference");
	cr_expect_eq(cw_record_name_count(r10, CW_FIELD_AUTHOR), 1);
	cr_expect(strstr(cw_record_text(r10, CW_FIELD_TITLE), "Partly tagged"));
	/* one "inferred" note per parsed reference */
	size_t notes = 0;
	for (const char *p = cw_buf_str(&d.text); (p = strstr(p, "inferred")) != NULL; p++)
		notes++;
	cr_expect_geq(notes, 8, "%s", cw_buf_str(&d.text));
	cwt_free_records(recs, 1);
	cwt_diags_free(&d);
	free(xml);
}

Test(jats_citations, the_option_turns_it_off)
{
	size_t len;
	char *xml = fixture("ojs-unstructured.xml", &len);
	cw_record **recs;
	cwt_diags d = {0};
	const char *off[] = {"parse-citations=false", NULL};
	cr_assert_eq(cwt_read_records("jats", xml, len, &recs, &d, off), 1, "%s",
	             cw_buf_str(&d.text));
	for (size_t i = 0; i < cw_record_child_count(recs[0]); i++) {
		const cw_record *c = cw_record_child(recs[0], i);
		cr_expect(!marked(c), "%s", cw_record_text(c, CW_FIELD_ID));
	}
	/* as before the option: the untagged text is the title */
	const cw_record *r3 = ref(recs[0], "R3");
	cr_expect_eq(cw_record_name_count(r3, CW_FIELD_AUTHOR), 0);
	cr_expect_str_eq(cw_record_text(r3, CW_FIELD_TITLE),
	                 "Goldberg DS, McGee SJ. Pain as a global public health priority. BMC "
	                 "Public Health. 2011;11:770");
	cr_expect(!strstr(cw_buf_str(&d.text), "inferred"), "%s", cw_buf_str(&d.text));
	cwt_free_records(recs, 1);
	cwt_diags_free(&d);
	free(xml);
}

/* The CSL-JSON of the fixture's references, parse on and off; checked by hand. */
Test(jats_citations, csljson_goldens)
{
	static const char *const off[] = {"parse-citations=false", NULL};
	static const struct {
		const char *const *ropts;
		const char *golden;
	} cases[] = {{NULL, "ojs-unstructured.csl.json"},
	             {off, "ojs-unstructured-noparse.csl.json"}};
	size_t len;
	char *xml = fixture("ojs-unstructured.xml", &len);
	const char *filters[] = {"references", NULL};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char gpath[4200];
		snprintf(gpath, sizeof gpath, "%s/tests/jats/golden/%s", cwt_source_dir(),
		         cases[i].golden);
		cwt_result r;
		cwt_convert(&r, "jats", "csljson", xml, len, cases[i].ropts, NULL, filters);
		cr_expect_eq(r.status, CW_OK, "%s", cw_buf_str(&r.diags.text));
		size_t glen;
		char *want = cwt_read_file(gpath, &glen);
		if (!want || getenv("CW_UPDATE_GOLDEN")) {
			cr_assert(getenv("CW_UPDATE_GOLDEN"), "missing golden %s", gpath);
			cwt_write_file(gpath, r.output, r.output_len);
		} else {
			cr_expect_str_eq(r.output, want, "differs from %s", gpath);
		}
		free(want);
		cwt_result_free(&r);
	}
	free(xml);
}

/*
 * JATS -> JATS: an inferred reference goes out as its <mixed-citation> (no
 * <element-citation> claims what was guessed), beside an element citation
 * of only what the source tagged (R8's DOI link), with no loss reported;
 * the output reads back into the same records, and writes the same again.
 */
Test(jats_citations, jats_round_trip_keeps_the_text)
{
	size_t len;
	char *xml = fixture("ojs-unstructured.xml", &len);
	cw_record **r1, **r2;
	cwt_diags d1 = {0}, d2 = {0};
	cr_assert_eq(cwt_read_records("jats", xml, len, &r1, &d1, NULL), 1);
	char *out = cwt_write_records("jats", r1, 1, &d2, NULL);
	cr_assert_not_null(out, "%s", cw_buf_str(&d2.text));
	cr_expect_eq(cwt_diags_count(&d2, CW_SEV_WARNING), 0, "%s", cw_buf_str(&d2.text));
	cr_expect(strstr(out, "<ref id=\"R1\"><mixed-citation>Thompson, E. P. (1963). <italic>The "
	                      "making of the English working class</italic>. Victor "
	                      "Gollancz.</mixed-citation></ref>"),
	          "%s", out);
	cr_expect(!strstr(out, "Thompson</surname>"), "an inferred name was written as tagged");
	cr_expect(strstr(out, "<ref id=\"R8\"><citation-alternatives><element-citation "
	                      "publication-type=\"journal\"><pub-id pub-id-type=\"doi\">"
	                      "10.1590/2318-0331.231820170012</pub-id></element-citation>"
	                      "<mixed-citation>Silva"),
	          "%s", out);
	cr_assert_eq(cwt_read_records("jats", out, strlen(out), &r2, NULL, NULL), 1);
	cw_buf diff = CW_BUF_INIT;
	cr_expect_eq(cw_record_compare(r1[0], r2[0], &diff), 0, "%s", cw_buf_str(&diff));
	cw_buf_free(&diff);
	char *again = cwt_write_records("jats", r2, 1, NULL, NULL);
	cr_expect_str_eq(again, out);
	free(again);
	cwt_free_records(r2, 1);
	cwt_free_records(r1, 1);
	cwt_diags_free(&d1);
	cwt_diags_free(&d2);
	free(out);
	free(xml);
}
