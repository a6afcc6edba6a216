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
    {"`single'", "‘single’"},
    {"O'Brien", "O’Brien"},
    {"Don't", "Don’t"},
    {"``a'' and `b'", "“a” and ‘b’"},
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
    {"$\\frac{1}{2}$", "1/2"},
    {"$\\frac{a+b}{c}$", "(a+b)/c"},
    {"$\\tfrac{o}{a}$", "o/a"},
    {"$\\sqrt{2}$", "√2"},
    {"$\\sqrt{x+1}$", "√(x+1)"},
    {"$\\sqrt[3]{8}$", "∛8"},
    {"$\\bar{1}$", "1\xcc\x84"},
    {"$\\bar{a}$", "ā"},
    {"$\\hat{x}$", "x\xcc\x82"},
    {"$\\vec{v}$", "v\xe2\x83\x97"},
    {"$\\left( 000\\bar{1} \\right)$", "(0001\xcc\x84)"},
    {"${\\rm GaN}(000\\bar{1})$", "GaN(0001\xcc\x84)"},
    {"$\\left\\langle x \\right.$", "⟨x"},
    {"$\\big( x \\big)$", "(x)"},
    {"$^\\circ$C", "°C"},
    {"$^{\\circ}$C", "°C"},
    {"$x'$", "x′"},
    {"$x^\\prime$", "x′"},
    {"$-1$", "−1"},
    {"$\\!$", ""},
    {"a$\\!$b", "ab"},
    {"$a\\,b\\;c\\:d\\!e$", "abcde"},
    {"$a\\quad b$", "a b"},
    {"$\\foo{x}$", "x"},
    {"$\\mathbf{v}$", B_("v")},
    {"$\\operatorname{Tr}$", "Tr"},
    {"$\\lesssim$", "≲"},
    {"$\\upmu$m", "μm"},
    {"$M_\\odot$", "M" SUB("⊙")},
    {"\\ensuremath{\\alpha}", "α"},
    {"\\[x^2\\]", "x" SUP("2")},
    {"US$5", "US$5"},
    /* urls and links */
    {"see \\url{http://x.org/a_b}", "see http://x.org/a_b"},
    {"\\href{http://x.org}{the site}", "the site"},
    {"\\url{http://x.org/a\n    b}", "http://x.org/ab"},
    {"\\url{http://x.org/a\\_b\\%20}", "http://x.org/a_b%20"},
    {"\\nolinkurl{x_y}", "x_y"},
    {"\\path{/usr/a}", "/usr/a"},
    {"\\verb|a_b|", "a_b"},
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
    {"\\enquote*{x}", "‘x’"},
    {"\\enquote{a \\enquote{b}}", "“a ‘b’”"},
    {"\\mkbibquote{Intention}", "“Intention”"},
    {"\\textquote{x}", "“x”"},
    {"\\hyphenquote{german}{x}", "“x”"},
    {"\\mkbibemph{x}", I_("x")},
    {"\\mkbibitalic{x}", I_("x")},
    {"\\mkbibbold{x}", B_("x")},
    {"\\mkbibparens{x}", "(x)"},
    {"\\mkbibbrackets{x}", "[x]"},
    {"\\mkbibsuperscript{2}", SUP("2")},
    {"\\mkbibordinal{2}", "2nd"},
    {"\\mkbibordinal{11}", "11th"},
    {"\\mkbibordinal{23}", "23rd"},
    {"\\textsl{x}", I_("x")},
    {"\\textup{x}", "x"},
    {"\\textmd{x}", "x"},
    {"\\textsf{x}", "x"},
    {"\\textnormal{x}", "x"},
    {"methodology\\hyphen independent", "methodology-independent"},
    {"and\\slash or", "and/or"},
    {"\\emdash{} x", "— x"},
    {"\\bibstring{newseries}", "new series"},
    {"\\bibstring{number}", "number"},
    {"\\bibsstring{volume}", "vol."},
    {"\\bibcpstring{editor}", "Editor"},
    {"\\bibucstring{and}", "AND"},
    {"\\bibstring[\\mkbibemph]{and}", "and"},
    {"579\\psqq", "579 sqq."},
    {"3\\psq", "3 sq."},
    {"\\addcomma\\addspace x", ", x"},
    {"\\apj", "ApJ"},
    {"\\aap", "A&A"},
    {"\\mnras", "MNRAS"},
    {"\\aj", "AJ"},
    {"\\prl", "PhRvL"},
    {"\\jgr", "J.\xc2\xa0Geophys.\xc2\xa0Res."},
    {"\\TeX", "TeX"},
    {"\\LaTeX{} users", "LaTeX users"},
    {"\\LaTeXe", "LaTeX2ε"},
    {"\\BibTeX", "BibTeX"},
    {"\\AmSTeX", "AMS-TeX"},
    {"\\LuaTeX", "LuaTeX"},
    {"\\XeTeX", "XeTeX"},
    {"\\ConTeXt", "ConTeXt"},
    {"\\METAFONT", "METAFONT"},
    {"\\MF", "Metafont"},
    {"\\MP", "MetaPost"},
    {"\\bibcyr{Текст}", "Текст"},
    {"\\foreignlanguage{german}{Haus}", "Haus"},
    {"\\textgreek{λόγος}", "λόγος"},
    {"\\texorpdfstring{$\\alpha$}{alpha}", "α"},
    {"\\textcolor{red}{x}", "x"},
    {"\\hbox to3em{x}y", "xy"},
    {"\\symbol{126}x", "~x"},
    {"\\char\"7E x", "~x"},
    {"\\char126 x", "~x"},
    {"a\\discretionary{-}{}{}b", "ab"},
    {"\\arabic{author} authors", "authors"},
    {"a\\begin{it}b\\end{it}c", "a" I_("b") "c"},
    {"\\begin{quote}x\\end{quote}", "x"},
    {"\\begin{math}x^2\\end{math}", "x" SUP("2")},
    {"\\cprime", "ʹ"},
    {"\\polhk{a}", "ą"},
    {"\\textcommabelow{s}", "ș"},
    /* white space */
    {"a   b", "a b"},
    {"a\n  b", "a b"},
    {"a\\\\b", "a b"},
    {"a\\\\[2pt]b", "a b"},
    {"  a \t\n b  ", "a b"},
    /* unknown commands: the name dropped, the text of the arguments kept */
    {"\\foo{bar}", "bar"},
    {"\\foo {bar}", "bar"},
    {"\\foo{\\\"a--b}{c}", "ä–bc"},
    {"x \\unknowncmd y", "x y"},
    {"x \\unknowncmd{} y", "x y"},
    {"a \\cite{key} b", "a key b"},
    /* accents take the first letter only */
    {"\\'{ees}", "ées"},
    {"\\'{Ees}", "Ées"},
    {"\\\"{\\i}x", "ïx"},
    {"\\^{ab}", "âb"},
    {"\\'{\\ae}", "æ\xcc\x81"},
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
	const char *in = "@misc{a, title = {\\foo{x}}}\n@misc{b, title = {\\foo{y} \\qux}}";
	cw_record **recs = NULL;
	cwt_diags d = {0};
	size_t n = cwt_read_records("bibtex", in, strlen(in), &recs, &d, NULL);
	cr_assert_eq(n, 2);
	size_t foo = 0;
	for (size_t i = 0; i < d.n; i++)
		if (strstr(d.items[i].message, "\\foo"))
			foo++;
	cr_expect_eq(foo, 1, "%s", cw_buf_str(&d.text));
	cr_expect(strstr(cw_buf_str(&d.text), "\\qux"), "%s", cw_buf_str(&d.text));
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

/*
 * Whatever the decoder makes of a value, the writers write it so that it
 * reads back the same: every case of the table through BibTeX (UTF-8 and
 * ASCII) and BibLaTeX.
 */
Test(bibtex_latex, every_case_reads_back_the_same_through_the_writers)
{
	static const char *const writers[][2] = {
	    {"bibtex", NULL}, {"bibtex", "ascii=true"}, {"biblatex", NULL}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char input[512];
		snprintf(input, sizeof input, "@misc{k, title = {%s}}", cases[i].in);
		cw_record **a = NULL;
		size_t na = cwt_read_records("bibtex", input, strlen(input), &a, &dg_, NULL);
		cr_assert_eq(na, 1, "%s", cases[i].in);
		const char *want = cw_record_text(a[0], CW_FIELD_TITLE);
		for (size_t w = 0; w < sizeof writers / sizeof writers[0]; w++) {
			const char *opts[] = {writers[w][1], NULL};
			char *out = cwt_write_records(writers[w][0], a, na, &dg_,
			                              writers[w][1] ? opts : NULL);
			cr_assert(out, "%s", cases[i].in);
			cw_record **b = NULL;
			size_t nb = cwt_read_records("bibtex", out, strlen(out), &b, &dg_, NULL);
			cr_assert_eq(nb, 1, "%s -> %s", cases[i].in, out);
			const char *got = cw_record_text(b[0], CW_FIELD_TITLE);
			cw_buf g = CW_BUF_INIT, x = CW_BUF_INIT;
			printable(&g, got ? got : "(null)");
			printable(&x, want ? want : "(null)");
			cr_expect_str_eq(cw_buf_str(&g), cw_buf_str(&x), "%s through %s %s: %s",
			                 cases[i].in, writers[w][0],
			                 writers[w][1] ? writers[w][1] : "", out);
			cw_buf_free(&g);
			cw_buf_free(&x);
			free(out);
			cwt_free_records(b, nb);
		}
		cwt_free_records(a, na);
		cwt_diags_free(&dg_);
	}
}

Test(bibtex_latex, href_gives_the_url_when_the_entry_has_none)
{
	const char *in = "@misc{a, title = {See \\href{https://x.org/a\\#b}{the site}}}\n"
	                 "@misc{b, title = {\\href{https://x.org/1}{one}}, url = {https://y.org}}\n"
	                 "@misc{c, howpublished = {\\href {https://x.org/2}  {\\texttt{x.org}}}}\n"
	                 "@misc{d, title = {No link}}";
	cw_record **r = NULL;
	size_t n = cwt_read_records("bibtex", in, strlen(in), &r, &dg_, NULL);
	cr_assert_eq(n, 4);
	cr_expect_str_eq(cw_record_text(r[0], CW_FIELD_TITLE), "See the site");
	cr_expect_str_eq(cw_record_text(r[0], CW_FIELD_URL), "https://x.org/a#b");
	cr_expect_str_eq(cw_record_text(r[1], CW_FIELD_URL), "https://y.org");
	cr_expect_str_eq(cw_record_text(r[2], CW_FIELD_URL), "https://x.org/2");
	cr_expect_null(cw_record_text(r[3], CW_FIELD_URL), "a URL leaked to the next entry");
	cwt_free_records(r, n);
	cwt_diags_free(&dg_);
}

/* The better-bibtex file whose howpublished holds \href, \discretionary and \symbol. */
Test(bibtex_latex_corpus, href_with_discretionary_and_symbol)
{
	char dir[1024], path[1200];
	CWT_CORPUS("bibtex", dir);
	snprintf(path, sizeof path,
	         "%s/better-bibtex/Allow-spaces-between-href-arguments-for-import-2504.bib", dir);
	size_t len = 0;
	char *data = cwt_read_file(path, &len);
	cr_assert(data, "%s", path);
	cw_record **r = NULL;
	size_t n = cwt_read_records("bibtex", data, len, &r, &dg_, NULL);
	free(data);
	cr_assert_geq(n, 1);
	cr_expect_str_eq(cw_record_text(r[0], CW_FIELD_URL),
	                 "https://www.math.uni-bielefeld.de/~gaehler/gap/packages.php");
	for (size_t i = 0; i < n; i++)
		for (enum cw_field f = 0; f < CW_FIELD_COUNT_; f++) {
			const char *t =
			    cw_field_kind(f) == CW_KIND_TEXT || cw_field_kind(f) == CW_KIND_RICH
			        ? cw_record_text(r[i], f)
			        : NULL;
			cr_expect(!t || !strchr(t, '\\'), "raw LaTeX in %s: %s", cw_field_name(f),
			          t);
		}
	cr_expect_eq(cwt_diags_count(&dg_, CW_SEV_WARNING), 0, "%s", cw_buf_str(&dg_.text));
	cwt_free_records(r, n);
	cwt_diags_free(&dg_);
}
