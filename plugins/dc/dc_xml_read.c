/*
 * Reads Dublin Core XML: a single oai_dc:dc record, a DSpace-style
 * qdc:qualifieddc record, or an OAI-PMH response (GetRecord, ListRecords)
 * whose records are streamed one at a time with libxml2's xmlTextReader:
 * each <record> is expanded into a small DOM subtree, mapped, and dropped
 * before the next one is read, so memory stays bounded by one record.
 *
 * libxml2 runs with XML_PARSE_NONET, without entity substitution, DTD
 * loading or XML_PARSE_HUGE; its errors become located diagnostics.
 *
 * The read callback is the one place that sees every byte libxml2 gets, so
 * it enforces what libxml2 cannot be told: no step of the parse (a record's
 * expansion, one node between records, a foreign root read whole) may take
 * more than record-bytes of input, and a NUL byte, which XML never has,
 * stops the input there and is reported where it is (libxml2 would say
 * "Document is empty" or "Extra content" somewhere else).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "dc.h"

#define NS_OAI "http://www.openarchives.org/OAI/2.0/"
#define NS_OAI_DC "http://www.openarchives.org/OAI/2.0/oai_dc/"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_DCTERMS "http://purl.org/dc/terms/"
#define NS_QDC "http://dspace.org/qualifieddc/"
#define NS_XML "http://www.w3.org/XML/1998/namespace"

typedef struct xr {
	xmlTextReaderPtr r;
	cw_istream *in;
	cw_session *s;
	dc_tables tab;
	dc_stmts st;
	cw_buf text;
	int fatal; /* a libxml2 error was reported: the stream is dead */
	int seen_root;
	uint64_t records;
	int stray_reported;
	int io_error; /* status of a failed read (a limit, an I/O error) */
	int status;   /* what a dead stream answers (CW_EFORMAT unless a limit killed it) */
	/* what the read callback lets libxml2 see */
	int scan_nul;         /* a byte-wide encoding: a NUL byte is an error */
	cw_tagscan *attrs;    /* byte-wide encodings: the attribute guard */
	int cut;              /* feeding stopped: enum cut */
	int step;             /* what the bytes since mark are: enum step */
	uint64_t fed, mark;   /* bytes given to libxml2; fed when the step began */
	uint32_t line, col;   /* position after the bytes fed */
	uint32_t step_line;   /* where the step began */
	/* records found inside a root of another vocabulary (expanded as a whole) */
	const xmlNode **queue;
	size_t nq, iq;
	int in_queue;
	int pending;  /* xmlTextReaderNext left the cursor on an unread node */
} xr;

/* libxml2's generic error channel prints to stderr; its messages repeat what
 * the structured handler reports with a location, so they are dropped while
 * this plugin parses (the handler is per thread; the previous one is put back). */
static void xr_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

typedef struct xr_saved {
	xmlGenericErrorFunc fn;
	void *ctx;
} xr_saved;

static xr_saved xr_silence(void)
{
	xr_saved sv = {xmlGenericError, xmlGenericErrorContext};
	xmlSetGenericErrorFunc(NULL, xr_quiet);
	return sv;
}

static void xr_restore(xr_saved sv)
{
	xmlSetGenericErrorFunc(sv.ctx, sv.fn);
}

enum cut { CUT_NUL = 1, CUT_LIMIT, CUT_ATTRS };
enum step {
	STEP_NODE,     /* one node outside a record */
	STEP_RECORD,   /* one record expanded */
	STEP_DOCUMENT, /* a root of another vocabulary, expanded whole */
};

/* Starts a step of the parse at line: what record-bytes bounds from here. */
static void xr_step(xr *x, enum step step, uint32_t line)
{
	x->step = (int)step;
	x->step_line = line;
	x->mark = x->fed;
}

/* Moves the position over n bytes given to libxml2 (columns count characters). */
static void xr_advance(xr *x, const char *p, size_t n)
{
	const char *end = p + n, *nl;
	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		x->line++, x->col = 1;
		p = nl + 1;
	}
	for (; p < end; p++)
		if ((*p & 0xC0) != 0x80)
			x->col++;
}

static int xr_read_cb(void *ud, char *buf, int len)
{
	xr *x = ud;
	/* libxml2 asks for more only when it needs more: a step that has used
	 * record-bytes and still asks is over the limit (exactly, not by the
	 * read-ahead of one request) */
	if (!x->cut && x->fed - x->mark > cw_session_limits(x->s)->max_record_bytes)
		x->cut = CUT_LIMIT;
	if (x->cut == CUT_NUL)
		return 0; /* an end of input: libxml2 still delivers what came before */
	if (x->cut || x->io_error)
		return -1;
	size_t got = 0;
	int rc = cw_istream_read(x->in, buf, (size_t)len, &got);
	if (rc < 0) {
		x->io_error = rc;
		return -1;
	}
	const char *z = x->scan_nul ? memchr(buf, 0, got) : NULL;
	if (z) {
		got = (size_t)(z - buf); /* libxml2 gets what comes before it */
		x->cut = CUT_NUL;
	}
	if (x->attrs && cw_tagscan_feed(x->attrs, buf, got) != CW_OK) {
		x->cut = CUT_ATTRS; /* libxml2 takes quadratic time in attributes: none of it */
		return -1;
	}
	xr_advance(x, buf, got);
	x->fed += got;
	return (int)got;
}

/*
 * Reports why the read callback stopped feeding libxml2 (once), instead of
 * what libxml2 makes of the input ending there. 0 when it did not stop.
 */
static int xr_report_cut(xr *x)
{
	if (!x->cut && !x->io_error)
		return 0;
	if (x->fatal)
		return 1;
	x->fatal = 1;
	cw_session *s = x->s;
	static const char *const what[] = {
	    [STEP_NODE] = "XML markup outside a record larger than",
	    [STEP_RECORD] = "record larger than",
	    [STEP_DOCUMENT] = ("document (its root is neither OAI-PMH nor Dublin Core, so it "
	                       "is read whole) larger than"),
	};
	if (x->cut == CUT_NUL) {
		x->status = cw_diag_emit(s, CW_SEV_ERROR, CW_EFORMAT, x->line, x->col,
		                         "a NUL byte in the input (XML text never has one)");
	} else if (x->cut == CUT_ATTRS) {
		x->status = cw_tagscan_report(x->attrs, s);
	} else if (x->cut == CUT_LIMIT) {
		if (x->step != STEP_RECORD)
			cw_session_set_record(s, NULL); /* not about the record just read */
		x->status = cw_session_limit_error(s, CW_ELIMIT, CW_LIMIT_RECORD_BYTES,
		                                   x->step_line, 0, "%s", what[x->step]);
	} else if (x->io_error == CW_ELIMIT) {
		x->status = cw_session_limit_error(s, CW_ELIMIT, CW_LIMIT_INPUT_BYTES, x->line,
		                                   x->col, "input larger than");
	} else {
		x->status = cw_diag_emit(s, CW_SEV_ERROR, x->io_error, 0, 0,
		                         "cannot read the input: %s", cw_status_str(x->io_error));
	}
	return 1;
}

/* Marks the stream dead, reporting msg at line unless something was reported. */
static int xr_fail(xr *x, uint32_t line, uint32_t col, const char *msg)
{
	if (!xr_report_cut(x) && !x->fatal) {
		x->fatal = 1;
		cw_diag_emit(x->s, CW_SEV_ERROR, CW_EFORMAT, line, col, "%s", msg);
	}
	return x->status;
}

/* 1 when the first bytes say UTF-16 or UCS-4, where NUL bytes are part of characters. */
static int xr_wide(const unsigned char *p, size_t n)
{
	if (n >= 2 && ((p[0] == 0xFE && p[1] == 0xFF) || (p[0] == 0xFF && p[1] == 0xFE)))
		return 1;
	static const unsigned char lt[][4] = {
	    {0, '<', 0, '?'}, {'<', 0, '?', 0}, {0, 0, 0, '<'}, {'<', 0, 0, 0}};
	for (size_t i = 0; n >= 4 && i < sizeof lt / sizeof lt[0]; i++)
		if (memcmp(p, lt[i], 4) == 0)
			return 1;
	return 0;
}

static int xr_close_cb(void *ud)
{
	(void)ud;
	return 0;
}

static void xr_error(void *ud, xmlErrorPtr e)
{
	xr *x = ud;
	if (!e || !x->s)
		return;
	char msg[512];
	snprintf(msg, sizeof msg, "%s", e->message ? e->message : "XML error");
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (e->level == XML_ERR_WARNING) {
		cw_diag_emit(x->s, CW_SEV_WARNING, CW_OK, (uint32_t)e->line, (uint32_t)e->int2,
		             "%s", msg);
		return;
	}
	if (xr_report_cut(x) || x->fatal)
		return; /* one error per stream: the rest follows from it */
	x->fatal = 1;
	cw_diag_emit(x->s, CW_SEV_ERROR, CW_EFORMAT, (uint32_t)e->line, (uint32_t)e->int2, "%s",
	             msg);
}

static int xr_open(void *state, cw_session *s, cw_istream *in)
{
	xr *x = state;
	x->in = in;
	x->s = s;
	x->status = CW_EFORMAT;
	x->line = 1, x->col = 1;
	int rc = dc_tables_load(&x->tab, s);
	if (rc)
		return rc;
	const char *head;
	size_t n;
	if (cw_istream_peek(in, 4, &head, &n) == CW_OK) {
		x->scan_nul = !xr_wide((const unsigned char *)head, n);
		uint32_t attrs = cw_session_limits(s)->max_attributes;
		if (x->scan_nul && (rc = cw_tagscan_new(&x->attrs, attrs, 0)) != CW_OK)
			return rc;
		if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
			x->col = 0; /* the BOM is not a column */
	}
	int opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
#ifdef XML_PARSE_NO_XXE
	opts |= XML_PARSE_NO_XXE;
#endif
#ifdef XML_PARSE_NO_SYS_CATALOG
	opts |= XML_PARSE_NO_SYS_CATALOG;
#endif
	xr_saved sv = xr_silence();
	x->r = xmlReaderForIO(xr_read_cb, xr_close_cb, x, cw_session_file(s), NULL, opts);
	xr_restore(sv);
	if (!x->r)
		return cw_diag_emit(s, CW_SEV_ERROR, CW_ENOMEM, 0, 0,
		                    "cannot create the XML reader");
	xmlTextReaderSetStructuredErrorHandler(x->r, xr_error, x);
	return CW_OK;
}

static void xr_close(void *state, cw_session *s)
{
	(void)s;
	xr *x = state;
	xr_saved sv = xr_silence();
	if (x->r)
		xmlFreeTextReader(x->r);
	xr_restore(sv);
	x->r = NULL;
	dc_stmts_free(&x->st);
	cw_tagscan_free(x->attrs);
	x->attrs = NULL;
	cw_buf_free(&x->text);
	dc_tables_free(&x->tab);
	free(x->queue);
}

static int ns_is(const xmlNode *n, const char *ns)
{
	return n->ns && n->ns->href && strcmp((const char *)n->ns->href, ns) == 0;
}

static int name_is(const xmlNode *n, const char *name)
{
	return strcmp((const char *)n->name, name) == 0;
}

/* Appends the text of n's subtree (bounded depth). */
static int collect(xr *x, const xmlNode *n, unsigned depth)
{
	const cw_limits *lim = cw_session_limits(x->s);
	if (depth > lim->max_depth)
		return cw_session_limit_error(x->s, CW_ELIMIT, CW_LIMIT_DEPTH,
		                              (uint32_t)xmlGetLineNo(n), 0,
		                              "elements in a value nested deeper than");
	for (const xmlNode *c = n->children; c; c = c->next) {
		int rc = CW_OK;
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
			rc = cw_buf_append(&x->text, (const char *)c->content, CW_NUL);
		else if (c->type == XML_ELEMENT_NODE)
			rc = collect(x, c, depth + 1);
		else if (c->type == XML_ENTITY_REF_NODE)
			cw_diag_emit(x->s, CW_SEV_WARNING, CW_OK, (uint32_t)xmlGetLineNo(n), 0,
			             "entity &%s; left unexpanded", (const char *)c->name);
		if (rc)
			return rc;
		if (x->text.len > lim->max_field_bytes)
			return cw_session_limit_error(x->s, CW_ELIMIT, CW_LIMIT_FIELD_BYTES,
			                              (uint32_t)xmlGetLineNo(n), 0,
			                              "value of <%s> longer than",
			                              (const char *)n->name);
	}
	return CW_OK;
}

/* Normalises white space. Descriptions keep paragraph breaks: a blank line,
 * or a line break followed directly by text (DSpace puts one newline between
 * paragraphs); a line break followed by indentation is a pretty-printer's
 * wrap and becomes a space. Everything else is collapsed to single spaces. */
static void normalise(cw_buf *b, int keep_lines)
{
	char *s = b->data;
	if (!s)
		return;
	size_t o = 0;
	int pend_space = 0, pend_nl = 0;
	for (size_t i = 0; i < b->len; i++) {
		char c = s[i];
		if (c == '\n' && keep_lines) {
			int blank = 0;
			size_t j = i + 1;
			while (j < b->len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
				j++;
			blank = j < b->len && s[j] == '\n';
			if (o > 0 && (blank || j == i + 1)) {
				pend_nl = 1;
				pend_space = 0;
			} else {
				pend_space = o > 0 && !pend_nl;
			}
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			pend_space = o > 0 && !pend_nl;
		} else {
			if (pend_nl)
				s[o++] = '\n';
			else if (pend_space)
				s[o++] = ' ';
			pend_nl = pend_space = 0;
			s[o++] = c;
		}
	}
	s[o] = '\0';
	b->len = o;
}

/* Reads the DC statements of a record element (oai_dc:dc, qdc:qualifieddc, ...). */
static int read_dc_element(xr *x, const xmlNode *dc)
{
	dc_stmts_clear(&x->st);
	for (const xmlNode *c = dc->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE) {
			const char *t = (const char *)c->content;
			if (t[strspn(t, " \t\r\n")] && !x->stray_reported) {
				cw_diag_emit(x->s, CW_SEV_WARNING, CW_OK, (uint32_t)xmlGetLineNo(c),
				             0, "stray text in <%s> ignored",
				             (const char *)dc->name);
				x->stray_reported = 1;
			}
			continue;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!ns_is(c, NS_DC) && !ns_is(c, NS_DCTERMS)) {
			cw_diag_emit(x->s, CW_SEV_WARNING, CW_OK, (uint32_t)xmlGetLineNo(c), 0,
			             "element <%s> is not Dublin Core; ignored",
			             (const char *)c->name);
			continue;
		}
		cw_buf_clear(&x->text);
		int rc = collect(x, c, 1);
		if (rc)
			return rc;
		int desc = name_is(c, "description") || name_is(c, "abstract") ||
		           name_is(c, "tableOfContents");
		normalise(&x->text, desc);
		if (!x->text.len)
			continue;
		xmlChar *lang = xmlNodeGetLang(c);
		/* only the element's own xml:lang, not one inherited from the container */
		xmlChar *own = xmlGetNsProp(c, (const xmlChar *)"lang", (const xmlChar *)NS_XML);
		rc = dc_stmts_add(&x->st, (const char *)c->name, own ? (const char *)own : NULL,
		                  x->text.data, x->text.len, (uint32_t)xmlGetLineNo(c), 0);
		xmlFree(lang);
		xmlFree(own);
		if (rc)
			return rc;
	}
	return CW_OK;
}

static int make_record(xr *x, const xmlNode *at, cw_record **out, const char *oai_id,
                       const char *datestamp, const xmlNode *header)
{
	cw_session_set_line(x->s, (uint32_t)xmlGetLineNo(at)); /* for the host's crash message */
	cw_record *rec = NULL;
	int rc = cw_record_new(&rec);
	if (rc)
		return rc;
	cw_record_set_origin(rec, (uint32_t)xmlGetLineNo(at), 0);
	cw_record_set_source_format(rec, cw_session_format(x->s));
	if (oai_id) {
		rc = cw_record_set_text(rec, CW_FIELD_ID, oai_id, CW_NUL);
		cw_session_set_record(x->s, oai_id);
	}
	if (rc >= 0 && datestamp)
		rc = cw_record_add_passthrough(rec, DC_PT, "oai:datestamp", datestamp, CW_NUL);
	for (const xmlNode *c = header ? header->children : NULL; c && rc >= 0; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && name_is(c, "setSpec")) {
			xmlChar *v = xmlNodeGetContent(c);
			if (v)
				rc = cw_record_add_passthrough(rec, DC_PT, "oai:setSpec",
				                               (const char *)v, CW_NUL);
			xmlFree(v);
		}
	}
	if (rc >= 0)
		rc = dc_map_read(&x->tab, x->s, &x->st, rec);
	if (rc < 0) {
		cw_record_free(rec);
		return rc;
	}
	*out = rec;
	return CW_OK;
}

/* 1 if n has a Dublin Core child element. */
static int has_dc_children(const xmlNode *n)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && (ns_is(c, NS_DC) || ns_is(c, NS_DCTERMS)))
			return 1;
	return 0;
}

/*
 * A root of another vocabulary (<metadata>, <records>, an EPUB package...):
 * the root itself is the record when DC elements are its children, else each
 * child that has DC elements is one. The root is expanded as a whole.
 */
static int queue_foreign_root(xr *x, const xmlNode *root)
{
	size_t cap = 0;
	if (has_dc_children(root)) {
		cap = 1;
	} else {
		for (const xmlNode *c = root->children; c; c = c->next)
			cap += c->type == XML_ELEMENT_NODE && has_dc_children(c);
	}
	if (!cap)
		return CW_OK;
	x->queue = malloc(cap * sizeof *x->queue);
	if (!x->queue)
		return CW_ENOMEM;
	if (has_dc_children(root)) {
		x->queue[x->nq++] = root;
	} else {
		for (const xmlNode *c = root->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE && has_dc_children(c))
				x->queue[x->nq++] = c;
	}
	x->in_queue = 1;
	return CW_OK;
}

static const xmlNode *child_el(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && name_is(c, name))
			return c;
	return NULL;
}

/* An OAI-PMH <record>: header (identifier, datestamp, status) and metadata. */
static int oai_record(xr *x, const xmlNode *rn, cw_record **out)
{
	const xmlNode *h = child_el(rn, "header");
	xmlChar *id = NULL, *ds = NULL, *status = NULL;
	int rc = CW_OK;
	if (h) {
		const xmlNode *i = child_el(h, "identifier"), *d = child_el(h, "datestamp");
		id = i ? xmlNodeGetContent(i) : NULL;
		ds = d ? xmlNodeGetContent(d) : NULL;
		status = xmlGetProp(h, (const xmlChar *)"status");
	}
	cw_session_set_record(x->s, id ? (const char *)id : NULL);
	if (status && !strcmp((const char *)status, "deleted")) {
		cw_diag_emit(x->s, CW_SEV_NOTE, CW_OK, (uint32_t)xmlGetLineNo(rn), 0,
		             "record %s is marked deleted; skipped",
		             id ? (const char *)id : "(no id)");
		rc = CW_DROP;
		goto done;
	}
	const xmlNode *m = child_el(rn, "metadata");
	const xmlNode *dc = NULL;
	for (const xmlNode *c = m ? m->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE) {
			dc = c;
			break;
		}
	if (!dc) {
		rc = cw_diag_emit(x->s, CW_SEV_ERROR, CW_ERECORD, (uint32_t)xmlGetLineNo(rn), 0,
		                  "OAI-PMH record without metadata");
		goto done;
	}
	if (!(ns_is(dc, NS_OAI_DC) || ns_is(dc, NS_QDC) || ns_is(dc, NS_DC) ||
	      ns_is(dc, NS_DCTERMS))) {
		rc = cw_diag_emit(x->s, CW_SEV_ERROR, CW_ERECORD, (uint32_t)xmlGetLineNo(dc), 0,
		                  "metadata <%s> is not Dublin Core (ask the server for "
		                  "metadataPrefix=oai_dc)",
		                  (const char *)dc->name);
		goto done;
	}
	rc = read_dc_element(x, dc);
	if (rc == CW_OK)
		rc = make_record(x, rn, out, (const char *)id, (const char *)ds, h);
	if (rc == CW_ELIMIT)
		rc = CW_ERECORD; /* reported; the next record may be fine */
done:
	xmlFree(id);
	xmlFree(ds);
	xmlFree(status);
	return rc;
}

static int xr_next_quiet(void *state, cw_session *s, cw_record **out);

static int xr_next(void *state, cw_session *s, cw_record **out)
{
	xr_saved sv = xr_silence();
	int rc = xr_next_quiet(state, s, out);
	xr_restore(sv);
	return rc;
}

static int xr_next_quiet(void *state, cw_session *s, cw_record **out)
{
	xr *x = state;
	x->s = s;
	*out = NULL;
	const cw_limits *lim = cw_session_limits(s);
	for (;;) {
		if (x->fatal)
			return x->status;
		if (x->in_queue) {
			if (x->iq < x->nq) {
				const xmlNode *n = x->queue[x->iq++];
				int rc = read_dc_element(x, n);
				if (rc == CW_OK)
					rc = make_record(x, n, out, NULL, NULL, NULL);
				else if (rc == CW_ELIMIT)
					rc = CW_ERECORD;
				if (rc == CW_OK)
					x->records++;
				return rc;
			}
			x->in_queue = 0;
			free(x->queue);
			x->queue = NULL;
			xr_step(x, STEP_NODE, (uint32_t)xmlTextReaderGetParserLineNumber(x->r));
			int nx = xmlTextReaderNext(x->r); /* past the root */
			x->pending = nx == 1;
			if (nx < 0)
				return xr_fail(x, (uint32_t)xmlTextReaderGetParserLineNumber(x->r), 0,
				               "cannot read past the root element");
			continue;
		}
		int ret;
		if (x->pending) {
			x->pending = 0;
			ret = 1;
		} else {
			xr_step(x, STEP_NODE, (uint32_t)xmlTextReaderGetParserLineNumber(x->r));
			ret = xmlTextReaderRead(x->r);
		}
		if (ret == 0) {
			if (xr_report_cut(x)) /* a well-formed document, then a NUL */
				return x->status;
			if (!x->seen_root)
				return cw_diag_emit(s, CW_SEV_ERROR, CW_EFORMAT, 1, 1,
				                    "no XML document");
			return CW_EOF;
		}
		if (ret < 0)
			return xr_fail(x, (uint32_t)xmlTextReaderGetParserLineNumber(x->r),
			               (uint32_t)xmlTextReaderGetParserColumnNumber(x->r),
			               "cannot read the XML input");
		if (xmlTextReaderNodeType(x->r) != XML_READER_TYPE_ELEMENT)
			continue;
		int depth = xmlTextReaderDepth(x->r);
		if (depth < 0 || (unsigned)depth > lim->max_depth) {
			x->fatal = 1;
			return x->status = cw_session_limit_error(s, CW_ELIMIT, CW_LIMIT_DEPTH,
			                              (uint32_t)xmlTextReaderGetParserLineNumber(x->r),
			                              0, "elements nested deeper than");
		}
		const char *ns = (const char *)xmlTextReaderConstNamespaceUri(x->r);
		const char *local = (const char *)xmlTextReaderConstLocalName(x->r);
		/* the element's own line; the parser's may be well past it */
		xmlNodePtr cur = xmlTextReaderCurrentNode(x->r);
		uint32_t line = cur ? (uint32_t)xmlGetLineNo(cur)
		                    : (uint32_t)xmlTextReaderGetParserLineNumber(x->r);
		if (!x->seen_root) {
			x->seen_root = 1;
			int known = ns && (!strcmp(ns, NS_OAI) || !strcmp(ns, NS_OAI_DC) ||
			                   !strcmp(ns, NS_QDC) || !strcmp(ns, NS_DC) ||
			                   !strcmp(ns, NS_DCTERMS));
			if (!known) {
				xr_step(x, STEP_DOCUMENT, line);
				xmlNodePtr root = xmlTextReaderExpand(x->r);
				if (!root)
					return xr_fail(x, line, 0, "cannot read the document");
				int rc = queue_foreign_root(x, root);
				if (rc)
					return rc;
				if (x->in_queue)
					continue;
				cw_diag_emit(s, CW_SEV_WARNING, CW_OK, line, 0,
				             "root element <%s> is neither OAI-PMH nor Dublin Core; "
				             "looking for DC records inside it",
				             local);
			}
		}
		int is_oai_record = ns && !strcmp(ns, NS_OAI) && !strcmp(local, "record");
		int is_dc_record = ns && ((!strcmp(ns, NS_OAI_DC) && !strcmp(local, "dc")) ||
		                          (!strcmp(ns, NS_QDC) && !strcmp(local, "qualifieddc")));
		if (ns && !strcmp(ns, NS_OAI) && !strcmp(local, "error")) {
			xmlChar *code = xmlTextReaderGetAttribute(x->r, (const xmlChar *)"code");
			xmlChar *msg = xmlTextReaderReadString(x->r);
			int none = code && !strcmp((const char *)code, "noRecordsMatch");
			cw_diag_emit(s, none ? CW_SEV_NOTE : CW_SEV_WARNING, CW_OK, line, 0,
			             "OAI-PMH error %s: %s", code ? (const char *)code : "?",
			             msg ? (const char *)msg : "");
			xmlFree(code);
			xmlFree(msg);
			continue;
		}
		if (ns && !strcmp(ns, NS_OAI) && !strcmp(local, "resumptionToken")) {
			xmlChar *tok = xmlTextReaderReadString(x->r);
			if (tok && *tok)
				cw_diag_emit(s, CW_SEV_NOTE, CW_OK, line, 0,
				             "resumption token '%s': the server has more records "
				             "(crosswalk does not harvest)",
				             (const char *)tok);
			xmlFree(tok);
			continue;
		}
		if (!is_oai_record && !is_dc_record) {
			if (ns && (!strcmp(ns, NS_DC) || !strcmp(ns, NS_DCTERMS)) && depth == 0) {
				/* a lone <dc:title> document: nothing to group it with */
				return xr_fail(x, line, 0,
				               "a Dublin Core element outside a record container");
			}
			continue;
		}
		if (x->records >= lim->max_records) {
			x->fatal = 1;
			return x->status = cw_session_limit_error(s, CW_ELIMIT, CW_LIMIT_RECORDS, line,
			                                          0, "more records than");
		}
		long start_byte = xmlTextReaderByteConsumed(x->r);
		xr_step(x, STEP_RECORD, line);
		xmlNodePtr node = xmlTextReaderExpand(x->r);
		if (!node)
			return xr_fail(x, line, 0, "cannot read this record");
		int rc;
		if (is_oai_record) {
			rc = oai_record(x, node, out);
		} else {
			rc = read_dc_element(x, node);
			if (rc == CW_OK)
				rc = make_record(x, node, out, NULL, NULL, NULL);
			else if (rc == CW_ELIMIT)
				rc = CW_ERECORD;
		}
		/* skip the subtree; the cursor then rests on the node after it */
		xr_step(x, STEP_NODE, (uint32_t)xmlTextReaderGetParserLineNumber(x->r));
		int nx = xmlTextReaderNext(x->r);
		if (nx < 0)
			xr_fail(x, (uint32_t)xmlTextReaderGetParserLineNumber(x->r), 0,
			        "cannot read past this record");
		x->pending = nx == 1;
		long used = xmlTextReaderByteConsumed(x->r) - start_byte;
		if (used > 0 && (uint64_t)used > lim->max_record_bytes && rc == CW_OK) {
			/* the read callback stops a record far over the limit; this one got
			 * through within libxml2's read-ahead */
			cw_record_free(*out);
			*out = NULL;
			rc = cw_session_limit_error(s, CW_ERECORD, CW_LIMIT_RECORD_BYTES, line, 0,
			                            "record larger than");
		}
		if (rc == CW_DROP)
			continue; /* a deleted record: noted */
		if (rc == CW_OK)
			x->records++;
		return rc;
	}
}

const cw_reader_ops dc_xml_reader = {
    .struct_size = sizeof(cw_reader_ops),
    .state_size = sizeof(xr),
    .open = xr_open,
    .next = xr_next,
    .close = xr_close,
};
