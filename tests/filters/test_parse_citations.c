/*
 * The parse-citations filter (filters plugin): reads the records, and the
 * child records, that hold only a reference text, from every reader that
 * makes them: JATS mixed citations without elements (read with the JATS
 * reader's own parse off), Highwire citation_reference meta tags, a BibTeX
 * entry or CSL-JSON item with only a note. The same output before and after
 * the references filter; records with structure pass unchanged.
 */
#include <stdlib.h>
#include <string.h>

#include <crosswalk/citation.h>

#include "cw_test.h"

static int marked(const cw_record *rec)
{
	return cw_record_find_passthrough(rec, CW_CITATION_MARK_FORMAT, CW_CITATION_MARK_NAME) !=
	       NULL;
}

/* Converts input to CSL-JSON through filters and reads the output back. */
static size_t through(const char *from, const char *input, const char *const *ropts,
                      const char *const *filters, cw_record ***recs, char **csl)
{
	cwt_result r;
	cwt_convert(&r, from, "csljson", input, strlen(input), ropts, NULL, filters);
	cr_assert_eq(r.status, CW_OK, "%s", cw_buf_str(&r.diags.text));
	size_t n = cwt_read_records("csljson", r.output, r.output_len, recs, NULL, NULL);
	if (csl) {
		*csl = r.output;
		r.output = NULL;
	}
	cwt_result_free(&r);
	return n;
}

static void expect_family(const cw_record *rec, size_t i, const char *family)
{
	const cw_name *n = cw_record_name(rec, CW_FIELD_AUTHOR, i);
	cr_assert_not_null(n, "no author %zu, want %s", i, family);
	cr_expect_str_eq(n->family, family);
}

static void expect_year(const cw_record *rec, int year)
{
	const cw_date *d = cw_record_date(rec, CW_FIELD_ISSUED);
	cr_expect(d && d->year == year, "issued %d, want %d", d ? d->year : 0, year);
}

static const char jats[] =
    "<article><front><article-meta><title-group><article-title>Host</article-title>"
    "</title-group></article-meta></front><back><ref-list>"
    "<ref id=\"a\"><mixed-citation>Goldberg DS, McGee SJ. Pain as a global public health "
    "priority. BMC Public Health. 2011;11:770.</mixed-citation></ref>"
    "<ref id=\"b\"><mixed-citation>Thompson, E. P. (1963). <italic>The making of the English "
    "working class</italic>. Victor Gollancz.</mixed-citation></ref>"
    "<ref id=\"c\"><element-citation publication-type=\"book\"><person-group><name>"
    "<surname>Tagged</surname><given-names>A</given-names></name></person-group>"
    "<source>A Tagged Book</source><year>1999</year></element-citation></ref>"
    "</ref-list></back></article>\n";

static const char *const noparse[] = {"parse-citations=false", NULL};

Test(parse_citations, jats_children_in_their_article)
{
	const char *const filters[] = {"parse-citations", NULL};
	cw_record **recs;
	cr_assert_eq(through("jats", jats, noparse, filters, &recs, NULL), 1);
	const cw_record *art = recs[0];
	cr_assert_eq(cw_record_child_count(art), 3);
	const cw_record *a = cw_record_child(art, 0), *b = cw_record_child(art, 1),
	                *c = cw_record_child(art, 2);
	cr_expect(marked(a) && marked(b) && !marked(c) && !marked(art));
	expect_family(a, 0, "Goldberg");
	expect_family(a, 1, "McGee");
	expect_year(a, 2011);
	/* the stand-in title the reader set is replaced by the real one */
	cr_expect_str_eq(cw_record_text(a, CW_FIELD_TITLE),
	                 "Pain as a global public health priority");
	cr_expect(cw_record_has(a, CW_FIELD_ORIGINAL_CITATION));
	expect_family(b, 0, "Thompson");
	expect_year(b, 1963);
	expect_family(c, 0, "Tagged");
	cr_expect_str_eq(cw_record_text(c, CW_FIELD_TITLE), "A Tagged Book");
	cr_expect_str_eq(cw_record_text(art, CW_FIELD_TITLE), "Host");
	cwt_free_records(recs, 1);
}

Test(parse_citations, before_or_after_references)
{
	const char *const before[] = {"parse-citations", "references", NULL};
	const char *const after[] = {"references", "parse-citations", NULL};
	cw_record **r1, **r2;
	char *o1, *o2;
	cr_assert_eq(through("jats", jats, noparse, before, &r1, &o1), 3);
	cr_assert_eq(through("jats", jats, noparse, after, &r2, &o2), 3);
	cr_expect_str_eq(o1, o2);
	expect_family(r1[0], 0, "Goldberg");
	cr_expect(marked(r1[0]) && marked(r1[1]) && !marked(r1[2]));
	/* and the JATS reader's own parse gives the same records */
	const char *const refs[] = {"references", NULL};
	cw_record **r3;
	char *o3;
	cr_assert_eq(through("jats", jats, NULL, refs, &r3, &o3), 3);
	cr_expect_str_eq(o1, o3);
	free(o1);
	free(o2);
	free(o3);
	cwt_free_records(r1, 3);
	cwt_free_records(r2, 3);
	cwt_free_records(r3, 3);
}

Test(parse_citations, highwire_citation_reference_tags)
{
	static const char page[] =
	    "<html><head><meta name=\"citation_title\" content=\"A Page\">"
	    "<meta name=\"citation_author\" content=\"Page, Ann\">"
	    "<meta name=\"citation_reference\" content=\"Smith J, Jones M. Climate and crops. J "
	    "Agric Sci. 2020;14(3):210-25.\">"
	    "<meta name=\"citation_reference\" content=\"Latour, Bruno. We Have Never Been "
	    "Modern. Cambridge, MA: Harvard University Press, 1993.\">"
	    "</head><body></body></html>\n";
	const char *const filters[] = {"references", "parse-citations", NULL};
	cw_record **recs;
	cr_assert_eq(through("html-meta", page, NULL, filters, &recs, NULL), 2);
	cr_expect(marked(recs[0]) && marked(recs[1]));
	expect_family(recs[0], 0, "Smith");
	expect_year(recs[0], 2020);
	cr_expect_str_eq(cw_record_text(recs[0], CW_FIELD_VOLUME), "14");
	expect_family(recs[1], 0, "Latour");
	expect_year(recs[1], 1993);
	cwt_free_records(recs, 2);
}

Test(parse_citations, bibtex_entry_with_only_a_note)
{
	static const char bib[] =
	    "@misc{ref1, note = {Goldberg DS, McGee SJ. Pain as a global public health "
	    "priority. BMC Public Health. 2011;11:770.}}\n"
	    "@article{ref2, author = {Doe, Jane}, title = {Structured}, journal = {J}, year = "
	    "2000, note = {Smith J. Not a citation to parse. 1999.}}\n";
	const char *const filters[] = {"parse-citations", NULL};
	cw_record **recs;
	cr_assert_eq(through("bibtex", bib, NULL, filters, &recs, NULL), 2);
	cr_expect(marked(recs[0]));
	expect_family(recs[0], 0, "Goldberg");
	expect_year(recs[0], 2011);
	cr_expect(cw_record_has(recs[0], CW_FIELD_NOTE), "the note is kept");
	cr_expect(!marked(recs[1]));
	expect_family(recs[1], 0, "Doe");
	cr_expect_eq(cw_record_name_count(recs[1], CW_FIELD_AUTHOR), 1);
	cwt_free_records(recs, 2);
}

Test(parse_citations, csl_json_item_with_only_a_note)
{
	static const char csl[] =
	    "[{\"id\": \"n1\", \"type\": \"document\", \"note\": \"Thompson, E. P. (1963). The "
	    "making of the English working class. Victor Gollancz.\"},\n"
	    " {\"id\": \"n2\", \"type\": \"book\", \"title\": \"Whole\", \"note\": \"Kept as "
	    "it is, 2001.\"}]\n";
	const char *const filters[] = {"parse-citations", NULL};
	cw_record **recs;
	cr_assert_eq(through("csljson", csl, NULL, filters, &recs, NULL), 2);
	cr_expect(marked(recs[0]));
	expect_family(recs[0], 0, "Thompson");
	expect_year(recs[0], 1963);
	cr_expect(!marked(recs[1]));
	cr_expect(!cw_record_has(recs[1], CW_FIELD_ISSUED));
	cwt_free_records(recs, 2);
}

/* Records with structure, and records parsed already, pass byte for byte. */
Test(parse_citations, structured_records_pass_unchanged)
{
	static const char csl[] =
	    "[{\"id\": \"s1\", \"type\": \"article-journal\", \"title\": \"T\", \"author\": "
	    "[{\"family\": \"Doe\", \"given\": \"J.\"}], \"issued\": {\"date-parts\": [[2001]]}, "
	    "\"custom\": {\"original-citation\": \"Doe J. T. J. 2001.\"}}]\n";
	const char *const filters[] = {"parse-citations", NULL};
	cwt_result a, b;
	cwt_convert(&a, "csljson", "csljson", csl, strlen(csl), NULL, NULL, NULL);
	cwt_convert(&b, "csljson", "csljson", csl, strlen(csl), NULL, NULL, filters);
	cr_expect_str_eq(a.output, b.output);
	cwt_result_free(&a);
	cwt_result_free(&b);
	/* a second parse finds nothing to do */
	const char *const twice[] = {"parse-citations", "parse-citations", NULL};
	cwt_convert(&a, "jats", "csljson", jats, strlen(jats), noparse, NULL, filters);
	cwt_convert(&b, "jats", "csljson", jats, strlen(jats), noparse, NULL, twice);
	cr_expect_str_eq(a.output, b.output);
	cwt_result_free(&a);
	cwt_result_free(&b);
}
