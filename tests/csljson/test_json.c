/*
 * The CSL-JSON plugin's JSON parser (plugins/csljson/csljson_json.c):
 * exact errors and positions, and agreement with jansson on a table of
 * texts and on many deterministic mutations of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "../../plugins/csljson/csljson_json.h"
#include "json_oracle.h"

static const char *const texts[] = {
	/* accepted */
	"{}", "[]", "0", "-0", "1.5", "-1.25e+10", "1E-3", "true", "false", "null", "\"\"",
	" \t\r\n[ 1 , 2 ] \n", "9223372036854775807", "-9223372036854775808", "1e400",
	"[[[]],{},[{}]]", "{\"a\":{\"b\":[1,{\"c\":null}]}}",
	"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\u00e9\\u4e2d\\ud83d\\ude00\"", "\"é中😀\"",
	"\"\xef\xbf\xbf\"", "{\"id\":\"ref1\",\"type\":\"book\",\"author\":[{\"family\":\"Doe\"}]}",
	"{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,"
	"\"k\":11,\"l\":12,\"m\":13,\"n\":14,\"o\":15,\"p\":16,\"q\":17,\"r\":18}",
	/* rejected */
	"", " ", "{", "[", "]", "}", "[1,]", "{\"a\":1,}", "{,}", "[,1]", "{\"a\" 1}", "{\"a\":}",
	"{1:2}", "{'a':1}", "01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity",
	"tru", "nul", "falsey", "[1 2]", "\"abc", "\"a\\\"", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"",
	"\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"a\tb\"", "\"a\nb\"",
	"\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xe2\x82\"",
	"9223372036854775808", "-9223372036854775809", "{\"a\":1,\"a\":2}",
	"{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,"
	"\"k\":11,\"l\":12,\"m\":13,\"n\":14,\"o\":15,\"p\":16,\"q\":17,\"a\":18}",
	"[1] 2", "{}{}", "[\"a\" \"b\"]", "\xef\xbb\xbf[]",
};
#define NTEXTS (sizeof texts / sizeof texts[0])

Test(csljson_json, agrees_with_jansson_on_the_table)
{
	char why[256];
	for (size_t i = 0; i < NTEXTS; i++)
		cr_expect(!cwt_json_oracle(texts[i], strlen(texts[i]), why, sizeof why),
		          "text %zu <%s>: %s", i, texts[i], why);
}

/* xorshift: the same mutations on every run */
static uint32_t next_rand(uint32_t *st)
{
	uint32_t x = *st;
	x ^= x << 13, x ^= x >> 17, x ^= x << 5;
	return *st = x;
}

Test(csljson_json, agrees_with_jansson_on_mutations)
{
	static const char pieces[] = "{}[]\",:\\ 0-.eE+tfnu\x01\x80\xc3\xa9\xed\xf0";
	char why[256], buf[512];
	uint32_t st = 0x2545F491u;
	size_t checked = 0;
	for (size_t round = 0; round < 40000; round++) {
		const char *src = texts[next_rand(&st) % NTEXTS];
		size_t n = strlen(src);
		memcpy(buf, src, n);
		int edits = 1 + (int)(next_rand(&st) % 3);
		for (int e = 0; e < edits; e++) {
			uint32_t r = next_rand(&st);
			size_t at = n ? r % (n + 1) : 0;
			char c = pieces[(r >> 12) % (sizeof pieces - 1)];
			switch ((r >> 20) % 3) {
			case 0: /* insert */
				if (n + 1 < sizeof buf) {
					memmove(buf + at + 1, buf + at, n - at);
					buf[at] = c, n++;
				}
				break;
			case 1: /* replace */
				if (at < n)
					buf[at] = c;
				break;
			default: /* delete */
				if (at < n)
					memmove(buf + at, buf + at + 1, n - at - 1), n--;
			}
		}
		cr_assert(!cwt_json_oracle(buf, n, why, sizeof why), "round %zu <%.*s>: %s", round,
		          (int)n, buf, why);
		checked++;
	}
	cr_expect_eq(checked, 40000);
}

Test(csljson_json, errors_name_the_place)
{
	static const struct {
		const char *in, *msg;
		size_t off;
	} cases[] = {
		{"[1,,2]", "expected a value", 3},
		{"{\"a\":1 \"b\":2}", "expected ',' or '}'", 7},
		{"[\"ok\", \"bad\\q\"]", "invalid escape", 11},
		{"{\"a\":1,\"a\":2}", "duplicate object key \"a\"", 0},
		{"[1", "premature end of input", 2},
		{"\"x\xff\"", "invalid UTF-8", 2},
		{"[01]", "leading zero", 1},
		{"[9223372036854775808]", "too big integer", 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cj_parser p = CJ_PARSER_INIT;
		const cj_value *v;
		cr_expect_eq(cj_parse(&p, cases[i].in, strlen(cases[i].in), &v), CW_ERECORD, "%zu", i);
		cr_expect(strstr(p.err_msg, cases[i].msg), "%zu: %s", i, p.err_msg);
		cr_expect_eq(p.err_off, cases[i].off, "%zu: offset %zu", i, p.err_off);
		cj_parser_free(&p);
	}
	uint32_t line, col;
	cj_position("{\n  \"é\": x", 10, &line, &col);
	cr_expect_eq(line, 2);
	cr_expect_eq(col, 8);
}

Test(csljson_json, nesting_is_bounded_without_recursion)
{
	size_t n = 100000;
	char *s = malloc(2 * n);
	cr_assert(s);
	memset(s, '[', n);
	memset(s + n, ']', n);
	cj_parser p = CJ_PARSER_INIT;
	p.max_depth = 256;
	const cj_value *v;
	cr_expect_eq(cj_parse(&p, s, 2 * n, &v), CW_ERECORD);
	cr_expect(strstr(p.err_msg, "too deep"), "%s", p.err_msg);
	cr_expect_eq(p.err_off, 256);
	p.max_depth = 0; /* 0: the default, 256 */
	cr_expect_eq(cj_parse(&p, s + n - 256, 512, &v), CW_OK);
	cj_parser_free(&p);
	free(s);
}

Test(csljson_json, prefix_parse_stops_after_the_value)
{
	cj_parser p = CJ_PARSER_INIT;
	const cj_value *v;
	size_t used;
	const char *in = "{\"a\":[1,2]}  ,{\"b\":2}";
	cr_assert_eq(cj_parse_prefix(&p, in, strlen(in), &v, &used), CW_OK);
	cr_expect_eq(used, 13);
	cr_expect_eq(cj_integer(cj_at(cj_get(v, "a"), 1)), 2);
	cr_expect_null(cj_get(v, "b"));
	cr_expect_null(cj_at(v, 0), "an object is not an array");
	cj_parser_free(&p);
}

Test(csljson_json, a_big_value_then_small_ones)
{
	cj_parser p = CJ_PARSER_INIT;
	const cj_value *v;
	/* the arena grows for one big value and serves the small ones after it */
	size_t n = 8 << 20;
	char *s = malloc(n + 2);
	cr_assert(s);
	s[0] = '"';
	memset(s + 1, 'x', n);
	s[n + 1] = '"';
	cr_assert_eq(cj_parse(&p, s, n + 2, &v), CW_OK);
	cr_expect_eq(cj_strlen(v), n);
	for (int i = 0; i < 1000; i++)
		cr_assert_eq(cj_parse(&p, "{\"a\":\"b\"}", 9, &v), CW_OK);
	cr_expect_str_eq(cj_str(cj_get(v, "a")), "b");
	cj_parser_free(&p);
	free(s);
}
