/*
 * The crosswalk program, run as a user runs it: the built binary
 * ($CW_CROSSWALK), the CSL-JSON plugin of this build (found through
 * CROSSWALK_PLUGIN_PATH and the build tree), and the fixture plugin of
 * tests/core loaded with --plugin where a test needs a second format.
 *
 * Every test works in its own temporary directory.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cw_test.h"

#define FX "--plugin " CWT_FIXTURE_PLUGIN

/* Runs "crosswalk ARGS" in the test's directory; stdout and stderr go to out. */
CW_PRINTF(2, 3) static int cw(cw_buf *out, const char *fmt, ...)
{
	char args[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	cw_buf cmd = CW_BUF_INIT;
	/* a hang is a failure too (exit 124), not a stuck test run */
	cw_buf_printf(&cmd, "cd '%s' && timeout 60 \"$CW_CROSSWALK\" %s", cwt_tmpdir(), args);
	if (out)
		cw_buf_clear(out);
	int rc = cwt_run(cmd.data, out);
	cw_buf_free(&cmd);
	return rc;
}

/* Runs a shell command in the test's directory. */
CW_PRINTF(2, 3) static int sh(cw_buf *out, const char *fmt, ...)
{
	char args[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	cw_buf cmd = CW_BUF_INIT;
	cw_buf_printf(&cmd, "cd '%s' && %s", cwt_tmpdir(), args);
	if (out)
		cw_buf_clear(out);
	int rc = cwt_run(cmd.data, out);
	cw_buf_free(&cmd);
	return rc;
}

static char *path(const char *name)
{
	cw_buf b = CW_BUF_INIT;
	cw_buf_printf(&b, "%s/%s", cwt_tmpdir(), name);
	return b.data;
}

static void put(const char *name, const char *content)
{
	char *p = path(name);
	cr_assert_eq(cwt_write_file(p, content, strlen(content)), 0);
	free(p);
}

/* Strings handed out below stay reachable from here until the test's
 * process ends, so assertions may use them inline without leaking. */
static char *kept[256];
static size_t nkept;

static char *keep(char *s)
{
	if (s && nkept < sizeof kept / sizeof kept[0])
		kept[nkept++] = s;
	return s;
}

/* The file's content, or NULL when it does not exist. */
static const char *get(const char *name)
{
	char *p = path(name);
	char *s = cwt_read_file(p, NULL);
	free(p);
	return keep(s);
}

static int exists(const char *name)
{
	char *p = path(name);
	struct stat st;
	int e = stat(p, &st) == 0;
	free(p);
	return e;
}

/* Names in the test's directory, sorted, one per line (hidden files included). */
static const char *listing(void)
{
	DIR *d = opendir(cwt_tmpdir());
	cr_assert_not_null(d);
	char *names[64];
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < 64)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			names[n++] = strdup(de->d_name);
	closedir(d);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	cw_buf b = CW_BUF_INIT;
	cw_buf_append(&b, "", 0);
	for (size_t i = 0; i < n; i++) {
		cw_buf_printf(&b, "%s\n", names[i]);
		free(names[i]);
	}
	return keep(b.data);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay ? strstr(hay, needle) : NULL; p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Parses JSON (a whole file's content); fails the test if it is not JSON. */
static json_t *json(const char *text)
{
	cr_assert_not_null(text);
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	cr_assert_not_null(j, "not JSON (%d:%d: %s):\n%s", e.line, e.column, e.text, text);
	return j;
}

/* clang-format off */
static const char items[] =
    "[\n"
    "  {\"id\": \"doe2020\", \"type\": \"article-journal\", \"title\": \"Rivers of <i>Europe</i>\",\n"
    "   \"author\": [{\"family\": \"Doe\", \"given\": \"Jane\"}],\n"
    "   \"issued\": {\"date-parts\": [[2020, 3]]}, \"container-title\": \"Hydrology\"},\n"
    "  {\"id\": \"roe2021\", \"type\": \"book\", \"title\": \"Lakes\", \"publisher\": \"Acme\"}\n"
    "]\n";
/* clang-format on */

/* The same items, cut off before the closing bracket: fatal after one record. */
/* clang-format off */
static const char truncated[] =
    "[\n"
    "  {\"id\": \"doe2020\", \"type\": \"article-journal\", \"title\": \"Rivers\"},\n"
    "  {\"id\": \"roe2021\", \"type\": \"book\", \"title\": \"Lakes\"}\n";
/* clang-format on */

/* An item with a field the fixture's cwtest writer cannot carry (categories). */
static const char uncarried[] =
    "[{\"id\": \"k1\", \"type\": \"book\", \"title\": \"T\", \"categories\": [\"x\", \"y\"]}]\n";

/* --- --version, --help --- */

Test(cli, version)
{
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, "--version"), 0);
	cw_buf want = CW_BUF_INIT;
	cw_buf_printf(&want, "crosswalk %s (plugin ABI %d.%d)\n", CW_VERSION_STRING, CW_ABI_MAJOR,
	              CW_ABI_MINOR);
	cr_expect_str_eq(cw_buf_str(&out), want.data);
	cr_expect_eq(cw(&out, "-V"), 0);
	cr_expect_str_eq(cw_buf_str(&out), want.data);
	cw_buf_free(&want);
	cw_buf_free(&out);
}

Test(cli, help_command_is_the_commands_help)
{
	cw_buf out = CW_BUF_INIT, want = CW_BUF_INIT;
	const char *const cmds[] = {"convert", "batch", "formats"};
	for (size_t i = 0; i < 3; i++) {
		cr_assert_eq(cw(&want, "%s --help", cmds[i]), 0);
		cr_expect_eq(cw(&out, "help %s", cmds[i]), 0);
		cr_expect_str_eq(cw_buf_str(&out), cw_buf_str(&want));
	}
	/* help alone, and help help: the global help */
	cr_assert_eq(cw(&want, "--help"), 0);
	cr_expect_eq(cw(&out, "help"), 0);
	cr_expect_str_eq(cw_buf_str(&out), cw_buf_str(&want));
	cr_expect_eq(cw(&out, "help help"), 0);
	cr_expect_str_eq(cw_buf_str(&out), cw_buf_str(&want));
	/* an unknown command names the commands */
	cr_expect_eq(cw(&out, "help nosuch"), 2);
	cr_expect_str_eq(cw_buf_str(&out), "crosswalk: error: unknown command 'nosuch'; commands "
	                                   "are convert, batch, formats, help\n");
	cr_expect_eq(cw(&out, "help convert formats"), 2);
	cw_buf_free(&want);
	cw_buf_free(&out);
}

Test(cli, help)
{
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, "--help"), 0);
	const char *h = cw_buf_str(&out);
	cr_expect(strstr(h, "usage: crosswalk"), "%s", h);
	cr_expect(strstr(h, "  convert "), "%s", h);
	cr_expect(strstr(h, "  formats "), "%s", h);
	/* every documented exit code */
	cr_expect(strstr(h, "  2   bad command line"), "%s", h);
	cr_expect(strstr(h, "  3   the input could not be read"), "%s", h);
	cr_expect(strstr(h, "  5   --strict"), "%s", h);
	cr_expect_eq(cw(&out, "help"), 0);
	cr_expect(strstr(cw_buf_str(&out), "usage: crosswalk"));
	cr_expect_eq(cw(&out, "convert --help"), 0);
	cr_expect(strstr(cw_buf_str(&out), "usage: crosswalk convert"), "%s", cw_buf_str(&out));
	cr_expect(strstr(cw_buf_str(&out), "-o, --output FILE"), "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "formats --help"), 0);
	cr_expect(strstr(cw_buf_str(&out), "usage: crosswalk formats"), "%s", cw_buf_str(&out));
	/* no command: usage on stderr, a usage error */
	cr_expect_eq(cw(&out, "2>/dev/null"), 2);
	cr_expect_eq(out.len, 0, "usage must go to stderr: %s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "%s", ""), 2);
	cr_expect(strstr(cw_buf_str(&out), "usage: crosswalk"));
	cw_buf_free(&out);
}

/* --- formats --- */

Test(cli, formats_lists_csljson)
{
	cw_buf out = CW_BUF_INIT;
	cr_assert_eq(cw(&out, "formats"), 0, "%s", cw_buf_str(&out));
	const char *o = cw_buf_str(&out);
	/* name, version, and the file it was loaded from */
	cw_buf want = CW_BUF_INIT;
	cw_buf_printf(&want, "csljson 0.1.0  %s/csljson.so\n", getenv("CROSSWALK_PLUGIN_PATH"));
	cr_expect(strstr(o, want.data), "no \"%s\" in:\n%s", want.data, o);
	cr_expect(strstr(o, "csljson      read  write"), "%s", o);
	cr_expect(strstr(o, "extensions  .json .csl.json .csljson\n"), "%s", o);
	cr_expect(strstr(o, "csljsonl     read  write"), "%s", o);
	cr_expect(strstr(o, "extensions  .jsonl .ndjson .csl.jsonl\n"), "%s", o);
	/* found on CROSSWALK_PLUGIN_PATH and in the build tree: listed once */
	cr_expect_eq(count(o, "csljson 0.1.0"), 1, "%s", o);
	cr_expect_null(strstr(o, "shadowed"), "%s", o);
	/* -v adds options */
	cr_assert_eq(cw(&out, "formats -v"), 0);
	cr_expect(strstr(cw_buf_str(&out), "--compact"), "%s", cw_buf_str(&out));
	cr_expect(strstr(cw_buf_str(&out), "application/vnd.citationstyles.csl+json"));
	cr_expect_eq(cw(&out, "formats --bogus"), 2);
	cw_buf_free(&want);
	cw_buf_free(&out);
}

Test(cli, formats_with_a_plugin_file)
{
	cw_buf out = CW_BUF_INIT;
	cr_assert_eq(cw(&out, FX " formats"), 0, "%s", cw_buf_str(&out));
	const char *o = cw_buf_str(&out);
	cr_expect(strstr(o, "cwtest 9.8.7  " CWT_FIXTURE_PLUGIN "\n"), "%s", o);
	cr_expect(strstr(o, "cwt-dup      filter"), "%s", o);
	/* --plugin comes first */
	cr_expect_lt(strstr(o, "cwtest 9.8.7"), strstr(o, "csljson 0.1.0"), "%s", o);
	/* a broken plugin named on the command line is an error of its own */
	cw_buf bad = CW_BUF_INIT;
	cw_buf_printf(&bad, "--plugin '%s/abi_major.so' formats", CWT_FIXTURE_DIR);
	cr_expect_eq(cw(&out, "%s", bad.data), 6);
	cr_expect(strstr(cw_buf_str(&out), "crosswalk: error: "), "%s", cw_buf_str(&out));
	cr_expect(strstr(cw_buf_str(&out), "plugin built for crosswalk ABI 2.0"), "%s",
	          cw_buf_str(&out));
	cr_expect_eq(cw(&out, "--plugin ./missing.so formats"), 6);
	cr_expect(strstr(cw_buf_str(&out), "missing.so"), "%s", cw_buf_str(&out));
	cw_buf_free(&bad);
	cw_buf_free(&out);
}

Test(cli, broken_plugins_on_the_search_path_are_warnings)
{
	/* the fixture directory: one good plugin and ten that are refused */
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(sh(&out, "CROSSWALK_PLUGIN_PATH='%s' timeout 60 \"$CW_CROSSWALK\" formats",
	                CWT_FIXTURE_DIR),
	             0);
	const char *o = cw_buf_str(&out);
	cr_expect(strstr(o, "cwtest 9.8.7"), "%s", o);
	cr_expect_eq(count(o, "crosswalk: warning: " CWT_FIXTURE_DIR "/"), 10, "%s", o);
	cr_expect(strstr(o, "abi_major.so: plugin built for crosswalk ABI 2.0"), "%s", o);
	cr_expect(strstr(o, "no_entry.so: is not a crosswalk plugin"), "%s", o);
	cr_expect(strstr(o, "not_elf.so: cannot load: "), "%s", o);
	/* -q: errors only */
	cr_expect_eq(sh(&out, "CROSSWALK_PLUGIN_PATH='%s' timeout 60 \"$CW_CROSSWALK\" -q formats",
	                CWT_FIXTURE_DIR),
	             0);
	cr_expect_null(strstr(cw_buf_str(&out), "warning"), "%s", cw_buf_str(&out));
	cw_buf_free(&out);
}

/* --- convert --- */

Test(cli, convert_by_extension)
{
	put("refs.json", items);
	cw_buf out = CW_BUF_INIT;
	cr_assert_eq(cw(&out, "convert refs.json refs.jsonl"), 0, "%s", cw_buf_str(&out));
	cr_expect_eq(out.len, 0, "a clean run prints nothing: %s", cw_buf_str(&out));
	const char *lines = get("refs.jsonl");
	cr_assert_not_null(lines);
	cr_expect_eq(count(lines, "\n"), 2, "%s", lines);
	cr_expect(strstr(lines, "\"id\": \"doe2020\"") || strstr(lines, "\"id\":\"doe2020\""), "%s",
	          lines);
	cr_expect(strstr(lines, "<i>Europe</i>"), "%s", lines);
	/* deterministic: the same input gives the same bytes */
	cr_assert_eq(cw(&out, "convert refs.json again.jsonl"), 0);
	cr_expect_str_eq(get("again.jsonl"), lines);
	/* and back: the same items */
	cr_assert_eq(cw(&out, "convert refs.jsonl again.json"), 0, "%s", cw_buf_str(&out));
	json_t *a = json(items), *b = json(get("again.json"));
	cr_expect_eq(json_array_size(b), 2);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(b, 1), "publisher")),
	                 "Acme");
	cr_expect(json_equal(json_object_get(json_array_get(a, 0), "author"),
	                     json_object_get(json_array_get(b, 0), "author")));
	json_decref(a);
	json_decref(b);
	cw_buf_free(&out);
}

Test(cli, convert_by_content)
{
	/* no useful extension: the input format comes from probing */
	put("refs.data", items);
	cw_buf out = CW_BUF_INIT;
	cr_assert_eq(cw(&out, "convert refs.data out.jsonl"), 0, "%s", cw_buf_str(&out));
	const char *o = get("out.jsonl");
	cr_expect_eq(count(o, "\n"), 2, "%s", o);
	cw_buf_free(&out);
}

Test(cli, convert_with_f_and_t)
{
	put("refs.txt", items);
	cw_buf out = CW_BUF_INIT;
	cr_assert_eq(cw(&out, "convert -f csljson -t csljsonl refs.txt out.dat"), 0, "%s",
	             cw_buf_str(&out));
	const char *o = get("out.dat");
	cr_expect_eq(count(o, "\n"), 2, "%s", o);
	/* long forms, aliases, attached values */
	cr_assert_eq(cw(&out, "convert --from=csl-json --to ndjson refs.txt out2.dat"), 0, "%s",
	             cw_buf_str(&out));
	cr_assert_eq(cw(&out, "convert -fjson -tjsonl refs.txt out3.dat"), 0, "%s",
	             cw_buf_str(&out));
	const char *o2 = get("out2.dat"), *o3 = get("out3.dat");
	o = get("out.dat");
	cr_expect_str_eq(o2, o);
	cr_expect_str_eq(o3, o);
	cw_buf_free(&out);
}

Test(cli, stdin_to_stdout)
{
	put("refs.json", items);
	cw_buf out = CW_BUF_INIT;
	/* input format from the content of stdin; stdout needs -t */
	cr_assert_eq(cw(&out, "convert -t csljsonl - < refs.json 2>err.txt"), 0);
	cr_expect_eq(count(cw_buf_str(&out), "\n"), 2, "%s", cw_buf_str(&out));
	cr_expect_str_eq(get("err.txt"), "");
	cw_buf first = CW_BUF_INIT;
	cw_buf_append(&first, out.data, out.len);
	/* "-" spelled out for both, through a pipe */
	cr_assert_eq(cw(&out, "convert -f csljson -t jsonl - - < refs.json"), 0);
	cr_expect_str_eq(cw_buf_str(&out), cw_buf_str(&first));
	cr_assert_eq(
	    sh(&out, "cat refs.json | \"$CW_CROSSWALK\" convert -t jsonl - -o - 2>/dev/null"), 0);
	cr_expect_str_eq(cw_buf_str(&out), cw_buf_str(&first));
	/* the same as converting the file */
	cr_assert_eq(cw(&out, "convert refs.json file.jsonl"), 0);
	const char *f = get("file.jsonl");
	cr_expect_str_eq(f, cw_buf_str(&first));
	/* stdout without -t cannot be guessed */
	cr_expect_eq(cw(&out, "convert refs.json"), 2);
	cr_expect(strstr(cw_buf_str(&out), "standard output has no extension"), "%s",
	          cw_buf_str(&out));
	cw_buf_free(&first);
	cw_buf_free(&out);
}

Test(cli, several_outputs_from_one_parse)
{
	put("refs.json", items);
	cw_buf out = CW_BUF_INIT;
	cr_assert_eq(
	    cw(&out, "convert --report r.json refs.json -o a.json -o b.jsonl -t csljsonl -o c.out "
	             "-o d.csl.json"),
	    0, "%s", cw_buf_str(&out));
	/* one parse: each record read once, handed to all four writers */
	json_t *r = json(get("r.json"));
	cr_expect_eq(
	    json_integer_value(json_object_get(json_object_get(r, "summary"), "records_read")), 2);
	cr_expect_eq(
	    json_integer_value(json_object_get(json_object_get(r, "summary"), "records_written")),
	    2);
	json_decref(r);
	const char *a = get("a.json"), *b = get("b.jsonl"), *c = get("c.out"),
	           *d = get("d.csl.json");
	cr_assert(a && b && c && d);
	cr_expect_eq(count(b, "\n"), 2);
	cr_expect_str_eq(c, b, "-t before -o sets that output's format");
	cr_expect_str_eq(d, a);
	json_decref(json(a));
	/* -t with no output after it: the output before it (t_after_its_output) */
	cr_expect_eq(cw(&out, "convert refs.json -o x.json -t csljson"), 0, "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert refs.json a.json b.json c.json"), 2);
	cr_expect(strstr(cw_buf_str(&out), "unexpected argument 'b.json'"), "%s", cw_buf_str(&out));
	cw_buf_free(&out);
}

/* --- errors --- */

Test(cli, t_after_its_output)
{
	put("refs.json", items);
	cw_buf out = CW_BUF_INIT;
	cr_assert_eq(cw(&out, "convert refs.json -t csljsonl want.jsonl"), 0, "%s",
	             cw_buf_str(&out));
	const char *want = get("want.jsonl");
	/* the form: -t after the -o it names */
	cr_assert_eq(cw(&out, "convert refs.json -o a.txt -t csljsonl"), 0, "%s", cw_buf_str(&out));
	cr_expect_str_eq(get("a.txt"), want);
	/* after the positional OUT, and after the last of several -o */
	cr_assert_eq(cw(&out, "convert refs.json b.txt -t jsonl"), 0, "%s", cw_buf_str(&out));
	cr_expect_str_eq(get("b.txt"), want);
	cr_assert_eq(cw(&out, "convert refs.json -o c.json -o d.txt -t jsonl"), 0, "%s",
	             cw_buf_str(&out));
	cr_expect_str_eq(get("d.txt"), want);
	cr_expect_neq(count(get("c.json"), "["), 0, "c.json keeps its extension's format");
	/* before the next output as before, also when OUT comes after the input */
	cr_assert_eq(cw(&out, "convert -t jsonl refs.json e.txt -o f.json"), 0, "%s",
	             cw_buf_str(&out));
	cr_expect_str_eq(get("e.txt"), want);
	/* no output at all: standard output */
	cr_assert_eq(cw(&out, "convert refs.json -t jsonl 2>/dev/null"), 0);
	cr_expect_str_eq(cw_buf_str(&out), want);
	/* two formats for one output are usage errors, and nothing is written */
	cr_expect_eq(cw(&out, "convert refs.json -t csljson -o g.txt -t jsonl"), 2);
	cr_expect(strstr(cw_buf_str(&out), "-t jsonl follows output 'g.txt', which already has "
	                                   "the format csljson"),
	          "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert refs.json -t csljson -t jsonl -o g.txt"), 2);
	cr_expect(strstr(cw_buf_str(&out), "-t csljson and -t jsonl both come before the next "
	                                   "output"),
	          "%s", cw_buf_str(&out));
	cr_expect_not(exists("g.txt"));
	cw_buf_free(&out);
}

Test(cli, o_file_colon_format)
{
	put("refs.json", items);
	cw_buf out = CW_BUF_INIT;
	cr_assert_eq(cw(&out, "convert refs.json -t csljsonl want.jsonl"), 0, "%s",
	             cw_buf_str(&out));
	const char *want = get("want.jsonl");
	/* the name or an alias of a format that can be written */
	cr_assert_eq(cw(&out, "convert refs.json -o a.txt:csljsonl -o b.txt:ndjson"), 0, "%s",
	             cw_buf_str(&out));
	cr_expect_str_eq(get("a.txt"), want);
	cr_expect_str_eq(get("b.txt"), want);
	cr_expect_not(exists("a.txt:csljsonl"));
	/* standard output */
	cr_assert_eq(cw(&out, "convert refs.json -o -:jsonl 2>/dev/null"), 0);
	cr_expect_str_eq(cw_buf_str(&out), want);
	/* otherwise the ':' is part of the name: the format from the extension */
	cr_assert_eq(cw(&out, "convert refs.json -o c:d.jsonl -o e:nosuch.jsonl"), 0, "%s",
	             cw_buf_str(&out));
	cr_expect_str_eq(get("c:d.jsonl"), want);
	cr_expect_str_eq(get("e:nosuch.jsonl"), want);
	/* a name that ends in ":FORMAT" itself: the format given once more */
	cr_assert_eq(cw(&out, "convert refs.json -o f:jsonl:jsonl"), 0, "%s", cw_buf_str(&out));
	cr_expect_str_eq(get("f:jsonl"), want);
	/* the positional OUT is a name as it is */
	cr_expect_eq(cw(&out, "convert refs.json g.txt:jsonl"), 2);
	cr_expect_not(exists("g.txt"));
	/* :FORMAT and -t for one output */
	cr_expect_eq(cw(&out, "convert refs.json -t csljson -o h.txt:jsonl"), 2);
	cr_expect(strstr(cw_buf_str(&out), "output 'h.txt:jsonl' has two formats: -t csljson and "
	                                   "':jsonl'"),
	          "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert refs.json -o h.txt:jsonl -t csljson"), 2);
	cr_expect(strstr(cw_buf_str(&out), "already has the format jsonl (from its ':FORMAT')"),
	          "%s", cw_buf_str(&out));
	cr_expect_not(exists("h.txt"));
	cw_buf_free(&out);
}

Test(cli, output_dir)
{
	put("a.json", items);
	sh(NULL, "mkdir sub && cp a.json sub/b.csl.json && cp a.json c.txt");
	cw_buf out = CW_BUF_INIT;
	cr_assert_eq(cw(&out, "convert a.json -t csljsonl want.jsonl"), 0, "%s", cw_buf_str(&out));
	const char *want = get("want.jsonl");
	/* each input and each -t: DIR/STEM.EXT, EXT the format's first extension; the stem
	 * without the longest known extension, else the last one */
	cr_assert_eq(cw(&out, "convert a.json sub/b.csl.json c.txt --output-dir out -t csljsonl "
	                      "-t csljson"),
	             0, "%s", cw_buf_str(&out));
	cr_expect_str_eq(get("out/a.jsonl"), want);
	cr_expect_str_eq(get("out/b.jsonl"), want);
	cr_expect_str_eq(get("out/c.jsonl"), want);
	cr_expect_str_eq(get("out/a.json"), get("out/b.json"));
	json_decref(json(get("out/c.json")));
	cr_expect_eq(sh(&out, "ls -A out | wc -l"), 0);
	cr_expect_str_eq(cw_buf_str(&out), "6\n");
	/* -d, and DIR with a trailing slash */
	cr_assert_eq(cw(&out, "convert -d out2/ -tjsonl a.json"), 0, "%s", cw_buf_str(&out));
	cr_expect_str_eq(get("out2/a.jsonl"), want);
	cw_buf_free(&out);
}

Test(cli, output_dir_files_fail_on_their_own)
{
	put("a.json", items);
	put("b.json", truncated);
	put("c.json", uncarried);
	cw_buf out = CW_BUF_INIT;
	/* b.json is broken (3), nosuch.json missing (3): a.json and c.json are written */
	cr_expect_eq(cw(&out, "convert a.json b.json nosuch.json c.json -d out -t jsonl"), 3);
	const char *o = cw_buf_str(&out);
	cr_expect(strstr(o, "b.json:"), "%s", o);
	cr_expect(strstr(o, "nosuch.json: cannot open"), "%s", o);
	cr_expect(strstr(o, "2 of 4 inputs were not converted; the others were"), "%s", o);
	cr_expect_not_null(get("out/a.jsonl"));
	cr_expect_not_null(get("out/c.jsonl"));
	cr_expect_not(exists("out/b.jsonl"));
	/* the worst status of all: 5 (--strict, not carried by cwtest) over 0 */
	cr_expect_eq(cw(&out, FX " convert --strict a.json c.json -d out3 -t cwtest -t jsonl"), 5,
	             "%s", cw_buf_str(&out));
	cr_expect_not(exists("out3/c.jsonl"));
	cr_expect_not_null(get("out3/a.jsonl"));
	cw_buf_free(&out);
}

Test(cli, output_dir_usage_errors)
{
	put("a.json", items);
	sh(NULL, "mkdir sub out && cp a.json sub/a.json && cp a.json out/a.jsonl");
	cw_buf out = CW_BUF_INIT;
	/* two inputs that would write one file: refused before anything is written */
	cr_expect_eq(cw(&out, "convert a.json sub/a.json -d new -t jsonl"), 2);
	cr_expect(strstr(cw_buf_str(&out), "inputs 'a.json' and 'sub/a.json' would both be "
	                                   "written to 'new/a.jsonl'"),
	          "%s", cw_buf_str(&out));
	cr_expect_not(exists("new"));
	/* an output over an input, through another name */
	cr_expect_eq(cw(&out, "convert ./out/a.jsonl -d out -t jsonl"), 2);
	cr_expect(strstr(cw_buf_str(&out), "input './out/a.jsonl' would be overwritten"), "%s",
	          cw_buf_str(&out));
	/* one format twice, an unknown format, no -t, -o, standard input */
	cr_expect_eq(cw(&out, "convert a.json -d new -t jsonl -t ndjson"), 2);
	cr_expect(strstr(cw_buf_str(&out), "would be written twice"), "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert a.json -d new -t nosuch"), 2);
	cr_expect(strstr(cw_buf_str(&out), "unknown format 'nosuch'"), "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert a.json -d new"), 2);
	cr_expect(strstr(cw_buf_str(&out), "--output-dir new needs -t FORMAT"), "%s",
	          cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert a.json -d new -t jsonl -o x.json"), 2);
	cr_expect_eq(cw(&out, "convert - -d new -t jsonl < a.json"), 2);
	cr_expect_eq(cw(&out, "convert a.json -d a.json -t jsonl"), 2);
	cr_expect(strstr(cw_buf_str(&out), "not a directory"), "%s", cw_buf_str(&out));
	cr_expect_not(exists("new"));
	cw_buf_free(&out);
}

Test(cli, unknown_format_names_candidates)
{
	put("refs.json", items);
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, "convert -f marc refs.json out.json"), 2);
	/* every format the build has is named; csljson's two at least */
	cr_expect(strstr(cw_buf_str(&out), "crosswalk: error: unknown format 'marc'; known: ") ==
	              cw_buf_str(&out),
	          "%s", cw_buf_str(&out));
	cr_expect(strstr(cw_buf_str(&out), " csljson csljsonl"), "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert -t marc refs.json out.json"), 2);
	cr_expect(strstr(cw_buf_str(&out), "unknown format 'marc'; known: ") &&
	              strstr(cw_buf_str(&out), " csljson csljsonl"),
	          "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert refs.json out.marc"), 2);
	cr_expect(strstr(cw_buf_str(&out),
	                 "cannot tell the output format from \"out.marc\"; name it with -t"),
	          "%s", cw_buf_str(&out));
	put("notes.txt", "some words\n");
	cr_expect_eq(cw(&out, "convert notes.txt out.json"), 2);
	cr_expect(strstr(cw_buf_str(&out), "notes.txt: cannot tell the input format"), "%s",
	          cw_buf_str(&out));
	cr_expect(strstr(cw_buf_str(&out), "name the format with -f"), "%s", cw_buf_str(&out));
	cr_expect_str_eq(listing(), "notes.txt\nrefs.json\n");
	cw_buf_free(&out);
}

Test(cli, ambiguous_format_names_candidates)
{
	/* the fixture plugin has two formats that both claim .cwt */
	put("refs.cwt", "id: a\ntitle: A\n");
	put("refs.json", items);
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, FX " convert refs.cwt out.json"), 2);
	cr_expect(
	    strstr(cw_buf_str(&out),
	           "crosswalk: error: refs.cwt: ambiguous input format; candidates: cwtest (50) "
	           "cwtwin (50); name the format with -f"),
	    "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, FX " convert refs.json out.cwt"), 2);
	cr_expect(strstr(cw_buf_str(&out), "output format of \"out.cwt\" is ambiguous; candidates: "
	                                   "cwtest cwtwin; name it with -t"),
	          "%s", cw_buf_str(&out));
	/* -f and -t settle it */
	cr_expect_eq(cw(&out, FX " convert -f cwtwin refs.cwt out.json"), 0, "%s",
	             cw_buf_str(&out));
	cr_expect_eq(cw(&out, FX " convert refs.json -t cwtest out.cwt"), 0, "%s",
	             cw_buf_str(&out));
	const char *o = get("out.cwt");
	cr_expect(strstr(o, "title: Rivers of Europe\n"), "%s", o);
	cw_buf_free(&out);
}

Test(cli, bad_options_are_usage_errors)
{
	put("refs.json", items);
	cw_buf out = CW_BUF_INIT;
	struct {
		const char *args, *msg;
	} cases[] = {
	    {"--bogus", "unknown option '--bogus'"},
	    {"frobnicate", "unknown command 'frobnicate'"},
	    {"convert", "no input"},
	    {"convert -x refs.json out.json", "unknown option '-x'"},
	    {"convert --bogus refs.json out.json", "unknown option '--bogus'"},
	    {"convert --plugins refs.json out.json", "unknown option '--plugins'"},
	    {"convert refs.json -o", "option -o needs a value"},
	    {"convert refs.json out.json -f", "option -f needs a value"},
	    {"convert --limit depth=0 refs.json out.json", "--limit depth needs a positive number"},
	    {"convert --limit speed=9 refs.json out.json", "unknown limit 'speed'"},
	    {"convert --limit depth=1025 refs.json out.json", "--limit depth is at most 1024"},
	    {"convert --limit depth=2K refs.json out.json", "--limit depth is at most 1024"},
	    {"convert --limit fields=4G refs.json out.json", "--limit fields needs a positive number"},
	    {"convert --limit fields refs.json out.json", "--limit takes NAME=N"},
	    {"convert -O csljson.nope=1 refs.json out.json", "csljson has no option \"nope\""},
	    {"convert --compact=maybe refs.json out.json", "takes true or false"},
	    {"convert --strict=yes refs.json out.json", "option --strict takes no value"},
	    {"batch x.yaml --jobs", "option --jobs needs a value"},
	    {"formats --names=nope", "--names takes formats, readers, writers or filters"},
	    {"formats --bogus", "unknown option '--bogus'; see 'crosswalk formats --help'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = cw(&out, "%s", cases[i].args);
		cr_expect_eq(rc, 2, "'%s' exited %d: %s", cases[i].args, rc, cw_buf_str(&out));
		cr_expect(strstr(cw_buf_str(&out), cases[i].msg), "'%s': no \"%s\" in: %s",
		          cases[i].args, cases[i].msg, cw_buf_str(&out));
		cr_expect(strncmp(cw_buf_str(&out), "crosswalk: ", 11) == 0 &&
		              strstr(cw_buf_str(&out), "error: "),
		          "'%s': %s", cases[i].args, cw_buf_str(&out));
	}
	cr_expect_str_eq(listing(), "refs.json\n", "a usage error must not create files");
	/* a known writer option is fine */
	cr_expect_eq(cw(&out, "convert --compact refs.json out.json"), 0, "%s", cw_buf_str(&out));
	cw_buf_free(&out);
}

/* 1 if s holds "crosswalk: FILE:LINE:COL: error: " with numbers. */
static int located(const char *s, const char *file)
{
	cw_buf prefix = CW_BUF_INIT;
	cw_buf_printf(&prefix, "crosswalk: %s:", file);
	const char *p = strstr(s, prefix.data);
	size_t n = prefix.len;
	cw_buf_free(&prefix);
	if (!p)
		return 0;
	p += n;
	unsigned line, col;
	int used = 0;
	if (sscanf(p, "%u:%u: error: %n", &line, &col, &used) != 2 || used == 0)
		return 0;
	return line > 0 && col > 0;
}

Test(cli, bad_input_is_located)
{
	put("bad.json", truncated);
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, "convert bad.json out.json"), 3);
	cr_expect(located(cw_buf_str(&out), "bad.json"), "%s", cw_buf_str(&out));
	put("worse.json", "{\"id\": \"a\", \"type\": \"book\",\n  \"title\": nope}\n");
	/* a file of one item that is broken is an invalid input, not a partial run */
	cr_expect_eq(cw(&out, "convert -f csljson worse.json out.json"), 3);
	cr_expect_not(exists("out.json"));
	cr_expect(located(cw_buf_str(&out), "worse.json"), "%s", cw_buf_str(&out));
	cr_expect(strstr(cw_buf_str(&out), "worse.json:2:"), "%s", cw_buf_str(&out));
	/* stdin has a name too */
	cr_expect_eq(cw(&out, "convert -f csljson -t csljson - < bad.json > /dev/null"), 3);
	cr_expect(located(cw_buf_str(&out), "<stdin>"), "%s", cw_buf_str(&out));
	/* a missing input */
	cr_expect_eq(cw(&out, "convert missing.json out.json"), 3);
	cr_expect(
	    strstr(cw_buf_str(&out), "crosswalk: error: missing.json: cannot open: No such file"),
	    "%s", cw_buf_str(&out));
	cw_buf_free(&out);
}

Test(cli, bad_json_lines_skip_or_stop)
{
	put("in.jsonl", "{\"id\": \"a\", \"type\": \"book\", \"title\": \"A\"}\n"
	                "{\"id\": \"b\" \"type\"}\n"
	                "{\"id\": \"c\", \"type\": \"book\", \"title\": \"C\"}\n");
	cw_buf out = CW_BUF_INIT;
	/* the bad line is reported, the others converted: a partial success */
	cr_expect_eq(cw(&out, "convert in.jsonl out.jsonl"), 1);
	cr_expect(located(cw_buf_str(&out), "in.jsonl"), "%s", cw_buf_str(&out));
	cr_expect(strstr(cw_buf_str(&out), "in.jsonl:2:"), "%s", cw_buf_str(&out));
	const char *o = get("out.jsonl");
	cr_expect_eq(count(o, "\n"), 2, "%s", o);
	/* --strict stops there, and writes nothing */
	cr_expect_eq(cw(&out, "convert --strict in.jsonl strict.jsonl"), 3);
	cr_expect_not(exists("strict.jsonl"));
	cw_buf_free(&out);
}

Test(cli, failed_run_leaves_no_partial_file)
{
	put("bad.json", truncated);
	cw_buf out = CW_BUF_INIT;
	/* the first record was written before the input broke: none of it may show */
	cr_expect_eq(cw(&out, "convert bad.json out.json -o out2.jsonl"), 3);
	cr_expect_not(exists("out.json"));
	cr_expect_not(exists("out2.jsonl"));
	cr_expect_str_eq(listing(), "bad.json\n", "no temporary file left either");
	cw_buf_free(&out);
}

Test(cli, failed_run_leaves_an_existing_file_untouched)
{
	put("bad.json", truncated);
	put("out.json", "EARLIER\n");
	char *p = path("out.json");
	chmod(p, 0640);
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, "convert bad.json out.json"), 3);
	const char *o = get("out.json");
	cr_expect_str_eq(o, "EARLIER\n");
	struct stat st;
	stat(p, &st);
	cr_expect_eq(st.st_mode & 0777, 0640);
	cr_expect_str_eq(listing(), "bad.json\nout.json\n");
	/* a good run replaces it, keeping its permissions */
	put("good.json", items);
	cr_expect_eq(cw(&out, "convert good.json out.json"), 0, "%s", cw_buf_str(&out));
	o = get("out.json");
	cr_expect(strstr(o, "doe2020"), "%s", o);
	stat(p, &st);
	cr_expect_eq(st.st_mode & 0777, 0640);
	free(p);
	cw_buf_free(&out);
}

/* --- names that collide --- */

Test(cli, report_over_the_input_is_refused)
{
	put("in.json", items);
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, "convert --report in.json in.json out.json"), 2, "%s",
	             cw_buf_str(&out));
	cr_expect(strstr(cw_buf_str(&out), "error: the input and --report are both 'in.json'"),
	          "%s", cw_buf_str(&out));
	cr_expect_str_eq(get("in.json"), items, "the input is intact");
	cr_expect_str_eq(listing(), "in.json\n", "nothing was written");
	/* through another path to the same file */
	cr_expect_eq(cw(&out, "convert --report ./in.json in.json out.json"), 2);
	cr_expect(strstr(cw_buf_str(&out), "the input 'in.json' and --report './in.json' are the "
	                                   "same file"),
	          "%s", cw_buf_str(&out));
	cr_expect_str_eq(get("in.json"), items);
	cw_buf_free(&out);
}

Test(cli, colliding_outputs_and_report_are_refused)
{
	put("in.json", items);
	cw_buf out = CW_BUF_INIT;
	/* the same name twice, with or without a format between */
	cr_expect_eq(cw(&out, "convert in.json -o x.json -t csljsonl -o x.json"), 2);
	cr_expect(strstr(cw_buf_str(&out), "output and output are both 'x.json'"), "%s",
	          cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert in.json -o x.json -o x.json"), 2);
	/* a report over an output */
	cr_expect_eq(cw(&out, "convert --report out.json in.json out.json"), 2);
	cr_expect_eq(cw(&out, "convert --report out.json in.json -o a.json -o out.json"), 2);
	/* one file that does not exist yet, by two paths */
	sh(NULL, "mkdir sub");
	cr_expect_eq(cw(&out, "convert in.json -o x.json -o sub/../x.json"), 2);
	cr_expect_eq(cw(&out, "convert in.json -o sub/x.json -o ./sub//x.json"), 2);
	cr_expect_str_eq(listing(), "in.json\nsub\n", "nothing was written");
	/* standard output twice */
	cr_expect_eq(cw(&out, "convert in.json -t csljsonl -o - -t csljson -o -"), 2);
	/* different files are fine: the check is no false alarm */
	cr_expect_eq(cw(&out, "convert --report r.json in.json -o x.json -o sub/x.json"), 0, "%s",
	             cw_buf_str(&out));
	cw_buf_free(&out);
}

Test(cli, the_same_file_through_a_link_is_refused)
{
	put("in.json", items);
	put("old.json", "OLD\n");
	cw_buf out = CW_BUF_INIT;
	cr_assert_eq(sh(NULL, "ln in.json hard.json && ln -s old.json soft.json && "
	                      "ln old.json old2.json"),
	             0);
	/* the input by a hard link, as an output and as the report */
	cr_expect_eq(cw(&out, "convert in.json hard.json"), 2, "%s", cw_buf_str(&out));
	cr_expect(strstr(cw_buf_str(&out), "the input 'in.json' and output 'hard.json' are the "
	                                   "same file"),
	          "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert --report hard.json in.json out.json"), 2);
	cr_expect_eq(cw(&out, "convert in.json in.json"), 2);
	/* two outputs, one by a symbolic link, one by a hard link */
	cr_expect_eq(cw(&out, "convert in.json -o soft.json -o old.json"), 2);
	cr_expect_eq(cw(&out, "convert in.json -o old2.json --report soft.json"), 2);
	/* the input on standard input, redirected from an output */
	cr_expect_eq(cw(&out, "convert -f csljson - old.json < old.json"), 2);
	cr_expect_str_eq(get("in.json"), items);
	cr_expect_str_eq(get("old.json"), "OLD\n");
	cr_expect_not(exists("out.json"));
	/* a device may be named twice: writing /dev/null twice loses nothing */
	cr_expect_eq(cw(&out, "convert in.json -t csljson -o /dev/null -t csljsonl -o /dev/null "
	                      "--report /dev/null"),
	             0, "%s", cw_buf_str(&out));
	cw_buf_free(&out);
}

Test(cli, unwritable_output)
{
	put("refs.json", items);
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, "convert refs.json no/such/dir/out.json"), 4);
	cr_expect(strstr(cw_buf_str(&out), "no/such/dir/out.json: cannot write"), "%s",
	          cw_buf_str(&out));
	/* with another good output: neither appears */
	cr_expect_eq(cw(&out, "convert refs.json -o ok.json -o no/such/dir/out.json"), 4);
	cr_expect_not(exists("ok.json"));
	cw_buf_free(&out);
}

Test(cli, input_limit)
{
	put("refs.json", items);
	char *p = path("refs.json");
	struct stat st;
	cr_assert_eq(stat(p, &st), 0);
	free(p);
	cw_buf out = CW_BUF_INIT;
	/* exactly the size passes, one byte less fails, whether or not the
	 * format was detected from the content first */
	cr_expect_eq(
	    cw(&out, "convert --limit input-bytes=%lld refs.json a.json", (long long)st.st_size), 0,
	    "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert --limit input-bytes=%lld refs.json b.json",
	                (long long)st.st_size - 1),
	             3);
	cr_expect(strstr(cw_buf_str(&out), "limit"), "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert --limit input-bytes=10 -f csljson refs.json c.json"), 3);
	cr_expect_eq(cw(&out, "convert --limit input-bytes=10 -t csljson - < refs.json"), 3);
	cr_expect_not(exists("b.json"));
	cr_expect_not(exists("c.json"));
	cw_buf_free(&out);
}

/*
 * The library names the limit; the program says how to raise it: after the
 * message in text and GitHub forms, as "limit" in JSON (and the report).
 */
Test(cli, limit_messages_say_how_to_raise_the_limit)
{
	put("deep.json", "[{\"id\": \"a\", \"type\": \"book\", \"x\": [[[[1]]]]}]\n");
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, "convert --limit depth=3 deep.json a.bib"), 3);
	cr_expect(strstr(cw_buf_str(&out),
	                 "crosswalk: deep.json:1:37: error: nesting deeper than the depth limit (3); "
	                 "raise it with --limit depth=N\n"),
	          "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert --diagnostics-format=github --limit depth=3 deep.json a.bib"),
	             3);
	cr_expect(strstr(cw_buf_str(&out), "nesting deeper than the depth limit (3); raise it with "
	                                   "--limit depth=N\n"),
	          "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert --diagnostics-format=json --limit depth=3 deep.json a.bib"), 3);
	cr_expect(strstr(cw_buf_str(&out), "\"message\": \"nesting deeper than the depth limit "
	                                   "(3)\", \"limit\": \"depth\"}"),
	          "%s", cw_buf_str(&out));
	/* no other diagnostic has a "limit" */
	cr_expect_eq(cw(&out, "convert --diagnostics-format=json deep.json -t jats -o -"), 0);
	cr_expect_null(strstr(cw_buf_str(&out), "\"limit\""), "%s", cw_buf_str(&out));
	cw_buf_free(&out);
}

Test(cli, crosswalk_override)
{
	put("in.json", "[{\"id\": \"a\", \"type\": \"book\", \"jtitle\": \"Nature\"}]\n");
	put("jtitle.yaml",
	    "format: csljson\naliases:\n  - {key: jtitle, field: container-title}\n");
	put("bad.yaml", "format: csljson\naliases: {a: b}\n");
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, "convert in.json -t csljsonl - 2>/dev/null"), 0);
	cr_expect_null(strstr(cw_buf_str(&out), "container-title"), "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert --crosswalk jtitle.yaml in.json -t csljsonl - 2>/dev/null"),
	             0);
	cr_expect(strstr(cw_buf_str(&out), "\"container-title\":\"Nature\"") ||
	              strstr(cw_buf_str(&out), "\"container-title\": \"Nature\""),
	          "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert --crosswalk bad.yaml in.json out.json"), 2);
	cr_expect(strstr(cw_buf_str(&out), "crosswalk: error: bad.yaml:2:"), "%s",
	          cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert --crosswalk none.yaml in.json out.json"), 2);
	cr_expect(strstr(cw_buf_str(&out), "none.yaml: cannot read"), "%s", cw_buf_str(&out));
	cr_expect_not(exists("out.json"));
	cw_buf_free(&out);
}

/* --- fidelity: not carried, --strict, --report --- */

Test(cli, not_carried_warns)
{
	put("in.json", uncarried);
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, FX " convert in.json out.cwtest"), 0);
	/* one line per writer and field for the run, with the records it concerns */
	cr_expect_str_eq(cw_buf_str(&out),
	                 "crosswalk: warning: not carried by cwtest: categories (1 record)\n");
	/* -v: each report, with the file and record */
	cr_expect_eq(cw(&out, FX " convert -v in.json out.cwtest"), 0);
	cr_expect_str_eq(
	    cw_buf_str(&out),
	    "crosswalk: out.cwtest: warning: [k1] not carried by cwtest: categories\n");
	const char *o = get("out.cwtest");
	cr_expect(strstr(o, "title: T\n"), "%s", o);
	/* -q keeps warnings quiet */
	cr_expect_eq(cw(&out, FX " convert -q in.json out.cwtest"), 0);
	cr_expect_eq(out.len, 0, "%s", cw_buf_str(&out));
	cw_buf_free(&out);
}

Test(cli, strict_not_carried_exits_5)
{
	put("in.json", uncarried);
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, FX " convert --strict in.json out.cwtest"), 5);
	cr_expect_str_eq(cw_buf_str(&out),
	                 "crosswalk: out.cwtest: error: [k1] not carried by cwtest: categories\n");
	cr_expect_not(exists("out.cwtest"));
	/* a conversion that carries everything passes --strict */
	cr_expect_eq(cw(&out, "convert --strict in.json out.json"), 0, "%s", cw_buf_str(&out));
	cw_buf_free(&out);
}

Test(cli, strict_skipped_record_exits_3)
{
	/* a broken entry between two good ones */
	put("in.bib",
	    "@article{a, title={A}}\n@article{b, title={B}, , x}\n@article{c, title={C}}\n");
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, "convert in.bib -t csljson skipped.json"), 1, "%s", cw_buf_str(&out));
	cr_expect(exists("skipped.json"));
	/* --strict: the run fails on the skipped record and writes nothing */
	cr_expect_eq(cw(&out, "convert --strict in.bib -t csljson strict.json"), 3, "%s",
	             cw_buf_str(&out));
	cr_expect_not(exists("strict.json"));
	/* and --help documents it so */
	cr_expect_eq(cw(&out, "--help"), 0);
	const char *h = strstr(cw_buf_str(&out), "  3   ");
	cr_assert_not_null(h, "%s", cw_buf_str(&out));
	const char *eol = strchr(h, '\n');
	cr_expect(strstr(h, "--strict") && strstr(h, "--strict") < eol, "%s", h);
	h = strstr(cw_buf_str(&out), "  1   ");
	cr_assert_not_null(h);
	cr_expect(strstr(h, "without --strict") && strstr(h, "without --strict") < strchr(h, '\n'),
	          "%s", h);
	cw_buf_free(&out);
}

Test(cli, report_json)
{
	put("in.json", uncarried);
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, FX " convert --report report.json in.json out.cwtest"), 0);
	json_t *r = json(get("report.json"));
	json_t *sum = json_object_get(r, "summary");
	cr_expect_eq(json_integer_value(json_object_get(sum, "records_read")), 1);
	cr_expect_eq(json_integer_value(json_object_get(sum, "records_written")), 1);
	cr_expect_eq(json_integer_value(json_object_get(sum, "not_carried")), 1);
	cr_expect_eq(json_integer_value(json_object_get(sum, "errors")), 0);
	cr_expect_str_eq(json_string_value(json_object_get(r, "crosswalk")), CW_VERSION_STRING);
	json_t *diags = json_object_get(r, "diagnostics");
	cr_assert_eq(json_array_size(diags), 1);
	json_t *d = json_array_get(diags, 0);
	cr_expect_str_eq(json_string_value(json_object_get(d, "severity")), "warning");
	cr_expect_str_eq(json_string_value(json_object_get(d, "kind")), "not-carried");
	cr_expect_str_eq(json_string_value(json_object_get(d, "field")), "categories");
	cr_expect_str_eq(json_string_value(json_object_get(d, "record")), "k1");
	cr_expect_str_eq(json_string_value(json_object_get(d, "plugin")), "cwtest");
	cr_expect_str_eq(json_string_value(json_object_get(d, "file")), "out.cwtest");
	json_decref(r);

	/* a clean run: an empty list; a failed run: the error, with its location */
	cr_expect_eq(cw(&out, "convert --report clean.json in.json out.json"), 0);
	r = json(get("clean.json"));
	cr_expect_eq(json_array_size(json_object_get(r, "diagnostics")), 0);
	json_decref(r);
	put("bad.json", truncated);
	cr_expect_eq(cw(&out, "convert --report failed.json bad.json out2.json"), 3);
	r = json(get("failed.json"));
	d = json_array_get(json_object_get(r, "diagnostics"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(d, "severity")), "error");
	cr_expect_str_eq(json_string_value(json_object_get(d, "file")), "bad.json");
	cr_expect_gt(json_integer_value(json_object_get(d, "line")), 0);
	cr_expect_gt(json_integer_value(json_object_get(d, "column")), 0);
	json_decref(r);
	cw_buf_free(&out);
}

Test(cli, repeated_messages_are_summarised)
{
	/* 30 items the cwtest writer cannot fully carry: one loss, 30 times */
	cw_buf in = CW_BUF_INIT;
	cw_buf_append(&in, "[", 1);
	for (int i = 0; i < 30; i++)
		cw_buf_printf(&in,
		              "%s{\"id\": \"k%d\", \"type\": \"book\", \"categories\": [\"x\"]}",
		              i ? "," : "", i);
	cw_buf_append(&in, "]\n", 2);
	put("in.json", cw_buf_str(&in));
	cw_buf_free(&in);
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, FX " convert in.json out.cwtest"), 0);
	/* a loss is one line per run: writer, field, how many records */
	cr_expect_str_eq(cw_buf_str(&out),
	                 "crosswalk: warning: not carried by cwtest: categories (30 records)\n");
	/* -v shows every one; the report holds every one */
	cr_expect_eq(cw(&out, FX " convert -v in.json out.cwtest"), 0);
	cr_expect_eq(count(cw_buf_str(&out), "not carried by cwtest: categories"), 30);
	cr_expect_eq(cw(&out, FX " convert --report r.json in.json out.cwtest"), 0);
	json_t *r = json(get("r.json"));
	cr_expect_eq(json_array_size(json_object_get(r, "diagnostics")), 30);
	json_decref(r);

	/* other kinds: 20 printed, then "... and N more" */
	cw_buf_clear(&in);
	for (int i = 0; i < 30; i++)
		cw_buf_printf(&in, "{\"id\": \"k%d\", \"type\": \"book\", \"title\": x}\n", i);
	put("in.jsonl", cw_buf_str(&in));
	cw_buf_free(&in);
	cr_expect_eq(cw(&out, "convert in.jsonl -t csljson out.json"), 1);
	const char *o = cw_buf_str(&out);
	cr_expect_eq(count(o, "invalid JSON"), 21, "%s", o);
	cr_expect(strstr(o, "crosswalk: in.jsonl: error: ... and 10 more like \"invalid JSON: "
	                    "invalid token\" (-v or --report shows them all)\n"),
	          "%s", o);
	cr_expect_eq(cw(&out, "convert --report r2.json in.jsonl -t csljson out.json"), 1);
	cr_expect(strstr(cw_buf_str(&out), "10 more like \"invalid JSON: invalid token\" (all "
	                                   "are in r2.json)"),
	          "%s", cw_buf_str(&out));
	cw_buf_free(&out);
}

Test(cli, long_labels_and_quotes_are_cut)
{
	/* an entry key that never ends (100000 bytes), and a key and a LaTeX
	 * command of 300 bytes quoted by warnings */
	cw_buf in = CW_BUF_INIT;
	cw_buf_append(&in, "@article{", CW_NUL);
	for (int i = 0; i < 300; i++)
		cw_buf_append(&in, "k", 1);
	cw_buf_append(&in, ", title = {\\", CW_NUL);
	for (int i = 0; i < 300; i++)
		cw_buf_append(&in, "x", 1);
	cw_buf_append(&in, " T}}\n@article{", CW_NUL);
	for (int i = 0; i < 100000; i++)
		cw_buf_append(&in, "\xC3\xA9", 2); /* é */
	put("in.bib", cw_buf_str(&in));
	cw_buf_free(&in);
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, "convert --report r.json in.bib -t csljson out.json"), 1);
	const char *o = cw_buf_str(&out);
	/* 80 bytes and an ellipsis: 40 of the two-byte letters */
	cw_buf want = CW_BUF_INIT;
	cw_buf_append(&want, "error: [", CW_NUL);
	for (int i = 0; i < 40; i++)
		cw_buf_append(&want, "\xC3\xA9", 2);
	cw_buf_append(&want, "\xE2\x80\xA6] ", CW_NUL);
	cr_expect(strstr(o, want.data), "%s", o);
	cw_buf_clear(&want);
	cw_buf_append(&want, "warning: [", CW_NUL);
	for (int i = 0; i < 80; i++)
		cw_buf_append(&want, "k", 1);
	cw_buf_append(&want, "\xE2\x80\xA6] unknown LaTeX command \\", CW_NUL);
	for (int i = 0; i < 80; i++)
		cw_buf_append(&want, "x", 1);
	cw_buf_append(&want, "\xE2\x80\xA6 dropped", CW_NUL);
	cr_expect(strstr(o, want.data), "%s", o);
	for (const char *line = o; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		cr_expect_lt(len, 400, "a line of %zu bytes", len);
		line += len + (nl != NULL);
	}
	/* the report holds the same cut labels */
	json_t *r = json(get("r.json"));
	json_t *diags = json_object_get(r, "diagnostics");
	cr_assert_gt(json_array_size(diags), 1);
	size_t i;
	json_t *d;
	json_array_foreach(diags, i, d)
	{
		const char *rec = json_string_value(json_object_get(d, "record"));
		cr_expect(rec && strlen(rec) <= 83, "%s", rec ? rec : "(no record)");
		cr_expect(rec && strstr(rec, "\xE2\x80\xA6"), "%s", rec ? rec : "(no record)");
		cr_expect_lt(strlen(json_string_value(json_object_get(d, "message"))), 400);
	}
	json_decref(r);
	cw_buf_free(&want);
	cw_buf_free(&out);
}

/* JSON Lines of n items, each with five fields the cwtest writer does not carry. */
static void put_uncarried_lines(const char *name, int n)
{
	cw_buf in = CW_BUF_INIT;
	for (int i = 0; i < n; i++)
		cw_buf_printf(&in,
		              "{\"id\": \"k%d\", \"type\": \"book\", \"title\": \"T\", "
		              "\"categories\": [\"x\"], \"zz1\": 1, \"zz2\": 2, \"zz3\": 3, "
		              "\"zz4\": 4}\n",
		              i);
	put(name, cw_buf_str(&in));
	cw_buf_free(&in);
}

/* Peak resident memory in KiB of "crosswalk ARGS" (its output discarded). */
static long peak_kib(const char *args)
{
	cw_buf out = CW_BUF_INIT;
	/* ASan's quarantine keeps freed memory up to its own bound: keep it small */
	int rc = sh(&out,
	            "ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4\" "
	            "/usr/bin/python3 -c 'import resource, subprocess, sys; "
	            "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
	            "stderr=subprocess.DEVNULL).returncode; "
	            "print(r, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "
	            "\"$CW_CROSSWALK\" %s",
	            args);
	int status = -1;
	long kib = -1;
	cr_assert_eq(rc, 0, "%s", cw_buf_str(&out));
	cr_assert_eq(sscanf(cw_buf_str(&out), "%d %ld", &status, &kib), 2, "%s", cw_buf_str(&out));
	cr_assert_eq(status, 0, "crosswalk %s exited with %d", args, status);
	cw_buf_free(&out);
	return kib;
}

Test(cli, memory_does_not_grow_with_diagnostics, .timeout = 900)
{
	/* 100000 and 400000 warnings: four times as many must not take more
	 * memory (they did: every one was kept as JSON, even with -q) */
	put_uncarried_lines("small.jsonl", 20000);
	put_uncarried_lines("big.jsonl", 80000);
	static const char *const modes[] = {"-q", "", "--report r.json"};
	for (size_t i = 0; i < sizeof modes / sizeof *modes; i++) {
		char a[256], b[256];
		snprintf(a, sizeof a, FX " convert %s small.jsonl out.cwtest", modes[i]);
		snprintf(b, sizeof b, FX " convert %s big.jsonl out.cwtest", modes[i]);
		long small = peak_kib(a), big = peak_kib(b);
		cr_expect_lt(big - small, 8192,
		             "'%s': %ld KiB for 100000 warnings, %ld KiB for 400000", modes[i],
		             small, big);
	}
	/* the report still holds every one */
	json_t *r = json(get("r.json"));
	cr_expect_eq(json_array_size(json_object_get(r, "diagnostics")), 400000);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(r, "summary"), "warnings")),
	             400000);
	json_decref(r);
}

Test(cli, messages_escape_what_they_quote)
{
	/* a terminal escape quoted by a warning (the byte that is not UTF-8 is
	 * read as Windows-1252, with its own warning) */
	put("esc.bib", "@article{k1, title={T}, date={19\033[2J\377"
	               "99}}\n");
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, "convert esc.bib -t csljson out.json"), 0);
	const char *o = cw_buf_str(&out);
	cr_expect(strstr(o, "date '19\\x1B[2J\xc3\xbf"
	                    "99' is not"),
	          "%s", o);
	cr_expect_not(strchr(o, '\033'));
	cr_expect_eq(cw_utf8_check(o, out.len), out.len);
	cr_expect_eq(cw(&out, "convert --report r.json esc.bib -t csljson out.json"), 0);
	json_t *r = json(get("r.json")); /* jansson refuses invalid UTF-8 */
	json_t *diags = json_object_get(r, "diagnostics");
	int found = 0;
	for (size_t i = 0; i < json_array_size(diags); i++)
		found |=
		    strstr(json_string_value(json_object_get(json_array_get(diags, i), "message")),
		           "19\\x1B[2J") != NULL;
	cr_expect(found, "%s", get("r.json"));
	json_decref(r);
	cw_buf_free(&out);
}

/* libxml2 prints some faults itself (bytes its input encoding cannot convert): never to our stderr
 */
Test(cli, xml_encoding_faults_are_located_errors_not_libxml2_noise)
{
	put("enc.xml",
	    "<?xml version=\"1.0\" encoding=\"SHIFT_JIS\"?>\n<article><front>"
	    "<article-meta><title-group><article-title>T\377</article-title></title-group>"
	    "</article-meta></front></article>");
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, "convert -f jats enc.xml -t csljson out.json"), 3);
	const char *o = cw_buf_str(&out);
	cr_expect_eq(count(o, "\n"), 1, "one line:\n%s", o);
	cr_expect(strstr(o, "crosswalk: enc.xml:2: error: the XML input is not readable (input "
	                    "conversion failed"),
	          "%s", o);
	cr_expect_not(exists("out.json"));
	cw_buf_free(&out);
}

/* --- filters --- */

Test(cli, filters)
{
	put("refs.json", items);
	cw_buf out = CW_BUF_INIT;
	cr_expect_eq(cw(&out, "convert --filter nosuch refs.json out.json"), 2);
	cr_expect(strstr(cw_buf_str(&out), "crosswalk: error: unknown filter 'nosuch'; known: ") ==
	              cw_buf_str(&out),
	          "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, FX " convert --filter nosuch refs.json out.json"), 2);
	cr_expect(strstr(cw_buf_str(&out), "crosswalk: error: unknown filter 'nosuch'; known: ") ==
	              cw_buf_str(&out),
	          "%s", cw_buf_str(&out));
	cr_expect(strstr(cw_buf_str(&out), "cwt-dup cwt-drop cwt-count"), "%s", cw_buf_str(&out));
	cr_expect_not(exists("out.json"));
	/* in order, with options */
	cr_expect_eq(cw(&out, FX " convert --filter cwt-drop:id=roe2021 --filter cwt-dup:copies=3 "
	                         "refs.json out.jsonl"),
	             0, "%s", cw_buf_str(&out));
	const char *o = get("out.jsonl");
	cr_expect_eq(count(o, "\n"), 3, "%s", o);
	cr_expect_eq(count(o, "roe2021"), 0, "%s", o);
	cr_expect_eq(count(o, "doe2020-2"), 1, "%s", o);
	/* a bad filter option */
	cr_expect_eq(cw(&out, FX " convert --filter cwt-dup:copies=lots refs.json out2.json"), 2);
	cr_expect(strstr(cw_buf_str(&out), "option copies of cwt-dup takes a number, not \"lots\""),
	          "%s", cw_buf_str(&out));
	cr_expect_not(exists("out2.json"));
	cw_buf_free(&out);
}

/* --- input encodings --- */

Test(cli, input_encoding)
{
	/* Latin-1 bytes: "Müller" in a file that is not UTF-8 */
	put("latin1.bib", "@misc{a, author = {M\xfcller, J.}, title = {\xa4 5}}\n");
	put("ok.json", items);
	cw_buf out = CW_BUF_INIT;
	/* by default: read as Windows-1252, one warning naming the file and the place */
	cr_assert_eq(cw(&out, "convert latin1.bib a.jsonl"), 0, "%s", cw_buf_str(&out));
	cr_expect(strstr(cw_buf_str(&out), "latin1.bib:1:21: warning: byte 0xFC is not UTF-8"),
	          "%s", cw_buf_str(&out));
	cr_expect_eq(count(cw_buf_str(&out), "\n"), 1, "%s", cw_buf_str(&out));
	cr_expect(strstr(get("a.jsonl"), "\"family\":\"Müller\""), "%s", get("a.jsonl"));
	cr_expect(strstr(get("a.jsonl"), "\"title\":\"¤ 5\""), "%s", get("a.jsonl"));
	/* chosen: no warning, and 0xA4 is the euro sign in Latin-9 */
	cr_assert_eq(cw(&out, "convert --input-encoding latin9 latin1.bib b.jsonl"), 0, "%s",
	             cw_buf_str(&out));
	cr_expect_eq(out.len, 0, "%s", cw_buf_str(&out));
	cr_expect(strstr(get("b.jsonl"), "\"title\":\"€ 5\""), "%s", get("b.jsonl"));
	cr_assert_eq(cw(&out, "convert --input-encoding=ISO-8859-15 latin1.bib c.jsonl"), 0, "%s",
	             cw_buf_str(&out));
	cr_expect_str_eq(get("c.jsonl"), get("b.jsonl"));
	/* UTF-8 chosen: what is not UTF-8 is U+FFFD, and said so */
	cr_assert_eq(cw(&out, "convert --input-encoding utf-8 latin1.bib d.jsonl"), 0, "%s",
	             cw_buf_str(&out));
	cr_expect(strstr(cw_buf_str(&out), "read as U+FFFD"), "%s", cw_buf_str(&out));
	cr_expect(strstr(get("d.jsonl"), "M\xef\xbf\xbdller"), "%s", get("d.jsonl"));
	/* an unknown encoding, or a reader without the option: usage errors */
	cr_expect_eq(cw(&out, "convert --input-encoding ebcdic latin1.bib e.jsonl"), 2, "%s",
	             cw_buf_str(&out));
	cr_expect(strstr(cw_buf_str(&out), "unknown input encoding 'ebcdic'"), "%s",
	          cw_buf_str(&out));
	cr_expect_not(exists("e.jsonl"));
	cr_expect_eq(cw(&out, "convert --input-encoding latin1 ok.json f.jsonl"), 2, "%s",
	             cw_buf_str(&out));
	cr_expect(strstr(cw_buf_str(&out), "--input-encoding: the csljson reader"), "%s",
	          cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert latin1.bib --input-encoding"), 2, "%s", cw_buf_str(&out));
	/* documented in the command's help */
	cr_expect_eq(cw(&out, "convert --help"), 0);
	cr_expect(strstr(cw_buf_str(&out), "--input-encoding ENC"), "%s", cw_buf_str(&out));
	cw_buf_free(&out);
}

/*
 * Every limit the library has is a --limit key the help lists (the CLI
 * takes the keys from the library), and the fields limit of a BibTeX entry
 * is raised like the others.
 */
Test(cli, every_limit_is_a_key)
{
	cw_buf out = CW_BUF_INIT;
	cr_assert_eq(cw(&out, "convert --help"), 0);
	for (enum cw_limit l = (enum cw_limit)1; cw_limit_key(l); l = (enum cw_limit)(l + 1))
		cr_expect(strstr(cw_buf_str(&out), cw_limit_key(l)), "--help lacks %s", cw_limit_key(l));
	cw_buf many = CW_BUF_INIT;
	cw_buf_append(&many, "@misc{a", CW_NUL);
	for (int i = 0; i < 4100; i++)
		cw_buf_printf(&many, ", f%d = {x}", i);
	cw_buf_append(&many, "}\n", CW_NUL);
	put("many.bib", cw_buf_str(&many));
	cr_expect_eq(cw(&out, "convert -q many.bib a.json"), 1);
	cr_expect(strstr(cw_buf_str(&out), "more fields in one entry than the fields limit (4096); "
	                                   "raise it with --limit fields=N"),
	          "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert -q --limit fields=5000 many.bib b.json"), 0, "%s",
	             cw_buf_str(&out));
	/* and the attributes of one XML element */
	cw_buf_clear(&many);
	cw_buf_append(&many, "<article><front><article-meta><title-group><article-title", CW_NUL);
	for (int i = 0; i < 300; i++)
		cw_buf_printf(&many, " a%d='1'", i);
	cw_buf_append(&many, ">T</article-title></title-group></article-meta></front></article>\n",
	              CW_NUL);
	put("attrs.xml", cw_buf_str(&many));
	cr_expect_eq(cw(&out, "convert -q -f jats attrs.xml c.json"), 3);
	cr_expect(strstr(cw_buf_str(&out), "more attributes on one element than the attributes "
	                                   "limit (256); raise it with --limit attributes=N"),
	          "%s", cw_buf_str(&out));
	cr_expect_eq(cw(&out, "convert -q -f jats --limit attributes=300 attrs.xml d.json"), 0,
	             "%s", cw_buf_str(&out));
	cw_buf_free(&many);
	cw_buf_free(&out);
}
