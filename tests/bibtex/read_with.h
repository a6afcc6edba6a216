/*
 * The BibTeX reader's tests of messages and limits: reads an input with one
 * limit ("depth=3") or reader option ("input-encoding=utf-8") set.
 */
#ifndef BIBTEX_READ_WITH_H
#define BIBTEX_READ_WITH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

/* Reads in[0..len) with one limit or option set; the diagnostics in d. Returns the records read. */
static inline size_t read_with_len(const char *in, size_t len, const char *limit, cwt_diags *d)
{
	memset(d, 0, sizeof *d);
	cw_context *ctx = cwt_context(d);
	cw_limits lim = CW_LIMITS_INIT;
	const char *opts[2] = {NULL, NULL};
	if (limit) {
		const char *eq = strchr(limit, '=');
		enum cw_limit which = cw_limit_from_key(limit, (size_t)(eq - limit));
		if (which)
			cr_assert_eq(cw_limit_set(&lim, which, strtoull(eq + 1, NULL, 10)), CW_OK);
		else
			opts[0] = limit;
	}
	cr_assert_eq(cw_context_set_limits(ctx, &lim), CW_OK);
	cw_istream *is = NULL;
	cr_assert_eq(cw_istream_open_memory(&is, in, len, "input"), CW_OK);
	const cw_format *f = cw_registry_find_format(cwt_registry(), "bibtex");
	cr_assert(f);
	cw_option o = {0};
	if (opts[0]) {
		const char *eq = strchr(opts[0], '=');
		static char name[64]; /* the option's name, for o */
		snprintf(name, sizeof name, "%.*s", (int)(eq - opts[0]), opts[0]);
		o.name = name;
		o.value = eq + 1;
	}
	cw_reader *r = NULL;
	size_t nrec = 0;
	int rc = cw_reader_open(&r, ctx, f, is, opts[0] ? &o : NULL, opts[0] ? 1 : 0);
	while (rc == CW_OK || rc == CW_ERECORD) {
		cw_record *rec = NULL;
		rc = cw_reader_next(r, &rec);
		nrec += rc == CW_OK;
		cw_record_free(rec);
	}
	cw_reader_close(r);
	cw_istream_close(is);
	cw_context_free(ctx);
	return nrec;
}

/* read_with_len of a string; returns the records read. */
static inline size_t read_with(const char *in, const char *limit, cwt_diags *d)
{
	return read_with_len(in, strlen(in), limit, d);
}

#endif
