/*
 * Writes oai_dc and qualified DC XML. One record gives one oai_dc:dc (or
 * qdc:qualifieddc) document; several records give an OAI-PMH ListRecords
 * response holding them, valid against OAI-PMH.xsd; no records give the
 * OAI-PMH response that says so (the noRecordsMatch error). The first
 * record is held back until a second one arrives or the stream ends, so
 * the writer knows which of the two shapes to produce.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dc.h"

#define NS_DECL_OAI_DC                                                                             \
	"xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "                            \
	"xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "                                           \
	"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "                                 \
	"xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/ "                        \
	"http://www.openarchives.org/OAI/2.0/oai_dc.xsd\""

#define NS_DECL_QDC                                                                                \
	"xmlns:qdc=\"http://dspace.org/qualifieddc/\" "                                            \
	"xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "                                           \
	"xmlns:dcterms=\"http://purl.org/dc/terms/\" "                                             \
	"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "                                 \
	"xsi:schemaLocation=\"http://purl.org/dc/elements/1.1/ "                                   \
	"http://dublincore.org/schemas/xmls/qdc/2006/01/06/dc.xsd "                                \
	"http://purl.org/dc/terms/ http://dublincore.org/schemas/xmls/qdc/2006/01/06/dcterms.xsd " \
	"http://dspace.org/qualifieddc/ "                                                          \
	"http://www.ukoln.ac.uk/metadata/dcmi/xmlschema/qualifieddc.xsd\""

/* 1 if cp is a character XML 1.0 documents may hold. */
static int xml_char(uint32_t cp)
{
	return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
	       (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

int dc_xml_text_ok(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x80) { /* the common case */
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = cw_utf8_decode(s + i, n - i, &cp);
		if ((k == 1 && c >= 0x80) || !xml_char(cp)) /* an invalid byte, or no XML char */
			return 0;
		i += k;
	}
	return 1;
}

int dc_language_ok(const char *s)
{
	/* xs:language: [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})* */
	size_t run = 0;
	int first = 1;
	for (const char *p = s;; p++) {
		if (*p == '-' || !*p) {
			if (run == 0 || run > 8)
				return 0;
			if (!*p)
				return 1;
			run = 0;
			first = 0;
			continue;
		}
		int alpha = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
		if (!alpha && !(!first && *p >= '0' && *p <= '9'))
			return 0;
		run++;
	}
}

/* 1 if s is an OAI-PMH setSpec: ([A-Za-z0-9-_.!~*'()])+(:[A-Za-z0-9-_.!~*'()]+)* */
static int set_spec_ok(const char *s)
{
	size_t run = 0;
	for (const char *p = s;; p++) {
		if (*p == ':' || !*p) {
			if (run == 0)
				return 0;
			if (!*p)
				return 1;
			run = 0;
			continue;
		}
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      strchr("-_.!~*'()", *p)))
			return 0;
		run++;
	}
}

void dc_xml_text_repair(cw_buf *b, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = cw_utf8_decode(s + i, n - i, &cp);
		if (k == 1 && (unsigned char)s[i] >= 0x80)
			cw_buf_put_utf8(b, 0xFFFD); /* an invalid byte */
		else if (xml_char(cp))
			cw_buf_append(b, s + i, k);
		else if (cp >= 0x80)
			cw_buf_put_utf8(b, 0xFFFD);
		/* C0 controls XML cannot hold are dropped */
		i += k;
	}
}

typedef struct xw {
	cw_ostream *out;
	dc_tables tab;
	dc_stmts st;
	enum dc_profile prof;
	uint64_t count;
	cw_buf first_single; /* record 1 as a document of its own */
	cw_buf first_listed; /* record 1 as a ListRecords <record> */
	cw_buf tmp;
	cw_record *first;      /* record 1, kept to report what a lone document drops */
	const char *container; /* "auto" or "listrecords" */
} xw;

static int is_terms_element(const xw *w, const char *e)
{
	return w->prof == DC_PROFILE_TERMS && !dc_is_element(e);
}

/* The record's DC element(s) at an indent. */
static void dc_body(xw *w, cw_buf *b, const char *indent)
{
	const char *root = w->prof == DC_PROFILE_TERMS ? "qdc:qualifieddc" : "oai_dc:dc";
	cw_buf_printf(b, "%s<%s %s>\n", indent, root,
	              w->prof == DC_PROFILE_TERMS ? NS_DECL_QDC : NS_DECL_OAI_DC);
	for (size_t i = 0; i < w->st.n; i++) {
		const dc_stmt *t = &w->st.v[i];
		const char *pfx = is_terms_element(w, t->elem) ? "dcterms" : "dc";
		cw_buf_printf(b, "%s  <%s:%s", indent, pfx, t->elem);
		if (t->lang) {
			cw_buf_append(b, " xml:lang=\"", CW_NUL);
			cw_buf_append_xml(b, t->lang, CW_NUL, CW_XML_ATTR);
			cw_buf_putc(b, '"');
		}
		cw_buf_putc(b, '>');
		cw_buf_append_xml(b, t->value, CW_NUL, CW_XML_TEXT);
		cw_buf_printf(b, "</%s:%s>\n", pfx, t->elem);
	}
	cw_buf_printf(b, "%s</%s>\n", indent, root);
}

/* An OAI identifier (anyURI) for the record. */
static void oai_identifier(const cw_record *rec, uint64_t n, cw_buf *b)
{
	const char *id = cw_record_text(rec, CW_FIELD_ID);
	if (!id) {
		cw_buf_printf(b, "oai:crosswalk:%llu", (unsigned long long)n);
		return;
	}
	if (!strchr(id, ':'))
		cw_buf_append(b, "oai:crosswalk:", CW_NUL);
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		if (*p <= ' ' || *p == '%' || *p == '<' || *p == '>' || *p == '"' || *p == '\\' ||
		    *p == '^' || *p == '`' || *p == '{' || *p == '|' || *p == '}' || *p >= 0x7f)
			cw_buf_printf(b, "%%%02X", *p);
		else
			cw_buf_putc(b, (char)*p);
	}
}

static int valid_datestamp(const char *s)
{
	/* YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ */
	size_t n = strlen(s);
	if (n != 10 && n != 20)
		return 0;
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
	for (size_t i = 0; i < n; i++) {
		if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
			return 0;
	}
	return 1;
}

static void oai_record_xml(xw *w, cw_session *s, const cw_record *rec, cw_buf *b)
{
	cw_buf id = CW_BUF_INIT;
	oai_identifier(rec, w->count, &id);
	cw_buf_append(b, "    <record>\n      <header>\n        <identifier>", CW_NUL);
	cw_buf_append_xml(b, cw_buf_str(&id), CW_NUL, CW_XML_TEXT);
	cw_buf_append(b, "</identifier>\n        <datestamp>", CW_NUL);
	const cw_passthrough *ds = cw_record_find_passthrough(rec, DC_PT, "oai:datestamp");
	const cw_date *d = cw_record_date(rec, CW_FIELD_ISSUED);
	if (ds && valid_datestamp(ds->value))
		cw_buf_append_xml(b, ds->value, CW_NUL, CW_XML_TEXT);
	else if (d && d->parts == 3 && d->year >= 1000 && d->year <= 9999)
		cw_buf_printf(b, "%04d-%02d-%02d", d->year, d->month, d->day);
	else
		cw_buf_append(b, "1970-01-01", CW_NUL);
	cw_buf_append(b, "</datestamp>\n", CW_NUL);
	for (size_t i = 0; i < cw_record_passthrough_count(rec); i++) {
		const cw_passthrough *p = cw_record_passthrough(rec, i);
		if (!strcmp(p->format, DC_PT) && !strcmp(p->name, "oai:setSpec")) {
			if (!set_spec_ok(p->value)) {
				cw_buf v = CW_BUF_INIT;
				dc_xml_text_repair(&v, p->value);
				cw_diag_emit(s, CW_SEV_WARNING, CW_OK, 0, 0,
				             "\"%s\" is no OAI-PMH setSpec; dropped", cw_buf_str(&v));
				cw_buf_free(&v);
				continue;
			}
			cw_buf_append(b, "        <setSpec>", CW_NUL);
			cw_buf_append_xml(b, p->value, CW_NUL, CW_XML_TEXT);
			cw_buf_append(b, "</setSpec>\n", CW_NUL);
		}
	}
	cw_buf_append(b, "      </header>\n      <metadata>\n", CW_NUL);
	dc_body(w, b, "        ");
	cw_buf_append(b, "      </metadata>\n    </record>\n", CW_NUL);
	if (cw_buf_error(&id))
		cw_buf_fail(b);
	cw_buf_free(&id);
}

static int xw_begin_common(void *state, cw_session *s, cw_ostream *out, enum dc_profile prof)
{
	xw *w = state;
	w->out = out;
	w->prof = prof;
	w->container = cw_session_option(s, "container");
	if (!w->container)
		w->container = "auto";
	return dc_tables_load(&w->tab, s);
}

static int xw_begin_oai(void *state, cw_session *s, cw_ostream *out)
{
	return xw_begin_common(state, s, out, DC_PROFILE_OAI);
}

static int xw_begin_terms(void *state, cw_session *s, cw_ostream *out)
{
	return xw_begin_common(state, s, out, DC_PROFILE_TERMS);
}

static int list_header(xw *w, cw_session *s, int empty)
{
	const char *date = cw_session_option(s, "response-date");
	const char *base = cw_session_option(s, "base-url");
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b,
	              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	              "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" "
	              "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
	              "xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ "
	              "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\">\n  <responseDate>",
	              CW_NUL);
	cw_buf_append_xml(&b, date ? date : "1970-01-01T00:00:00Z", CW_NUL, CW_XML_TEXT);
	cw_buf_printf(&b, "</responseDate>\n  <request verb=\"ListRecords\" metadataPrefix=\"%s\">",
	              w->prof == DC_PROFILE_TERMS ? "qdc" : "oai_dc");
	cw_buf_append_xml(&b, base ? base : "http://localhost/oai", CW_NUL, CW_XML_TEXT);
	/* OAI-PMH has no empty ListRecords: an empty answer is the noRecordsMatch error */
	cw_buf_append(
	    &b,
	    empty ? "</request>\n  <error code=\"noRecordsMatch\">no records</error>\n</OAI-PMH>\n"
	          : "</request>\n  <ListRecords>\n",
	    CW_NUL);
	int rc = cw_diag_check_buf(s, &b);
	if (rc == CW_OK)
		rc = cw_ostream_write(w->out, b.data, b.len);
	cw_buf_free(&b);
	return rc;
}

/* Writes a document or record built in b, unless building it ran out of memory. */
static int put_out(xw *w, cw_session *s, const cw_buf *b)
{
	int rc = cw_diag_check_buf(s, b);
	return rc ? rc : cw_ostream_write(w->out, b->data, b->len);
}

static int xw_write(void *state, cw_session *s, const cw_record *rec)
{
	xw *w = state;
	dc_stmts_clear(&w->st);
	int rc = dc_map_write(&w->tab, s, rec, w->prof, &w->st);
	if (rc)
		return rc;
	w->count++;
	if (w->count == 1) {
		cw_buf_append(&w->first_single, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
		              CW_NUL);
		dc_body(w, &w->first_single, "");
		oai_record_xml(w, s, rec, &w->first_listed);
		if (cw_record_has(rec, CW_FIELD_ID) && cw_record_clone(&w->first, rec) != CW_OK)
			return CW_ENOMEM;
		/* a record that came with an OAI header keeps it: it goes into a ListRecords */
		if (cw_record_find_passthrough(rec, DC_PT, "oai:datestamp"))
			w->container = "listrecords";
		if (!strcmp(w->container, "listrecords")) {
			rc = list_header(w, s, 0);
			if (rc == CW_OK)
				rc = put_out(w, s, &w->first_listed);
		}
		return rc;
	}
	if (w->count == 2 && strcmp(w->container, "listrecords") != 0) {
		rc = list_header(w, s, 0);
		if (rc == CW_OK)
			rc = put_out(w, s, &w->first_listed);
		if (rc)
			return rc;
	}
	cw_buf_clear(&w->tmp);
	oai_record_xml(w, s, rec, &w->tmp);
	return put_out(w, s, &w->tmp);
}

static int xw_end(void *state, cw_session *s)
{
	xw *w = state;
	if (w->count == 1 && strcmp(w->container, "listrecords") != 0) {
		/* a lone document has no OAI header for the record's identifier */
		if (w->first)
			cw_diag_not_carried(s, w->first, CW_FIELD_ID, NULL);
		return put_out(w, s, &w->first_single);
	}
	if (w->count == 0) /* OAI-PMH's answer with no records, in either container mode */
		return list_header(w, s, 1);
	return cw_ostream_puts(w->out, "  </ListRecords>\n</OAI-PMH>\n");
}

static void xw_close(void *state, cw_session *s)
{
	(void)s;
	xw *w = state;
	dc_stmts_free(&w->st);
	cw_buf_free(&w->first_single);
	cw_buf_free(&w->first_listed);
	cw_buf_free(&w->tmp);
	cw_record_free(w->first);
	dc_tables_free(&w->tab);
}

const cw_writer_ops dc_oai_writer = {
    .struct_size = sizeof(cw_writer_ops),
    .state_size = sizeof(xw),
    .begin = xw_begin_oai,
    .write = xw_write,
    .end = xw_end,
    .close = xw_close,
};

const cw_writer_ops dc_terms_writer = {
    .struct_size = sizeof(cw_writer_ops),
    .state_size = sizeof(xw),
    .begin = xw_begin_terms,
    .write = xw_write,
    .end = xw_end,
    .close = xw_close,
};
