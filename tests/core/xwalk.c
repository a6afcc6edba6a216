/*
 * Crosswalk tables: parsing (shapes refused with a located message),
 * lookups, and run-time overrides through the context.
 */
#include <string.h>

#include "cw_test.h"

#include "cwt_cases.h"

/* clang-format off */
static const char table[] = "# a comment\n"
                            "format: bibtex\n"
                            "version: \"2\"\n"
                            "types:\n"
                            "  - {bibtex: article, csl: article-journal}\n"
                            "  - {bibtex: inproceedings, csl: paper-conference}\n"
                            "  - {bibtex: conference, csl: paper-conference}\n"
                            "  - bibtex: Misc\n"
                            "    csl: document\n"
                            "    note: \"the fallback\"\n"
                            "fields:\n"
                            "  - {bibtex: journal, field: container-title}\n"
                            "  - {bibtex: [journaltitle, jtitle], field: container-title}\n"
                            "  - {bibtex: note}\n"
                            "empty: []\n";
/* clang-format on */

static cw_xwalk *parse_ok(const char *yaml)
{
	cw_xwalk *t = NULL;
	cw_buf err = CW_BUF_INIT;
	int rc = cw_xwalk_parse(&t, yaml, CW_NUL, "t.yaml", &err);
	cr_assert_eq(rc, CW_OK, "parse failed: %s", cw_buf_str(&err));
	cr_expect_eq(err.len, 0);
	cw_buf_free(&err);
	return t;
}

Test(xwalk, parse_and_look_up)
{
	cw_xwalk *t = parse_ok(table);
	cr_expect_str_eq(cw_xwalk_meta(t, "format"), "bibtex");
	cr_expect_str_eq(cw_xwalk_meta(t, "version"), "2");
	cr_expect_null(cw_xwalk_meta(t, "types"));
	cr_expect_null(cw_xwalk_meta(t, NULL));
	cr_expect_eq(cw_xwalk_row_count(t, "types"), 4);
	cr_expect_eq(cw_xwalk_row_count(t, "fields"), 3);
	cr_expect_eq(cw_xwalk_row_count(t, "empty"), 0);
	cr_expect_eq(cw_xwalk_row_count(t, "nope"), 0);
	cr_expect_str_eq(cw_xwalk_cell(t, "types", 3, "note"), "the fallback");
	cr_expect_null(cw_xwalk_cell(t, "types", 0, "note"));
	cr_expect_null(cw_xwalk_cell(t, "types", 4, "csl"));
	cr_expect_null(cw_xwalk_cell(t, "types", 0, NULL));
	/* a list in a cell reads as its items joined by | */
	cr_expect_str_eq(cw_xwalk_cell(t, "fields", 1, "bibtex"), "journaltitle|jtitle");

	cr_expect_str_eq(cw_xwalk_lookup(t, "types", "bibtex", "article", "csl", 0),
	                 "article-journal");
	cr_expect_str_eq(cw_xwalk_lookup(t, "types", "csl", "paper-conference", "bibtex", 0),
	                 "inproceedings", "the first matching row wins");
	cr_expect_null(cw_xwalk_lookup(t, "types", "bibtex", "ARTICLE", "csl", 0));
	cr_expect_str_eq(cw_xwalk_lookup(t, "types", "bibtex", "ARTICLE", "csl", 1),
	                 "article-journal");
	cr_expect_str_eq(cw_xwalk_lookup(t, "types", "bibtex", "misc", "csl", 1), "document");
	cr_expect_null(cw_xwalk_lookup(t, "types", "bibtex", "book", "csl", 1));
	/* a matching row without the wanted column is skipped */
	cr_expect_null(cw_xwalk_lookup(t, "fields", "bibtex", "note", "field", 0));
	cr_expect_null(cw_xwalk_lookup(t, "nope", "a", "b", "c", 0));
	cr_expect_null(cw_xwalk_lookup(NULL, "types", "bibtex", "article", "csl", 0));
	cw_xwalk_free(t);
	cw_xwalk_free(NULL);
}

Test(xwalk, empty_table)
{
	cw_xwalk *t = parse_ok("");
	cr_expect_null(cw_xwalk_meta(t, "format"));
	cr_expect_eq(cw_xwalk_row_count(t, "types"), 0);
	cw_xwalk_free(t);
	t = parse_ok("# only a comment\n");
	cw_xwalk_free(t);
}

struct bad_case {
	const char *what;
	const char *yaml;
	const char *msg;   /* must occur in the error */
	const char *where; /* "t.yaml:LINE:COL" prefix, or NULL */
};

/* clang-format off */
static struct bad_case bad_cases[] = {
	{"alias", "format: x\ntypes:\n  - &r {a: 1}\n  - *r\n", "aliases are not allowed", "t.yaml:4:5"},
	{"alias in a cell", "format: &f x\ntypes:\n  - {a: *f}\n", "aliases are not allowed",
	 "t.yaml:3:"},
	{"top is a list", "- a\n- b\n", "mapping at the top", "t.yaml:1:1"},
	{"top is a scalar", "just text\n", "mapping at the top", "t.yaml:1:1"},
	{"nested mapping at the top", "format: x\ntypes: {a: b}\n", "a top-level value",
	 "t.yaml:2:8"},
	{"row is a scalar", "types:\n  - article\n", "each row of a section must be a mapping",
	 "t.yaml:2:5"},
	{"row is a list", "types:\n  - [a, b]\n", "each row of a section must be a mapping", NULL},
	{"cell is a mapping", "types:\n  - {a: {b: c}}\n", "a cell must be a string", "t.yaml:2:9"},
	{"list of lists in a cell", "types:\n  - {a: [[b]]}\n", "may hold only strings", NULL},
	{"key is a list", "types:\n  - {[a]: b}\n", "keys must be strings", NULL},
	{"top key is a list", "[a]: b\n", "top-level keys must be strings", NULL},
	{"two documents", "format: a\n---\nformat: b\n", "only one YAML document", NULL},
	{"syntax error", "types:\n  - {a: b\n", "t.yaml:", NULL},
	{"tab indentation", "types:\n\t- {a: b}\n", "t.yaml:", NULL},
};
/* clang-format on */

CWT_CASES(xwalk, refused, bad_cases)

ParameterizedTest(size_t *i, xwalk, refused)
{
	const struct bad_case *c = &bad_cases[*i];
	cw_xwalk *t = (cw_xwalk *)1;
	cw_buf err = CW_BUF_INIT;
	int rc = cw_xwalk_parse(&t, c->yaml, strlen(c->yaml), "t.yaml", &err);
	cr_expect_eq(rc, CW_EFORMAT, "%s: %d", c->what, rc);
	cr_expect_null(t, "%s: no table on failure", c->what);
	cr_expect(strstr(cw_buf_str(&err), c->msg), "%s: message \"%s\" lacks \"%s\"", c->what,
	          cw_buf_str(&err), c->msg);
	if (c->where)
		cr_expect_eq(strncmp(cw_buf_str(&err), c->where, strlen(c->where)), 0,
		             "%s: message \"%s\" does not start with %s", c->what, cw_buf_str(&err),
		             c->where);
	/* one line, no newline */
	cr_expect_null(strchr(cw_buf_str(&err), '\n'));
	cw_buf_free(&err);
}

Test(xwalk, limits)
{
	/* a "billion laughs" needs aliases, which are refused; a huge flat table is bounded */
	cw_buf big = CW_BUF_INIT;
	cw_buf_append(&big, "rows:\n", CW_NUL);
	for (int i = 0; i < 70; i++)
		cw_buf_printf(&big, "  - {c%d: v}\n", i);
	cw_xwalk *t = parse_ok(big.data);
	cr_expect_eq(cw_xwalk_row_count(t, "rows"), 70);
	cw_xwalk_free(t);
	/* more cells in one row than any table needs */
	cw_buf_clear(&big);
	cw_buf_append(&big, "rows:\n  - {", CW_NUL);
	for (int i = 0; i < 100; i++)
		cw_buf_printf(&big, "%sc%d: v", i ? ", " : "", i);
	cw_buf_append(&big, "}\n", CW_NUL);
	cw_buf err = CW_BUF_INIT;
	cr_expect_eq(cw_xwalk_parse(&t, big.data, big.len, NULL, &err), CW_EFORMAT);
	cr_expect(strstr(cw_buf_str(&err), "<crosswalk>:"), "unnamed input: %s", cw_buf_str(&err));
	cr_expect(strstr(cw_buf_str(&err), "too many cells"), "%s", cw_buf_str(&err));
	/* deep nesting is refused at the first level too deep, not parsed */
	cw_buf_clear(&big);
	cw_buf_clear(&err);
	cw_buf_append(&big, "rows: ", CW_NUL);
	for (int i = 0; i < 100000; i++)
		cw_buf_putc(&big, '[');
	cr_expect_eq(cw_xwalk_parse(&t, big.data, big.len, "deep", &err), CW_EFORMAT);
	/* one value longer than any cell needs */
	cw_buf_clear(&big);
	cw_buf_clear(&err);
	cw_buf_append(&big, "format: ", CW_NUL);
	for (int i = 0; i < 70000; i++)
		cw_buf_putc(&big, 'v');
	cr_expect_eq(cw_xwalk_parse(&t, big.data, big.len, "long.yaml", &err), CW_EFORMAT);
	cr_expect(strstr(cw_buf_str(&err), "long.yaml:1:9: value too long"), "%s", cw_buf_str(&err));
	/* an error buffer is optional */
	cr_expect_eq(cw_xwalk_parse(&t, "- x", CW_NUL, NULL, NULL), CW_EFORMAT);
	cr_expect_eq(cw_xwalk_parse(NULL, "a: b", CW_NUL, NULL, NULL), CW_EINVAL);
	cr_expect_eq(cw_xwalk_parse(&t, NULL, 0, NULL, NULL), CW_EINVAL);
	cw_buf_free(&err);
	cw_buf_free(&big);
}

/* --- overrides --- */

static const char embedded[] = "format: demo\n"
                               "types:\n"
                               "  - {demo: art, csl: article-journal}\n"
                               "  - {demo: book, csl: book}\n";

typedef struct stage {
	cwt_diags diags;
	cw_context *ctx;
	cw_ostream *out;
	cw_writer *w;
} stage;

static void stage_open(stage *st)
{
	memset(st, 0, sizeof *st);
	st->ctx = cwt_context(&st->diags);
	cr_assert_eq(cw_ostream_open_memory(&st->out, NULL), CW_OK);
}

static cw_session *stage_session(stage *st)
{
	const cw_format *f = cw_registry_find_format(cwt_registry(), "csljson");
	cr_assert_eq(cw_writer_open(&st->w, st->ctx, f, st->out, NULL, 0), CW_OK);
	return cw_writer_session(st->w);
}

static void stage_close(stage *st)
{
	cw_writer_close(st->w);
	cw_ostream_close(st->out);
	cw_context_free(st->ctx);
	cwt_diags_free(&st->diags);
}

Test(xwalk, session_table_without_override)
{
	stage st;
	stage_open(&st);
	cw_session *s = stage_session(&st);
	const cw_xwalk *t = NULL, *t2 = NULL;
	cr_assert_eq(cw_session_crosswalk(s, embedded, sizeof embedded - 1, &t), CW_OK);
	cr_expect_str_eq(cw_xwalk_lookup(t, "types", "demo", "art", "csl", 0), "article-journal");
	/* parsed once per session */
	cr_assert_eq(cw_session_crosswalk(s, embedded, sizeof embedded - 1, &t2), CW_OK);
	cr_expect_eq(t, t2);
	stage_close(&st);
}

Test(xwalk, override_precedence)
{
	stage st;
	stage_open(&st);
	/* an override for another format is kept but does not apply */
	cr_assert_eq(cw_context_add_crosswalk(st.ctx,
	                                      "format: other\ntypes:\n  - {demo: art, csl: x}\n",
	                                      CW_NUL, "other.yaml"),
	             CW_OK);
	cr_assert_eq(cw_context_add_crosswalk(st.ctx,
	                                      "format: demo\n"
	                                      "note: overridden\n"
	                                      "types:\n"
	                                      "  - {demo: art, csl: article}\n"
	                                      "  - {demo: zine, csl: article-magazine}\n",
	                                      CW_NUL, "mine.yaml"),
	             CW_OK);
	cw_session *s = stage_session(&st);
	const cw_xwalk *t = NULL;
	cr_assert_eq(cw_session_crosswalk(s, embedded, sizeof embedded - 1, &t), CW_OK);
	/* override rows come first and win; embedded rows stay behind them */
	cr_expect_str_eq(cw_xwalk_lookup(t, "types", "demo", "art", "csl", 0), "article");
	cr_expect_str_eq(cw_xwalk_lookup(t, "types", "demo", "zine", "csl", 0), "article-magazine");
	cr_expect_str_eq(cw_xwalk_lookup(t, "types", "demo", "book", "csl", 0), "book");
	cr_expect_eq(cw_xwalk_row_count(t, "types"), 4);
	cr_expect_str_eq(cw_xwalk_meta(t, "format"), "demo");
	cr_expect_str_eq(cw_xwalk_meta(t, "note"), "overridden");
	cr_expect_eq(st.diags.n, 0);
	stage_close(&st);
}

Test(xwalk, override_refused_with_message)
{
	stage st;
	stage_open(&st);
	cr_expect_eq(
	    cw_context_add_crosswalk(st.ctx, "types:\n  - {a: b}\n", CW_NUL, "noformat.yaml"),
	    CW_EFORMAT);
	cr_expect_eq(cw_context_add_crosswalk(st.ctx, "format: demo\nx: &a y\nz: *a\n", CW_NUL,
	                                      "alias.yaml"),
	             CW_EFORMAT);
	cr_expect_eq(cw_context_add_crosswalk(NULL, "format: demo\n", CW_NUL, NULL), CW_EINVAL);
	cr_assert_eq(st.diags.n, 2);
	cr_expect_eq(st.diags.items[0].severity, CW_SEV_ERROR);
	cr_expect(strstr(st.diags.items[0].message, "noformat.yaml"), "%s",
	          st.diags.items[0].message);
	cr_expect(strstr(st.diags.items[0].message, "\"format\""), "%s", st.diags.items[0].message);
	cr_expect(strstr(st.diags.items[1].message, "alias.yaml:3:"), "%s",
	          st.diags.items[1].message);
	cr_expect(strstr(st.diags.items[1].message, "aliases"), "%s", st.diags.items[1].message);
	/* the refused tables did not apply */
	cw_session *s = stage_session(&st);
	const cw_xwalk *t;
	cr_assert_eq(cw_session_crosswalk(s, embedded, sizeof embedded - 1, &t), CW_OK);
	cr_expect_eq(cw_xwalk_row_count(t, "types"), 2);
	stage_close(&st);
}

Test(xwalk, override_changes_a_real_conversion)
{
	/* the CSL-JSON plugin reads its alias keys from its table: an override
	 * row makes it read "jtitle" as container-title */
	static const char input[] =
	    "[{\"id\": \"a\", \"type\": \"article-journal\", \"jtitle\": \"Nature\"}]";
	for (int with = 0; with < 2; with++) {
		cwt_diags d = {0};
		cw_context *ctx = cwt_context(&d);
		if (with)
			cr_assert_eq(
			    cw_context_add_crosswalk(ctx,
			                             "format: csljson\naliases:\n"
			                             "  - {key: jtitle, field: container-title}\n",
			                             CW_NUL, "jtitle.yaml"),
			    CW_OK);
		cw_istream *in;
		cw_istream_open_memory(&in, input, sizeof input - 1, "in.json");
		cw_reader *r = NULL;
		cr_assert_eq(cw_reader_open(&r, ctx,
		                            cw_registry_find_format(cwt_registry(), "csljson"), in,
		                            NULL, 0),
		             CW_OK);
		cw_record *rec = NULL;
		cr_assert_eq(cw_reader_next(r, &rec), CW_OK, "%s", cw_buf_str(&d.text));
		if (with) {
			cr_expect_str_eq(cw_record_text(rec, CW_FIELD_CONTAINER_TITLE), "Nature");
			cr_expect_null(cw_record_find_passthrough(rec, "csljson", "jtitle"));
		} else {
			cr_expect_null(cw_record_text(rec, CW_FIELD_CONTAINER_TITLE));
			cr_expect_not_null(cw_record_find_passthrough(rec, "csljson", "jtitle"));
		}
		cw_record_free(rec);
		cw_reader_close(r);
		cw_istream_close(in);
		cw_context_free(ctx);
		cwt_diags_free(&d);
	}
}
