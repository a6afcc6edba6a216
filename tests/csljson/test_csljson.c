/*
 * CSL-JSON reader and writer units: layouts, located errors, markup, names,
 * dates, numbers, custom and passthrough.
 */
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

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
	parse(&p, "[{\"id\":\"a\",\"type\":\"book\",\"title\":\"A\"},\n {\"id\":\"b\",\"type\":\"report\"}]");
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
	parse(&p, "[\n  {\"id\": \"a\"},\n  {\"id\": \"b\",, \"title\": \"x\"},\n  {\"id\": \"c\"}\n]\n");
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
			cr_expect_eq(e->column, cases[i].col, "case %zu: column %u (%s)", i, e->column,
			             e->message);
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
	cr_expect(strstr(e->message, "nesting deeper than the limit"), "%s", e->message);
	cr_expect_eq(e->code, CW_ELIMIT);
	parsed_free(&p);
	cw_buf_free(&b);
}

Test(csljson_markup, html_like_tags_to_rich_and_back)
{
	const char *in = "[{\"id\":\"a\",\"type\":\"book\",\"title\":\"<i>E. coli</i> and <b>bold</b> H<sub>2</sub>O "
	                 "x<sup>2</sup> <span class=\\\"nocase\\\">DNA</span> "
	                 "<span style=\\\"font-variant:small-caps;\\\">Sc</span> a <i>lone tag\"}]";
	parsed p;
	parse(&p, in);
	cr_assert_eq(p.n, 1, "%s", cw_buf_str(&p.d.text));
	const char *t = cw_record_text(p.recs[0], CW_FIELD_TITLE);
	cr_expect_str_eq(t, "\x01" "E. coli\x02 and \x03" "bold\x04 H\x07" "2\x08O x\x05" "2\x06 \x0e"
	                    "DNA\x0f \x0bSc\x0c a <i>lone tag");
	cw_buf plain = CW_BUF_INIT;
	cw_rich_to_plain(&plain, t);
	cr_expect_str_eq(cw_buf_str(&plain), "E. coli and bold H2O x2 DNA Sc a <i>lone tag");
	cw_buf_free(&plain);
	char *out = write1(p.recs[0], "csljson", NULL);
	cr_expect(strstr(out, "\"title\": \"<i>E. coli</i> and <b>bold</b> H<sub>2</sub>O x<sup>2</sup> "
	                      "<span class=\\\"nocase\\\">DNA</span> <span "
	                      "style=\\\"font-variant:small-caps;\\\">Sc</span> a <i>lone tag\""),
	          "%s", out);
	free(out);
	parsed_free(&p);
}

Test(csljson_names, all_parts_flags_and_unknown_keys)
{
	parsed p;
	parse(&p, "[{\"id\":\"a\",\"type\":\"book\",\"author\":["
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
	cr_expect_str_eq(cw_record_name(r, CW_FIELD_AUTHOR, 4)->literal, "World Health Organization");
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
	cr_expect(strstr(out, "\"family\": \"Doe\",\n        \"parse-names\": false,\n        \"_orcid\": \"0000\""),
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
	cr_expect_str_eq(d->extra, "{\"date-parts\":[[]],\"custom-key\":1}");

	char *out = write1(r, "csljson", NULL);
	cr_expect(strstr(out, "\"date-parts\": [[2008, 2, 29], [2008, 3]]"), "%s", out);
	cr_expect(strstr(out, "\"season\": \"2\",\n      \"circa\": true"), "%s", out);
	cr_expect(strstr(out, "\"raw\": \"2018-05/..\""), "%s", out);
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
	cr_expect(strstr(out, "\"date-parts\": [[2018]],\n      \"raw\": \"2018?/..\""), "%s", out);
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
	          "\"shortTitle\":\"Short\",\"title-short\":\"Canonical\",\"volume\":9,\"page\":\"112-124\","
	          "\"zotero-key\":{\"k\":[1,2]},\"custom\":{\"keywords\":[\"Kazakhstan\",{\"value\":\"Russia\",\"lang\":\"en\"}],"
	          "\"mine\":true}}]");
	cr_assert_eq(p.n, 1);
	cw_record *r = p.recs[0];
	cr_expect_eq(cw_record_type(r), CW_TYPE_UNSET);
	cr_expect_str_eq(cw_record_find_passthrough(r, "csljson", "type")->value, "\"video\"");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_CONTAINER_TITLE_SHORT), "J. Abbr.");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_TITLE_SHORT), "Canonical");
	cr_expect_str_eq(cw_record_find_passthrough(r, "csljson", "shortTitle")->value, "\"Short\"");
	cr_expect_str_eq(cw_record_find_passthrough(r, "csljson", "zotero-key")->value, "{\"k\":[1,2]}");
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
	parse(&p, "[{\"id\":\"a\",\"type\":\"book\",\"title\":\"T\"},{\"id\":\"b\",\"type\":\"book\"}]");
	cr_assert_eq(p.n, 2);
	char *out = cwt_write_records("csljsonl", p.recs, p.n, NULL, NULL);
	cr_expect_str_eq(out, "{\"id\":\"a\",\"type\":\"book\",\"title\":\"T\"}\n{\"id\":\"b\",\"type\":\"book\"}\n");
	free(out);
	const char *const compact[] = {"compact=true", NULL};
	out = cwt_write_records("csljson", p.recs, p.n, NULL, compact);
	cr_expect_str_eq(out, "[{\"id\":\"a\",\"type\":\"book\",\"title\":\"T\"},{\"id\":\"b\",\"type\":\"book\"}]\n");
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
	cr_expect(strstr(out, "\"id\": \"item-1\",\n    \"type\": \"document\""), "%s", out);
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
			cw_buf_printf(&b, "%s{\"id\":\"i%d\",\"abstract\":\"", i && !lines ? "," : "", i);
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
