/*
 * Fuzz harness support (see cw_fuzz.h).
 */
#include "cw_fuzz.h"

#include <stdio.h>
#include <stdlib.h>

#include "crosswalk/crosswalk.h"

#ifndef CW_FUZZ_PLUGIN_DIR
#define CW_FUZZ_PLUGIN_DIR ""
#endif

static cw_registry *registry(void)
{
	static cw_registry *reg;
	if (reg)
		return reg;
	const char *path = getenv("CROSSWALK_PLUGIN_PATH");
	if (!path || !*path)
		path = CW_FUZZ_PLUGIN_DIR;
	cw_buf err = CW_BUF_INIT;
	if (cw_registry_new(&reg) || cw_registry_load_path(reg, path, &err) <= 0) {
		fprintf(stderr, "fuzz: no plugins loaded from '%s': %s\n", path, cw_buf_str(&err));
		abort();
	}
	cw_buf_free(&err);
	return reg;
}

cw_session *cwf_session(void)
{
	static cw_context *ctx;
	static cw_ostream *out;
	static cw_writer *w;
	if (w)
		return cw_writer_session(w);
	if (cw_context_new(&ctx) || cw_ostream_open_memory(&out, NULL))
		abort();
	cw_context_set_registry(ctx, registry());
	const cw_format *f = cw_registry_find_format(registry(), "csljson");
	if (!f || cw_writer_open(&w, ctx, f, out, NULL, 0))
		abort();
	return cw_writer_session(w);
}

static const cw_format *need_format(const char *name)
{
	const cw_format *f = cw_registry_find_format(registry(), name);
	if (!f) {
		fprintf(stderr, "fuzz: format '%s' not loaded\n", name);
		abort();
	}
	return f;
}

int cwf_convert(const char *from, const char *const *to, const char *const *filters,
                const uint8_t *data, size_t size)
{
	enum { MAX_OUT = 8 };
	cw_context *ctx = NULL;
	cw_pipeline *p = NULL;
	cw_istream *in = NULL;
	cw_ostream *outs[MAX_OUT] = {0};
	size_t nout = 0;
	int rc = cw_context_new(&ctx);
	if (rc)
		abort();
	/* small limits keep each run fast while still exercising them */
	cw_limits lim = CW_LIMITS_INIT;
	lim.max_input_bytes = 1u << 20;
	lim.max_depth = 64;
	lim.max_names = 200;
	lim.max_children = 500;
	cw_context_set_limits(ctx, &lim);
	/* embedded crosswalk tables are parsed once per registry, not per run */
	cw_context_set_registry(ctx, registry());
	if (cw_pipeline_new(&p, ctx) || cw_istream_open_memory(&in, data, size, "fuzz"))
		abort();
	rc = cw_pipeline_set_reader(p, need_format(from), in, NULL, 0);
	for (size_t i = 0; filters && filters[i] && rc == CW_OK; i++) {
		const cw_filter *f = cw_registry_find_filter(registry(), filters[i]);
		if (!f)
			abort();
		rc = cw_pipeline_add_filter(p, f, NULL, 0);
	}
	for (size_t i = 0; to && to[i] && i < MAX_OUT && rc == CW_OK; i++) {
		if (cw_ostream_open_memory(&outs[i], to[i]))
			abort();
		nout++;
		rc = cw_pipeline_add_writer(p, need_format(to[i]), outs[i], NULL, 0);
	}
	cw_pipeline_stats st = {.struct_size = sizeof st};
	if (rc == CW_OK)
		rc = cw_pipeline_run(p, &st);
	cw_pipeline_free(p);
	cw_istream_close(in);
	for (size_t i = 0; i < nout; i++)
		cw_ostream_close(outs[i]);
	cw_context_free(ctx);
	return rc;
}
