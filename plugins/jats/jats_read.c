/*
 * The JATS reader: libxml2's xmlTextReader pulls the input through a
 * callback (no network, no DTD, no entity substitution, no XML_PARSE_HUGE).
 * Each <article> (the root, a child of a wrapper such as <pmc-articleset>,
 * or the metadata of an OAI-PMH record) is walked, never expanded whole: its
 * front matter and then each <ref> are expanded alone, mapped, and freed
 * before the next, so the article's XML tree never exists beside its record.
 * The record holds the references as children; when the records go first to
 * a filter that takes children apart (the references filter), each
 * reference goes out as a record of its own instead, after its article
 * (marked CW_CHILDREN_FOLLOW), and memory is bounded by one reference.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include <crosswalk/citation.h>

#include "jats.h"
#include "jats_pool.h"

#define JATS_NS_OAI "http://www.openarchives.org/OAI/2.0/"

/* A set of element ids: which elements a citation holds. */
#define JATS_ELSET_WORDS ((JEL_COUNT_ + 63) / 64)
typedef struct jats_elset {
	uint64_t w[JATS_ELSET_WORDS];
} jats_elset;

static void elset_add(jats_elset *s, enum jats_el el)
{
	if (el > JEL_UNKNOWN && el < JEL_COUNT_)
		s->w[el / 64] |= (uint64_t)1 << (el % 64);
}

static int elset_has(const jats_elset *s, enum jats_el el)
{
	return el > JEL_UNKNOWN && el < JEL_COUNT_ && (s->w[el / 64] >> (el % 64)) & 1;
}

/* a and b share an element */
static int elset_meets(const jats_elset *a, const jats_elset *b)
{
	for (size_t i = 0; i < JATS_ELSET_WORDS; i++)
		if (a->w[i] & b->w[i])
			return 1;
	return 0;
}

/* every element of a is in b */
static int elset_within(const jats_elset *a, const jats_elset *b)
{
	for (size_t i = 0; i < JATS_ELSET_WORDS; i++)
		if (a->w[i] & ~b->w[i])
			return 0;
	return 1;
}

/*
 * The walk through one record: the elements entered below the record
 * element, by depth. Only containers on the way to a <ref> are entered
 * (article, back, sec, ref-list, and an OAI record's metadata); every other
 * subtree is expanded alone (front, ref, an OAI header) or skipped.
 */
enum jats_kind { JK_ARTICLE = 1, JK_OAI_RECORD, JK_OAI_METADATA, JK_BACK, JK_SEC, JK_REF_LIST };
typedef struct jats_frame {
	uint8_t kind;  /* enum jats_kind */
	uint8_t level; /* nesting of sec (1..4) or ref-list (0..16) */
} jats_frame;
#define JATS_WALK_MAX 32
#define JATS_SEC_LEVELS 4
#define JATS_REF_LIST_LEVELS 16

/* One row of the publication-type-inference table, compiled. */
typedef struct jats_infer_rule {
	jats_elset has, any, lacks;
	int needs_any;
	enum cw_item_type type;
} jats_infer_rule;

/* Citations of one article typed by inference, per publication-type word ("" = none). */
#define JATS_INFER_WORDS 8
typedef struct jats_inferred {
	char word[48];
	uint32_t count;
	uint32_t line;
} jats_inferred;

typedef struct jats_reader {
	cw_session *s;
	cw_istream *in;
	xmlTextReaderPtr xr;
	const cw_table *tab; /* formats/jats.yaml with overrides; owned by the session */
	const cw_limits *lim;
	int started; /* the root element was seen */
	int root_is_article;
	int root_is_oai; /* an OAI-PMH response (metadataPrefix=pmc) */
	int oai_seen;    /* OAI-PMH records (deleted ones too) or errors were seen */
	int articles;    /* articles handed out */
	int dead;        /* a fatal XML error was reported */
	int limit_hit;   /* the pre-scan or a cap stopped the input */
	int pending;     /* the reader already stands on the next node */
	int input_done;  /* the read callback has delivered the last byte */
	int eof;
	/* attribute pre-scan over the raw bytes (libxml2 2.9 is quadratic in attributes) */
	cw_tagscan *scan;
	/* the compiled publication-type-inference table */
	jats_infer_rule *rules;
	size_t nrules;
	/* citation-elements: the first row of each element, + 1 (0: none) */
	uint32_t cite_row[JEL_COUNT_];
	/* per record */
	jats_pool pool;
	cw_buf tmp;
	int rec_failed;
	uint32_t aff_seq;
	jats_inferred inferred[JATS_INFER_WORDS];
	size_t ninferred;
	uint32_t inferred_other; /* citations whose word did not fit in inferred[] */
	uint32_t inferred_other_line;
	uint32_t untitled; /* citations whose untagged text became the title */
	uint32_t untitled_line;
	uint32_t nchildren; /* reference records of the article so far */
	int parse;          /* option parse-citations: unstructured citations are parsed */
	/* the record (an <article>, or an OAI-PMH <record>) being walked */
	int walking; /* between a record's start and its end */
	int apart_known;
	int apart;         /* references go out one at a time (CW_FILTER_TAKES_CHILDREN_APART) */
	int into;          /* the walk's next step enters the current element */
	int rec_depth;     /* reader depth of the record element */
	uint32_t rec_line; /* its line */
	long rec_start;    /* input bytes consumed at its start */
	int rec_oai;       /* the record is an OAI-PMH <record> */
	int rec_empty;     /* the record element is empty (<article/>) */
	int front_seen, back_seen, art_seen, header_seen, meta_seen;
	int handed;   /* the article went out (with its first reference) */
	int skip;     /* the rest of the record is skipped */
	int rec_bad;  /* the record failed (reported) */
	int rec_drop; /* an OAI record marked deleted */
	jats_frame stack[JATS_WALK_MAX];
	uint32_t nstack;
	cw_record *art;       /* the article being built, until handed out */
	xmlNodePtr back_copy; /* a <back> met before <front> (invalid; read after it) */
	xmlNodePtr meta_copy; /* an OAI <metadata> met before <header> (likewise) */
	cw_buf lang;          /* the article's xml:lang */
	int has_lang;
	cw_buf oai_id, oai_ds, oai_sets; /* the OAI header: sets NUL-separated */
	int has_oai_id, has_oai_ds;
	cw_record *holder; /* collects one <ref>'s records when they go out apart */
	cw_record **queue; /* records of one <ref> waiting to go out */
	size_t nqueue, iqueue;
	/* what libxml2 said on its generic channel during the last call (an
	 * input encoding it cannot convert): kept for the error, never printed */
	char generic[200];
	size_t generic_len;
} jats_reader;

/* --- diagnostics --- */

/*
 * libxml2 reports some faults (bytes its input encoding cannot convert) on
 * its generic channel, which prints to stderr; the library and plugins
 * never print. While this reader calls libxml2 the channel (per thread)
 * goes into r->generic, and the previous one is put back afterwards.
 */
typedef struct jats_generic_saved {
	xmlGenericErrorFunc fn;
	void *ctx;
} jats_generic_saved;

static void jats_generic(void *ctx, const char *fmt, ...) CW_PRINTF(2, 3);

static void jats_generic(void *ctx, const char *fmt, ...)
{
	jats_reader *r = ctx;
	/* the first message only (one per line); libxml2 repeats itself */
	if (r->generic_len + 1 >= sizeof r->generic || memchr(r->generic, '\n', r->generic_len))
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(r->generic + r->generic_len, sizeof r->generic - r->generic_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->generic_len += (size_t)n < sizeof r->generic - r->generic_len
		                      ? (size_t)n
		                      : sizeof r->generic - r->generic_len - 1;
}

static jats_generic_saved jats_generic_catch(jats_reader *r)
{
	jats_generic_saved sv = {xmlGenericError, xmlGenericErrorContext};
	r->generic_len = 0;
	r->generic[0] = '\0';
	xmlSetGenericErrorFunc(r, jats_generic);
	return sv;
}

static void jats_generic_restore(jats_generic_saved sv)
{
	xmlSetGenericErrorFunc(sv.ctx, sv.fn);
}

static uint32_t jats_line(const xmlNode *n)
{
	long l = n ? xmlGetLineNo((xmlNode *)(uintptr_t)n) : 0;
	return l > 0 ? (uint32_t)l : 0;
}

#if LIBXML_VERSION >= 21200
static void jats_xml_error(void *ud, const xmlError *e)
#else
static void jats_xml_error(void *ud, xmlErrorPtr e)
#endif
{
	jats_reader *r = ud;
	if (!e)
		return;
	char msg[512];
	snprintf(msg, sizeof msg, "%s", e->message ? e->message : "XML error");
	size_t ml = strlen(msg);
	while (ml && (msg[ml - 1] == '\n' || msg[ml - 1] == ' '))
		msg[--ml] = 0;
	uint32_t line = e->line > 0 ? (uint32_t)e->line : 0;
	uint32_t col = e->int2 > 0 ? (uint32_t)e->int2 : 0;
	/*
	 * Namespace faults (an unbound prefix) and warnings leave a usable tree:
	 * a located warning, never the loss of the article.
	 */
	if (e->level == XML_ERR_WARNING || e->domain == XML_FROM_NAMESPACE ||
	    e->code == XML_ERR_UNDECLARED_ENTITY || e->code == XML_WAR_UNDECLARED_ENTITY ||
	    (e->level == XML_ERR_ERROR && e->domain == XML_FROM_DTD)) {
		cw_diag_emit(r->s, CW_SEV_WARNING, CW_OK, line, col, "%s", msg);
		return;
	}
	if (r->dead)
		return; /* report the first fatal error only */
	r->dead = 1;
	int code = CW_EFORMAT;
	if (e->code == XML_ERR_ENTITY_LOOP || e->code == XML_ERR_INTERNAL_ERROR)
		code = CW_ELIMIT;
	/* libxml2's advice to lift its limits is not ours to give */
	char *huge = strstr(msg, " use XML_PARSE_HUGE option");
	if (huge)
		snprintf(huge, sizeof msg - (size_t)(huge - msg), " (a safety limit)");
	/* the streaming parser also says "extra content" for a truncated document */
	if (e->code == XML_ERR_DOCUMENT_END && r->input_done)
		snprintf(msg + strlen(msg), sizeof msg - strlen(msg),
		         " (or the input ends before the root element is closed)");
	cw_diag_emit(r->s, CW_SEV_ERROR, code, line, col, "%s", msg);
}

/* --- input: the read callback with the attribute pre-scan --- */

static int jats_io_read(void *ctx, char *buf, int len)
{
	jats_reader *r = ctx;
	if (r->limit_hit || len <= 0)
		return -1;
	/* peek + consume: the bytes are copied once, straight from the stream's window */
	const char *data = NULL;
	size_t avail = 0;
	int rc = cw_istream_peek(r->in, (size_t)len, &data, &avail);
	if (rc) {
		if (!r->limit_hit) {
			r->limit_hit = 1;
			cw_diag_emit(r->s, CW_SEV_ERROR, rc, cw_tagscan_line(r->scan), 0,
			             "reading the input failed: %s", cw_status_str(rc));
		}
		return -1;
	}
	size_t got = avail < (size_t)len ? avail : (size_t)len;
	if (!got)
		r->input_done = 1;
	memcpy(buf, data, got);
	cw_istream_consume(r->in, got);
	if (!r->limit_hit && cw_tagscan_feed(r->scan, buf, got) != CW_OK) {
		r->limit_hit = 1;
		cw_tagscan_report(r->scan, r->s);
	}
	return r->limit_hit ? -1 : (int)got;
}

static int jats_io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* --- open / close --- */

/* The element ids of a list cell of element names into set. */
static void rule_elements(const cw_table_cell *cell, jats_elset *set)
{
	for (uint32_t i = 0; i < cell->count; i++)
		if (cell->items[i] > JEL_UNKNOWN && cell->items[i] < JEL_COUNT_)
			elset_add(set, (enum jats_el)cell->items[i]);
}

/* Compiles the publication-type-inference rows: element sets instead of names. */
static int compile_rules(jats_reader *r)
{
	size_t n = cw_table_row_count(r->tab, JATS_SEC_TYPE_INFERENCE);
	if (!n)
		return CW_OK;
	r->rules = calloc(n, sizeof *r->rules);
	if (!r->rules)
		return cw_diag_emit(r->s, CW_SEV_ERROR, CW_ENOMEM, 0, 0, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const cw_table_cell *c = cw_table_row_at(r->tab, JATS_SEC_TYPE_INFERENCE, i)->cells;
		jats_infer_rule *ru = &r->rules[r->nrules++];
		memset(ru, 0, sizeof *ru);
		ru->type = (enum cw_item_type)c[JATS_INF_CSL].value;
		ru->needs_any = c[JATS_INF_ANY].count > 0;
		rule_elements(&c[JATS_INF_HAS], &ru->has);
		rule_elements(&c[JATS_INF_ANY], &ru->any);
		rule_elements(&c[JATS_INF_LACKS], &ru->lacks);
	}
	return CW_OK;
}

/*
 * Indexes the citation-elements rows by element. A row whose field cannot
 * take text the way it says (add: item needs a list field) is an error at
 * the row.
 */
static int compile_citation_elements(jats_reader *r)
{
	for (size_t i = cw_table_row_count(r->tab, JATS_SEC_CITATION_ELEMENTS); i-- > 0;) {
		const cw_table_row *row = cw_table_row_at(r->tab, JATS_SEC_CITATION_ELEMENTS, i);
		const cw_table_cell *c = row->cells;
		enum cw_kind k = cw_field_kind((enum cw_field)c[JATS_CE_FIELD].value);
		int list = k == CW_KIND_LIST || k == CW_KIND_RICH_LIST;
		int text = k == CW_KIND_TEXT || k == CW_KIND_RICH || k == CW_KIND_NUMBER;
		if (c[JATS_CE_ADD].value == JATS_ADD_ITEM ? !list : !text)
			return cw_diag_emit(
			    r->s, CW_SEV_ERROR, CW_EFORMAT, 0, 0,
			    "%s:%u: citation-elements: field %s cannot take the text of "
			    "<%s> %s",
			    row->file, row->line, c[JATS_CE_FIELD].text, c[JATS_CE_JATS].text,
			    list ? "but as an item (add: item)" : "as it says (add)");
		if (c[JATS_CE_JATS].value > JEL_UNKNOWN && c[JATS_CE_JATS].value < JEL_COUNT_)
			r->cite_row[c[JATS_CE_JATS].value] =
			    (uint32_t)i + 1; /* the first row wins */
	}
	return CW_OK;
}

static int jats_open(void *state, cw_session *s, cw_istream *in)
{
	jats_reader *r = state;
	r->s = s;
	r->in = in;
	r->lim = cw_session_limits(s);
	r->parse = cw_session_option_bool(s, "parse-citations", 1);
	int rc = cw_tagscan_new(&r->scan, r->lim->max_attributes, 0);
	if (!rc)
		rc = cw_session_table(s, &jats_table_schema, &r->tab);
	if (!rc)
		rc = compile_rules(r);
	if (!rc)
		rc = compile_citation_elements(r);
	if (rc)
		return rc;
	/*
	 * No NOENT (substitution loads external entities), no DTDLOAD/DTDATTR/
	 * DTDVALID, no XINCLUDE, no HUGE (it lifts the depth and amplification
	 * limits), no RECOVER. NONET for older libxml2 and custom loaders.
	 */
	int opts = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
#ifdef XML_PARSE_BIG_LINES
	opts |= XML_PARSE_BIG_LINES;
#endif
#if LIBXML_VERSION >= 21300
	opts |= XML_PARSE_NO_XXE;
#endif
#if LIBXML_VERSION >= 21400
	opts |= XML_PARSE_NO_SYS_CATALOG;
#endif
	jats_generic_saved sv = jats_generic_catch(r);
	r->xr = xmlReaderForIO(jats_io_read, jats_io_close, r, cw_session_file(s), NULL, opts);
	jats_generic_restore(sv);
	if (!r->xr)
		return cw_diag_emit(s, CW_SEV_ERROR, CW_ENOMEM, 0, 0,
		                    "cannot create the XML reader");
	xmlTextReaderSetStructuredErrorHandler(r->xr, jats_xml_error, r);
	return CW_OK;
}

static void jats_record_clear(jats_reader *r);

static void jats_close(void *state, cw_session *s)
{
	(void)s;
	jats_reader *r = state;
	cw_tagscan_free(r->scan);
	r->scan = NULL;
	if (r->xr) {
		jats_generic_saved sv = jats_generic_catch(r);
		xmlFreeTextReader(r->xr);
		jats_generic_restore(sv);
	}
	r->xr = NULL;
	free(r->rules);
	r->rules = NULL;
	r->nrules = 0;
	jats_pool_free(&r->pool);
	cw_buf_free(&r->tmp);
	jats_record_clear(r);
	cw_record_free(r->holder);
	r->holder = NULL;
	cw_buf_free(&r->lang);
	cw_buf_free(&r->oai_id);
	cw_buf_free(&r->oai_ds);
	cw_buf_free(&r->oai_sets);
}

/* --- small DOM helpers --- */

static enum jats_el el_of(const xmlNode *n)
{
	return (n && n->type == XML_ELEMENT_NODE) ? jats_element((const char *)n->name)
	                                          : JEL_UNKNOWN;
}

/* An attribute by local name (any namespace, or an unbound "prefix:name"); borrowed. */
static const char *attr(const xmlNode *n, const char *name)
{
	if (!n || n->type != XML_ELEMENT_NODE)
		return NULL; /* text nodes keep compact content where elements keep attributes */
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		const char *an = (const char *)a->name;
		const char *colon = strchr(an, ':');
		if (colon)
			an = colon + 1;
		if (strcmp(an, name) == 0) {
			const xmlNode *t = a->children;
			if (t && (t->type == XML_TEXT_NODE) && !t->next)
				return (const char *)t->content;
			return t ? "" : NULL;
		}
	}
	return NULL;
}

/* xml:lang (only the xml namespace, or an unbound xml: prefix). */
static const char *attr_lang(const xmlNode *n)
{
	if (!n || n->type != XML_ELEMENT_NODE)
		return NULL;
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		if ((a->ns && a->ns->prefix && strcmp((const char *)a->ns->prefix, "xml") == 0 &&
		     strcmp((const char *)a->name, "lang") == 0) ||
		    strcmp((const char *)a->name, "xml:lang") == 0) {
			const xmlNode *t = a->children;
			return (t && t->type == XML_TEXT_NODE) ? (const char *)t->content : NULL;
		}
	}
	return NULL;
}

static const xmlNode *child(const xmlNode *n, enum jats_el el)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (el_of(c) == el)
			return c;
	return NULL;
}

static int has_element_child(const xmlNode *n)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return 1;
	return 0;
}

/* --- text extraction --- */

enum {
	TX_PLAIN = 1u << 0, /* no rich markers */
	TX_NOISE = 1u << 1, /* drop xref, fn, label and other noise (titles, names) */
	TX_PARAS = 1u << 2  /* p, title and sec make paragraphs separated by newlines */
};

typedef struct jats_text {
	jats_reader *r;
	cw_buf *b;
	unsigned flags;
	int space; /* a space is pending */
	int failed;
} jats_text;

static int tx_is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Appends text with white space collapsed; runs are appended whole. */
static void tx_put(jats_text *t, const char *s, size_t n)
{
	if (t->failed)
		return;
	size_t i = 0;
	while (i < n) {
		if (tx_is_space((unsigned char)s[i])) {
			t->space = 1;
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < n && !tx_is_space((unsigned char)s[j]))
			j++;
		if (t->space) {
			if (t->b->len && t->b->data[t->b->len - 1] != '\n')
				cw_buf_putc(t->b, ' ');
			t->space = 0;
		}
		cw_buf_append(t->b, s + i, j - i);
		i = j;
	}
	if (t->b->len > t->r->lim->max_field_bytes)
		t->failed = 1;
}

static void tx_para(jats_text *t)
{
	t->space = 0;
	if (t->b->len && t->b->data[t->b->len - 1] != '\n')
		cw_buf_putc(t->b, '\n');
}

static void tx_walk(jats_text *t, const xmlNode *first, uint32_t depth, int single);
#define tx_nodes(t, first, depth) tx_walk((t), (first), (depth), 0)
#define tx_one(t, node, depth) tx_walk((t), (node), (depth), 1)
static void tx_unknown(jats_text *t, const xmlNode *n, uint32_t depth);

static void tx_styled(jats_text *t, const xmlNode *n, enum cw_style st, uint32_t depth)
{
	if (t->flags & TX_PLAIN) {
		tx_nodes(t, n->children, depth + 1);
		return;
	}
	/* a pending space goes before the marker */
	if (t->space && t->b->len && t->b->data[t->b->len - 1] != '\n') {
		cw_buf_putc(t->b, ' ');
		t->space = 0;
	}
	cw_rich_open(t->b, st);
	tx_nodes(t, n->children, depth + 1);
	cw_rich_close(t->b, st);
}

static void tx_walk(jats_text *t, const xmlNode *first, uint32_t depth, int single)
{
	if (depth > t->r->lim->max_depth) {
		t->failed = 2;
		return;
	}
	for (const xmlNode *n = first; n && !t->failed; n = single ? NULL : n->next) {
		switch (n->type) {
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (n->content)
				tx_put(t, (const char *)n->content,
				       strlen((const char *)n->content));
			continue;
		case XML_ENTITY_REF_NODE: {
			const char *u = jats_named_entity((const char *)n->name);
			if (u)
				tx_put(t, u, strlen(u));
			else
				cw_diag_emit(
				    t->r->s, CW_SEV_WARNING, CW_OK, jats_line(n), 0,
				    "entity &%s; is not expanded (entities are never loaded)",
				    (const char *)n->name);
			continue;
		}
		case XML_ELEMENT_NODE:
			break;
		default:
			continue;
		}
		int is_mathml =
		    n->ns && n->ns->href &&
		    strcmp((const char *)n->ns->href, "http://www.w3.org/1998/Math/MathML") == 0;
		enum jats_el el = el_of(n);
		if (is_mathml && el != JEL_MATH) {
			/* MathML: its text leaves in order is its best plain form */
			tx_nodes(t, n->children, depth + 1);
			continue;
		}
		switch (el) {
		case JEL_ITALIC:
			tx_styled(t, n, CW_STYLE_ITALIC, depth);
			break;
		case JEL_BOLD:
			tx_styled(t, n, CW_STYLE_BOLD, depth);
			break;
		case JEL_SUP:
			tx_styled(t, n, CW_STYLE_SUP, depth);
			break;
		case JEL_SUB:
			tx_styled(t, n, CW_STYLE_SUB, depth);
			break;
		case JEL_SC:
			tx_styled(t, n, CW_STYLE_SMALLCAPS, depth);
			break;
		case JEL_MONOSPACE:
			tx_styled(t, n, CW_STYLE_MONO, depth);
			break;
		case JEL_BREAK:
			t->space = 1;
			break;
		case JEL_UNKNOWN:
			if (!n->name || strcmp((const char *)n->name, "taxon-name") != 0) {
				tx_unknown(t, n, depth);
				break;
			}
			/* TaxPub's <tp:taxon-name-part>s are words, like a name's parts */
			__attribute__((fallthrough));
		case JEL_NAME:
		case JEL_STRING_NAME:
		case JEL_PERSON_GROUP:
			/* "<surname>Qiu</surname><given-names>Z</given-names>" reads "Qiu Z" */
			for (const xmlNode *c = n->children, *prev = NULL; c && !t->failed;
			     c = c->next) {
				if (c->type == XML_ELEMENT_NODE && prev &&
				    prev->type == XML_ELEMENT_NODE)
					t->space = 1;
				tx_one(t, c, depth + 1);
				prev = c;
			}
			break;
		case JEL_XREF:
		case JEL_FN:
		case JEL_LABEL:
		case JEL_TARGET:
		case JEL_INSTITUTION_ID:
			if (!(t->flags & TX_NOISE))
				tx_nodes(t, n->children, depth + 1);
			break;
		case JEL_INLINE_FORMULA:
		case JEL_MATH: {
			/* prefer the MathML text over a TeX alternative */
			const xmlNode *m = NULL;
			for (const xmlNode *c = n->children; c; c = c->next)
				if (el_of(c) == JEL_MATH)
					m = c;
			if (el == JEL_INLINE_FORMULA && m)
				tx_nodes(t, m->children, depth + 1);
			else if (el == JEL_INLINE_FORMULA) {
				/* alternatives: first child that is not tex-math, else all */
				const xmlNode *pick = NULL;
				for (const xmlNode *c = n->children; c; c = c->next) {
					if (c->type == XML_ELEMENT_NODE &&
					    el_of(c) != JEL_TEX_MATH) {
						pick = c;
						break;
					}
				}
				if (pick)
					tx_nodes(t, pick, depth + 1);
				else
					tx_nodes(t, n->children, depth + 1);
			} else
				tx_nodes(t, n->children, depth + 1);
			break;
		}
		case JEL_P:
		case JEL_TITLE:
		case JEL_SEC:
			if (t->flags & TX_PARAS) {
				tx_para(t);
				if (el == JEL_TITLE && !(t->flags & TX_PLAIN)) {
					size_t before = t->b->len;
					tx_styled(t, n, CW_STYLE_BOLD, depth);
					if (t->b->len == before + 2) { /* an empty <title/> */
						t->b->len = before;
						t->b->data[before] = 0;
					}
				} else {
					tx_nodes(t, n->children, depth + 1);
				}
				tx_para(t);
			} else {
				t->space = 1;
				tx_nodes(t, n->children, depth + 1);
				t->space = 1;
			}
			break;
		default:
			tx_nodes(t, n->children, depth + 1);
			break;
		}
	}
}

/* Elements the reader has no rule for: their text, except <alternatives>. */
static void tx_unknown(jats_text *t, const xmlNode *n, uint32_t depth)
{
	if (n->name && strcmp((const char *)n->name, "alternatives") == 0) {
		/* <alternatives>: the first one only */
		for (const xmlNode *c = n->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE) {
				tx_nodes(t, c, depth + 1);
				break;
			}
		return;
	}
	tx_nodes(t, n->children, depth + 1);
}

/*
 * What a record setter (or anything the record's reading needs memory for)
 * returned: a failure ends the record as an error, reported once, instead
 * of a record without the value. CW_OK and CW_REPLACED pass. Returns rc.
 */
static int jats_kept(jats_reader *r, int rc)
{
	if (rc < 0) {
		if (!r->rec_failed)
			cw_diag_emit(r->s, CW_SEV_ERROR, rc, r->rec_line, 0,
			             "the record could not be stored: %s", cw_status_str(rc));
		r->rec_failed = 1;
	}
	return rc;
}

/* The pool's strings are no longer needed: a copy that failed fails the record. */
static void pool_done(jats_reader *r)
{
	jats_kept(r, r->pool.failed ? CW_ENOMEM : CW_OK);
	jats_pool_reset(&r->pool);
}

/*
 * The text of n's content into r->tmp (cleared first). Returns the string
 * (borrowed, valid until the next call) or NULL when empty; on a limit the
 * record is marked failed and NULL is returned.
 */
static const char *text_of(jats_reader *r, const xmlNode *n, unsigned flags)
{
	cw_buf_clear(&r->tmp);
	if (!n)
		return NULL;
	jats_text t = {r, &r->tmp, flags, 0, 0};
	tx_nodes(&t, n->children, 0);
	if (jats_kept(r, cw_buf_error(&r->tmp)) < 0)
		return NULL;
	if (t.failed) {
		if (!r->rec_failed)
			cw_diag_emit(r->s, CW_SEV_ERROR, CW_ELIMIT, jats_line(n), 0,
			             t.failed == 2 ? "<%s> is nested deeper than %u levels"
			                           : "<%s> holds more than %u bytes of text",
			             (const char *)n->name,
			             t.failed == 2 ? r->lim->max_depth
			                           : (unsigned)r->lim->max_field_bytes);
		r->rec_failed = 1;
		return NULL;
	}
	/* trim */
	size_t len = r->tmp.len;
	while (len && (r->tmp.data[len - 1] == ' ' || r->tmp.data[len - 1] == '\n'))
		len--;
	if (!len)
		return NULL;
	r->tmp.data[len] = 0;
	r->tmp.len = len;
	return r->tmp.data;
}

/* The text, copied into the record pool (valid until the record is done). */
static const char *ptext(jats_reader *r, const xmlNode *n, unsigned flags)
{
	const char *s = text_of(r, n, flags);
	return s ? jats_pool_dup(&r->pool, s, CW_NUL) : NULL;
}

/*
 * The setters below return the record setter's status, a failure reported
 * (jats_kept); nothing to set is CW_OK.
 */
static int set_text(jats_reader *r, cw_record *rec, enum cw_field f, const xmlNode *n,
                    unsigned flags)
{
	enum cw_kind k = cw_field_kind(f);
	if (k != CW_KIND_RICH)
		flags |= TX_PLAIN;
	const char *s = text_of(r, n, flags);
	return s ? jats_kept(r, cw_record_set_text(rec, f, s, CW_NUL)) : CW_OK;
}

static int set_text_once(jats_reader *r, cw_record *rec, enum cw_field f, const xmlNode *n,
                         unsigned flags)
{
	return cw_record_has(rec, f) ? CW_OK : set_text(r, rec, f, n, flags);
}

static int add_item(jats_reader *r, cw_record *rec, enum cw_field f, const xmlNode *n,
                    unsigned flags, const char *lang, const char *type, const char *scheme)
{
	if (cw_field_kind(f) != CW_KIND_RICH_LIST)
		flags |= TX_PLAIN;
	const char *s = text_of(r, n, flags);
	if (!s)
		return CW_OK;
	cw_item it = CW_ITEM_INIT;
	it.value = s;
	it.lang = lang;
	it.type = type;
	it.scheme = scheme;
	return jats_kept(r, cw_record_add_item(rec, f, &it));
}

static int add_item_str(jats_reader *r, cw_record *rec, enum cw_field f, const char *value,
                        const char *lang, const char *type, const char *scheme)
{
	if (!value || !*value)
		return CW_OK;
	cw_item it = CW_ITEM_INIT;
	it.value = value;
	it.lang = lang;
	it.type = type;
	it.scheme = scheme;
	return jats_kept(r, cw_record_add_item(rec, f, &it));
}

/* --- dates --- */

/* Parses a year, keeping a letter suffix ("2004a") apart. */
static int parse_year(const char *s, int32_t *year, const char **suffix)
{
	if (!s)
		return 0;
	while (*s == ' ')
		s++;
	int32_t v = 0;
	int digits = 0;
	const char *p = s;
	while (*p >= '0' && *p <= '9') {
		if (++digits > 4)
			return 0;
		v = v * 10 + (*p - '0');
		p++;
	}
	if (digits != 4 && digits != 3)
		return 0;
	if (*p && suffix) {
		const char *q = p;
		while ((*q >= 'a' && *q <= 'z') && q - p < 3)
			q++;
		if (*q)
			return 0;
		*suffix = p;
	} else if (*p) {
		return 0;
	}
	*year = v;
	return 1;
}

static int parse_small(const char *s, int max)
{
	if (!s)
		return 0;
	int v = 0, d = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || ++d > 3)
			return 0;
		v = v * 10 + (*s - '0');
	}
	return (v >= 1 && v <= max) ? v : 0;
}

/*
 * A date from an element holding day/month/season/year/string-date (or an
 * iso-8601-date attribute). Returns 1 when d was filled. Strings in d point
 * into the pool.
 */
static int read_date(jats_reader *r, const xmlNode *n, cw_date *d, const char **suffix)
{
	*d = (cw_date)CW_DATE_INIT;
	const char *ys = NULL, *ms = NULL, *ds = NULL, *ss = NULL, *lit = NULL;
	for (const xmlNode *c = n->children; c; c = c->next) {
		switch (el_of(c)) {
		case JEL_YEAR:
			if (!ys)
				ys = ptext(r, c, TX_PLAIN);
			break;
		case JEL_MONTH:
			if (!ms)
				ms = ptext(r, c, TX_PLAIN);
			break;
		case JEL_DAY:
			if (!ds)
				ds = ptext(r, c, TX_PLAIN);
			break;
		case JEL_SEASON:
			if (!ss)
				ss = ptext(r, c, TX_PLAIN);
			break;
		case JEL_STRING_DATE:
			if (!lit)
				lit = ptext(r, c, TX_PLAIN);
			break;
		default:
			break;
		}
	}
	if (!ys) {
		const char *iso = attr(n, "iso-8601-date");
		if (iso && cw_date_parse_iso(d, iso, CW_NUL) == CW_OK)
			return 1;
		if (lit) {
			d->literal = lit;
			return 1;
		}
		/* a date given as bare text (<date-in-citation>2019-01-02</...>) */
		const char *t = ptext(r, n, TX_PLAIN);
		if (t && cw_date_parse_iso(d, t, CW_NUL) == CW_OK)
			return 1;
		if (t) {
			d->literal = t;
			return 1;
		}
		return 0;
	}
	if (!parse_year(ys, &d->year, suffix)) {
		/* "n.d.", "in press": kept as the date's text */
		d->literal = lit ? lit : ys;
		return 1;
	}
	d->parts = 1;
	if (ms) {
		int m = jats_month(ms);
		if (m) {
			d->month = m;
			d->parts = 2;
			if (ds) {
				int dd = parse_small(ds, 31);
				cw_buf why = CW_BUF_INIT;
				if (dd) {
					d->day = dd;
					d->parts = 3;
					if (cw_date_check(d, &why) != CW_OK) {
						/* <day>30</day><month>2</month> */
						cw_diag_emit(
						    r->s, CW_SEV_WARNING, CW_OK, jats_line(n), 0,
						    "<%s>: day '%s' dropped: %s",
						    (const char *)n->name, ds, cw_buf_str(&why));
						d->day = 0;
						d->parts = 2;
					}
				} else {
					cw_diag_emit(r->s, CW_SEV_WARNING, CW_OK, jats_line(n), 0,
					             "<%s>: day '%s' dropped",
					             (const char *)n->name, ds);
				}
				cw_buf_free(&why);
			}
		} else {
			cw_diag_emit(r->s, CW_SEV_WARNING, CW_OK, jats_line(n), 0,
			             "<%s>: month '%s' dropped", (const char *)n->name, ms);
		}
	} else if (ss) {
		d->season = ss;
	}
	if (lit && !ss && d->parts == 1)
		d->literal = NULL; /* string-date beside parts: the parts win */
	return 1;
}

/* --- names --- */

/*
 * PubMed-style initials: <given-names>JP</given-names> beside a surname in
 * mixed case is J. P. (CSL processors and BibTeX styles read "JP" as one
 * name and print "J."). Two or three capitals, no more: "JEAN" or "ALI"
 * beside a mixed-case surname are names, not initials.
 */
static const char *spaced_initials(jats_reader *r, const char *family, const char *given)
{
	size_t n = given ? strlen(given) : 0;
	if (n < 2 || n > 3 || !family)
		return given;
	for (size_t i = 0; i < n; i++)
		if (given[i] < 'A' || given[i] > 'Z')
			return given;
	int mixed = 0;
	for (const char *p = family; *p && !mixed; p++)
		mixed = *p >= 'a' && *p <= 'z';
	if (!mixed)
		return given;
	char buf[12];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf[k++] = ' ';
		buf[k++] = given[i];
		buf[k++] = '.';
	}
	char *out = jats_pool_dup(&r->pool, buf, k);
	return out ? out : given;
}

static int read_person(jats_reader *r, const xmlNode *n, cw_name *nm)
{
	enum jats_el el = el_of(n);
	if (el == JEL_NAME_ALTERNATIVES) {
		/* prefer a name without xml:lang, else the first */
		const xmlNode *pick = NULL;
		for (const xmlNode *c = n->children; c; c = c->next) {
			enum jats_el ce = el_of(c);
			if (ce != JEL_NAME && ce != JEL_STRING_NAME)
				continue;
			if (!pick || (attr_lang(pick) && !attr_lang(c)))
				pick = c;
		}
		return pick ? read_person(r, pick, nm) : 0;
	}
	if (el == JEL_COLLAB || el == JEL_COLLAB_ALTERNATIVES || el == JEL_ANONYMOUS) {
		const xmlNode *src = n;
		if (el == JEL_COLLAB_ALTERNATIVES) {
			src = child(n, JEL_COLLAB);
			if (!src)
				return 0;
		}
		/* a collab may hold its members in a nested contrib-group: leave them out */
		cw_buf_clear(&r->tmp);
		jats_text t = {r, &r->tmp, TX_PLAIN | TX_NOISE, 0, 0};
		for (const xmlNode *c = src->children; c; c = c->next) {
			enum jats_el ce = el_of(c);
			if (ce == JEL_CONTRIB_GROUP || ce == JEL_CONTRIB || ce == JEL_XREF ||
			    ce == JEL_FN)
				continue;
			if (c->type == XML_TEXT_NODE || c->type == XML_ELEMENT_NODE ||
			    c->type == XML_CDATA_SECTION_NODE || c->type == XML_ENTITY_REF_NODE) {
				tx_one(&t, c, 1);
			}
		}
		size_t len = r->tmp.len;
		while (len && r->tmp.data[len - 1] == ' ')
			len--;
		if (!len)
			return el == JEL_ANONYMOUS ? (nm->literal = "Anonymous", 1) : 0;
		r->tmp.data[len] = 0;
		nm->literal = jats_pool_dup(&r->pool, r->tmp.data, len);
		return 1;
	}
	if (el != JEL_NAME && el != JEL_STRING_NAME)
		return 0;
	int parts = 0;
	for (const xmlNode *c = n->children; c; c = c->next) {
		switch (el_of(c)) {
		case JEL_SURNAME:
			nm->family = ptext(r, c, TX_PLAIN | TX_NOISE);
			parts++;
			break;
		case JEL_GIVEN_NAMES:
			nm->given = ptext(r, c, TX_PLAIN | TX_NOISE);
			parts++;
			break;
		case JEL_SUFFIX:
			nm->suffix = ptext(r, c, TX_PLAIN | TX_NOISE);
			break;
		default:
			break;
		}
	}
	if (el == JEL_STRING_NAME && !parts) {
		nm->literal = ptext(r, n, TX_PLAIN | TX_NOISE);
		return nm->literal != NULL;
	}
	if (!nm->family && !nm->given)
		return 0;
	const char *style = attr(n, "name-style");
	if (style && (strcmp(style, "eastern") == 0 || strcmp(style, "given-only") == 0))
		nm->flags |= CW_NAME_STATIC_ORDERING;
	else
		nm->given = spaced_initials(r, nm->family, nm->given);
	return 1;
}

static enum cw_field role_field(jats_reader *r, const char *type, enum cw_field dflt)
{
	if (!type || !*type)
		return dflt;
	const cw_table_cell *fc = jats_table_find(r->tab, JATS_SEC_ROLES, JATS_MAP_JATS, type,
	                                          JATS_MAP_FIELD, JATS_READ, 0);
	enum cw_field f = fc ? (enum cw_field)fc->value : CW_FIELD_NONE;
	return (f != CW_FIELD_NONE && cw_field_kind(f) == CW_KIND_NAMES) ? f : CW_FIELD_CONTRIBUTOR;
}

static int add_name(jats_reader *r, cw_record *rec, enum cw_field f, const cw_name *nm,
                    const xmlNode *at)
{
	if (cw_record_name_count(rec, f) >= r->lim->max_names) {
		if (!r->rec_failed)
			cw_diag_emit(r->s, CW_SEV_ERROR, CW_ELIMIT, jats_line(at), 0,
			             "more than %u names in one list", r->lim->max_names);
		r->rec_failed = 1;
		return CW_ELIMIT;
	}
	return jats_kept(r, cw_record_add_name(rec, f, nm));
}

/* A name element (name, string-name, collab, name-alternatives) added to f. */
static int add_name_element(jats_reader *r, cw_record *rec, enum cw_field f, const xmlNode *n)
{
	cw_name nm = CW_NAME_INIT;
	return read_person(r, n, &nm) ? add_name(r, rec, f, &nm, n) : CW_OK;
}

/* --- affiliations --- */

static const char *normalize_orcid(jats_reader *r, const char *s)
{
	if (!s)
		return NULL;
	const char *p = strstr(s, "orcid.org/");
	p = p ? p + 10 : s;
	cw_buf_clear(&r->tmp);
	cw_buf_append(&r->tmp, "https://orcid.org/", CW_NUL);
	for (; *p; p++)
		if (*p != ' ')
			cw_buf_putc(&r->tmp, *p);
	return jats_pool_dup(&r->pool, r->tmp.data, r->tmp.len);
}

static void read_aff(jats_reader *r, cw_record *rec, const xmlNode *n, const char *id)
{
	if (el_of(n) == JEL_AFF_ALTERNATIVES) {
		const xmlNode *a = child(n, JEL_AFF);
		if (a)
			read_aff(r, rec, a, id ? id : attr(n, "id"));
		return;
	}
	cw_affiliation a = CW_AFFILIATION_INIT;
	a.id = id ? id : attr(n, "id");
	if (!a.id) {
		char gen[32];
		snprintf(gen, sizeof gen, "aff-%u", ++r->aff_seq);
		a.id = jats_pool_dup(&r->pool, gen, CW_NUL);
	}
	/* the whole affiliation without its label */
	cw_buf_clear(&r->tmp);
	jats_text t = {r, &r->tmp, TX_PLAIN | TX_NOISE, 0, 0};
	tx_nodes(&t, n->children, 0);
	if (t.failed || jats_kept(r, cw_buf_error(&r->tmp)) < 0) {
		r->rec_failed = 1;
		return;
	}
	size_t len = r->tmp.len;
	const char *whole = r->tmp.data;
	while (len && (whole[len - 1] == ' ' || whole[len - 1] == ','))
		len--;
	size_t skip = 0;
	while (skip < len && (whole[skip] == ' ' || whole[skip] == ','))
		skip++;
	a.text = len > skip ? jats_pool_dup(&r->pool, whole + skip, len - skip) : NULL;

	const xmlNode *stack[8];
	int sp = 0;
	stack[sp++] = n;
	while (sp) {
		const xmlNode *p = stack[--sp];
		for (const xmlNode *c = p->children; c; c = c->next) {
			enum jats_el ce = el_of(c);
			switch (ce) {
			case JEL_INSTITUTION: {
				const char *ct = attr(c, "content-type");
				const char *v = ptext(r, c, TX_PLAIN | TX_NOISE);
				if (ct && strcmp(ct, "original") == 0) {
					/* the verbatim line: see below */
				} else if (ct && (strncmp(ct, "dept", 4) == 0 ||
				                  strcmp(ct, "division") == 0 ||
				                  strcmp(ct, "orgdiv1") == 0)) {
					if (!a.department)
						a.department = v;
				} else if (!a.institution) {
					a.institution = v;
				}
				break;
			}
			case JEL_INSTITUTION_ID: {
				const char *ty = attr(c, "institution-id-type");
				const char *v = ptext(r, c, TX_PLAIN);
				if (ty && strcmp(ty, "ror") == 0 && !a.ror)
					a.ror = v;
				else if (v && (strstr(v, "ror.org/")) && !a.ror)
					a.ror = v;
				else if (!a.other_id) {
					a.other_id = v;
					a.other_id_type = ty;
				}
				break;
			}
			case JEL_INSTITUTION_WRAP:
				if (sp < 8)
					stack[sp++] = c;
				break;
			case JEL_ADDR_LINE: {
				/* eLife/SciELO: <addr-line><named-content content-type="city">...
				 */
				const xmlNode *parts[8];
				size_t np = 0;
				for (const xmlNode *nc = c->children; nc && np < 8; nc = nc->next)
					if (nc->type == XML_ELEMENT_NODE &&
					    attr(nc, "content-type") &&
					    strcmp((const char *)nc->name, "named-content") == 0)
						parts[np++] = nc;
				if (!np)
					parts[np++] = c;
				for (size_t k = 0; k < np; k++) {
					const char *ct = attr(parts[k], "content-type");
					if (ct && (strcmp(ct, "verbatim") == 0 ||
					           strcmp(ct, "original") == 0))
						continue; /* the whole line: see below */
					const char *v = ptext(r, parts[k], TX_PLAIN | TX_NOISE);
					if (ct && strcmp(ct, "city") == 0 && !a.city)
						a.city = v;
					else if (ct && (strncmp(ct, "state", 5) == 0 ||
					                strcmp(ct, "region") == 0 ||
					                strcmp(ct, "province") == 0))
						a.region = v; /* ACS: "state-csu" */
					else if (ct && (strcmp(ct, "postcode") == 0 ||
					                strcmp(ct, "postal-code") == 0 ||
					                strcmp(ct, "zipcode") == 0))
						a.postal_code = v;
					else if (!a.address)
						a.address = v;
				}
				break;
			}
			case JEL_CITY:
				a.city = ptext(r, c, TX_PLAIN | TX_NOISE);
				break;
			case JEL_STATE:
				a.region = ptext(r, c, TX_PLAIN | TX_NOISE);
				break;
			case JEL_POSTAL_CODE:
				a.postal_code = ptext(r, c, TX_PLAIN | TX_NOISE);
				break;
			case JEL_COUNTRY: {
				a.country = ptext(r, c, TX_PLAIN | TX_NOISE);
				const char *cc = attr(c, "country");
				if (cc && strlen(cc) == 2)
					a.country_code = cc;
				break;
			}
			default:
				break;
			}
		}
	}
	/*
	 * SciELO keeps the verbatim line in <institution content-type="original">,
	 * Pensoft in an untyped <addr-line> beside the tagged parts: that line is
	 * the affiliation's text when it contains the institution.
	 */
	for (const xmlNode *c = n->children; c; c = c->next) {
		enum jats_el ce = el_of(c);
		const char *ct = attr(c, "content-type");
		int original = (ce == JEL_INSTITUTION && ct && strcmp(ct, "original") == 0) ||
		               (ce == JEL_ADDR_LINE && ct && strcmp(ct, "verbatim") == 0) ||
		               (ce == JEL_ADDR_LINE && !ct && !has_element_child(c));
		if (!original)
			continue;
		const char *line = ptext(r, c, TX_PLAIN | TX_NOISE);
		if (!line || (a.institution && !strstr(line, a.institution)) ||
		    (ce == JEL_ADDR_LINE && !a.institution))
			continue;
		a.text = line;
		/* the verbatim line wins: tagged parts it does not contain are dropped */
		const char **fields[] = {&a.institution, &a.department,  &a.address, &a.city,
		                         &a.region,      &a.postal_code, &a.country};
		for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
			if (*fields[k] &&
			    (strcmp(*fields[k], line) == 0 || !strstr(line, *fields[k])))
				*fields[k] = NULL;
		if (!a.country)
			a.country_code = NULL;
		break;
	}
	if (!a.text && !a.institution && !a.country)
		return;
	if (cw_record_affiliation_by_id(rec, a.id))
		return; /* duplicate id: first wins */
	jats_kept(r, cw_record_add_affiliation(rec, &a));
}

/* --- contributors --- */

typedef struct contrib_ctx {
	const char *group_affs[16]; /* ids of affs given in the contrib-group without xrefs */
	size_t ngroup_affs;
} contrib_ctx;

static void read_contrib(jats_reader *r, cw_record *rec, const xmlNode *n, const contrib_ctx *g)
{
	cw_name nm = CW_NAME_INIT;
	const char *affs[64];
	size_t naffs = 0;
	cw_buf roles = CW_BUF_INIT;
	const xmlNode *namenode = NULL;
	for (const xmlNode *c = n->children; c; c = c->next) {
		enum jats_el ce = el_of(c);
		switch (ce) {
		case JEL_NAME:
		case JEL_STRING_NAME:
		case JEL_NAME_ALTERNATIVES:
		case JEL_COLLAB:
		case JEL_COLLAB_ALTERNATIVES:
		case JEL_ANONYMOUS:
			if (!namenode) {
				namenode = c;
				read_person(r, c, &nm);
			}
			break;
		case JEL_CONTRIB_ID: {
			const char *ty = attr(c, "contrib-id-type");
			const char *v = ptext(r, c, TX_PLAIN);
			if (v && ((ty && strcmp(ty, "orcid") == 0) || strstr(v, "orcid.org/")))
				nm.orcid = normalize_orcid(r, v);
			break;
		}
		case JEL_EMAIL:
			if (!nm.email)
				nm.email = ptext(r, c, TX_PLAIN);
			break;
		case JEL_DEGREES:
			if (!nm.degrees)
				nm.degrees = ptext(r, c, TX_PLAIN | TX_NOISE);
			break;
		case JEL_ROLE: {
			const char *v = text_of(r, c, TX_PLAIN | TX_NOISE);
			if (v) {
				if (roles.len)
					cw_buf_append(&roles, "; ", 2);
				cw_buf_append(&roles, v, CW_NUL);
			}
			break;
		}
		case JEL_XREF: {
			const char *rt = attr(c, "ref-type");
			const char *rid = attr(c, "rid");
			if (rt && strcmp(rt, "corresp") == 0)
				nm.flags |= CW_NAME_CORRESPONDING;
			if (rt && strcmp(rt, "aff") == 0 && rid) {
				/* rid is a list of ids */
				const char *p = rid;
				while (*p && naffs < 64) {
					while (*p == ' ')
						p++;
					const char *e = p;
					while (*e && *e != ' ')
						e++;
					if (e > p) {
						const char *id =
						    jats_pool_dup(&r->pool, p, (size_t)(e - p));
						if (id && cw_record_affiliation_by_id(rec, id))
							affs[naffs++] = id;
					}
					p = e;
				}
			}
			break;
		}
		case JEL_AFF:
		case JEL_AFF_ALTERNATIVES: {
			/* an affiliation inside the contrib: give it an id and link it */
			const char *id = attr(c, "id");
			if (!id) {
				char gen[32];
				snprintf(gen, sizeof gen, "aff-%u", ++r->aff_seq);
				id = jats_pool_dup(&r->pool, gen, CW_NUL);
			}
			read_aff(r, rec, c, id);
			if (naffs < 64)
				affs[naffs++] = id;
			break;
		}
		default:
			break;
		}
	}
	const char *corresp = attr(n, "corresp");
	if (corresp && strcmp(corresp, "yes") == 0)
		nm.flags |= CW_NAME_CORRESPONDING;
	const char *eq = attr(n, "equal-contrib");
	if (eq && strcmp(eq, "yes") == 0)
		nm.flags |= CW_NAME_EQUAL_CONTRIB;
	if (!naffs)
		for (size_t i = 0; i < g->ngroup_affs && naffs < 64; i++)
			affs[naffs++] = g->group_affs[i];
	nm.affiliation_ids = affs;
	nm.affiliation_count = naffs;
	if (roles.len)
		nm.role = jats_pool_dup(&r->pool, roles.data, roles.len);
	cw_buf_free(&roles);
	if (!nm.family && !nm.given && !nm.literal)
		return;
	enum cw_field f = role_field(r, attr(n, "contrib-type"), CW_FIELD_AUTHOR);
	add_name(r, rec, f, &nm, n);
}

static void read_contrib_group(jats_reader *r, cw_record *rec, const xmlNode *n)
{
	contrib_ctx g = {{0}, 0};
	/* affiliations of the group: the ones without an id apply to every contrib */
	for (const xmlNode *c = n->children; c; c = c->next) {
		enum jats_el ce = el_of(c);
		if (ce == JEL_AFF || ce == JEL_AFF_ALTERNATIVES) {
			const char *id = attr(c, "id");
			if (!id) {
				char gen[32];
				snprintf(gen, sizeof gen, "aff-%u", ++r->aff_seq);
				id = jats_pool_dup(&r->pool, gen, CW_NUL);
				if (g.ngroup_affs < 16)
					g.group_affs[g.ngroup_affs++] = id;
			}
			read_aff(r, rec, c, id);
		}
	}
	for (const xmlNode *c = n->children; c; c = c->next)
		if (el_of(c) == JEL_CONTRIB)
			read_contrib(r, rec, c, &g);
}

/* --- identifiers --- */

static void read_id(jats_reader *r, cw_record *rec, const char *type, const xmlNode *n,
                    enum cw_field others)
{
	const char *v = text_of(r, n, TX_PLAIN);
	if (!v)
		return;
	const cw_table_cell *fc = type ? cw_table_lookup(r->tab, JATS_SEC_IDS, JATS_MAP_JATS, type,
	                                                 CW_NUL, JATS_MAP_FIELD)
	                               : NULL;
	enum cw_field f = fc ? (enum cw_field)fc->value : CW_FIELD_NONE;
	if (f == CW_FIELD_NONE || cw_field_kind(f) != CW_KIND_TEXT) {
		add_item_str(r, rec, others, v, NULL, type ? type : "other", NULL);
		return;
	}
	if (cw_record_has(rec, f))
		return;
	if (f == CW_FIELD_DOI) {
		/* bare form */
		const char *p = strstr(v, "doi.org/");
		if (p)
			v = p + 8;
		else if (strncmp(v, "doi:", 4) == 0)
			v = v + 4;
	}
	if (f == CW_FIELD_PMCID && v[0] >= '0' && v[0] <= '9') {
		char buf[64];
		snprintf(buf, sizeof buf, "PMC%s", v);
		jats_kept(r, cw_record_set_text(rec, f, buf, CW_NUL));
		return;
	}
	jats_kept(r, cw_record_set_text(rec, f, v, CW_NUL));
}

/* --- journal-meta --- */

static void read_journal_meta(jats_reader *r, cw_record *rec, const xmlNode *jm, uint32_t depth)
{
	if (depth > 4)
		return;
	for (const xmlNode *c = jm->children; c; c = c->next) {
		switch (el_of(c)) {
		case JEL_JOURNAL_ID:
			add_item(r, rec, CW_FIELD_CONTAINER_IDENTIFIERS, c, TX_PLAIN, NULL,
			         attr(c, "journal-id-type"), NULL);
			break;
		case JEL_JOURNAL_TITLE_GROUP:
			read_journal_meta(r, rec, c, depth + 1);
			break;
		case JEL_JOURNAL_TITLE:
			if (!cw_record_has(rec, CW_FIELD_CONTAINER_TITLE))
				set_text(r, rec, CW_FIELD_CONTAINER_TITLE, c, TX_NOISE);
			else
				add_item(r, rec, CW_FIELD_CONTAINER_ALTERNATIVE_TITLES, c, TX_NOISE,
				         attr_lang(c), "journal-title", NULL);
			break;
		case JEL_JOURNAL_SUBTITLE:
			if (!cw_record_has(rec, CW_FIELD_CONTAINER_SUBTITLE))
				set_text(r, rec, CW_FIELD_CONTAINER_SUBTITLE, c, TX_NOISE);
			else
				add_item(r, rec, CW_FIELD_CONTAINER_ALTERNATIVE_TITLES, c, TX_NOISE,
				         attr_lang(c), "journal-subtitle", NULL);
			break;
		case JEL_TRANS_TITLE_GROUP:
			for (const xmlNode *t = c->children; t; t = t->next)
				if (el_of(t) == JEL_TRANS_TITLE)
					add_item(r, rec, CW_FIELD_CONTAINER_ALTERNATIVE_TITLES, t,
					         TX_NOISE,
					         attr_lang(t) ? attr_lang(t) : attr_lang(c),
					         "trans-title", NULL);
			break;
		case JEL_ABBREV_JOURNAL_TITLE:
			if (!cw_record_has(rec, CW_FIELD_CONTAINER_TITLE_SHORT))
				set_text(r, rec, CW_FIELD_CONTAINER_TITLE_SHORT, c, TX_NOISE);
			else
				add_item(r, rec, CW_FIELD_CONTAINER_ALTERNATIVE_TITLES, c, TX_NOISE,
				         attr_lang(c), "abbrev-journal-title",
				         attr(c, "abbrev-type"));
			break;
		case JEL_ISSN: {
			const char *pt = attr(c, "pub-type");
			const char *pf = attr(c, "publication-format");
			int electronic =
			    (pt && strcmp(pt, "epub") == 0) ||
			    (pf && (strcmp(pf, "electronic") == 0 || strcmp(pf, "online") == 0));
			enum cw_field f = electronic ? CW_FIELD_ISSN_ELECTRONIC : CW_FIELD_ISSN;
			if (cw_record_has(rec, f)) {
				add_item(r, rec, CW_FIELD_CONTAINER_IDENTIFIERS, c, TX_PLAIN, NULL,
				         "issn", pf ? pf : pt);
			} else {
				set_text(r, rec, f, c, TX_PLAIN);
			}
			break;
		}
		case JEL_ISSN_L:
			add_item(r, rec, CW_FIELD_CONTAINER_IDENTIFIERS, c, TX_PLAIN, NULL,
			         "issn-l", NULL);
			break;
		case JEL_ISBN:
			set_text_once(r, rec, CW_FIELD_ISBN, c, TX_PLAIN);
			break;
		case JEL_PUBLISHER:
			for (const xmlNode *p = c->children; p; p = p->next) {
				if (el_of(p) == JEL_PUBLISHER_NAME)
					set_text_once(r, rec, CW_FIELD_PUBLISHER, p, TX_NOISE);
				else if (el_of(p) == JEL_PUBLISHER_LOC)
					set_text_once(r, rec, CW_FIELD_PUBLISHER_PLACE, p,
					              TX_NOISE);
			}
			break;
		default:
			break;
		}
	}
}

/* --- article-meta parts --- */

static void read_subj_group(jats_reader *r, cw_record *rec, const xmlNode *g, const char *type,
                            uint32_t depth)
{
	if (depth > 8)
		return;
	const char *ty = attr(g, "subj-group-type");
	if (!ty)
		ty = type;
	for (const xmlNode *c = g->children; c; c = c->next) {
		enum jats_el ce = el_of(c);
		if (ce == JEL_SUBJECT) {
			const char *v = text_of(r, c, TX_PLAIN | TX_NOISE);
			if (!v)
				continue;
			if (ty && strcmp(ty, "heading") == 0 &&
			    !cw_record_has(rec, CW_FIELD_SECTION))
				jats_kept(r, cw_record_set_text(rec, CW_FIELD_SECTION, v, CW_NUL));
			add_item_str(r, rec, CW_FIELD_SUBJECTS, v, attr_lang(g), ty, attr(g, "vocab"));
		} else if (ce == JEL_SUBJ_GROUP) {
			read_subj_group(r, rec, c, ty, depth + 1);
		}
	}
}

static void read_title_group(jats_reader *r, cw_record *rec, const xmlNode *tg)
{
	for (const xmlNode *c = tg->children; c; c = c->next) {
		switch (el_of(c)) {
		case JEL_ARTICLE_TITLE:
			set_text_once(r, rec, CW_FIELD_TITLE, c, TX_NOISE);
			break;
		case JEL_SUBTITLE:
			set_text_once(r, rec, CW_FIELD_SUBTITLE, c, TX_NOISE);
			break;
		case JEL_TRANS_TITLE_GROUP: {
			const char *lang = attr_lang(c);
			for (const xmlNode *t = c->children; t; t = t->next) {
				if (el_of(t) == JEL_TRANS_TITLE)
					add_item(r, rec, CW_FIELD_TRANSLATED_TITLES, t, TX_NOISE,
					         attr_lang(t) ? attr_lang(t) : lang, NULL, NULL);
				else if (el_of(t) == JEL_TRANS_SUBTITLE)
					add_item(r, rec, CW_FIELD_TRANSLATED_TITLES, t, TX_NOISE,
					         attr_lang(t) ? attr_lang(t) : lang, "subtitle",
					         NULL);
			}
			break;
		}
		case JEL_ALT_TITLE: {
			const char *ty = attr(c, "alt-title-type");
			if (ty && strcmp(ty, "short") == 0 &&
			    !cw_record_has(rec, CW_FIELD_TITLE_SHORT))
				set_text(r, rec, CW_FIELD_TITLE_SHORT, c, TX_NOISE);
			else
				add_item(r, rec, CW_FIELD_ALTERNATIVE_TITLES, c, TX_NOISE,
				         attr_lang(c), ty, NULL);
			break;
		}
		default:
			break;
		}
	}
}

/* The field cell of a pub-dates row, or of a history-dates row read (dir), for key. */
static const cw_table_cell *date_field_cell(jats_reader *r, size_t section, const char *key)
{
	if (section == JATS_SEC_HISTORY_DATES)
		return jats_table_find(r->tab, section, JATS_MAP_JATS, key, JATS_MAP_FIELD,
		                       JATS_READ, 0);
	return cw_table_lookup(r->tab, section, JATS_PD_JATS, key, CW_NUL, JATS_PD_FIELD);
}

/* Which field a pub-date or history date goes to; NONE = keep as passthrough. */
static enum cw_field date_field(jats_reader *r, size_t section, const xmlNode *d)
{
	const char *ty = attr(d, "pub-type");
	if (!ty)
		ty = attr(d, "date-type");
	const char *fmt = attr(d, "publication-format");
	char key[96];
	if (!ty)
		ty = "pub";
	if (fmt && section == JATS_SEC_PUB_DATES) {
		snprintf(key, sizeof key, "%s/%s", ty, fmt);
		const cw_table_cell *f = date_field_cell(r, section, key);
		if (f)
			return (enum cw_field)f->value;
	}
	const cw_table_cell *f = date_field_cell(r, section, ty);
	return f ? (enum cw_field)f->value : CW_FIELD_NONE;
}

/* Keeps a date the model has no field for as passthrough "<prefix>:<type>". */
static void keep_date(jats_reader *r, cw_record *rec, const char *prefix, const xmlNode *dn,
                      const cw_date *d)
{
	(void)r;
	const char *ty = attr(dn, "pub-type");
	if (!ty)
		ty = attr(dn, "date-type");
	char name[128];
	snprintf(name, sizeof name, "%s:%s", prefix, ty ? ty : "other");
	cw_buf b = CW_BUF_INIT;
	if (d->parts)
		cw_date_format_iso(d, &b);
	else if (d->literal)
		cw_buf_append(&b, d->literal, CW_NUL);
	if (b.len)
		jats_kept(r, cw_record_add_passthrough(rec, "jats", name, b.data, b.len));
	cw_buf_free(&b);
}

/* Which pub-date is the citation date: the rank column of pub-dates, lower wins. */
static int date_rank(jats_reader *r, const xmlNode *d)
{
	const char *ty = attr(d, "pub-type");
	if (!ty)
		ty = attr(d, "date-type");
	if (!ty)
		ty = "pub";
	const char *fmt = attr(d, "publication-format");
	const cw_table_cell *rank = NULL;
	int known = 0;
	const size_t sec = JATS_SEC_PUB_DATES;
	if (fmt) {
		char key[96];
		snprintf(key, sizeof key, "%s/%s", ty, fmt);
		rank = cw_table_lookup(r->tab, sec, JATS_PD_JATS, key, CW_NUL, JATS_PD_RANK);
		known = cw_table_find(r->tab, sec, JATS_PD_JATS, key, CW_NUL) != CW_TABLE_NONE;
	}
	if (!known) {
		rank = cw_table_lookup(r->tab, sec, JATS_PD_JATS, ty, CW_NUL, JATS_PD_RANK);
		known = cw_table_find(r->tab, sec, JATS_PD_JATS, ty, CW_NUL) != CW_TABLE_NONE;
	}
	if (!known)
		return 8; /* a type no row names is still a publication date */
	if (!rank || rank->value < 0 || rank->value > 9)
		return 100; /* never the citation date */
	return rank->value;
}

static void read_pub_dates(jats_reader *r, cw_record *rec, const xmlNode *am)
{
	int best = 100;
	for (const xmlNode *c = am->children; c; c = c->next) {
		if (el_of(c) != JEL_PUB_DATE)
			continue;
		cw_date d;
		if (!read_date(r, c, &d, NULL))
			continue;
		enum cw_field f = date_field(r, JATS_SEC_PUB_DATES, c);
		int rank = date_rank(r, c);
		if (f != CW_FIELD_NONE && f != CW_FIELD_ISSUED && !cw_record_has(rec, f))
			jats_kept(r, cw_record_set_date(rec, f, &d));
		else if (f == CW_FIELD_NONE)
			keep_date(r, rec, "pub-date", c, &d);
		if (rank < 100 && rank < best) {
			best = rank;
			jats_kept(r, cw_record_set_date(rec, CW_FIELD_ISSUED, &d));
		}
	}
}

static void read_history(jats_reader *r, cw_record *rec, const xmlNode *h)
{
	for (const xmlNode *c = h->children; c; c = c->next) {
		if (el_of(c) != JEL_DATE)
			continue;
		cw_date d;
		if (!read_date(r, c, &d, NULL))
			continue;
		enum cw_field f = date_field(r, JATS_SEC_HISTORY_DATES, c);
		if (f != CW_FIELD_NONE && cw_field_kind(f) == CW_KIND_DATE &&
		    !cw_record_has(rec, f))
			jats_kept(r, cw_record_set_date(rec, f, &d));
		else
			keep_date(r, rec, "history", c, &d);
	}
}

static void read_permissions(jats_reader *r, cw_record *rec, const xmlNode *p)
{
	for (const xmlNode *c = p->children; c; c = c->next) {
		switch (el_of(c)) {
		case JEL_COPYRIGHT_STATEMENT:
			set_text_once(r, rec, CW_FIELD_COPYRIGHT, c, TX_NOISE);
			break;
		case JEL_COPYRIGHT_YEAR:
			set_text_once(r, rec, CW_FIELD_COPYRIGHT_YEAR, c, TX_PLAIN);
			break;
		case JEL_COPYRIGHT_HOLDER:
			set_text_once(r, rec, CW_FIELD_COPYRIGHT_HOLDER, c, TX_PLAIN | TX_NOISE);
			break;
		case JEL_LICENSE: {
			const char *href = attr(c, "href");
			if (!cw_record_has(rec, CW_FIELD_LICENSE_URL)) {
				const xmlNode *lr = child(c, JEL_LICENSE_REF);
				if (lr)
					set_text(r, rec, CW_FIELD_LICENSE_URL, lr, TX_PLAIN);
				else if (href && *href)
					jats_kept(r, cw_record_set_text(rec, CW_FIELD_LICENSE_URL, href, CW_NUL));
			}
			if (!cw_record_has(rec, CW_FIELD_LICENSE)) {
				/* the licence paragraphs, newline-separated */
				cw_buf_clear(&r->tmp);
				jats_text t = {r, &r->tmp, TX_NOISE | TX_PARAS, 0, 0};
				for (const xmlNode *lp = c->children; lp; lp = lp->next) {
					if (el_of(lp) != JEL_LICENSE_P && el_of(lp) != JEL_P)
						continue;
					tx_para(&t);
					tx_nodes(&t, lp->children, 1);
				}
				if (!t.failed && jats_kept(r, cw_buf_error(&r->tmp)) == CW_OK &&
				    r->tmp.len)
					jats_kept(r, cw_record_set_text(rec, CW_FIELD_LICENSE,
					                                r->tmp.data, r->tmp.len));
			}
			const char *lt = attr(c, "license-type");
			if (lt)
				jats_kept(r, cw_record_add_passthrough(rec, "jats", "license-type", lt, CW_NUL));
			break;
		}
		case JEL_LICENSE_REF:
			/* ali:license_ref directly in permissions */
			set_text_once(r, rec, CW_FIELD_LICENSE_URL, c, TX_PLAIN);
			break;
		default:
			break;
		}
	}
}

static void read_abstract(jats_reader *r, cw_record *rec, const xmlNode *a, const char *art_lang)
{
	cw_buf_clear(&r->tmp);
	jats_text t = {r, &r->tmp, TX_NOISE | TX_PARAS, 0, 0};
	for (const xmlNode *c = a->children; c; c = c->next) {
		enum jats_el ce = el_of(c);
		if (ce == JEL_TITLE || ce == JEL_LABEL)
			continue; /* "Abstract" */
		if (ce == JEL_SEC || ce == JEL_P) {
			tx_one(&t, c, 1);
		} else if (c->type == XML_TEXT_NODE || c->type == XML_ELEMENT_NODE) {
			tx_one(&t, c, 1);
		}
	}
	if (jats_kept(r, cw_buf_error(&r->tmp)) < 0)
		return;
	if (t.failed) {
		if (!r->rec_failed)
			cw_diag_emit(r->s, CW_SEV_ERROR, CW_ELIMIT, jats_line(a), 0,
			             "<%s> is too large or too deep", (const char *)a->name);
		r->rec_failed = 1;
		return;
	}
	size_t len = r->tmp.len;
	while (len && (r->tmp.data[len - 1] == '\n' || r->tmp.data[len - 1] == ' '))
		len--;
	size_t start = 0;
	while (start < len && r->tmp.data[start] == '\n')
		start++;
	if (len <= start)
		return;
	const char *v = r->tmp.data + start;
	size_t vlen = len - start;
	const char *type = attr(a, "abstract-type");
	const char *lang = attr_lang(a);
	int trans = el_of(a) == JEL_TRANS_ABSTRACT;
	if (!trans && !type && !cw_record_has(rec, CW_FIELD_ABSTRACT) &&
	    (!lang || !art_lang || strcmp(lang, art_lang) == 0)) {
		jats_kept(r, cw_record_set_text(rec, CW_FIELD_ABSTRACT, v, vlen));
		return;
	}
	char *copy = jats_pool_dup(&r->pool, v, vlen);
	add_item_str(r, rec, CW_FIELD_ABSTRACTS, copy, lang, type, NULL);
}

static void read_kwd_group(jats_reader *r, cw_record *rec, const xmlNode *g)
{
	const char *lang = attr_lang(g);
	const char *type = attr(g, "kwd-group-type");
	const char *vocab = attr(g, "vocab");
	for (const xmlNode *c = g->children; c; c = c->next) {
		enum jats_el ce = el_of(c);
		if (ce == JEL_KWD)
			add_item(r, rec, CW_FIELD_KEYWORDS, c, TX_PLAIN | TX_NOISE, lang, type,
			         vocab);
		else if (c->type == XML_ELEMENT_NODE &&
		         strcmp((const char *)c->name, "compound-kwd") == 0)
			add_item(r, rec, CW_FIELD_KEYWORDS, c, TX_PLAIN | TX_NOISE, lang, type,
			         vocab);
	}
}

static void read_funding(jats_reader *r, cw_record *rec, const xmlNode *fg)
{
	for (const xmlNode *c = fg->children; c; c = c->next) {
		enum jats_el ce = el_of(c);
		if (ce == JEL_FUNDING_STATEMENT) {
			set_text_once(r, rec, CW_FIELD_FUNDING_STATEMENT, c, TX_NOISE);
			continue;
		}
		if (ce != JEL_AWARD_GROUP)
			continue;
		const char *funders[16], *funder_ids[16], *awards[16];
		size_t nf = 0, na = 0;
		const char *award_title = NULL;
		for (const xmlNode *a = c->children; a; a = a->next) {
			enum jats_el ae = el_of(a);
			if (ae == JEL_FUNDING_SOURCE && nf < 16) {
				const char *fid = NULL;
				/* funding-source may wrap institution-wrap/institution(-id) */
				const xmlNode *w = child(a, JEL_INSTITUTION_WRAP);
				const xmlNode *idn = child(w ? w : a, JEL_INSTITUTION_ID);
				if (idn)
					fid = ptext(r, idn, TX_PLAIN);
				const xmlNode *inst = child(w ? w : a, JEL_INSTITUTION);
				const char *name = NULL;
				if (inst)
					name = ptext(r, inst, TX_PLAIN | TX_NOISE);
				if (!name) {
					/* the text without the institution-id */
					cw_buf_clear(&r->tmp);
					jats_text t = {r, &r->tmp, TX_PLAIN | TX_NOISE, 0, 0};
					for (const xmlNode *x = (w ? w : a)->children; x;
					     x = x->next) {
						if (el_of(x) == JEL_INSTITUTION_ID)
							continue;
						tx_one(&t, x, 1);
					}
					size_t len = r->tmp.len;
					while (len && r->tmp.data[len - 1] == ' ')
						len--;
					if (len)
						name = jats_pool_dup(&r->pool, r->tmp.data, len);
				}
				if (!fid) {
					const char *href = attr(a, "href");
					if (href && *href)
						fid = href;
				}
				if (name || fid) {
					funders[nf] = name;
					funder_ids[nf] = fid;
					nf++;
				}
			} else if (ae == JEL_AWARD_ID && na < 16) {
				const char *v = ptext(r, a, TX_PLAIN);
				if (v)
					awards[na++] = v;
			} else if (ae == JEL_AWARD_NAME) {
				award_title = ptext(r, a, TX_PLAIN | TX_NOISE);
			}
		}
		size_t n = nf > na ? nf : na;
		for (size_t i = 0; i < n; i++) {
			cw_funding fu = CW_FUNDING_INIT;
			size_t fi = i < nf ? i : (nf ? nf - 1 : 0);
			fu.funder = nf ? funders[fi] : NULL;
			fu.funder_id = nf ? funder_ids[fi] : NULL;
			fu.award_id = i < na ? awards[i] : NULL;
			fu.award_title = award_title;
			jats_kept(r, cw_record_add_funding(rec, &fu));
		}
	}
}

static void read_counts(jats_reader *r, cw_record *rec, const xmlNode *cn)
{
	(void)r;
	for (const xmlNode *c = cn->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		const char *cnt = attr(c, "count");
		if (!cnt)
			continue;
		enum jats_el ce = el_of(c);
		if (ce == JEL_PAGE_COUNT) {
			if (!cw_record_has(rec, CW_FIELD_NUMBER_OF_PAGES))
				jats_kept(r, cw_record_set_text(rec, CW_FIELD_NUMBER_OF_PAGES, cnt, CW_NUL));
			continue;
		}
		char name[96];
		if (ce == JEL_COUNT)
			snprintf(name, sizeof name, "count:%s",
			         attr(c, "count-type") ? attr(c, "count-type") : "other");
		else
			snprintf(name, sizeof name, "count:%s", (const char *)c->name);
		jats_kept(r, cw_record_add_passthrough(rec, "jats", name, cnt, CW_NUL));
	}
}

static void read_person_group(jats_reader *r, cw_record *rec, const xmlNode *pg, enum cw_field f);

/*
 * <product>: the work a review reviews (JATS4R book reviews): its title and
 * authors are the record's reviewed-title and reviewed-author.
 */
static void read_product(jats_reader *r, cw_record *rec, const xmlNode *p)
{
	for (const xmlNode *c = p->children; c && !r->rec_failed; c = c->next) {
		switch (el_of(c)) {
		case JEL_SOURCE:
		case JEL_ARTICLE_TITLE:
			set_text_once(r, rec, CW_FIELD_REVIEWED_TITLE, c, TX_NOISE);
			break;
		case JEL_PERSON_GROUP: {
			const char *pgt = attr(c, "person-group-type");
			if (!pgt || strcmp(pgt, "author") == 0)
				read_person_group(r, rec, c, CW_FIELD_REVIEWED_AUTHOR);
			break;
		}
		case JEL_NAME:
		case JEL_STRING_NAME:
		case JEL_COLLAB:
		case JEL_NAME_ALTERNATIVES:
			add_name_element(r, rec, CW_FIELD_REVIEWED_AUTHOR, c);
			break;
		default:
			break;
		}
	}
}

static void read_article_meta(jats_reader *r, cw_record *rec, const xmlNode *am,
                              const char *art_lang)
{
	/* affiliations first, so contributors link only to ones that exist */
	for (const xmlNode *c = am->children; c && !r->rec_failed; c = c->next)
		if (el_of(c) == JEL_AFF || el_of(c) == JEL_AFF_ALTERNATIVES)
			read_aff(r, rec, c, NULL);
	for (const xmlNode *c = am->children; c && !r->rec_failed; c = c->next) {
		switch (el_of(c)) {
		case JEL_ARTICLE_ID:
			read_id(r, rec, attr(c, "pub-id-type"), c, CW_FIELD_IDENTIFIERS);
			break;
		case JEL_ARTICLE_VERSION:
			set_text_once(r, rec, CW_FIELD_VERSION, c, TX_PLAIN);
			break;
		case JEL_ARTICLE_CATEGORIES:
			for (const xmlNode *g = c->children; g; g = g->next)
				if (el_of(g) == JEL_SUBJ_GROUP)
					read_subj_group(r, rec, g, NULL, 0);
			break;
		case JEL_TITLE_GROUP:
			read_title_group(r, rec, c);
			break;
		case JEL_CONTRIB_GROUP:
			read_contrib_group(r, rec, c);
			break;
		case JEL_VOLUME:
			set_text_once(r, rec, CW_FIELD_VOLUME, c, TX_PLAIN);
			break;
		case JEL_ISSUE:
			set_text_once(r, rec, CW_FIELD_ISSUE, c, TX_PLAIN);
			break;
		case JEL_ISSUE_TITLE:
			set_text_once(r, rec, CW_FIELD_ISSUE_TITLE, c, TX_NOISE);
			break;
		case JEL_SUPPLEMENT:
			set_text_once(r, rec, CW_FIELD_SUPPLEMENT, c, TX_PLAIN | TX_NOISE);
			break;
		case JEL_ISBN:
			set_text_once(r, rec, CW_FIELD_ISBN, c, TX_PLAIN);
			break;
		case JEL_FPAGE:
			set_text_once(r, rec, CW_FIELD_PAGE_FIRST, c, TX_PLAIN);
			break;
		case JEL_LPAGE:
			/* handled with fpage below */
			break;
		case JEL_PAGE_RANGE:
			set_text(r, rec, CW_FIELD_PAGE, c, TX_PLAIN);
			break;
		case JEL_ELOCATION_ID:
			set_text_once(r, rec, CW_FIELD_ARTICLE_NUMBER, c, TX_PLAIN);
			break;
		case JEL_HISTORY:
			read_history(r, rec, c);
			break;
		case JEL_PERMISSIONS:
			read_permissions(r, rec, c);
			break;
		case JEL_SELF_URI: {
			const char *href = attr(c, "href");
			const char *ct = attr(c, "content-type");
			if (!href || !*href)
				break;
			if (!ct && !cw_record_has(rec, CW_FIELD_URL))
				jats_kept(r, cw_record_set_text(rec, CW_FIELD_URL, href, CW_NUL));
			else
				add_item_str(r, rec, CW_FIELD_LINKS, href, NULL, ct ? ct : "self-uri",
				             NULL);
			break;
		}
		case JEL_RELATED_ARTICLE: {
			const char *href = attr(c, "href");
			const char *lt = attr(c, "ext-link-type");
			if (!href || !*href)
				break;
			/* PLOS names the DOI as info:doi/10.x without ext-link-type */
			const char *dp = strncmp(href, "info:doi/", 9) == 0
			                     ? href + 9
			                     : strstr(href, "doi.org/10.");
			if (dp && dp != href + 9)
				dp += 8;
			if (!lt && dp && strncmp(dp, "10.", 3) == 0)
				add_item_str(r, rec, CW_FIELD_RELATED, dp, NULL,
				             attr(c, "related-article-type"), "doi");
			else if (lt)
				add_item_str(r, rec, CW_FIELD_RELATED, href, NULL,
				             attr(c, "related-article-type"), lt);
			break;
		}
		case JEL_ABSTRACT:
		case JEL_TRANS_ABSTRACT:
			read_abstract(r, rec, c, art_lang);
			break;
		case JEL_KWD_GROUP:
			read_kwd_group(r, rec, c);
			break;
		case JEL_FUNDING_GROUP:
			read_funding(r, rec, c);
			break;
		case JEL_COUNTS:
			read_counts(r, rec, c);
			break;
		case JEL_PRODUCT:
			if (!cw_record_has(rec, CW_FIELD_REVIEWED_TITLE) &&
			    !cw_record_has(rec, CW_FIELD_REVIEWED_AUTHOR))
				read_product(r, rec, c);
			break;
		default:
			break;
		}
	}
	read_pub_dates(r, rec, am);
	/* pages */
	const xmlNode *fp = child(am, JEL_FPAGE), *lp = child(am, JEL_LPAGE);
	if (fp && !child(am, JEL_PAGE_RANGE)) {
		const char *f = ptext(r, fp, TX_PLAIN);
		const char *l = lp ? text_of(r, lp, TX_PLAIN) : NULL;
		if (f && l && strcmp(f, l) != 0) {
			cw_buf b = CW_BUF_INIT;
			cw_buf_printf(&b, "%s-%s", f, l);
			jats_kept(r, cw_buf_error(&b) ? CW_ENOMEM
			                              : cw_record_set_text(rec, CW_FIELD_PAGE, b.data,
			                                                   b.len));
			cw_buf_free(&b);
		} else if (f) {
			jats_kept(r, cw_record_set_text(rec, CW_FIELD_PAGE, f, CW_NUL));
		}
	}
}

/* --- references --- */

typedef struct cit_state {
	jats_elset seen; /* the elements of the citation (and of its std and comment) */
} cit_state;

/* The names of a person-group into f, or (CW_FIELD_NONE) the field of its type. */
static void read_person_group(jats_reader *r, cw_record *rec, const xmlNode *pg, enum cw_field f)
{
	const char *pgt = attr(pg, "person-group-type");
	if (pgt && strcmp(pgt, "custom") == 0 && attr(pg, "custom-type"))
		pgt = attr(pg, "custom-type");
	if (f == CW_FIELD_NONE)
		f = role_field(r, pgt, CW_FIELD_AUTHOR);
	for (const xmlNode *c = pg->children; c && !r->rec_failed; c = c->next) {
		enum jats_el ce = el_of(c);
		cw_name nm = CW_NAME_INIT;
		if (ce == JEL_ETAL) {
			nm.flags = CW_NAME_ETAL;
			nm.literal = "et al.";
			/* the model's et-al marker: flags carry the meaning, literal the text */
			add_name(r, rec, f, &nm, c);
		} else {
			add_name_element(r, rec, f, c);
		}
	}
}

static void read_cit_date(jats_reader *r, cw_record *rec, const xmlNode *cit)
{
	cw_date d = CW_DATE_INIT;
	const char *suffix = NULL;
	/* year/month/day/season directly in the citation */
	if (child(cit, JEL_YEAR) || child(cit, JEL_STRING_DATE)) {
		if (read_date(r, cit, &d, &suffix)) {
			if (!d.parts && !d.literal)
				return;
			jats_kept(r, cw_record_set_date(rec, CW_FIELD_ISSUED, &d));
			if (suffix && *suffix)
				jats_kept(r, cw_record_set_text(rec, CW_FIELD_YEAR_SUFFIX, suffix, CW_NUL));
		}
		return;
	}
	const xmlNode *dn = child(cit, JEL_DATE);
	if (dn && read_date(r, dn, &d, &suffix)) {
		jats_kept(r, cw_record_set_date(rec, CW_FIELD_ISSUED, &d));
		if (suffix && *suffix)
			jats_kept(r, cw_record_set_text(rec, CW_FIELD_YEAR_SUFFIX, suffix, CW_NUL));
	}
}

/* Reads the tagged parts of one citation element into rec. */
/*
 * An element of a citation that a citation-elements row maps to a field:
 * its text set once, replaced, or added as an item with its xml:lang.
 */
static void read_cited(jats_reader *r, cw_record *rec, const xmlNode *n, size_t row)
{
	const cw_table_cell *c = cw_table_row_at(r->tab, JATS_SEC_CITATION_ELEMENTS, row)->cells;
	enum cw_field f = (enum cw_field)c[JATS_CE_FIELD].value;
	unsigned flags = c[JATS_CE_NOISE].value ? TX_NOISE : 0;
	if (c[JATS_CE_ADD].value == JATS_ADD_ITEM)
		add_item(r, rec, f, n, flags, attr_lang(n), c[JATS_CE_TYPE].text, NULL);
	else if (c[JATS_CE_ADD].value == JATS_ADD_REPLACE)
		set_text(r, rec, f, n, flags);
	else
		set_text_once(r, rec, f, n, flags);
}

static void read_citation_parts(jats_reader *r, cw_record *rec, const xmlNode *cit, cit_state *st,
                                uint32_t depth)
{
	if (depth > 8)
		return;
	for (const xmlNode *c = cit->children; c && !r->rec_failed; c = c->next) {
		enum jats_el ce = el_of(c);
		/*
		 * The elements the citation has, as the writer would write them back:
		 * a link read as a DOI or PMID is a pub-id, an institution read as the
		 * publisher a publisher-name, so that a citation typed by inference
		 * reads back as the same type.
		 */
		if (ce != JEL_EXT_LINK && ce != JEL_URI)
			elset_add(&st->seen, ce);
		if (r->cite_row[ce]) {
			read_cited(r, rec, c, r->cite_row[ce] - 1);
			continue;
		}
		switch (ce) {
		case JEL_PERSON_GROUP:
			read_person_group(r, rec, c, CW_FIELD_NONE);
			break;
		case JEL_NAME:
		case JEL_STRING_NAME:
		case JEL_COLLAB:
		case JEL_NAME_ALTERNATIVES:
			/* names outside a person-group are authors */
			add_name_element(r, rec, CW_FIELD_AUTHOR, c);
			break;
		case JEL_ETAL: {
			cw_name nm = CW_NAME_INIT;
			nm.flags = CW_NAME_ETAL;
			nm.literal = "et al.";
			if (cw_record_name_count(rec, CW_FIELD_AUTHOR))
				add_name(r, rec, CW_FIELD_AUTHOR, &nm, c);
			break;
		}
		case JEL_SIZE: {
			const char *u = attr(c, "units");
			if (!u || strcmp(u, "pages") == 0 || strcmp(u, "page") == 0)
				set_text_once(r, rec, CW_FIELD_NUMBER_OF_PAGES, c, TX_PLAIN);
			break;
		}
		case JEL_PUB_ID:
			read_id(r, rec, attr(c, "pub-id-type"), c, CW_FIELD_IDENTIFIERS);
			break;
		case JEL_EXT_LINK:
		case JEL_URI: {
			const char *href = attr(c, "href");
			const char *lt = attr(c, "ext-link-type");
			const char *v = href && *href ? href : text_of(r, c, TX_PLAIN);
			if (!v)
				break;
			const char *dp = strstr(v, "doi.org/10.");
			if (((lt && strcmp(lt, "doi") == 0) || dp) &&
			    !cw_record_has(rec, CW_FIELD_DOI)) {
				jats_kept(r, cw_record_set_text(rec, CW_FIELD_DOI, dp ? dp + 8 : v, CW_NUL));
			} else if (lt && strcmp(lt, "pmid") == 0 &&
			           !cw_record_has(rec, CW_FIELD_PMID)) {
				jats_kept(r, cw_record_set_text(rec, CW_FIELD_PMID, v, CW_NUL));
			} else if (!cw_record_has(rec, CW_FIELD_URL)) {
				jats_kept(r, cw_record_set_text(rec, CW_FIELD_URL, v, CW_NUL));
				elset_add(&st->seen, JEL_EXT_LINK);
			} else {
				add_item_str(r, rec, CW_FIELD_LINKS,
				             jats_pool_dup(&r->pool, v, CW_NUL), NULL,
				             lt ? lt : "uri", NULL);
				elset_add(&st->seen, JEL_EXT_LINK);
			}
			break;
		}
		case JEL_INSTITUTION:
			if (!cw_record_has(rec, CW_FIELD_PUBLISHER)) {
				set_text(r, rec, CW_FIELD_PUBLISHER, c, TX_PLAIN | TX_NOISE);
				elset_add(&st->seen, JEL_PUBLISHER_NAME);
			} else
				set_text_once(r, rec, CW_FIELD_AUTHORITY, c, TX_PLAIN | TX_NOISE);
			break;
		case JEL_CONF_DATE: {
			cw_date d;
			if (read_date(r, c, &d, NULL) && !cw_record_has(rec, CW_FIELD_EVENT_DATE))
				jats_kept(r, cw_record_set_date(rec, CW_FIELD_EVENT_DATE, &d));
			break;
		}
		case JEL_DATE_IN_CITATION: {
			const char *ct = attr(c, "content-type");
			cw_date d;
			if (ct && (strstr(ct, "access") || strcmp(ct, "cited") == 0)) {
				if (read_date(r, c, &d, NULL) &&
				    !cw_record_has(rec, CW_FIELD_ACCESSED))
					jats_kept(r, cw_record_set_date(rec, CW_FIELD_ACCESSED, &d));
			} else if (read_date(r, c, &d, NULL)) {
				keep_date(r, rec, "date-in-citation", c, &d);
			}
			break;
		}
		case JEL_STD: {
			/* a standard: tagged parts inside, or just its designation */
			int tagged = 0;
			for (const xmlNode *x = c->children; x; x = x->next)
				tagged |= x->type == XML_ELEMENT_NODE;
			if (tagged)
				read_citation_parts(r, rec, c, st, depth + 1);
			else
				set_text_once(r, rec, CW_FIELD_NUMBER, c, TX_PLAIN);
			break;
		}
		case JEL_COMMENT: {
			/* "doi:10.x/y" as a comment is the reference's DOI */
			const char *cm = text_of(r, c, TX_PLAIN);
			if (cm && strncasecmp(cm, "doi:", 4) == 0 &&
			    !strchr(cm + 4 + (cm[4] == ' '), ' ') &&
			    !cw_record_has(rec, CW_FIELD_DOI)) {
				jats_kept(r, cw_record_set_text(rec, CW_FIELD_DOI, cm + 4 + (cm[4] == ' '),
				                   CW_NUL));
				break;
			}
			if (!cw_record_has(rec, CW_FIELD_NOTE))
				set_text(r, rec, CW_FIELD_NOTE, c, TX_NOISE);
			/* links inside comments carry DOIs and URLs */
			read_citation_parts(r, rec, c, st, depth + 1);
			break;
		}
		default:
			break;
		}
	}
}

/* Types a citation from its elements: the first rule that fits. */
static enum cw_item_type infer_type(const jats_reader *r, const cit_state *st)
{
	for (size_t i = 0; i < r->nrules; i++) {
		const jats_infer_rule *ru = &r->rules[i];
		if (elset_within(&ru->has, &st->seen) && !elset_meets(&ru->lacks, &st->seen) &&
		    (!ru->needs_any || elset_meets(&ru->any, &st->seen)))
			return ru->type;
	}
	return CW_TYPE_DOCUMENT;
}

/* Counts a citation typed by inference, per publication-type word, for one note. */
static void note_inferred(jats_reader *r, const char *word, uint32_t line)
{
	if (!word)
		word = "";
	for (size_t i = 0; i < r->ninferred; i++)
		if (strncmp(r->inferred[i].word, word, sizeof r->inferred[i].word - 1) == 0) {
			r->inferred[i].count++;
			return;
		}
	if (r->ninferred == JATS_INFER_WORDS) {
		if (!r->inferred_other++)
			r->inferred_other_line = line;
		return;
	}
	jats_inferred *in = &r->inferred[r->ninferred++];
	snprintf(in->word, sizeof in->word, "%s", word);
	in->count = 1;
	in->line = line;
}

/* One note per publication-type word whose citations were typed by inference. */
static void report_inferred(jats_reader *r)
{
	for (size_t i = 0; i < r->ninferred; i++) {
		const jats_inferred *in = &r->inferred[i];
		if (*in->word && in->count == 1)
			cw_diag_emit(r->s, CW_SEV_NOTE, CW_OK, in->line, 0,
			             "publication-type \"%s\" names no item type: typed from the "
			             "citation's elements",
			             in->word);
		else if (*in->word)
			cw_diag_emit(r->s, CW_SEV_NOTE, CW_OK, in->line, 0,
			             "publication-type \"%s\" names no item type: %u references "
			             "typed from their elements (the first here)",
			             in->word, in->count);
		else if (in->count == 1)
			cw_diag_emit(r->s, CW_SEV_NOTE, CW_OK, in->line, 0,
			             "no publication-type: typed from the citation's elements");
		else
			cw_diag_emit(r->s, CW_SEV_NOTE, CW_OK, in->line, 0,
			             "%u references without a publication-type: typed from their "
			             "elements (the first here)",
			             in->count);
	}
	if (r->untitled == 1)
		cw_diag_emit(r->s, CW_SEV_NOTE, CW_OK, r->untitled_line, 0,
		             "a mixed citation without a tagged title or source: its untagged "
		             "text is the title");
	else if (r->untitled)
		cw_diag_emit(r->s, CW_SEV_NOTE, CW_OK, r->untitled_line, 0,
		             "%u mixed citations without a tagged title or source: their untagged "
		             "text is the title (the first here)",
		             r->untitled);
	r->untitled = 0;
	if (r->inferred_other)
		cw_diag_emit(r->s, CW_SEV_NOTE, CW_OK, r->inferred_other_line, 0,
		             "%u more references with other publication-types: typed from their "
		             "elements (the first here)",
		             r->inferred_other);
	r->ninferred = 0;
	r->inferred_other = 0;
}

/*
 * The item type of a citation: its publication-type (NLM 2.x citation-type)
 * through the table, else inferred from its elements. The word itself is kept
 * in the record's article-type field.
 */
static enum cw_item_type cit_type(jats_reader *r, const xmlNode *cit, const cit_state *st,
                                  cw_record *rec)
{
	const char *pt = attr(cit, "publication-type");
	if (!pt)
		pt = attr(cit, "citation-type");
	if (pt && !*pt)
		pt = NULL;
	enum cw_item_type t = CW_TYPE_UNSET;
	if (pt) {
		const cw_table_cell *csl =
		    jats_table_find(r->tab, JATS_SEC_PUBLICATION_TYPES, JATS_TY_JATS, pt,
		                    JATS_TY_CSL, JATS_READ, 1);
		if (csl && csl->value > 0)
			t = (enum cw_item_type)csl->value;
		if (strcasecmp(pt, "working-paper") == 0)
			jats_kept(r, cw_record_set_text(rec, CW_FIELD_GENRE, "working paper", CW_NUL));
		else if (strcasecmp(pt, "preprint") == 0)
			jats_kept(r, cw_record_set_text(rec, CW_FIELD_GENRE, "preprint", CW_NUL));
	}
	if (t == CW_TYPE_BOOK &&
	    (elset_has(&st->seen, JEL_CHAPTER_TITLE) ||
	     (elset_has(&st->seen, JEL_PART_TITLE) && !elset_has(&st->seen, JEL_ARTICLE_TITLE) &&
	      !elset_has(&st->seen, JEL_DATA_TITLE))))
		t = CW_TYPE_CHAPTER;
	if (t == CW_TYPE_UNSET) {
		t = infer_type(r, st);
		note_inferred(r, pt, jats_line(cit));
	}
	if (pt) {
		/*
		 * The word as written goes back to JATS. When it is the word the
		 * writer gives the type anyway ("journal" for a journal article) it
		 * says nothing the type does not: a hint for the JATS writer only,
		 * which other writers neither carry nor report. Another word
		 * ("article", "editorial") is the record's article-type.
		 */
		const cw_table_cell *dflt =
		    jats_table_find(r->tab, JATS_SEC_PUBLICATION_TYPES, JATS_TY_CSL,
		                    cw_item_type_name(t), JATS_TY_JATS, JATS_WRITE, 1);
		if (dflt && strcasecmp(dflt->text, pt) == 0)
			jats_kept(r, cw_record_add_passthrough(rec, "jats", JATS_PUBTYPE_HINT, pt, CW_NUL));
		else
			jats_kept(r, cw_record_set_text(rec, CW_FIELD_ARTICLE_TYPE, pt, CW_NUL));
	}
	return t;
}

/*
 * The whole text of a mixed citation, without its label. A citation made
 * only of tagged parts (NLM 2.x <citation>, PMC's tagged mixed citations
 * with no text between the tags) has no original text to keep.
 */
static void read_original(jats_reader *r, cw_record *rec, const xmlNode *cit)
{
	int has_text = 0;
	for (const xmlNode *c = cit->children; c && !has_text; c = c->next) {
		if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
			continue;
		for (const char *p = (const char *)c->content; p && *p && !has_text; p++)
			has_text = !(*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r');
	}
	if (!has_text)
		return;
	/* tagged parts that touch ("<surname>Polka</surname>...<name>") read apart */
	cw_buf_clear(&r->tmp);
	jats_text t = {r, &r->tmp, 0, 0, 0};
	const xmlNode *prev = NULL;
	for (const xmlNode *c = cit->children; c && !t.failed; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && prev && prev->type == XML_ELEMENT_NODE)
			t.space = 1;
		if (el_of(c) != JEL_LABEL)
			tx_one(&t, c, 1);
		prev = c;
	}
	if (t.failed || jats_kept(r, cw_buf_error(&r->tmp)) < 0) {
		r->rec_failed = 1;
		return;
	}
	if (r->tmp.len)
		jats_kept(r, cw_record_set_text(rec, CW_FIELD_ORIGINAL_CITATION, r->tmp.data,
		                                r->tmp.len));
}

static void finish_pages(jats_reader *r, cw_record *rec, const xmlNode *cit)
{
	if (cw_record_has(rec, CW_FIELD_PAGE))
		return;
	const char *f = cw_record_text(rec, CW_FIELD_PAGE_FIRST);
	const xmlNode *lp = child(cit, JEL_LPAGE);
	const char *l = lp ? text_of(r, lp, TX_PLAIN) : NULL;
	if (f && l && strcmp(f, l) != 0) {
		cw_buf b = CW_BUF_INIT;
		cw_buf_printf(&b, "%s-%s", f, l);
		jats_kept(r, cw_record_set_text(rec, CW_FIELD_PAGE, b.data, b.len));
		cw_buf_free(&b);
	} else if (f) {
		jats_kept(r, cw_record_set_text(rec, CW_FIELD_PAGE, f, CW_NUL));
	} else if (l) {
		jats_kept(r, cw_record_set_text(rec, CW_FIELD_PAGE, l, CW_NUL));
	}
}

static int is_element_like(enum jats_el el)
{
	return el == JEL_ELEMENT_CITATION || el == JEL_NLM_CITATION;
}

static int is_mixed_like(enum jats_el el)
{
	return el == JEL_MIXED_CITATION || el == JEL_CITATION;
}

/* Elements of a citation that the reader maps to a field (their text is not the title). */
static int is_citation_part(enum jats_el el)
{
	switch (el) {
	case JEL_PERSON_GROUP:
	case JEL_NAME:
	case JEL_STRING_NAME:
	case JEL_NAME_ALTERNATIVES:
	case JEL_COLLAB:
	case JEL_COLLAB_ALTERNATIVES:
	case JEL_ANONYMOUS:
	case JEL_ETAL:
	case JEL_LABEL:
	case JEL_ARTICLE_TITLE:
	case JEL_CHAPTER_TITLE:
	case JEL_DATA_TITLE:
	case JEL_PART_TITLE:
	case JEL_SOURCE:
	case JEL_TRANS_TITLE:
	case JEL_TRANS_SOURCE:
	case JEL_SERIES:
	case JEL_VOLUME:
	case JEL_ISSUE:
	case JEL_SUPPLEMENT:
	case JEL_EDITION:
	case JEL_VERSION:
	case JEL_FPAGE:
	case JEL_LPAGE:
	case JEL_PAGE_RANGE:
	case JEL_ELOCATION_ID:
	case JEL_SIZE:
	case JEL_PUB_ID:
	case JEL_ISBN:
	case JEL_ISSN:
	case JEL_EXT_LINK:
	case JEL_URI:
	case JEL_PUBLISHER_NAME:
	case JEL_PUBLISHER_LOC:
	case JEL_INSTITUTION:
	case JEL_CONF_NAME:
	case JEL_CONF_LOC:
	case JEL_CONF_DATE:
	case JEL_DATE_IN_CITATION:
	case JEL_PATENT:
	case JEL_STD:
	case JEL_COMMENT:
	case JEL_YEAR:
	case JEL_MONTH:
	case JEL_DAY:
	case JEL_SEASON:
	case JEL_DATE:
	case JEL_STRING_DATE:
		return 1;
	default:
		return 0;
	}
}

static int untagged_punct(char c)
{
	return c == ' ' || c == '.' || c == ',' || c == ';' || c == ':';
}

/*
 * A mixed citation that tags no title and no source (plain text, or only
 * its names, year and links tagged, as Pensoft and PLOS write some): its
 * untagged text, without the parts read into fields and the brackets they
 * leave, is the best title there is; without it a processor prints the
 * names and the year and nothing else. Returns 1 when a title was set.
 */
static int untagged_title(jats_reader *r, cw_record *rec, const xmlNode *cit)
{
	cw_buf_clear(&r->tmp);
	jats_text t = {r, &r->tmp, TX_NOISE, 0, 0};
	for (const xmlNode *c = cit->children; c && !t.failed; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && is_citation_part(el_of(c)))
			t.space = 1;
		else
			tx_one(&t, c, 1);
	}
	if (t.failed || jats_kept(r, cw_buf_error(&r->tmp)) < 0)
		return 0;
	/*
	 * What the parts left out leave behind: emptied brackets ("(<year/>)"),
	 * separators in a row ("; <publisher-name/>: <publisher-loc/>,"), and
	 * spaces before a separator.
	 */
	char *d = r->tmp.data;
	size_t n = 0;
	for (size_t i = 0; i < r->tmp.len; i++) {
		char c = r->tmp.data[i];
		if (c == ',' || c == ';' || c == ':' || c == '.') {
			while (n && d[n - 1] == ' ')
				n--;
			if (c != '.' && n &&
			    (d[n - 1] == ',' || d[n - 1] == ';' || d[n - 1] == ':'))
				continue;
		}
		if (c == ')' || c == ']') {
			size_t k = n;
			while (k && (d[k - 1] == ' ' || d[k - 1] == ','))
				k--;
			if (k && d[k - 1] == (c == ')' ? '(' : '[')) {
				n = k - 1;
				continue;
			}
		}
		d[n++] = c;
	}
	size_t start = 0;
	while (start < n && untagged_punct(d[start]))
		start++;
	while (n > start && untagged_punct(d[n - 1]))
		n--;
	int word = 0;
	for (size_t i = start; i < n && !word; i++) {
		unsigned char c = (unsigned char)d[i];
		word = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		       c >= 0x80;
	}
	if (!word)
		return 0;
	jats_kept(r, cw_record_set_text(rec, CW_FIELD_TITLE, d + start, n - start));
	if (!r->untitled++)
		r->untitled_line = jats_line(cit);
	return 1;
}

/*
 * A citation that is only text (formatting and links aside), which would
 * otherwise get its whole text as the title: a mixed citation alone, or
 * an element citation that tags no names, title, source or date beside
 * its mixed text (what the writer makes of a parsed reference whose DOI or
 * link the source had tagged). Its original text, from the mixed citation
 * `text`, is read into fields by the core's citation parser (option
 * parse-citations, on by default), which marks the record as inferred and
 * keeps the text. The type is the citation's publication-type when it has
 * one that names a type (the source says so), else the parser's. Returns 1
 * when the record is done; 0 when the option is off, the citation has
 * tagged parts, or the parser recognised nothing: the usual reading goes on
 * (the untagged text as the title).
 */
static int parse_unstructured(jats_reader *r, cw_record *rec, const xmlNode *cit,
                              const xmlNode *text, cit_state *st)
{
	if (!r->parse || !text)
		return 0;
	read_original(r, rec, text);
	if (r->rec_failed || cw_citation_source(rec) != CW_FIELD_ORIGINAL_CITATION)
		return 0;
	if (jats_kept(r, cw_citation_parse(r->s, rec, CW_FIELD_ORIGINAL_CITATION, 0)) < 0)
		return 1;
	if (!cw_record_find_passthrough(rec, CW_CITATION_MARK_FORMAT, CW_CITATION_MARK_NAME))
		return 0;
	/* the source's word is kept either way; "other" (document) says less than the parse */
	enum cw_item_type parsed = cw_record_type(rec);
	if (attr(cit, "publication-type") || attr(cit, "citation-type") || parsed == CW_TYPE_UNSET) {
		enum cw_item_type t = cit_type(r, cit, st, rec);
		if (t != CW_TYPE_DOCUMENT || parsed == CW_TYPE_UNSET)
			jats_kept(r, cw_record_set_type(rec, t));
	}
	return 1;
}

/*
 * One citation of a <ref> into a child record. alt is the mixed citation
 * that stands beside an element citation in <citation-alternatives>.
 */
static void read_citation(jats_reader *r, cw_record *parent, const xmlNode *ref, const xmlNode *cit,
                          const xmlNode *mixed_alt, int nth, const char *label)
{
	if (r->nchildren >= r->lim->max_children) {
		if (!r->rec_failed)
			cw_diag_emit(r->s, CW_SEV_ERROR, CW_ELIMIT, jats_line(cit), 0,
			             "more than %u references", r->lim->max_children);
		r->rec_failed = 1;
		return;
	}
	cw_record *rec = NULL;
	if (jats_kept(r, cw_record_add_child(parent, &rec)) != CW_OK)
		return;
	r->nchildren++;
	cw_record_set_origin(rec, jats_line(cit), 0);
	jats_kept(r, cw_record_set_source_format(rec, cw_session_format(r->s)));
	const char *id = attr(ref, "id");
	if (id && nth > 1) {
		char buf[256];
		snprintf(buf, sizeof buf, "%s-%d", id, nth);
		jats_kept(r, cw_record_set_text(rec, CW_FIELD_ID, buf, CW_NUL));
	} else if (id) {
		jats_kept(r, cw_record_set_text(rec, CW_FIELD_ID, id, CW_NUL));
	}
	if (label)
		jats_kept(r, cw_record_set_text(rec, CW_FIELD_CITATION_LABEL, label, CW_NUL));
	cit_state st = {{{0}}};
	read_citation_parts(r, rec, cit, &st, 0);
	read_cit_date(r, rec, cit);
	finish_pages(r, rec, cit);
	enum jats_el ce = el_of(cit);
	if (parse_unstructured(r, rec, cit, is_mixed_like(ce) && !mixed_alt ? cit : mixed_alt, &st))
		return;
	if (is_mixed_like(ce) && !cw_record_has(rec, CW_FIELD_TITLE) &&
	    !cw_record_has(rec, CW_FIELD_CONTAINER_TITLE) && untagged_title(r, rec, cit))
		elset_add(&st.seen, JEL_ARTICLE_TITLE); /* the writer writes it so */
	enum cw_item_type t = cit_type(r, cit, &st, rec);
	/* no article, chapter or data title: the source is the item's own title */
	if (!cw_record_has(rec, CW_FIELD_TITLE) && cw_record_has(rec, CW_FIELD_CONTAINER_TITLE)) {
		jats_kept(r, cw_record_set_text(rec, CW_FIELD_TITLE,
		                   cw_record_text(rec, CW_FIELD_CONTAINER_TITLE), CW_NUL));
		cw_record_clear(rec, CW_FIELD_CONTAINER_TITLE);
	}
	/* a preprint's source is its server (JATS4R): the publisher, which CSL
	 * styles print for a preprint ("bioRxiv"), not a container ("In bioRxiv") */
	if (t == CW_TYPE_ARTICLE && cw_record_has(rec, CW_FIELD_CONTAINER_TITLE) &&
	    !cw_record_has(rec, CW_FIELD_PUBLISHER)) {
		cw_buf server = CW_BUF_INIT;
		if (cw_rich_to_plain(&server, cw_record_text(rec, CW_FIELD_CONTAINER_TITLE)) ==
		        CW_OK &&
		    cw_record_set_text(rec, CW_FIELD_PUBLISHER, server.data, server.len) >= 0)
			cw_record_clear(rec, CW_FIELD_CONTAINER_TITLE);
		cw_buf_free(&server);
	}
	jats_kept(r, cw_record_set_type(rec, t));
	if (mixed_alt)
		read_original(r, rec, mixed_alt);
	else if (ce == JEL_MIXED_CITATION || ce == JEL_CITATION)
		read_original(r, rec, cit);
}

/* 1 when a citation element holds nothing: no element, no text ("<mixed-citation/>"). */
static int citation_empty(const xmlNode *cit)
{
	for (const xmlNode *c = cit ? cit->children : NULL; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE || c->type == XML_ENTITY_REF_NODE)
			return 0;
		if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
			continue;
		for (const char *p = (const char *)c->content; p && *p; p++)
			if (!(*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
				return 0;
	}
	return 1;
}

/* Reads one citation unless it and its alternative text are empty (then a note). */
static void read_citation_unless_empty(jats_reader *r, cw_record *parent, const xmlNode *ref,
                                       const xmlNode *cit, const xmlNode *alt, int *nth,
                                       const char *label)
{
	if (citation_empty(cit) && citation_empty(alt)) {
		cw_diag_emit(r->s, CW_SEV_NOTE, CW_OK, jats_line(cit), 0,
		             "an empty <%s>: no reference record", (const char *)cit->name);
		return;
	}
	read_citation(r, parent, ref, cit, alt, ++*nth, label);
}

/* The first sibling from n on (n included) that is a mixed citation, or NULL. */
static const xmlNode *next_mixed(const xmlNode *n)
{
	while (n && !is_mixed_like(el_of(n)))
		n = n->next;
	return n;
}

/*
 * One <ref>: one record per citation it holds. A mixed citation beside an
 * element citation (SciELO, Redalyc tag one citation both ways without
 * <citation-alternatives>) is the same citation: the i-th mixed citation is
 * the original text of the i-th element citation, as in
 * <citation-alternatives>, which is always one record.
 */
static void read_ref(jats_reader *r, cw_record *parent, const xmlNode *ref)
{
	const xmlNode *lab = child(ref, JEL_LABEL);
	const char *label = lab ? ptext(r, lab, TX_PLAIN) : NULL;
	size_t nel = 0;
	for (const xmlNode *c = ref->children; c; c = c->next)
		nel += is_element_like(el_of(c)) != 0;
	int nth = 0;
	size_t imixed = 0;
	const xmlNode *alt = next_mixed(ref->children); /* the next element citation's text */
	for (const xmlNode *c = ref->children; c && !r->rec_failed; c = c->next) {
		enum jats_el ce = el_of(c);
		if (is_element_like(ce)) {
			read_citation_unless_empty(r, parent, ref, c, alt, &nth, label);
			if (alt)
				alt = next_mixed(alt->next);
		} else if (is_mixed_like(ce)) {
			if (imixed++ >=
			    nel) /* the first nel are read with their element citation */
				read_citation_unless_empty(r, parent, ref, c, NULL, &nth, label);
		} else if (ce == JEL_CITATION_ALTERNATIVES) {
			/* one citation: the structured form, with the mixed one's text */
			const xmlNode *el = NULL, *mixed = NULL, *any = NULL;
			for (const xmlNode *a = c->children; a; a = a->next) {
				enum jats_el ae = el_of(a);
				if (is_element_like(ae) && !el)
					el = a;
				else if (ae == JEL_MIXED_CITATION && !mixed && !attr_lang(a))
					mixed = a;
				else if (ae == JEL_MIXED_CITATION && !any)
					any = a;
			}
			if (!mixed)
				mixed = any;
			if (el)
				read_citation_unless_empty(r, parent, ref, el, mixed, &nth, label);
			else if (mixed)
				read_citation_unless_empty(r, parent, ref, mixed, NULL, &nth,
				                           label);
		}
	}
}

static void read_ref_list(jats_reader *r, cw_record *rec, const xmlNode *rl, uint32_t depth)
{
	if (depth > 16)
		return;
	for (const xmlNode *c = rl->children; c && !r->rec_failed; c = c->next) {
		enum jats_el ce = el_of(c);
		if (ce == JEL_REF)
			read_ref(r, rec, c);
		else if (ce == JEL_REF_LIST)
			read_ref_list(r, rec, c, depth + 1);
	}
}

static void read_back(jats_reader *r, cw_record *rec, const xmlNode *back, uint32_t depth)
{
	if (depth > 4)
		return;
	for (const xmlNode *c = back->children; c && !r->rec_failed; c = c->next) {
		enum jats_el ce = el_of(c);
		if (ce == JEL_REF_LIST)
			read_ref_list(r, rec, c, 0);
		else if (ce == JEL_SEC)
			read_back(r, rec, c, depth + 1);
	}
}

/* --- one article --- */

/*
 * An article record with what the <article> element itself says: the item
 * type, the article-type word and xml:lang (kept in r->lang for the front
 * matter, whose subtree outlives the element's attributes only by luck).
 */
static int article_begin(jats_reader *r, const xmlNode *art, cw_record **out)
{
	cw_record *rec = NULL;
	int rc = cw_record_new(&rec);
	if (rc)
		return cw_diag_emit(r->s, CW_SEV_ERROR, rc, jats_line(art), 0, "out of memory");
	r->rec_failed = 0;
	r->aff_seq = 0;
	r->nchildren = 0;
	cw_record_set_origin(rec, jats_line(art), 0);
	jats_kept(r, cw_record_set_source_format(rec, cw_session_format(r->s)));
	/* article-type chooses the item type (an <article> is a journal article unless it
	 * says otherwise) and is kept as the source's word, never as a genre */
	enum cw_item_type type = CW_TYPE_ARTICLE_JOURNAL;
	const char *at = attr(art, "article-type");
	if (at && *at) {
		jats_kept(r, cw_record_set_text(rec, CW_FIELD_ARTICLE_TYPE, at, CW_NUL));
		const cw_table_cell *csl = jats_table_find(
		    r->tab, JATS_SEC_ARTICLE_TYPES, JATS_TY_JATS, at, JATS_TY_CSL, JATS_READ, 1);
		if (csl && csl->value > 0)
			type = (enum cw_item_type)csl->value;
	}
	jats_kept(r, cw_record_set_type(rec, type));
	const char *lang = attr_lang(art);
	cw_buf_clear(&r->lang);
	r->has_lang = lang && cw_buf_append(&r->lang, lang, CW_NUL) == CW_OK;
	if (lang)
		jats_kept(r, cw_record_set_text(rec, CW_FIELD_LANGUAGE, lang, CW_NUL));
	*out = rec;
	return CW_OK;
}

static void article_front(jats_reader *r, cw_record *rec, const xmlNode *front)
{
	const char *lang = r->has_lang ? cw_buf_str(&r->lang) : NULL;
	for (const xmlNode *c = front->children; c && !r->rec_failed; c = c->next) {
		enum jats_el ce = el_of(c);
		if (ce == JEL_JOURNAL_META)
			read_journal_meta(r, rec, c, 0);
		else if (ce == JEL_ARTICLE_META)
			read_article_meta(r, rec, c, lang);
	}
}

/* An article in memory whole: an OAI <metadata> met before its <header>. */
static int read_article(jats_reader *r, const xmlNode *art, cw_record **out)
{
	cw_record *rec = NULL;
	int rc = article_begin(r, art, &rec);
	if (rc)
		return rc;
	const xmlNode *front = child(art, JEL_FRONT);
	if (!front) {
		cw_diag_emit(r->s, CW_SEV_ERROR, CW_ERECORD, jats_line(art), 0,
		             "<article> has no <front>");
		cw_record_free(rec);
		return CW_ERECORD;
	}
	article_front(r, rec, front);
	const xmlNode *back = child(art, JEL_BACK);
	if (back && !r->rec_failed)
		read_back(r, rec, back, 0);
	report_inferred(r);
	pool_done(r);
	if (r->rec_failed) {
		cw_record_free(rec);
		return CW_ERECORD;
	}
	*out = rec;
	return CW_OK;
}

/* --- OAI-PMH responses (PMC's metadataPrefix=pmc) --- */

/* The first child element of n with this local name in the OAI-PMH namespace. */
static const xmlNode *oai_child(const xmlNode *n, const char *local)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && c->ns && c->ns->href &&
		    strcmp((const char *)c->ns->href, JATS_NS_OAI) == 0 &&
		    strcmp((const char *)c->name, local) == 0)
			return c;
	return NULL;
}

/*
 * An OAI-PMH <header>: identifier, datestamp and setSpecs are copied (the
 * header is freed long before its article is done) and the identifier names
 * the record in messages. Returns 1 when the record is marked deleted (noted).
 */
static int oai_header(jats_reader *r, const xmlNode *h)
{
	const char *id = text_of(r, oai_child(h, "identifier"), TX_PLAIN);
	cw_buf_clear(&r->oai_id);
	r->has_oai_id = id && cw_buf_append(&r->oai_id, id, CW_NUL) == CW_OK;
	const char *ds = text_of(r, oai_child(h, "datestamp"), TX_PLAIN);
	cw_buf_clear(&r->oai_ds);
	r->has_oai_ds = ds && cw_buf_append(&r->oai_ds, ds, CW_NUL) == CW_OK;
	cw_buf_clear(&r->oai_sets);
	for (const xmlNode *c = h ? h->children : NULL; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "setSpec") != 0)
			continue;
		const char *set = text_of(r, c, TX_PLAIN);
		if (set)
			cw_buf_append(&r->oai_sets, set, strlen(set) + 1);
	}
	cw_session_set_record(r->s, r->has_oai_id ? cw_buf_str(&r->oai_id) : NULL);
	const char *status = attr(h, "status");
	if (status && strcmp(status, "deleted") == 0) {
		cw_diag_emit(r->s, CW_SEV_NOTE, CW_OK, r->rec_line, 0,
		             r->has_oai_id
		                 ? "the record is marked deleted; skipped"
		                 : "a record without identifier is marked deleted; skipped");
		return 1;
	}
	return 0;
}

/* The header's identifier, datestamp and sets onto the record's article. */
static void oai_apply(jats_reader *r, cw_record *rec)
{
	if (!r->rec_oai)
		return;
	/* the OAI identifier names the record, as the Dublin Core reader does */
	if (r->has_oai_id)
		jats_kept(r, cw_record_set_text(rec, CW_FIELD_ID, cw_buf_str(&r->oai_id), CW_NUL));
	if (r->has_oai_ds)
		jats_kept(r, cw_record_add_passthrough(rec, "jats", "oai:datestamp", cw_buf_str(&r->oai_ds),
		                          CW_NUL));
	for (size_t i = 0; i < r->oai_sets.len; i += strlen(r->oai_sets.data + i) + 1)
		jats_kept(r, cw_record_add_passthrough(rec, "jats", "oai:setSpec", r->oai_sets.data + i, CW_NUL));
}

/* The article of a <metadata> kept whole (met before the record's <header>). */
static int oai_metadata_whole(jats_reader *r, const xmlNode *m, cw_record **out)
{
	const xmlNode *art = NULL;
	for (const xmlNode *c = m->children; c && !art; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			art = c;
	if (!art)
		return cw_diag_emit(r->s, CW_SEV_ERROR, CW_ERECORD, r->rec_line, 0,
		                    "OAI-PMH record without metadata");
	if (strcmp((const char *)art->name, "article") != 0)
		return cw_diag_emit(r->s, CW_SEV_ERROR, CW_ERECORD, jats_line(art), 0,
		                    "metadata <%s> is not a JATS article (ask the server for "
		                    "metadataPrefix=pmc)",
		                    (const char *)art->name);
	return read_article(r, art, out); /* the header's fields come with article_out */
}

/* An OAI-PMH <error> or <resumptionToken> under the reader: reported as a note or warning. */
static void oai_message(jats_reader *r, const char *local)
{
	uint32_t line = (uint32_t)xmlTextReaderGetParserLineNumber(r->xr);
	if (strcmp(local, "error") == 0) {
		xmlChar *code = xmlTextReaderGetAttribute(r->xr, (const xmlChar *)"code");
		xmlChar *msg = xmlTextReaderReadString(r->xr);
		int none = code && strcmp((const char *)code, "noRecordsMatch") == 0;
		cw_diag_emit(r->s, none ? CW_SEV_NOTE : CW_SEV_WARNING, CW_OK, line, 0,
		             "OAI-PMH error %s: %s", code ? (const char *)code : "?",
		             msg ? (const char *)msg : "");
		r->oai_seen = 1;
		xmlFree(code);
		xmlFree(msg);
	} else if (strcmp(local, "resumptionToken") == 0) {
		xmlChar *tok = xmlTextReaderReadString(r->xr);
		if (tok && *tok)
			cw_diag_emit(r->s, CW_SEV_NOTE, CW_OK, line, 0,
			             "resumption token '%s': the server has more records "
			             "(crosswalk does not harvest)",
			             (const char *)tok);
		xmlFree(tok);
	}
}

/* --- the walk through one record --- */

static int jats_fail_status(jats_reader *r)
{
	if (!r->dead && !r->limit_hit) {
		r->dead = 1;
		/* libxml2's own words when it gave some ("input conversion failed
		 * due to input error, bytes 0xFF 0x3C"), on one line */
		char *m = r->generic, *nl = strchr(m, '\n');
		if (nl)
			*nl = '\0';
		/* "encoding error : input conversion failed...": the part after the domain */
		char *sep = strstr(m, " : ");
		if (sep)
			m = sep + 3;
		while (*m == ' ')
			m++;
		size_t n = strlen(m);
		while (n && m[n - 1] == ' ')
			m[--n] = '\0';
		return cw_diag_emit(r->s, CW_SEV_ERROR, CW_EFORMAT,
		                    r->xr ? (uint32_t)xmlTextReaderGetParserLineNumber(r->xr) : 0,
		                    0, "the XML input is not readable%s%s%s", *m ? " (" : "", m,
		                    *m ? ")" : "");
	}
	return r->limit_hit ? CW_ELIMIT : CW_EFORMAT;
}

/* Drops what the record being walked still holds. */
static void jats_record_clear(jats_reader *r)
{
	cw_record_free(r->art);
	r->art = NULL;
	xmlFreeNode(r->back_copy);
	r->back_copy = NULL;
	xmlFreeNode(r->meta_copy);
	r->meta_copy = NULL;
	for (size_t i = r->iqueue; i < r->nqueue; i++)
		cw_record_free(r->queue[i]);
	cw_free(r->queue);
	r->queue = NULL;
	r->nqueue = r->iqueue = 0;
	r->walking = 0;
}

/* The rest of the record is skipped: reported already, it ends as an error. */
static void record_fail(jats_reader *r)
{
	r->rec_bad = 1;
	r->skip = 1;
}

/* An error when the record has grown past the record-bytes limit. */
static void check_size(jats_reader *r)
{
	if (r->skip || r->rec_start < 0)
		return;
	long now = xmlTextReaderByteConsumed(r->xr);
	if (now < r->rec_start || (uint64_t)(now - r->rec_start) <= r->lim->max_record_bytes)
		return;
	cw_session_limit_error(r->s, CW_ELIMIT, CW_LIMIT_RECORD_BYTES, r->rec_line, 0,
	                       "%s larger than", r->rec_oai ? "OAI-PMH record" : "article");
	record_fail(r);
}

/* Enters the element the reader stands on (unless empty) as a frame of this kind. */
static void walk_enter(jats_reader *r, int depth, enum jats_kind kind, unsigned level)
{
	uint32_t i = (uint32_t)(depth - r->rec_depth);
	if (i >= JATS_WALK_MAX || xmlTextReaderIsEmptyElement(r->xr) > 0)
		return;
	r->stack[i].kind = (uint8_t)kind;
	r->stack[i].level = (uint8_t)level;
	r->nstack = i + 1;
	r->into = 1;
}

/* A copy of the subtree the reader stands on, or NULL (then the input is dead). */
static xmlNodePtr walk_copy(jats_reader *r)
{
	xmlNodePtr node = xmlTextReaderExpand(r->xr);
	if (!node || r->dead || r->limit_hit)
		return NULL;
	xmlNodePtr copy = xmlCopyNode(node, 1);
	if (!copy) {
		cw_diag_emit(r->s, CW_SEV_ERROR, CW_ENOMEM, jats_line(node), 0, "out of memory");
		r->dead = 1;
	}
	return copy;
}

enum { WALK_END = 0, WALK_REF = 1 };

/*
 * One element of the record, in document order, with what it means for the
 * walk: front matter and an OAI header are expanded alone and read; an
 * article's first <back>, its sec and ref-list elements and an OAI record's
 * <metadata> are entered; a <ref> is left for the caller (WALK_REF); the
 * rest is skipped, which lets libxml2 free it. WALK_END when the reader
 * stands on the record's end (or on an empty record element); a negative
 * status when the input is dead.
 */
static int walk_element(jats_reader *r, int depth)
{
	uint32_t i = (uint32_t)(depth - r->rec_depth);
	if (i == 0 || i > r->nstack)
		return 1;
	const jats_frame *pf = &r->stack[i - 1];
	enum jats_el el = jats_element((const char *)xmlTextReaderConstName(r->xr));
	switch ((enum jats_kind)pf->kind) {
	case JK_ARTICLE:
		if (el == JEL_FRONT && !r->front_seen) {
			r->front_seen = 1;
			check_size(r);
			if (r->skip)
				break;
			xmlNodePtr front = xmlTextReaderExpand(r->xr);
			if (!front || r->dead || r->limit_hit)
				return jats_fail_status(r);
			article_front(r, r->art, front);
			pool_done(r);
			if (r->rec_failed)
				record_fail(r);
		} else if (el == JEL_BACK && !r->back_seen) {
			r->back_seen = 1;
			if (r->front_seen) {
				walk_enter(r, depth, JK_BACK, 0);
			} else {
				/* invalid order: kept whole and read after the front matter */
				r->back_copy = walk_copy(r);
				if (!r->back_copy)
					return jats_fail_status(r);
			}
		}
		break;
	case JK_BACK:
	case JK_SEC:
		if (el == JEL_REF_LIST)
			walk_enter(r, depth, JK_REF_LIST, 0);
		else if (el == JEL_SEC && pf->level < JATS_SEC_LEVELS)
			walk_enter(r, depth, JK_SEC, pf->level + 1u);
		break;
	case JK_REF_LIST:
		if (el == JEL_REF)
			return 0;
		if (el == JEL_REF_LIST && pf->level < JATS_REF_LIST_LEVELS)
			walk_enter(r, depth, JK_REF_LIST, pf->level + 1u);
		break;
	case JK_OAI_RECORD: {
		const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r->xr);
		const char *local = (const char *)xmlTextReaderConstLocalName(r->xr);
		if (!ns || !local || strcmp(ns, JATS_NS_OAI) != 0)
			break;
		if (strcmp(local, "header") == 0 && !r->header_seen) {
			r->header_seen = 1;
			xmlNodePtr h = xmlTextReaderExpand(r->xr);
			if (!h || r->dead || r->limit_hit)
				return jats_fail_status(r);
			if (oai_header(r, h)) {
				r->rec_drop = 1;
				r->skip = 1;
			}
		} else if (strcmp(local, "metadata") == 0 && !r->meta_seen) {
			r->meta_seen = 1;
			if (r->header_seen) {
				walk_enter(r, depth, JK_OAI_METADATA, 0);
			} else {
				/* invalid order: kept whole and read after the header */
				r->meta_copy = walk_copy(r);
				if (!r->meta_copy)
					return jats_fail_status(r);
			}
		}
		break;
	}
	case JK_OAI_METADATA: {
		if (r->art_seen)
			break; /* the first element is the record's metadata */
		r->art_seen = 1;
		xmlNodePtr art = xmlTextReaderCurrentNode(r->xr);
		const char *local = (const char *)xmlTextReaderConstLocalName(r->xr);
		if (!art || !local || strcmp(local, "article") != 0) {
			cw_diag_emit(r->s, CW_SEV_ERROR, CW_ERECORD, jats_line(art), 0,
			             "metadata <%s> is not a JATS article (ask the server for "
			             "metadataPrefix=pmc)",
			             local ? local : "?");
			record_fail(r);
			break;
		}
		int rc = article_begin(r, art, &r->art);
		if (rc)
			return rc;
		walk_enter(r, depth, JK_ARTICLE, 0);
		break;
	}
	}
	return 1;
}

static int walk(jats_reader *r)
{
	for (;;) {
		if (r->rec_empty)
			return WALK_END;
		int ret = r->into ? xmlTextReaderRead(r->xr) : xmlTextReaderNext(r->xr);
		r->into = 0;
		if (ret <= 0 || r->dead || r->limit_hit)
			return jats_fail_status(r); /* the input ends inside the record */
		int type = xmlTextReaderNodeType(r->xr);
		int depth = xmlTextReaderDepth(r->xr);
		if (type == XML_READER_TYPE_END_ELEMENT) {
			if (depth <= r->rec_depth)
				return WALK_END;
			uint32_t i = (uint32_t)(depth - r->rec_depth);
			if (i < r->nstack)
				r->nstack = i;
			continue;
		}
		if (type != XML_READER_TYPE_ELEMENT || r->skip)
			continue;
		int w = walk_element(r, depth);
		if (w < 0)
			return w;
		if (w == 0)
			return WALK_REF;
	}
}

/*
 * Starts the walk of the record (an <article>, or an OAI-PMH <record>) the
 * reader stands on.
 */
static int record_begin(jats_reader *r, int depth, int oai)
{
	jats_record_clear(r);
	xmlNodePtr node = xmlTextReaderCurrentNode(r->xr);
	r->walking = 1;
	r->rec_depth = depth;
	r->rec_oai = oai;
	r->rec_line = jats_line(node);
	cw_session_set_line(r->s, r->rec_line); /* for the host's crash message */
	r->rec_start = xmlTextReaderByteConsumed(r->xr);
	r->front_seen = r->back_seen = r->art_seen = r->header_seen = r->meta_seen = 0;
	r->handed = r->skip = r->rec_bad = r->rec_drop = 0;
	r->has_oai_id = r->has_oai_ds = 0;
	cw_buf_clear(&r->oai_sets);
	r->stack[0].kind = oai ? JK_OAI_RECORD : JK_ARTICLE;
	r->stack[0].level = 0;
	r->nstack = 1;
	r->rec_empty = xmlTextReaderIsEmptyElement(r->xr) > 0;
	r->into = !r->rec_empty;
	if (oai) {
		r->oai_seen = 1;
		return CW_OK;
	}
	r->art_seen = 1;
	return node ? article_begin(r, node, &r->art) : jats_fail_status(r);
}

/*
 * The article goes out. When its references go out apart, it is marked:
 * they follow it as records of their own (CW_CHILDREN_FOLLOW), or they are
 * its children (CW_CHILDREN_HERE).
 */
static int article_out(jats_reader *r, enum cw_children_mark refs, cw_record **out)
{
	cw_record *rec = r->art;
	r->art = NULL;
	oai_apply(r, rec);
	if (r->apart)
		cw_record_mark_children(rec, refs);
	*out = rec;
	return CW_OK;
}

/*
 * The <ref> the reader stands on. Normally its records join the article's
 * children; when they go out apart they are queued, and the first of them
 * makes the article itself go out (CW_OK). CW_DROP: nothing to hand out.
 */
static int walk_ref(jats_reader *r, cw_record **out)
{
	xmlNodePtr node = xmlTextReaderExpand(r->xr);
	if (!node || r->dead || r->limit_hit)
		return jats_fail_status(r);
	if (!r->apart) {
		read_ref(r, r->art, node);
		pool_done(r);
		if (r->rec_failed)
			record_fail(r);
		return CW_DROP;
	}
	if (!r->holder && cw_record_new(&r->holder) != CW_OK)
		return cw_diag_emit(r->s, CW_SEV_ERROR, CW_ENOMEM, jats_line(node), 0,
		                    "out of memory");
	read_ref(r, r->holder, node);
	pool_done(r);
	cw_record **kids = NULL;
	size_t n = 0;
	int rc = cw_record_take_children(r->holder, &kids, &n);
	if (rc)
		return cw_diag_emit(r->s, CW_SEV_ERROR, rc, jats_line(node), 0, "out of memory");
	if (r->rec_failed) {
		/* reported: this reference is skipped, or (too many) the rest of the list */
		for (size_t i = 0; i < n; i++)
			cw_record_free(kids[i]);
		cw_free(kids);
		r->rec_failed = 0;
		if (r->nchildren >= r->lim->max_children) {
			record_fail(r);
			return CW_DROP;
		}
		return CW_ERECORD;
	}
	cw_free(r->queue); /* handed out whole: only NULLs are left in it */
	r->queue = kids;
	r->nqueue = n;
	r->iqueue = 0;
	if (n && !r->handed) {
		r->handed = 1;
		return article_out(r, CW_CHILDREN_FOLLOW, out);
	}
	return CW_DROP;
}

/* The record's end: its article goes out, or CW_ERECORD, or CW_DROP (nothing). */
static int record_end(jats_reader *r, cw_record **out)
{
	r->walking = 0;
	if (r->rec_drop) {
		jats_record_clear(r);
		return CW_DROP; /* an OAI record marked deleted: noted */
	}
	r->articles++;
	int rc = CW_OK;
	if (r->rec_oai && r->meta_copy && !r->rec_bad) {
		rc = oai_metadata_whole(r, r->meta_copy, &r->art);
	} else if (r->rec_oai && !r->art_seen) {
		rc = cw_diag_emit(r->s, CW_SEV_ERROR, CW_ERECORD, r->rec_line, 0,
		                  "OAI-PMH record without metadata");
	} else if (!r->rec_bad && !r->front_seen) {
		uint32_t line = 0;
		cw_record_origin(r->art, &line, NULL);
		rc = cw_diag_emit(r->s, CW_SEV_ERROR, CW_ERECORD, line, 0,
		                  "<article> has no <front>");
	} else {
		if (r->back_copy && !r->rec_bad)
			read_back(r, r->art, r->back_copy, 0);
		report_inferred(r);
		if (r->rec_failed || r->rec_bad)
			rc = CW_ERECORD;
	}
	if (rc == CW_OK && !r->handed)
		rc = article_out(r, CW_CHILDREN_HERE, out);
	else if (rc == CW_OK)
		rc = CW_DROP; /* went out with its first reference */
	jats_record_clear(r);
	return rc;
}

/* The record being walked, on to its next record to hand out or its end. */
static int walk_record(jats_reader *r, cw_record **out)
{
	if (r->rec_oai && r->header_seen) /* the label of a record resumed */
		cw_session_set_record(r->s, r->has_oai_id ? cw_buf_str(&r->oai_id) : NULL);
	for (;;) {
		int w = walk(r);
		if (w < 0) {
			jats_record_clear(r);
			return w;
		}
		check_size(r);
		if (w == WALK_END)
			return record_end(r, out);
		if (r->skip)
			continue;
		int rc = walk_ref(r, out);
		if (rc < 0 && rc != CW_ERECORD)
			jats_record_clear(r);
		if (rc != CW_DROP || r->iqueue < r->nqueue)
			return rc;
	}
}

/* --- the pull loop --- */

/* Is this root element one the reader reads? Sets root_is_article / root_is_oai. */
static int jats_root(jats_reader *r, const char *name)
{
	static const char *const sets[] = {"pmc-articleset", "articles", "article-set",
	                                   "collection"};
	if (strcmp(name, "article") == 0) {
		r->root_is_article = 1;
		return 1;
	}
	const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r->xr);
	if (strcmp(name, "OAI-PMH") == 0 && ns && strcmp(ns, JATS_NS_OAI) == 0) {
		r->root_is_oai = 1;
		return 1;
	}
	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
		if (strcmp(name, sets[i]) == 0)
			return 1;
	return 0;
}

static int jats_next_caught(jats_reader *r, cw_record **out);

static int jats_next(void *state, cw_session *s, cw_record **out)
{
	jats_reader *r = state;
	(void)s;
	jats_generic_saved sv = jats_generic_catch(r);
	int rc = jats_next_caught(r, out);
	jats_generic_restore(sv);
	return rc;
}

static int jats_next_caught(jats_reader *r, cw_record **out)
{
	*out = NULL;
	if (r->dead || r->limit_hit)
		return r->limit_hit ? CW_ELIMIT : CW_EFORMAT;
	if (!r->apart_known) {
		r->apart_known = 1;
		r->apart = (cw_filter_flags(cw_session_next_filter(r->s)) &
		            CW_FILTER_TAKES_CHILDREN_APART) != 0;
	}
	for (;;) {
		if (r->iqueue < r->nqueue) {
			*out = r->queue[r->iqueue];
			r->queue[r->iqueue++] = NULL;
			return CW_OK;
		}
		if (r->walking) {
			int rc = walk_record(r, out);
			if (rc == CW_DROP)
				continue;
			return rc;
		}
		int ret;
		if (r->eof) {
			ret = 0;
		} else if (r->pending) {
			r->pending = 0;
			ret = 1;
		} else {
			ret = xmlTextReaderRead(r->xr);
		}
		if (ret < 0 || r->dead || r->limit_hit)
			return jats_fail_status(r);
		if (ret == 0) {
			r->eof = 1;
			if (!r->started)
				return cw_diag_emit(r->s, CW_SEV_ERROR, CW_EFORMAT, 0, 0,
				                    "no XML element in the input");
			if (!r->articles && !r->root_is_article && !r->oai_seen)
				return cw_diag_emit(r->s, CW_SEV_ERROR, CW_EFORMAT, 0, 0,
				                    r->root_is_oai
				                        ? "an OAI-PMH response without records"
				                        : "no <article> element in the input");
			return CW_EOF;
		}
		if (xmlTextReaderNodeType(r->xr) != XML_READER_TYPE_ELEMENT)
			continue;
		int depth = xmlTextReaderDepth(r->xr);
		const char *name = (const char *)xmlTextReaderConstLocalName(r->xr);
		if (!r->started) {
			r->started = 1;
			if (!name || !jats_root(r, name)) {
				r->dead = 1;
				return cw_diag_emit(
				    r->s, CW_SEV_ERROR, CW_EFORMAT,
				    (uint32_t)xmlTextReaderGetParserLineNumber(r->xr),
				    (uint32_t)xmlTextReaderGetParserColumnNumber(r->xr),
				    "unexpected root element <%s>: a JATS file holds <article> "
				    "(or a <pmc-articleset> of articles, or an OAI-PMH response "
				    "with metadataPrefix=pmc)",
				    name ? name : "?");
			}
		}
		int is_record = 0;
		if (r->root_is_oai) {
			/* OAI-PMH/GetRecord|ListRecords/record: one article per record */
			const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r->xr);
			if (!name || !ns || strcmp(ns, JATS_NS_OAI) != 0 || depth > 2)
				continue;
			if (strcmp(name, "record") != 0) {
				oai_message(r, name);
				continue;
			}
			is_record = 1;
		} else if (!name || strcmp(name, "article") != 0 || depth > 1 ||
		           (depth == 1 && r->root_is_article)) {
			continue;
		}
		if ((uint64_t)r->articles >= r->lim->max_records) {
			r->dead = 1;
			return cw_diag_emit(r->s, CW_SEV_ERROR, CW_ELIMIT,
			                    (uint32_t)xmlTextReaderGetParserLineNumber(r->xr), 0,
			                    "more than %llu records",
			                    (unsigned long long)r->lim->max_records);
		}
		int rc = record_begin(r, depth, is_record);
		if (rc) {
			jats_record_clear(r);
			return rc;
		}
	}
}

const cw_reader_ops jats_reader_ops = {
    .struct_size = sizeof(cw_reader_ops),
    .state_size = sizeof(jats_reader),
    .open = jats_open,
    .next = jats_next,
    .close = jats_close,
};
