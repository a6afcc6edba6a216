/*
 * Every message the BibTeX reader gives about its input, each at the true
 * line and column of its place, whatever ends the lines: LF, CR LF, or CR
 * alone (old Mac files, once read as one long line). A column once wrapped
 * around to 4294967xxx when a message about the current line was located
 * from a place on an earlier one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"
#include "read_with.h"

typedef struct pos_case {
	const char *in;
	const char *limit; /* "depth=3" or NULL */
	const char *want;  /* ":line:col: severity: message" (a prefix of it) */
} pos_case;

static const pos_case cases[] = {
    /* values */
    {"@misc{a,\n  title = {Unclosed\n  more\n@misc{b, title={x}}\n", NULL,
     ":2:11: error: [a] unterminated braced value (opened at 2:11)"},
    {"@misc{a,\n  title = \"Unclosed\n  more", NULL,
     ":2:11: error: [a] unterminated quoted value at the end of the input (opened at 2:11)"},
    {"@misc{a,\n  title = {{{{x}}}}}", "depth=3",
     ":2:14: error: [a] braces nested deeper than the depth limit (3) in the "
     "value at 2:11"},
    {"@misc{a,\n  title = \"x}\"}", NULL,
     ":2:13: error: [a] unbalanced '}' in a quoted value (opened at 2:11)"},
    {"@misc{a,\n  title = {toolong}}", "field-bytes=4",
     ":2:11: error: [a] value larger than the field-bytes limit (4 bytes)"},
    {"@string{s = {12345678}}\n@misc{a,\n  title = s # s}", "field-bytes=10",
     ":3:15: error: [a] value larger than the field-bytes limit with macro 's' (10 bytes)"},
    {"@misc{a,\n  title =", NULL, ":2:10: error: [a] a value is missing at the end of the input"},
    {"@misc{a,\n  title = foo}", NULL, ":2:11: warning: [a] undefined macro 'foo' (read as empty)"},
    {"@misc{a,\n  title = ,}", NULL,
     ":2:11: error: [a] expected a value (braces, quotes, number or macro)"},
    /* @string, @comment, @preamble, junk */
    {"@string{\n  = {x}}", NULL, ":2:3: error: expected a macro name in @string"},
    {"@string{\n  s {x}}", NULL, ":2:5: error: expected '=' after the macro name"},
    {"@string{s = {x}\n  t}", NULL, ":2:3: error: expected '}' to close @string"},
    {"@comment{ a\n  b", NULL, ":1:1: warning: the body of @comment (opened at 1:9) is not closed"},
    {"\n@comment{\n{{x}}}", "depth=2",
     ":2:1: warning: the body of @comment (opened at 2:9) nests deeper than the depth limit "
     "(2)"},
    {"\n  @foo bar", NULL, ":2:3: warning: '@foo' is not followed by '{' or '('; skipped"},
    {"@preamble{\n  \"x\" y}", NULL, ":2:7: error: expected '}' to close @preamble"},
    {"\n@preamble{\"x\"}", NULL,
     ":2:1: note: @preamble is not a bibliographic item and is not carried"},
    /* entries */
    {"@misc{\n  title = {x}}", NULL, ":2:3: warning: the entry has no citation key"},
    {"@misc{,\n  title = {x}}", NULL, ":1:7: warning: the entry has an empty citation key"},
    {"\n@misc{a,\n  title = {x}", NULL, ":2:6: error: [a] unterminated entry (opened at 2:1)"},
    {"@misc{a,\n  title = {x})", NULL, ":2:14: warning: entry opened with '{' is closed with ')'"},
    {"@misc{a,\n  title = {x}\n@misc{b, title={y}}", NULL,
     ":3:1: error: [a] entry not closed before the next '@'"},
    {"@misc{a,\n  title = {x} note = {y}}", NULL,
     ":2:15: error: [a] expected ',' or '}' after a field"},
    {"@misc{a,\n  = {x}}", NULL, ":2:3: error: [a] expected a field name"},
    {"@misc{a,\n  title {x}}", NULL, ":2:9: error: [a] expected '=' after the field name"},
    {"@misc{a,\n  fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff = "
     "{x}}",
     NULL, ":2:75: warning: field name longer than 63 bytes (a fixed limit)"},
    {"@misc{a,\n  title = {x},\n  title = {y}}", NULL,
     ":3:11: warning: [a] field 'title' given twice; the second value is ignored"},
    {"@misc{a, title={x}}\n@misc{b,\n note = {xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxx}}",
     "record-bytes=64", ":2:1: error: entry larger than the record-bytes limit (64 bytes)"},
    /* inheritance */
    {"\n@inbook{c,\n  crossref = {zz}}", NULL, ":2:1: warning: [c] crossref target 'zz' not found"},
    {"@book{a, title={x}}\n@book{a, title={y}}", NULL,
     ":2:1: warning: citation key 'a' used twice; crossref uses the first"},
    {"@inbook{c, crossref={b}, title={C}}\n@book{b, crossref={a}, title={B}}\n"
     "@book{a, title={A}}",
     "hops=1",
     ":2:1: warning: [b] crossref/xdata chain longer than the hops limit (1) at "
     "'a'"},
    /* the input's bytes */
    {"@misc{a,\n  title = {\xff}}", NULL,
     ":2:12: warning: byte 0xFF is not UTF-8: the file is read as Windows-1252"},
    {"@misc{a,\n  title = {\xc3\xa9}, note = {\xff}}", "input-encoding=utf-8",
     ":2:25: warning: byte 0xFF is not UTF-8; bytes that are not are read as U+FFFD"},
    {"% a file of mine\n%  Encoding: foo-bar\n@misc{a, title={x}}", NULL,
     ":2:14: warning: the file declares the encoding 'foo-bar', which is not known"},
    {"\n% -*- coding: latin-1 -*-\n@misc{a, title={x\xe9}}", NULL,
     ":2:15: note: read as windows-1252, the encoding the file declares"},
    {"@book{a, crossref={b}, title={A}}\n@book{b,\n crossref={a}, title={B}}", NULL,
     ":1:1: warning: [a] crossref cycle through 'b'; not followed"},
    /* values decoded */
    {"@misc{a,\n  author = {A and B and C}}", "names=2",
     ":2:12: warning: [a] more than 2 names in one list (the names limit)"},
};

/* in with each "\n" replaced by eol (malloc'd) */
static char *with_eol(const char *in, const char *eol)
{
	cw_buf b = CW_BUF_INIT;
	for (const char *p = in; *p; p++) {
		if (*p == '\n')
			cw_buf_append(&b, eol, CW_NUL);
		else
			cw_buf_putc(&b, *p);
	}
	char *s = strdup(cw_buf_str(&b));
	cw_buf_free(&b);
	return s;
}

Test(bibtex_positions, every_message_at_its_true_line_and_column)
{
	static const char *const eols[] = {"\n", "\r\n", "\r"};
	static const char *const eol_names[] = {"LF", "CR LF", "CR"};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (size_t e = 0; e < 3; e++) {
			char *in = with_eol(cases[i].in, eols[e]);
			cwt_diags d;
			read_with(in, cases[i].limit, &d);
			cr_expect(strstr(cw_buf_str(&d.text), cases[i].want),
			          "case %zu (%s lines): want %s in:\n%s", i, eol_names[e],
			          cases[i].want, cw_buf_str(&d.text));
			for (size_t k = 0; k < d.n; k++)
				cr_expect_leq(d.items[k].column, 200, "case %zu (%s): %s", i,
				              eol_names[e], cw_buf_str(&d.text));
			cwt_diags_free(&d);
			free(in);
		}
	}
}

Test(bibtex_positions, lines_ending_in_cr_alone_are_lines)
{
	/* the example of issue 11: was 1:31, an old Mac file read as one line */
	cwt_diags d;
	read_with("@article{k,\r title={a},\r year=x y}\r", NULL, &d);
	cr_expect(strstr(cw_buf_str(&d.text), "input:3:9: error: [k] expected ',' or '}'"), "%s",
	          cw_buf_str(&d.text));
	cwt_diags_free(&d);
	/* a CR alone at the end of the reader's 64 KiB window: a line break */
	cw_buf b = CW_BUF_INIT;
	while (b.len < 65536 - 9)
		cw_buf_append(&b, "junk\r\n", CW_NUL);
	while (b.len < 65535)
		cw_buf_putc(&b, 'j');
	cw_buf_append(&b, "\r@misc{a,\r\n title = x}", CW_NUL);
	size_t lines = 1; /* the line the warning is on */
	for (size_t k = 0; k < b.len; k++)
		lines += b.data[k] == '\n' || (b.data[k] == '\r' && b.data[k + 1] != '\n');
	read_with(cw_buf_str(&b), NULL, &d);
	char want[64];
	snprintf(want, sizeof want, "input:%zu:10: warning: [a] undefined macro 'x'", lines);
	cr_expect(strstr(cw_buf_str(&d.text), want), "want %s in %s", want, cw_buf_str(&d.text));
	cwt_diags_free(&d);
	cw_buf_free(&b);
}
