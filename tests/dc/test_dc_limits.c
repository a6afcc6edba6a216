/*
 * The Dublin Core readers (oai_dc / OAI-PMH XML, html-meta) under faults:
 * NUL bytes are located errors, every limit names itself and tells the host
 * which it is, and what is read whole or expanded is bounded by record-bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

#define OAI_HEAD                                                                              \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                        \
	"<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><responseDate>2020-01-01T00:" \
	"00:00Z</responseDate><request>x</request><ListRecords>\n"
#define OAI_TAIL "</ListRecords></OAI-PMH>\n"
#define DC_OPEN                                                                               \
	"<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "            \
	"xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
#define RECORD(id, body)                                                                      \
	"<record><header><identifier>" id "</identifier><datestamp>2020-01-01</datestamp>"    \
	"</header><metadata>" DC_OPEN body "</oai_dc:dc></metadata></record>\n"
#define TITLED(id) RECORD(id, "<dc:title>Title " id "</dc:title>")

typedef struct got {
	cw_record **recs;
	size_t n;
	cwt_diags d;
	int status; /* the reader's last answer: CW_EOF when it read to the end */
} got;

/* Reads every record from in (closed here) with format under l (NULL: defaults). */
static void read_stream(got *g, const char *format, cw_istream *in, const cw_limits *l)
{
	memset(g, 0, sizeof *g);
	g->status = cwt_read_stream(format, in, l, NULL, 0, &g->recs, &g->n, &g->d);
}

static void read_mem(got *g, const char *format, const char *data, size_t len,
                     const cw_limits *l)
{
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_memory(&in, data, len, "in.xml"), CW_OK);
	read_stream(g, format, in, l);
}

static void got_free(got *g)
{
	cwt_free_records(g->recs, g->n);
	cwt_diags_free(&g->d);
}

static const cwt_diag *first_error(const got *g)
{
	for (size_t i = 0; i < g->d.n; i++)
		if (g->d.items[i].severity >= CW_SEV_ERROR)
			return &g->d.items[i];
	cr_assert_fail("expected an error, got: %s", cw_buf_str(&g->d.text));
	return NULL;
}

/*
 * XML has no NUL byte anywhere, and libxml2 cannot go on after one: the
 * records before it are delivered, the document is an error located at the
 * NUL (libxml2 said "Document is empty" or "Extra content" elsewhere).
 */
Test(dc_nul, xml_nul_is_located)
{
	static const struct {
		const char *in;
		size_t len;
		size_t nrec; /* records before the NUL */
		uint32_t line, col;
	} cases[] = {
#define IN(x) x, sizeof x - 1
	    {IN("\0" OAI_HEAD TITLED("a") OAI_TAIL), 0, 1, 1},
	    {IN(OAI_HEAD TITLED("a") "\0" TITLED("b") OAI_TAIL), 1, 4, 1},
	    {IN(OAI_HEAD TITLED("a") "  \0\0\n" TITLED("b") OAI_TAIL), 1, 4, 3},
	    {IN(OAI_HEAD TITLED("a") RECORD("b", "<dc:title>x\0y</dc:title>") OAI_TAIL), 1, 4,
	     220},
	    {IN(OAI_HEAD TITLED("a") TITLED("b") OAI_TAIL "\0"), 2, 6, 1},
	    {IN(DC_OPEN "<dc:title>T</dc:title></oai_dc:dc>\n\0\0"), 1, 2, 1},
#undef IN
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got g;
		read_mem(&g, "dc", cases[i].in, cases[i].len, NULL);
		/* libxml2 may drop the records of the chunk it meets the error in; it
		 * never delivers one from after the NUL (records come in order) */
		cr_expect_leq(g.n, cases[i].nrec, "case %zu: %zu records: %s", i, g.n,
		              cw_buf_str(&g.d.text));
		cr_expect_eq(g.status, CW_EFORMAT, "case %zu: status %d", i, g.status);
		cr_expect_eq(cwt_diags_count(&g.d, CW_SEV_ERROR), 1, "case %zu: %s", i,
		             cw_buf_str(&g.d.text));
		const cwt_diag *e = first_error(&g);
		cr_expect(strstr(e->message, "a NUL byte in the input"), "case %zu: %s", i,
		          e->message);
		cr_expect_eq(e->line, cases[i].line, "case %zu: line %u", i, e->line);
		cr_expect_eq(e->column, cases[i].col, "case %zu: column %u", i, e->column);
		got_free(&g);
	}
}

/* In UTF-16 a NUL byte is half of a character, not an error. */
Test(dc_nul, utf16_is_still_read)
{
	const char *text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n" DC_OPEN
	                   "<dc:title>Wide</dc:title></oai_dc:dc>\n";
	for (int be = 0; be < 2; be++) {
		cw_buf b = CW_BUF_INIT;
		cw_buf_append(&b, be ? "\xFE\xFF" : "\xFF\xFE", 2);
		for (const char *p = text; *p; p++) {
			char u[2] = {be ? 0 : *p, be ? *p : 0};
			cw_buf_append(&b, u, 2);
		}
		got g;
		read_mem(&g, "dc", b.data, b.len, NULL);
		cr_assert_eq(g.n, 1, "%s", cw_buf_str(&g.d.text));
		cr_expect_str_eq(cw_record_text(g.recs[0], CW_FIELD_TITLE), "Wide");
		cr_expect_eq(g.status, CW_EOF);
		got_free(&g);
		cw_buf_free(&b);
	}
}

Test(dc_nul, dev_zero_is_refused_at_once)
{
	static const char *const formats[] = {"dc", "dcterms"};
	for (size_t i = 0; i < 2; i++) {
		cw_istream *in = NULL;
		cr_assert_eq(cw_istream_open_file(&in, "/dev/zero"), CW_OK);
		got g;
		read_stream(&g, formats[i], in, NULL);
		cr_expect_eq(g.status, CW_EFORMAT);
		cr_expect(strstr(cw_buf_str(&g.d.text),
		                 "/dev/zero:1:1: error: a NUL byte in the input (XML text never "
		                 "has one)"),
		          "%s", cw_buf_str(&g.d.text));
		got_free(&g);
	}
}

/* libxml2's HTML parser ends the page at a NUL without a word: every tag after it was lost. */
Test(dc_nul, html_nul_is_located)
{
	static const char page[] = "<html><head><meta name=\"citation_title\" content=\"A\0B\">\n"
	                           "<meta name=\"citation_author\" content=\"X, Y\"></head></html>";
	got g;
	read_mem(&g, "html-meta", page, sizeof page - 1, NULL);
	cr_expect_eq(g.n, 0);
	cr_expect_eq(g.status, CW_EFORMAT);
	const cwt_diag *e = first_error(&g);
	cr_expect(strstr(e->message, "a NUL byte in the input"), "%s", e->message);
	cr_expect_eq(e->line, 1);
	cr_expect_eq(e->column, 51);
	got_free(&g);
	/* /dev/zero is read up to the page cap, not forever */
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_file(&in, "/dev/zero"), CW_OK);
	cw_limits l = CW_LIMITS_INIT;
	l.max_record_bytes = 1u << 20;
	read_stream(&g, "html-meta", in, &l);
	cr_expect_eq(g.status, CW_ELIMIT);
	cr_expect(strstr(cw_buf_str(&g.d.text),
	                 "/dev/zero: error: HTML page (read whole, as one record) larger than "
	                 "the record-bytes limit (1 MiB)"),
	          "%s", cw_buf_str(&g.d.text));
	got_free(&g);
}

/* --- every limit names itself and its key --- */

static char *repeat(const char *head, const char *unit, size_t times, const char *tail)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, head, CW_NUL);
	for (size_t i = 0; i < times; i++)
		cw_buf_append(&b, unit, CW_NUL);
	cw_buf_append(&b, tail, CW_NUL);
	return b.data;
}

Test(dc_limits, each_names_itself_and_its_key)
{
	char *big_record = repeat(OAI_HEAD TITLED("a") "<record><header><identifier>b</identifier>"
	                          "</header><metadata>" DC_OPEN,
	                          "<dc:subject>some subject words</dc:subject>\n", 4000,
	                          "</oai_dc:dc></metadata></record>\n" TITLED("c") OAI_TAIL);
	char *big_comment = repeat(OAI_HEAD TITLED("a") "<!--", "comment text ", 10000,
	                           "-->" TITLED("b") OAI_TAIL);
	char *foreign = repeat("<records xmlns:dc=\"http://purl.org/dc/elements/1.1/\">",
	                       "<r><dc:title>T</dc:title></r>\n", 4000, "</records>\n");
	char *deep = repeat(OAI_HEAD, "<x>", 50, "");
	char *many = repeat(OAI_HEAD, TITLED("r"), 3, OAI_TAIL);
	const struct {
		const char *format, *in;
		cw_limits lim;
		const char *msg;
		int status;  /* the reader's last answer */
		size_t nrec; /* records read before or despite it */
	} cases[] = {
	    {"dc", many, {.struct_size = sizeof(cw_limits), .max_input_bytes = 300},
	     "input larger than the input-bytes limit (300 bytes)",
	     CW_ELIMIT, 0},
	    {"dc", big_record, {.struct_size = sizeof(cw_limits), .max_record_bytes = 64 << 10},
	     "in.xml:4: error: record larger than the record-bytes limit (64 KiB)",
	     CW_ELIMIT, 1},
	    {"dc", big_comment, {.struct_size = sizeof(cw_limits), .max_record_bytes = 64 << 10},
	     "error: XML markup outside a record larger than the record-bytes limit (64 KiB)",
	     CW_ELIMIT, 1},
	    {"dc", foreign, {.struct_size = sizeof(cw_limits), .max_record_bytes = 64 << 10},
	     "error: document (its root is neither OAI-PMH nor Dublin Core, so it is read whole) "
	     "larger than the record-bytes limit (64 KiB)",
	     CW_ELIMIT, 0},
	    {"dc", many, {.struct_size = sizeof(cw_limits), .max_records = 2},
	     /* the host counts records before the reader does */
	     "in.xml: error: input has more records than the records limit (2)",
	     CW_ELIMIT, 2},
	    {"dc", deep, {.struct_size = sizeof(cw_limits), .max_depth = 20},
	     "in.xml:3: error: elements nested deeper than the depth limit (20)",
	     CW_ELIMIT, 0},
	    {"dc",
	     OAI_HEAD RECORD("a", "<dc:title>A<b><c><d>x</d></c></b></dc:title>") TITLED("b") OAI_TAIL,
	     {.struct_size = sizeof(cw_limits), .max_depth = 2},
	     "in.xml:3: error: [a] elements in a value nested deeper than the depth limit (2)",
	     CW_EOF, 1},
	    {"dc", OAI_HEAD RECORD("a", "<dc:title>a long title</dc:title>") TITLED("b") OAI_TAIL,
	     {.struct_size = sizeof(cw_limits), .max_field_bytes = 8},
	     "in.xml:3: error: [a] value of <title> longer than the field-bytes limit (8 bytes)",
	     CW_EOF, 1},
	    {"dc",
	     OAI_HEAD RECORD("a", "<dc:creator>A, B</dc:creator><dc:creator>C, D</dc:creator>"
	                          "<dc:creator>E, F</dc:creator>") TITLED("b") OAI_TAIL,
	     {.struct_size = sizeof(cw_limits), .max_names = 2},
	     "in.xml:3: error: [a] more names in dc:creator than the names limit (2)",
	     CW_EOF, 1},
	    {"html-meta",
	     "<html><head><meta name=\"citation_title\" content=\"T\">\n"
	     "<meta name=\"citation_author\" content=\"A, B\"><meta name=\"citation_author\" "
	     "content=\"C, D\"></head></html>",
	     {.struct_size = sizeof(cw_limits), .max_names = 1},
	     "in.xml:2: error: more authors than the names limit (1)",
	     CW_ELIMIT, 0},
	    {"html-meta",
	     "<html><head><meta name=\"citation_title\" content=\"T\">\n"
	     "<meta name=\"citation_reference\" content=\"R1\"><meta name=\"citation_reference\" "
	     "content=\"R2\"></head></html>",
	     {.struct_size = sizeof(cw_limits), .max_children = 1},
	     "in.xml:2: error: more citation_reference tags than the children limit (1)",
	     CW_ELIMIT, 0},
	    {"html-meta",
	     "<html><head><meta name=\"DC.title\" content=\"a long title\"></head></html>",
	     {.struct_size = sizeof(cw_limits), .max_field_bytes = 4},
	     "in.xml:1: error: DC.title longer than the field-bytes limit (4 bytes)",
	     CW_ELIMIT, 0},
	    {"html-meta",
	     "<html><body><div><div><div><meta name=\"DC.title\" content=\"T\"></div></div></div>"
	     "</body></html>",
	     {.struct_size = sizeof(cw_limits), .max_depth = 3},
	     "error: HTML elements nested deeper than the depth limit (3)",
	     CW_ELIMIT, 0},
	    {"html-meta", big_comment, {.struct_size = sizeof(cw_limits), .max_record_bytes = 4096},
	     "in.xml: error: HTML page (read whole, as one record) larger than the record-bytes "
	     "limit (4 KiB)",
	     CW_ELIMIT, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got g;
		read_mem(&g, cases[i].format, cases[i].in, strlen(cases[i].in), &cases[i].lim);
		cr_expect(strstr(cw_buf_str(&g.d.text), cases[i].msg), "case %zu: want \"%s\" in: %s",
		          i, cases[i].msg, cw_buf_str(&g.d.text));
		cr_expect_eq(cwt_diags_count(&g.d, CW_SEV_ERROR), 1, "case %zu: %s", i,
		             cw_buf_str(&g.d.text));
		cwt_expect_limit_error(&g.d, cases[i].msg);
		cr_expect_eq(g.status, cases[i].status, "case %zu: status %d", i, g.status);
		cr_expect_eq(g.n, cases[i].nrec, "case %zu: %zu records", i, g.n);
		got_free(&g);
	}
	free(big_record);
	free(big_comment);
	free(foreign);
	free(deep);
	free(many);
}

/*
 * With no whole-input cap, a record that never ends must still end: the
 * reader stops at record-bytes instead of expanding it into memory for
 * ever. The input is endless; the default limits apply.
 */
typedef struct endless {
	size_t sent;
} endless;

static int endless_read(void *ud, void *buf, size_t cap, size_t *out)
{
	endless *e = ud;
	static const char head[] = OAI_HEAD "<record><header><identifier>x</identifier></header>"
	                                    "<metadata>" DC_OPEN;
	static const char unit[] = "<dc:subject>more and more</dc:subject>\n";
	size_t n = 0;
	char *d = buf;
	while (n < cap) {
		size_t hl = sizeof head - 1, ul = sizeof unit - 1;
		size_t at = e->sent < hl ? e->sent : (e->sent - hl) % ul;
		const char *src = e->sent < hl ? head + at : unit + at;
		size_t left = (e->sent < hl ? hl : ul) - at;
		size_t k = left < cap - n ? left : cap - n;
		memcpy(d + n, src, k);
		n += k;
		e->sent += k;
	}
	*out = n;
	return CW_OK;
}

Test(dc_limits, an_endless_record_ends_at_record_bytes)
{
	endless e = {0};
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_callback(&in, endless_read, &e, "endless.xml"), CW_OK);
	got g;
	read_stream(&g, "dc", in, NULL);
	cr_expect_eq(g.status, CW_ELIMIT);
	cr_expect(strstr(cw_buf_str(&g.d.text),
	                 "endless.xml:3: error: record larger than the record-bytes limit (16 MiB)"),
	          "%s", cw_buf_str(&g.d.text));
	cr_expect_lt(e.sent, (size_t)17 << 20, "read %zu bytes", e.sent);
	got_free(&g);
}
