/*
 * HTML meta tags of an article landing page: DC.* / DCTERMS.* tags (with
 * their schema.DC links) and the Highwire Press citation_* tags that
 * Google Scholar reads. The writer emits both; the reader (libxml2's HTML
 * parser, no network) reads both and merges them: where a citation_* tag
 * and a DC tag say different things, citation_* wins (Google Scholar's
 * inclusion guidelines rank Highwire tags first and DC last) and a note
 * names the disagreement.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "dc.h"

/* --- writer --- */

typedef struct hw {
	cw_ostream *out;
	dc_tables tab;
	dc_stmts st;
	cw_buf b;
	uint64_t count;
} hw;

static int hw_begin(void *state, cw_session *s, cw_ostream *out)
{
	hw *w = state;
	w->out = out;
	return dc_tables_load(&w->tab, s);
}

static void meta(cw_buf *b, const char *name, const char *value, const char *lang)
{
	if (!value || !*value)
		return;
	cw_buf_printf(b, "<meta name=\"%s\" content=\"", name);
	cw_buf_append_xml(b, value, CW_NUL, CW_XML_ATTR);
	cw_buf_putc(b, '"');
	if (lang) {
		cw_buf_append(b, " lang=\"", CW_NUL);
		cw_buf_append_xml(b, lang, CW_NUL, CW_XML_ATTR);
		cw_buf_putc(b, '"');
	}
	cw_buf_append(b, " />\n", CW_NUL);
}

/* A <meta> whose value was built in v: when building it failed, b fails too. */
static void meta_built(cw_buf *b, const char *name, const cw_buf *v)
{
	if (cw_buf_error(v))
		cw_buf_fail(b);
	meta(b, name, cw_buf_str(v), NULL);
}

static void meta_rich(cw_buf *b, const char *name, const char *rich)
{
	if (!rich)
		return;
	cw_buf p = CW_BUF_INIT;
	cw_rich_to_plain(&p, rich);
	meta_built(b, name, &p);
	cw_buf_free(&p);
}

/* A title joined with its subtitle and addon: pages and Google Scholar show one title. */
static void meta_title(cw_buf *b, const char *name, const cw_record *r, enum cw_field f)
{
	cw_buf j = CW_BUF_INIT;
	cw_record_joined_title(r, f, &j);
	if (j.len)
		meta_rich(b, name, cw_buf_str(&j));
	if (cw_buf_error(&j))
		cw_buf_fail(b);
	cw_buf_free(&j);
}

/* "112-124" -> first and last page. */
static void split_pages(const char *pg, char *first, char *last, size_t cap)
{
	first[0] = last[0] = '\0';
	if (!pg)
		return;
	size_t n = strcspn(pg, "-\xe2");
	snprintf(first, cap, "%.*s", (int)(n < cap ? n : cap - 1), pg);
	const char *r = pg + n;
	if (*r == '-')
		r++;
	else if ((unsigned char)r[0] == 0xe2 && r[1] && r[2])
		r += 3;
	else
		return;
	while (*r == ' ')
		r++;
	snprintf(last, cap, "%s", r);
	size_t fl = strlen(first);
	while (fl && first[fl - 1] == ' ')
		first[--fl] = '\0';
}

static void highwire(hw *w, cw_session *s, const cw_record *r)
{
	cw_buf *b = &w->b;
	cw_buf tmp = CW_BUF_INIT;
	meta_title(b, "citation_title", r, CW_FIELD_TITLE);
	for (size_t i = 0; i < cw_record_name_count(r, CW_FIELD_AUTHOR); i++) {
		const cw_name *n = cw_record_name(r, CW_FIELD_AUTHOR, i);
		if (n->flags & CW_NAME_ETAL)
			continue;
		cw_buf_clear(&tmp);
		dc_name_format(n, &tmp);
		meta_built(b, "citation_author", &tmp);
		for (size_t k = 0; k < n->affiliation_count; k++) {
			const cw_affiliation *a =
			    cw_record_affiliation_by_id(r, n->affiliation_ids[k]);
			if (!a)
				continue;
			const char *inst = a->institution ? a->institution : a->text;
			meta(b, "citation_author_institution", inst, NULL);
		}
		meta(b, "citation_author_orcid", n->orcid, NULL);
		meta(b, "citation_author_email", n->email, NULL);
	}
	const cw_date *d = cw_record_date(r, CW_FIELD_ISSUED);
	if (d && d->parts) {
		cw_buf_clear(&tmp);
		if (d->parts >= 3)
			cw_buf_printf(&tmp, "%04d/%02d/%02d", d->year, d->month, d->day);
		else if (d->parts == 2 && d->month <= 12)
			cw_buf_printf(&tmp, "%04d/%02d", d->year, d->month);
		else
			cw_buf_printf(&tmp, "%04d", d->year);
		meta_built(b, "citation_publication_date", &tmp);
	}
	const cw_date *on = cw_record_date(r, CW_FIELD_PUBLISHED_ONLINE);
	if (on && on->parts >= 3) {
		cw_buf_clear(&tmp);
		cw_buf_printf(&tmp, "%04d/%02d/%02d", on->year, on->month, on->day);
		meta_built(b, "citation_online_date", &tmp);
	}
	enum cw_item_type ty = cw_record_type(r);
	const char *ct = ty == CW_TYPE_PAPER_CONFERENCE ? "citation_conference_title"
	                 : ty == CW_TYPE_CHAPTER        ? "citation_inbook_title"
	                                                : "citation_journal_title";
	if (cw_record_has(r, CW_FIELD_CONTAINER_TITLE))
		meta_title(b, ct, r, CW_FIELD_CONTAINER_TITLE);
	meta_rich(b, "citation_journal_abbrev", cw_record_text(r, CW_FIELD_CONTAINER_TITLE_SHORT));
	meta(b, "citation_issn", cw_record_text(r, CW_FIELD_ISSN), NULL);
	meta(b, "citation_issn", cw_record_text(r, CW_FIELD_ISSN_ELECTRONIC), NULL);
	meta(b, "citation_isbn", cw_record_text(r, CW_FIELD_ISBN), NULL);
	meta(b, "citation_volume", cw_record_text(r, CW_FIELD_VOLUME), NULL);
	meta(b, "citation_issue", cw_record_text(r, CW_FIELD_ISSUE), NULL);
	char first[128], last[128];
	const char *pg = cw_record_text(r, CW_FIELD_PAGE);
	split_pages(pg ? pg : cw_record_text(r, CW_FIELD_PAGE_FIRST), first, last, sizeof first);
	meta(b, "citation_firstpage", first, NULL);
	meta(b, "citation_lastpage", last, NULL);
	meta(b, "citation_doi", cw_record_text(r, CW_FIELD_DOI), NULL);
	meta(b, "citation_pmid", cw_record_text(r, CW_FIELD_PMID), NULL);
	const char *pub = cw_record_text(r, CW_FIELD_PUBLISHER);
	if (ty == CW_TYPE_THESIS)
		meta(b, "citation_dissertation_institution", pub, NULL);
	else if (ty == CW_TYPE_REPORT)
		meta(b, "citation_technical_report_institution", pub, NULL);
	else
		meta(b, "citation_publisher", pub, NULL);
	if (ty == CW_TYPE_REPORT)
		meta(b, "citation_technical_report_number", cw_record_text(r, CW_FIELD_NUMBER),
		     NULL);
	meta(b, "citation_abstract_html_url", cw_record_text(r, CW_FIELD_URL), NULL);
	for (size_t i = 0; i < cw_record_item_count(r, CW_FIELD_LINKS); i++) {
		const cw_item *it = cw_record_item(r, CW_FIELD_LINKS, i);
		if (it->type && !strcmp(it->type, "pdf"))
			meta(b, "citation_pdf_url", it->value, NULL);
		else if (it->type && (!strcmp(it->type, "fulltext") || !strcmp(it->type, "html")))
			meta(b, "citation_fulltext_html_url", it->value, NULL);
	}
	cw_buf_clear(&tmp);
	for (size_t i = 0; i < cw_record_item_count(r, CW_FIELD_KEYWORDS); i++) {
		if (i)
			cw_buf_append(&tmp, "; ", CW_NUL);
		cw_buf_append(&tmp, cw_record_item(r, CW_FIELD_KEYWORDS, i)->value, CW_NUL);
	}
	meta_built(b, "citation_keywords", &tmp);
	meta(b, "citation_language", cw_record_text(r, CW_FIELD_LANGUAGE), NULL);
	/* references: the citation text as the source wrote it, else the Highwire
	 * key=value form */
	for (size_t i = 0; i < cw_record_child_count(r); i++) {
		const cw_record *c = cw_record_child(r, i);
		cw_buf_clear(&tmp);
		const char *orig = cw_record_text(c, CW_FIELD_ORIGINAL_CITATION);
		if (orig) {
			cw_rich_to_plain(&tmp, orig);
		} else {
			const char *sep = "";
			if (cw_record_has(c, CW_FIELD_TITLE)) {
				cw_buf j = CW_BUF_INIT;
				cw_record_joined_title(c, CW_FIELD_TITLE, &j);
				cw_buf_append(&tmp, "citation_title=", CW_NUL);
				cw_rich_to_plain(&tmp, cw_buf_str(&j));
				cw_buf_free(&j);
				sep = "; ";
			}
			for (size_t k = 0; k < cw_record_name_count(c, CW_FIELD_AUTHOR); k++) {
				cw_buf_printf(&tmp, "%scitation_author=", sep);
				dc_name_format(cw_record_name(c, CW_FIELD_AUTHOR, k), &tmp);
				sep = "; ";
			}
			const char *ctt = cw_record_text(c, CW_FIELD_CONTAINER_TITLE);
			if (ctt) {
				cw_buf_printf(&tmp, "%scitation_journal_title=", sep);
				cw_rich_to_plain(&tmp, ctt);
				sep = "; ";
			}
			const cw_date *cd = cw_record_date(c, CW_FIELD_ISSUED);
			if (cd && cd->parts) {
				cw_buf_printf(&tmp, "%scitation_publication_date=%04d", sep,
				              cd->year);
				sep = "; ";
			}
			static const struct {
				enum cw_field f;
				const char *k;
			} kv[] = {{CW_FIELD_VOLUME, "citation_volume"},
			          {CW_FIELD_ISSUE, "citation_issue"},
			          {CW_FIELD_PAGE, "citation_firstpage"},
			          {CW_FIELD_DOI, "citation_doi"}};
			for (size_t k = 0; k < sizeof kv / sizeof kv[0]; k++) {
				const char *v = cw_record_text(c, kv[k].f);
				if (v) {
					cw_buf_printf(&tmp, "%s%s=%s", sep, kv[k].k, v);
					sep = "; ";
				}
			}
		}
		meta_built(b, "citation_reference", &tmp);
	}
	(void)s;
	cw_buf_free(&tmp);
}

static int hw_write(void *state, cw_session *s, const cw_record *rec)
{
	hw *w = state;
	if (++w->count > 1)
		return cw_diag_emit(s, CW_SEV_ERROR, CW_EUNSUPPORTED, 0, 0,
		                    "html-meta describes one article per page; write one file per "
		                    "record");
	dc_stmts_clear(&w->st);
	int rc = dc_map_write(&w->tab, s, rec, DC_PROFILE_HTML, &w->st);
	if (rc)
		return rc;
	cw_buf *b = &w->b;
	cw_buf_clear(b);
	const char *lang = cw_record_text(rec, CW_FIELD_LANGUAGE);
	cw_buf_append(b, "<!DOCTYPE html>\n<html", CW_NUL);
	if (lang) {
		cw_buf_append(b, " lang=\"", CW_NUL);
		cw_buf_append_xml(b, lang, CW_NUL, CW_XML_ATTR);
		cw_buf_putc(b, '"');
	}
	cw_buf_append(b, ">\n<head>\n<meta charset=\"utf-8\" />\n<title>", CW_NUL);
	cw_buf t = CW_BUF_INIT, j = CW_BUF_INIT;
	if (cw_record_has(rec, CW_FIELD_TITLE))
		cw_record_joined_title(rec, CW_FIELD_TITLE, &j);
	cw_rich_to_plain(&t, cw_buf_str(&j));
	cw_buf_append_xml(b, cw_buf_str(&t), CW_NUL, CW_XML_TEXT);
	if (cw_buf_error(&j) || cw_buf_error(&t))
		cw_buf_fail(b);
	cw_buf_free(&t);
	cw_buf_free(&j);
	cw_buf_append(
	    b,
	    "</title>\n<link rel=\"schema.DC\" href=\"http://purl.org/dc/elements/1.1/\" />\n"
	    "<link rel=\"schema.DCTERMS\" href=\"http://purl.org/dc/terms/\" />\n",
	    CW_NUL);
	for (size_t i = 0; i < w->st.n; i++) {
		const dc_stmt *x = &w->st.v[i];
		char name[160];
		int qualified = strchr(x->elem, '.') != NULL; /* "type.articleType" */
		snprintf(name, sizeof name, "%s.%s",
		         dc_is_element(x->elem) || qualified ? "DC" : "DCTERMS", x->elem);
		if (qualified)
			name[3] = (char)toupper((unsigned char)name[3]); /* DC.Type.articleType */
		meta(b, name, x->value, x->lang);
	}
	highwire(w, s, rec);
	cw_buf_append(b, "</head>\n<body>\n</body>\n</html>\n", CW_NUL);
	/* what neither DC nor Highwire carries */
	static const enum cw_field carried[] = {CW_FIELD_ID,
	                                        CW_FIELD_TITLE,
	                                        CW_FIELD_SUBTITLE,
	                                        CW_FIELD_TITLE_ADDON,
	                                        CW_FIELD_CONTAINER_SUBTITLE,
	                                        CW_FIELD_CONTAINER_TITLE_ADDON,
	                                        CW_FIELD_TRANSLATED_TITLES,
	                                        CW_FIELD_ALTERNATIVE_TITLES,
	                                        CW_FIELD_AUTHOR,
	                                        CW_FIELD_KEYWORDS,
	                                        CW_FIELD_SUBJECTS,
	                                        CW_FIELD_ABSTRACT,
	                                        CW_FIELD_ABSTRACTS,
	                                        CW_FIELD_PUBLISHER,
	                                        CW_FIELD_CONTRIBUTOR,
	                                        CW_FIELD_EDITOR,
	                                        CW_FIELD_TRANSLATOR,
	                                        CW_FIELD_FUNDING,
	                                        CW_FIELD_ISSUED,
	                                        CW_FIELD_SECTION,
	                                        CW_FIELD_GENRE,
	                                        CW_FIELD_URL,
	                                        CW_FIELD_DOI,
	                                        CW_FIELD_ISBN,
	                                        CW_FIELD_PMID,
	                                        CW_FIELD_PMCID,
	                                        CW_FIELD_ARXIV,
	                                        CW_FIELD_IDENTIFIERS,
	                                        CW_FIELD_CONTAINER_TITLE,
	                                        CW_FIELD_VOLUME,
	                                        CW_FIELD_ISSUE,
	                                        CW_FIELD_PAGE,
	                                        CW_FIELD_PAGE_FIRST,
	                                        CW_FIELD_ISSUE_TITLE,
	                                        CW_FIELD_ISSN,
	                                        CW_FIELD_ISSN_ELECTRONIC,
	                                        CW_FIELD_CONTAINER_IDENTIFIERS,
	                                        CW_FIELD_LANGUAGE,
	                                        CW_FIELD_LINKS,
	                                        CW_FIELD_RELATED,
	                                        CW_FIELD_COPYRIGHT,
	                                        CW_FIELD_LICENSE,
	                                        CW_FIELD_LICENSE_URL,
	                                        CW_FIELD_ACCEPTED,
	                                        CW_FIELD_SUBMITTED,
	                                        CW_FIELD_AVAILABLE_DATE,
	                                        CW_FIELD_COPYRIGHT_YEAR,
	                                        CW_FIELD_COPYRIGHT_HOLDER,
	                                        CW_FIELD_CONTAINER_TITLE_SHORT,
	                                        CW_FIELD_PUBLISHED_ONLINE,
	                                        CW_FIELD_AFFILIATIONS,
	                                        CW_FIELD_REFERENCE_LIST,
	                                        CW_FIELD_NUMBER};
	cw_diag_uncarried(s, rec, carried, sizeof carried / sizeof carried[0]);
	cw_diag_uncarried_passthrough(s, rec, DC_PT);
	rc = cw_diag_check_buf(s, b);
	return rc ? rc : cw_ostream_write(w->out, b->data, b->len);
}

static int hw_end(void *state, cw_session *s)
{
	(void)s;
	hw *w = state;
	if (w->count > 0)
		return CW_OK;
	/* no records: a page whose head has no metadata (HTML wants a title that is not empty) */
	return cw_ostream_puts(w->out,
	                       "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\" />\n"
	                       "<title>No records</title>\n</head>\n<body>\n</body>\n"
	                       "</html>\n");
}

static void hw_close(void *state, cw_session *s)
{
	(void)s;
	hw *w = state;
	dc_stmts_free(&w->st);
	cw_buf_free(&w->b);
	dc_tables_free(&w->tab);
}

const cw_writer_ops dc_html_writer = {
    .struct_size = sizeof(cw_writer_ops),
    .state_size = sizeof(hw),
    .begin = hw_begin,
    .write = hw_write,
    .end = hw_end,
    .close = hw_close,
};

/* --- reader --- */

typedef struct hr {
	cw_istream *in;
	dc_tables tab;
	int done;
} hr;

/* The cap on the page, which is read whole: record-bytes (a page is one
 * record), or input-bytes when that is set and smaller. */
static enum cw_limit hr_cap(const cw_limits *lim, uint64_t *cap)
{
	if (lim->max_input_bytes && lim->max_input_bytes < lim->max_record_bytes) {
		*cap = lim->max_input_bytes;
		return CW_LIMIT_INPUT_BYTES;
	}
	*cap = lim->max_record_bytes;
	return CW_LIMIT_RECORD_BYTES;
}

static int hr_open(void *state, cw_session *s, cw_istream *in)
{
	hr *x = state;
	x->in = in;
	uint64_t cap;
	hr_cap(cw_session_limits(s), &cap);
	cw_istream_set_limit(in, cap);
	return dc_tables_load(&x->tab, s);
}

/*
 * A NUL byte in the page: libxml2's HTML parser would end the page there
 * without a word, losing every tag after it. Located and refused instead
 * (not in UTF-16, where NUL bytes are half of a character).
 */
static int hr_nul(cw_session *s, const char *data, size_t len)
{
	const unsigned char *u = (const unsigned char *)data;
	if (len >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE)))
		return CW_OK;
	const char *z = memchr(data, 0, len);
	if (!z)
		return CW_OK;
	uint32_t line = 1, col = 1;
	for (const char *p = data; p < z; p++) {
		if (*p == '\n')
			line++, col = 1;
		else if ((*p & 0xC0) != 0x80)
			col++;
	}
	return cw_diag_emit(s, CW_SEV_ERROR, CW_EFORMAT, line, col,
	                    "a NUL byte in the input (HTML text never has one)");
}

static void hr_close(void *state, cw_session *s)
{
	(void)s;
	hr *x = state;
	dc_tables_free(&x->tab);
}

/* One meta tag. */
typedef struct hmeta {
	char *name, *content, *lang; /* owned: xmlFree */
	uint32_t line;
} hmeta;

/* What a Highwire tag gives (hw_tags). */
enum hw_do {
	HW_TEXT,         /* field f, unless the record has it; type, if any, the item type */
	HW_AUTHOR,       /* an author */
	HW_AUTHORS,      /* authors, "A; B; C" */
	HW_AUTHOR_AFF,   /* the last author's institution */
	HW_AUTHOR_ORCID, /* the last author's ORCID */
	HW_AUTHOR_EMAIL, /* the last author's email */
	HW_DATE,         /* date field f: the first of the tags that give it */
	HW_FIRST_PAGE,   /* pages: its start */
	HW_LAST_PAGE,    /* pages: its end */
	HW_ISSN,         /* the print ISSN, or the electronic one when a print one was read */
	HW_EISSN,        /* the electronic ISSN */
	HW_KEYWORDS,     /* keywords, split at ";" (else ",") */
	HW_LINK,         /* a links item of type link */
	HW_REFERENCE,    /* a reference, as its original citation */
};

/* Highwire tags -> fields; a citation_* tag not listed is kept as passthrough. */
static const struct hw_tag {
	const char *tag;
	enum hw_do what;
	enum cw_field f;
	enum cw_item_type type;
	const char *link;
} hw_tags[] = {
    {"citation_title", HW_TEXT, CW_FIELD_TITLE, CW_TYPE_UNSET, NULL},
    {"citation_journal_title", HW_TEXT, CW_FIELD_CONTAINER_TITLE, CW_TYPE_ARTICLE_JOURNAL, NULL},
    {"citation_conference_title", HW_TEXT, CW_FIELD_CONTAINER_TITLE, CW_TYPE_PAPER_CONFERENCE,
     NULL},
    {"citation_inbook_title", HW_TEXT, CW_FIELD_CONTAINER_TITLE, CW_TYPE_CHAPTER, NULL},
    {"citation_book_title", HW_TEXT, CW_FIELD_CONTAINER_TITLE, CW_TYPE_UNSET, NULL},
    {"citation_journal_abbrev", HW_TEXT, CW_FIELD_CONTAINER_TITLE_SHORT, CW_TYPE_UNSET, NULL},
    {"citation_volume", HW_TEXT, CW_FIELD_VOLUME, CW_TYPE_UNSET, NULL},
    {"citation_issue", HW_TEXT, CW_FIELD_ISSUE, CW_TYPE_UNSET, NULL},
    {"citation_doi", HW_TEXT, CW_FIELD_DOI, CW_TYPE_UNSET, NULL},
    {"citation_pmid", HW_TEXT, CW_FIELD_PMID, CW_TYPE_UNSET, NULL},
    {"citation_isbn", HW_TEXT, CW_FIELD_ISBN, CW_TYPE_UNSET, NULL},
    {"citation_publisher", HW_TEXT, CW_FIELD_PUBLISHER, CW_TYPE_UNSET, NULL},
    {"citation_dissertation_institution", HW_TEXT, CW_FIELD_PUBLISHER, CW_TYPE_THESIS, NULL},
    {"citation_technical_report_institution", HW_TEXT, CW_FIELD_PUBLISHER, CW_TYPE_REPORT, NULL},
    {"citation_technical_report_number", HW_TEXT, CW_FIELD_NUMBER, CW_TYPE_UNSET, NULL},
    {"citation_abstract_html_url", HW_TEXT, CW_FIELD_URL, CW_TYPE_UNSET, NULL},
    {"citation_public_url", HW_TEXT, CW_FIELD_URL, CW_TYPE_UNSET, NULL},
    {"citation_language", HW_TEXT, CW_FIELD_LANGUAGE, CW_TYPE_UNSET, NULL},
    {"citation_abstract", HW_TEXT, CW_FIELD_ABSTRACT, CW_TYPE_UNSET, NULL},
    {"citation_author", HW_AUTHOR, CW_FIELD_AUTHOR, CW_TYPE_UNSET, NULL},
    {"citation_authors", HW_AUTHORS, CW_FIELD_AUTHOR, CW_TYPE_UNSET, NULL},
    {"citation_author_institution", HW_AUTHOR_AFF, CW_FIELD_AUTHOR, CW_TYPE_UNSET, NULL},
    {"citation_author_orcid", HW_AUTHOR_ORCID, CW_FIELD_AUTHOR, CW_TYPE_UNSET, NULL},
    {"citation_author_email", HW_AUTHOR_EMAIL, CW_FIELD_AUTHOR, CW_TYPE_UNSET, NULL},
    {"citation_publication_date", HW_DATE, CW_FIELD_ISSUED, CW_TYPE_UNSET, NULL},
    {"citation_date", HW_DATE, CW_FIELD_ISSUED, CW_TYPE_UNSET, NULL},
    {"citation_cover_date", HW_DATE, CW_FIELD_ISSUED, CW_TYPE_UNSET, NULL},
    {"citation_year", HW_DATE, CW_FIELD_ISSUED, CW_TYPE_UNSET, NULL},
    {"citation_online_date", HW_DATE, CW_FIELD_PUBLISHED_ONLINE, CW_TYPE_UNSET, NULL},
    {"citation_firstpage", HW_FIRST_PAGE, CW_FIELD_PAGE, CW_TYPE_UNSET, NULL},
    {"citation_lastpage", HW_LAST_PAGE, CW_FIELD_PAGE, CW_TYPE_UNSET, NULL},
    {"citation_issn", HW_ISSN, CW_FIELD_ISSN, CW_TYPE_UNSET, NULL},
    {"citation_eissn", HW_EISSN, CW_FIELD_ISSN_ELECTRONIC, CW_TYPE_UNSET, NULL},
    {"citation_keywords", HW_KEYWORDS, CW_FIELD_KEYWORDS, CW_TYPE_UNSET, NULL},
    {"citation_pdf_url", HW_LINK, CW_FIELD_LINKS, CW_TYPE_UNSET, "pdf"},
    {"citation_fulltext_html_url", HW_LINK, CW_FIELD_LINKS, CW_TYPE_UNSET, "fulltext"},
    {"citation_reference", HW_REFERENCE, CW_FIELD_NONE, CW_TYPE_UNSET, NULL},
};

/* An author, kept until the page is read: the tags after it may add to it. */
typedef struct hw_author {
	char *buf; /* owned: the name's strings */
	cw_name n;
	const char *aff[8];
	char affid[8][24];
	size_t naff;
} hw_author;

/* The Highwire tags of a page, read one by one. */
typedef struct hw_reader {
	cw_session *s;
	cw_record *rec;
	hw_author *au; /* owned; au[nau - 1] is the author later institution/orcid tags attach to */
	size_t nau, cap;
	size_t naffs; /* affiliations read, for their ids */
	int got_date; /* an issued date was read: the first one counts */
	char first[128], lastp[128];
} hw_reader;

static const struct hw_tag *hw_tag_of(const char *name)
{
	for (size_t k = 0; k < sizeof hw_tags / sizeof hw_tags[0]; k++)
		if (!strcasecmp(name, hw_tags[k].tag))
			return &hw_tags[k];
	return NULL;
}

/* The authors of a citation_author tag (list: citation_authors, "A; B; C"). */
static int hw_add_authors(hw_reader *h, const hmeta *m, int list)
{
	const char *p = m->content;
	while (*p) {
		size_t len = list ? strcspn(p, ";") : strlen(p);
		if (h->nau >= cw_session_limits(h->s)->max_names)
			return cw_session_limit_error(h->s, CW_ELIMIT, CW_LIMIT_NAMES, m->line, 0,
			                              "more %s than", "authors");
		if (h->nau == h->cap) {
			size_t nc = h->cap ? h->cap * 2 : 8;
			hw_author *na = realloc(h->au, nc * sizeof *na);
			if (!na)
				return CW_ENOMEM;
			h->au = na;
			h->cap = nc;
		}
		hw_author *a = &h->au[h->nau];
		memset(a, 0, sizeof *a);
		a->n = (cw_name)CW_NAME_INIT;
		char *one = malloc(len + 1);
		a->buf = malloc(len + 8);
		if (!one || !a->buf) {
			free(one);
			free(a->buf);
			return CW_ENOMEM;
		}
		memcpy(one, p, len);
		one[len] = '\0';
		const char *aff;
		if (dc_name_parse(one, &a->n, a->buf, &aff))
			h->nau++;
		else
			free(a->buf);
		free(one);
		p += len;
		while (*p == ';' || *p == ' ')
			p++;
	}
	return CW_OK;
}

/* The last author's institution: an affiliation of the record, with an id. */
static int hw_add_affiliation(hw_reader *h, const char *v)
{
	hw_author *a = &h->au[h->nau - 1];
	if (a->naff >= 8)
		return CW_OK;
	cw_affiliation af = CW_AFFILIATION_INIT;
	snprintf(a->affid[a->naff], sizeof a->affid[0], "hw-aff%zu", ++h->naffs);
	af.id = a->affid[a->naff];
	af.text = v;
	int rc = cw_record_add_affiliation(h->rec, &af);
	a->aff[a->naff] = a->affid[a->naff];
	a->naff++;
	return rc;
}

static int hw_set_date(hw_reader *h, const struct hw_tag *tag, const hmeta *m)
{
	cw_date d = CW_DATE_INIT;
	/* Highwire's "2009/5/28" is one of the forms the parser knows */
	if (dc_date_parse(&d, m->content, NULL) != CW_OK) {
		cw_diag_emit(h->s, CW_SEV_WARNING, CW_OK, m->line, 0,
		             "%s: cannot read the date '%s'", m->name, m->content);
		return CW_OK;
	}
	enum cw_field f = tag->f;
	if (f == CW_FIELD_ISSUED ? h->got_date : cw_record_has(h->rec, f))
		return CW_OK;
	h->got_date |= f == CW_FIELD_ISSUED;
	return cw_record_set_date(h->rec, f, &d);
}

static int hw_add_keywords(hw_reader *h, const hmeta *m)
{
	int rc = CW_OK;
	const char *v = m->content;
	const char *sep = strchr(v, ';') ? ";" : ",";
	for (const char *p = v; *p && rc >= 0;) {
		size_t len = strcspn(p, sep);
		char kw[512];
		snprintf(kw, sizeof kw, "%.*s", (int)(len < sizeof kw ? len : sizeof kw - 1), p);
		char *b = kw;
		while (*b == ' ')
			b++;
		size_t bl = strlen(b);
		while (bl && b[bl - 1] == ' ')
			b[--bl] = '\0';
		if (*b) {
			cw_item it = CW_ITEM_INIT;
			it.value = b;
			it.lang = m->lang;
			rc = cw_record_add_item(h->rec, CW_FIELD_KEYWORDS, &it);
		}
		p += len;
		if (*p)
			p++;
	}
	return rc;
}

static int hw_add_reference(hw_reader *h, const hmeta *m)
{
	cw_record *c = NULL;
	if (cw_record_child_count(h->rec) >= cw_session_limits(h->s)->max_children)
		return cw_session_limit_error(h->s, CW_ELIMIT, CW_LIMIT_CHILDREN, m->line, 0,
		                              "more citation_reference tags than");
	int rc = cw_record_add_child(h->rec, &c);
	if (rc >= 0)
		rc = cw_record_set_text(c, CW_FIELD_ORIGINAL_CITATION, m->content, CW_NUL);
	return rc;
}

/* One tag of hw_tags. */
static int hw_read_tag(hw_reader *h, const struct hw_tag *tag, const hmeta *m)
{
	cw_record *rec = h->rec;
	const char *v = m->content;
	switch (tag->what) {
	case HW_TEXT: {
		int rc =
		    cw_record_has(rec, tag->f) ? CW_OK : cw_record_set_text(rec, tag->f, v, CW_NUL);
		if (tag->type != CW_TYPE_UNSET)
			cw_record_set_type(rec, tag->type);
		return rc;
	}
	case HW_AUTHOR:
	case HW_AUTHORS:
		return hw_add_authors(h, m, tag->what == HW_AUTHORS);
	case HW_AUTHOR_AFF:
		return hw_add_affiliation(h, v);
	case HW_AUTHOR_ORCID:
		h->au[h->nau - 1].n.orcid = v;
		return CW_OK;
	case HW_AUTHOR_EMAIL:
		h->au[h->nau - 1].n.email = v;
		return CW_OK;
	case HW_DATE:
		return hw_set_date(h, tag, m);
	case HW_FIRST_PAGE:
		snprintf(h->first, sizeof h->first, "%s", v);
		return CW_OK;
	case HW_LAST_PAGE:
		snprintf(h->lastp, sizeof h->lastp, "%s", v);
		return CW_OK;
	case HW_ISSN:
	case HW_EISSN: {
		enum cw_field f = tag->what == HW_EISSN || cw_record_has(rec, CW_FIELD_ISSN)
		                      ? CW_FIELD_ISSN_ELECTRONIC
		                      : CW_FIELD_ISSN;
		return cw_record_has(rec, f) ? CW_OK : cw_record_set_text(rec, f, v, CW_NUL);
	}
	case HW_KEYWORDS:
		return hw_add_keywords(h, m);
	case HW_LINK: {
		cw_item it = CW_ITEM_INIT;
		it.value = v;
		it.type = tag->link;
		return cw_record_add_item(rec, CW_FIELD_LINKS, &it);
	}
	case HW_REFERENCE:
		return hw_add_reference(h, m);
	}
	return CW_OK;
}

/* The authors (with their affiliations) and the pages, once every tag is read. */
static int hw_finish(hw_reader *h, int rc)
{
	cw_record *rec = h->rec;
	for (size_t i = 0; i < h->nau; i++) {
		hw_author *a = &h->au[i];
		if (rc >= 0) {
			/* the array may have moved since the ids were taken: point at it again */
			for (size_t k = 0; k < a->naff; k++)
				a->aff[k] = a->affid[k];
			a->n.affiliation_ids = a->aff;
			a->n.affiliation_count = a->naff;
			rc = cw_record_add_name(rec, CW_FIELD_AUTHOR, &a->n);
		}
		free(a->buf);
	}
	free(h->au);
	if (rc >= 0 && h->first[0] && !cw_record_has(rec, CW_FIELD_PAGE)) {
		char pg[260];
		if (h->lastp[0] && strcmp(h->lastp, h->first))
			snprintf(pg, sizeof pg, "%s-%s", h->first, h->lastp);
		else
			snprintf(pg, sizeof pg, "%s", h->first);
		rc = cw_record_set_text(rec, CW_FIELD_PAGE, pg, CW_NUL);
	}
	return rc;
}

static int hr_highwire(hr *x, cw_session *s, const hmeta *m, size_t n, cw_record *rec)
{
	hw_reader h = {.s = s, .rec = rec};
	int rc = CW_OK;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		if (strncasecmp(m[i].name, "citation_", 9) != 0)
			continue;
		const struct hw_tag *tag = hw_tag_of(m[i].name);
		/* an author's institution, ORCID or email before any author is kept as it is */
		int orphan = tag &&
		             (tag->what == HW_AUTHOR_AFF || tag->what == HW_AUTHOR_ORCID ||
		              tag->what == HW_AUTHOR_EMAIL) &&
		             !h.nau;
		if (tag && !orphan)
			rc = hw_read_tag(&h, tag, &m[i]);
		else /* other citation_* tags: kept */
			rc = cw_record_add_passthrough(rec, DC_PT, m[i].name, m[i].content, CW_NUL);
	}
	rc = hw_finish(&h, rc);
	(void)x;
	return rc < 0 ? rc : CW_OK;
}

/* Copies field f from src to dst (dst lacks it). */
static int copy_field(cw_record *dst, const cw_record *src, enum cw_field f)
{
	int rc = CW_OK;
	switch (cw_field_kind(f)) {
	case CW_KIND_TEXT:
	case CW_KIND_RICH:
	case CW_KIND_NUMBER:
		return cw_record_set_text(dst, f, cw_record_text(src, f), CW_NUL);
	case CW_KIND_DATE:
		return cw_record_set_date(dst, f, cw_record_date(src, f));
	case CW_KIND_NAMES:
		for (size_t i = 0; i < cw_record_name_count(src, f) && rc >= 0; i++)
			rc = cw_record_add_name(dst, f, cw_record_name(src, f, i));
		return rc;
	case CW_KIND_LIST:
	case CW_KIND_RICH_LIST:
		for (size_t i = 0; i < cw_record_item_count(src, f) && rc >= 0; i++)
			rc = cw_record_add_item(dst, f, cw_record_item(src, f, i));
		return rc;
	case CW_KIND_AFFILIATIONS:
		for (size_t i = 0; i < cw_record_affiliation_count(src) && rc >= 0; i++)
			rc = cw_record_add_affiliation(dst, cw_record_affiliation(src, i));
		return rc;
	case CW_KIND_FUNDING:
		for (size_t i = 0; i < cw_record_funding_count(src) && rc >= 0; i++)
			rc = cw_record_add_funding(dst, cw_record_funding(src, i));
		return rc;
	default:
		return CW_OK;
	}
}

/*
 * DC-HTML names with a qualifier ("DC.Date.issued", "DC.Source.Volume").
 * A qualifier that is a DCMI term is that term; these are the other ones
 * journal platforms write (OJS's article page), mapped to a term or to a
 * field the reader sets directly.
 */
static const struct {
	const char *element, *qualifier;
	const char *term;    /* a statement of this term, or NULL */
	enum cw_field field; /* else this field */
} html_qualifiers[] = {
    {"creator", "personalname", "creator", CW_FIELD_NONE},
    {"creator", "corporatename", "creator", CW_FIELD_NONE},
    {"identifier", "doi", "identifier", CW_FIELD_NONE},
    {"identifier", "uri", "identifier", CW_FIELD_NONE},
    {"identifier", "urn", "identifier", CW_FIELD_NONE},
    {"identifier", "isbn", "identifier", CW_FIELD_NONE},
    {"identifier", "pagenumber", NULL, CW_FIELD_PAGE},
    {"source", "issn", "source", CW_FIELD_NONE},
    {"source", "volume", NULL, CW_FIELD_VOLUME},
    {"source", "issue", NULL, CW_FIELD_ISSUE},
    {"source", "uri", NULL, CW_FIELD_NONE},
    {"source", "title", "isPartOf", CW_FIELD_NONE},
    {"type", "articletype", NULL, CW_FIELD_SECTION},
    {"format", "imt", "format", CW_FIELD_NONE},
    {"language", "iso639-1", "language", CW_FIELD_NONE},
    {"date", "created", "created", CW_FIELD_NONE},
};

/* "Source.URI" -> "source.URI" (rest is shorter than cap) */
static void tag_as_term(char *term, size_t cap, const char *rest, size_t el_len)
{
	size_t n = strlen(rest);
	if (n >= cap)
		n = cap - 1;
	memcpy(term, rest, n);
	term[n] = '\0';
	for (size_t i = 0; i < el_len && i < n; i++)
		term[i] = (char)tolower((unsigned char)term[i]);
}

/*
 * "DC.Title", "dcterms.issued", "DC.Date.Issued", "DC.Source.Volume" ->
 * the DCMI term (into term), or the field to set directly (*field).
 * Returns 0 for a name that is no DC tag.
 */
static int dc_tag_term(const dc_tables *t, const char *name, char *term, size_t cap,
                       enum cw_field *field)
{
	*field = CW_FIELD_NONE;
	const char *rest;
	if (!strncasecmp(name, "dcterms.", 8))
		rest = name + 8;
	else if (!strncasecmp(name, "dc.", 3))
		rest = name + 3;
	else
		return 0;
	char el[64], q[64];
	size_t el_len = strcspn(rest, ".");
	if (!el_len || el_len >= sizeof el || strlen(rest) >= cap)
		return 0;
	for (size_t i = 0; i < el_len; i++)
		el[i] = (char)tolower((unsigned char)rest[i]);
	el[el_len] = '\0';
	if (!rest[el_len]) {
		/* DC-HTML capitalises element names ("DC.Title"); terms are camelCase */
		snprintf(term, cap, "%s", rest);
		term[0] = (char)tolower((unsigned char)term[0]);
		return 1;
	}
	snprintf(q, sizeof q, "%s", rest + el_len + 1);
	for (size_t i = 0; i < sizeof html_qualifiers / sizeof html_qualifiers[0]; i++) {
		if (strcmp(html_qualifiers[i].element, el) ||
		    strcasecmp(html_qualifiers[i].qualifier, q))
			continue;
		*field = html_qualifiers[i].field;
		if (html_qualifiers[i].term)
			snprintf(term, cap, "%s", html_qualifiers[i].term);
		else if (*field == CW_FIELD_NONE)
			tag_as_term(term, cap, rest, el_len); /* kept as passthrough */
		else
			term[0] = '\0';
		return 1;
	}
	/* a DCMI refinement: "DC.Date.issued" -> issued */
	char qt[64];
	snprintf(qt, sizeof qt, "%s", q);
	const char *canon = dc_term_canonical(t, qt);
	if (canon) {
		snprintf(term, cap, "%s", canon);
		return 1;
	}
	tag_as_term(term, cap, rest, el_len);
	return 1;
}

static void hr_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static int hr_next(void *state, cw_session *s, cw_record **out)
{
	hr *x = state;
	*out = NULL;
	if (x->done)
		return CW_EOF;
	x->done = 1;
	const char *data;
	size_t len;
	int rc = cw_istream_read_all(x->in, &data, &len);
	uint64_t most;
	enum cw_limit which = hr_cap(cw_session_limits(s), &most);
	if (rc == CW_ELIMIT || (rc == CW_OK && len > INT32_MAX))
		return cw_session_limit_error(s, CW_ELIMIT, which, 0, 0,
		                              "HTML page (read whole, as one record) larger than");
	if (rc)
		return cw_diag_emit(s, CW_SEV_ERROR, rc, 0, 0, "cannot read the HTML input: %s",
		                    cw_status_str(rc));
	if ((rc = hr_nul(s, data, len)))
		return rc;
	cw_tagscan *attrs = NULL;
	if ((rc = cw_tagscan_new(&attrs, cw_session_limits(s)->max_attributes, 1)) != CW_OK)
		return rc;
	if (cw_tagscan_feed(attrs, data, len) != CW_OK)
		rc = cw_tagscan_report(attrs, s); /* libxml2 is quadratic in attributes */
	cw_tagscan_free(attrs);
	if (rc)
		return rc;
	/* keep libxml2's generic error channel off stderr (see dc_xml_read.c) */
	xmlGenericErrorFunc prev_fn = xmlGenericError;
	void *prev_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, hr_quiet);
	htmlDocPtr doc = htmlReadMemory(data, (int)len, cw_session_file(s), NULL,
	                                HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	                                    HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT);
	xmlSetGenericErrorFunc(prev_ctx, prev_fn);
	if (!doc)
		return cw_diag_emit(s, CW_SEV_ERROR, CW_EFORMAT, 1, 1,
		                    "cannot parse the HTML page");
	hmeta *m = NULL;
	size_t n = 0, cap = 0;
	dc_stmts st = {0};
	cw_record *rec = NULL, *drec = NULL;
	const char *page_lang = NULL;
	xmlChar *page_lang_x = NULL;
	/* iterative walk: no recursion on hostile nesting */
	const cw_limits *lim = cw_session_limits(s);
	xmlNodePtr node = xmlDocGetRootElement(doc);
	unsigned depth = 0;
	while (node && rc >= 0) {
		if (node->type == XML_ELEMENT_NODE) {
			if (!strcasecmp((const char *)node->name, "html") && !page_lang_x) {
				page_lang_x = xmlGetProp(node, (const xmlChar *)"lang");
				page_lang = (const char *)page_lang_x;
			}
			if (!strcasecmp((const char *)node->name, "meta")) {
				xmlChar *nm = xmlGetProp(node, (const xmlChar *)"name");
				if (!nm)
					nm = xmlGetProp(node, (const xmlChar *)"property");
				xmlChar *ct = xmlGetProp(node, (const xmlChar *)"content");
				xmlChar *lg = xmlGetProp(node, (const xmlChar *)"lang");
				if (!lg)
					lg = xmlGetProp(node, (const xmlChar *)"xml:lang");
				if (nm && ct && *ct &&
				    (!strncasecmp((const char *)nm, "citation_", 9) ||
				     !strncasecmp((const char *)nm, "dc.", 3) ||
				     !strncasecmp((const char *)nm, "dcterms.", 8))) {
					if (n == cap) {
						size_t nc = cap ? cap * 2 : 32;
						hmeta *nmv = realloc(m, nc * sizeof *nmv);
						if (!nmv) {
							rc = CW_ENOMEM;
						} else {
							m = nmv;
							cap = nc;
						}
					}
					if (rc >= 0) {
						m[n].name = (char *)nm;
						m[n].content = (char *)ct;
						m[n].lang = (char *)lg;
						m[n].line = (uint32_t)xmlGetLineNo(node);
						n++;
						nm = ct = lg = NULL; /* owned by m now */
					}
				}
				xmlFree(nm);
				xmlFree(ct);
				xmlFree(lg);
			}
		}
		if (node->children && depth >= lim->max_depth) {
			rc = cw_session_limit_error(s, CW_ELIMIT, CW_LIMIT_DEPTH,
			                            (uint32_t)xmlGetLineNo(node), 0,
			                            "HTML elements nested deeper than");
			break;
		}
		if (node->children) {
			node = node->children;
			depth++;
			continue;
		}
		while (node && !node->next) {
			node = node->parent;
			if (!node || node == (xmlNodePtr)doc) {
				node = NULL;
				break;
			}
			depth--;
		}
		if (node)
			node = node->next;
	}
	if (rc < 0)
		goto done;
	if (n == 0) {
		rc = cw_diag_emit(s, CW_SEV_ERROR, CW_EFORMAT, 1, 1,
		                  "no citation_* or DC.* meta tags in this page");
		goto done;
	}
	rc = cw_record_new(&rec);
	if (rc >= 0)
		rc = cw_record_new(&drec);
	if (rc < 0)
		goto done;
	cw_record_set_source_format(rec, cw_session_format(s));
	cw_record_set_source_format(drec, cw_session_format(s));
	rc = hr_highwire(x, s, m, n, rec);
	for (size_t i = 0; i < n && rc >= 0; i++) {
		char term[96];
		enum cw_field direct;
		if (!dc_tag_term(&x->tab, m[i].name, term, sizeof term, &direct))
			continue;
		if (strlen(m[i].content) > lim->max_field_bytes) {
			rc = cw_session_limit_error(s, CW_ELIMIT, CW_LIMIT_FIELD_BYTES, m[i].line, 0,
			                            "%s longer than", m[i].name);
			break;
		}
		if (direct != CW_FIELD_NONE) {
			if (!cw_record_has(drec, direct))
				rc = cw_record_set_text(drec, direct, m[i].content, CW_NUL);
			continue;
		}
		rc = dc_stmts_add(&st, term, m[i].lang, m[i].content, CW_NUL, m[i].line, 0);
	}
	if (rc >= 0)
		rc = dc_map_read(&x->tab, s, &st, drec);
	if (rc < 0)
		goto done;
	/* merge: citation_* first; DC fills what Highwire did not say */
	for (enum cw_field f = cw_record_next_field(drec, CW_FIELD_NONE);
	     f != CW_FIELD_NONE && rc >= 0; f = cw_record_next_field(drec, f)) {
		if (!cw_record_has(rec, f)) {
			rc = copy_field(rec, drec, f);
			continue;
		}
		enum cw_kind k = cw_field_kind(f);
		if ((k == CW_KIND_TEXT || k == CW_KIND_RICH || k == CW_KIND_NUMBER) &&
		    strcmp(cw_record_text(rec, f), cw_record_text(drec, f)) != 0)
			cw_diag_emit(
			    s, CW_SEV_NOTE, CW_OK, 0, 0,
			    "%s: the DC tags say '%s', the citation_* tags '%s'; citation_* wins",
			    cw_field_name(f), cw_record_text(drec, f), cw_record_text(rec, f));
	}
	for (size_t i = 0; i < cw_record_passthrough_count(drec) && rc >= 0; i++) {
		const cw_passthrough *p = cw_record_passthrough(drec, i);
		/* OJS's DC.Source holds the journal title alone: already said */
		const char *ct = cw_record_text(rec, CW_FIELD_CONTAINER_TITLE);
		if (!strcmp(p->name, "source") && ct && !strcmp(p->value, ct))
			continue;
		rc = cw_record_add_passthrough(rec, p->format, p->name, p->value, CW_NUL);
	}
	if (rc >= 0 && cw_record_type(rec) == CW_TYPE_UNSET &&
	    cw_record_type(drec) != CW_TYPE_UNSET)
		rc = cw_record_set_type(rec, cw_record_type(drec));
	if (rc >= 0 && page_lang && !cw_record_has(rec, CW_FIELD_LANGUAGE))
		rc = cw_record_set_text(rec, CW_FIELD_LANGUAGE, page_lang, CW_NUL);
	if (rc >= 0) {
		*out = rec;
		rec = NULL;
	}
done:
	for (size_t i = 0; i < n; i++) {
		xmlFree(m[i].name);
		xmlFree(m[i].content);
		xmlFree(m[i].lang);
	}
	free(m);
	xmlFree(page_lang_x);
	dc_stmts_free(&st);
	cw_record_free(rec);
	cw_record_free(drec);
	xmlFreeDoc(doc);
	if (rc == CW_REPLACED)
		rc = CW_OK;
	return rc < 0 ? rc : CW_OK;
}

const cw_reader_ops dc_html_reader = {
    .struct_size = sizeof(cw_reader_ops),
    .state_size = sizeof(hr),
    .open = hr_open,
    .next = hr_next,
    .close = hr_close,
};
