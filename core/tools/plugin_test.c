/*
 * crosswalk-plugin-test: the test harness installed for plugin authors. It
 * runs a format's reader (and writer) over sample files and checks what a
 * user of the plugin relies on:
 *
 *   probe      the format's probe claims each sample;
 *   read       every record is read without an error;
 *   round trip (a format that also writes) records written and read back
 *              compare equal, the writer reports no loss of its own
 *              records, and writing them again gives the same bytes;
 *   losses     what the --via writer (default csljson) reports as not
 *              carried is what SAMPLE.VIA.losses says ("edge.ris.bibtex.losses"):
 *              one "LOSS COUNT" line per loss name (cw_diag.loss), '#'
 *              lines are comments. --update writes that file.
 *
 * It uses the public API only, as a plugin's own tests would. Plugins:
 * --plugin FILE first, then CROSSWALK_PLUGIN_PATH, then the install
 * directory. Exit status 0 when every check passed, 1 when one failed, 2
 * for a usage or setup error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <crosswalk/crosswalk.h>

typedef struct loss {
	char *name;
	unsigned long count;
} loss;

/* What a run's diagnostics said. */
typedef struct seen {
	unsigned long errors, warnings;
	loss *losses;
	size_t nlosses, cap;
	cw_buf text; /* the errors and warnings, formatted */
} seen;

static void sink(void *ud, const cw_diag *d)
{
	seen *s = ud;
	if (d->kind == CW_DIAG_NOT_CARRIED && d->struct_size > offsetof(cw_diag, loss) && d->loss) {
		size_t i = 0;
		while (i < s->nlosses && strcmp(s->losses[i].name, d->loss) != 0)
			i++;
		if (i == s->nlosses) {
			if (s->nlosses == s->cap) {
				size_t cap = s->cap ? s->cap * 2 : 16;
				loss *l = realloc(s->losses, cap * sizeof *l);
				if (!l)
					return;
				s->losses = l;
				s->cap = cap;
			}
			s->losses[i].name = strdup(d->loss);
			s->losses[i].count = 0;
			if (!s->losses[i].name)
				return;
			s->nlosses++;
		}
		s->losses[i].count++;
		return;
	}
	if (d->severity >= CW_SEV_ERROR)
		s->errors++;
	else if (d->severity == CW_SEV_WARNING)
		s->warnings++;
	else
		return;
	cw_buf_append(&s->text, "    ", CW_NUL);
	cw_diag_format(d, &s->text);
	cw_buf_putc(&s->text, '\n');
}

static void seen_free(seen *s)
{
	for (size_t i = 0; i < s->nlosses; i++)
		free(s->losses[i].name);
	free(s->losses);
	cw_buf_free(&s->text);
	memset(s, 0, sizeof *s);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const loss *)a)->name, ((const loss *)b)->name);
}

typedef struct harness {
	cw_registry *reg;
	const cw_format *fmt, *via;
	int update;
	unsigned failed;
} harness;

static void fail(harness *h, const char *sample, const char *check, const char *why)
{
	printf("FAIL %s: %s: %s\n", sample, check, why);
	h->failed++;
}

/* Reads data with fmt; the records in *recs (count *n). Returns the run's status. */
static int read_all(const harness *h, const cw_format *fmt, const char *data, size_t len,
                    const char *name, cw_record ***recs, size_t *n, seen *sn)
{
	cw_context *ctx = NULL;
	cw_istream *in = NULL;
	cw_reader *rd = NULL;
	*recs = NULL;
	*n = 0;
	size_t cap = 0;
	int rc = cw_context_new(&ctx);
	(void)h;
	if (rc == CW_OK) {
		cw_context_set_diag_sink(ctx, sink, sn);
		rc = cw_istream_open_memory(&in, data, len, name);
	}
	if (rc == CW_OK)
		rc = cw_reader_open(&rd, ctx, fmt, in, NULL, 0);
	while (rc == CW_OK || rc == CW_ERECORD) {
		cw_record *rec;
		rc = cw_reader_next(rd, &rec);
		if (rc != CW_OK)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			cw_record **r = realloc(*recs, cap * sizeof *r);
			if (!r) {
				cw_record_free(rec);
				rc = CW_ENOMEM;
				break;
			}
			*recs = r;
		}
		(*recs)[(*n)++] = rec;
	}
	cw_reader_close(rd);
	cw_istream_close(in);
	cw_context_free(ctx);
	return rc == CW_EOF ? CW_OK : rc;
}

/* Writes recs with fmt into *out (malloc'd, *len bytes). */
static int write_all(const cw_format *fmt, cw_record *const *recs, size_t n, char **out,
                     size_t *len, seen *sn)
{
	cw_context *ctx = NULL;
	cw_ostream *o = NULL;
	cw_writer *w = NULL;
	*out = NULL;
	*len = 0;
	int rc = cw_context_new(&ctx);
	if (rc == CW_OK) {
		cw_context_set_diag_sink(ctx, sink, sn);
		rc = cw_ostream_open_memory(&o, "out");
	}
	if (rc == CW_OK)
		rc = cw_writer_open(&w, ctx, fmt, o, NULL, 0);
	for (size_t i = 0; rc == CW_OK && i < n; i++)
		rc = cw_writer_write(w, recs[i]);
	if (rc == CW_OK)
		rc = cw_writer_finish(w);
	if (rc == CW_OK) {
		size_t l;
		const char *m = cw_ostream_memory(o, &l);
		*out = malloc(l + 1);
		if (*out) {
			memcpy(*out, m, l + 1);
			*len = l;
		} else {
			rc = CW_ENOMEM;
		}
	}
	cw_writer_close(w);
	cw_ostream_close(o);
	cw_context_free(ctx);
	return rc;
}

static void free_records(cw_record **recs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cw_record_free(recs[i]);
	free(recs);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	cw_buf b = CW_BUF_INIT;
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (cw_buf_append(&b, chunk, got)) {
			cw_buf_free(&b);
			fclose(f);
			return NULL;
		}
	fclose(f);
	*len = b.len;
	if (!b.data)
		return calloc(1, 1);
	return b.data;
}

static void check_probe(harness *h, const char *path, const char *data, size_t len)
{
	if (!h->fmt->probe)
		return;
	unsigned char buf[CW_PROBE_MAX + CW_PROBE_PADDING] = {0};
	size_t n = len < CW_PROBE_MAX ? len : CW_PROBE_MAX;
	memcpy(buf, data, n);
	cw_probe_input in = {sizeof in, buf, n, path};
	int score = h->fmt->probe(&in);
	if (score < CW_PROBE_WEAK) {
		char why[64];
		snprintf(why, sizeof why, "the probe scores it %d (below %d)", score,
		         CW_PROBE_WEAK);
		fail(h, path, "probe", why);
	}
}

static void check_round_trip(harness *h, const char *path, cw_record **recs, size_t n)
{
	seen w1 = {0}, r2 = {0}, w2 = {0};
	char *out = NULL, *again = NULL;
	size_t len, len2, n2 = 0;
	cw_record **back = NULL;
	cw_buf why = CW_BUF_INIT;
	if (write_all(h->fmt, recs, n, &out, &len, &w1) != CW_OK || w1.errors) {
		fail(h, path, "round trip", "the writer failed");
		fputs(cw_buf_str(&w1.text), stdout);
		goto done;
	}
	for (size_t i = 0; i < w1.nlosses; i++) {
		cw_buf_clear(&why);
		cw_buf_printf(&why, "the writer does not carry '%s' of its own reader's records",
		              w1.losses[i].name);
		fail(h, path, "round trip", cw_buf_str(&why));
	}
	if (read_all(h, h->fmt, out, len, "written", &back, &n2, &r2) != CW_OK || r2.errors) {
		fail(h, path, "round trip", "what the writer wrote does not read back");
		fputs(cw_buf_str(&r2.text), stdout);
		goto done;
	}
	if (n2 != n) {
		cw_buf_clear(&why);
		cw_buf_printf(&why, "%zu records written, %zu read back", n, n2);
		fail(h, path, "round trip", cw_buf_str(&why));
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		cw_buf_clear(&why);
		cw_buf_printf(&why, "record %zu differs after the round trip: ", i + 1);
		if (cw_record_compare(recs[i], back[i], &why) != 0)
			fail(h, path, "round trip", cw_buf_str(&why));
	}
	if (write_all(h->fmt, back, n2, &again, &len2, &w2) != CW_OK || len2 != len ||
	    memcmp(out, again, len) != 0)
		fail(h, path, "round trip", "writing the records read back gives other bytes");
done:
	free(out);
	free(again);
	free_records(back, n2);
	seen_free(&w1);
	seen_free(&r2);
	seen_free(&w2);
	cw_buf_free(&why);
}

/* The expected losses: "LOSS COUNT" lines. */
static int load_expected(const char *path, loss **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t len;
	char *text = read_file(path, &len);
	if (!text)
		return 0;
	size_t cap = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char name[512];
		unsigned long count;
		if (line[0] == '#' || sscanf(line, "%511s %lu", name, &count) != 2)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			loss *l = realloc(*out, cap * sizeof *l);
			if (!l)
				break;
			*out = l;
		}
		(*out)[*n].name = strdup(name);
		(*out)[(*n)++].count = count;
	}
	free(text);
	return 1;
}

static void check_losses(harness *h, const char *path, cw_record **recs, size_t n)
{
	seen sn = {0};
	char *out = NULL;
	size_t len;
	if (write_all(h->via, recs, n, &out, &len, &sn) != CW_OK || sn.errors) {
		fail(h, path, "losses", "the --via writer failed");
		fputs(cw_buf_str(&sn.text), stdout);
		goto done;
	}
	if (sn.nlosses) /* qsort wants an array, even of none */
		qsort(sn.losses, sn.nlosses, sizeof *sn.losses, by_name);
	cw_buf file = CW_BUF_INIT;
	cw_buf_printf(&file, "%s.%s.losses", path, h->via->name);
	if (h->update) {
		FILE *f = fopen(cw_buf_str(&file), "w");
		if (!f) {
			fail(h, path, "losses", "cannot write the .losses file");
		} else {
			fprintf(
			    f,
			    "# what the %s writer reports as not carried (crosswalk-plugin-test)\n",
			    h->via->name);
			for (size_t i = 0; i < sn.nlosses; i++)
				fprintf(f, "%s %lu\n", sn.losses[i].name, sn.losses[i].count);
			fclose(f);
		}
		cw_buf_free(&file);
		goto done;
	}
	loss *want;
	size_t nwant;
	if (!load_expected(cw_buf_str(&file), &want, &nwant)) {
		fail(h, path, "losses", "no .losses file (write one with --update)");
		cw_buf_free(&file);
		goto done;
	}
	cw_buf why = CW_BUF_INIT;
	for (size_t i = 0; i < nwant; i++) {
		unsigned long got = 0;
		for (size_t k = 0; k < sn.nlosses; k++)
			if (strcmp(sn.losses[k].name, want[i].name) == 0)
				got = sn.losses[k].count;
		if (got != want[i].count) {
			cw_buf_clear(&why);
			cw_buf_printf(&why, "'%s' reported %lu times, expected %lu", want[i].name,
			              got, want[i].count);
			fail(h, path, "losses", cw_buf_str(&why));
		}
	}
	for (size_t k = 0; k < sn.nlosses; k++) {
		size_t i = 0;
		while (i < nwant && strcmp(sn.losses[k].name, want[i].name) != 0)
			i++;
		if (i == nwant) {
			cw_buf_clear(&why);
			cw_buf_printf(&why, "'%s' reported %lu times, not expected",
			              sn.losses[k].name, sn.losses[k].count);
			fail(h, path, "losses", cw_buf_str(&why));
		}
	}
	for (size_t i = 0; i < nwant; i++)
		free(want[i].name);
	free(want);
	cw_buf_free(&why);
	cw_buf_free(&file);
done:
	free(out);
	seen_free(&sn);
}

static void test_sample(harness *h, const char *path)
{
	size_t len;
	char *data = read_file(path, &len);
	if (!data) {
		fail(h, path, "read", "cannot open the file");
		return;
	}
	unsigned before = h->failed;
	check_probe(h, path, data, len);
	seen sn = {0};
	cw_record **recs;
	size_t n;
	int rc = read_all(h, h->fmt, data, len, path, &recs, &n, &sn);
	if (rc != CW_OK || sn.errors) {
		fail(h, path, "read", rc != CW_OK ? cw_status_str(rc) : "errors were reported");
		fputs(cw_buf_str(&sn.text), stdout);
	} else {
		if (h->fmt->caps & CW_CAN_WRITE)
			check_round_trip(h, path, recs, n);
		check_losses(h, path, recs, n);
	}
	if (h->failed == before)
		printf("ok   %s: %zu records, %lu warnings\n", path, n, sn.warnings);
	if (sn.warnings && h->failed == before)
		fputs(cw_buf_str(&sn.text), stdout);
	free_records(recs, n);
	seen_free(&sn);
	free(data);
}

static int usage(void)
{
	fputs("usage: crosswalk-plugin-test [--plugin FILE]... --format NAME [--via FORMAT] "
	      "[--update] SAMPLE...\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	harness h = {0};
	const char *format = NULL, *via = "csljson";
	int first = argc;
	cw_buf err = CW_BUF_INIT;
	if (cw_registry_new(&h.reg))
		return 2;
	int status = 2;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--plugin") == 0 && i + 1 < argc) {
			if (cw_registry_load_file(h.reg, argv[++i], &err) != CW_OK) {
				fprintf(stderr, "crosswalk-plugin-test: %s", cw_buf_str(&err));
				goto out;
			}
		} else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			format = argv[++i];
		} else if (strcmp(argv[i], "--via") == 0 && i + 1 < argc) {
			via = argv[++i];
		} else if (strcmp(argv[i], "--update") == 0) {
			h.update = 1;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			status = usage();
			goto out;
		} else {
			first = i;
			break;
		}
	}
	if (!format || first == argc) {
		status = usage();
		goto out;
	}
	cw_registry_load_path(h.reg, getenv("CROSSWALK_PLUGIN_PATH"), NULL);
	cw_registry_load_dir(h.reg, cw_registry_install_dir(), NULL);
	h.fmt = cw_registry_find_format(h.reg, format);
	h.via = cw_registry_find_format(h.reg, via);
	if (!h.fmt || !(h.fmt->caps & CW_CAN_READ)) {
		fprintf(stderr, "crosswalk-plugin-test: no reader for format '%s'\n", format);
		goto out;
	}
	if (!h.via || !(h.via->caps & CW_CAN_WRITE)) {
		fprintf(stderr, "crosswalk-plugin-test: no writer for format '%s' (--via)\n", via);
		goto out;
	}
	for (int i = first; i < argc; i++)
		test_sample(&h, argv[i]);
	printf("%s: %d samples, %u failures\n", h.failed ? "FAILED" : "passed", argc - first,
	       h.failed);
	status = h.failed ? 1 : 0;
out:
	cw_buf_free(&err);
	cw_registry_free(h.reg);
	return status;
}
