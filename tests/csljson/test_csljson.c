/*
 * CSL-JSON reader and writer units: layouts, located errors, markup, names,
 * dates, numbers, custom and passthrough.
 */
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

#include <criterion/parameterized.h>

typedef struct parsed {
	cw_record **recs;
	size_t n;
	cwt_diags d;
} parsed;

static void parse_as(parsed *p, const char *format, const char *json)
{
	memset(p, 0, sizeof *p);
	p->n = cwt_read_records(format, json, strlen(json), &p->recs, &p->d, NULL);
}

static void parse(parsed *p, const char *json)
{
	parse_as(p, "csljson", json);
}

static void parsed_free(parsed *p)
{
	cwt_free_records(p->recs, p->n);
	cwt_diags_free(&p->d);
}

/* The first error, which the test expects to exist. */
static const cwt_diag *first_error(const parsed *p)
{
	for (size_t i = 0; i < p->d.n; i++)
		if (p->d.items[i].severity >= CW_SEV_ERROR)
			return &p->d.items[i];
	cr_assert_fail("expected an error, got: %s", cw_buf_str(&p->d.text));
	return NULL;
}

static char *write1(cw_record *rec, const char *format, const char *const *opts)
{
	cw_record *const recs[] = {rec};
	char *s = cwt_write_records(format, recs, 1, NULL, opts);
	cr_assert(s);
	return s;
}

Test(csljson_read, array_single_and_empty)
{
	parsed p;
	parse(&p, "[{\"id\":\"a\",\"type\":\"book\",\"title\":\"A\"},\n "
	          "{\"id\":\"b\",\"type\":\"report\"}]");
	cr_assert_eq(p.n, 2, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(cw_record_text(p.recs[0], CW_FIELD_ID), "a");
	cr_expect_eq(cw_record_type(p.recs[1]), CW_TYPE_REPORT);
	uint32_t line, col;
	cw_record_origin(p.recs[1], &line, &col);
	cr_expect_eq(line, 2);
	cr_expect_eq(col, 2);
	parsed_free(&p);

	parse(&p, "  {\"id\": 7, \"type\": \"article-journal\", \"volume\": 9}  \n");
	cr_assert_eq(p.n, 1, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(cw_record_text(p.recs[0], CW_FIELD_ID), "7");
	cr_expect_str_eq(cw_record_text(p.recs[0], CW_FIELD_VOLUME), "9");
	parsed_free(&p);

	parse(&p, "[ ]");
	cr_expect_eq(p.n, 0);
	cr_expect_eq(p.d.n, 0, "%s", cw_buf_str(&p.d.text));
	parsed_free(&p);

	parse(&p, "");
	cr_expect_eq(p.n, 0);
	cr_expect_eq(p.d.n, 0);
	parsed_free(&p);
}

Test(csljson_read, bad_item_in_array_is_located_and_skipped)
{
	parsed p;
	parse(
	    &p,
	    "[\n  {\"id\": \"a\"},\n  {\"id\": \"b\",, \"title\": \"x\"},\n  {\"id\": \"c\"}\n]\n");
	cr_assert_eq(p.n, 2, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(cw_record_text(p.recs[1], CW_FIELD_ID), "c");
	const cwt_diag *e = first_error(&p);
	cr_expect_eq(e->line, 3);
	cr_expect_eq(e->column, 14, "column %u: %s", e->column, e->message);
	cr_expect(strstr(e->message, "invalid JSON"), "%s", e->message);
	parsed_free(&p);
}

Test(csljson_read, json_lines_bad_line_reported_rest_converted)
{
	parsed p;
	parse_as(&p, "csljsonl",
	         "{\"id\":\"a\",\"type\":\"book\"}\n{\"id\":\"b\",\"title\":\"unterminated}\n"
	         "{\"id\":\"c\",\"type\":\"book\"}\n\n{\"id\":\"d\"} x\n{\"id\":\"e\"}\n");
	cr_assert_eq(p.n, 3, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(cw_record_text(p.recs[0], CW_FIELD_ID), "a");
	cr_expect_str_eq(cw_record_text(p.recs[1], CW_FIELD_ID), "c");
	cr_expect_str_eq(cw_record_text(p.recs[2], CW_FIELD_ID), "e");
	cr_expect_eq(cwt_diags_count(&p.d, CW_SEV_ERROR), 2, "%s", cw_buf_str(&p.d.text));
	const cwt_diag *e = first_error(&p);
	cr_expect_eq(e->line, 2, "%s", cw_buf_str(&p.d.text));
	cr_expect_eq(p.d.items[1].line, 5, "%s", cw_buf_str(&p.d.text));
	parsed_free(&p);

	/* a .json file holding one item per line is read as JSON Lines too */
	parse(&p, "{\"id\":\"a\"}\n{\"id\":\"b\"}\n");
	cr_expect_eq(p.n, 2, "%s", cw_buf_str(&p.d.text));
	parsed_free(&p);
}

Test(csljson_read, structural_errors)
{
	static const struct {
		const char *in, *msg;
		uint32_t line, col;
	} cases[] = {
	    {"[{\"id\":\"a\"}", "unterminated array", 1, 12},
	    {"[{\"id\":\"a\"} {\"id\":\"b\"}]", "expected ','", 1, 13},
	    {"[{\"id\":\"a\"}] x", "after the end of the array", 1, 14},
	    {"42", "expected '[' or '{'", 1, 1},
	    {"\n\n  null", "expected '[' or '{'", 3, 3},
	    {"[{\"id\":\"a\",\"id\":\"b\"}]", "duplicate", 1, 0},
	    {"[{\"id\":\"a\",\"title\":\"x\\u0000y\"}]", "invalid JSON", 1, 0},
	    {"[{\"id\":\"a\",\"title\":\"\\ud800\"}]", "invalid JSON", 1, 0},
	    {"[{\"id\":\"a\"", "unterminated item", 1, 2},
	    {"[1]", "not a JSON object", 1, 2},
	    {"\xff\xfe[\0]\0", "UTF-16", 1, 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		parsed p;
		size_t len = strlen(cases[i].in);
		if (i == sizeof cases / sizeof cases[0] - 1)
			len = 6;
		memset(&p, 0, sizeof p);
		p.n = cwt_read_records("csljson", cases[i].in, len, &p.recs, &p.d, NULL);
		const cwt_diag *e = first_error(&p);
		cr_expect(strstr(e->message, cases[i].msg), "case %zu: \"%s\" not in \"%s\"", i,
		          cases[i].msg, e->message);
		cr_expect_eq(e->line, cases[i].line, "case %zu: line %u", i, e->line);
		if (cases[i].col)
			cr_expect_eq(e->column, cases[i].col, "case %zu: column %u (%s)", i,
			             e->column, e->message);
		parsed_free(&p);
	}
}

Test(csljson_read, bom_is_skipped)
{
	parsed p;
	parse(&p, "\xEF\xBB\xBF[{\"id\":\"a\",\"type\":\"book\"}]");
	cr_expect_eq(p.n, 1, "%s", cw_buf_str(&p.d.text));
	parsed_free(&p);
}

Test(csljson_read, nesting_limit)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "[{\"id\":\"a\",\"x\":", CW_NUL);
	for (int i = 0; i < 5000; i++)
		cw_buf_putc(&b, '[');
	for (int i = 0; i < 5000; i++)
		cw_buf_putc(&b, ']');
	cw_buf_append(&b, "}]", CW_NUL);
	parsed p;
	parse(&p, b.data);
	const cwt_diag *e = first_error(&p);
	cr_expect(strstr(e->message, "nesting deeper than the depth limit (256)"),
	          "%s", e->message);
	cr_expect_eq(e->code, CW_ELIMIT);
	parsed_free(&p);
	cw_buf_free(&b);
}

/*
 * Reads all of input (len bytes) with `format` under limits l (NULL: the
 * defaults); *status is the reader's last answer (CW_EOF when it read to the
 * end).
 */
static void read_limited(parsed *p, const char *format, const char *input, size_t len,
                         const cw_limits *l, int *status)
{
	memset(p, 0, sizeof *p);
	cw_istream *in = NULL;
	cr_assert_eq(cw_istream_open_memory(&in, input, len, "in.json"), CW_OK);
	*status = cwt_read_stream(format, in, l, NULL, 0, &p->recs, &p->n, &p->d);
}

/*
 * A NUL byte is a located error, never the end of the input. In an array or
 * a single item the document is invalid (there is no telling where the
 * structure goes on); in JSON Lines only its line is lost.
 */
Test(csljson_read, nul_byte_is_a_located_error)
{
#define ITEM(x) "{\"id\":\"" x "\",\"type\":\"book\"}"
	static const struct {
		const char *format, *in;
		size_t len;
		size_t nrec;     /* records read */
		const char *ids; /* their ids, joined */
		uint32_t line, col;
		int status; /* the reader's last answer */
	} cases[] = {
#define IN(x) x, sizeof x - 1
	    {"csljson", IN("\0[" ITEM("a") "]"), 0, "", 1, 1, CW_EFORMAT},
	    {"csljson", IN("[" ITEM("a") "]\0"), 1, "a", 1, 27, CW_EFORMAT},
	    {"csljson", IN("[" ITEM("a") ",\0" ITEM("b") "]"), 1, "a", 1, 27, CW_EFORMAT},
	    {"csljson", IN("[" ITEM("a") ",\n \0 ]"), 1, "a", 2, 2, CW_EFORMAT},
	    {"csljson", IN("[" ITEM("a") ",{\"id\":\"b\",\"title\":\"x\0y\"}," ITEM("c") "]"), 1,
	     "a", 1, 47, CW_EFORMAT},
	    {"csljson", IN(ITEM("a") "\0"), 1, "a", 1, 25, CW_EFORMAT},
	    {"csljsonl", IN(ITEM("a") "\n\0\n" ITEM("b") "\n"), 2, "ab", 2, 1, CW_EOF},
	    {"csljsonl", IN(ITEM("a") "\n{\"id\":\"c\",\0}\n" ITEM("b") "\n"), 2, "ab", 2, 11,
	     CW_EOF},
	    {"csljsonl", IN(ITEM("a") "\0\n" ITEM("b") "\n"), 1, "b", 1, 25, CW_EOF},
	    {"csljsonl", IN("\0\0\0\n" ITEM("a") "\n"), 1, "a", 1, 1, CW_EOF},
	    {"csljsonl", IN(ITEM("a") "\n  \0" ITEM("b") "\n" ITEM("c")), 2, "ac", 2, 3, CW_EOF},
	    /* a .json file that turns out to be JSON Lines resumes the same way */
	    {"csljson", IN(ITEM("a") "\n" ITEM("b") "\n\0\n" ITEM("c") "\n"), 3, "abc", 3, 1,
	     CW_EOF},
#undef IN
	};
#undef ITEM
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		parsed p;
		int status;
		read_limited(&p, cases[i].format, cases[i].in, cases[i].len, NULL, &status);
		cr_expect_eq(p.n, cases[i].nrec, "case %zu: %zu records: %s", i, p.n,
		             cw_buf_str(&p.d.text));
		char ids[16] = "";
		for (size_t k = 0; k < p.n && k < sizeof ids - 1; k++)
			ids[k] = cw_record_text(p.recs[k], CW_FIELD_ID)[0];
		cr_expect_str_eq(ids, cases[i].ids, "case %zu", i);
		cr_expect_eq(status, cases[i].status, "case %zu: status %d: %s", i, status,
		             cw_buf_str(&p.d.text));
		cr_expect_eq(cwt_diags_count(&p.d, CW_SEV_ERROR), 1, "case %zu: %s", i,
		             cw_buf_str(&p.d.text));
		const cwt_diag *e = first_error(&p);
		cr_expect(strstr(e->message, "NUL byte"), "case %zu: %s", i, e->message);
		cr_expect_eq(e->line, cases[i].line, "case %zu: line %u: %s", i, e->line, e->message);
		cr_expect_eq(e->column, cases[i].col, "case %zu: column %u: %s", i, e->column,
		             e->message);
		parsed_free(&p);
	}
}

/* /dev/zero is no CSL-JSON: refused at once, or after one line's worth in JSON Lines. */
Test(csljson_read, dev_zero_is_refused)
{
	static const char *const formats[] = {"csljson", "csljsonl"};
	for (size_t i = 0; i < 2; i++) {
		cwt_diags d = {0};
		cw_context *ctx = cwt_context(&d);
		cw_limits l = CW_LIMITS_INIT;
		l.max_record_bytes = 1u << 20;
		cw_context_set_limits(ctx, &l);
		cw_istream *in = NULL;
		cr_assert_eq(cw_istream_open_file(&in, "/dev/zero"), CW_OK);
		cw_reader *r = NULL;
		cr_assert_eq(cw_reader_open(&r, ctx,
		                            cw_registry_find_format(cwt_registry(), formats[i]), in,
		                            NULL, 0),
		             CW_OK);
		cw_record *rec = NULL;
		int rc;
		size_t calls = 0;
		while ((rc = cw_reader_next(r, &rec)) == CW_ERECORD && ++calls < 10)
			;
		cr_expect_eq(rc, i == 0 ? CW_EFORMAT : CW_ELIMIT, "%s: %d: %s", formats[i], rc,
		             cw_buf_str(&d.text));
		cr_expect(strstr(cw_buf_str(&d.text), "/dev/zero:1:1: error: a NUL byte in the input"),
		          "%s", cw_buf_str(&d.text));
		if (i == 1)
			cr_expect(strstr(cw_buf_str(&d.text),
			                 "error: line larger than the record-bytes limit (1 MiB)"),
			          "%s", cw_buf_str(&d.text));
		cw_reader_close(r);
		cw_istream_close(in);
		cw_context_free(ctx);
		cwt_diags_free(&d);
	}
}

/* Every limit the reader enforces names itself, and tells the host which it is. */
Test(csljson_read, limits_name_themselves)
{
	static const struct {
		const char *format, *in;
		cw_limits lim;
		const char *msg;
		int status;
	} cases[] = {
	    {"csljson", "[{\"id\":\"a\",\"title\":\"long enough to pass the cap\"}]",
	     {.struct_size = sizeof(cw_limits), .max_input_bytes = 16},
	     "input larger than the input-bytes limit (16 bytes)",
	     CW_ELIMIT},
	    {"csljson", "[{\"id\":\"a\",\"x\":[[[[1]]]]}]",
	     {.struct_size = sizeof(cw_limits), .max_depth = 3},
	     "1:18: error: nesting deeper than the depth limit (3)", CW_ELIMIT},
	    {"csljsonl", "{\"id\":\"a\",\"x\":[[[[1]]]]}\n",
	     {.struct_size = sizeof(cw_limits), .max_depth = 3},
	     "1:17: error: nesting deeper than the depth limit (3)", CW_ELIMIT},
	    {"csljson", NULL, {.struct_size = sizeof(cw_limits), .max_record_bytes = 64 << 10},
	     "1:2: error: item larger than the record-bytes limit (64 KiB)",
	     CW_ELIMIT},
	    {"csljson",
	     "[{\"id\":\"a\",\"author\":[{\"family\":\"A\"},{\"family\":\"B\"},"
	     "{\"family\":\"C\"}]},{\"id\":\"b\"}]",
	     {.struct_size = sizeof(cw_limits), .max_names = 2},
	     "1:2: error: [a] \"author\" has 3 names, more than the names limit (2)",
	     CW_EOF},
	    {"csljson",
	     "[{\"id\":\"a\",\"custom\":{\"reference-list\":[{\"id\":\"r1\"},"
	     "{\"id\":\"r2\"},{\"id\":\"r3\"}]}},{\"id\":\"b\"}]",
	     {.struct_size = sizeof(cw_limits), .max_children = 2},
	     "1:2: error: [a] reference list of 3 items, more than the children limit (2)",
	     CW_EOF},
	    {"csljson", "[{\"id\":\"a\"},{\"id\":\"b\"}]",
	     {.struct_size = sizeof(cw_limits), .max_records = 1},
	     "error: input has more records than the records limit (1)",
	     CW_ELIMIT},
	};
	cw_buf big = CW_BUF_INIT;
	cw_buf_append(&big, "[{\"id\":\"a\",\"title\":\"", CW_NUL);
	for (int i = 0; i < 100000; i++)
		cw_buf_putc(&big, 'x');
	cw_buf_append(&big, "\"}]", CW_NUL);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *in = cases[i].in ? cases[i].in : big.data;
		parsed p;
		int status;
		read_limited(&p, cases[i].format, in, strlen(in), &cases[i].lim, &status);
		cr_expect(strstr(cw_buf_str(&p.d.text), cases[i].msg), "case %zu: want \"%s\" in: %s",
		          i, cases[i].msg, cw_buf_str(&p.d.text));
		cr_expect_eq(status, cases[i].status, "case %zu: status %d", i, status);
		cr_expect_eq(cwt_diags_count(&p.d, CW_SEV_ERROR), 1, "case %zu: %s", i,
		             cw_buf_str(&p.d.text));
		cwt_expect_limit_error(&p.d, cases[i].msg);
		parsed_free(&p);
	}
	cw_buf_free(&big);
}

Test(csljson_markup, html_like_tags_to_rich_and_back)
{
	const char *in = "[{\"id\":\"a\",\"type\":\"book\",\"title\":\"<i>E. coli</i> and "
	                 "<b>bold</b> H<sub>2</sub>O "
	                 "x<sup>2</sup> <span class=\\\"nocase\\\">DNA</span> "
	                 "<span style=\\\"font-variant:small-caps;\\\">Sc</span> a <i>lone tag\"}]";
	parsed p;
	parse(&p, in);
	cr_assert_eq(p.n, 1, "%s", cw_buf_str(&p.d.text));
	const char *t = cw_record_text(p.recs[0], CW_FIELD_TITLE);
	cr_expect_str_eq(t, "\x01"
	                    "E. coli\x02 and \x03"
	                    "bold\x04 H\x07"
	                    "2\x08O x\x05"
	                    "2\x06 \x0e"
	                    "DNA\x0f \x0bSc\x0c a <i>lone tag");
	cw_buf plain = CW_BUF_INIT;
	cw_rich_to_plain(&plain, t);
	cr_expect_str_eq(cw_buf_str(&plain), "E. coli and bold H2O x2 DNA Sc a <i>lone tag");
	cw_buf_free(&plain);
	char *out = write1(p.recs[0], "csljson", NULL);
	cr_expect(strstr(out,
	                 "\"title\": \"<i>E. coli</i> and <b>bold</b> H<sub>2</sub>O x<sup>2</sup> "
	                 "<span class=\\\"nocase\\\">DNA</span> <span "
	                 "style=\\\"font-variant:small-caps;\\\">Sc</span> a <i>lone tag\""),
	          "%s", out);
	free(out);
	parsed_free(&p);
}

/* The title of one item with markup n levels deep ("<b>" n times, then "x"). */
static void nested_title(cw_buf *b, const char *tag, int n)
{
	cw_buf_clear(b);
	cw_buf_append(b, "[{\"id\":\"a\",\"type\":\"book\",\"title\":\"", CW_NUL);
	for (int i = 0; i < n; i++)
		cw_buf_printf(b, "<%s>", tag);
	cw_buf_putc(b, 'x');
	for (int i = 0; i < n; i++)
		cw_buf_printf(b, "</%s>", tag);
	cw_buf_append(b, "\"}]", CW_NUL);
}

/*
 * Markup nested deeper than it is read (the depth limit, and the 64 styles
 * rich text nests) stays text, and a warning says so (it once did silently).
 */
Test(csljson_markup, nesting_deeper_than_read_is_said)
{
	static const struct {
		uint32_t depth;      /* the depth limit (0: the default) */
		int n;               /* levels of markup */
		const char *warning; /* NULL: none */
		int limit;           /* the limit the warning names */
	} cases[] = {
	    {3, 4,
	     "in.json:1:2: warning: [a] markup in \"title\" nested deeper than the depth "
	     "limit "
	     "(3) is read as text",
	     CW_LIMIT_DEPTH},
	    {4, 4, NULL, 0},
	    {0, 65,
	     "in.json:1:2: warning: [a] markup in \"title\" nested deeper than 64 styles (a "
	     "fixed limit",
	     0},
	    {0, 64, NULL, 0},
	};
	cw_buf in = CW_BUF_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		nested_title(&in, "b", cases[i].n);
		cw_limits l = CW_LIMITS_INIT;
		l.max_depth = cases[i].depth;
		parsed p;
		int status;
		read_limited(&p, "csljson", in.data, in.len, &l, &status);
		cr_assert_eq(p.n, 1, "case %zu: %s", i, cw_buf_str(&p.d.text));
		const char *t = cw_record_text(p.recs[0], CW_FIELD_TITLE);
		if (cases[i].warning) {
			cr_expect(strstr(cw_buf_str(&p.d.text), cases[i].warning), "case %zu: %s",
			          i, cw_buf_str(&p.d.text));
			cr_assert_eq(p.d.n, 1, "case %zu: %s", i, cw_buf_str(&p.d.text));
			cr_expect_eq(p.d.items[0].limit, cases[i].limit, "case %zu", i);
			cr_expect(strstr(t, "<b>"), "case %zu: the deepest markup is text: %s", i,
			          t);
		} else {
			cr_expect_eq(p.d.n, 0, "case %zu: %s", i, cw_buf_str(&p.d.text));
			cr_expect(!strstr(t, "<b>"), "case %zu: %s", i, t);
		}
		parsed_free(&p);
	}
	cw_buf_free(&in);
}

Test(csljson_names, all_parts_flags_and_unknown_keys)
{
	parsed p;
	parse(&p,
	      "[{\"id\":\"a\",\"type\":\"book\",\"author\":["
	      "{\"family\":\"Beethoven\",\"given\":\"Ludwig\",\"non-dropping-particle\":\"van\"},"
	      "{\"family\":\"La Fontaine\",\"given\":\"Jean\",\"dropping-particle\":\"de\"},"
	      "{\"family\":\"Smith\",\"given\":\"John\",\"suffix\":\"Jr.\",\"comma-suffix\":true},"
	      "{\"family\":\"Mao\",\"given\":\"Zedong\",\"static-ordering\":true},"
	      "{\"literal\":\"World Health Organization\"},"
	      "{\"family\":\"Doe\",\"parse-names\":false,\"_orcid\":\"0000\"},"
	      "{}"
	      "]}]");
	cr_assert_eq(p.n, 1);
	cw_record *r = p.recs[0];
	cr_assert_eq(cw_record_name_count(r, CW_FIELD_AUTHOR), 6, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(cw_record_name(r, CW_FIELD_AUTHOR, 0)->non_dropping_particle, "van");
	cr_expect_str_eq(cw_record_name(r, CW_FIELD_AUTHOR, 1)->dropping_particle, "de");
	cr_expect_eq(cw_record_name(r, CW_FIELD_AUTHOR, 2)->flags, CW_NAME_COMMA_SUFFIX);
	cr_expect_eq(cw_record_name(r, CW_FIELD_AUTHOR, 3)->flags, CW_NAME_STATIC_ORDERING);
	cr_expect_str_eq(cw_record_name(r, CW_FIELD_AUTHOR, 4)->literal,
	                 "World Health Organization");
	const cw_name *doe = cw_record_name(r, CW_FIELD_AUTHOR, 5);
	cr_expect_eq(doe->flags, CW_NAME_NO_PARSE_NAMES);
	cr_expect_str_eq(doe->extra_format, "csljson");
	cr_expect_str_eq(doe->extra, "{\"_orcid\":\"0000\"}");
	cr_expect_eq(cwt_diags_count(&p.d, CW_SEV_WARNING), 1, "the empty name is reported: %s",
	             cw_buf_str(&p.d.text));
	/* schema-valid by default: the unknown key travels in custom.names */
	char *out = write1(r, "csljson", NULL);
	cr_expect(strstr(out, "\"parse-names\": false"), "%s", out);
	cr_expect(!strstr(out, "\"_orcid\": \"0000\""), "%s", out);
	cr_expect(strstr(out, "\"extra\": \"{\\\"_orcid\\\":\\\"0000\\\"}\""), "%s", out);
	free(out);
	/* inline-unknown puts it back where it was */
	const char *const inl[] = {"inline-unknown=true", NULL};
	out = write1(r, "csljson", inl);
	cr_expect(strstr(out, "\"family\": \"Doe\",\n        \"parse-names\": false,\n        "
	                      "\"_orcid\": \"0000\""),
	          "%s", out);
	free(out);
	parsed_free(&p);
}

Test(csljson_dates, shapes)
{
	parsed p;
	parse(&p, "[{\"id\":\"a\",\"type\":\"book\","
	          "\"issued\":{\"date-parts\":[[2008,2,29],[\"2008\",\"3\"]]},"
	          "\"accessed\":{\"date-parts\":[[2001]],\"season\":2,\"circa\":true},"
	          "\"original-date\":{\"literal\":\"Spring of the Ox\"},"
	          "\"event-date\":{\"raw\":\"2018-05/..\"},"
	          "\"submitted\":\"2019-07-04\","
	          "\"available-date\":{\"date-parts\":[[]],\"custom-key\":1}"
	          "}]");
	cr_assert_eq(p.n, 1, "%s", cw_buf_str(&p.d.text));
	cw_record *r = p.recs[0];
	const cw_date *d = cw_record_date(r, CW_FIELD_ISSUED);
	cr_assert(d);
	cr_expect_eq(d->parts, 3);
	cr_expect_eq(d->year, 2008);
	cr_expect_eq(d->day, 29);
	cr_expect_eq(d->end_parts, 2);
	cr_expect_eq(d->end_month, 3);
	d = cw_record_date(r, CW_FIELD_ACCESSED);
	cr_expect_str_eq(d->season, "2");
	cr_expect_eq(d->flags, CW_DATE_CIRCA);
	cr_expect_str_eq(cw_record_date(r, CW_FIELD_ORIGINAL_DATE)->literal, "Spring of the Ox");
	d = cw_record_date(r, CW_FIELD_EVENT_DATE);
	cr_expect_eq(d->parts, 2);
	cr_expect_eq(d->flags, CW_DATE_OPEN_END);
	d = cw_record_date(r, CW_FIELD_SUBMITTED);
	cr_expect_eq(d->parts, 3);
	cr_expect_eq(d->month, 7);
	d = cw_record_date(r, CW_FIELD_AVAILABLE_DATE);
	cr_expect_eq(d->parts, 0);
	cr_expect_str_eq(d->extra, "{\"custom-key\":1}", "an empty date-parts says nothing");

	char *out = write1(r, "csljson", NULL);
	cr_expect(strstr(out, "\"date-parts\": [[2008, 2, 29], [2008, 3]]"), "%s", out);
	cr_expect(strstr(out, "\"season\": \"2\",\n      \"circa\": true"), "%s", out);
	/* an open end is written as processors read it */
	cr_expect(strstr(out, "\"date-parts\": [[2018, 5], [0, 0]]"), "%s", out);
	free(out);
	parsed_free(&p);
}

Test(csljson_dates, flags_from_other_formats_travel_in_raw)
{
	cw_record *rec;
	cw_record_new(&rec);
	cw_record_set_text(rec, CW_FIELD_ID, "x", CW_NUL);
	cw_date d = CW_DATE_INIT;
	d.year = 2018, d.parts = 1, d.flags = CW_DATE_OPEN_END | CW_DATE_UNCERTAIN;
	cw_record_set_date(rec, CW_FIELD_ISSUED, &d);
	char *out = write1(rec, "csljson", NULL);
	/* an open end as citeproc-js reads it ("2018–"), the rest in EDTF */
	cr_expect(strstr(out, "\"date-parts\": [[2018], [0]],\n      \"raw\": \"2018?/..\""), "%s",
	          out);
	parsed p;
	parse(&p, out);
	cr_assert_eq(p.n, 1);
	cw_record_set_type(p.recs[0], CW_TYPE_UNSET);
	cw_buf diff = CW_BUF_INIT;
	cr_expect_eq(cw_record_compare(rec, p.recs[0], &diff), 0, "%s", cw_buf_str(&diff));
	cw_buf_free(&diff);
	free(out);
	parsed_free(&p);
	cw_record_free(rec);
}

Test(csljson_read, aliases_types_and_passthrough)
{
	parsed p;
	parse(&p, "[{\"id\":\"a\",\"type\":\"video\",\"journalAbbreviation\":\"J. Abbr.\","
	          "\"shortTitle\":\"Short\",\"title-short\":\"Canonical\",\"volume\":9,\"page\":"
	          "\"112-124\","
	          "\"zotero-key\":{\"k\":[1,2]},\"custom\":{\"keywords\":[\"Kazakhstan\",{"
	          "\"value\":\"Russia\",\"lang\":\"en\"}],"
	          "\"mine\":true}}]");
	cr_assert_eq(p.n, 1);
	cw_record *r = p.recs[0];
	cr_expect_eq(cw_record_type(r), CW_TYPE_UNSET);
	cr_expect_str_eq(cw_record_find_passthrough(r, "csljson", "type")->value, "\"video\"");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_CONTAINER_TITLE_SHORT), "J. Abbr.");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_TITLE_SHORT), "Canonical");
	cr_expect_str_eq(cw_record_find_passthrough(r, "csljson", "shortTitle")->value,
	                 "\"Short\"");
	cr_expect_str_eq(cw_record_find_passthrough(r, "csljson", "zotero-key")->value,
	                 "{\"k\":[1,2]}");
	cr_expect_str_eq(cw_record_find_passthrough(r, "csljson", "custom.mine")->value, "true");
	cr_expect_eq(cw_record_item_count(r, CW_FIELD_KEYWORDS), 2);
	cr_expect_str_eq(cw_record_item(r, CW_FIELD_KEYWORDS, 1)->lang, "en");
	cr_expect_eq(cwt_diags_count(&p.d, CW_SEV_WARNING), 1, "%s", cw_buf_str(&p.d.text));

	const char *const inl[] = {"inline-unknown=true", NULL};
	char *out = write1(r, "csljson", inl);
	cr_expect(strstr(out, "\"type\": \"video\""), "%s", out);
	cr_expect(strstr(out, "\"zotero-key\": {\"k\":[1,2]}"), "%s", out);
	cr_expect(strstr(out, "\"container-title-short\": \"J. Abbr.\""), "%s", out);
	cr_expect(strstr(out, "\"mine\": true"), "%s", out);
	free(out);
	out = write1(r, "csljson", NULL);
	cr_expect(strstr(out, "\"type\": \"document\""), "%s", out);
	cr_expect(strstr(out, "\"name\": \"zotero-key\""), "%s", out);
	free(out);
	parsed_free(&p);
}

Test(csljson_write, lines_and_compact)
{
	parsed p;
	parse(
	    &p,
	    "[{\"id\":\"a\",\"type\":\"book\",\"title\":\"T\"},{\"id\":\"b\",\"type\":\"book\"}]");
	cr_assert_eq(p.n, 2);
	char *out = cwt_write_records("csljsonl", p.recs, p.n, NULL, NULL);
	cr_expect_str_eq(
	    out,
	    "{\"id\":\"a\",\"type\":\"book\",\"title\":\"T\"}\n{\"id\":\"b\",\"type\":\"book\"}\n");
	free(out);
	const char *const compact[] = {"compact=true", NULL};
	out = cwt_write_records("csljson", p.recs, p.n, NULL, compact);
	cr_expect_str_eq(out, "[{\"id\":\"a\",\"type\":\"book\",\"title\":\"T\"},{\"id\":\"b\","
	                      "\"type\":\"book\"}]\n");
	free(out);
	out = cwt_write_records("csljson", p.recs, 0, NULL, NULL);
	cr_expect_str_eq(out, "[]\n");
	free(out);
	parsed_free(&p);
}

Test(csljson_write, records_without_id_or_type_get_them)
{
	cw_record *rec;
	cw_record_new(&rec);
	cw_record_set_text(rec, CW_FIELD_TITLE, "Untitled \"quote\" \\ \t tab", CW_NUL);
	char *out = write1(rec, "csljson", NULL);
	cr_expect(strstr(out, "\"id\": \"anonuntitled\",\n    \"type\": \"document\""), "%s", out);
	cr_expect(strstr(out, "\"Untitled \\\"quote\\\" \\\\ \\t tab\""), "%s", out);
	free(out);
	cw_record_free(rec);
}

Test(csljson_read, numbers_keep_their_text)
{
	parsed p;
	parse(&p, "[{\"id\":7,\"type\":\"book\",\"volume\":1.50,\"issue\":-0,\"page\":12}]");
	cr_assert_eq(p.n, 1, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(cw_record_text(p.recs[0], CW_FIELD_ID), "7");
	cr_expect_str_eq(cw_record_text(p.recs[0], CW_FIELD_VOLUME), "1.50");
	cr_expect_str_eq(cw_record_text(p.recs[0], CW_FIELD_ISSUE), "-0");
	cr_expect_str_eq(cw_record_text(p.recs[0], CW_FIELD_PAGE), "12");
	parsed_free(&p);
}

/* Items larger than the reader's first input window (16 KiB), between small ones. */
Test(csljson_read, items_larger_than_the_window)
{
	for (int lines = 0; lines < 2; lines++) {
		cw_buf b = CW_BUF_INIT;
		cw_buf_append(&b, lines ? "" : "[", CW_NUL);
		for (int i = 0; i < 3; i++) {
			cw_buf_printf(&b, "%s{\"id\":\"i%d\",\"abstract\":\"",
			              i && !lines ? "," : "", i);
			for (int k = 0; k < (i == 1 ? 300000 : 10); k++)
				cw_buf_append(&b, "abc\\u00e9 ", CW_NUL);
			cw_buf_append(&b, "\"}\n", CW_NUL);
		}
		cw_buf_append(&b, lines ? "" : "]", CW_NUL);
		parsed p;
		parse_as(&p, lines ? "csljsonl" : "csljson", b.data);
		cr_assert_eq(p.n, 3, "%s", cw_buf_str(&p.d.text));
		cr_expect_eq(p.d.n, 0, "%s", cw_buf_str(&p.d.text));
		cr_expect_str_eq(cw_record_text(p.recs[2], CW_FIELD_ID), "i2");
		cr_expect_eq(strlen(cw_record_text(p.recs[1], CW_FIELD_ABSTRACT)), 300000 * 6 - 1);
		uint32_t line, col;
		cw_record_origin(p.recs[2], &line, &col);
		cr_expect_eq(line, 3);
		parsed_free(&p);
		cw_buf_free(&b);
	}
}

/* ---- issue 15: what processors accept and what users see ---- */

static int has_key_text(const char *out, const char *text)
{
	return strstr(out, text) != NULL;
}

/* CSL dates as processors accept them: a table of shapes. */
struct date_case {
	const char *json; /* the date object */
	uint8_t parts, end_parts;
	int32_t year, month, day;
	uint32_t flags;
	int extra; /* 1: something is kept in the date's extra */
};

static const struct date_case date_cases[] = {
    {"{\"date-parts\":[[\"2000\",\"\",\"\"]]}", 1, 0, 2000, 0, 0, 0, 0},
    {"{\"date-parts\":[[2000,null,null]]}", 1, 0, 2000, 0, 0, 0, 0},
    {"{\"date-parts\":[[\" 2000 \",\"3\"]]}", 2, 0, 2000, 3, 0, 0, 0},
    {"{\"date-parts\":[[\"2000\"],[\"2001\",\"\",\"\"]]}", 1, 1, 2000, 0, 0, 0, 0},
    {"{\"date-parts\":[[\"-44\",\"3\",\"15\"]]}", 3, 0, -44, 3, 15, 0, 0},
    {"{\"date-parts\":[[\"\"]],\"literal\":\"n.d.\"}", 0, 0, 0, 0, 0, 0, 0},
    {"{\"date-parts\":[],\"raw\":\"Bogus\"}", 0, 0, 0, 0, 0, 0, 0},
    {"{\"date-parts\":[[2005,12,15]],\"circa\":1}", 3, 0, 2005, 12, 15, CW_DATE_CIRCA, 0},
    {"{\"date-parts\":[[2005]],\"circa\":\"1\"}", 1, 0, 2005, 0, 0, CW_DATE_CIRCA, 0},
    {"{\"date-parts\":[[2005]],\"circa\":\"true\"}", 1, 0, 2005, 0, 0, CW_DATE_CIRCA, 0},
    {"{\"date-parts\":[[2005]],\"circa\":true}", 1, 0, 2005, 0, 0, CW_DATE_CIRCA, 0},
    {"{\"date-parts\":[[2005]],\"circa\":2.5}", 1, 0, 2005, 0, 0, CW_DATE_CIRCA, 0},
    {"{\"date-parts\":[[2005]],\"circa\":0}", 1, 0, 2005, 0, 0, 0, 0},
    {"{\"date-parts\":[[2005]],\"circa\":0.0}", 1, 0, 2005, 0, 0, 0, 0},
    {"{\"date-parts\":[[2005]],\"circa\":\"0\"}", 1, 0, 2005, 0, 0, 0, 0},
    {"{\"date-parts\":[[2005]],\"circa\":\"false\"}", 1, 0, 2005, 0, 0, 0, 0},
    {"{\"date-parts\":[[2005]],\"circa\":\"\"}", 1, 0, 2005, 0, 0, 0, 0},
    {"{\"date-parts\":[[2005]],\"circa\":false}", 1, 0, 2005, 0, 0, 0, 0},
    /* citeproc-js's open range */
    {"{\"date-parts\":[[2004],[0]]}", 1, 0, 2004, 0, 0, CW_DATE_OPEN_END, 0},
    {"{\"date-parts\":[[2004,5],[0,0]]}", 2, 0, 2004, 5, 0, CW_DATE_OPEN_END, 0},
    /* an open start: only raw can say it */
    {"{\"raw\":\"../2004-01-01\"}", 0, 3, 0, 0, 0, CW_DATE_OPEN_START, 0},
    /* still not dates: kept as they came */
    {"{\"date-parts\":[[2005]],\"circa\":[1]}", 1, 0, 2005, 0, 0, 0, 1},
    {"{\"date-parts\":[[2000,\"\",5]]}", 0, 0, 0, 0, 0, 0, 1},
    {"{\"date-parts\":[[\"2000a\"]]}", 0, 0, 0, 0, 0, 0, 1},
    {"{\"date-parts\":[[\"\"],[2001]]}", 0, 0, 0, 0, 0, 0, 1},
};

static size_t date_cases_idx[sizeof date_cases / sizeof date_cases[0]];

ParameterizedTestParameters(csljson_dates, processor_shapes)
{
	for (size_t i = 0; i < sizeof date_cases_idx / sizeof date_cases_idx[0]; i++)
		date_cases_idx[i] = i;
	return cr_make_param_array(size_t, date_cases_idx,
	                           sizeof date_cases_idx / sizeof date_cases_idx[0]);
}

ParameterizedTest(size_t *ix, csljson_dates, processor_shapes)
{
	const struct date_case *c = &date_cases[*ix];
	cw_buf json = CW_BUF_INIT;
	cw_buf_printf(&json, "[{\"id\":\"a\",\"type\":\"book\",\"title\":\"T\",\"issued\":%s}]",
	              c->json);
	parsed p;
	parse(&p, json.data);
	cr_assert_eq(p.n, 1, "%s: %s", c->json, cw_buf_str(&p.d.text));
	const cw_date *d = cw_record_date(p.recs[0], CW_FIELD_ISSUED);
	cr_assert(d, "%s: no date", c->json);
	cr_expect_eq(d->parts, c->parts, "%s: %d parts", c->json, d->parts);
	cr_expect_eq(d->end_parts, c->end_parts, "%s: %d end parts", c->json, d->end_parts);
	cr_expect_eq(d->year, c->year, "%s: year %d", c->json, d->year);
	cr_expect_eq(d->month, c->month, "%s: month %d", c->json, d->month);
	cr_expect_eq(d->day, c->day, "%s: day %d", c->json, d->day);
	cr_expect_eq(d->flags, c->flags, "%s: flags %u", c->json, d->flags);
	cr_expect_eq(d->extra != NULL, c->extra, "%s: extra %s", c->json,
	             d->extra ? d->extra : "-");
	/* a date processors accept is written back in CSL's own form, nothing in custom */
	char *out = write1(p.recs[0], "csljson", NULL);
	cr_expect_eq(has_key_text(out, "\"dates\""), c->extra, "%s:\n%s", c->json, out);
	if (c->flags & CW_DATE_CIRCA)
		cr_expect(has_key_text(out, "\"circa\": true"), "%s", out);
	free(out);
	parsed_free(&p);
	cw_buf_free(&json);
}

/* A record of a format whose ids are not citation keys. */
static cw_record *new_rec(const char *source, const char *id, const char *doi, const char *family,
                          int year, const char *title)
{
	cw_record *r;
	cr_assert_eq(cw_record_new(&r), CW_OK);
	cw_record_set_source_format(r, source);
	cw_record_set_type(r, CW_TYPE_ARTICLE_JOURNAL);
	if (id)
		cw_record_set_text(r, CW_FIELD_ID, id, CW_NUL);
	if (doi)
		cw_record_set_text(r, CW_FIELD_DOI, doi, CW_NUL);
	if (family) {
		cw_name n = CW_NAME_INIT;
		n.family = family;
		cw_record_add_name(r, CW_FIELD_AUTHOR, &n);
	}
	if (year) {
		cw_date d = CW_DATE_INIT;
		d.year = year, d.parts = 1;
		cw_record_set_date(r, CW_FIELD_ISSUED, &d);
	}
	if (title)
		cw_record_set_text(r, CW_FIELD_TITLE, title, CW_NUL);
	return r;
}

/* The ids of an output, in order, as one "a|b|c" string. */
static void ids_of(const char *json, cw_buf *ids)
{
	parsed p;
	parse(&p, json);
	for (size_t i = 0; i < p.n; i++)
		cw_buf_printf(ids, "%s%s", i ? "|" : "", cw_record_text(p.recs[i], CW_FIELD_ID));
	parsed_free(&p);
}

Test(csljson_ids, citation_key_doi_or_generated_never_item_n)
{
	cw_record *r[6];
	r[0] = new_rec("jats", NULL, "10.1234/x", "Laumulin", 2008, "The Kazakhstan question");
	r[1] = new_rec("jats", NULL, "10.1234/x", "Laumulin", 2008, "On Kazakhstan");
	r[2] = new_rec("jats", NULL, NULL, "Laumulin", 2008, "Kazakhstan again");
	r[3] = new_rec("jats", NULL, NULL, "Laumulin", 2008, "Kazakhstan, once more");
	cw_record_set_text(r[3], CW_FIELD_CITATION_KEY, "Lau08", CW_NUL);
	r[4] = new_rec("dc", "oai:example.org:article/7", NULL, NULL, 0, "Untitled");
	r[5] = new_rec("jats", NULL, NULL, NULL, 0, NULL);
	cwt_diags d = {0};
	char *out = cwt_write_records("csljson", r, 6, &d, NULL);
	cr_assert(out);
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_WARNING), 0, "generated ids are not reported: %s",
	             cw_buf_str(&d.text));
	cw_buf ids = CW_BUF_INIT;
	parsed p;
	parse(&p, out);
	cr_assert_eq(p.n, 6, "%s", out);
	static const char *const want[] = {
	    "10.1234/x", "laumulin2008kazakhstan", "laumulin2008kazakhstana",
	    "Lau08",     "anonuntitled",           "anon"};
	for (size_t i = 0; i < 6; i++) {
		cw_buf_clear(&ids);
		cw_buf_printf(&ids, "\"id\": \"%s\"", want[i]);
		cr_expect(has_key_text(out, cw_buf_str(&ids)), "want %s:\n%s", want[i], out);
	}
	cr_expect(!has_key_text(out, "item-"), "%s", out);
	/* the OAI identifier is the record's own id: it travels beside the CSL id */
	cr_expect(has_key_text(out, "\"source-id\": \"oai:example.org:article/7\""), "%s", out);
	cr_expect_str_eq(cw_record_text(p.recs[4], CW_FIELD_ID), "oai:example.org:article/7");
	/* CSL-JSON -> CSL-JSON keeps every id */
	char *again = cwt_write_records("csljson", p.recs, p.n, NULL, NULL);
	cr_expect_str_eq(again, out);
	free(again);
	parsed_free(&p);
	for (size_t i = 0; i < 6; i++)
		cw_record_free(r[i]);
	cw_buf_free(&ids);
	cwt_diags_free(&d);
	free(out);
}

Test(csljson_ids, source_ids_are_kept_and_repeats_made_unique)
{
	parsed p;
	parse(&p, "[{\"id\":\"a\",\"type\":\"book\"},{\"id\":\"a\",\"type\":\"book\"},"
	          "{\"id\":\"b\",\"citation-key\":\"foo\",\"type\":\"book\"},{\"id\":7,\"type\":"
	          "\"book\"}]");
	cr_assert_eq(p.n, 4);
	cwt_diags d = {0};
	char *out = cwt_write_records("csljson", p.recs, p.n, &d, NULL);
	cw_buf ids = CW_BUF_INIT;
	ids_of(out, &ids);
	cr_expect_str_eq(cw_buf_str(&ids), "a|a|b|7", "the source id comes back: %s", out);
	cr_expect(has_key_text(out, "\"id\": \"aa\""), "%s", out);
	cr_expect(has_key_text(out, "\"source-id\": \"a\""), "%s", out);
	cr_expect(has_key_text(out, "\"id\": \"b\""), "the CSL id, not the citation-key: %s", out);
	cr_expect_eq(cwt_diags_count(&d, CW_SEV_WARNING), 1, "%s", cw_buf_str(&d.text));
	cr_expect(has_key_text(cw_buf_str(&d.text), "id \"a\" is already used"), "%s",
	          cw_buf_str(&d.text));
	parsed q;
	parse(&q, out);
	char *again = cwt_write_records("csljson", q.recs, q.n, NULL, NULL);
	cr_expect_str_eq(again, out, "a second pass writes the same ids");
	free(again);
	parsed_free(&q);
	free(out);
	cw_buf_free(&ids);
	cwt_diags_free(&d);
	parsed_free(&p);
}

/* An article's refs: "bib1" is only unique in its article; the CSL ids come from the refs. */
Test(csljson_ids, reference_lists_get_their_own_ids)
{
	cw_record *art[2];
	for (int a = 0; a < 2; a++) {
		art[a] = new_rec("jats", NULL, a ? "10.1/b" : "10.1/a", "Author", 2020, "Article");
		cw_record *c;
		cw_record_add_child(art[a], &c);
		cw_record_set_text(c, CW_FIELD_ID, "bib1", CW_NUL);
		cw_record_set_text(c, CW_FIELD_DOI, "10.9/cited", CW_NUL);
		cw_record_add_child(art[a], &c);
		cw_record_set_text(c, CW_FIELD_ID, "bib2", CW_NUL);
		cw_name n = CW_NAME_INIT;
		n.family = a ? "Other" : "Smith";
		cw_record_add_name(c, CW_FIELD_AUTHOR, &n);
		cw_record_set_text(c, CW_FIELD_TITLE, "The same title", CW_NUL);
		cw_record_add_child(art[a], &c);
		cw_record_set_text(c, CW_FIELD_ID, "bib3", CW_NUL);
		cw_record_add_name(c, CW_FIELD_AUTHOR, &n);
		cw_record_set_text(c, CW_FIELD_TITLE, "The same title", CW_NUL);
	}
	char *out = cwt_write_records("csljson", art, 2, NULL, NULL);
	cr_assert(out);
	cr_expect(!has_key_text(out, "\"id\": \"bib"), "%s", out);
	cr_expect(has_key_text(out, "\"id\": \"smithsame\""), "%s", out);
	cr_expect(has_key_text(out, "\"id\": \"smithsamea\""), "unique within the list: %s", out);
	cr_expect(has_key_text(out, "\"id\": \"othersame\""), "%s", out);
	cr_expect(has_key_text(out, "\"source-id\": \"bib3\""), "%s", out);
	parsed p;
	parse(&p, out);
	cr_assert_eq(p.n, 2);
	cr_assert_eq(cw_record_child_count(p.recs[0]), 3);
	cr_expect_str_eq(cw_record_text(cw_record_child(p.recs[0], 0), CW_FIELD_ID), "bib1");
	cr_expect_str_eq(cw_record_text(cw_record_child(p.recs[1], 2), CW_FIELD_ID), "bib3");
	char *again = cwt_write_records("csljson", p.recs, p.n, NULL, NULL);
	cr_expect_str_eq(again, out);
	free(again);
	parsed_free(&p);
	cw_record_free(art[0]);
	cw_record_free(art[1]);
	free(out);
}

Test(csljson_names, etal_is_the_literal_others)
{
	cw_record *r = new_rec("bibtex", "k", NULL, "Smith", 2001, "T");
	cw_name n = CW_NAME_INIT;
	n.family = "Jones";
	cw_record_add_name(r, CW_FIELD_AUTHOR, &n);
	cw_name etal = CW_NAME_INIT;
	etal.flags = CW_NAME_ETAL;
	cw_record_add_name(r, CW_FIELD_AUTHOR, &etal);
	cw_record_add_name(r, CW_FIELD_EDITOR, &etal); /* et al. alone: nothing to print */
	const char *const compact[] = {"compact=true", NULL};
	char *out = write1(r, "csljson", compact);
	cr_expect(has_key_text(out, "\"author\":[{\"family\":\"Smith\"},{\"family\":\"Jones\"},"
	                            "{\"literal\":\"others\"}]"),
	          "%s", out);
	cr_expect(has_key_text(out, "\"etal\":[\"editor\"]"), "%s", out);
	cr_expect(!has_key_text(out, "\"editor\":["), "%s", out);
	parsed p;
	parse(&p, out);
	cr_assert_eq(p.n, 1);
	cw_buf diff = CW_BUF_INIT;
	cr_expect_eq(cw_record_compare(r, p.recs[0], &diff), 0, "%s", cw_buf_str(&diff));
	cw_buf_free(&diff);
	parsed_free(&p);
	free(out);
	cw_record_free(r);
	/* from other producers; "others" alone is a name, not "et al." */
	parse(&p, "[{\"id\":\"a\",\"type\":\"book\",\"author\":[{\"family\":\"A\"},{\"literal\":"
	          "\"others\"}],"
	          "\"editor\":[{\"literal\":\"others\"}]}]");
	cr_assert_eq(p.n, 1);
	cr_assert_eq(cw_record_name_count(p.recs[0], CW_FIELD_AUTHOR), 2);
	cr_expect_eq(cw_record_name(p.recs[0], CW_FIELD_AUTHOR, 1)->flags, CW_NAME_ETAL);
	cr_expect_str_eq(cw_record_name(p.recs[0], CW_FIELD_EDITOR, 0)->literal, "others");
	parsed_free(&p);
}

Test(csljson_keywords, one_string_and_custom_only_for_details)
{
	cw_record *r = new_rec("jats", NULL, "10.1/k", NULL, 0, "T");
	cw_record_add_words(r, CW_FIELD_KEYWORDS, "Diabetes, Type 2; Obesity", CW_NUL);
	char *out = write1(r, "csljson", NULL);
	cr_expect(has_key_text(out, "\"keyword\": \"Diabetes, Type 2; Obesity\""), "%s", out);
	cr_expect(!has_key_text(out, "\"keywords\""), "plain keywords need no custom: %s", out);
	parsed p;
	parse(&p, out);
	cr_assert_eq(p.n, 1);
	cr_expect_eq(cw_record_item_count(p.recs[0], CW_FIELD_KEYWORDS), 2);
	parsed_free(&p);
	free(out);
	/* a language: custom.keywords carries it, and the reader does not add them twice */
	cw_item it = CW_ITEM_INIT;
	it.value = "Rußland";
	it.lang = "de";
	cw_record_add_item(r, CW_FIELD_KEYWORDS, &it);
	out = write1(r, "csljson", NULL);
	cr_expect(has_key_text(out, "\"keyword\": \"Diabetes, Type 2; Obesity; Rußland\""), "%s",
	          out);
	cr_expect(has_key_text(out, "\"lang\": \"de\""), "%s", out);
	parse(&p, out);
	cr_assert_eq(p.n, 1);
	cw_record_clear(p.recs[0], CW_FIELD_ID); /* the generated CSL id */
	cw_buf diff = CW_BUF_INIT;
	cr_expect_eq(cw_record_compare(r, p.recs[0], &diff), 0, "%s", cw_buf_str(&diff));
	cw_buf_free(&diff);
	parsed_free(&p);
	free(out);
	cw_record_free(r);
}

Test(csljson_numbers, article_number_is_csl_number_for_articles)
{
	cw_record *r = new_rec("jats", NULL, "10.1/n", NULL, 0, "T");
	cw_record_set_text(r, CW_FIELD_ARTICLE_NUMBER, "e1234", CW_NUL);
	char *out = write1(r, "csljson", NULL);
	cr_expect(has_key_text(out, "\"number\": \"e1234\""), "%s", out);
	cr_expect(!has_key_text(out, "article-number"), "%s", out);
	parsed p;
	parse(&p, out);
	cr_expect_str_eq(cw_record_text(p.recs[0], CW_FIELD_ARTICLE_NUMBER), "e1234");
	cr_expect_null(cw_record_text(p.recs[0], CW_FIELD_NUMBER));
	parsed_free(&p);
	free(out);
	/* a report's number is its own; the article number stays in custom */
	cw_record_set_type(r, CW_TYPE_REPORT);
	cw_record_set_text(r, CW_FIELD_NUMBER, "TR-7", CW_NUL);
	out = write1(r, "csljson", NULL);
	cr_expect(has_key_text(out, "\"number\": \"TR-7\""), "%s", out);
	cr_expect(has_key_text(out, "\"article-number\": \"e1234\""), "%s", out);
	free(out);
	/* both on an article: number is number, the article number in custom */
	cw_record_set_type(r, CW_TYPE_ARTICLE_JOURNAL);
	out = write1(r, "csljson", NULL);
	parse(&p, out);
	cw_buf diff = CW_BUF_INIT;
	cw_record_clear(p.recs[0], CW_FIELD_ID);
	cr_expect_eq(cw_record_compare(r, p.recs[0], &diff), 0, "%s\n%s", cw_buf_str(&diff), out);
	cw_buf_free(&diff);
	parsed_free(&p);
	free(out);
	cw_record_free(r);
	/* from other producers */
	parse(&p, "[{\"id\":\"a\",\"type\":\"article-journal\",\"number\":\"e7\"},"
	          "{\"id\":\"b\",\"type\":\"report\",\"number\":\"7\"}]");
	cr_expect_str_eq(cw_record_text(p.recs[0], CW_FIELD_ARTICLE_NUMBER), "e7");
	cr_expect_str_eq(cw_record_text(p.recs[1], CW_FIELD_NUMBER), "7");
	parsed_free(&p);
}

Test(csljson_titles, parts_joined_for_processors_and_taken_off_again)
{
	cw_record *r = new_rec("biblatex", "k", NULL, NULL, 0, NULL);
	cw_buf t = CW_BUF_INIT;
	cw_rich_open(&t, CW_STYLE_ITALIC);
	cw_buf_append(&t, "Homo", CW_NUL);
	cw_rich_close(&t, CW_STYLE_ITALIC);
	cw_buf_append(&t, " sapiens", CW_NUL);
	cw_record_set_text(r, CW_FIELD_TITLE, t.data, t.len);
	cw_record_set_text(r, CW_FIELD_SUBTITLE, "A history", CW_NUL);
	cw_record_set_text(r, CW_FIELD_TITLE_ADDON, "With a preface", CW_NUL);
	cw_record_set_text(r, CW_FIELD_CONTAINER_TITLE, "Why?", CW_NUL);
	cw_record_set_text(r, CW_FIELD_CONTAINER_SUBTITLE, "Because", CW_NUL);
	cw_record_set_text(r, CW_FIELD_VOLUME_TITLE, "Vol", CW_NUL);
	cw_record_set_text(r, CW_FIELD_VOLUME_TITLE_ADDON, "Second part", CW_NUL);
	char *out = write1(r, "csljson", NULL);
	cr_expect(
	    has_key_text(out, "\"title\": \"<i>Homo</i> sapiens: A history. With a preface\""),
	    "%s", out);
	cr_expect(has_key_text(out, "\"container-title\": \"Why? Because\""), "%s", out);
	cr_expect(has_key_text(out, "\"volume-title\": \"Vol. Second part\""), "%s", out);
	cr_expect(has_key_text(out, "\"subtitle\": \"A history\""), "%s", out);
	parsed p;
	parse(&p, out);
	cw_buf diff = CW_BUF_INIT;
	cr_expect_eq(cw_record_compare(r, p.recs[0], &diff), 0, "not joined twice: %s",
	             cw_buf_str(&diff));
	cw_buf_free(&diff);
	char *again = write1(p.recs[0], "csljson", NULL);
	cr_expect_str_eq(again, out);
	free(again);
	parsed_free(&p);
	free(out);
	cw_record_free(r);
	cw_buf_free(&t);
	/* a CSL title that is not the join (edited, or from elsewhere) stays as it is */
	parse(&p, "[{\"id\":\"a\",\"type\":\"book\",\"title\":\"Main: Other\","
	          "\"custom\":{\"subtitle\":\"Sub\"}}]");
	cr_expect_str_eq(cw_record_text(p.recs[0], CW_FIELD_TITLE), "Main: Other");
	parsed_free(&p);
}

/* Passthrough and extras are kept byte for byte: junk in them is repaired on output. */
Test(csljson_write, junk_passthrough_is_repaired_and_reported)
{
	cw_record *r = new_rec("bibtex", "k", NULL, NULL, 0, "T");
	cw_record_add_passthrough(r, "bibtex", "note2", "M\xfcller \xe2\x82", CW_NUL);
	cw_record_add_passthrough(r, "bib\xff", "n\xc0me", "x", CW_NUL);
	cw_record_add_passthrough(r, "csljson", "custom.mine", "{not json", CW_NUL);
	cw_record_add_passthrough(r, "csljson", "custom.m\xe9", "1", CW_NUL);
	cw_name n = CW_NAME_INIT;
	n.family = "Doe";
	n.extra_format = "bibtex";
	n.extra = "{\xfc}";
	cw_record_add_name(r, CW_FIELD_AUTHOR, &n);
	cwt_diags d = {0};
	char *out = cwt_write_records("csljson", &r, 1, &d, NULL);
	cr_assert(out);
	cr_expect_eq(cw_utf8_check(out, strlen(out)), strlen(out), "%s", out);
	cr_expect(has_key_text(out, "M\xef\xbf\xbdller \xef\xbf\xbd"), "%s", out);
	cr_expect(has_key_text(out, "\"mine\": \"{not json\""), "%s", out);
	cr_expect_geq(cwt_diags_count(&d, CW_SEV_WARNING), 5, "%s", cw_buf_str(&d.text));
	parsed p;
	parse(&p, out);
	cr_expect_eq(p.n, 1, "the output reads back: %s", cw_buf_str(&p.d.text));
	parsed_free(&p);
	for (int lines = 0; lines < 2; lines++) {
		char *o = cwt_write_records(lines ? "csljsonl" : "csljson", &r, 1, NULL,
		                            (const char *const[]){"inline-unknown=true", NULL});
		cr_expect_eq(cw_utf8_check(o, strlen(o)), strlen(o), "%s", o);
		free(o);
	}
	free(out);
	cwt_diags_free(&d);
	cw_record_free(r);
}
