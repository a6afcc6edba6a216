/*
 * JATS item types and citations as publishers write them: article-type and
 * publication-type choose the item type (never a genre) and travel in the
 * record's article-type field; untyped citations are typed from their
 * elements, with a note; a mixed and an element citation side by side are
 * one reference; subtitles, article numbers and keywords take one path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

/* An article with the given article-type attribute (NULL: none) and ref-list body. */
static char *article_with(const char *article_type, const char *refs)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "<article xmlns:xlink=\"http://www.w3.org/1999/xlink\"", CW_NUL);
	if (article_type)
		cw_buf_printf(&b, " article-type=\"%s\"", article_type);
	cw_buf_printf(&b,
	              "><front><journal-meta><journal-title-group><journal-title>J</journal-title>"
	              "</journal-title-group></journal-meta><article-meta><title-group>"
	              "<article-title>T</article-title></title-group><pub-date "
	              "pub-type=\"epub\"><year>2020</year></pub-date></article-meta></front>"
	              "<back><ref-list>%s</ref-list></back></article>",
	              refs ? refs : "");
	char *s = strdup(b.data);
	cw_buf_free(&b);
	return s;
}

/* Reads one article; the caller frees with cwt_free_records. */
static cw_record *read_article(const char *xml, cw_record ***recs, cwt_diags *d)
{
	size_t n = cwt_read_records("jats", xml, strlen(xml), recs, d, NULL);
	cr_assert_eq(n, 1, "%s", cw_buf_str(&d->text));
	return (*recs)[0];
}

/* --- class 1: article-type is not a genre --- */

static const struct {
	const char *word;
	enum cw_item_type type;
} article_types[] = {
    {"research-article", CW_TYPE_ARTICLE_JOURNAL},
    {"review-article", CW_TYPE_ARTICLE_JOURNAL},
    {"editorial", CW_TYPE_ARTICLE_JOURNAL},
    {"letter", CW_TYPE_ARTICLE_JOURNAL},
    {"correction", CW_TYPE_ARTICLE_JOURNAL},
    {"retraction", CW_TYPE_ARTICLE_JOURNAL},
    {"case-report", CW_TYPE_ARTICLE_JOURNAL},
    {"brief-report", CW_TYPE_ARTICLE_JOURNAL},
    {"meeting-report", CW_TYPE_ARTICLE_JOURNAL},
    {"news", CW_TYPE_ARTICLE_JOURNAL},
    {"obituary", CW_TYPE_ARTICLE_JOURNAL},
    {"book-review", CW_TYPE_REVIEW_BOOK},
    {"product-review", CW_TYPE_REVIEW},
    {"dissertation", CW_TYPE_THESIS},
    {"Research-Article", CW_TYPE_ARTICLE_JOURNAL},
    {"a-word-nobody-defined", CW_TYPE_ARTICLE_JOURNAL},
};

Test(jats_types, article_type_chooses_the_type_and_is_never_a_genre)
{
	for (size_t i = 0; i < sizeof article_types / sizeof article_types[0]; i++) {
		char *xml = article_with(article_types[i].word, NULL);
		cw_record **recs;
		cwt_diags d = {0};
		cw_record *r = read_article(xml, &recs, &d);
		cr_expect_eq(cw_record_type(r), article_types[i].type, "%s: %s",
		             article_types[i].word, cw_item_type_name(cw_record_type(r)));
		cr_expect_null(cw_record_text(r, CW_FIELD_GENRE), "%s", article_types[i].word);
		cr_expect_str_eq(cw_record_text(r, CW_FIELD_ARTICLE_TYPE), article_types[i].word);
		cwt_free_records(recs, 1);
		cwt_diags_free(&d);
		free(xml);
	}
}

Test(jats_types, article_type_reaches_no_genre_in_csl_or_bibtex)
{
	char *xml = article_with("research-article", NULL);
	cwt_result res;
	cwt_convert(&res, "jats", "csljson", xml, strlen(xml), NULL, NULL, NULL);
	cr_assert_eq(res.status, CW_OK, "%s", cw_buf_str(&res.diags.text));
	cr_expect(!strstr(res.output, "\"genre\""), "%s", res.output);
	cr_expect(strstr(res.output, "\"article-type\": \"research-article\""), "%s", res.output);
	cwt_result_free(&res);
	if (cw_registry_find_format(cwt_registry(), "bibtex")) {
		cwt_convert(&res, "jats", "bibtex", xml, strlen(xml), NULL, NULL, NULL);
		cr_assert_eq(res.status, CW_OK, "%s", cw_buf_str(&res.diags.text));
		cr_expect(!strstr(res.output, "research-article"), "%s", res.output);
		cwt_result_free(&res);
	}
	free(xml);
}

/* Writes one record as a JATS article (or, with reflist, a ref-list) and returns it. */
static char *write_one(cw_record *rec, int reflist, cwt_diags *d)
{
	const char *article[] = {"jats-fragment=article", "jats-doctype=false", NULL};
	const char *list[] = {"jats-fragment=ref-list", NULL};
	char *out = cwt_write_records("jats", &rec, 1, d, reflist ? list : article);
	cr_assert(out, "%s", cw_buf_str(&d->text));
	return out;
}

static const struct {
	enum cw_item_type type;
	const char *word;     /* the record's article-type field, or NULL */
	const char *expected; /* the article-type attribute written, or NULL for none */
} article_type_out[] = {
    {CW_TYPE_ARTICLE_JOURNAL, "editorial", "editorial"},
    {CW_TYPE_ARTICLE_JOURNAL, "a-word-nobody-defined", "a-word-nobody-defined"},
    {CW_TYPE_ARTICLE_JOURNAL, NULL, NULL}, /* reads back as a journal article */
    {CW_TYPE_REVIEW_BOOK, NULL, "book-review"},
    {CW_TYPE_THESIS, NULL, "dissertation"},
    {CW_TYPE_BOOK, NULL, "other"},
    /* a citation's word on an article: not an article type */
    {CW_TYPE_ARTICLE_JOURNAL, "journal", NULL},
    /* a word that reads as another type than the record's */
    {CW_TYPE_THESIS, "book-review", "dissertation"},
};

Test(jats_types, writer_takes_article_type_from_the_field_else_from_the_type)
{
	for (size_t i = 0; i < sizeof article_type_out / sizeof article_type_out[0]; i++) {
		cw_record *rec = NULL;
		cr_assert_eq(cw_record_new(&rec), CW_OK);
		cw_record_set_type(rec, article_type_out[i].type);
		cw_record_set_text(rec, CW_FIELD_TITLE, "T", CW_NUL);
		cw_record_set_text(rec, CW_FIELD_GENRE, "PhD thesis", CW_NUL);
		if (article_type_out[i].word)
			cw_record_set_text(rec, CW_FIELD_ARTICLE_TYPE, article_type_out[i].word,
			                   CW_NUL);
		cwt_diags d = {0};
		char *out = write_one(rec, 0, &d);
		const char *a = strstr(out, "<article ");
		cr_assert(a, "%s", out);
		const char *end = strchr(a, '>');
		char want[128];
		if (article_type_out[i].expected) {
			snprintf(want, sizeof want, "article-type=\"%s\"",
			         article_type_out[i].expected);
			const char *hit = strstr(a, want);
			cr_expect(hit && hit < end, "case %zu: %.*s", i, (int)(end - a), a);
		} else {
			const char *hit = strstr(a, "article-type=");
			cr_expect(!hit || hit > end, "case %zu: %.*s", i, (int)(end - a), a);
		}
		/* a genre is never written as the article type: it is reported */
		cr_expect(!strstr(out, "PhD thesis"), "%s", out);
		int genre_lost = 0;
		for (size_t k = 0; k < d.n; k++)
			genre_lost |= d.items[k].kind == CW_DIAG_NOT_CARRIED &&
			              d.items[k].field == CW_FIELD_GENRE;
		cr_expect(genre_lost, "case %zu: genre not reported:\n%s", i, cw_buf_str(&d.text));
		free(out);
		cw_record_free(rec);
		cwt_diags_free(&d);
	}
}

static const char *const book_review =
    "<article xmlns:xlink=\"http://www.w3.org/1999/xlink\" article-type=\"book-review\">"
    "<front><journal-meta><journal-id>J</journal-id><issn>1234-5678</issn></journal-meta>"
    "<article-meta><title-group><article-title>Bad medicine</article-title></title-group>"
    "<pub-date "
    "pub-type=\"epub\"><year>2012</year></pub-date><elocation-id>e1</elocation-id>"
    "<product product-type=\"book\"><person-group person-group-type=\"author\"><name>"
    "<surname>Goldacre</surname><given-names>Ben</given-names></name></person-group>"
    "<source>Bad Pharma</source><year>2012</year><publisher-name>Fourth Estate"
    "</publisher-name></product></article-meta></front></article>";

Test(jats_types, a_book_review_names_the_reviewed_work)
{
	cw_record **recs;
	cwt_diags d = {0};
	cw_record *r = read_article(book_review, &recs, &d);
	cr_expect_eq(cw_record_type(r), CW_TYPE_REVIEW_BOOK);
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_TITLE), "Bad medicine");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_REVIEWED_TITLE), "Bad Pharma");
	cr_assert_eq(cw_record_name_count(r, CW_FIELD_REVIEWED_AUTHOR), 1);
	cr_expect_str_eq(cw_record_name(r, CW_FIELD_REVIEWED_AUTHOR, 0)->family, "Goldacre");
	/* written back as a product */
	cwt_diags d2 = {0};
	char *out = write_one(r, 0, &d2);
	cr_expect(strstr(out, "<product><person-group person-group-type=\"author\"><name>"
	                      "<surname>Goldacre</surname><given-names>Ben</given-names></name>"
	                      "</person-group><source>Bad Pharma</source></product>"),
	          "%s", out);
	cr_expect_eq(cwt_diags_count(&d2, CW_SEV_WARNING), 0, "%s", cw_buf_str(&d2.text));
	free(out);
	cwt_diags_free(&d2);
	cwt_free_records(recs, 1);
	cwt_diags_free(&d);
}

/* ... and valid against the Journal Publishing DTD, which the corpus holds. */
Test(jats_types_corpus, a_book_review_is_written_valid)
{
	cw_record **recs;
	cwt_diags d = {0};
	cw_record *r = read_article(book_review, &recs, &d);
	char *out = write_one(r, 0, &d);
	cw_buf log = CW_BUF_INIT;
	cr_expect_eq(cwt_corpus_validate("jats/schema/1.3/JATS-journalpublishing1-3-mathml3.dtd",
	                                 out, strlen(out), &log),
	             0, "%s\n%s", cw_buf_str(&log), out);
	cw_buf_free(&log);
	free(out);
	cwt_free_records(recs, 1);
	cwt_diags_free(&d);
}

/* --- class 3: publication-type as publishers write it --- */

static const struct {
	const char *word;
	enum cw_item_type type;
} pub_types[] = {
    {"journal", CW_TYPE_ARTICLE_JOURNAL},
    {"article", CW_TYPE_ARTICLE_JOURNAL},
    {"Journal", CW_TYPE_ARTICLE_JOURNAL},
    {"periodical", CW_TYPE_ARTICLE_JOURNAL},
    {"confproc", CW_TYPE_PAPER_CONFERENCE},
    {"conf-proc", CW_TYPE_PAPER_CONFERENCE},
    {"web", CW_TYPE_WEBPAGE},
    {"webpage", CW_TYPE_WEBPAGE},
    {"website", CW_TYPE_WEBPAGE},
    {"data", CW_TYPE_DATASET},
    {"dataset", CW_TYPE_DATASET},
    {"software", CW_TYPE_SOFTWARE},
    {"preprint", CW_TYPE_ARTICLE},
    {"patent", CW_TYPE_PATENT},
    {"standard", CW_TYPE_STANDARD},
    {"report", CW_TYPE_REPORT},
    {"thesis", CW_TYPE_THESIS},
    {"newspaper", CW_TYPE_ARTICLE_NEWSPAPER},
    /* CSL type names, as pandoc's JATS writer emits them */
    {"article-journal", CW_TYPE_ARTICLE_JOURNAL},
    {"paper-conference", CW_TYPE_PAPER_CONFERENCE},
    {"post-weblog", CW_TYPE_POST_WEBLOG},
    {"entry-encyclopedia", CW_TYPE_ENTRY_ENCYCLOPEDIA},
};

Test(jats_types, publication_type_words_as_publishers_write_them)
{
	for (size_t i = 0; i < sizeof pub_types / sizeof pub_types[0]; i++) {
		char ref[512];
		snprintf(ref, sizeof ref,
		         "<ref id=\"r1\"><element-citation publication-type=\"%s\">"
		         "<article-title>A</article-title><source>S</source><year>2001</year>"
		         "</element-citation></ref>",
		         pub_types[i].word);
		char *xml = article_with(NULL, ref);
		cw_record **recs;
		cwt_diags d = {0};
		cw_record *r = read_article(xml, &recs, &d);
		cr_assert_eq(cw_record_child_count(r), 1);
		const cw_record *c = cw_record_child(r, 0);
		cr_expect_eq(cw_record_type(c), pub_types[i].type, "%s: %s", pub_types[i].word,
		             cw_item_type_name(cw_record_type(c)));
		/* the word as written travels on: as the article-type, or, when it is
		 * the JATS writer's own word for the type, as a hint only that writer
		 * reads (no other writer reports a word that says nothing more) */
		const char *at = cw_record_text(c, CW_FIELD_ARTICLE_TYPE);
		const cw_passthrough *hint = cw_record_find_passthrough(c, "jats", ".publication-type");
		cr_expect((at != NULL) != (hint != NULL), "%s: one of the two", pub_types[i].word);
		cr_expect_str_eq(at ? at : hint ? hint->value : "", pub_types[i].word);
		if (strcmp(pub_types[i].word, "journal") == 0)
			cr_expect_not(at, "journal: the writer's own word for a journal article");
		char *back = cwt_write_records("jats", recs, 1, NULL, NULL);
		char want[128];
		snprintf(want, sizeof want, "publication-type=\"%s\"", pub_types[i].word);
		cr_expect(strstr(back, want), "%s", back);
		free(back);
		/* a known word needs no inference and no note */
		cr_expect_eq(d.n, 0, "%s: %s", pub_types[i].word, cw_buf_str(&d.text));
		cwt_free_records(recs, 1);
		cwt_diags_free(&d);
		free(xml);
	}
}

static const struct {
	const char *attr; /* the publication-type attribute, or "" for none */
	const char *body; /* the citation's elements */
	enum cw_item_type type;
} inferred[] = {
    {"", "<article-title>A</article-title><source>J</source><volume>3</volume>",
     CW_TYPE_ARTICLE_JOURNAL},
    {"", "<source>J</source><volume>3</volume><fpage>5</fpage>", CW_TYPE_ARTICLE_JOURNAL},
    {" publication-type=\"other\"", "<article-title>A</article-title><source>J</source>",
     CW_TYPE_ARTICLE_JOURNAL},
    {" publication-type=\"gibberish\"", "<source>B</source><publisher-name>P</publisher-name>",
     CW_TYPE_BOOK},
    {"", "<article-title>B</article-title><publisher-name>P</publisher-name>", CW_TYPE_BOOK},
    {"", "<chapter-title>C</chapter-title><source>B</source>", CW_TYPE_CHAPTER},
    {"",
     "<article-title>C</article-title><source>B</source><publisher-loc>L</publisher-loc>"
     "<publisher-name>P</publisher-name>",
     CW_TYPE_CHAPTER},
    {"", "<article-title>P</article-title><conf-name>Conf</conf-name>", CW_TYPE_PAPER_CONFERENCE},
    {"", "<data-title>D</data-title><source>Repo</source>", CW_TYPE_DATASET},
    {"", "<source>Invention</source><patent>US 1</patent>", CW_TYPE_PATENT},
    {"",
     "<article-title>Page</article-title><ext-link ext-link-type=\"uri\" "
     "xlink:href=\"http://x.org\">x</ext-link><date-in-citation "
     "content-type=\"access-date\">2020-01-02</date-in-citation>",
     CW_TYPE_WEBPAGE},
    {"", "<source>B</source>", CW_TYPE_BOOK},
    {"", "<comment>something</comment>", CW_TYPE_DOCUMENT},
};

Test(jats_types, missing_or_unknown_publication_type_is_inferred_and_noted)
{
	for (size_t i = 0; i < sizeof inferred / sizeof inferred[0]; i++) {
		char ref[1024];
		snprintf(ref, sizeof ref,
		         "<ref id=\"r1\"><element-citation%s>%s</element-citation></ref>",
		         inferred[i].attr, inferred[i].body);
		char *xml = article_with(NULL, ref);
		cw_record **recs;
		cwt_diags d = {0};
		cw_record *r = read_article(xml, &recs, &d);
		cr_assert_eq(cw_record_child_count(r), 1);
		const cw_record *c = cw_record_child(r, 0);
		cr_expect_eq(cw_record_type(c), inferred[i].type, "case %zu: %s", i,
		             cw_item_type_name(cw_record_type(c)));
		cr_expect_null(cw_record_text(c, CW_FIELD_GENRE));
		/* one note, at the citation's line, naming the word when there is one */
		cr_expect_eq(d.n, 1, "case %zu: %s", i, cw_buf_str(&d.text));
		if (d.n) {
			cr_expect_eq(d.items[0].severity, CW_SEV_NOTE);
			cr_expect(d.items[0].line > 0);
		}
		const char *q = strchr(inferred[i].attr, '"');
		if (q) {
			char word[64];
			snprintf(word, sizeof word, "%.*s", (int)(strchr(q + 1, '"') - q - 1),
			         q + 1);
			cr_expect(strstr(cw_buf_str(&d.text), word), "%s", cw_buf_str(&d.text));
			cr_expect_str_eq(cw_record_text(c, CW_FIELD_ARTICLE_TYPE), word);
		} else {
			cr_expect_null(cw_record_text(c, CW_FIELD_ARTICLE_TYPE));
		}
		cwt_free_records(recs, 1);
		cwt_diags_free(&d);
		free(xml);
	}
}

Test(jats_types, inferred_citations_share_one_note_per_word)
{
	cw_buf refs = CW_BUF_INIT;
	for (int i = 0; i < 30; i++)
		cw_buf_printf(&refs,
		              "<ref id=\"u%d\"><element-citation><source>B</source>"
		              "</element-citation></ref>\n<ref id=\"o%d\"><element-citation "
		              "publication-type=\"other\"><source>B</source></element-citation>"
		              "</ref>\n",
		              i, i);
	char *xml = article_with(NULL, refs.data);
	cw_record **recs;
	cwt_diags d = {0};
	read_article(xml, &recs, &d);
	cr_expect_eq(d.n, 2, "%s", cw_buf_str(&d.text));
	cr_expect(strstr(cw_buf_str(&d.text), "30 references"), "%s", cw_buf_str(&d.text));
	cwt_free_records(recs, 1);
	cwt_diags_free(&d);
	free(xml);
	cw_buf_free(&refs);
}

Test(jats_types, writer_keeps_the_publication_type_word)
{
	/* the source's word is written back when it reads as the record's type */
	const char *ref = "<ref id=\"r1\"><element-citation publication-type=\"article\">"
	                  "<article-title>A</article-title><source>S</source><year>2001</year>"
	                  "</element-citation></ref><ref id=\"r2\"><element-citation>"
	                  "<source>B</source><year>1999</year></element-citation></ref>";
	char *xml = article_with("editorial", ref);
	cwt_result res;
	const char *wo[] = {"jats-doctype=false", NULL};
	cwt_convert(&res, "jats", "jats", xml, strlen(xml), NULL, wo, NULL);
	cr_assert_eq(res.status, CW_OK, "%s", cw_buf_str(&res.diags.text));
	cr_expect(strstr(res.output, "article-type=\"editorial\""), "%s", res.output);
	cr_expect(strstr(res.output, "<element-citation publication-type=\"article\">"), "%s",
	          res.output);
	/* an untyped JATS citation stays untyped: it reads back the same */
	cr_expect(strstr(res.output, "<ref id=\"r2\"><element-citation>"), "%s", res.output);
	cwt_result_free(&res);
	free(xml);
	/* a record from elsewhere gets the JATS4R word of its type */
	const char *csl = "[{\"id\":\"a\",\"type\":\"article-journal\",\"title\":\"A\","
	                  "\"container-title\":\"J\"},{\"id\":\"b\",\"type\":\"book\","
	                  "\"title\":\"B\",\"custom\":{\"article-type\":\"research-article\"}}]";
	cwt_convert(&res, "csljson", "jats", csl, strlen(csl), NULL, NULL, NULL);
	cr_assert_eq(res.status, CW_OK, "%s", cw_buf_str(&res.diags.text));
	cr_expect(strstr(res.output, "<element-citation publication-type=\"journal\">"), "%s",
	          res.output);
	/* an article type is no publication-type */
	cr_expect(strstr(res.output, "<element-citation publication-type=\"book\">"), "%s",
	          res.output);
	cwt_result_free(&res);
}

/* --- class 2: one <ref>, one record --- */

Test(jats_types, mixed_and_element_citation_side_by_side_are_one_reference)
{
	const char *ref =
	    "<ref id=\"B1\"><label>1</label><mixed-citation>ACOSTA, B.C. Efectos. "
	    "<italic>Psicolog\xc3\xad"
	    "a</italic>, 2002, vol. 10, p. 1-26.</mixed-citation>\n"
	    "<element-citation publication-type=\"journal\"><person-group "
	    "person-group-type=\"author\"><name><surname>ACOSTA</surname><given-names>B.C."
	    "</given-names></name></person-group><article-title>Efectos</article-title>"
	    "<source>Psicolog\xc3\xad"
	    "a</source><year>2002</year><volume>10</volume>"
	    "<fpage>1</fpage><lpage>26</lpage></element-citation></ref>\n"
	    /* two element citations and one mixed: the mixed is the first one's text */
	    "<ref id=\"B2\"><element-citation publication-type=\"book\"><source>One</source>"
	    "<year>1999</year></element-citation><mixed-citation>One. 1999.</mixed-citation>"
	    "<element-citation publication-type=\"book\"><source>Two</source><year>2000</year>"
	    "</element-citation></ref>\n"
	    /* an empty citation is no reference */
	    "<ref id=\"B3\"><mixed-citation/></ref>\n"
	    /* two mixed citations alone stay two */
	    "<ref id=\"B4\"><mixed-citation>First.</mixed-citation>"
	    "<mixed-citation>Second.</mixed-citation></ref>";
	char *xml = article_with(NULL, ref);
	cw_record **recs;
	cwt_diags d = {0};
	cw_record *r = read_article(xml, &recs, &d);
	cr_assert_eq(cw_record_child_count(r), 5, "%s", cw_buf_str(&d.text));
	const cw_record *c = cw_record_child(r, 0);
	cr_expect_str_eq(cw_record_text(c, CW_FIELD_ID), "B1");
	cr_expect_eq(cw_record_type(c), CW_TYPE_ARTICLE_JOURNAL);
	cr_expect_str_eq(cw_record_text(c, CW_FIELD_TITLE), "Efectos");
	cr_expect_eq(cw_record_date(c, CW_FIELD_ISSUED)->year, 2002);
	cr_expect_str_eq(cw_record_text(c, CW_FIELD_PAGE), "1-26");
	cr_expect_str_eq(cw_record_text(c, CW_FIELD_ORIGINAL_CITATION),
	                 "ACOSTA, B.C. Efectos. \x01Psicolog\xc3\xad"
	                 "a\x02, 2002, vol. 10, p. 1-26.");
	c = cw_record_child(r, 1);
	cr_expect_str_eq(cw_record_text(c, CW_FIELD_ID), "B2");
	cr_expect_str_eq(cw_record_text(c, CW_FIELD_TITLE), "One");
	cr_expect_str_eq(cw_record_text(c, CW_FIELD_ORIGINAL_CITATION), "One. 1999.");
	c = cw_record_child(r, 2);
	cr_expect_str_eq(cw_record_text(c, CW_FIELD_ID), "B2-2");
	cr_expect_str_eq(cw_record_text(c, CW_FIELD_TITLE), "Two");
	cr_expect_null(cw_record_text(c, CW_FIELD_ORIGINAL_CITATION));
	cr_expect_str_eq(cw_record_text(cw_record_child(r, 3), CW_FIELD_ID), "B4");
	cr_expect_str_eq(cw_record_text(cw_record_child(r, 4), CW_FIELD_ID), "B4-2");
	cr_expect(strstr(cw_buf_str(&d.text), "empty <mixed-citation>"), "%s", cw_buf_str(&d.text));
	cwt_free_records(recs, 1);
	cwt_diags_free(&d);
	free(xml);
}

static const struct {
	const char *citation; /* the mixed citation's content */
	const char *title;    /* the title it gives */
} untagged[] = {
    /* plain text: the whole text (the processor adds the final period) */
    {"Thompson, E. P. (1963). The Making of the English Working Class. Gollancz.",
     "Thompson, E. P. (1963). The Making of the English Working Class. Gollancz"},
    /* names and year tagged (Pensoft): the rest, without the emptied brackets */
    {"<person-group><name><surname>Barkoudah</surname><given-names>YI</given-names></name>"
     "</person-group> (<year>1962</year>) A revision of <italic>Gypsophila</italic>. "
     "Utrecht, 157-187.",
     "A revision of \x01Gypsophila\x02. Utrecht, 157-187"},
    /* separators left in a row by the parts read into fields (ACS) */
    {"<collab>Nanospectra</collab> Pilot Study. In ClinicalTrials.gov [Internet]; "
     "<publisher-name>NLM</publisher-name>: <publisher-loc>Bethesda</publisher-loc>, "
     "<year>2000</year> (cited 2014 Dec 20). Available from "
     "<uri>https://example.org/x</uri>; id: NCT1.",
     "Pilot Study. In ClinicalTrials.gov [Internet]; (cited 2014 Dec 20). Available from; id: "
     "NCT1"},
};

/* with parse-citations=false: the JATS reader's default parses the plain-text ones */
Test(jats_types, untagged_text_of_an_untitled_mixed_citation_is_its_title)
{
	const char *const noparse[] = {"parse-citations=false", NULL};
	for (size_t i = 0; i < sizeof untagged / sizeof untagged[0]; i++) {
		char ref[2048];
		snprintf(ref, sizeof ref,
		         "<ref id=\"r1\"><mixed-citation>%s</mixed-citation></ref>",
		         untagged[i].citation);
		char *xml = article_with(NULL, ref);
		cw_record **recs;
		cwt_diags d = {0};
		cr_assert_eq(cwt_read_records("jats", xml, strlen(xml), &recs, &d, noparse), 1, "%s",
		             cw_buf_str(&d.text));
		cw_record *r = recs[0];
		cr_assert_eq(cw_record_child_count(r), 1);
		const cw_record *c = cw_record_child(r, 0);
		cr_expect_str_eq(cw_record_text(c, CW_FIELD_TITLE), untagged[i].title, "case %zu",
		                 i);
		cr_expect(cw_record_has(c, CW_FIELD_ORIGINAL_CITATION));
		cr_expect(strstr(cw_buf_str(&d.text), "untagged text is the title"), "%s",
		          cw_buf_str(&d.text));
		/* and it reads back the same from what the writer makes of it */
		char *out = cwt_write_records("jats", recs, 1, NULL, NULL);
		cr_assert(out);
		cw_record **again;
		cwt_diags d2 = {0};
		cr_assert_eq(cwt_read_records("jats", out, strlen(out), &again, &d2, noparse), 1);
		cw_buf diff = CW_BUF_INIT;
		cr_expect_eq(cw_record_compare(recs[0], again[0], &diff), 0, "case %zu: %s\n%s", i,
		             cw_buf_str(&diff), out);
		cw_buf_free(&diff);
		cwt_free_records(again, 1);
		cwt_diags_free(&d2);
		free(out);
		cwt_free_records(recs, 1);
		cwt_diags_free(&d);
		free(xml);
	}
	/* a tagged title or source is never replaced */
	const char *tagged =
	    "<ref id=\"r1\"><mixed-citation><source>The Book</source>. Other words."
	    "</mixed-citation></ref>";
	char *xml = article_with(NULL, tagged);
	cw_record **recs;
	cwt_diags d = {0};
	cw_record *r = read_article(xml, &recs, &d);
	cr_expect_str_eq(cw_record_text(cw_record_child(r, 0), CW_FIELD_TITLE), "The Book");
	cwt_free_records(recs, 1);
	cwt_diags_free(&d);
	free(xml);
}

/* --- 11 and 19: subtitles, article numbers, keywords --- */

Test(jats_types, subtitles_are_apart_in_articles_and_joined_in_citations)
{
	cw_record *rec = NULL;
	cr_assert_eq(cw_record_new(&rec), CW_OK);
	cw_record_set_type(rec, CW_TYPE_ARTICLE_JOURNAL);
	cw_record_set_text(rec, CW_FIELD_TITLE, "Main", CW_NUL);
	cw_record_set_text(rec, CW_FIELD_SUBTITLE, "the sub", CW_NUL);
	cw_record_set_text(rec, CW_FIELD_CONTAINER_TITLE, "Journal", CW_NUL);
	cw_record_set_text(rec, CW_FIELD_CONTAINER_SUBTITLE, "Its subtitle", CW_NUL);
	cw_record_set_text(rec, CW_FIELD_ARTICLE_NUMBER, "e123", CW_NUL);
	cwt_diags d = {0};
	char *out = write_one(rec, 0, &d);
	cr_expect(strstr(out, "<article-title>Main</article-title><subtitle>the sub</subtitle>"),
	          "%s", out);
	cr_expect(strstr(out, "<journal-title>Journal</journal-title><journal-subtitle>Its "
	                      "subtitle</journal-subtitle>"),
	          "%s", out);
	cr_expect(strstr(out, "<elocation-id>e123</elocation-id>"), "%s", out);
	/* and they read back apart */
	cw_record **recs;
	cwt_diags d2 = {0};
	cr_assert_eq(cwt_read_records("jats", out, strlen(out), &recs, &d2, NULL), 1);
	cr_expect_str_eq(cw_record_text(recs[0], CW_FIELD_SUBTITLE), "the sub");
	cr_expect_str_eq(cw_record_text(recs[0], CW_FIELD_CONTAINER_SUBTITLE), "Its subtitle");
	cr_expect_str_eq(cw_record_text(recs[0], CW_FIELD_ARTICLE_NUMBER), "e123");
	cwt_free_records(recs, 1);
	cwt_diags_free(&d2);
	free(out);
	/* a citation has no subtitle element: the parts are joined */
	cwt_diags_free(&d);
	out = write_one(rec, 1, &d);
	cr_expect(strstr(out, "<article-title>Main: the sub</article-title>"
	                      "<source>Journal: Its subtitle</source>"),
	          "%s", out);
	cr_expect(strstr(out, "<elocation-id>e123</elocation-id>"), "%s", out);
	for (size_t k = 0; k < d.n; k++)
		cr_expect(d.items[k].kind != CW_DIAG_NOT_CARRIED ||
		              (d.items[k].field != CW_FIELD_SUBTITLE &&
		               d.items[k].field != CW_FIELD_CONTAINER_SUBTITLE),
		          "%s", d.items[k].message);
	free(out);
	cw_record_free(rec);
	cwt_diags_free(&d);
}

Test(jats_types, elocation_id_is_the_article_number_and_keywords_have_one_path)
{
	const char *ref = "<ref id=\"r1\"><element-citation publication-type=\"journal\">"
	                  "<article-title>A</article-title><source>S</source><year>2001</year>"
	                  "<elocation-id>e42</elocation-id></element-citation></ref>";
	char *xml = article_with(NULL, ref);
	cw_record **recs;
	cwt_diags d = {0};
	cw_record *r = read_article(xml, &recs, &d);
	cr_expect_str_eq(cw_record_text(cw_record_child(r, 0), CW_FIELD_ARTICLE_NUMBER), "e42");
	cwt_free_records(recs, 1);
	cwt_diags_free(&d);
	free(xml);
	/* the keyword string of other formats arrives as the keyword list */
	cw_record *rec = NULL;
	cr_assert_eq(cw_record_new(&rec), CW_OK);
	cw_record_set_type(rec, CW_TYPE_ARTICLE_JOURNAL);
	cw_record_set_text(rec, CW_FIELD_TITLE, "T", CW_NUL);
	cw_record_set_text(rec, CW_FIELD_KEYWORD, "alpha; beta, gamma", CW_NUL);
	char *out = write_one(rec, 0, &d);
	cr_expect(strstr(out, "<kwd-group><kwd>alpha</kwd><kwd>beta, gamma</kwd></kwd-group>"),
	          "%s", out);
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_WARNING), 0, "%s", cw_buf_str(&d.text));
	free(out);
	cw_record_free(rec);
	cwt_diags_free(&d);
}

/* --- the corpus: every class where it occurs --- */

static char **corpus_files(size_t *n)
{
	char root[4096];
	CWT_CORPUS("jats", root);
	size_t nx, nn;
	char **xml = cwt_list_files(root, ".xml", &nx);
	char **nxml = cwt_list_files(root, ".nxml", &nn);
	char **all = calloc(nx + nn + 1, sizeof *all);
	cr_assert(all);
	size_t k = 0;
	for (size_t i = 0; i < nx; i++) {
		if (strstr(xml[i], "/schema/"))
			free(xml[i]);
		else
			all[k++] = xml[i];
	}
	for (size_t i = 0; i < nn; i++)
		all[k++] = nxml[i];
	free(xml);
	free(nxml);
	*n = k;
	return all;
}

/* 1 when the record has nothing a processor could print. */
static int empty_reference(const cw_record *rec)
{
	for (enum cw_field f = cw_record_next_field(rec, CW_FIELD_NONE); f != CW_FIELD_NONE;
	     f = cw_record_next_field(rec, f))
		if (f != CW_FIELD_ID && f != CW_FIELD_CITATION_LABEL &&
		    f != CW_FIELD_ARTICLE_TYPE && f != CW_FIELD_ORIGINAL_CITATION)
			return 0;
	return 1;
}

Test(jats_types_corpus, no_genre_from_types_and_no_half_references)
{
	size_t n;
	char **files = corpus_files(&n);
	size_t pensoft_articles = 0, pairs = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *data = cwt_read_file(files[i], &len);
		cw_record **recs;
		cwt_diags d = {0};
		size_t nr = cwt_read_records("jats", data, len, &recs, &d, NULL);
		cr_expect_eq(nr, 1, "%s", files[i]);
		for (size_t k = 0; k < nr; k++) {
			const cw_record *a = recs[k];
			const char *at = cw_record_text(a, CW_FIELD_ARTICLE_TYPE);
			cr_expect_null(cw_record_text(a, CW_FIELD_GENRE), "%s: genre %s", files[i],
			               cw_record_text(a, CW_FIELD_GENRE));
			/* the article-type attribute is kept as written */
			if (strstr(data, "article-type=\"research-article\"") && at)
				cr_expect(strlen(at) > 0);
			for (size_t c = 0; c < cw_record_child_count(a); c++) {
				const cw_record *ref = cw_record_child(a, c);
				const char *g = cw_record_text(ref, CW_FIELD_GENRE);
				const char *w = cw_record_text(ref, CW_FIELD_ARTICLE_TYPE);
				/* only working papers and preprints have a genre (of the
				 * source's words; the citation parser reads genres such as
				 * "Relatório" from the text of unstructured references) */
				if (cw_record_find_passthrough(ref, "csljson", "custom.inferred"))
					g = NULL;
				cr_expect(!g || !strcmp(g, "working paper") ||
				              !strcmp(g, "preprint"),
				          "%s: %s has genre %s", files[i],
				          cw_record_text(ref, CW_FIELD_ID), g);
				/* Pensoft: publication-type="article" is a journal article */
				if (w && !strcmp(w, "article")) {
					pensoft_articles++;
					cr_expect_eq(cw_record_type(ref), CW_TYPE_ARTICLE_JOURNAL,
					             "%s: %s", files[i],
					             cw_record_text(ref, CW_FIELD_ID));
				}
				/* SciELO and Redalyc: the pair is one record with both parts */
				if (cw_record_has(ref, CW_FIELD_ORIGINAL_CITATION) &&
				    cw_record_has(ref, CW_FIELD_TITLE))
					pairs++;
				/* a ref with an element citation never gives an empty record */
				if (empty_reference(ref)) {
					const char *id = cw_record_text(ref, CW_FIELD_ID);
					char needle[512];
					snprintf(needle, sizeof needle, " id=\"%s\"", id ? id : "");
					const char *at_ref = id ? strstr(data, needle) : NULL;
					const char *end = at_ref ? strstr(at_ref, "</ref>") : NULL;
					const char *el =
					    at_ref ? strstr(at_ref, "<element-citation") : NULL;
					cr_expect(!el || !end || el > end,
					          "%s: %s is empty beside an element citation",
					          files[i], id);
				}
			}
		}
		cwt_free_records(recs, nr);
		cwt_diags_free(&d);
		free(data);
	}
	cr_expect(pensoft_articles >= 61, "%zu Pensoft article citations", pensoft_articles);
	cr_expect(pairs >= 100, "%zu citations with both structure and original text", pairs);
	cwt_free_list(files, n);
}

/* --- the citation date: which pub-date becomes issued --- */

static const struct {
	const char *dates, *want;
} pub_dates[] = {
    /* JATS4R publication history: no pub/epub/ppub, yet a publication date */
    {"<pub-date date-type=\"corrected-version-of-record\"><year>2016</year><month>3</month>"
     "<day>30</day></pub-date><pub-date date-type=\"version-of-record\" "
     "publication-format=\"online\"><year>2016</year><month>2</month><day>16</day></pub-date>",
     "2016-02-16"},
    {"<pub-date date-type=\"issued-online\"><year>2016</year><month>6</month></pub-date>"
     "<pub-date date-type=\"issued\"><year>2016</year><month>6</month><day>15</day></pub-date>",
     "2016-06-15"},
    /* a type no row names is still better than none */
    {"<pub-date date-type=\"first-look\"><year>2019</year></pub-date>", "2019"},
    /* the ranks of the classic types are kept */
    {"<pub-date pub-type=\"epub\"><year>2020</year></pub-date><pub-date "
     "pub-type=\"collection\"><year>2021</year></pub-date>",
     "2021"},
    /* a preprint's or a retraction's date is never the article's */
    {"<pub-date date-type=\"preprint\"><year>2018</year></pub-date>", NULL},
};

Test(jats_types, the_citation_date_among_pub_dates)
{
	for (size_t i = 0; i < sizeof pub_dates / sizeof pub_dates[0]; i++) {
		cw_buf b = CW_BUF_INIT;
		cw_buf_printf(&b,
		              "<article><front><journal-meta/><article-meta><title-group>"
		              "<article-title>T</article-title></title-group>%s</article-meta>"
		              "</front></article>",
		              pub_dates[i].dates);
		cw_record **recs = NULL;
		cwt_diags d = {0};
		cw_record *r = read_article(b.data, &recs, &d);
		const cw_date *dt = cw_record_date(r, CW_FIELD_ISSUED);
		if (!pub_dates[i].want) {
			cr_expect_null(dt, "case %zu", i);
		} else {
			cr_assert_not_null(dt, "case %zu", i);
			cw_buf iso = CW_BUF_INIT;
			cw_date_format_iso(dt, &iso);
			cr_expect_str_eq(cw_buf_str(&iso), pub_dates[i].want, "case %zu", i);
			cw_buf_free(&iso);
		}
		cwt_free_records(recs, 1);
		cwt_diags_free(&d);
		cw_buf_free(&b);
	}
}

/* --- PubMed-style initials --- */

static const struct {
	const char *surname, *given, *want;
} initials[] = {
    {"Issa", "JP", "J. P."},   {"Wu", "JPM", "J. P. M."},
    {"Qiu", "Z", "Z"},         /* one initial: nothing to space */
    {"Lee", "J. P.", "J. P."}, /* already spaced */
    {"Smith", "JEAN", "JEAN"}, /* four capitals: a name */
    {"LAUMULIN", "MU", "MU"},  /* an upper-case surname: the given name may be too */
    {"Smith", "Jo", "Jo"},
};

Test(jats_types, pubmed_initials_are_spaced)
{
	for (size_t i = 0; i < sizeof initials / sizeof initials[0]; i++) {
		cw_buf b = CW_BUF_INIT;
		cw_buf_printf(&b,
		              "<article><front><journal-meta/><article-meta><title-group>"
		              "<article-title>T</article-title></title-group><contrib-group>"
		              "<contrib contrib-type=\"author\"><name><surname>%s</surname>"
		              "<given-names>%s</given-names></name></contrib></contrib-group>"
		              "</article-meta></front></article>",
		              initials[i].surname, initials[i].given);
		cw_record **recs = NULL;
		cwt_diags d = {0};
		cw_record *r = read_article(b.data, &recs, &d);
		const cw_name *n = cw_record_name(r, CW_FIELD_AUTHOR, 0);
		cr_assert_not_null(n, "case %zu", i);
		cr_expect_str_eq(n->given, initials[i].want, "case %zu", i);
		cwt_free_records(recs, 1);
		cwt_diags_free(&d);
		cw_buf_free(&b);
	}
}

/* A preprint's source is its server: the publisher CSL styles print, and back to <source>. */
Test(jats_types, a_preprint_source_is_its_server)
{
	char *xml =
	    article_with(NULL, "<ref id=\"p1\"><element-citation publication-type=\"preprint\">"
	                       "<article-title>Novel</article-title><source>bioRxiv</source>"
	                       "<year>2024</year></element-citation></ref>");
	cw_record **recs = NULL;
	cwt_diags d = {0};
	cw_record *r = read_article(xml, &recs, &d);
	const cw_record *c = cw_record_child(r, 0);
	cr_assert_not_null(c);
	cr_expect_eq(cw_record_type(c), CW_TYPE_ARTICLE);
	cr_expect_str_eq(cw_record_text(c, CW_FIELD_PUBLISHER), "bioRxiv");
	cr_expect_null(cw_record_text(c, CW_FIELD_CONTAINER_TITLE));
	char *out = cwt_write_records("jats", recs, 1, NULL, NULL);
	cr_expect(strstr(out, "<article-title>Novel</article-title><source>bioRxiv</source>"), "%s",
	          out);
	cr_expect_not(strstr(out, "publisher-name"), "%s", out);
	free(out);
	cwt_free_records(recs, 1);
	cwt_diags_free(&d);
	free(xml);
}
