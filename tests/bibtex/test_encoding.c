/*
 * Input encodings: UTF-8 checked as it is read, legacy files (not UTF-8)
 * read as Windows-1252 with one located warning, mixed files, BOMs and
 * UTF-16, the encoding a file declares, the input-encoding option, and the
 * legacy-encoded files of the corpus.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

typedef struct parsed {
	cw_record **recs;
	size_t n;
	cwt_diags d;
} parsed;

static void parse_opt(parsed *p, const char *in, size_t len, const char *opt)
{
	memset(p, 0, sizeof p[0]);
	const char *opts[] = {opt, NULL};
	p->n = cwt_read_records("bibtex", in, len, &p->recs, &p->d, opt ? opts : NULL);
}

static void done(parsed *p)
{
	cwt_free_records(p->recs, p->n);
	cwt_diags_free(&p->d);
}

static size_t warnings(const parsed *p)
{
	return cwt_diags_count(&p->d, CW_SEV_WARNING);
}

/* bytes in, option, the title and first author's family expected, warnings, a message part */
typedef struct enc_case {
	const char *in;
	size_t len; /* 0: strlen */
	const char *opt;
	const char *title, *family;
	size_t nwarn;
	const char *msg;
} enc_case;

#define B(s) s, sizeof(s) - 1

static const enc_case cases[] = {
    /* UTF-8 and ASCII: nothing to say */
    {"@misc{a, title = {Caf\xc3\xa9}, author = {M\xc3\xbcller, J.}}", 0, NULL, "Café", "Müller", 0,
     NULL},
    {"@misc{a, title = {Plain}, author = {Smith, J.}}", 0, NULL, "Plain", "Smith", 0, NULL},
    /* Latin-1 / Windows-1252: decoded, one warning where the first byte is */
    {"@misc{a, title = {Caf\xe9 \x93q\x94 \x80 \x96}, author = {M\xfcller, J\xf6rg}}", 0, NULL,
     "Café “q” € –", "Müller", 1,
     "1:22: warning: byte 0xE9 is not UTF-8: the file is read as "
     "Windows-1252"},
    {"% comment\n\n@misc{a, author = {M\xfcller, J.}, title = {T\xe9}}", 0, NULL, "Té", "Müller", 1,
     ":3:21: warning: byte 0xFC"},
    /* mixed: UTF-8 first, then a Latin-1 byte */
    {"@misc{a, title = {Caf\xc3\xa9 et th\xe9}, author = {M\xc3\xbcller, J.}}", 0, NULL,
     "Café et thé", "Müller", 1, "has UTF-8 before it"},
    /* BOMs */
    {"\xef\xbb\xbf@misc{a, title = {Caf\xc3\xa9}, author = {Smith, J.}}", 0, NULL, "Café", "Smith",
     0, NULL},
    {B("\xff\xfe@\0m\0i\0s\0c\0{\0a\0,\0 \0t\0i\0t\0l\0e\0=\0{\0C\0a\0f\0\xe9\0}\0}\0"), NULL,
     "Café", NULL, 0, NULL},
    {B("\xfe\xff\0@\0m\0i\0s\0c\0{\0a\0,\0 \0t\0i\0t\0l\0e\0=\0{\0C\0a\0f\0\xe9\0}\0}"), NULL,
     "Café", NULL, 0, NULL},
    /* UTF-16 without BOM: the NUL of the first character tells */
    {B("@\0m\0i\0s\0c\0{\0a\0,\0 \0t\0i\0t\0l\0e\0=\0{\0\x3d\xd8\x00\xde}\0}\0"), NULL,
     "\xf0\x9f\x98\x80", NULL, 0, NULL},
    {B("\0@\0m\0i\0s\0c\0{\0a\0,\0 \0t\0i\0t\0l\0e\0=\0{\0x\0}\0}"), NULL, "x", NULL, 0, NULL},
    /* an unpaired surrogate */
    {B("\xff\xfe@\0m\0i\0s\0c\0{\0a\0,\0 \0t\0i\0t\0l\0e\0=\0{\0\x3d\xd8x\0}\0}\0"), NULL,
     "\xef\xbf\xbdx", NULL, 1, "surrogate"},
    /* the option */
    {"@misc{a, title = {Caf\xe9 \x80}}", 0, "input-encoding=windows-1252", "Café €", NULL, 0, NULL},
    {"@misc{a, title = {Caf\xe9 \x80}}", 0, "input-encoding=ISO8859_1", "Café €", NULL, 0, NULL},
    {"@misc{a, title = {\xa4 \xa6}}", 0, "input-encoding=latin9", "€ Š", NULL, 0, NULL},
    {"@misc{a, title = {\xaf\xb1}}", 0, "input-encoding=iso-8859-2", "Żą", NULL, 0, NULL},
    {"@misc{a, title = {\xc0\xc1}}", 0, "input-encoding=windows-1251", "АБ", NULL, 0, NULL},
    {"@misc{a, title = {\x8a}}", 0, "input-encoding=macintosh", "ä", NULL, 0, NULL},
    {"@misc{a, title = {Caf\xe9}}", 0, "input-encoding=utf-8", "Caf\xef\xbf\xbd", NULL, 1,
     "0xE9 is not UTF-8; bytes that are not are read as U+FFFD"},
    {"@misc{a, title = {Caf\xc3\xa9}}", 0, "input-encoding=UTF-8", "Café", NULL, 0, NULL},
    {"\xef\xbb\xbf@misc{a, title = {Caf\xc3\xa9}}", 0, "input-encoding=utf8", "Café", NULL, 0,
     NULL},
    {B("\xff\xfe@\0m\0i\0s\0c\0{\0a\0,\0 \0t\0i\0t\0l\0e\0=\0{\0\xe9\0}\0}\0"),
     "input-encoding=utf-16", "é", NULL, 0, NULL},
    /* what the file declares (a note, not a warning) */
    {"% Encoding: ISO8859_1\n@misc{a, title = {Caf\xe9}}", 0, NULL, "Café", NULL, 0, NULL},
    {"% -*- coding: latin-9-unix -*-\n@misc{a, title = {\xa4}}", 0, NULL, "€", NULL, 0, NULL},
    {"%% vim: set fileencoding=cp1251 :\n@misc{a, title = {\xc0}}", 0, NULL, "А", NULL, 0, NULL},
    {"% Encoding: UTF-8\n@misc{a, title = {Caf\xc3\xa9}}", 0, NULL, "Café", NULL, 0, NULL},
    {"% Encoding: klingon\n@misc{a, title = {Caf\xc3\xa9}}", 0, NULL, "Café", NULL, 1,
     "declares the encoding 'klingon'"},
    /* a declaration after the first entry is text */
    {"@misc{a, title = {\xa4}}\n% Encoding: latin9\n", 0, NULL, "¤", NULL, 1, "0xA4"},
};

static void printable(cw_buf *b, const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20)
			cw_buf_printf(b, "<%02x>", (unsigned char)*s);
		else
			cw_buf_putc(b, *s);
	}
}

Test(bibtex_encoding, table)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const enc_case *c = &cases[i];
		size_t len = c->len ? c->len : strlen(c->in);
		parsed p;
		parse_opt(&p, c->in, len, c->opt);
		cr_assert_eq(p.n, 1, "case %zu\n%s", i, cw_buf_str(&p.d.text));
		const char *t = cw_record_text(p.recs[0], CW_FIELD_TITLE);
		cw_buf got = CW_BUF_INIT;
		printable(&got, t ? t : "(null)");
		cr_expect_str_eq(cw_buf_str(&got), c->title, "case %zu", i);
		cw_buf_free(&got);
		if (c->family) {
			const cw_name *nm = cw_record_name(p.recs[0], CW_FIELD_AUTHOR, 0);
			cr_expect(nm && nm->family && strcmp(nm->family, c->family) == 0,
			          "case %zu: %s", i, nm && nm->family ? nm->family : "(none)");
		}
		cr_expect_eq(warnings(&p), c->nwarn, "case %zu\n%s", i, cw_buf_str(&p.d.text));
		if (c->msg)
			cr_expect(strstr(cw_buf_str(&p.d.text), c->msg),
			          "case %zu: want '%s' in\n%s", i, c->msg, cw_buf_str(&p.d.text));
		done(&p);
	}
}

Test(bibtex_encoding, unknown_option_value_is_an_error)
{
	parsed p;
	parse_opt(&p, "@misc{a, title = {x}}", 21, "input-encoding=ebcdic");
	cr_expect_eq(p.n, 0);
	cr_expect(strstr(cw_buf_str(&p.d.text), "unknown input encoding 'ebcdic'"), "%s",
	          cw_buf_str(&p.d.text));
	done(&p);
}

Test(bibtex_encoding, declared_encoding_is_a_note)
{
	parsed p;
	const char *in = "% Encoding: windows-1252\n@misc{a, title = {\x80}}";
	parse_opt(&p, in, strlen(in), NULL);
	cr_assert_eq(p.n, 1);
	cr_expect_eq(warnings(&p), 0, "%s", cw_buf_str(&p.d.text));
	cr_expect(strstr(cw_buf_str(&p.d.text), "note: read as windows-1252"), "%s",
	          cw_buf_str(&p.d.text));
	done(&p);
}

/*
 * Streaming: the first byte that is not UTF-8 comes after several reading
 * windows; multi-byte UTF-8 split by a window's end is no error; one
 * warning for the whole file, at the right line.
 */
Test(bibtex_encoding, decided_from_the_bytes_seen_in_one_pass)
{
	cw_buf in = CW_BUF_INIT;
	/* ASCII junk that ends a 64 KiB window in the middle of an "é" */
	for (size_t i = 0; i < 65535; i++)
		cw_buf_putc(&in, i % 64 == 63 ? '\n' : 'x');
	cw_buf_append(&in, "\xc3\xa9\n", CW_NUL);
	for (int i = 0; i < 3000; i++)
		cw_buf_printf(
		    &in, "@misc{k%d, title = {Entry \xc3\xa9 number %d padding padding}}\n", i, i);
	size_t lines = 1;
	for (size_t i = 0; i < in.len; i++)
		lines += in.data[i] == '\n';
	cw_buf_append(&in, "@misc{last, title = {Caf\xe9}}\n@misc{after, title = {na\xefve}}\n",
	              CW_NUL);
	parsed p;
	parse_opt(&p, in.data, in.len, NULL);
	cr_assert_eq(p.n, 3002, "%s", cw_buf_str(&p.d.text));
	cr_expect_str_eq(cw_record_text(p.recs[0], CW_FIELD_TITLE),
	                 "Entry é number 0 padding padding");
	cr_expect_str_eq(cw_record_text(p.recs[3000], CW_FIELD_TITLE), "Café");
	cr_expect_str_eq(cw_record_text(p.recs[3001], CW_FIELD_TITLE), "naïve");
	cr_expect_eq(warnings(&p), 1, "%s", cw_buf_str(&p.d.text));
	char where[64];
	snprintf(where, sizeof where, ":%zu:25: warning: byte 0xE9", lines);
	cr_expect(strstr(cw_buf_str(&p.d.text), where), "want %s in %s", where,
	          cw_buf_str(&p.d.text));
	done(&p);
	cw_buf_free(&in);
}

/* A legacy file that is large: every entry after the switch is decoded. */
Test(bibtex_encoding, legacy_file_over_many_windows)
{
	cw_buf in = CW_BUF_INIT;
	for (int i = 0; i < 5000; i++)
		cw_buf_printf(&in,
		              "@misc{k%d, author = {M\xfcller, J\xf6rg}, title = {Stra\xdf"
		              "e %d}}\n",
		              i, i);
	parsed p;
	parse_opt(&p, in.data, in.len, NULL);
	cr_assert_eq(p.n, 5000, "%s", cw_buf_str(&p.d.text));
	for (size_t i = 0; i < p.n; i += 499) {
		char want[64];
		snprintf(want, sizeof want, "Straße %zu", i);
		cr_expect_str_eq(cw_record_text(p.recs[i], CW_FIELD_TITLE), want);
		cr_expect_str_eq(cw_record_name(p.recs[i], CW_FIELD_AUTHOR, 0)->given, "Jörg");
	}
	cr_expect_eq(warnings(&p), 1, "%s", cw_buf_str(&p.d.text));
	done(&p);
	cw_buf_free(&in);
}

/* biber's test files in Latin-1, Latin-9 and Latin-2, with an Emacs coding line. */
Test(bibtex_encoding_corpus, legacy_files)
{
	static const struct {
		const char *file, *title;
	} files[] = {
	    {"encoding1.bib", "Šome title"},
	    {"encoding2.bib", "Šome title"},
	    {"encoding3.bib", "Söme title"},
	    {"encoding4.bib", "Żome title"},
	};
	char dir[1024];
	CWT_CORPUS("bibtex", dir);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[1200];
		snprintf(path, sizeof path, "%s/bibtex-tidy/biber/%s", dir, files[i].file);
		size_t len = 0;
		char *data = cwt_read_file(path, &len);
		cr_assert(data, "%s", path);
		parsed p;
		parse_opt(&p, data, len, NULL);
		free(data);
		cr_assert_eq(p.n, 1, "%s: %s", path, cw_buf_str(&p.d.text));
		cr_expect_str_eq(cw_record_text(p.recs[0], CW_FIELD_TITLE), files[i].title, "%s",
		                 path);
		cr_expect_eq(warnings(&p), 0, "%s: %s", path, cw_buf_str(&p.d.text));
		done(&p);
	}
}

/*
 * Unknown fields are kept as they are (passthrough), but cleaned like every
 * text a record holds: issue 11 found them skipping it, so that what the
 * reader let through reached the CSL-JSON and BibTeX outputs as it was.
 */
static int output_is_clean(const char *s, size_t n)
{
	if (cw_utf8_check(s, n) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t')
			return 0;
	return 1;
}

Test(bibtex_encoding, passthrough_fields_are_cleaned_like_text)
{
	static const struct {
		const char *in, *opt, *value, *msg;
	} pcases[] = {
	    {"@misc{a, title = {T}, foo = {a\x1b[31mb\x01"
	     "c}}",
	     NULL, "a[31mbc",
	     "input:1:29: warning: [a] field 'foo': invalid UTF-8 or control bytes "
	     "replaced"},
	    {"@misc{a, title = {\xc3\xa9}, foo = {a\xff"
	     "b}}",
	     "input-encoding=utf-8",
	     "a\xef\xbf\xbd"
	     "b",
	     "warning: byte 0xFF is not UTF-8; bytes that are not are read as U+FFFD"},
	    {"@misc{a, title = {\xc3\xa9}, foo = {a\xff"
	     "b}}",
	     NULL,
	     "a\xc3\xbf"
	     "b",
	     "warning: byte 0xFF is not UTF-8 in a file that has UTF-8 before it"},
	    {"@misc{a, title = {T}, foo = {a\rb\r\nc}}", NULL, "a\nb\nc", NULL},
	};
	for (size_t i = 0; i < sizeof pcases / sizeof pcases[0]; i++) {
		parsed p;
		parse_opt(&p, pcases[i].in, strlen(pcases[i].in), pcases[i].opt);
		cr_assert_eq(p.n, 1, "%zu: %s", i, cw_buf_str(&p.d.text));
		const cw_passthrough *x = cw_record_find_passthrough(p.recs[0], "bibtex", "foo");
		cr_assert(x, "%zu", i);
		cr_expect_str_eq(x->value, pcases[i].value, "%zu", i);
		if (pcases[i].msg)
			cr_expect(strstr(cw_buf_str(&p.d.text), pcases[i].msg),
			          "%zu: want %s in %s", i, pcases[i].msg, cw_buf_str(&p.d.text));
		done(&p);
		static const char *const to[] = {"csl-json", "bibtex", "biblatex"};
		const char *opts[] = {pcases[i].opt, NULL};
		for (size_t t = 0; t < 3; t++) {
			cwt_result r;
			cwt_convert(&r, "bibtex", to[t], pcases[i].in, strlen(pcases[i].in),
			            pcases[i].opt ? opts : NULL, NULL, NULL);
			cr_expect_eq(r.status, CW_OK, "%zu %s", i, to[t]);
			cr_expect(output_is_clean(r.output, r.output_len), "%zu %s:\n%s", i, to[t],
			          r.output);
			cwt_result_free(&r);
		}
	}
}
