/*
 * A fuzz harness for a crosswalk reader, to copy for your own plugin: it
 * links the plugin in (built with CW_PLUGIN_STATIC, so its entry is
 * cw_plugin_ris_entry), reads the fuzzer's bytes as one input and writes
 * every record back through the plugin's own writer into memory, so that
 * both halves run. A crash, a sanitizer report or a leak is a finding; a
 * reader that refuses bad input with a diagnostic is fine.
 *
 * With -DRIS_LIBFUZZER and -fsanitize=fuzzer it is a libFuzzer target:
 *     ./fuzz_ris -max_total_time=600 corpus/ samples/
 * Without, it replays the files (or the files in the directories) it is
 * given, for a test that keeps fixed findings fixed:
 *     ./fuzz_ris regressions/
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <crosswalk/crosswalk.h>

const cw_plugin *cw_plugin_ris_entry(void);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void quiet(void *ud, const cw_diag *d)
{
	(void)ud;
	(void)d; /* diagnostics are the reader's answer to bad input: fine */
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static cw_registry *reg;
	static const cw_format *fmt;
	if (!reg) {
		if (cw_registry_new(&reg) ||
		    cw_registry_add_static(reg, cw_plugin_ris_entry, "static", NULL))
			abort();
		fmt = cw_registry_find_format(reg, "ris");
		if (!fmt)
			abort();
	}
	cw_context *ctx = NULL;
	cw_pipeline *p = NULL;
	cw_istream *in = NULL;
	cw_ostream *out = NULL;
	if (cw_context_new(&ctx) || cw_pipeline_new(&p, ctx) ||
	    cw_istream_open_memory(&in, data, size, "fuzz") || cw_ostream_open_memory(&out, "out"))
		abort();
	cw_context_set_diag_sink(ctx, quiet, NULL);
	/* small limits find the limit paths quickly */
	cw_limits lim = CW_LIMITS_INIT;
	lim.max_field_bytes = 4096;
	lim.max_record_bytes = 65536;
	lim.max_names = 16;
	cw_context_set_limits(ctx, &lim);
	if (cw_pipeline_set_reader(p, fmt, in, NULL, 0) == CW_OK &&
	    cw_pipeline_add_writer(p, fmt, out, NULL, 0) == CW_OK)
		cw_pipeline_run(p, NULL);
	cw_pipeline_free(p);
	cw_ostream_close(out);
	cw_istream_close(in);
	cw_context_free(ctx);
	return 0;
}

#ifndef RIS_LIBFUZZER
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 1;
	size_t cap = 1 << 16, n = 0;
	unsigned char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			unsigned char *b = realloc(buf, cap *= 2);
			if (!b)
				break;
			buf = b;
		}
	}
	fclose(f);
	if (!buf)
		return 1;
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int runs = 0, bad = 0;
	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		if (!d) {
			bad |= replay_file(argv[i]);
			runs++;
			continue;
		}
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
			bad |= replay_file(path);
			runs++;
		}
		closedir(d);
	}
	printf("fuzz_ris: %d inputs replayed\n", runs);
	return bad;
}
#endif
