/*
 * LaTeX to Unicode and rich text: a table of title values read through the
 * real reader, compared with the rich text the record holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

/* rich-text markers (crosswalk/richtext.h) */
#define I_(s) "\x01" s "\x02"
#define B_(s) "\x03" s "\x04"
#define SUP(s) "\x05" s "\x06"
#define SUB(s) "\x07" s "\x08"
#define SC(s) "\x0b" s "\x0c"
#define NC(s) "\x0e" s "\x0f"
#define TT(s) "\x10" s "\x11"

typedef struct latex_case {
	const char *in, *out;
} latex_case;

static const latex_case cases[] = {
    /* accents, all forms */
    {"\\\"u", "ü"},
    {"{\\\"u}", "ü"},
    {"\\\"{u}", "ü"},
    {"{\\\"{u}}", "ü"},
    {"\\\"U", "Ü"},
    {"\\'e", "é"},
    {"\\'{e}", "é"},
    {"\\'{\\i}", "í"},
    {"{\\'\\i}", "í"},
    {"\\'\\i", "í"},
    {"\\`a", "à"},
    {"\\`{a}", "à"},
    {"\\^o", "ô"},
    {"\\^{o}", "ô"},
    {"\\~n", "ñ"},
    {"\\~{n}", "ñ"},
    {"\\={a}", "ā"},
    {"\\=a", "ā"},
    {"\\.{z}", "ż"},
    {"\\.z", "ż"},
    {"\\c{c}", "ç"},
    {"\\c c", "ç"},
    {"\\c{C}", "Ç"},
    {"\\v{s}", "š"},
    {"\\v s", "š"},
    {"\\v{C}", "Č"},
    {"\\H{o}", "ő"},
    {"\\H o", "ő"},
    {"\\k{a}", "ą"},
    {"\\k{e}", "ę"},
    {"\\r{a}", "å"},
    {"\\r{u}", "ů"},
    {"\\u{g}", "ğ"},
    {"\\u{a}", "ă"},
    {"\\d{s}", "ṣ"},
    {"\\b{t}", "ṯ"},
    {"\\\"{\\i}", "ï"},
    {"\\^{\\j}", "ĵ"},
    {"Caf\\'e", "Café"},
    {"G{\\\"o}del", "Gödel"},
    {"Erd\\H{o}s", "Erdős"},
    {"Pa\\v{c}es", "Pačes"},
    {"\\'{}", "\xcc\x81"},
    {"\\\"{q}", "q\xcc\x88"},
    {"\\t{oo}", "o\xcd\xa1o"},
    /* special letters */
    {"\\ss", "ß"},
    {"Stra\\ss e", "Straße"},
    {"{\\ss}", "ß"},
    {"\\o", "ø"},
    {"{\\O}", "Ø"},
    {"\\aa", "å"},
    {"{\\AA}", "Å"},
    {"\\ae", "æ"},
    {"\\AE", "Æ"},
    {"\\oe", "œ"},
    {"\\OE", "Œ"},
    {"\\l", "ł"},
    {"{\\L}{\\'o}d{\\'z}", "Łódź"},
    {"\\i", "ı"},
    {"\\j", "ȷ"},
    {"\\dh", "ð"},
    {"\\th", "þ"},
    /* escaped specials */
    {"A \\& B", "A & B"},
    {"50\\%", "50%"},
    {"\\$5", "$5"},
    {"\\#1", "#1"},
    {"a\\_b", "a_b"},
    {"\\{x\\}", "{x}"},
    /* dashes, ties, quotes */
    {"1--2", "1–2"},
    {"a---b", "a—b"},
    {"a-b", "a-b"},
    {"Fig.~1", "Fig.\xc2\xa0"
               "1"},
    {"``quoted''", "“quoted”"},
    {"`single'", "‘single'"},
    {"O'Brien", "O'Brien"},
    /* styles */
    {"\\textit{x}", I_("x")},
    {"\\emph{x}", I_("x")},
    {"\\textbf{x}", B_("x")},
    {"\\textsc{x}", SC("x")},
    {"\\textsuperscript{2}", SUP("2")},
    {"\\textsubscript{2}", SUB("2")},
    {"\\texttt{code}", TT("code")},
    {"{\\em x} y", I_("x") " y"},
    {"{\\it x}", I_("x")},
    {"{\\bf x}", B_("x")},
    {"{\\sc x}", SC("x")},
    {"{\\itshape x}", I_("x")},
    {"a \\emph{b \\textbf{c}} d", "a " I_("b " B_("c")) " d"},
    {"\\textit{The {DNA}}", I_("The " NC("DNA"))},
    {"\\textrm{plain}", "plain"},
    {"\\mbox{x}", "x"},
    /* case protection */
    {"{DNA} repair", NC("DNA") " repair"},
    {"The {{DNA}} x", "The " NC("DNA") " x"},
    {"{\\'E}cole", "École"},
    {"{A {B} C}", NC("A B C")},
    {"{}", ""},
    /* math */
    {"$\\alpha$-helix", "α-helix"},
    {"$\\beta$", "β"},
    {"$\\Gamma$", "Γ"},
    {"$\\Omega$", "Ω"},
    {"$x^2$", "x" SUP("2")},
    {"$H_2O$", "H" SUB("2") "O"},
    {"$x^{10}$", "x" SUP("10")},
    {"$a \\times b$", "a × b"},
    {"$\\leq$", "≤"},
    {"$\\pm$", "±"},
    {"$\\infty$", "∞"},
    {"$\\rightarrow$", "→"},
    {"\\(\\mu\\)", "μ"},
    {"$\\frac{1}{2}$", "$\\frac{1}{2}$"},
    /* urls and links */
    {"see \\url{http://x.org/a_b}", "see http://x.org/a_b"},
    {"\\href{http://x.org}{the site}", "the site"},
    /* symbols */
    {"\\copyright", "©"},
    {"\\textregistered", "®"},
    {"\\texttrademark", "™"},
    {"\\pounds 5", "£5"},
    {"\\S 3", "§3"},
    {"\\ldots", "…"},
    {"\\textendash", "–"},
    {"\\textemdash", "—"},
    {"\\guillemotleft x\\guillemotright", "«x»"},
    {"\\textdegree C", "°C"},
    {"\\enquote{x}", "“x”"},
    /* white space */
    {"a   b", "a b"},
    {"a\n  b", "a b"},
    {"a\\\\b", "a b"},
    /* unknown commands are kept */
    {"\\foo{bar}", "\\foo{bar}"},
    {"x \\unknowncmd y", "x \\unknowncmd y"},
    /* Unicode input untouched */
    {"Ünïcødé ✓", "Ünïcødé ✓"},
    {"\\noopsort{a}Zebra", "Zebra"},
};

Test(bibtex_latex, table_has_enough_cases)
{
	cr_assert_geq(sizeof cases / sizeof cases[0], 100);
}

static cwt_diags dg_;

static void printable(cw_buf *b, const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20)
			cw_buf_printf(b, "<%02x>", (unsigned char)*s);
		else
			cw_buf_putc(b, *s);
	}
}

Test(bibtex_latex, table)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const latex_case *c = &cases[i];
		char input[512];
		snprintf(input, sizeof input, "@misc{k, title = {%s}}", c->in);
		cw_record **recs = NULL;
		size_t n = cwt_read_records("bibtex", input, strlen(input), &recs, &dg_, NULL);
		cr_assert_eq(n, 1, "%s", c->in);
		const char *t = cw_record_text(recs[0], CW_FIELD_TITLE);
		if (!*c->out) {
			cr_expect_null(t, "%s", c->in);
		} else {
			cw_buf got = CW_BUF_INIT, want = CW_BUF_INIT;
			printable(&got, t ? t : "(null)");
			printable(&want, c->out);
			cr_expect_str_eq(cw_buf_str(&got), cw_buf_str(&want), "input %s", c->in);
			cw_buf_free(&got);
			cw_buf_free(&want);
		}
		cwt_free_records(recs, n);
		cwt_diags_free(&dg_);
	}
}

Test(bibtex_latex, unknown_command_reported_once)
{
	const char *in = "@misc{a, title = {\\foo{x}}}\n@misc{b, title = {\\foo{y} \\bar}}";
	cw_record **recs = NULL;
	cwt_diags d = {0};
	size_t n = cwt_read_records("bibtex", in, strlen(in), &recs, &d, NULL);
	cr_assert_eq(n, 2);
	size_t foo = 0;
	for (size_t i = 0; i < d.n; i++)
		if (strstr(d.items[i].message, "\\foo"))
			foo++;
	cr_expect_eq(foo, 1, "%s", cw_buf_str(&d.text));
	cr_expect(strstr(cw_buf_str(&d.text), "\\bar"), "%s", cw_buf_str(&d.text));
	cr_expect(strstr(cw_buf_str(&d.text), ":1:"), "located: %s", cw_buf_str(&d.text));
	cwt_free_records(recs, n);
	cwt_diags_free(&d);
}

Test(bibtex_latex, ascii_writer_round_trip)
{
	const char *in = "@misc{k, title = {Gödel, Erdős, Łódź, Straße, Ørsted, façade, "
	                 "naïve – α and 50\\% \\& \\$ \\# a\\_b {DNA} \\emph{x}}}";
	cw_record **a = NULL, **b = NULL;
	size_t na = cwt_read_records("bibtex", in, strlen(in), &a, &dg_, NULL);
	cr_assert_eq(na, 1);
	const char *const opts[] = {"ascii=true", NULL};
	char *out = cwt_write_records("bibtex", a, na, &dg_, opts);
	cr_assert(out);
	for (const unsigned char *p = (const unsigned char *)out; *p; p++)
		cr_assert_lt(*p, 0x80, "non-ASCII byte in %s", out);
	size_t nb = cwt_read_records("bibtex", out, strlen(out), &b, &dg_, NULL);
	cr_assert_eq(nb, 1);
	cr_expect_str_eq(cw_record_text(a[0], CW_FIELD_TITLE), cw_record_text(b[0], CW_FIELD_TITLE),
	                 "%s", out);
	free(out);
	cwt_free_records(a, na);
	cwt_free_records(b, nb);
	cwt_diags_free(&dg_);
}
