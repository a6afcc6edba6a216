/*
 * Typed crosswalk tables (table.h): cells read into values, lookups through
 * the indexes, every kind of problem located, schemas checked, overrides
 * in front of the embedded rows, and an embedded table parsed once per
 * registry.
 */
#include <string.h>

#include "cw_test.h"

#include "cwt_cases.h"

enum { SEC_ROWS, SEC_KEYS };
enum { C_NAME, C_DIR, C_FIELD, C_TYPE, C_RANK, C_FLAG, C_TYPES, C_WORDS };

static const cw_table_column row_columns[] = {
    CW_TABLE_COLUMN(.name = "name", .flags = CW_COLUMN_REQUIRED | CW_COLUMN_KEY | CW_COLUMN_NOCASE),
    CW_TABLE_COLUMN(.name = "dir", .type = CW_CELL_ENUM, .values = "in|out|both",
                    .default_value = "both", .flags = CW_COLUMN_KEY),
    CW_TABLE_COLUMN(.name = "field", .type = CW_CELL_FIELD, .flags = CW_COLUMN_KEY),
    CW_TABLE_COLUMN(.name = "type", .type = CW_CELL_ITEM_TYPE, .values = "*|infer"),
    CW_TABLE_COLUMN(.name = "rank", .type = CW_CELL_INT),
    CW_TABLE_COLUMN(.name = "flag", .type = CW_CELL_BOOL, .default_value = "yes"),
    CW_TABLE_COLUMN(.name = "types", .type = CW_CELL_ITEM_TYPE, .flags = CW_COLUMN_LIST,
                    .values = "@*"),
    CW_TABLE_COLUMN(.name = "words", .flags = CW_COLUMN_LIST),
    {0},
};

static const cw_table_column key_columns[] = {
    CW_TABLE_COLUMN(.name = "key", .flags = CW_COLUMN_REQUIRED),
    {0},
};

static const cw_table_section sections[] = {
    CW_TABLE_SECTION(.name = "rows", .columns = row_columns),
    CW_TABLE_SECTION(.name = "keys", .columns = key_columns),
    {0},
};

static const char embedded[] = "format: demo\n"
                               "rows:\n"
                               "  - {name: Alpha, dir: in, field: title, type: book, rank: -3}\n"
                               "  - {name: beta, field: container-title, type: infer, flag: no,"
                               " note: \"documents the row\"}\n"
                               "  - {name: ALPHA, type: \"*\", types: [book, \"@misc\"],"
                               " words: \"a | b\"}\n"
                               "keys:\n"
                               "  - {key: k}\n";

static const cw_table_schema schema = CW_TABLE_SCHEMA(
    .name = "demo",
    .yaml = embedded,
    .yaml_len = CW_NUL,
    .yaml_name = "demo.yaml",
    .sections = sections);

static cw_table *parse_ok(const char *yaml)
{
	cw_table *t = NULL;
	cw_buf err = CW_BUF_INIT;
	cr_assert_eq(cw_table_parse(&t, &schema, yaml, CW_NUL, "t.yaml", &err), CW_OK, "%s",
	             cw_buf_str(&err));
	cw_buf_free(&err);
	return t;
}

Test(table, typed_cells)
{
	cw_table *t = parse_ok(embedded);
	cr_expect_str_eq(cw_table_meta(t, "format"), "demo");
	cr_assert_eq(cw_table_row_count(t, SEC_ROWS), 3);
	cr_expect_eq(cw_table_row_count(t, SEC_KEYS), 1);
	cr_expect_eq(cw_table_row_count(t, 7), 0);
	const cw_table_row *r = cw_table_row_at(t, SEC_ROWS, 0);
	cr_expect_str_eq(r->file, "t.yaml");
	cr_expect_eq(r->line, 3);
	cr_expect_eq(r->cells[C_DIR].value, 0, "in is the first word");
	cr_expect_eq(r->cells[C_FIELD].value, CW_FIELD_TITLE);
	cr_expect_eq(r->cells[C_TYPE].value, CW_TYPE_BOOK);
	cr_expect_eq(r->cells[C_RANK].value, -3);
	cr_expect_eq(r->cells[C_DIR].line, 3);
	cr_expect_eq(r->cells[C_DIR].column, 24);
	/* absent cells: no text, the column's default value */
	cr_expect_null(r->cells[C_TYPES].text);
	cr_expect_eq(r->cells[C_FLAG].value, 1);
	r = cw_table_row_at(t, SEC_ROWS, 1);
	cr_expect_eq(r->cells[C_DIR].value, 2, "default both");
	cr_expect_null(r->cells[C_DIR].text);
	cr_expect_eq(r->cells[C_TYPE].value, CW_CELL_EXTRA(1), "infer");
	cr_expect_eq(r->cells[C_FLAG].value, 0);
	r = cw_table_row_at(t, SEC_ROWS, 2);
	cr_expect_eq(r->cells[C_TYPE].value, CW_CELL_EXTRA(0), "*");
	cr_expect_str_eq(r->cells[C_TYPES].text, "book|@misc");
	cr_assert_eq(r->cells[C_TYPES].count, 2);
	cr_expect_eq(r->cells[C_TYPES].items[0], CW_TYPE_BOOK);
	cr_expect_eq(r->cells[C_TYPES].items[1], CW_CELL_EXTRA(0), "@misc takes the @* word");
	cr_expect_eq(r->cells[C_WORDS].count, 2);
	cr_expect_null(r->cells[C_WORDS].items, "a text list has no values");
	cr_expect_null(cw_table_cell_at(t, SEC_ROWS, 3, 0));
	cr_expect_null(cw_table_cell_at(t, SEC_ROWS, 0, 99));
	cw_table_free(t);
	cw_table_free(NULL);
}

Test(table, lookups)
{
	cw_table *t = parse_ok(embedded);
	/* a nocase text key: every spelling, in table order */
	size_t r = cw_table_find(t, SEC_ROWS, C_NAME, "alpha", CW_NUL);
	cr_expect_eq(r, 0);
	cr_expect_eq(cw_table_find_next(t, SEC_ROWS, C_NAME, r), 2);
	cr_expect_eq(cw_table_find_next(t, SEC_ROWS, C_NAME, 2), CW_TABLE_NONE);
	cr_expect_eq(cw_table_find(t, SEC_ROWS, C_NAME, "BETAX", 4), 1, "len bytes of the key");
	cr_expect_eq(cw_table_find(t, SEC_ROWS, C_NAME, "gamma", CW_NUL), CW_TABLE_NONE);
	/* typed keys: by name or by value */
	cr_expect_eq(cw_table_find(t, SEC_ROWS, C_FIELD, "container-title", CW_NUL), 1);
	cr_expect_eq(cw_table_find_value(t, SEC_ROWS, C_FIELD, CW_FIELD_TITLE), 0);
	cr_expect_eq(cw_table_find(t, SEC_ROWS, C_FIELD, "no-such-field", CW_NUL), CW_TABLE_NONE);
	cr_expect_eq(cw_table_find(t, SEC_ROWS, C_DIR, "in", CW_NUL), 0);
	cr_expect_eq(cw_table_find_value(t, SEC_ROWS, C_NAME, 0), CW_TABLE_NONE, "text key");
	/* an unindexed column is scanned */
	cr_expect_eq(cw_table_find(t, SEC_ROWS, C_TYPE, "infer", CW_NUL), 1);
	cr_expect_eq(cw_table_find_value(t, SEC_ROWS, C_RANK, -3), 0);
	/* lookup: the first matching row that has the cell */
	const cw_table_cell *c = cw_table_lookup(t, SEC_ROWS, C_NAME, "alpha", CW_NUL, C_TYPES);
	cr_assert_not_null(c);
	cr_expect_str_eq(c->text, "book|@misc");
	cr_expect_null(cw_table_lookup(t, SEC_ROWS, C_NAME, "beta", CW_NUL, C_TYPES));
	cr_expect_null(cw_table_lookup(NULL, SEC_ROWS, C_NAME, "beta", CW_NUL, C_TYPES));
	cw_table_free(t);
}

struct bad {
	const char *what, *yaml, *msg;
};

/* clang-format off */
static const struct bad bads[] = {
	{"section", "format: demo\nrow:\n  - {name: a}\n",
	 "t.yaml:2:1: unknown section \"row\" in a demo table; did you mean \"rows\"? (known: rows, keys)"},
	{"column", "format: demo\nrows:\n  - {name: a, fild: title}\n",
	 "t.yaml:3:15: unknown column \"fild\" in section \"rows\"; did you mean \"field\"?"},
	{"enum", "format: demo\nrows:\n  - {name: a, dir: Out}\n",
	 "t.yaml:3:20: \"Out\" is not a value (column \"dir\" of section \"rows\"); did you mean "
	 "\"out\"? (known: in, out, both)"},
	{"field", "format: demo\nrows:\n  - {name: a, field: tittle}\n",
	 "t.yaml:3:22: \"tittle\" is not a field name (column \"field\" of section \"rows\"); did you "
	 "mean \"title\"?"},
	{"type", "format: demo\nrows:\n  - {name: a, type: bok}\n", "did you mean \"book\"?"},
	{"extra word", "format: demo\nrows:\n  - {name: a, type: \"**\"}\n",
	 "\"**\" is not a CSL item type"},
	{"int", "format: demo\nrows:\n  - {name: a, rank: 1x}\n",
	 "t.yaml:3:21: \"1x\" is not a number (column \"rank\" of section \"rows\")"},
	{"bool", "format: demo\nrows:\n  - {name: a, flag: yse}\n", "did you mean \"yes\"?"},
	{"list word", "format: demo\nrows:\n  - {name: a, types: [book, artcle]}\n",
	 "t.yaml:3:29: \"artcle\" is not a CSL item type"},
	{"list in a single cell", "format: demo\nrows:\n  - {name: a, rank: [1, 2]}\n",
	 "t.yaml:3:21: column \"rank\" of section \"rows\" takes one value, not a list"},
	{"required", "format: demo\nrows:\n  - {dir: in}\n",
	 "t.yaml:3:5: a row of section \"rows\" lacks column \"name\" (required)"},
	{"twice", "format: demo\nrows:\n  - {name: a, name: b}\n",
	 "t.yaml:3:15: column \"name\" given twice in one row"},
	{"other format", "format: demos\nrows: []\n",
	 "t.yaml:1:9: a table of format \"demos\" where one of \"demo\" was expected"},
};
/* clang-format on */

CWT_CASES(table, refused, bads)

ParameterizedTest(size_t *i, table, refused)
{
	const struct bad *b = &bads[*i];
	cw_table *t = (cw_table *)1;
	cw_buf err = CW_BUF_INIT;
	cr_expect_eq(cw_table_parse(&t, &schema, b->yaml, CW_NUL, "t.yaml", &err), CW_EFORMAT, "%s",
	             b->what);
	cr_expect_null(t);
	cr_expect(strstr(cw_buf_str(&err), b->msg), "%s: \"%s\" lacks \"%s\"", b->what,
	          cw_buf_str(&err), b->msg);
	cw_buf_free(&err);
}

Test(table, many_problems_are_counted)
{
	cw_buf yaml = CW_BUF_INIT, err = CW_BUF_INIT;
	cw_buf_append(&yaml, "format: demo\nrows:\n", CW_NUL);
	for (int i = 0; i < 30; i++)
		cw_buf_printf(&yaml, "  - {name: n%d, dir: bad}\n", i);
	cw_table *t = NULL;
	cr_expect_eq(cw_table_parse(&t, &schema, yaml.data, yaml.len, "t.yaml", &err), CW_EFORMAT);
	cr_expect(strstr(cw_buf_str(&err), "t.yaml:22:"), "the 20th is shown: %s", err.data);
	cr_expect_null(strstr(cw_buf_str(&err), "t.yaml:23:"), "the 21st is not");
	cr_expect(strstr(cw_buf_str(&err), "t.yaml: 10 more problems not shown"), "%s", err.data);
	cw_buf_free(&yaml);
	cw_buf_free(&err);
}

static const cw_table_column bad_enum[] = {CW_TABLE_COLUMN(.name = "e", .type = CW_CELL_ENUM), {0}};
static const cw_table_column bad_key_list[] = {
    CW_TABLE_COLUMN(.name = "k", .flags = CW_COLUMN_KEY | CW_COLUMN_LIST), {0}};
static const cw_table_column bad_default[] = {
    CW_TABLE_COLUMN(.name = "d", .type = CW_CELL_INT, .default_value = "one"), {0}};
static const cw_table_column bad_note[] = {CW_TABLE_COLUMN(.name = "note"), {0}};
static const cw_table_column bad_twice[] = {
    CW_TABLE_COLUMN(.name = "a"), CW_TABLE_COLUMN(.name = "a"), {0}};
static const cw_table_column small[] = {{.struct_size = 8, .name = "a"}, {0}};

Test(table, schema_checked)
{
	const cw_table_column *cols[] = {bad_enum, bad_key_list, bad_default,
	                                 bad_note, bad_twice,    small};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		cw_table_section secs[] = {CW_TABLE_SECTION(.name = "s", .columns = cols[i]), {0}};
		cw_table_schema sc = schema;
		sc.sections = secs;
		cw_buf why = CW_BUF_INIT;
		cr_expect_eq(cw_table_schema_check(&sc, &why), CW_EINVAL, "case %zu", i);
		cr_expect(why.len > 0);
		cw_table *t = NULL;
		cr_expect_eq(cw_table_parse(&t, &sc, "format: demo\n", CW_NUL, NULL, NULL),
		             CW_EINVAL);
		cw_buf_free(&why);
	}
	cr_expect_eq(cw_table_schema_check(&schema, NULL), CW_OK);
	cw_table_schema sc = schema;
	sc.struct_size = 4;
	cr_expect_eq(cw_table_schema_check(&sc, NULL), CW_EINVAL);
	cr_expect_eq(cw_table_schema_check(NULL, NULL), CW_EINVAL);
	sc = schema;
	sc.name = NULL;
	cr_expect_eq(cw_table_schema_check(&sc, NULL), CW_EINVAL);
	sc = schema;
	sc.field_count = 0; /* declared without CW_TABLE_SCHEMA */
	cr_expect_eq(cw_table_schema_check(&sc, NULL), CW_EINVAL);
}

/* A plugin built with fewer fields and types than the library knows never
 * gets an id beyond its own counts from a cell: such a name is unknown. */
Test(table, ids_below_the_plugins_counts)
{
	cw_table_schema sc = schema;
	sc.field_count = CW_FIELD_TITLE; /* knows the fields before title only */
	sc.type_count = CW_TYPE_BOOK;
	cw_table *t = NULL;
	cw_buf err = CW_BUF_INIT;
	cr_expect_eq(cw_table_parse(&t, &sc, "format: demo\nrows:\n  - {name: a, field: title}\n",
	                            CW_NUL, "t.yaml", &err),
	             CW_EFORMAT);
	cr_expect(strstr(cw_buf_str(&err), "t.yaml:3:") != NULL, "%s", cw_buf_str(&err));
	cw_buf_clear(&err);
	cr_expect_eq(cw_table_parse(&t, &sc, "format: demo\nrows:\n  - {name: a, type: book}\n",
	                            CW_NUL, "t.yaml", &err),
	             CW_EFORMAT, "%s", cw_buf_str(&err));
	sc.field_count = CW_FIELD_TITLE + 1;
	sc.type_count = CW_TYPE_BOOK + 1;
	cr_expect_eq(cw_table_parse(&t, &sc, "format: demo\nrows:\n  - {name: a, field: title, type: book}\n",
	                            CW_NUL, "t.yaml", &err),
	             CW_OK, "%s", cw_buf_str(&err));
	cw_table_free(t);
	cw_buf_free(&err);
}

/* A FIELD column may take fields of some kinds only (ABI 1.4); an older column has no kinds. */
Test(table, field_kinds)
{
	static const cw_table_column date_columns[] = {
	    CW_TABLE_COLUMN(.name = "field", .type = CW_CELL_FIELD, .values = "none",
	                    .kinds = CW_KIND_BIT(CW_KIND_DATE) | CW_KIND_BIT(CW_KIND_NAMES)),
	    {0},
	};
	static const cw_table_section date_sections[] = {
	    CW_TABLE_SECTION(.name = "dates", .columns = date_columns),
	    {0},
	};
	cw_table_schema sc = schema;
	sc.sections = date_sections;
	cw_table *t = NULL;
	cw_buf err = CW_BUF_INIT;
	cr_expect_eq(cw_table_parse(&t, &sc,
	                            "format: demo\ndates:\n  - {field: issued}\n  - {field: author}\n"
	                            "  - {field: none}\n",
	                            CW_NUL, "t.yaml", &err),
	             CW_OK, "%s", cw_buf_str(&err));
	cw_table_free(t);
	t = NULL;
	cr_expect_eq(cw_table_parse(&t, &sc, "format: demo\ndates:\n  - {field: title}\n", CW_NUL,
	                            "t.yaml", &err),
	             CW_EFORMAT);
	cr_expect(strstr(cw_buf_str(&err),
	                 "t.yaml:3:13: field \"title\" holds rich text; column \"field\" of section "
	                 "\"dates\" takes date or names fields"),
	          "%s", cw_buf_str(&err));
	/* columns of an ABI 1.3 plugin end before kinds (the host steps by their
	 * size): any field; the bytes after each are the next column's */
	enum { V13 = offsetof(cw_table_column, kinds) };
	static _Alignas(cw_table_column) unsigned char old[2 * sizeof(cw_table_column)];
	memset(old, 0, sizeof old);
	memcpy(old, &date_columns[0], V13);
	((cw_table_column *)(void *)old)->struct_size = V13;
	old[V13] = 0xff; /* where a 1.4 column's kinds would be: the next column's size, garbage */
	static cw_table_section old_sections[2];
	old_sections[0] = date_sections[0];
	old_sections[0].columns = (const cw_table_column *)(void *)old;
	sc.sections = old_sections;
	cw_buf_clear(&err);
	cr_expect_eq(cw_table_parse(&t, &sc, "format: demo\ndates:\n  - {field: title}\n", CW_NUL,
	                            "t.yaml", &err),
	             CW_OK, "%s", cw_buf_str(&err));
	cw_table_free(t);
	cw_buf_free(&err);
}

/* --- through sessions: overrides and the registry's cache --- */

static cw_writer *open_writer(cw_context *ctx, cw_ostream **out)
{
	cr_assert_eq(cw_ostream_open_memory(out, NULL), CW_OK);
	cw_writer *w = NULL;
	cr_assert_eq(cw_writer_open(&w, ctx, cw_registry_find_format(cwt_registry(), "csljson"),
	                            *out, NULL, 0),
	             CW_OK);
	return w;
}

Test(table, override_rows_come_first)
{
	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	/* no registry: the override is checked when a stage asks for the table */
	cr_assert_eq(cw_context_add_crosswalk(ctx,
	                                      "format: demo\nrows:\n  - {name: alpha, rank: 7}\n"
	                                      "  - {name: delta}\n",
	                                      CW_NUL, "mine.yaml"),
	             CW_OK);
	cw_ostream *out;
	cw_writer *w = open_writer(ctx, &out);
	const cw_table *t = NULL, *t2 = NULL;
	cr_assert_eq(cw_session_table(cw_writer_session(w), &schema, &t), CW_OK);
	cr_expect_eq(cw_table_row_count(t, SEC_ROWS), 5);
	size_t r = cw_table_find(t, SEC_ROWS, C_NAME, "Alpha", CW_NUL);
	cr_expect_eq(r, 0, "the override's row first");
	cr_expect_str_eq(cw_table_row_at(t, SEC_ROWS, r)->file, "mine.yaml");
	r = cw_table_find_next(t, SEC_ROWS, C_NAME, r);
	cr_expect_eq(r, 2);
	cr_expect_str_eq(cw_table_row_at(t, SEC_ROWS, r)->file, "demo.yaml");
	cr_expect_eq(cw_table_find(t, SEC_ROWS, C_NAME, "delta", CW_NUL), 1);
	cr_expect_eq(cw_table_row_count(t, SEC_KEYS), 1, "the embedded rows stay");
	cr_expect_str_eq(cw_table_meta(t, "format"), "demo");
	cr_assert_eq(cw_session_table(cw_writer_session(w), &schema, &t2), CW_OK);
	cr_expect_eq(t, t2, "once per session");
	cr_expect_eq(d.n, 0);
	cw_writer_close(w);
	cw_ostream_close(out);
	cw_context_free(ctx);
	cwt_diags_free(&d);
}

Test(table, override_checked_by_the_session_without_a_registry)
{
	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	cr_assert_eq(cw_context_add_crosswalk(ctx, "format: demo\nrows:\n  - {name: a, dir: up}\n",
	                                      CW_NUL, "mine.yaml"),
	             CW_OK, "nothing to check it against yet");
	cw_ostream *out;
	cw_writer *w = open_writer(ctx, &out);
	const cw_table *t = NULL;
	cr_expect_eq(cw_session_table(cw_writer_session(w), &schema, &t), CW_EFORMAT);
	cr_expect_null(t);
	cr_assert_geq(d.n, 1);
	cr_expect(strstr(d.items[0].message, "mine.yaml:3:20: \"up\" is not a value"), "%s",
	          d.items[0].message);
	cw_writer_close(w);
	cw_ostream_close(out);
	cw_context_free(ctx);
	cwt_diags_free(&d);
}

Test(table, registry_checks_overrides_and_keeps_the_embedded_table)
{
	cw_registry *reg = cwt_registry();
	const cw_format *f = cw_registry_find_format(reg, "csljson");
	cr_assert_not_null(f->table, "the CSL-JSON plugin declares its schema");
	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	cw_context_set_registry(ctx, reg);
	/* checked when added: the format's name and its schema */
	cr_expect_eq(cw_context_add_crosswalk(ctx, "format: csljsn\n", CW_NUL, "x.yaml"),
	             CW_EFORMAT);
	cr_expect_eq(cw_context_add_crosswalk(ctx, "format: csljson\naliases:\n  - {key: j}\n",
	                                      CW_NUL, "y.yaml"),
	             CW_EFORMAT);
	cr_assert_eq(d.n, 2);
	cr_expect(strstr(d.items[0].message, "x.yaml:1:9: unknown format \"csljsn\""), "%s",
	          d.items[0].message);
	cr_expect(strstr(d.items[0].message, "did you mean \"csljson\"?"), "%s",
	          d.items[0].message);
	cr_expect(strstr(d.items[1].message, "y.yaml:3:5: a row of section \"aliases\" lacks "
	                                     "column \"field\""),
	          "%s", d.items[1].message);
	/* two sessions of two contexts share the registry's one table */
	const cw_table *t1 = NULL, *t2 = NULL;
	cw_ostream *o1, *o2;
	cw_writer *w1 = open_writer(ctx, &o1);
	cw_context *ctx2 = cwt_context(NULL);
	cw_context_set_registry(ctx2, reg);
	cw_writer *w2 = open_writer(ctx2, &o2);
	cr_assert_eq(cw_session_table(cw_writer_session(w1), f->table, &t1), CW_OK);
	cr_assert_eq(cw_session_table(cw_writer_session(w2), f->table, &t2), CW_OK);
	cr_expect_eq(t1, t2, "parsed once per registry");
	cr_expect_gt(cw_table_row_count(t1, 0), 0);
	/* without the registry, a session has its own */
	cw_context *ctx3 = cwt_context(NULL);
	cw_ostream *o3;
	cw_writer *w3 = open_writer(ctx3, &o3);
	const cw_table *t3 = NULL;
	cr_assert_eq(cw_session_table(cw_writer_session(w3), f->table, &t3), CW_OK);
	cr_expect_neq(t3, t1);
	cw_writer_close(w1);
	cw_writer_close(w2);
	cw_writer_close(w3);
	cw_ostream_close(o1);
	cw_ostream_close(o2);
	cw_ostream_close(o3);
	cw_context_free(ctx);
	cw_context_free(ctx2);
	cw_context_free(ctx3);
	cwt_diags_free(&d);
}
