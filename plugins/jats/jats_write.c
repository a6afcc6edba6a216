/*
 * The JATS writer: one article record becomes a JATS 1.3 Journal Publishing
 * document (front from the record's fields, back/ref-list from its child
 * records); records that are not one article become a <ref-list> that can
 * be dropped into an article. Element order follows the Journal Publishing
 * 1.3 content models; every document is checked against that DTD in the
 * tests. Output is deterministic.
 *
 * jats-fragment=auto (the default) decides when the stream ends: one record
 * is an article, two or more are a ref-list. Only the first record is held
 * back for that decision; the rest stream through.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <crosswalk/citation.h>

#include "jats.h"

enum jats_mode { MODE_AUTO = 0, MODE_ARTICLE, MODE_REFLIST };

typedef struct jats_writer {
	cw_session *s;
	cw_ostream *o;
	const cw_table *tab; /* formats/jats.yaml with overrides; owned by the session */
	enum jats_mode mode;
	int doctype;
	cw_record *held;  /* auto: the first record, until the second arrives */
	uint64_t count;   /* records given to write */
	int reflist_open; /* the ref-list document was started */
	int article_done;
	const char *xlink_decl; /* a ref-list document declares xlink where it is used */
	cw_buf b;               /* the output of one record */
	cw_keyset *ids;         /* ref ids written in this document (see unique_id) */
	/* per field: a citation element writes it (cited_elements, by the table) */
	unsigned char cited[CW_FIELD_COUNT_];
} jats_writer;

/* --- escaping and rich text --- */

/* Text or an attribute value escaped (what XML cannot hold is replaced). */
static void esc(cw_buf *b, const char *s, size_t n, int in_attr)
{
	cw_buf_append_xml(b, s, n, in_attr ? CW_XML_ATTR : CW_XML_TEXT);
}

static const char *const style_tag[CW_STYLE_COUNT_] = {
    [CW_STYLE_ITALIC] = "italic", [CW_STYLE_BOLD] = "bold",    [CW_STYLE_SUP] = "sup",
    [CW_STYLE_SUB] = "sub",       [CW_STYLE_SMALLCAPS] = "sc", [CW_STYLE_NOCASE] = NULL,
    [CW_STYLE_MONO] = "monospace"};

/*
 * Rich text as JATS inline markup. With para_tag, each newline-separated
 * paragraph is wrapped in <para_tag> (styles are closed and reopened across
 * the break); without it a newline becomes a space. no-case spans have no
 * JATS form and are written as their text.
 */
static void rich(cw_buf *b, const char *s, const char *para_tag)
{
	if (!s)
		return;
	enum cw_style open[32];
	int nopen = 0;
	if (para_tag)
		cw_buf_printf(b, "<%s>", para_tag);
	cw_rich_iter it = CW_RICH_ITER_INIT(s);
	enum cw_rich_event ev;
	while ((ev = cw_rich_next(&it)) != CW_RICH_END) {
		if (ev == CW_RICH_TEXT) {
			const char *t = it.text;
			size_t n = it.len;
			for (;;) {
				const char *nl = memchr(t, '\n', n);
				size_t run = nl ? (size_t)(nl - t) : n;
				esc(b, t, run, 0);
				if (!nl)
					break;
				if (para_tag) {
					for (int i = nopen - 1; i >= 0; i--)
						if (style_tag[open[i]])
							cw_buf_printf(b, "</%s>",
							              style_tag[open[i]]);
					cw_buf_printf(b, "</%s>\n<%s>", para_tag, para_tag);
					for (int i = 0; i < nopen; i++)
						if (style_tag[open[i]])
							cw_buf_printf(b, "<%s>",
							              style_tag[open[i]]);
				} else {
					cw_buf_putc(b, ' ');
				}
				t = nl + 1;
				n -= run + 1;
			}
		} else if (ev == CW_RICH_OPEN) {
			if (nopen < 32)
				open[nopen++] = it.style;
			if (style_tag[it.style])
				cw_buf_printf(b, "<%s>", style_tag[it.style]);
		} else {
			if (nopen)
				nopen--;
			if (style_tag[it.style])
				cw_buf_printf(b, "</%s>", style_tag[it.style]);
		}
	}
	for (int i = nopen - 1; i >= 0; i--)
		if (style_tag[open[i]])
			cw_buf_printf(b, "</%s>", style_tag[open[i]]);
	if (para_tag)
		cw_buf_printf(b, "</%s>", para_tag);
}

/* Plain text of s (markers dropped), escaped. */
static void plain(cw_buf *b, const char *s)
{
	if (!s)
		return;
	for (const char *p = s; *p;) {
		enum cw_style st;
		int op;
		const char *q = p;
		while (*q && !cw_rich_marker((unsigned char)*q, &st, &op) && *q != '\n')
			q++;
		esc(b, p, (size_t)(q - p), 0);
		if (!*q)
			break;
		if (*q == '\n')
			cw_buf_putc(b, ' ');
		p = q + 1;
	}
}

/* <tag attrs>rich</tag> when s is set. attrs is preformatted (may be ""). */
static void el_rich(cw_buf *b, const char *tag, const char *attrs, const char *s)
{
	if (!s)
		return;
	cw_buf_printf(b, "<%s%s>", tag, attrs ? attrs : "");
	rich(b, s, NULL);
	cw_buf_printf(b, "</%s>", tag);
}

static void el_text(cw_buf *b, const char *tag, const char *attrs, const char *s)
{
	if (!s)
		return;
	cw_buf_printf(b, "<%s%s>", tag, attrs ? attrs : "");
	plain(b, s);
	cw_buf_printf(b, "</%s>", tag);
}

/*
 * The field citation element el is written from: the one its first
 * citation-elements row reads it into (not an item row), so that the table
 * says both ways; CW_FIELD_NONE when no row names el.
 */
static enum cw_field cite_field(const jats_writer *w, enum jats_el el)
{
	for (size_t r = cw_table_find_value(w->tab, JATS_SEC_CITATION_ELEMENTS, JATS_CE_JATS,
	                                    (int32_t)el);
	     r != CW_TABLE_NONE;
	     r = cw_table_find_next(w->tab, JATS_SEC_CITATION_ELEMENTS, JATS_CE_JATS, r)) {
		const cw_table_cell *c = cw_table_row_at(w->tab, JATS_SEC_CITATION_ELEMENTS, r)->cells;
		if (c[JATS_CE_ADD].value != JATS_ADD_ITEM)
			return (enum cw_field)c[JATS_CE_FIELD].value;
	}
	return CW_FIELD_NONE;
}

/* The citation elements a reference writes from one field each (cite_element). */
static const enum jats_el cited_elements[] = {
    JEL_PART_TITLE, JEL_SERIES,        JEL_EDITION,        JEL_VERSION,  JEL_VOLUME,
    JEL_ISSUE,      JEL_SUPPLEMENT,    JEL_ELOCATION_ID,   JEL_PUBLISHER_LOC,
    JEL_PUBLISHER_NAME, JEL_CONF_NAME, JEL_CONF_LOC,       JEL_ISBN,     JEL_ISSN};

/* Notes in w->cited the fields the citation elements are written from. */
static void note_cited_fields(jats_writer *w)
{
	for (size_t i = 0; i < sizeof cited_elements / sizeof cited_elements[0]; i++) {
		enum cw_field f = cite_field(w, cited_elements[i]);
		if ((int)f > 0 && (int)f < CW_FIELD_COUNT_)
			w->cited[f] = 1;
	}
}

/* Element el of a citation, from its field (cite_field); nothing when the record lacks it. */
static void cite_element(const jats_writer *w, cw_buf *b, const cw_record *rec, enum jats_el el)
{
	enum cw_field f = cite_field(w, el);
	if (f == CW_FIELD_NONE)
		return;
	if (cw_field_kind(f) == CW_KIND_RICH)
		el_rich(b, jats_element_name(el), NULL, cw_record_text(rec, f));
	else
		el_text(b, jats_element_name(el), NULL, cw_record_text(rec, f));
}

/* Appends ` name="value"` when value is set. */
static void at(cw_buf *b, const char *name, const char *value)
{
	if (!value)
		return;
	cw_buf_printf(b, " %s=\"", name);
	esc(b, value, CW_NUL, 1);
	cw_buf_putc(b, '"');
}

/* xml:lang is an NMTOKEN: a tag such as "pt-BR", never free text. */
static int lang_ok(const char *v)
{
	if (!v || !*v)
		return 0;
	for (const char *p = v; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.' || c == ':'))
			return 0;
	}
	return 1;
}

/* ` xml:lang="v"` when v is a valid language token. */
static void at_lang(cw_buf *b, const char *v)
{
	if (lang_ok(v))
		at(b, "xml:lang", v);
}

/* A preformatted attribute string in a static-size buffer. */
typedef struct attrs {
	cw_buf b;
} attrs;

/*
 * The attribute string, for the element written in b: building it aside
 * failed, b fails too (seen where the document is finished).
 */
static const char *attrs_str(cw_buf *b, attrs *a)
{
	if (cw_buf_error(&a->b))
		cw_buf_fail(b);
	return cw_buf_str(&a->b);
}

/* b fails when part, a text built aside for it, failed. */
static void carry(cw_buf *b, const cw_buf *part)
{
	if (cw_buf_error(part))
		cw_buf_fail(b);
}

/* --- shared pieces --- */

static int is_ncname(const char *s)
{
	if (!s || !*s)
		return 0;
	unsigned char c = (unsigned char)s[0];
	if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80))
		return 0;
	for (const char *p = s; *p; p++) {
		c = (unsigned char)*p;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.' || c >= 0x80))
			return 0;
	}
	return 1;
}

/* An XML ID for a record id: invalid characters become '-', a bad start gets "r". */
static void make_id(cw_buf *out, const char *id, const char *fallback_prefix, uint64_t n)
{
	cw_buf_clear(out);
	if (!id || !*id) {
		cw_buf_printf(out, "%s%llu", fallback_prefix, (unsigned long long)n);
		return;
	}
	if (is_ncname(id)) {
		cw_buf_append(out, id, CW_NUL);
		return;
	}
	unsigned char c0 = (unsigned char)id[0];
	if (!((c0 >= 'A' && c0 <= 'Z') || (c0 >= 'a' && c0 <= 'z') || c0 == '_' || c0 >= 0x80))
		cw_buf_putc(out, 'r');
	for (const char *p = id; *p; p++) {
		unsigned char c = (unsigned char)*p;
		int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		         (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c >= 0x80;
		cw_buf_putc(out, ok ? (char)c : '-');
	}
}

/*
 * Makes id unique in this document and remembers it: a taken id gets the
 * first suffix -2, -3... that gives an id not yet written.
 */
static void unique_id(jats_writer *w, cw_buf *id)
{
	if ((!w->ids && cw_keyset_new(&w->ids, CW_KEYSET_SUFFIX_NUMBER) != CW_OK) ||
	    cw_keyset_claim(w->ids, id) < 0)
		cw_buf_fail(id); /* out of memory: an id not known unique is no id */
}

/* The JATS value for a role field, or NULL when JATS has none. */
static const char *role_value(jats_writer *w, enum cw_field f)
{
	const cw_table_cell *c = jats_table_find(w->tab, JATS_SEC_ROLES, JATS_MAP_FIELD,
	                                         cw_field_name(f), JATS_MAP_JATS, JATS_WRITE, 0);
	return c ? c->text : NULL;
}

static int date_equal(const cw_date *a, const cw_date *b)
{
	if (!a || !b)
		return 0;
	if (a->parts != b->parts || a->year != b->year || a->month != b->month || a->day != b->day)
		return 0;
	if ((a->season == NULL) != (b->season == NULL))
		return 0;
	if (a->season && strcmp(a->season, b->season) != 0)
		return 0;
	return 1;
}

/* day?, month?, season?, year: the date-model elements. */
static void date_parts(cw_buf *b, const cw_date *d, const char *year_suffix)
{
	if (d->parts >= 3)
		cw_buf_printf(b, "<day>%02d</day>", (int)d->day);
	if (d->parts >= 2 && d->month >= 1 && d->month <= 12)
		cw_buf_printf(b, "<month>%02d</month>", (int)d->month);
	else if (d->season)
		el_text(b, "season", NULL, d->season);
	cw_buf_printf(b, "<year>%04d", (int)d->year);
	if (year_suffix)
		plain(b, year_suffix);
	cw_buf_append(b, "</year>", CW_NUL);
}

static void iso_attr(cw_buf *b, const cw_date *d)
{
	if (!d->parts)
		return;
	cw_buf iso = CW_BUF_INIT;
	if (cw_date_format_iso(d, &iso) == CW_OK && !d->end_parts)
		at(b, "iso-8601-date", iso.data);
	carry(b, &iso);
	cw_buf_free(&iso);
}

/*
 * The date-model elements hold one date: a range's end is not written, a
 * loss of part of the value (the start is there).
 */
static void report_range_end(jats_writer *w, const cw_record *rec, enum cw_field f,
                             const cw_date *d)
{
	if (d->end_parts)
		cw_diag_loss(w->s, rec, f, CW_LOSS_DEGRADED, "range end lost");
}

/* A name as <name>, <collab> or <etal/>. */
static void write_name(cw_buf *b, const cw_name *n)
{
	if (n->flags & CW_NAME_ETAL) {
		cw_buf_append(b, "<etal/>", CW_NUL);
		return;
	}
	if (n->literal && !n->family && !n->given) {
		el_text(b, "collab", NULL, n->literal);
		return;
	}
	cw_buf_append(b, "<name", CW_NUL);
	if (n->flags & CW_NAME_STATIC_ORDERING)
		at(b, "name-style", "eastern");
	cw_buf_putc(b, '>');
	if (n->family || n->non_dropping_particle || n->dropping_particle) {
		/* JATS has no particles: they lead the surname, as JATS4R tags "van Gogh" */
		cw_buf_append(b, "<surname>", CW_NUL);
		int sp = 0;
		if (n->dropping_particle) {
			plain(b, n->dropping_particle);
			sp = 1;
		}
		if (n->non_dropping_particle) {
			if (sp)
				cw_buf_putc(b, ' ');
			plain(b, n->non_dropping_particle);
			sp = 1;
		}
		if (n->family) {
			if (sp)
				cw_buf_putc(b, ' ');
			plain(b, n->family);
		}
		cw_buf_append(b, "</surname>", CW_NUL);
	}
	el_text(b, "given-names", NULL, n->given);
	el_text(b, "suffix", NULL, n->suffix);
	cw_buf_append(b, "</name>", CW_NUL);
}

/* --- the reference list --- */

/*
 * Fields a reference carries besides those its citation elements are
 * written from (w->cited, which a --crosswalk table changes); the rest are
 * reported.
 */
static const enum cw_field ref_carried[] = {CW_FIELD_ID,
                                            CW_FIELD_CITATION_LABEL,
                                            CW_FIELD_ARTICLE_TYPE,
                                            CW_FIELD_TITLE,
                                            CW_FIELD_SUBTITLE,
                                            CW_FIELD_TITLE_ADDON,
                                            CW_FIELD_CONTAINER_TITLE,
                                            CW_FIELD_CONTAINER_SUBTITLE,
                                            CW_FIELD_CONTAINER_TITLE_ADDON,
                                            CW_FIELD_TRANSLATED_TITLES,
                                            CW_FIELD_PAGE,
                                            CW_FIELD_PAGE_FIRST,
                                            CW_FIELD_NUMBER_OF_PAGES,
                                            CW_FIELD_DOI,
                                            CW_FIELD_PMID,
                                            CW_FIELD_PMCID,
                                            CW_FIELD_ARXIV,
                                            CW_FIELD_IDENTIFIERS,
                                            CW_FIELD_URL,
                                            CW_FIELD_LINKS,
                                            CW_FIELD_AUTHORITY,
                                            CW_FIELD_EVENT_DATE,
                                            CW_FIELD_ISSUED,
                                            CW_FIELD_YEAR_SUFFIX,
                                            CW_FIELD_ACCESSED,
                                            CW_FIELD_NOTE,
                                            CW_FIELD_ORIGINAL_CITATION};

static int is_names_field(enum cw_field f)
{
	return cw_field_kind(f) == CW_KIND_NAMES;
}

static void report_uncarried(jats_writer *w, const cw_record *rec, const enum cw_field *carried,
                             size_t ncarried, int cited, int names_ok,
                             int extra_ok(const cw_record *, enum cw_field))
{
	for (enum cw_field f = cw_record_next_field(rec, CW_FIELD_NONE); f != CW_FIELD_NONE;
	     f = cw_record_next_field(rec, f)) {
		int ok = 0;
		for (size_t i = 0; i < ncarried && !ok; i++)
			ok = carried[i] == f;
		if (!ok && cited)
			ok = (int)f < CW_FIELD_COUNT_ && w->cited[f];
		if (!ok && names_ok && is_names_field(f))
			ok = role_value(w, f) != NULL;
		if (!ok && extra_ok)
			ok = extra_ok(rec, f);
		if (!ok)
			cw_diag_not_carried(w->s, rec, f, NULL);
	}
	cw_diag_uncarried_passthrough(w->s, rec, "jats");
}

/*
 * Whether the record's article-type word (the source's own type word) may be
 * written as a type attribute of section ("article-types" for article/@article-type,
 * "publication-types" for a citation's publication-type): it must read back as
 * the record's type (a word whose row infers the type fits any type), and a
 * word of the other section only (a publication-type on an article) does not fit.
 */
static int type_word_fits(jats_writer *w, const cw_record *rec, const char *word, size_t section,
                          size_t other)
{
	const cw_table_cell *csl =
	    jats_table_find(w->tab, section, JATS_TY_JATS, word, JATS_TY_CSL, JATS_READ, 0);
	if (!csl && jats_table_find(w->tab, other, JATS_TY_JATS, word, JATS_TY_CSL, JATS_READ, 0))
		return 0;
	if (!csl)
		csl =
		    jats_table_find(w->tab, section, JATS_TY_JATS, word, JATS_TY_CSL, JATS_READ, 1);
	enum cw_item_type t = csl && csl->value > 0 ? (enum cw_item_type)csl->value : CW_TYPE_UNSET;
	return t == CW_TYPE_UNSET || t == cw_record_type(rec);
}

/*
 * The type word to write: the record's own word when it fits, else the
 * table's word for its item type (the first writing row; "*" for any other).
 */
static const char *type_word(jats_writer *w, const cw_record *rec, size_t section, size_t other)
{
	const char *word = cw_record_text(rec, CW_FIELD_ARTICLE_TYPE);
	if (word && type_word_fits(w, rec, word, section, other))
		return word;
	enum cw_item_type t = cw_record_type(rec);
	if (t == CW_TYPE_UNSET)
		return NULL;
	const cw_table_cell *v = jats_table_find(w->tab, section, JATS_TY_CSL, cw_item_type_name(t),
	                                         JATS_TY_JATS, JATS_WRITE, 1);
	return v && *v->text ? v->text : NULL; /* "": no attribute */
}

/*
 * A citation's publication-type: the record's own word, else the table's word
 * for its type. A citation read from JATS without one gets none, so that it
 * reads back the same (the reader infers its type from the same elements).
 */
static const char *ref_pubtype(jats_writer *w, const cw_record *rec)
{
	/* the source's word when it was the table's own for the type (a hint), or
	 * when an older version kept it as passthrough */
	const cw_passthrough *p = cw_record_find_passthrough(rec, "jats", JATS_PUBTYPE_HINT);
	if (!p)
		p = cw_record_find_passthrough(rec, "jats", "publication-type");
	if (p && !cw_record_has(rec, CW_FIELD_ARTICLE_TYPE))
		return p->value;
	const char *src = cw_record_source_format(rec);
	if (!cw_record_has(rec, CW_FIELD_ARTICLE_TYPE) && src &&
	    strcmp(src, cw_session_format(w->s)) == 0)
		return NULL;
	const char *genre = cw_record_text(rec, CW_FIELD_GENRE);
	if (!cw_record_has(rec, CW_FIELD_ARTICLE_TYPE) && cw_record_type(rec) == CW_TYPE_REPORT &&
	    genre && strcmp(genre, "working paper") == 0)
		return "working-paper";
	return type_word(w, rec, JATS_SEC_PUBLICATION_TYPES, JATS_SEC_ARTICLE_TYPES);
}

/*
 * A reference whose fields a citation parser read from its original text
 * (crosswalk/citation.h marks it) goes out as that text, a <mixed-citation>,
 * as the source had it, with an <element-citation> beside it only for
 * what the source itself tagged (a DOI link): an element citation of the
 * inferred fields would state as tagged what was only guessed, and read
 * back as if the source had tagged it. The reader parses the text again
 * into the same fields.
 */
static int ref_inferred(const cw_record *rec)
{
	return cw_record_has(rec, CW_FIELD_ORIGINAL_CITATION) &&
	       cw_record_find_passthrough(rec, CW_CITATION_MARK_FORMAT, CW_CITATION_MARK_NAME);
}

/* 1 when f is named in the inferred mark of rec (a JSON array of field names). */
static int ref_inferred_field(const cw_record *rec, enum cw_field f)
{
	const cw_passthrough *p =
	    cw_record_find_passthrough(rec, CW_CITATION_MARK_FORMAT, CW_CITATION_MARK_NAME);
	const char *name = cw_field_name(f);
	size_t n = name ? strlen(name) : 0;
	for (const char *q = p && n ? strchr(p->value, '"') : NULL; q; q = strchr(q + 1, '"')) {
		if (strncmp(q + 1, name, n) == 0 && q[1 + n] == '"')
			return 1;
		q = strchr(q + 1, '"'); /* the closing quote */
		if (!q)
			break;
	}
	return 0;
}

static int ref_extra_ok(const cw_record *rec, enum cw_field f)
{
	if (ref_inferred(rec) && ref_inferred_field(rec, f))
		return 1; /* in the original text, which is written */
	enum cw_item_type t = cw_record_type(rec);
	const char *genre = cw_record_text(rec, CW_FIELD_GENRE);
	if (f == CW_FIELD_GENRE)
		return genre && ((t == CW_TYPE_REPORT && strcmp(genre, "working paper") == 0) ||
		                 (t == CW_TYPE_ARTICLE && strcmp(genre, "preprint") == 0));
	if (f == CW_FIELD_NUMBER)
		return t == CW_TYPE_PATENT || t == CW_TYPE_STANDARD;
	if (f == CW_FIELD_PUBLISHER) /* a preprint's server, written as its source */
		return t == CW_TYPE_ARTICLE && cw_record_has(rec, CW_FIELD_TITLE) &&
		       !cw_record_has(rec, CW_FIELD_CONTAINER_TITLE);
	if (f == CW_FIELD_CONTAINER_ALTERNATIVE_TITLES) {
		for (size_t i = 0; i < cw_record_item_count(rec, f); i++) {
			const cw_item *it = cw_record_item(rec, f, i);
			if (!it->type || strcmp(it->type, "trans-source") != 0)
				return 0;
		}
		return 1;
	}
	return 0;
}

/* Page range "a-b" (no other punctuation): splits it. */
static int simple_range(const char *p, cw_buf *first, cw_buf *last)
{
	if (!p)
		return 0;
	const char *dash = NULL;
	for (const char *q = p; *q; q++) {
		if (*q == '-' || *q == '\xe2') { /* hyphen, or an en dash (E2 80 93) */
			if (dash)
				return 0;
			dash = q;
			if (*q == '\xe2') {
				if (q[1] != '\x80' || q[2] != '\x93')
					return 0;
				q += 2;
			}
		} else if (*q == ',' || *q == ' ' || *q == ';' || *q == '+' || *q == '&') {
			return 0;
		}
	}
	if (!dash) {
		cw_buf_append(first, p, CW_NUL);
		return 1;
	}
	cw_buf_append(first, p, (size_t)(dash - p));
	cw_buf_append(last, dash + (*dash == '-' ? 1 : 3), CW_NUL);
	return first->len && last->len;
}

/*
 * fpage, lpage, page-range from page and page-first. In article-meta a
 * page-range needs an fpage (need_fpage): the range's first number is used.
 * Returns 0 when the pages could not be written.
 */
static int write_pages(cw_buf *b, const cw_record *rec, int need_fpage)
{
	const char *page = cw_record_text(rec, CW_FIELD_PAGE);
	const char *first = cw_record_text(rec, CW_FIELD_PAGE_FIRST);
	cw_buf f = CW_BUF_INIT, l = CW_BUF_INIT;
	int simple = simple_range(page, &f, &l);
	if (!simple && !first && need_fpage && page) {
		cw_buf_clear(&f);
		for (const char *p = page;
		     *p && ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		            (*p >= 'a' && *p <= 'z'));
		     p++)
			cw_buf_putc(&f, *p);
		if (!f.len) {
			cw_buf_free(&f);
			cw_buf_free(&l);
			return 0;
		}
	}
	if (first)
		el_text(b, "fpage", NULL, first);
	else if (f.len)
		el_text(b, "fpage", NULL, f.data);
	if (simple && l.len)
		el_text(b, "lpage", NULL, l.data);
	if (page && !simple)
		el_text(b, "page-range", NULL, page);
	carry(b, &f);
	carry(b, &l);
	cw_buf_free(&f);
	cw_buf_free(&l);
	return 1;
}

/* person-group-type values the Journal Publishing DTD enumerates; others go in custom-type. */
static const char *const jats_person_group_types[] = {
    "allauthors",         "assignee",   "author",       "compiler",    "curator",
    "director",           "editor",     "guest-editor", "illustrator", "inventor",
    "research-assistant", "translator", "transed",      NULL};

static void person_group_type(cw_buf *b, const char *v)
{
	for (const char *const *p = jats_person_group_types; *p; p++)
		if (strcmp(*p, v) == 0) {
			at(b, "person-group-type", v);
			return;
		}
	at(b, "person-group-type", "custom");
	at(b, "custom-type", v);
}

/* Writes the names of every role field JATS knows as person-groups. */
static void write_person_groups(jats_writer *w, cw_buf *b, const cw_record *rec)
{
	for (enum cw_field f = cw_record_next_field(rec, CW_FIELD_NONE); f != CW_FIELD_NONE;
	     f = cw_record_next_field(rec, f)) {
		if (!is_names_field(f))
			continue;
		const char *pgt = role_value(w, f);
		if (!pgt)
			continue;
		cw_buf_append(b, "<person-group", CW_NUL);
		person_group_type(b, pgt);
		cw_buf_putc(b, '>');
		size_t n = cw_record_name_count(rec, f);
		for (size_t i = 0; i < n; i++)
			write_name(b, cw_record_name(rec, f, i));
		cw_buf_append(b, "</person-group>", CW_NUL);
	}
}

static int ref_has_structure(const cw_record *rec)
{
	for (enum cw_field f = cw_record_next_field(rec, CW_FIELD_NONE); f != CW_FIELD_NONE;
	     f = cw_record_next_field(rec, f)) {
		if (f != CW_FIELD_ID && f != CW_FIELD_CITATION_LABEL &&
		    f != CW_FIELD_ORIGINAL_CITATION && f != CW_FIELD_ARTICLE_TYPE)
			return 1;
	}
	return 0;
}

static void write_element_citation(jats_writer *w, cw_buf *b, const cw_record *rec)
{
	enum cw_item_type t = cw_record_type(rec);
	cw_buf_append(b, "<element-citation", CW_NUL);
	at(b, "publication-type", ref_pubtype(w, rec));
	cw_buf_append(b, ">", CW_NUL);
	write_person_groups(w, b, rec);
	/* a citation has no subtitle element: title parts are joined ("Title: Subtitle") */
	cw_buf tbuf = CW_BUF_INIT, cbuf = CW_BUF_INIT;
	cw_record_joined_title(rec, CW_FIELD_TITLE, &tbuf);
	cw_record_joined_title(rec, CW_FIELD_CONTAINER_TITLE, &cbuf);
	const char *title = tbuf.len ? tbuf.data : NULL;
	const char *cont = cbuf.len ? cbuf.data : NULL;
	/* a preprint's server is its source (JATS4R), read back as the publisher */
	const char *server =
	    t == CW_TYPE_ARTICLE && !cont && title ? cw_record_text(rec, CW_FIELD_PUBLISHER) : NULL;
	if (server) {
		el_rich(b, "article-title", NULL, title);
		el_text(b, "source", NULL, server);
	} else if (cont) {
		const char *tag = "article-title";
		if (t == CW_TYPE_CHAPTER || t == CW_TYPE_ENTRY || t == CW_TYPE_ENTRY_DICTIONARY ||
		    t == CW_TYPE_ENTRY_ENCYCLOPEDIA)
			tag = "chapter-title";
		else if (t == CW_TYPE_DATASET)
			tag = "data-title";
		el_rich(b, tag, NULL, title);
		el_rich(b, "source", NULL, cont);
	} else if (t == CW_TYPE_DOCUMENT) {
		/* a titled thing in no container that is not a book: the reader types an
		 * untyped source alone as a book */
		el_rich(b, "article-title", NULL, title);
	} else {
		el_rich(b, "source", NULL, title);
	}
	carry(b, &tbuf);
	carry(b, &cbuf);
	cw_buf_free(&tbuf);
	cw_buf_free(&cbuf);
	for (size_t i = 0; i < cw_record_item_count(rec, CW_FIELD_TRANSLATED_TITLES); i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_TRANSLATED_TITLES, i);
		attrs a = {CW_BUF_INIT};
		at_lang(&a.b, it->lang);
		el_rich(b, "trans-title", attrs_str(b, &a), it->value);
		cw_buf_free(&a.b);
	}
	for (size_t i = 0; i < cw_record_item_count(rec, CW_FIELD_CONTAINER_ALTERNATIVE_TITLES);
	     i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_CONTAINER_ALTERNATIVE_TITLES, i);
		if (!it->type || strcmp(it->type, "trans-source") != 0)
			continue;
		attrs a = {CW_BUF_INIT};
		at_lang(&a.b, it->lang);
		el_rich(b, "trans-source", attrs_str(b, &a), it->value);
		cw_buf_free(&a.b);
	}
	cite_element(w, b, rec, JEL_PART_TITLE);
	cite_element(w, b, rec, JEL_SERIES);
	const cw_date *d = cw_record_date(rec, CW_FIELD_ISSUED);
	const char *ys = cw_record_text(rec, CW_FIELD_YEAR_SUFFIX);
	if (d && d->parts) {
		date_parts(b, d, ys);
		report_range_end(w, rec, CW_FIELD_ISSUED, d);
	} else if (d && d->literal) {
		el_text(b, "year", NULL, d->literal);
	}
	cite_element(w, b, rec, JEL_EDITION);
	cite_element(w, b, rec, JEL_VERSION);
	cite_element(w, b, rec, JEL_VOLUME);
	cite_element(w, b, rec, JEL_ISSUE);
	cite_element(w, b, rec, JEL_SUPPLEMENT);
	write_pages(b, rec, 0);
	cite_element(w, b, rec, JEL_ELOCATION_ID);
	if (cw_record_has(rec, CW_FIELD_NUMBER_OF_PAGES)) {
		cw_buf_append(b, "<size units=\"pages\">", CW_NUL);
		plain(b, cw_record_text(rec, CW_FIELD_NUMBER_OF_PAGES));
		cw_buf_append(b, "</size>", CW_NUL);
	}
	cite_element(w, b, rec, JEL_PUBLISHER_LOC);
	if (!server)
		cite_element(w, b, rec, JEL_PUBLISHER_NAME);
	if (cw_record_has(rec, CW_FIELD_AUTHORITY)) {
		if (!cw_record_has(rec, CW_FIELD_PUBLISHER))
			cw_diag_not_carried(w->s, rec, CW_FIELD_AUTHORITY,
			                    "written only beside a publisher");
		else
			el_text(b, "institution", NULL, cw_record_text(rec, CW_FIELD_AUTHORITY));
	}
	cite_element(w, b, rec, JEL_CONF_NAME);
	const cw_date *ed = cw_record_date(rec, CW_FIELD_EVENT_DATE);
	if (ed) {
		cw_buf_append(b, "<conf-date", CW_NUL);
		iso_attr(b, ed);
		cw_buf_putc(b, '>');
		cw_buf iso = CW_BUF_INIT;
		if (ed->parts && cw_date_format_iso(ed, &iso) == CW_OK)
			plain(b, iso.data);
		else
			plain(b, ed->literal);
		carry(b, &iso);
		cw_buf_free(&iso);
		cw_buf_append(b, "</conf-date>", CW_NUL);
	}
	cite_element(w, b, rec, JEL_CONF_LOC);
	if (t == CW_TYPE_PATENT)
		el_text(b, "patent", NULL, cw_record_text(rec, CW_FIELD_NUMBER));
	else if (t == CW_TYPE_STANDARD)
		el_text(b, "std", NULL, cw_record_text(rec, CW_FIELD_NUMBER));
	const cw_date *acc = cw_record_date(rec, CW_FIELD_ACCESSED);
	if (acc) {
		cw_buf_append(b, "<date-in-citation content-type=\"access-date\"", CW_NUL);
		iso_attr(b, acc);
		cw_buf_putc(b, '>');
		cw_buf iso = CW_BUF_INIT;
		if (acc->parts && cw_date_format_iso(acc, &iso) == CW_OK)
			plain(b, iso.data);
		else
			plain(b, acc->literal);
		carry(b, &iso);
		cw_buf_free(&iso);
		cw_buf_append(b, "</date-in-citation>", CW_NUL);
	}
	for (size_t i = 0; i < cw_record_passthrough_count(rec); i++) {
		const cw_passthrough *p = cw_record_passthrough(rec, i);
		if (strcmp(p->format, "jats") != 0 ||
		    strncmp(p->name, "date-in-citation:", 17) != 0)
			continue;
		cw_buf_append(b, "<date-in-citation", CW_NUL);
		at(b, "content-type", p->name + 17);
		cw_buf_putc(b, '>');
		plain(b, p->value);
		cw_buf_append(b, "</date-in-citation>", CW_NUL);
	}
	cite_element(w, b, rec, JEL_ISBN);
	cite_element(w, b, rec, JEL_ISSN);
	el_text(b, "pub-id", " pub-id-type=\"doi\"", cw_record_text(rec, CW_FIELD_DOI));
	el_text(b, "pub-id", " pub-id-type=\"pmid\"", cw_record_text(rec, CW_FIELD_PMID));
	el_text(b, "pub-id", " pub-id-type=\"pmcid\"", cw_record_text(rec, CW_FIELD_PMCID));
	el_text(b, "pub-id", " pub-id-type=\"arxiv\"", cw_record_text(rec, CW_FIELD_ARXIV));
	for (size_t i = 0; i < cw_record_item_count(rec, CW_FIELD_IDENTIFIERS); i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_IDENTIFIERS, i);
		attrs a = {CW_BUF_INIT};
		at(&a.b, "pub-id-type", it->type ? it->type : "other");
		el_text(b, "pub-id", attrs_str(b, &a), it->value);
		cw_buf_free(&a.b);
	}
	const char *url = cw_record_text(rec, CW_FIELD_URL);
	if (url) {
		cw_buf_append(b, "<ext-link ext-link-type=\"uri\"", CW_NUL);
		cw_buf_append(b, w->xlink_decl, CW_NUL);
		at(b, "xlink:href", url);
		cw_buf_putc(b, '>');
		plain(b, url);
		cw_buf_append(b, "</ext-link>", CW_NUL);
	}
	for (size_t i = 0; i < cw_record_item_count(rec, CW_FIELD_LINKS); i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_LINKS, i);
		cw_buf_append(b, "<ext-link", CW_NUL);
		cw_buf_append(b, w->xlink_decl, CW_NUL);
		at(b, "ext-link-type", it->type ? it->type : "uri");
		at(b, "xlink:href", it->value);
		cw_buf_putc(b, '>');
		plain(b, it->value);
		cw_buf_append(b, "</ext-link>", CW_NUL);
	}
	el_rich(b, "comment", NULL, cw_record_text(rec, CW_FIELD_NOTE));
	cw_buf_append(b, "</element-citation>", CW_NUL);
}

/* One <ref> for a record (a reference, or any record of a ref-list document). */
static void write_ref(jats_writer *w, cw_buf *b, const cw_record *rec, uint64_t n)
{
	cw_buf_append(b, "<ref", CW_NUL);
	if (cw_record_has(rec, CW_FIELD_ID)) {
		/* the record's id as an XML ID, unique in the document */
		cw_buf id = CW_BUF_INIT;
		make_id(&id, cw_record_text(rec, CW_FIELD_ID), "ref-", n);
		unique_id(w, &id);
		at(b, "id", id.data);
		carry(b, &id);
		cw_buf_free(&id);
	}
	cw_buf_putc(b, '>');
	el_text(b, "label", NULL, cw_record_text(rec, CW_FIELD_CITATION_LABEL));
	const char *orig = cw_record_text(rec, CW_FIELD_ORIGINAL_CITATION);
	/* the structured form, unless nothing of the record fits in it */
	cw_buf el = CW_BUF_INIT;
	cw_record *tagged = NULL; /* an inferred reference without its inferred fields */
	if (ref_inferred(rec)) {
		if (cw_record_clone(&tagged, rec) != CW_OK)
			cw_buf_fail(b); /* out of memory: the write fails */
		for (enum cw_field f = cw_record_next_field(tagged, CW_FIELD_NONE);
		     tagged && f != CW_FIELD_NONE; f = cw_record_next_field(tagged, f))
			if (ref_inferred_field(rec, f) && cw_record_clear(tagged, f) < 0)
				cw_buf_fail(b);
	}
	int structured = ref_has_structure(tagged ? tagged : rec);
	if (structured) {
		write_element_citation(w, &el, tagged ? tagged : rec);
		const char *gt = strchr(cw_buf_str(&el), '>');
		structured = gt && strncmp(gt + 1, "</element-citation>", 19) != 0;
	}
	if (orig && structured)
		cw_buf_append(b, "<citation-alternatives>", CW_NUL);
	if (structured)
		cw_buf_append_buf(b, &el);
	carry(b, &el);
	cw_buf_free(&el);
	cw_record_free(tagged);
	if (orig || !structured) {
		cw_buf_append(b, "<mixed-citation", CW_NUL);
		if (!structured && (cw_record_has(rec, CW_FIELD_ARTICLE_TYPE) ||
		                    cw_record_type(rec) != CW_TYPE_DOCUMENT ||
		                    cw_record_find_passthrough(rec, "jats", JATS_PUBTYPE_HINT)))
			at(b, "publication-type", ref_pubtype(w, rec));
		cw_buf_putc(b, '>');
		rich(b, orig, NULL);
		cw_buf_append(b, "</mixed-citation>", CW_NUL);
	}
	if (orig && structured)
		cw_buf_append(b, "</citation-alternatives>", CW_NUL);
	cw_buf_append(b, "</ref>\n", CW_NUL);
	report_uncarried(w, rec, ref_carried, sizeof ref_carried / sizeof ref_carried[0], 1, 1,
	                 ref_extra_ok);
	if (cw_record_child_count(rec))
		cw_diag_not_carried(w->s, rec, CW_FIELD_REFERENCE_LIST,
		                    "a reference cannot hold references");
}

/* --- the article --- */

static const enum cw_field article_carried[] = {CW_FIELD_ARTICLE_TYPE,
                                                CW_FIELD_LANGUAGE,
                                                CW_FIELD_CONTAINER_IDENTIFIERS,
                                                CW_FIELD_CONTAINER_TITLE,
                                                CW_FIELD_CONTAINER_SUBTITLE,
                                                CW_FIELD_CONTAINER_ALTERNATIVE_TITLES,
                                                CW_FIELD_CONTAINER_TITLE_SHORT,
                                                CW_FIELD_ISSN,
                                                CW_FIELD_ISSN_ELECTRONIC,
                                                CW_FIELD_PUBLISHER,
                                                CW_FIELD_PUBLISHER_PLACE,
                                                CW_FIELD_DOI,
                                                CW_FIELD_PMID,
                                                CW_FIELD_PMCID,
                                                CW_FIELD_ARXIV,
                                                CW_FIELD_IDENTIFIERS,
                                                CW_FIELD_VERSION,
                                                CW_FIELD_SUBJECTS,
                                                CW_FIELD_SECTION,
                                                CW_FIELD_TITLE,
                                                CW_FIELD_SUBTITLE,
                                                CW_FIELD_TRANSLATED_TITLES,
                                                CW_FIELD_TITLE_SHORT,
                                                CW_FIELD_ALTERNATIVE_TITLES,
                                                CW_FIELD_AFFILIATIONS,
                                                CW_FIELD_ISSUED,
                                                CW_FIELD_PUBLISHED_ONLINE,
                                                CW_FIELD_PUBLISHED_PRINT,
                                                CW_FIELD_VOLUME,
                                                CW_FIELD_ISSUE,
                                                CW_FIELD_ISSUE_TITLE,
                                                CW_FIELD_SUPPLEMENT,
                                                CW_FIELD_ISBN,
                                                CW_FIELD_PAGE,
                                                CW_FIELD_PAGE_FIRST,
                                                CW_FIELD_RECEIVED,
                                                CW_FIELD_REVISED,
                                                CW_FIELD_ACCEPTED,
                                                CW_FIELD_COPYRIGHT,
                                                CW_FIELD_COPYRIGHT_YEAR,
                                                CW_FIELD_COPYRIGHT_HOLDER,
                                                CW_FIELD_LICENSE,
                                                CW_FIELD_LICENSE_URL,
                                                CW_FIELD_URL,
                                                CW_FIELD_LINKS,
                                                CW_FIELD_RELATED,
                                                CW_FIELD_ABSTRACT,
                                                CW_FIELD_ABSTRACTS,
                                                CW_FIELD_KEYWORDS,
                                                CW_FIELD_FUNDING,
                                                CW_FIELD_FUNDING_STATEMENT,
                                                CW_FIELD_NUMBER_OF_PAGES,
                                                CW_FIELD_REVIEWED_TITLE,
                                                CW_FIELD_REVIEWED_AUTHOR,
                                                CW_FIELD_REFERENCE_LIST};

static int article_extra_ok(const cw_record *rec, enum cw_field f)
{
	/* elocation-id and fpage are alternatives in Journal Publishing */
	if (f == CW_FIELD_ARTICLE_NUMBER)
		return !cw_record_has(rec, CW_FIELD_PAGE) &&
		       !cw_record_has(rec, CW_FIELD_PAGE_FIRST);
	return 0;
}

static void write_journal_meta(jats_writer *w, cw_buf *b, const cw_record *rec)
{
	(void)w;
	cw_buf_append(b, "<journal-meta>\n", CW_NUL);
	size_t nids = 0;
	size_t nci = cw_record_item_count(rec, CW_FIELD_CONTAINER_IDENTIFIERS);
	for (size_t i = 0; i < nci; i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_CONTAINER_IDENTIFIERS, i);
		if (it->type && (strcmp(it->type, "issn") == 0 || strcmp(it->type, "issn-l") == 0))
			continue;
		attrs a = {CW_BUF_INIT};
		at(&a.b, "journal-id-type", it->type);
		el_text(b, "journal-id", attrs_str(b, &a), it->value);
		cw_buf_free(&a.b);
		nids++;
	}
	if (!nids) /* required by Journal Publishing; empty says "unknown" */
		cw_buf_append(b, "<journal-id/>", CW_NUL);
	const char *jt = cw_record_text(rec, CW_FIELD_CONTAINER_TITLE);
	const char *abbrev = cw_record_text(rec, CW_FIELD_CONTAINER_TITLE_SHORT);
	const char *jsub = cw_record_text(rec, CW_FIELD_CONTAINER_SUBTITLE);
	size_t nalt = cw_record_item_count(rec, CW_FIELD_CONTAINER_ALTERNATIVE_TITLES);
	if (jt || jsub || abbrev || nalt) {
		cw_buf_append(b, "<journal-title-group>", CW_NUL);
		/* journal titles are plain text in Journal Publishing */
		el_text(b, "journal-title", NULL, jt);
		static const char *const order[] = {"journal-title", "journal-subtitle",
		                                    "trans-title", "abbrev-journal-title"};
		for (size_t k = 0; k < 4; k++) {
			if (k == 1)
				el_text(b, "journal-subtitle", NULL, jsub);
			if (k == 3)
				el_text(b, "abbrev-journal-title", NULL, abbrev);
			for (size_t i = 0; i < nalt; i++) {
				const cw_item *it =
				    cw_record_item(rec, CW_FIELD_CONTAINER_ALTERNATIVE_TITLES, i);
				if (!it->type || strcmp(it->type, order[k]) != 0)
					continue;
				attrs a = {CW_BUF_INIT};
				at_lang(&a.b, it->lang);
				if (k == 2) {
					cw_buf_printf(b, "<trans-title-group%s>", attrs_str(b, &a));
					el_rich(b, "trans-title", NULL, it->value);
					cw_buf_append(b, "</trans-title-group>", CW_NUL);
				} else if (k == 3) {
					at(&a.b, "abbrev-type", it->scheme);
					el_text(b, order[k], attrs_str(b, &a), it->value);
				} else {
					el_text(b, order[k], attrs_str(b, &a), it->value);
				}
				cw_buf_free(&a.b);
			}
		}
		cw_buf_append(b, "</journal-title-group>\n", CW_NUL);
	}
	int nissn = 0;
	if (cw_record_has(rec, CW_FIELD_ISSN)) {
		el_text(b, "issn", " publication-format=\"print\"",
		        cw_record_text(rec, CW_FIELD_ISSN));
		nissn++;
	}
	if (cw_record_has(rec, CW_FIELD_ISSN_ELECTRONIC)) {
		el_text(b, "issn", " publication-format=\"electronic\"",
		        cw_record_text(rec, CW_FIELD_ISSN_ELECTRONIC));
		nissn++;
	}
	for (size_t i = 0; i < nci; i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_CONTAINER_IDENTIFIERS, i);
		if (!it->type || strcmp(it->type, "issn") != 0)
			continue;
		attrs a = {CW_BUF_INIT};
		at(&a.b, "publication-format", it->scheme);
		el_text(b, "issn", attrs_str(b, &a), it->value);
		cw_buf_free(&a.b);
		nissn++;
	}
	if (!nissn)
		cw_buf_append(b, "<issn/>", CW_NUL);
	for (size_t i = 0; i < nci; i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_CONTAINER_IDENTIFIERS, i);
		if (it->type && strcmp(it->type, "issn-l") == 0) {
			el_text(b, "issn-l", NULL, it->value);
			break;
		}
	}
	if (cw_record_has(rec, CW_FIELD_PUBLISHER)) {
		cw_buf_append(b, "\n<publisher>", CW_NUL);
		el_text(b, "publisher-name", NULL, cw_record_text(rec, CW_FIELD_PUBLISHER));
		el_text(b, "publisher-loc", NULL, cw_record_text(rec, CW_FIELD_PUBLISHER_PLACE));
		cw_buf_append(b, "</publisher>", CW_NUL);
	} else if (cw_record_has(rec, CW_FIELD_PUBLISHER_PLACE)) {
		cw_diag_not_carried(w->s, rec, CW_FIELD_PUBLISHER_PLACE,
		                    "written only with a publisher");
	}
	cw_buf_append(b, "\n</journal-meta>\n", CW_NUL);
}

static void write_categories(cw_buf *b, const cw_record *rec)
{
	size_t n = cw_record_item_count(rec, CW_FIELD_SUBJECTS);
	const char *section = cw_record_text(rec, CW_FIELD_SECTION);
	int section_listed = 0;
	for (size_t i = 0; i < n && section; i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_SUBJECTS, i);
		if (it->type && strcmp(it->type, "heading") == 0 && strcmp(it->value, section) == 0)
			section_listed = 1;
	}
	if (!n && !section)
		return;
	cw_buf_append(b, "<article-categories>", CW_NUL);
	if (section && !section_listed) {
		cw_buf_append(b, "<subj-group subj-group-type=\"heading\"><subject>", CW_NUL);
		plain(b, section);
		cw_buf_append(b, "</subject></subj-group>", CW_NUL);
	}
	/* consecutive subjects of one type, language and vocabulary share a group */
	for (size_t i = 0; i < n;) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_SUBJECTS, i);
		cw_buf_append(b, "<subj-group", CW_NUL);
		at(b, "subj-group-type", it->type);
		at_lang(b, it->lang);
		at(b, "vocab", it->scheme);
		cw_buf_putc(b, '>');
		size_t j = i;
		for (; j < n; j++) {
			const cw_item *o = cw_record_item(rec, CW_FIELD_SUBJECTS, j);
#define SAME_(x) ((it->x == NULL) == (o->x == NULL) && (!it->x || strcmp(it->x, o->x) == 0))
			if (!(SAME_(type) && SAME_(lang) && SAME_(scheme)))
				break;
#undef SAME_
			el_text(b, "subject", NULL, o->value);
		}
		cw_buf_append(b, "</subj-group>", CW_NUL);
		i = j;
	}
	cw_buf_append(b, "</article-categories>\n", CW_NUL);
}

static void write_title_group(jats_writer *w, cw_buf *b, const cw_record *rec)
{
	cw_buf_append(b, "<title-group>", CW_NUL);
	const char *title = cw_record_text(rec, CW_FIELD_TITLE);
	if (title)
		el_rich(b, "article-title", NULL, title);
	else
		cw_buf_append(b, "<article-title/>", CW_NUL); /* required; empty = untitled */
	el_rich(b, "subtitle", NULL, cw_record_text(rec, CW_FIELD_SUBTITLE));
	size_t n = cw_record_item_count(rec, CW_FIELD_TRANSLATED_TITLES);
	for (size_t i = 0; i < n; i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_TRANSLATED_TITLES, i);
		if (it->type && strcmp(it->type, "subtitle") == 0) {
			cw_diag_not_carried(w->s, rec, CW_FIELD_TRANSLATED_TITLES,
			                    "a translated subtitle without its translated title");
			continue;
		}
		attrs a = {CW_BUF_INIT};
		at_lang(&a.b, it->lang);
		cw_buf_printf(b, "<trans-title-group%s>", attrs_str(b, &a));
		cw_buf_free(&a.b);
		el_rich(b, "trans-title", NULL, it->value);
		while (i + 1 < n) {
			const cw_item *nx = cw_record_item(rec, CW_FIELD_TRANSLATED_TITLES, i + 1);
			if (!nx->type || strcmp(nx->type, "subtitle") != 0 ||
			    (nx->lang == NULL) != (it->lang == NULL) ||
			    (nx->lang && strcmp(nx->lang, it->lang) != 0))
				break;
			el_rich(b, "trans-subtitle", NULL, nx->value);
			i++;
		}
		cw_buf_append(b, "</trans-title-group>", CW_NUL);
	}
	el_rich(b, "alt-title", " alt-title-type=\"short\"",
	        cw_record_text(rec, CW_FIELD_TITLE_SHORT));
	for (size_t i = 0; i < cw_record_item_count(rec, CW_FIELD_ALTERNATIVE_TITLES); i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_ALTERNATIVE_TITLES, i);
		attrs a = {CW_BUF_INIT};
		at(&a.b, "alt-title-type", it->type);
		at_lang(&a.b, it->lang);
		el_rich(b, "alt-title", attrs_str(b, &a), it->value);
		cw_buf_free(&a.b);
	}
	cw_buf_append(b, "</title-group>\n", CW_NUL);
}

static void write_contribs(jats_writer *w, cw_buf *b, const cw_record *rec)
{
	for (enum cw_field f = cw_record_next_field(rec, CW_FIELD_NONE); f != CW_FIELD_NONE;
	     f = cw_record_next_field(rec, f)) {
		if (!is_names_field(f))
			continue;
		const char *ct = role_value(w, f);
		if (!ct)
			continue;
		cw_buf_append(b, "<contrib-group>\n", CW_NUL);
		size_t n = cw_record_name_count(rec, f);
		for (size_t i = 0; i < n; i++) {
			const cw_name *nm = cw_record_name(rec, f, i);
			if (nm->flags & CW_NAME_ETAL) {
				cw_diag_not_carried(w->s, rec, f,
				                    "\"et al.\" in the article's own contributors");
				continue;
			}
			cw_buf_append(b, "<contrib", CW_NUL);
			at(b, "contrib-type", ct);
			if (nm->flags & CW_NAME_CORRESPONDING)
				at(b, "corresp", "yes");
			if (nm->flags & CW_NAME_EQUAL_CONTRIB)
				at(b, "equal-contrib", "yes");
			cw_buf_putc(b, '>');
			if (nm->orcid)
				el_text(b, "contrib-id", " contrib-id-type=\"orcid\"", nm->orcid);
			write_name(b, nm);
			el_text(b, "degrees", NULL, nm->degrees);
			el_text(b, "email", NULL, nm->email);
			el_text(b, "role", NULL, nm->role);
			for (size_t k = 0; k < nm->affiliation_count; k++) {
				if (!cw_record_affiliation_by_id(rec, nm->affiliation_ids[k])) {
					cw_diag_not_carried(w->s, rec, f,
					                    "a link to unknown affiliation '%s'",
					                    nm->affiliation_ids[k]);
					continue;
				}
				cw_buf id = CW_BUF_INIT;
				make_id(&id, nm->affiliation_ids[k], "aff-", k + 1);
				cw_buf_append(b, "<xref ref-type=\"aff\"", CW_NUL);
				at(b, "rid", id.data);
				cw_buf_append(b, "/>", CW_NUL);
				carry(b, &id);
				cw_buf_free(&id);
			}
			cw_buf_append(b, "</contrib>\n", CW_NUL);
		}
		cw_buf_append(b, "</contrib-group>\n", CW_NUL);
	}
}

/*
 * An affiliation: its one-line text with the known parts tagged where they
 * occur in it, so the text reads back unchanged; parts that do not occur
 * in the text are appended after a comma.
 */
typedef struct aff_part {
	const char *tag;
	const char *value;
	const char *attr_name, *attr_value;
	size_t pos;
	int found;
} aff_part;

static void write_aff(jats_writer *w, cw_buf *b, const cw_record *rec, const cw_affiliation *a)
{
	(void)w;
	(void)rec;
	cw_buf id = CW_BUF_INIT;
	make_id(&id, a->id, "aff-", 1);
	cw_buf_append(b, "<aff", CW_NUL);
	at(b, "id", id.data);
	cw_buf_putc(b, '>');
	carry(b, &id);
	cw_buf_free(&id);
	aff_part parts[] = {
	    {"institution", a->department, "content-type", "dept", 0, 0},
	    {"institution", a->institution, NULL, NULL, 0, 0},
	    {"addr-line", a->address, NULL, NULL, 0, 0},
	    {"city", a->city, NULL, NULL, 0, 0},
	    {"state", a->region, NULL, NULL, 0, 0},
	    {"postal-code", a->postal_code, NULL, NULL, 0, 0},
	    {"country", a->country, "country", a->country_code, 0, 0},
	};
	size_t np = sizeof parts / sizeof parts[0];
	const char *text = a->text;
	size_t tlen = text ? strlen(text) : 0;
	/* locate each part, longest first (an address may contain the institution), without
	 * overlaps */
	size_t order[8], bylen[8];
	size_t no = 0;
	for (size_t i = 0; i < np; i++)
		bylen[i] = i;
	for (size_t i = 1; i < np; i++)
		for (size_t k = i; k > 0; k--) {
			size_t la = parts[bylen[k]].value ? strlen(parts[bylen[k]].value) : 0;
			size_t lb =
			    parts[bylen[k - 1]].value ? strlen(parts[bylen[k - 1]].value) : 0;
			if (la <= lb)
				break;
			size_t t = bylen[k];
			bylen[k] = bylen[k - 1];
			bylen[k - 1] = t;
		}
	for (size_t j = 0; j < np; j++) {
		size_t i = bylen[j];
		if (!parts[i].value || !text)
			continue;
		size_t vl = strlen(parts[i].value);
		const char *from = text;
		while ((from = strstr(from, parts[i].value)) != NULL) {
			size_t pos = (size_t)(from - text);
			int overlap = 0;
			for (size_t k = 0; k < no && !overlap; k++) {
				const aff_part *o = &parts[order[k]];
				size_t ol = strlen(o->value);
				overlap = pos < o->pos + ol && o->pos < pos + vl;
			}
			if (!overlap) {
				parts[i].pos = pos;
				parts[i].found = 1;
				order[no++] = i;
				break;
			}
			from++;
		}
	}
	/* sort found parts by position */
	for (size_t i = 1; i < no; i++)
		for (size_t k = i; k > 0 && parts[order[k]].pos < parts[order[k - 1]].pos; k--) {
			size_t t = order[k];
			order[k] = order[k - 1];
			order[k - 1] = t;
		}
	size_t cur = 0;
	int wrapped_ror = 0;
	for (size_t k = 0; k < no; k++) {
		aff_part *p = &parts[order[k]];
		esc(b, text + cur, p->pos - cur, 0);
		int inst = strcmp(p->tag, "institution") == 0 && !p->attr_name;
		if (inst && (a->ror || a->other_id)) {
			cw_buf_append(b, "<institution-wrap>", CW_NUL);
			if (a->ror)
				el_text(b, "institution-id", " institution-id-type=\"ror\"",
				        a->ror);
			if (a->other_id) {
				attrs at2 = {CW_BUF_INIT};
				at(&at2.b, "institution-id-type", a->other_id_type);
				el_text(b, "institution-id", attrs_str(b, &at2), a->other_id);
				cw_buf_free(&at2.b);
			}
			wrapped_ror = 1;
		}
		cw_buf_printf(b, "<%s", p->tag);
		if (p->attr_name)
			at(b, p->attr_name, p->attr_value);
		cw_buf_putc(b, '>');
		esc(b, p->value, CW_NUL, 0);
		cw_buf_printf(b, "</%s>", p->tag);
		if (inst && wrapped_ror)
			cw_buf_append(b, "</institution-wrap>", CW_NUL);
		cur = p->pos + strlen(p->value);
	}
	if (text)
		esc(b, text + cur, tlen - cur, 0);
	for (size_t i = 0; i < np; i++) {
		aff_part *p = &parts[i];
		if (!p->value || p->found)
			continue;
		if (b->len && b->data[b->len - 1] != '>')
			cw_buf_append(b, ", ", CW_NUL);
		else if (text || i)
			cw_buf_append(b, " ", CW_NUL);
		cw_buf_printf(b, "<%s", p->tag);
		if (p->attr_name)
			at(b, p->attr_name, p->attr_value);
		cw_buf_putc(b, '>');
		esc(b, p->value, CW_NUL, 0);
		cw_buf_printf(b, "</%s>", p->tag);
	}
	if (!wrapped_ror && (a->ror || a->other_id)) {
		cw_buf_append(b, "<institution-wrap>", CW_NUL);
		if (a->ror)
			el_text(b, "institution-id", " institution-id-type=\"ror\"", a->ror);
		if (a->other_id) {
			attrs at2 = {CW_BUF_INIT};
			at(&at2.b, "institution-id-type", a->other_id_type);
			el_text(b, "institution-id", attrs_str(b, &at2), a->other_id);
			cw_buf_free(&at2.b);
		}
		cw_buf_append(b, "</institution-wrap>", CW_NUL);
	}
	cw_buf_append(b, "</aff>\n", CW_NUL);
}

static void write_pub_date(cw_buf *b, const char *attrs_s, const cw_date *d)
{
	cw_buf_printf(b, "<pub-date%s", attrs_s);
	iso_attr(b, d);
	cw_buf_putc(b, '>');
	date_parts(b, d, NULL);
	cw_buf_append(b, "</pub-date>\n", CW_NUL);
}

static void write_dates(jats_writer *w, cw_buf *b, const cw_record *rec)
{
	const cw_date *on = cw_record_date(rec, CW_FIELD_PUBLISHED_ONLINE);
	const cw_date *pr = cw_record_date(rec, CW_FIELD_PUBLISHED_PRINT);
	const cw_date *is = cw_record_date(rec, CW_FIELD_ISSUED);
	const cw_date *ds[3] = {on, pr, is};
	const enum cw_field fs[3] = {CW_FIELD_PUBLISHED_ONLINE, CW_FIELD_PUBLISHED_PRINT,
	                             CW_FIELD_ISSUED};
	for (int i = 0; i < 3; i++)
		if (ds[i] && !ds[i]->parts) {
			cw_diag_not_carried(w->s, rec, fs[i],
			                    "Journal Publishing dates need a year");
			ds[i] = NULL;
		}
	on = ds[0];
	pr = ds[1];
	is = ds[2];
	for (int i = 0; i < 3; i++)
		if (ds[i])
			report_range_end(w, rec, fs[i], ds[i]);
	if (on)
		write_pub_date(b, " publication-format=\"electronic\" date-type=\"pub\"", on);
	if (pr)
		write_pub_date(b, " publication-format=\"print\" date-type=\"pub\"", pr);
	/* the citation date, unless a dated medium already says it (see the reader's ranking) */
	if (is && !date_equal(is, pr) && !(date_equal(is, on) && !pr))
		write_pub_date(b, " date-type=\"collection\"", is);
	for (size_t i = 0; i < cw_record_passthrough_count(rec); i++) {
		const cw_passthrough *p = cw_record_passthrough(rec, i);
		if (strcmp(p->format, "jats") != 0 || strncmp(p->name, "pub-date:", 9) != 0)
			continue;
		cw_date d = CW_DATE_INIT;
		if (cw_date_parse_iso(&d, p->value, CW_NUL) != CW_OK || !d.parts) {
			cw_diag_not_carried(w->s, rec, CW_FIELD_NONE, "jats:%s", p->name);
			continue;
		}
		attrs a = {CW_BUF_INIT};
		at(&a.b, "date-type", p->name + 9);
		write_pub_date(b, attrs_str(b, &a), &d);
		cw_buf_free(&a.b);
	}
}

/* The reviewed work of a review as <product> (JATS4R book reviews). */
static void write_product(cw_buf *b, const cw_record *rec)
{
	size_t n = cw_record_name_count(rec, CW_FIELD_REVIEWED_AUTHOR);
	const char *title = cw_record_text(rec, CW_FIELD_REVIEWED_TITLE);
	if (!n && !title)
		return;
	cw_buf_append(b, "<product>", CW_NUL);
	if (n) {
		cw_buf_append(b, "<person-group person-group-type=\"author\">", CW_NUL);
		for (size_t i = 0; i < n; i++)
			write_name(b, cw_record_name(rec, CW_FIELD_REVIEWED_AUTHOR, i));
		cw_buf_append(b, "</person-group>", CW_NUL);
	}
	el_rich(b, "source", NULL, title);
	cw_buf_append(b, "</product>\n", CW_NUL);
}

/*
 * The history dates: in the order of the history-dates rows written (dir),
 * each field under the date-type of its first row.
 */
static void write_history(jats_writer *w, cw_buf *b, const cw_record *rec)
{
	cw_buf h = CW_BUF_INIT;
	unsigned char done[CW_FIELD_COUNT_] = {0};
	size_t n = cw_table_row_count(w->tab, JATS_SEC_HISTORY_DATES);
	for (size_t i = 0; i < n; i++) {
		const cw_table_cell *c = cw_table_row_at(w->tab, JATS_SEC_HISTORY_DATES, i)->cells;
		enum cw_field f = (enum cw_field)c[JATS_MAP_FIELD].value;
		if (!(jats_row_dir(w->tab, JATS_SEC_HISTORY_DATES, i) & JATS_WRITE) || f <= 0 ||
		    f >= CW_FIELD_COUNT_ || done[f])
			continue;
		done[f] = 1;
		const cw_date *d = cw_record_date(rec, f);
		if (!d)
			continue;
		if (!d->parts) {
			cw_diag_not_carried(w->s, rec, f, "Journal Publishing dates need a year");
			continue;
		}
		cw_buf_append(&h, "<date", CW_NUL);
		at(&h, "date-type", c[JATS_MAP_JATS].text);
		iso_attr(&h, d);
		cw_buf_putc(&h, '>');
		date_parts(&h, d, NULL);
		cw_buf_append(&h, "</date>", CW_NUL);
	}
	for (size_t i = 0; i < cw_record_passthrough_count(rec); i++) {
		const cw_passthrough *p = cw_record_passthrough(rec, i);
		if (strcmp(p->format, "jats") != 0 || strncmp(p->name, "history:", 8) != 0)
			continue;
		cw_date d = CW_DATE_INIT;
		if (cw_date_parse_iso(&d, p->value, CW_NUL) != CW_OK || !d.parts) {
			cw_diag_not_carried(w->s, rec, CW_FIELD_NONE, "jats:%s", p->name);
			continue;
		}
		cw_buf_append(&h, "<date", CW_NUL);
		at(&h, "date-type", p->name + 8);
		iso_attr(&h, &d);
		cw_buf_putc(&h, '>');
		date_parts(&h, &d, NULL);
		cw_buf_append(&h, "</date>", CW_NUL);
	}
	if (h.len)
		cw_buf_printf(b, "<history>%s</history>\n", h.data);
	carry(b, &h);
	cw_buf_free(&h);
}

static void write_permissions(cw_buf *b, const cw_record *rec)
{
	const char *cs = cw_record_text(rec, CW_FIELD_COPYRIGHT);
	const char *cy = cw_record_text(rec, CW_FIELD_COPYRIGHT_YEAR);
	const char *ch = cw_record_text(rec, CW_FIELD_COPYRIGHT_HOLDER);
	const char *lu = cw_record_text(rec, CW_FIELD_LICENSE_URL);
	const char *lt = cw_record_text(rec, CW_FIELD_LICENSE);
	if (!cs && !cy && !ch && !lu && !lt)
		return;
	cw_buf_append(b, "<permissions>", CW_NUL);
	el_rich(b, "copyright-statement", NULL, cs);
	el_text(b, "copyright-year", NULL, cy);
	el_text(b, "copyright-holder", NULL, ch);
	if (lu || lt) {
		cw_buf_append(b, "<license", CW_NUL);
		const cw_passthrough *p = cw_record_find_passthrough(rec, "jats", "license-type");
		if (p)
			at(b, "license-type", p->value);
		at(b, "xlink:href", lu);
		cw_buf_putc(b, '>');
		if (lt)
			rich(b, lt, "license-p");
		else
			cw_buf_append(b, "<license-p/>", CW_NUL);
		cw_buf_append(b, "</license>", CW_NUL);
	}
	cw_buf_append(b, "</permissions>\n", CW_NUL);
}

static void write_abstracts(cw_buf *b, const cw_record *rec)
{
	const char *art_lang = cw_record_text(rec, CW_FIELD_LANGUAGE);
	const char *ab = cw_record_text(rec, CW_FIELD_ABSTRACT);
	if (ab) {
		cw_buf_append(b, "<abstract>", CW_NUL);
		rich(b, ab, "p");
		cw_buf_append(b, "</abstract>\n", CW_NUL);
	}
	size_t n = cw_record_item_count(rec, CW_FIELD_ABSTRACTS);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			const cw_item *it = cw_record_item(rec, CW_FIELD_ABSTRACTS, i);
			int trans = it->lang && (!art_lang || strcmp(it->lang, art_lang) != 0);
			if (trans != pass)
				continue;
			const char *tag = trans ? "trans-abstract" : "abstract";
			cw_buf_printf(b, "<%s", tag);
			at(b, "abstract-type", it->type);
			at_lang(b, it->lang);
			cw_buf_putc(b, '>');
			rich(b, it->value, "p");
			cw_buf_printf(b, "</%s>\n", tag);
		}
	}
}

static void write_keywords(cw_buf *b, const cw_record *rec)
{
	size_t n = cw_record_item_count(rec, CW_FIELD_KEYWORDS);
	for (size_t i = 0; i < n;) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_KEYWORDS, i);
		cw_buf_append(b, "<kwd-group", CW_NUL);
		at(b, "kwd-group-type", it->type);
		at(b, "vocab", it->scheme);
		at_lang(b, it->lang);
		cw_buf_putc(b, '>');
		size_t j = i;
		for (; j < n; j++) {
			const cw_item *o = cw_record_item(rec, CW_FIELD_KEYWORDS, j);
#define SAME_(x) ((it->x == NULL) == (o->x == NULL) && (!it->x || strcmp(it->x, o->x) == 0))
			if (!(SAME_(type) && SAME_(lang) && SAME_(scheme)))
				break;
#undef SAME_
			el_text(b, "kwd", NULL, o->value);
		}
		cw_buf_append(b, "</kwd-group>\n", CW_NUL);
		i = j;
	}
}

static void write_funding(cw_buf *b, const cw_record *rec)
{
	size_t n = cw_record_funding_count(rec);
	const char *st = cw_record_text(rec, CW_FIELD_FUNDING_STATEMENT);
	if (!n && !st)
		return;
	cw_buf_append(b, "<funding-group>", CW_NUL);
	for (size_t i = 0; i < n; i++) {
		const cw_funding *fu = cw_record_funding(rec, i);
		cw_buf_append(b, "<award-group>", CW_NUL);
		if (fu->funder || fu->funder_id) {
			cw_buf_append(b, "<funding-source>", CW_NUL);
			if (fu->funder_id) {
				const char *ty = strstr(fu->funder_id, "ror.org")    ? "ror"
				                 : strstr(fu->funder_id, "10.13039") ? "doi"
				                                                     : "other";
				cw_buf_append(b, "<institution-wrap>", CW_NUL);
				attrs a = {CW_BUF_INIT};
				at(&a.b, "institution-id-type", ty);
				el_text(b, "institution-id", attrs_str(b, &a), fu->funder_id);
				cw_buf_free(&a.b);
				el_text(b, "institution", NULL, fu->funder);
				cw_buf_append(b, "</institution-wrap>", CW_NUL);
			} else {
				plain(b, fu->funder);
			}
			cw_buf_append(b, "</funding-source>", CW_NUL);
		}
		el_text(b, "award-id", NULL, fu->award_id);
		el_text(b, "award-name", NULL, fu->award_title);
		cw_buf_append(b, "</award-group>", CW_NUL);
	}
	if (st)
		el_rich(b, "funding-statement", NULL, st);
	cw_buf_append(b, "</funding-group>\n", CW_NUL);
}

static void write_counts(cw_buf *b, const cw_record *rec)
{
	static const char *const named[] = {"fig-count", "table-count", "equation-count",
	                                    "ref-count"};
	cw_buf c = CW_BUF_INIT;
	size_t np = cw_record_passthrough_count(rec);
	for (size_t i = 0; i < np; i++) {
		const cw_passthrough *p = cw_record_passthrough(rec, i);
		if (strcmp(p->format, "jats") != 0 || strncmp(p->name, "count:", 6) != 0)
			continue;
		int is_named = strcmp(p->name + 6, "word-count") == 0;
		for (size_t k = 0; k < 4; k++)
			is_named |= strcmp(p->name + 6, named[k]) == 0;
		if (is_named)
			continue;
		cw_buf_append(&c, "<count", CW_NUL);
		at(&c, "count-type", p->name + 6);
		at(&c, "count", p->value);
		cw_buf_append(&c, "/>", CW_NUL);
	}
	for (size_t k = 0; k < 5; k++) {
		if (k == 4 && cw_record_has(rec, CW_FIELD_NUMBER_OF_PAGES)) {
			cw_buf_append(&c, "<page-count", CW_NUL);
			at(&c, "count", cw_record_text(rec, CW_FIELD_NUMBER_OF_PAGES));
			cw_buf_append(&c, "/>", CW_NUL);
		}
		const char *nm = k < 4 ? named[k] : "word-count";
		char key[32];
		snprintf(key, sizeof key, "count:%s", nm);
		const cw_passthrough *p = cw_record_find_passthrough(rec, "jats", key);
		if (p) {
			cw_buf_printf(&c, "<%s", nm);
			at(&c, "count", p->value);
			cw_buf_append(&c, "/>", CW_NUL);
		}
	}
	if (c.len)
		cw_buf_printf(b, "<counts>%s</counts>\n", c.data);
	carry(b, &c);
	cw_buf_free(&c);
}

static int jats_passthrough_known(const char *name)
{
	static const char *const prefixes[] = {"count:",           "pub-date:",
	                                       "history:",         "license-type",
	                                       "publication-type", "date-in-citation:"};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

static void report_unknown_passthrough(jats_writer *w, const cw_record *rec)
{
	for (size_t i = 0; i < cw_record_passthrough_count(rec); i++) {
		const cw_passthrough *p = cw_record_passthrough(rec, i);
		if (strcmp(p->format, "jats") == 0 && !jats_passthrough_known(p->name))
			cw_diag_not_carried(w->s, rec, CW_FIELD_NONE, "jats:%s", p->name);
	}
}

/*
 * Writes what b holds, unless building it ran out of memory: then the
 * document is an error, reported here, instead of one that lacks a part.
 */
static int put_out(jats_writer *w, cw_buf *b)
{
	int rc = cw_diag_check_buf(w->s, b);
	return rc ? rc : cw_ostream_write(w->o, b->data, b->len);
}

static int write_article(jats_writer *w, const cw_record *rec)
{
	cw_buf *b = &w->b;
	cw_buf_clear(b);
	cw_buf_append(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", CW_NUL);
	if (w->doctype)
		cw_buf_append(
		    b,
		    "<!DOCTYPE article PUBLIC \"-//NLM//DTD JATS (Z39.96) Journal Publishing "
		    "DTD with MathML3 v1.3 20210610//EN\" "
		    "\"JATS-journalpublishing1-3-mathml3.dtd\">\n",
		    CW_NUL);
	cw_buf_append(b,
	              "<article xmlns:mml=\"http://www.w3.org/1998/Math/MathML\" "
	              "xmlns:xlink=\"http://www.w3.org/1999/xlink\" dtd-version=\"1.3\"",
	              CW_NUL);
	at(b, "article-type",
	   type_word(w, rec, JATS_SEC_ARTICLE_TYPES, JATS_SEC_PUBLICATION_TYPES));
	at_lang(b, cw_record_text(rec, CW_FIELD_LANGUAGE));
	if (cw_record_has(rec, CW_FIELD_LANGUAGE) &&
	    !lang_ok(cw_record_text(rec, CW_FIELD_LANGUAGE)))
		cw_diag_not_carried(w->s, rec, CW_FIELD_LANGUAGE, "not a language tag");
	cw_buf_append(b, ">\n<front>\n", CW_NUL);
	write_journal_meta(w, b, rec);
	cw_buf_append(b, "<article-meta>\n", CW_NUL);
	el_text(b, "article-id", " pub-id-type=\"doi\"", cw_record_text(rec, CW_FIELD_DOI));
	el_text(b, "article-id", " pub-id-type=\"pmid\"", cw_record_text(rec, CW_FIELD_PMID));
	el_text(b, "article-id", " pub-id-type=\"pmcid\"", cw_record_text(rec, CW_FIELD_PMCID));
	el_text(b, "article-id", " pub-id-type=\"arxiv\"", cw_record_text(rec, CW_FIELD_ARXIV));
	for (size_t i = 0; i < cw_record_item_count(rec, CW_FIELD_IDENTIFIERS); i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_IDENTIFIERS, i);
		attrs a = {CW_BUF_INIT};
		at(&a.b, "pub-id-type", it->type ? it->type : "other");
		el_text(b, "article-id", attrs_str(b, &a), it->value);
		cw_buf_free(&a.b);
	}
	el_text(b, "article-version", NULL, cw_record_text(rec, CW_FIELD_VERSION));
	write_categories(b, rec);
	write_title_group(w, b, rec);
	write_contribs(w, b, rec);
	for (size_t i = 0; i < cw_record_affiliation_count(rec); i++)
		write_aff(w, b, rec, cw_record_affiliation(rec, i));
	write_dates(w, b, rec);
	el_text(b, "volume", NULL, cw_record_text(rec, CW_FIELD_VOLUME));
	el_text(b, "issue", NULL, cw_record_text(rec, CW_FIELD_ISSUE));
	el_rich(b, "issue-title", NULL, cw_record_text(rec, CW_FIELD_ISSUE_TITLE));
	el_text(b, "isbn", NULL, cw_record_text(rec, CW_FIELD_ISBN));
	el_text(b, "supplement", NULL, cw_record_text(rec, CW_FIELD_SUPPLEMENT));
	if (cw_record_has(rec, CW_FIELD_PAGE) || cw_record_has(rec, CW_FIELD_PAGE_FIRST)) {
		if (!write_pages(b, rec, 1))
			cw_diag_not_carried(w->s, rec, CW_FIELD_PAGE,
			                    "a page range needs a first page in article-meta");
		if (cw_record_has(rec, CW_FIELD_ARTICLE_NUMBER))
			cw_diag_not_carried(
			    w->s, rec, CW_FIELD_ARTICLE_NUMBER,
			    "Journal Publishing takes fpage or elocation-id, not both");
	} else {
		el_text(b, "elocation-id", NULL, cw_record_text(rec, CW_FIELD_ARTICLE_NUMBER));
	}
	write_product(b, rec);
	write_history(w, b, rec);
	write_permissions(b, rec);
	if (cw_record_has(rec, CW_FIELD_URL)) {
		cw_buf_append(b, "<self-uri", CW_NUL);
		at(b, "xlink:href", cw_record_text(rec, CW_FIELD_URL));
		cw_buf_append(b, "/>\n", CW_NUL);
	}
	for (size_t i = 0; i < cw_record_item_count(rec, CW_FIELD_LINKS); i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_LINKS, i);
		cw_buf_append(b, "<self-uri", CW_NUL);
		at(b, "content-type", it->type ? it->type : "self-uri");
		at(b, "xlink:href", it->value);
		cw_buf_append(b, "/>\n", CW_NUL);
	}
	for (size_t i = 0; i < cw_record_item_count(rec, CW_FIELD_RELATED); i++) {
		const cw_item *it = cw_record_item(rec, CW_FIELD_RELATED, i);
		cw_buf_append(b, "<related-article", CW_NUL);
		at(b, "related-article-type", it->type ? it->type : "related");
		at(b, "ext-link-type", it->scheme ? it->scheme : "uri");
		at(b, "xlink:href", it->value);
		cw_buf_append(b, "/>\n", CW_NUL);
	}
	write_abstracts(b, rec);
	write_keywords(b, rec);
	write_funding(b, rec);
	write_counts(b, rec);
	cw_buf_append(b, "</article-meta>\n</front>\n", CW_NUL);
	size_t nkids = cw_record_child_count(rec);
	if (nkids) {
		cw_buf_append(b, "<back>\n<ref-list>\n", CW_NUL);
		for (size_t i = 0; i < nkids; i++) {
			const cw_record *kid = cw_record_child(rec, i);
			cw_session_set_record(w->s, cw_record_label(kid));
			write_ref(w, b, kid, i + 1);
			/* keep the buffer small for long reference lists */
			if (b->len > 65536) {
				int rc = put_out(w, b);
				cw_buf_clear(b);
				if (rc)
					return rc;
			}
		}
		cw_session_set_record(w->s, cw_record_label(rec));
		cw_buf_append(b, "</ref-list>\n</back>\n", CW_NUL);
	}
	cw_buf_append(b, "</article>\n", CW_NUL);
	report_uncarried(w, rec, article_carried,
	                 sizeof article_carried / sizeof article_carried[0], 0, 1, article_extra_ok);
	report_unknown_passthrough(w, rec);
	return put_out(w, b);
}

/* --- ref-list documents --- */

static int reflist_begin(jats_writer *w)
{
	w->reflist_open = 1;
	/* the DTD declares xmlns:xlink on linking elements, not on ref-list */
	w->xlink_decl = " xmlns:xlink=\"http://www.w3.org/1999/xlink\"";
	return cw_ostream_puts(w->o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ref-list>\n");
}

static int reflist_record(jats_writer *w, const cw_record *rec)
{
	cw_buf_clear(&w->b);
	write_ref(w, &w->b, rec, w->count);
	return put_out(w, &w->b);
}

/* --- writer ops --- */

static int jats_begin(void *state, cw_session *s, cw_ostream *out)
{
	jats_writer *w = state;
	w->s = s;
	w->o = out;
	const char *mode = cw_session_option(s, "jats-fragment");
	w->mode = MODE_AUTO;
	if (mode && strcmp(mode, "article") == 0)
		w->mode = MODE_ARTICLE;
	else if (mode && strcmp(mode, "ref-list") == 0)
		w->mode = MODE_REFLIST;
	w->doctype = cw_session_option_bool(s, "jats-doctype", 1);
	w->xlink_decl = "";
	int rc = cw_session_table(s, &jats_table_schema, &w->tab);
	if (rc == CW_OK)
		note_cited_fields(w);
	return rc;
}

static int jats_write(void *state, cw_session *s, const cw_record *rec)
{
	jats_writer *w = state;
	w->count++;
	switch (w->mode) {
	case MODE_ARTICLE:
		if (w->article_done)
			return cw_diag_emit(
			    s, CW_SEV_ERROR, CW_ERECORD, 0, 0,
			    "a JATS article document holds one article; record %llu not "
			    "written (use --jats-fragment ref-list for a reference list)",
			    (unsigned long long)w->count);
		w->article_done = 1;
		return write_article(w, rec);
	case MODE_REFLIST:
		if (!w->reflist_open) {
			int rc = reflist_begin(w);
			if (rc)
				return rc;
		}
		return reflist_record(w, rec);
	default:
		if (w->count == 1) {
			/* hold it: the second record decides */
			return cw_record_clone(&w->held, rec);
		}
		if (w->held) {
			int rc = reflist_begin(w);
			uint64_t n = w->count;
			w->count = 1;
			if (!rc)
				rc = reflist_record(w, w->held);
			w->count = n;
			cw_record_free(w->held);
			w->held = NULL;
			if (rc)
				return rc;
		}
		if (!w->reflist_open) {
			int rc = reflist_begin(w);
			if (rc)
				return rc;
		}
		return reflist_record(w, rec);
	}
}

static int jats_end(void *state, cw_session *s)
{
	jats_writer *w = state;
	if (w->held) {
		cw_session_set_record(s, cw_record_label(w->held));
		int rc = write_article(w, w->held);
		cw_record_free(w->held);
		w->held = NULL;
		return rc;
	}
	if (w->count == 0 && w->mode == MODE_ARTICLE)
		return cw_diag_emit(s, CW_SEV_ERROR, CW_EUNSUPPORTED, 0, 0,
		                    "no records: a JATS article document needs one article "
		                    "(--jats-fragment ref-list writes an empty reference list)");
	if (w->count == 0) {
		/* no records: an empty <ref-list>, which the DTD allows (ref*) */
		int rc = reflist_begin(w);
		if (rc)
			return rc;
	}
	if (w->reflist_open)
		return cw_ostream_puts(w->o, "</ref-list>\n");
	return CW_OK;
}

static void jats_wclose(void *state, cw_session *s)
{
	(void)s;
	jats_writer *w = state;
	cw_record_free(w->held);
	w->held = NULL;
	cw_buf_free(&w->b);
	cw_keyset_free(w->ids);
	w->ids = NULL;
}

const cw_writer_ops jats_writer_ops = {
    .struct_size = sizeof(cw_writer_ops),
    .state_size = sizeof(jats_writer),
    .begin = jats_begin,
    .write = jats_write,
    .end = jats_end,
    .close = jats_wclose,
};
