/*
 * The context and stage sessions: limits, options as plugins read them,
 * names for messages.
 */
#include <string.h>

#include "cw_test.h"

Test(session, limits_defaults_and_overrides)
{
	cw_context *ctx;
	cr_assert_eq(cw_context_new(&ctx), CW_OK);
	const cw_limits *l = cw_context_limits(ctx);
	cr_expect_eq(l->max_input_bytes, 0, "no cap on the whole input: readers stream");
	cr_expect_eq(l->max_field_bytes, 1u << 20);
	cr_expect_eq(l->max_depth, 256);
	cr_expect_eq(l->max_names, 10000);
	cr_expect_eq(l->max_records, 10000000);
	cr_expect_eq(l->max_children, 100000);
	cr_expect_eq(l->max_hops, 32);
	cr_expect_eq(l->max_record_bytes, 16u << 20);
	/* zeros keep the defaults */
	cw_limits mine = CW_LIMITS_INIT;
	mine.max_depth = 8;
	mine.max_records = 3;
	cr_assert_eq(cw_context_set_limits(ctx, &mine), CW_OK);
	l = cw_context_limits(ctx);
	cr_expect_eq(l->max_depth, 8);
	cr_expect_eq(l->max_records, 3);
	cr_expect_eq(l->max_names, 10000);
	/* a caller whose struct ends early sets only what it has */
	cw_limits old = CW_LIMITS_INIT;
	old.struct_size = (uint32_t)offsetof(cw_limits, max_depth);
	old.max_input_bytes = 1000;
	old.max_field_bytes = 100;
	old.max_depth = 1; /* beyond its struct: ignored */
	cr_assert_eq(cw_context_set_limits(ctx, &old), CW_OK);
	l = cw_context_limits(ctx);
	cr_expect_eq(l->max_input_bytes, 1000);
	cr_expect_eq(l->max_field_bytes, 100);
	cr_expect_eq(l->max_depth, 256, "setting limits again starts from the defaults");
	cr_expect_eq(cw_context_set_limits(ctx, NULL), CW_EINVAL);
	cr_expect_eq(cw_context_set_limits(NULL, &mine), CW_EINVAL);
	/* nesting deeper than readers' stacks take is refused, the limits kept */
	cw_limits deep = CW_LIMITS_INIT;
	deep.max_depth = CW_LIMIT_DEPTH_MAX;
	cr_expect_eq(cw_context_set_limits(ctx, &deep), CW_OK);
	deep.max_depth = CW_LIMIT_DEPTH_MAX + 1;
	cr_expect_eq(cw_context_set_limits(ctx, &deep), CW_EINVAL);
	cr_expect_eq(cw_context_limits(ctx)->max_depth, CW_LIMIT_DEPTH_MAX);
	/* no context: the defaults */
	cr_expect_eq(cw_context_limits(NULL)->max_depth, 256);
	cw_context_free(ctx);
	cw_context_free(NULL);
}

Test(session, record_limit_stops_the_reader)
{
	static const char json[] =
	    "[{\"id\": \"a\", \"type\": \"book\"}, {\"id\": \"b\", \"type\": \"book\"},"
	    " {\"id\": \"c\", \"type\": \"book\"}]";
	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	cw_limits l = CW_LIMITS_INIT;
	l.max_records = 2;
	cw_context_set_limits(ctx, &l);
	cw_istream *in;
	cw_istream_open_memory(&in, json, sizeof json - 1, "in.json");
	cw_reader *r;
	cr_assert_eq(cw_reader_open(&r, ctx, cw_registry_find_format(cwt_registry(), "csljson"), in,
	                            NULL, 0),
	             CW_OK);
	cw_record *rec;
	cr_assert_eq(cw_reader_next(r, &rec), CW_OK);
	cr_expect_str_eq(cw_record_source_format(rec), "csljson", "the host names the source");
	cw_record_free(rec);
	cr_assert_eq(cw_reader_next(r, &rec), CW_OK);
	cw_record_free(rec);
	cr_expect_eq(cw_reader_next(r, &rec), CW_ELIMIT);
	cr_expect_null(rec);
	cr_expect(strstr(cw_buf_str(&d.text),
	                 "in.json: error: input has more records than the records limit (2)"),
	          "%s", cw_buf_str(&d.text));
	cw_reader_close(r);
	cw_istream_close(in);
	cw_context_free(ctx);
	cwt_diags_free(&d);
}

/* Every limit has its --limit key; the value is read by name. */
Test(session, limits_by_name)
{
	static const struct {
		enum cw_limit which;
		const char *key;
		uint64_t dflt;
	} cases[] = {
	    {CW_LIMIT_INPUT_BYTES, "input-bytes", 0},
	    {CW_LIMIT_FIELD_BYTES, "field-bytes", 1u << 20},
	    {CW_LIMIT_DEPTH, "depth", 256},
	    {CW_LIMIT_NAMES, "names", 10000},
	    {CW_LIMIT_RECORDS, "records", 10000000},
	    {CW_LIMIT_CHILDREN, "children", 100000},
	    {CW_LIMIT_HOPS, "hops", 32},
	    {CW_LIMIT_RECORD_BYTES, "record-bytes", 16u << 20},
	    {CW_LIMIT_FIELDS, "fields", 4096},
	    {CW_LIMIT_ATTRIBUTES, "attributes", 256},
	    {CW_LIMIT_MACROS, "macros", 8192},
	};
	const cw_limits *l = cw_context_limits(NULL);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cr_expect_str_eq(cw_limit_key(cases[i].which), cases[i].key);
		cr_expect_eq(cw_limit_from_key(cases[i].key, CW_NUL), cases[i].which);
		cr_expect_eq(cw_limit_value(l, cases[i].which), cases[i].dflt, "%s", cases[i].key);
	}
	cr_expect_null(cw_limit_key((enum cw_limit)0));
	cr_expect_null(cw_limit_key((enum cw_limit)99));
	cr_expect_eq(cw_limit_value(l, (enum cw_limit)99), 0);
	cr_expect_eq(cw_limit_value(NULL, CW_LIMIT_DEPTH), 0);
	/* a caller's older, shorter struct has no value for a later limit */
	cw_limits old = CW_LIMITS_INIT;
	old.struct_size = (uint32_t)offsetof(cw_limits, max_depth);
	old.max_depth = 5;
	cr_expect_eq(cw_limit_value(&old, CW_LIMIT_DEPTH), 0);
}

/* The message names the limit, its value and the --limit key to raise it. */
Test(session, limit_error_names_the_limit_and_tells_the_host)
{
	static const struct {
		enum cw_limit which;
		uint64_t value;
		const char *want;
	} cases[] = {
	    {CW_LIMIT_RECORD_BYTES, 1u << 20,
	     "x.json:3:4: error: record larger than the record-bytes limit (1 MiB)"},
	    {CW_LIMIT_INPUT_BYTES, 64u << 10,
	     "x.json:3:4: error: record larger than the input-bytes limit (64 KiB)"},
	    {CW_LIMIT_FIELD_BYTES, 1000,
	     "x.json:3:4: error: record larger than the field-bytes limit (1000 bytes)"},
	    {CW_LIMIT_NAMES, 4096, "x.json:3:4: error: record larger than the names limit (4096)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cwt_diags d = {0};
		cw_context *ctx = cwt_context(&d);
		cw_limits l = CW_LIMITS_INIT;
		l.max_record_bytes = l.max_input_bytes = l.max_field_bytes = cases[i].value;
		l.max_names = (uint32_t)cases[i].value;
		cw_context_set_limits(ctx, &l);
		cw_istream *in;
		cw_istream_open_memory(&in, "[]", 2, "x.json");
		cw_reader *r;
		cr_assert_eq(cw_reader_open(&r, ctx,
		                            cw_registry_find_format(cwt_registry(), "csljson"), in,
		                            NULL, 0),
		             CW_OK);
		int rc = cw_session_limit_error(cw_reader_session(r), CW_ERECORD, cases[i].which, 3,
		                                4, "%s larger than", "record");
		cr_expect_eq(rc, CW_ERECORD, "the status the caller gives");
		cr_assert_eq(d.n, 1);
		cr_expect_eq(d.items[0].code, CW_ELIMIT, "the diagnostic's code is the limit's");
		cr_expect_eq(d.items[0].severity, CW_SEV_ERROR);
		cr_expect_eq(d.items[0].limit, (int)cases[i].which, "the host learns which limit");
		cr_expect(strstr(cw_buf_str(&d.text), cases[i].want), "%s", cw_buf_str(&d.text));
		cr_expect_null(strstr(cw_buf_str(&d.text), "--limit"), "no program's option: %s",
		               cw_buf_str(&d.text));
		cw_reader_close(r);
		cw_istream_close(in);
		cw_context_free(ctx);
		cwt_diags_free(&d);
	}
}

/* A plugin's own words about a limit: the message as written, the limit for the host. */
Test(session, limit_diag_is_a_diagnostic_about_a_limit)
{
	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	cw_istream *in;
	cw_istream_open_memory(&in, "[]", 2, "x.json");
	cw_reader *r;
	cr_assert_eq(cw_reader_open(&r, ctx, cw_registry_find_format(cwt_registry(), "csljson"),
	                            in, NULL, 0),
	             CW_OK);
	cw_session *s = cw_reader_session(r);
	cr_expect_eq(cw_session_limit_diag(s, CW_SEV_WARNING, CW_OK, CW_LIMIT_DEPTH, 2, 0,
	                                   "groups deeper than the depth limit (%u) read as text",
	                                   256u),
	             CW_OK);
	cr_expect_eq(cw_session_limit_diag(s, CW_SEV_WARNING, CW_OK, (enum cw_limit)99, 0, 0, "x"),
	             CW_OK);
	cr_assert_eq(d.n, 2);
	cr_expect_eq(d.items[0].severity, CW_SEV_WARNING);
	cr_expect_eq(d.items[0].limit, CW_LIMIT_DEPTH);
	cr_expect_str_eq(d.items[0].message, "groups deeper than the depth limit (256) read as text");
	cr_expect_eq(d.items[1].limit, 0, "no such limit: none");
	cw_reader_close(r);
	cw_istream_close(in);
	cw_context_free(ctx);
	cwt_diags_free(&d);
}

static cw_writer *writer(cw_context *ctx, cw_ostream **o, const cw_option *opts, size_t n)
{
	cr_assert_eq(cw_ostream_open_memory(o, "w.json"), CW_OK);
	cw_writer *w = NULL;
	int rc = cw_writer_open(&w, ctx, cw_registry_find_format(cwt_registry(), "csljson"), *o,
	                        opts, n);
	cr_assert_eq(rc, CW_OK);
	return w;
}

Test(session, options_as_plugins_read_them)
{
	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	cw_ostream *o;
	/* not given: the declared default */
	cw_writer *w = writer(ctx, &o, NULL, 0);
	cw_session *s = cw_writer_session(w);
	cr_expect_str_eq(cw_session_option(s, "compact"), "false");
	cr_expect_eq(cw_session_option_bool(s, "compact", 1), 0);
	cr_expect_null(cw_session_option(s, "undeclared"));
	cr_expect_eq(cw_session_option_bool(s, "undeclared", 7), 7);
	cr_expect_str_eq(cw_session_format(s), "csljson");
	cr_expect_str_eq(cw_session_file(s), "w.json");
	cr_expect_eq(cw_session_context(s), ctx);
	cr_expect_eq(cw_session_limits(s), cw_context_limits(ctx));
	cw_writer_close(w);
	cw_ostream_close(o);
	/* a flag given without a value reads "true"; the last one given wins */
	cw_option flag = {"compact", NULL};
	w = writer(ctx, &o, &flag, 1);
	cr_expect_str_eq(cw_session_option(cw_writer_session(w), "compact"), "true");
	cr_expect_eq(cw_session_option_bool(cw_writer_session(w), "compact", 0), 1);
	cw_writer_close(w);
	cw_ostream_close(o);
	cw_option two[] = {{"compact", "yes"}, {"compact", "OFF"}};
	w = writer(ctx, &o, two, 2);
	cr_expect_eq(cw_session_option_bool(cw_writer_session(w), "compact", 1), 0);
	cw_writer_close(w);
	cw_ostream_close(o);
	cr_expect_eq(d.n, 0, "%s", cw_buf_str(&d.text));
	/* refused: unknown, and a bad boolean; each reported */
	cw_option bad[] = {{"colour", "red"}, {"compact", "maybe"}};
	cr_assert_eq(cw_ostream_open_memory(&o, "w.json"), CW_OK);
	w = NULL;
	cr_expect_eq(
	    cw_writer_open(&w, ctx, cw_registry_find_format(cwt_registry(), "csljson"), o, bad, 2),
	    CW_EINVAL);
	cw_writer_close(w); /* returned even on failure: always closed */
	cw_ostream_close(o);
	cr_expect_str_eq(
	    cw_buf_str(&d.text),
	    "w.json: error: csljson has no option \"colour\"\n"
	    "w.json: error: option compact of csljson takes true or false, not "
	    "\"maybe\"\n");
	cr_expect_null(cw_session_option(NULL, "compact"));
	cw_context_free(ctx);
	cwt_diags_free(&d);
}

Test(session, stages_refuse_misuse)
{
	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	const cw_format *f = cw_registry_find_format(cwt_registry(), "csljson");
	cw_istream *in;
	cw_istream_open_memory(&in, "[]", 2, NULL);
	cw_reader *r = (cw_reader *)1;
	cr_expect_eq(cw_reader_open(&r, NULL, f, in, NULL, 0), CW_EINVAL);
	cr_expect_null(r);
	cr_expect_eq(cw_reader_open(&r, ctx, NULL, in, NULL, 0), CW_EINVAL);
	cr_expect_eq(cw_reader_open(&r, ctx, f, NULL, NULL, 0), CW_EINVAL);
	cr_expect_eq(cw_reader_next(NULL, NULL), CW_EINVAL);
	cr_assert_eq(cw_reader_open(&r, ctx, f, in, NULL, 0), CW_OK);
	cw_record *rec;
	cr_expect_eq(cw_reader_next(r, &rec), CW_EOF);
	cr_expect_eq(cw_reader_next(r, NULL), CW_EINVAL);
	cw_reader_close(r);
	cw_reader_close(NULL);
	cw_ostream *o;
	cw_ostream_open_memory(&o, NULL);
	cw_writer *w;
	cr_assert_eq(cw_writer_open(&w, ctx, f, o, NULL, 0), CW_OK);
	cr_expect_eq(cw_writer_write(w, NULL), CW_EINVAL);
	cr_expect_eq(cw_writer_finish(w), CW_OK);
	cr_expect_eq(cw_writer_finish(w), CW_EINVAL, "finished once");
	cw_record_new(&rec);
	cr_expect_eq(cw_writer_write(w, rec), CW_EINVAL, "no writing after the end");
	cw_record_free(rec);
	cw_writer_close(w);
	cw_writer_close(NULL);
	cw_ostream_close(o);
	cw_istream_close(in);
	cw_context_free(ctx);
	cwt_diags_free(&d);
}

/* A host sets limits by key, without a table of its own (ABI 1.4). */
Test(session, limits_set_by_key)
{
	/* every key from 1 on, and nothing after the last */
	enum cw_limit last = (enum cw_limit)1;
	while (cw_limit_key((enum cw_limit)(last + 1)))
		last = (enum cw_limit)(last + 1);
	cr_expect_eq(last, CW_LIMIT_MACROS);
	cr_expect_eq(cw_limit_from_key("fields=10", 6), CW_LIMIT_FIELDS);
	cr_expect_eq(cw_limit_from_key("field", CW_NUL), 0);
	cr_expect_eq(cw_limit_from_key("Fields", CW_NUL), 0);
	cr_expect_eq(cw_limit_from_key(NULL, 0), 0);
	cr_expect_eq(cw_limit_from_key("macros", CW_NUL), CW_LIMIT_MACROS);
	cr_expect_eq(cw_limit_from_key("attributes", CW_NUL), CW_LIMIT_ATTRIBUTES);
	cr_expect(cw_limit_is_bytes(CW_LIMIT_RECORD_BYTES));
	cr_expect(!cw_limit_is_bytes(CW_LIMIT_ATTRIBUTES));
	cr_expect(!cw_limit_is_bytes(CW_LIMIT_MACROS));
	cr_expect(!cw_limit_is_bytes(CW_LIMIT_FIELDS));
	cr_expect(!cw_limit_is_bytes((enum cw_limit)0));

	cw_limits l = CW_LIMITS_INIT;
	cr_expect_eq(cw_limit_set(&l, CW_LIMIT_FIELDS, 5000), CW_OK);
	cr_expect_eq(l.max_fields, 5000);
	cr_expect_eq(cw_limit_set(&l, CW_LIMIT_ATTRIBUTES, 1000), CW_OK);
	cr_expect_eq(cw_limit_set(&l, CW_LIMIT_MACROS, 20000), CW_OK);
	cr_expect_eq(l.max_attributes, 1000);
	cr_expect_eq(l.max_macros, 20000);
	cr_expect_eq(cw_limit_set(&l, CW_LIMIT_RECORD_BYTES, 5ull << 32), CW_OK);
	cr_expect_eq(l.max_record_bytes, 5ull << 32);
	cr_expect_eq(cw_limit_set(&l, CW_LIMIT_FIELDS, 0), CW_EINVAL);
	cr_expect_eq(cw_limit_set(&l, CW_LIMIT_FIELDS, 1ull << 32), CW_EINVAL, "a 32-bit member");
	cr_expect_eq(l.max_fields, 5000, "a refused value leaves the limit alone");
	cr_expect_eq(cw_limit_set(&l, CW_LIMIT_DEPTH, CW_LIMIT_DEPTH_MAX + 1), CW_EINVAL);
	cr_expect_eq(cw_limit_set(&l, (enum cw_limit)0, 1), CW_EINVAL);
	cr_expect_eq(cw_limit_set(NULL, CW_LIMIT_DEPTH, 1), CW_EINVAL);
	/* an ABI 1.3 caller's struct ends before max_fields */
	cw_limits old = CW_LIMITS_INIT;
	old.struct_size = (uint32_t)offsetof(cw_limits, max_fields);
	cr_expect_eq(cw_limit_set(&old, CW_LIMIT_FIELDS, 10), CW_EINVAL);
	cr_expect_eq(cw_limit_set(&old, CW_LIMIT_ATTRIBUTES, 10), CW_EINVAL);
	cr_expect_eq(cw_limit_set(&old, CW_LIMIT_MACROS, 10), CW_EINVAL);
	cr_expect_eq(cw_limit_set(&old, CW_LIMIT_HOPS, 10), CW_OK);

	/* the context takes the new member, and a 1.3 struct keeps its default */
	cw_context *ctx = NULL;
	cr_assert_eq(cw_context_new(&ctx), CW_OK);
	cr_assert_eq(cw_context_set_limits(ctx, &l), CW_OK);
	cr_expect_eq(cw_context_limits(ctx)->max_fields, 5000);
	cr_expect_eq(cw_context_limits(ctx)->max_attributes, 1000);
	cr_expect_eq(cw_context_limits(ctx)->max_macros, 20000);
	old.max_fields = 7; /* past its struct_size: not read */
	old.max_attributes = 7;
	old.max_macros = 7;
	cr_assert_eq(cw_context_set_limits(ctx, &old), CW_OK);
	cr_expect_eq(cw_context_limits(ctx)->max_fields, 4096);
	cr_expect_eq(cw_context_limits(ctx)->max_attributes, 256);
	cr_expect_eq(cw_context_limits(ctx)->max_macros, 8192);
	cw_context_free(ctx);
}
